using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;

namespace CrmPlugins.Report;

/// <summary>How the report writes text and numbers: always HTML-encoded, always invariant culture, never throwing.</summary>
internal static class Format
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Shown where a value is missing or not a number.</summary>
    public const string Missing = "—";

    /// <summary>Encodes any text from data for use in element content or a double-quoted attribute.</summary>
    public static string H(string? text) => string.IsNullOrEmpty(text) ? "" : WebUtility.HtmlEncode(text);

    /// <summary>Text, or a placeholder when it is empty.</summary>
    public static string Or(string? text, string placeholder) => string.IsNullOrWhiteSpace(text) ? placeholder : text;

    /// <summary>Money: thousands separators, no decimals (1,234,568).</summary>
    public static string Money(decimal? value) => value is { } v ? v.ToString("#,0", Inv) : Missing;

    public static string Money(double value) =>
        double.IsFinite(value) ? value.ToString("#,0", Inv) : Missing;

    /// <summary>A value already in percent, with one decimal (23.5%).</summary>
    public static string Percent(decimal? value) => value is { } v ? v.ToString("#,0.0", Inv) + "%" : Missing;

    public static string Percent(double? value) =>
        value is { } v && double.IsFinite(v) ? v.ToString("#,0.0", Inv) + "%" : Missing;

    /// <summary>A 0..1 ratio as a percentage with one decimal.</summary>
    public static string Ratio(double? ratio) => Percent(ratio * 100);

    public static string Count(long value) => value.ToString("#,0", Inv);

    public static string Hours(decimal value) => value.ToString("#,0.#", Inv);

    public static string Hours(double? value) =>
        value is { } v && double.IsFinite(v) ? v.ToString("#,0.0", Inv) : Missing;

    public static string Date(DateTime? value) => value is { } v ? v.ToString("yyyy-MM-dd", Inv) : Missing;

    public static string DateTimeUtc(DateTime value) => value.ToString("yyyy-MM-dd HH:mm", Inv) + " UTC";

    public static string Month(DateTime value) => value.ToString("MMM yyyy", Inv);

    /// <summary>A sortable key for a table cell (invariant, round-trippable); empty for no value.</summary>
    public static string Key(decimal? value) => value is { } v ? v.ToString(Inv) : "";

    public static string Key(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("R", Inv) : "";

    public static string Key(DateTime? value) => value is { } v ? v.Ticks.ToString(Inv) : "";

    /// <summary>An SVG coordinate.</summary>
    public static string Coord(double value) => double.IsFinite(value) ? Math.Round(value, 2).ToString("0.##", Inv) : "0";

    /// <summary>Adds without throwing: saturates at decimal's range instead of overflowing.</summary>
    public static decimal Sum(IEnumerable<decimal> values)
    {
        var total = 0m;
        foreach (var value in values)
        {
            try
            {
                total += value;
            }
            catch (OverflowException)
            {
                total = value > 0 ? decimal.MaxValue : decimal.MinValue;
            }
        }
        return total;
    }

    /// <summary>Shortens a label for a chart (the full text goes in its tooltip), never splitting a surrogate pair.</summary>
    public static string Clip(string text, int max)
    {
        if (text.Length <= max)
            return text;
        var cut = max - 1;
        if (char.IsHighSurrogate(text[cut - 1]))
            cut--;
        return text[..cut] + "…";
    }
}
