using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using static CrmPlugins.Report.Format;

namespace CrmPlugins.Report;

/// <summary>One bar: its label, its size, the text shown beside it and its fill class (f-high, f-bar, ...).</summary>
internal sealed record Bar(string Label, double Value, string ValueText, string Fill);

/// <summary>One row of a stacked bar chart.</summary>
internal sealed record Stack(string Label, IReadOnlyList<Bar> Segments, string TotalText);

/// <summary>One month of a role's utilisation.</summary>
internal sealed record UtilisationPoint(DateTime Month, double Demand, double Capacity, bool Over, string RatioText);

/// <summary>
/// Charts as inline SVG, drawn here: no script, no external file. Every chart has a title, a tooltip per mark and its
/// values written as text, and the data is always also in a table next to it.
/// </summary>
internal static class Svg
{
    private const double Width = 620, LabelWidth = 210, ValueWidth = 110, RowHeight = 26;

    /// <summary>Horizontal bars scaled to the largest value (or to <paramref name="max"/>).</summary>
    public static string HorizontalBars(string title, IReadOnlyList<Bar> bars, double? max = null)
    {
        var scale = Scale(max ?? bars.Select(b => b.Value).DefaultIfEmpty(0).Max());
        var area = Width - LabelWidth - ValueWidth;
        var height = 8 + bars.Count * RowHeight + 4;
        var svg = Open(title, Width, height);
        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var y = 8 + i * RowHeight;
            var w = Length(bar.Value, scale, area);
            svg.Append($"<text class=\"lab\" x=\"{Coord(LabelWidth - 8)}\" y=\"{Coord(y + 13)}\" text-anchor=\"end\">{H(Clip(bar.Label, 24))}</text>");
            svg.Append($"<rect class=\"{bar.Fill}\" x=\"{Coord(LabelWidth)}\" y=\"{Coord(y)}\" width=\"{Coord(w)}\" height=\"18\"><title>{H(bar.Label)}: {H(bar.ValueText)}</title></rect>");
            svg.Append($"<text class=\"val\" x=\"{Coord(LabelWidth + w + 6)}\" y=\"{Coord(y + 13)}\">{H(bar.ValueText)}</text>\n");
        }
        return Close(svg);
    }

    /// <summary>One horizontal bar per row, split into segments; a legend of the segments on top.</summary>
    public static string StackedBars(string title, IReadOnlyList<Stack> rows, IReadOnlyList<(string Name, string Fill)> legend)
    {
        var scale = Scale(rows.Select(r => r.Segments.Sum(s => Math.Max(0, s.Value))).DefaultIfEmpty(0).Max());
        var area = Width - LabelWidth - ValueWidth;
        const double top = 30;
        var height = top + rows.Count * RowHeight + 4;
        var svg = Open(title, Width, height);
        var x = LabelWidth;
        foreach (var (name, fill) in legend)
        {
            svg.Append($"<rect class=\"{fill}\" x=\"{Coord(x)}\" y=\"6\" width=\"12\" height=\"12\"/><text class=\"lab\" x=\"{Coord(x + 16)}\" y=\"16\">{H(name)}</text>");
            x += 16 + 8 * name.Length + 14;
        }
        svg.Append('\n');
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var y = top + i * RowHeight;
            svg.Append($"<text class=\"lab\" x=\"{Coord(LabelWidth - 8)}\" y=\"{Coord(y + 13)}\" text-anchor=\"end\">{H(Clip(row.Label, 24))}</text>");
            var at = LabelWidth;
            foreach (var segment in row.Segments)
            {
                var w = Length(segment.Value, scale, area);
                if (w <= 0)
                    continue;
                svg.Append($"<rect class=\"{segment.Fill}\" x=\"{Coord(at)}\" y=\"{Coord(y)}\" width=\"{Coord(w)}\" height=\"18\"><title>{H(row.Label)}, {H(segment.Label)}: {H(segment.ValueText)}</title></rect>");
                at += w;
            }
            svg.Append($"<text class=\"val\" x=\"{Coord(at + 6)}\" y=\"{Coord(y + 13)}\">{H(row.TotalText)}</text>\n");
        }
        return Close(svg);
    }

    /// <summary>Vertical columns with their label below and their value above (a histogram when the bars are bands).</summary>
    public static string Columns(string title, IReadOnlyList<Bar> bars)
    {
        const double columnWidth = 64, plot = 150, top = 20;
        var width = Math.Max(320, 20 + bars.Count * columnWidth);
        var height = top + plot + 26;
        var scale = Scale(bars.Select(b => b.Value).DefaultIfEmpty(0).Max());
        var svg = Open(title, width, height);
        svg.Append($"<line class=\"axis\" x1=\"10\" y1=\"{Coord(top + plot)}\" x2=\"{Coord(width - 10)}\" y2=\"{Coord(top + plot)}\"/>\n");
        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var h = Length(bar.Value, scale, plot);
            var x = 20 + i * columnWidth;
            var mid = x + (columnWidth - 12) / 2;
            svg.Append($"<rect class=\"{bar.Fill}\" x=\"{Coord(x)}\" y=\"{Coord(top + plot - h)}\" width=\"{Coord(columnWidth - 12)}\" height=\"{Coord(h)}\"><title>{H(bar.Label)}: {H(bar.ValueText)}</title></rect>");
            svg.Append($"<text class=\"val\" x=\"{Coord(mid)}\" y=\"{Coord(top + plot - h - 4)}\" text-anchor=\"middle\">{H(bar.ValueText)}</text>");
            svg.Append($"<text class=\"lab\" x=\"{Coord(mid)}\" y=\"{Coord(top + plot + 16)}\" text-anchor=\"middle\">{H(Clip(bar.Label, 9))}</text>\n");
        }
        return Close(svg);
    }

    /// <summary>Capacity and demand side by side per month; months over capacity drawn in the "over" fill and marked in text.</summary>
    public static string Utilisation(string title, IReadOnlyList<UtilisationPoint> months)
    {
        const double group = 92, plot = 140, top = 34;
        var width = Math.Max(360, 20 + months.Count * group);
        var height = top + plot + 26;
        var scale = Scale(months.Select(m => Math.Max(m.Demand, m.Capacity)).DefaultIfEmpty(0).Max());
        var svg = Open(title, width, height);
        svg.Append("<rect class=\"f-cap\" x=\"20\" y=\"6\" width=\"12\" height=\"12\"/><text class=\"lab\" x=\"36\" y=\"16\">Capacity</text>");
        svg.Append("<rect class=\"f-demand\" x=\"110\" y=\"6\" width=\"12\" height=\"12\"/><text class=\"lab\" x=\"126\" y=\"16\">Demand</text>");
        svg.Append("<rect class=\"f-over\" x=\"196\" y=\"6\" width=\"12\" height=\"12\"/><text class=\"lab\" x=\"212\" y=\"16\">Demand over capacity</text>\n");
        svg.Append($"<line class=\"axis\" x1=\"10\" y1=\"{Coord(top + plot)}\" x2=\"{Coord(width - 10)}\" y2=\"{Coord(top + plot)}\"/>\n");
        for (var i = 0; i < months.Count; i++)
        {
            var m = months[i];
            var x = 20 + i * group;
            var month = Month(m.Month);
            var hc = Length(m.Capacity, scale, plot - 14);
            var hd = Length(m.Demand, scale, plot - 14);
            svg.Append($"<rect class=\"f-cap\" x=\"{Coord(x)}\" y=\"{Coord(top + plot - hc)}\" width=\"34\" height=\"{Coord(hc)}\"><title>{H(month)} capacity: {H(Hours(m.Capacity))} h</title></rect>");
            svg.Append($"<rect class=\"{(m.Over ? "f-over" : "f-demand")}\" x=\"{Coord(x + 36)}\" y=\"{Coord(top + plot - hd)}\" width=\"34\" height=\"{Coord(hd)}\"><title>{H(month)} demand: {H(Hours(m.Demand))} h ({H(m.RatioText)})</title></rect>");
            var label = m.Over ? "▲ " + m.RatioText : m.RatioText;
            svg.Append($"<text class=\"{(m.Over ? "val over-text" : "val")}\" x=\"{Coord(x + 35)}\" y=\"{Coord(top + plot - Math.Max(hc, hd) - 4)}\" text-anchor=\"middle\">{H(label)}</text>");
            svg.Append($"<text class=\"lab\" x=\"{Coord(x + 35)}\" y=\"{Coord(top + plot + 16)}\" text-anchor=\"middle\">{H(month)}</text>\n");
        }
        return Close(svg);
    }

    private static string Hours(double value) => double.IsFinite(value) ? value.ToString("#,0.#", System.Globalization.CultureInfo.InvariantCulture) : Missing;

    private static StringBuilder Open(string title, double width, double height) =>
        new StringBuilder()
            .Append($"<svg class=\"chart\" viewBox=\"0 0 {Coord(width)} {Coord(height)}\" width=\"{Coord(width)}\" role=\"img\" aria-label=\"{H(title)}\">")
            .Append($"<title>{H(title)}</title>\n");

    private static string Close(StringBuilder svg) => svg.Append("</svg>\n").ToString();

    /// <summary>The largest value, or 1 when there is nothing positive and finite to scale to.</summary>
    private static double Scale(double max) => double.IsFinite(max) && max > 0 ? max : 1;

    /// <summary>A bar's length: 0 for negative or non-finite values, never past the area.</summary>
    private static double Length(double value, double scale, double area) =>
        double.IsFinite(value) && value > 0 ? Math.Min(area, value / scale * area) : 0;
}
