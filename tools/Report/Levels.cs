using System;
using System.Collections.Generic;
using System.Linq;

namespace CrmPlugins.Report;

/// <summary>The risk levels, most severe first, and how each is shown (a CSS class plus its name: never colour alone).</summary>
internal static class Levels
{
    public static readonly IReadOnlyList<string> Known = ["Critical", "High", "Medium", "Low", "Unknown"];

    private static readonly string[] CssNames = Known.Select(k => k.ToLowerInvariant()).ToArray();

    /// <summary>The canonical spelling of a known level (any case); "Unknown" for none; otherwise the text trimmed.</summary>
    public static string Canon(string? level)
    {
        if (string.IsNullOrWhiteSpace(level))
            return "Unknown";
        var trimmed = level.Trim();
        // A loop, not a query: the report asks this of every deal several times (100,000 deals in a dry run).
        foreach (var known in Known)
            if (string.Equals(known, trimmed, StringComparison.OrdinalIgnoreCase)) return known;
        return trimmed;
    }

    public static bool IsFlagged(string? level) => Canon(level) is "High" or "Critical";

    /// <summary>0 for Critical .. 4 for Unknown; levels the report does not know come after.</summary>
    public static int Rank(string? level)
    {
        var index = IndexOf(Canon(level));
        return index < 0 ? Known.Count : index;
    }

    /// <summary>The CSS suffix of a level: "critical", "high", ..., or "other".</summary>
    public static string Css(string? level)
    {
        var canon = Canon(level);
        var index = IndexOf(canon);
        return index < 0 ? "other" : CssNames[index];
    }

    /// <summary>A level as a badge: coloured by class and always named.</summary>
    public static string Badge(string? level) =>
        $"<span class=\"lvl lvl-{Css(level)}\">{Format.H(Canon(level))}</span>";

    /// <summary>The known levels, then any other level seen in the data (ordinal order).</summary>
    public static IReadOnlyList<string> InOrder(IEnumerable<string?> seen)
    {
        var others = seen.Select(Canon).Where(l => IndexOf(l) < 0).Distinct(StringComparer.Ordinal).OrderBy(l => l, StringComparer.Ordinal);
        return Known.Concat(others).ToList();
    }

    private static int IndexOf(string canon)
    {
        for (var i = 0; i < Known.Count; i++)
            if (string.Equals(Known[i], canon, StringComparison.Ordinal))
                return i;
        return -1;
    }
}
