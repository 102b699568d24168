using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using static CrmPlugins.Report.Format;

namespace CrmPlugins.Report;

/// <summary>
/// Renders a <see cref="RiskReport"/> as one self-contained HTML5 page: inline CSS, charts as inline SVG, a small
/// inline script for sorting and filtering (the page reads fully without it), no external reference of any kind.
/// Everything that comes from data is HTML-encoded. The same report always renders to the same text.
/// </summary>
public static class HtmlReport
{
    /// <summary>The sections, in page order, each with what renders it: the one place the order is written.</summary>
    private static readonly (string Id, string Heading, Action<StringBuilder, Data> Render)[] Parts =
    [
        ("summary", "Summary", Summary),
        ("pipeline-by-level", "Pipeline by level", PipelineByLevel),
        ("pipeline-by-manager", "Pipeline by manager", PipelineByManager),
        ("margin-distribution", "Margin distribution", MarginDistribution),
        ("utilisation", "Resource utilisation", Utilisation),
        ("flagged-deals", "Flagged deals", FlaggedDeals),
        ("all-deals", "All deals", AllDeals),
        ("forecast-changes", "Forecast changes", ForecastChanges),
        ("alerts", "Alerts", Alerts),
        ("outcomes", "Outcomes", Outcomes),
        ("indicators", "Leading and trailing indicators", Indicators),
        ("manager-actions", "Manager actions", ManagerActions),
        ("coaching", "Coaching and outcomes", Coaching),
    ];

    /// <summary>The sections, in page order: (id, heading).</summary>
    public static readonly IReadOnlyList<(string Id, string Heading)> Sections = Parts.Select(p => (p.Id, p.Heading)).ToArray();

    /// <summary>The page, as text.</summary>
    public static string Render(RiskReport report) => Build(report).ToString();

    /// <param name="report">What the page shows.</param>
    /// <param name="spill">Where the page goes as it is written (the builder is handed over and emptied every megabyte or
    /// so); without it the whole page stays in the builder returned.</param>
    private static StringBuilder Build(RiskReport report, Action<StringBuilder>? spill = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var data = new Data(report) { Spill = spill };
        var html = new StringBuilder(64 * 1024);
        var title = Or(report.Title, "Deal risk report");

        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append($"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src '{Assets.ScriptHash}'; base-uri 'none'; form-action 'none'\">\n")
            .Append("<meta name=\"generator\" content=\"CrmPlugins.Report\">\n")
            .Append($"<title>{H(title)}</title>\n<style>\n{Assets.Css}\n</style>\n</head>\n<body>\n");

        html.Append($"<header>\n<h1>{H(title)}</h1>\n<p class=\"meta\">Source: {H(Or(report.Source, "not stated"))} · Generated {H(DateTimeUtc(report.GeneratedOnUtc))}</p>\n")
            .Append("<nav aria-label=\"Sections\"><ul>");
        foreach (var (id, heading) in Sections)
            html.Append($"<li><a href=\"#{id}\">{heading}</a></li>");
        html.Append("</ul></nav>\n</header>\n<main>\n");

        foreach (var part in Parts)
        {
            part.Render(html, data);
            data.Spilled(html);
        }

        html.Append("</main>\n<script>").Append(Assets.Script).Append("</script>\n</body>\n</html>\n");
        return html;
    }

    /// <summary>Renders the page and writes it as UTF-8 (no BOM), creating the folder when needed.</summary>
    public static void Write(RiskReport report, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
            Directory.CreateDirectory(folder);
        // Written as it is rendered: the page of 100,000 deals is hundreds of megabytes, which a builder holding all of it
        // would hold twice over (as UTF-16) beside the organization it was read from.
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        void Spill(StringBuilder html)
        {
            foreach (var chunk in html.GetChunks())
                writer.Write(chunk.Span);
            html.Clear();
        }

        Spill(Build(report, Spill));
    }

    private static void Summary(StringBuilder html, Data data)
    {
        Open(html, "summary");
        var deals = data.Deals;
        var flagged = deals.Where(d => Levels.IsFlagged(d.Overall)).ToList();
        var alertsEscalated = data.Alerts.Count(a => a.EscalationLevel > 0);
        html.Append("<div class=\"cards\">\n");
        Card(html, Count(deals.Count), "deals");
        Card(html, $"{Count(deals.Count(d => State(d) == "Open"))} / {Count(deals.Count(d => State(d) == "Won"))} / {Count(deals.Count(d => State(d) == "Lost"))}", "open / won / lost");
        Card(html, Money(Sum(deals.Select(d => d.Revenue ?? 0))), "revenue, all deals");
        Card(html, Count(flagged.Count), "flagged (High or Critical)");
        Card(html, Money(Sum(flagged.Select(d => d.Revenue ?? 0))), "revenue flagged");
        Card(html, Count(data.Alerts.Count), "alerts raised");
        Card(html, Count(alertsEscalated), "alerts escalated");
        html.Append("</div>\n");

        html.Append("<h3>Deals and revenue by overall level</h3>\n");
        var total = Sum(deals.Select(d => d.Revenue ?? 0));
        TableStart(html, "by-level", false, "Overall level", "n:Deals", "n:Revenue", "n:Share of revenue", "n:Without revenue");
        foreach (var level in data.LevelsInOrder)
        {
            var ofLevel = deals.Where(d => Levels.Canon(d.Overall) == level).ToList();
            var revenue = Sum(ofLevel.Select(d => d.Revenue ?? 0));
            html.Append($"<tr data-level=\"{H(level)}\"><td>{Levels.Badge(level)}</td>")
                .Append($"<td class=\"n\">{Count(ofLevel.Count)}</td><td class=\"n\">{Money(revenue)}</td>")
                .Append($"<td class=\"n\">{Ratio(Share(revenue, total))}</td><td class=\"n\">{Count(ofLevel.Count(d => d.Revenue is null))}</td></tr>\n");
        }
        html.Append($"<tr><th>Total</th><td class=\"n\">{Count(deals.Count)}</td><td class=\"n\">{Money(total)}</td><td></td><td class=\"n\">{Count(deals.Count(d => d.Revenue is null))}</td></tr>\n");
        TableEnd(html);
        Close(html);
    }

    private static void PipelineByLevel(StringBuilder html, Data data)
    {
        Open(html, "pipeline-by-level");
        if (data.Deals.Count == 0)
        {
            None(html, "No deals in this report.");
        }
        else
        {
            var counts = new List<Bar>();
            var revenues = new List<Bar>();
            foreach (var level in data.LevelsInOrder)
            {
                var ofLevel = data.Deals.Where(d => Levels.Canon(d.Overall) == level).ToList();
                if (ofLevel.Count == 0 && Levels.Rank(level) >= Levels.Known.Count)
                    continue;
                var revenue = Sum(ofLevel.Select(d => d.Revenue ?? 0));
                counts.Add(new Bar(level, ofLevel.Count, Count(ofLevel.Count), "f-" + Levels.Css(level)));
                revenues.Add(new Bar(level, (double)revenue, Money(revenue), "f-" + Levels.Css(level)));
            }
            html.Append("<div class=\"charts\">\n<figure><figcaption>Deals per overall level</figcaption>\n")
                .Append(Svg.HorizontalBars("Number of deals per overall risk level", counts))
                .Append("</figure>\n<figure><figcaption>Revenue per overall level</figcaption>\n")
                .Append(Svg.HorizontalBars("Revenue per overall risk level", revenues))
                .Append("</figure>\n</div>\n")
                .Append("<p>The figures are also in the summary table above.</p>\n");
        }
        Close(html);
    }

    private static void PipelineByManager(StringBuilder html, Data data)
    {
        Open(html, "pipeline-by-manager");
        if (data.Deals.Count == 0)
        {
            None(html, "No deals in this report.");
            Close(html);
            return;
        }
        var managers = data.Deals.GroupBy(d => Or(d.Manager, "(no manager)"), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var levels = data.LevelsInOrder.Where(l => Levels.Rank(l) < Levels.Known.Count || data.Deals.Any(d => Levels.Canon(d.Overall) == l)).ToList();
        var stacks = managers.Select(g => new Stack(g.Key,
            levels.Select(l => { var n = g.Count(d => Levels.Canon(d.Overall) == l); return new Bar(l, n, Count(n), "f-" + Levels.Css(l)); }).ToList(),
            $"{Count(g.Count())} deals")).ToList();
        html.Append("<figure><figcaption>Deals per manager, by overall level</figcaption>\n")
            .Append(Svg.StackedBars("Deals per manager, stacked by overall risk level", stacks, levels.Select(l => (l, "f-" + Levels.Css(l))).ToList()))
            .Append("</figure>\n");
        TableStart(html, "by-manager", true, ["Manager", .. levels.Select(l => "n:" + l), "n:Total", "n:Revenue", "n:Flagged revenue"]);
        foreach (var g in managers)
        {
            html.Append($"<tr><td>{H(g.Key)}</td>");
            foreach (var l in levels)
                html.Append($"<td class=\"n\">{Count(g.Count(d => Levels.Canon(d.Overall) == l))}</td>");
            var revenue = Sum(g.Select(d => d.Revenue ?? 0));
            var flagged = Sum(g.Where(d => Levels.IsFlagged(d.Overall)).Select(d => d.Revenue ?? 0));
            html.Append($"<td class=\"n\">{Count(g.Count())}</td><td class=\"n\" data-num=\"{Key(revenue)}\">{Money(revenue)}</td><td class=\"n\" data-num=\"{Key(flagged)}\">{Money(flagged)}</td></tr>\n");
        }
        TableEnd(html);
        Close(html);
    }

    /// <summary>The margin bands of the histogram: (label, lower bound inclusive, upper bound exclusive).</summary>
    private static readonly (string Label, decimal? From, decimal? To)[] MarginBands =
    [
        ("< 0%", null, 0m), ("0–10%", 0m, 10m), ("10–20%", 10m, 20m), ("20–30%", 20m, 30m), ("30–40%", 30m, 40m), ("≥ 40%", 40m, null),
    ];

    private static void MarginDistribution(StringBuilder html, Data data)
    {
        Open(html, "margin-distribution");
        if (data.Deals.Count == 0)
        {
            None(html, "No deals in this report.");
            Close(html);
            return;
        }
        var bars = MarginBands.Select(b =>
        {
            var n = data.Deals.Count(d => d.MarginPercent is { } m && (b.From is null || m >= b.From) && (b.To is null || m < b.To));
            return new Bar(b.Label, n, Count(n), "f-bar");
        }).ToList();
        var unknown = data.Deals.Count(d => d.MarginPercent is null);
        bars.Add(new Bar("Unknown", unknown, Count(unknown), "f-unknown"));
        var known = data.Deals.Where(d => d.MarginPercent is not null).Select(d => d.MarginPercent!.Value).OrderBy(m => m).ToList();
        html.Append("<figure><figcaption>Deals per margin band (margin unknown counted separately)</figcaption>\n")
            .Append(Svg.Columns("Histogram of deals per margin % band, with deals of unknown margin counted separately", bars))
            .Append("</figure>\n");
        html.Append($"<p>{Count(known.Count)} deals with a known margin");
        if (known.Count > 0)
            html.Append($", median {Percent(Median(known))}, lowest {Percent(known[0])}, highest {Percent(known[^1])}");
        html.Append($"; {Count(unknown)} with margin unknown.</p>\n");
        TableStart(html, "margin-bands", false, "Margin band", "n:Deals");
        foreach (var bar in bars)
            html.Append($"<tr><td>{H(bar.Label)}</td><td class=\"n\">{bar.ValueText}</td></tr>\n");
        TableEnd(html);
        Close(html);
    }

    private static void Utilisation(StringBuilder html, Data data)
    {
        Open(html, "utilisation");
        if (data.Utilisation.Count == 0)
        {
            None(html, "No utilisation data in this report.");
            Close(html);
            return;
        }
        var roles = data.Utilisation.GroupBy(u => Or(u.Role, "(no role)"), StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var overall = new List<string>();
        var perRole = new List<(string Role, List<UtilisationPoint> Months)>();
        foreach (var role in roles)
        {
            var months = role.GroupBy(u => new DateTime(u.Month.Year, u.Month.Month, 1)).OrderBy(g => g.Key).Select(g =>
            {
                var demand = Sum(g.Select(u => u.DemandHours));
                var capacity = Sum(g.Select(u => u.CapacityHours));
                double? ratio = capacity > 0 ? (double)demand / (double)capacity : null;
                var over = ratio is { } r ? r > 1 : demand > 0;
                var text = ratio is null ? (demand > 0 ? "no capacity" : Missing) : Ratio(ratio);
                return new UtilisationPoint(g.Key, (double)demand, (double)capacity, over, text);
            }).ToList();
            overall.AddRange(months.Where(m => m.Over).Select(m => $"{role.Key} in {Month(m.Month)} ({m.RatioText})"));
            perRole.Add((role.Key, months));
        }
        html.Append(overall.Count == 0
            ? "<p>No role is over capacity in any month.</p>\n"
            : $"<p><span class=\"flag-over\">Over capacity:</span> {H(string.Join("; ", overall))}.</p>\n");
        foreach (var (role, months) in perRole)
        {
            html.Append($"<h3>{H(role)}</h3>\n<div class=\"charts\"><figure>\n")
                .Append(Svg.Utilisation($"{role}: demand against capacity per month", months))
                .Append("</figure>\n<div class=\"table-wrap\"><table class=\"utilisation\">\n<thead><tr><th>Month</th><th class=\"n\">Demand (h)</th><th class=\"n\">Capacity (h)</th><th class=\"n\">Utilisation</th><th>Status</th></tr></thead>\n<tbody>\n");
            foreach (var m in months)
            {
                html.Append(m.Over ? "<tr class=\"over\">" : "<tr>")
                    .Append($"<td>{H(Month(m.Month))}</td><td class=\"n\">{H(HoursText(m.Demand))}</td><td class=\"n\">{H(HoursText(m.Capacity))}</td><td class=\"n\">{H(m.RatioText)}</td>")
                    .Append(m.Over ? "<td class=\"flag-over\">▲ Over capacity</td>" : "<td>Within capacity</td>")
                    .Append("</tr>\n");
            }
            html.Append("</tbody>\n</table></div>\n</div>\n");
        }
        Close(html);
    }

    private static void FlaggedDeals(StringBuilder html, Data data)
    {
        Open(html, "flagged-deals");
        var flagged = data.Deals.Where(d => Levels.IsFlagged(d.Overall)).OrderBy(d => Levels.Rank(d.Overall)).ThenByDescending(d => d.Score).ThenBy(d => d.Name, StringComparer.Ordinal).ToList();
        html.Append("<p>Deals whose overall level is High or Critical, with every reason found and what clears it.</p>\n");
        if (flagged.Count == 0)
        {
            None(html, "No deal is flagged High or Critical.");
            Close(html);
            return;
        }
        TableStart(html, "flagged", true, "Deal", "Overall", "n:Score", "Owner", "Manager", "Approved", "State", "Close", "n:Revenue", "Reasons");
        foreach (var d in flagged)
        {
            DealRowStart(html, d);
            // data-label: on a phone the header row is hidden and each row reads as a card, every value with its label.
            html.Append($"<td class=\"deal\">{H(Or(d.Name, "(no name)"))}</td><td>{Levels.Badge(d.Overall)}</td><td class=\"n\" data-label=\"Score\">{Count(d.Score)}</td>")
                .Append($"<td data-label=\"Owner\">{H(d.Owner)}</td><td data-label=\"Manager\">{H(d.Manager)}</td><td data-label=\"Approved\">{(d.Approved ? "Yes" : "No")}</td><td data-label=\"State\">{H(State(d))}</td>")
                .Append($"<td data-label=\"Close\" data-num=\"{Key(d.EstimatedClose)}\">{Date(d.EstimatedClose)}</td><td class=\"n\" data-label=\"Revenue\" data-num=\"{Key(d.Revenue)}\">{Money(d.Revenue)}</td><td class=\"why\">");
            var reasons = Reasons(d);
            if (reasons.Count == 0)
                html.Append("<span class=\"none\">No reason recorded.</span>");
            else
                html.Append("<ul class=\"reasons\">").Append(string.Concat(reasons.Select(r => $"<li>{H(r)}</li>"))).Append("</ul>");
            var fixes = (d.Fixes ?? []).Where(f => !string.IsNullOrWhiteSpace(f)).ToList();
            if (fixes.Count > 0)
                html.Append("<p class=\"fixes-label\">To clear it:</p><ul class=\"fixes\">").Append(string.Concat(fixes.Select(f => $"<li>{H(f)}</li>"))).Append("</ul>");
            html.Append("</td></tr>\n");
            data.Spilled(html);
        }
        TableEnd(html);
        Close(html);
    }

    private static void AllDeals(StringBuilder html, Data data)
    {
        Open(html, "all-deals");
        if (data.Deals.Count == 0)
        {
            None(html, "No deals in this report.");
            Close(html);
            return;
        }
        var deals = data.Deals.OrderBy(d => Levels.Rank(d.Overall)).ThenByDescending(d => d.Score).ThenBy(d => d.Name, StringComparer.Ordinal).ToList();
        // One column per check, in the order the deals list them (a check only some deals carry shows "Unknown" elsewhere).
        var checks = deals.SelectMany(d => ChecksOf(d).Select(c => c.Check)).Distinct(StringComparer.Ordinal).ToList();
        TableStart(html, "deals", true, ["Deal", "Owner", "Manager", "State", "Close", "n:Revenue", "n:Margin %", "Overall", .. checks, "n:Score", "Top reason"]);
        foreach (var d in deals)
        {
            DealRowStart(html, d);
            var reasons = Reasons(d);
            html.Append($"<td>{H(Or(d.Name, "(no name)"))}</td><td>{H(d.Owner)}</td><td>{H(d.Manager)}</td><td>{H(State(d))}</td>")
                .Append($"<td data-num=\"{Key(d.EstimatedClose)}\">{Date(d.EstimatedClose)}</td>")
                .Append($"<td class=\"n\" data-num=\"{Key(d.Revenue)}\">{Money(d.Revenue)}</td><td class=\"n\" data-num=\"{Key(d.MarginPercent)}\">{Percent(d.MarginPercent)}</td>")
                .Append($"<td data-num=\"{Levels.Rank(d.Overall)}\">{Levels.Badge(d.Overall)}</td>");
            foreach (var check in checks)
            {
                var row = ChecksOf(d).FirstOrDefault(c => c.Check == check);
                var level = row == null ? "Unknown" : row.Level;
                html.Append($"<td data-num=\"{Levels.Rank(level)}\">{Levels.Badge(level)}</td>");
            }
            html.Append($"<td class=\"n\">{Count(d.Score)}</td>")
                .Append($"<td>{(reasons.Count == 0 ? Missing : H(reasons[0]))}</td></tr>\n");
            data.Spilled(html);
        }
        TableEnd(html);
        Close(html);
    }

    private static void ForecastChanges(StringBuilder html, Data data)
    {
        Open(html, "forecast-changes");
        if (data.ForecastChanges.Count == 0)
        {
            None(html, "No forecast changes in this period.");
            Close(html);
            return;
        }
        TableStart(html, "forecast", true, "When", "Deal", "Owner", "Change", "Detail");
        foreach (var c in data.ForecastChanges.OrderByDescending(c => c.OnUtc))
        {
            html.Append($"<tr><td data-num=\"{Key(c.OnUtc)}\">{H(DateTimeUtc(c.OnUtc))}</td><td>{H(c.Deal)}</td><td>{H(c.Owner)}</td><td>{H(c.Kind)}</td><td>{H(c.Detail)}</td></tr>\n");
            data.Spilled(html);
        }

        TableEnd(html);
        Close(html);
    }

    private static void Alerts(StringBuilder html, Data data)
    {
        Open(html, "alerts");
        if (data.Alerts.Count == 0)
        {
            None(html, "No alerts raised.");
            Close(html);
            return;
        }
        var byStatus = data.Alerts.GroupBy(a => Or(a.Status, "(no status)"), StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{Count(g.Count())} {g.Key}");
        html.Append($"<p>{Count(data.Alerts.Count)} alerts: {H(string.Join(", ", byStatus))}.</p>\n");
        TableStart(html, "alert-list", true, "Raised", "Deal", "Recipient", "Level", "Status", "n:Escalation", "Resolution");
        foreach (var a in data.Alerts.OrderByDescending(a => a.RaisedOnUtc))
        {
            html.Append($"<tr data-level=\"{H(Levels.Canon(a.Level))}\"><td data-num=\"{Key(a.RaisedOnUtc)}\">{H(DateTimeUtc(a.RaisedOnUtc))}</td><td>{H(a.Deal)}</td><td>{H(a.Recipient)}</td>")
                .Append($"<td data-num=\"{Levels.Rank(a.Level)}\">{Levels.Badge(a.Level)}</td><td>{H(a.Status)}</td><td class=\"n\">{Count(a.EscalationLevel)}</td><td>{(string.IsNullOrWhiteSpace(a.Resolution) ? Missing : H(a.Resolution))}</td></tr>\n");
            data.Spilled(html);
        }

        TableEnd(html);
        Close(html);
    }

    private static void Outcomes(StringBuilder html, Data data)
    {
        Open(html, "outcomes");
        var closedInRows = data.FindingOutcomes.Sum(f => (long)f.Won + f.Lost) + data.ThresholdBands.Sum(b => (long)b.Won + b.Lost);
        if (closedInRows <= 0 && data.Outcomes is not { Closed: > 0 })
        {
            html.Append("<p class=\"none\">There are no closed deals yet, so no outcome can be measured: which findings preceded lost deals, and whether thresholds separate won from lost, shows once deals are won or lost.</p>\n");
            Close(html);
            return;
        }

        if (data.Outcomes is { Closed: > 0 } o)
        {
            html.Append("<div class=\"cards\">\n");
            Card(html, $"{Count(o.Won)} of {Count(o.Closed)}", $"won ({Ratio((double)o.Won / o.Closed)}), {H(Or(o.Period, ""))}");
            Card(html, Money(o.WonRevenue), "revenue won");
            Card(html, Money(o.LostValue), $"value lost ({Count(o.Lost)} deals)");
            Card(html, Percent(o.RealisedMarginPercent), "realised margin of won deals");
            html.Append("</div>\n");
            if (o.ClosedWithoutHistory > 0)
                html.Append($"<p>{Count(o.ClosedWithoutHistory)} of the closed deals have no risk history (closed before the suite was installed): they are counted, under \"No history\".</p>\n");
            if (o.Reopened > 0)
                html.Append($"<p>{Count(o.Reopened)} deal(s) were reopened after a close: their latest close counts.</p>\n");
        }
        else
        {
            var won = data.Deals.Count(d => State(d) == "Won");
            var lost = data.Deals.Count(d => State(d) == "Lost");
            if (won + lost > 0)
                html.Append($"<p>Of the {Count(won + lost)} closed deals in this report, {Count(lost)} were lost ({Ratio(LossRate(won, lost))}): compare each loss rate below with that.</p>\n");
        }

        html.Append($"<p>Every figure shows its count; a group of fewer than {FindingOutcomeRow.SmallSample} deals is marked <em>small sample</em> and makes no claim.</p>\n");
        if (data.FindingOutcomes.Count == 0)
        {
            None(html, "No finding outcomes recorded.");
        }

        foreach (var dimension in data.FindingOutcomes.GroupBy(f => Or(f.Dimension, "Finding"), StringComparer.Ordinal))
        {
            var rows = dimension.Key == "Finding"
                ? dimension.OrderByDescending(f => LossRate(f.Won, f.Lost) ?? -1).ThenBy(f => f.Finding, StringComparer.Ordinal).ToList()
                : dimension.ToList();
            var heading = dimension.Key == "Finding" ? "Findings that preceded the outcome" : $"By {dimension.Key.ToLowerInvariant()}";
            html.Append($"<h3>{H(heading)}</h3>\n<figure><figcaption>Loss rate, {H(dimension.Key.ToLowerInvariant())}</figcaption>\n")
                .Append(Svg.HorizontalBars($"Loss rate of closed deals, {dimension.Key.ToLowerInvariant()}", rows.Select(f => LossBar(Or(f.Finding, "(no finding)"), f.Won, f.Lost)).ToList(), 1))
                .Append("</figure>\n");
            TableStart(html, "finding-outcomes", true, dimension.Key == "Finding" ? "Finding" : dimension.Key, "n:Closed", "n:Won", "n:Lost", "n:Loss rate", "n:Value lost", "n:Realised margin", "Sample");
            foreach (var f in rows)
                OutcomeCells(html, $"<td>{H(Or(f.Finding, "(no finding)"))}</td>", f.Won, f.Lost,
                    $"<td class=\"n\" data-num=\"{Key(f.LostValue)}\">{Money(f.LostValue)}</td><td class=\"n\" data-num=\"{Key(f.RealisedMarginPercent)}\">{Percent(f.RealisedMarginPercent)}</td><td>{(f.IsSmallSample ? "small sample" : "")}</td>");
            TableEnd(html);
        }

        html.Append("<h3>Thresholds: closed deals per band of a measure</h3>\n<p>A threshold separates good deals from bad when the loss rate changes sharply between the bands either side of it.</p>\n");
        if (data.ThresholdBands.Count == 0)
        {
            None(html, "No threshold bands recorded.");
        }
        else
        {
            foreach (var measure in data.ThresholdBands.GroupBy(b => Or(b.Measure, "(no measure)"), StringComparer.Ordinal))
            {
                var bands = measure.ToList();
                var current = bands.Select(b => b.Current).FirstOrDefault(c => c != null);
                html.Append($"<h3>{H(measure.Key)}{(current is decimal c ? $" (now {Percent(c)})" : "")}</h3>\n<figure>\n")
                    .Append(Svg.HorizontalBars($"Loss rate per band of {measure.Key}", bands.Select(b => LossBar(Or(b.Band, "(no band)"), b.Won, b.Lost)).ToList(), 1))
                    .Append("</figure>\n");
                TableStart(html, "threshold-bands", false, "Band", "n:Closed", "n:Won", "n:Lost", "n:Loss rate", "n:Realised margin", "Sample");
                foreach (var b in bands)
                    OutcomeCells(html, $"<td>{H(Or(b.Band, "(no band)"))}</td>", b.Won, b.Lost,
                        $"<td class=\"n\" data-num=\"{Key(b.RealisedMarginPercent)}\">{Percent(b.RealisedMarginPercent)}</td><td>{(b.IsSmallSample ? "small sample" : "")}</td>");
                TableEnd(html);
            }
        }

        if (data.Suggestions.Count > 0)
        {
            html.Append("<h3>Suggestions — the policy is never changed by the suite</h3>\n<ul class=\"suggestions\">\n");
            foreach (var suggestion in data.Suggestions)
                html.Append($"<li><strong>{H(Or(suggestion.Threshold, "threshold"))}</strong> (now {Percent(suggestion.Current)}): {H(suggestion.Suggestion)}</li>\n");
            html.Append("</ul>\n");
        }

        Close(html);
    }

    private static void Coaching(StringBuilder html, Data data)
    {
        Open(html, "coaching");
        if (data.Coaching.Count == 0)
        {
            None(html, "No coaching recorded and no closed deals to set it beside.");
            Close(html);
            return;
        }

        html.Append("<p>Coaching sessions, pre-briefs, debriefs and deal reviews recorded as activities in Dynamics (by hand, or by answering an alert " +
            "\"Coached the rep\" or \"Held a deal review\"), per quarter, beside the deals of the same people that closed in that quarter. " +
            "The figures sit side by side and show no cause: reps who struggle may be coached more, a quarter holds few deals per person, " +
            "and coaching nobody recorded is not here. Hours count the sessions recorded with a duration; the others are counted apart. " +
            $"A row with fewer than {FindingOutcomeRow.SmallSample} closed deals is marked <em>small sample</em> and makes no claim.</p>\n");
        foreach (var role in new[] { ("Manager", "Managers: coaching held, and their reps' deals"), ("Rep", "Reps: coaching received, and their own deals") })
        {
            var rows = data.Coaching.Where(c => string.Equals(c.Role, role.Item1, StringComparison.Ordinal)).ToList();
            html.Append($"<h3>{H(role.Item2)}</h3>\n");
            if (rows.Count == 0)
            {
                None(html, "none");
                continue;
            }

            TableStart(html, "coaching-" + role.Item1.ToLowerInvariant(), true, role.Item1, "Quarter", "n:Sessions", "n:Hours", "n:No duration", "n:Pre-briefs", "n:Debriefs", "n:Deal reviews",
                "n:Closed", "n:Won", "n:Win rate", "n:Value lost", "n:Slipped", "Sample");
            foreach (var c in rows)
            {
                var rate = c.Closed > 0 ? (double)c.Won / c.Closed : (double?)null;
                html.Append($"<tr><td>{H(Or(c.Person, "(unknown)"))}</td><td>{H(c.Quarter)}</td><td class=\"n\">{Count(c.Sessions)}</td>")
                    .Append($"<td class=\"n\" data-num=\"{Key(c.Hours)}\">{c.Hours.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)}</td><td class=\"n\">{Count(c.SessionsWithoutDuration)}</td>")
                    .Append($"<td class=\"n\">{Count(c.PreBriefs)}</td><td class=\"n\">{Count(c.Debriefs)}</td><td class=\"n\">{Count(c.DealReviews)}</td>")
                    .Append($"<td class=\"n\">{Count(c.Closed)}</td><td class=\"n\">{Count(c.Won)}</td><td class=\"n\" data-num=\"{Key(rate)}\">{Ratio(rate)}</td>")
                    .Append($"<td class=\"n\" data-num=\"{Key(c.LostValue)}\">{Money(c.LostValue)}</td><td class=\"n\">{Count(c.Slipped)} of {Count(c.Closed)} ({Count(c.Slips)} slips)</td>")
                    .Append($"<td>{(c.IsSmallSample ? "small sample" : "")}</td></tr>\n");
            }

            TableEnd(html);
        }

        Close(html);
    }

    private static void Indicators(StringBuilder html, Data data)
    {
        Open(html, "indicators");
        if (data.Indicators.Count == 0)
        {
            None(html, "none");
            Close(html);
            return;
        }

        // Leading and Trailing side by side, each saying "none" when it has no row; a row of any other kind is shown
        // under "Other" (never dropped).
        var kinds = new List<string> { "Leading", "Trailing" };
        if (data.Indicators.Any(i => !IsKind(i, "Leading") && !IsKind(i, "Trailing")))
            kinds.Add("Other");
        html.Append("<div class=\"indicators\" style=\"display:flex;gap:2rem;flex-wrap:wrap\">\n");
        foreach (var kind in kinds)
        {
            var rows = kind == "Other"
                ? data.Indicators.Where(i => !IsKind(i, "Leading") && !IsKind(i, "Trailing")).ToList()
                : data.Indicators.Where(i => IsKind(i, kind)).ToList();
            var note = kind switch { "Leading" => " (now)", "Trailing" => " (what closed)", _ => "" };
            html.Append($"<div class=\"indicator-column\" data-kind=\"{kind.ToLowerInvariant()}\"><h3>{kind}{note}</h3>\n");
            if (rows.Count == 0)
            {
                None(html, "none");
            }
            else
            {
                TableStart(html, "indicator-" + kind.ToLowerInvariant(), false, kind == "Other" ? new[] { "Kind", "Indicator", "Value" } : new[] { "Indicator", "Value" });
                foreach (var row in rows)
                    html.Append($"<tr>{(kind == "Other" ? $"<td>{H(Or(row.Kind, "(no kind)"))}</td>" : "")}<td>{H(row.Indicator)}</td><td>{H(row.Value)}</td></tr>\n");
                TableEnd(html);
            }

            html.Append("</div>\n");
        }

        html.Append("</div>\n");
        Close(html);

        static bool IsKind(IndicatorRow row, string kind) => string.Equals(row.Kind?.Trim(), kind, StringComparison.OrdinalIgnoreCase);
    }

    private static void ManagerActions(StringBuilder html, Data data)
    {
        Open(html, "manager-actions");
        if (data.ManagerActions.Count == 0)
        {
            None(html, "No manager actions recorded.");
            Close(html);
            return;
        }
        TableStart(html, "manager-action-list", true, "Manager", "n:Received", "n:Acknowledged", "n:Resolved", "n:Escalated", "n:Acknowledged %", "n:Median hours to acknowledge",
            "Responses", "Acted on: won / lost", "Ignored: won / lost");
        foreach (var m in data.ManagerActions.OrderBy(m => m.Manager, StringComparer.Ordinal))
        {
            double? ackRate = m.Received > 0 ? (double)m.Acknowledged / m.Received : null;
            var responses = m.ActionsByKind is { Count: > 0 } kinds ? string.Join(", ", kinds.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key} {Count(k.Value)}")) : "";
            html.Append($"<tr><td>{H(Or(m.Manager, "(no manager)"))}{(m.LeftCompany ? " <em>(left the company)</em>" : "")}</td><td class=\"n\">{Count(m.Received)}</td><td class=\"n\">{Count(m.Acknowledged)}</td>")
                .Append($"<td class=\"n\">{Count(m.Resolved)}</td><td class=\"n\">{Count(m.Escalated)}</td><td class=\"n\" data-num=\"{Key(ackRate)}\">{Ratio(ackRate)}</td>")
                .Append($"<td class=\"n\" data-num=\"{Key(m.MedianHoursToAcknowledge)}\">{Hours(m.MedianHoursToAcknowledge)}</td>")
                .Append($"<td>{H(responses)}</td><td>{Count(m.ActedOnWon)} / {Count(m.ActedOnLost)}</td><td>{Count(m.IgnoredWon)} / {Count(m.IgnoredLost)}</td></tr>\n");
        }
        TableEnd(html);
        Close(html);
    }

    // ---- helpers ----

    private static void Open(StringBuilder html, string id)
    {
        var heading = Sections.First(s => s.Id == id).Heading;
        html.Append($"<section id=\"{id}\" aria-labelledby=\"{id}-h\">\n<h2 id=\"{id}-h\">{heading}</h2>\n");
    }

    private static void Close(StringBuilder html) => html.Append("</section>\n");

    private static void None(StringBuilder html, string text) => html.Append($"<p class=\"none\">{H(text)}</p>\n");

    private static void Card(StringBuilder html, string number, string what) =>
        html.Append($"<div class=\"card\"><span class=\"num\">{H(number)}</span><span class=\"what\">{H(what)}</span></div>\n");

    /// <summary>Starts a table; a column name starting "n:" is numeric (right-aligned).</summary>
    private static void TableStart(StringBuilder html, string css, bool sortable, params string[] columns)
    {
        var filter = css is "deals" or "flagged" ? " data-filter=\"\"" : "";
        html.Append($"<div class=\"table-wrap\"><table class=\"{css}{(sortable ? " sortable" : "")}\"{filter}>\n<thead><tr>");
        foreach (var column in columns)
            html.Append(column.StartsWith("n:", StringComparison.Ordinal) ? $"<th class=\"n\">{H(column[2..])}</th>" : $"<th>{H(column)}</th>");
        html.Append("</tr></thead>\n<tbody>\n");
    }

    private static void TableEnd(StringBuilder html) => html.Append("</tbody>\n</table></div>\n");

    private static IEnumerable<CheckLevelRow> ChecksOf(DealRow d) => (d.Checks ?? []).Where(c => c != null);

    private static void DealRowStart(StringBuilder html, DealRow d) =>
        html.Append($"<tr data-deal-id=\"{d.Id:D}\" data-level=\"{H(Levels.Canon(d.Overall))}\">");

    private static void OutcomeCells(StringBuilder html, string first, int won, int lost, string more = "") =>
        html.Append($"<tr>{first}<td class=\"n\">{Count((long)won + lost)}</td><td class=\"n\">{Count(won)}</td><td class=\"n\">{Count(lost)}</td>")
            .Append($"<td class=\"n\" data-num=\"{Key(LossRate(won, lost))}\">{Ratio(LossRate(won, lost))}</td>{more}</tr>\n");

    private static Bar LossBar(string label, int won, int lost)
    {
        var rate = LossRate(won, lost);
        return new Bar(label, rate ?? 0, $"{Ratio(rate)} of {Count((long)won + lost)}", "f-loss");
    }

    private static double? LossRate(long won, long lost) => won + lost > 0 ? (double)lost / (won + lost) : null;

    private static double? Share(decimal part, decimal total) => total > 0 ? (double)part / (double)total : null;

    private static decimal Median(IReadOnlyList<decimal> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : sorted[sorted.Count / 2 - 1] / 2 + sorted[sorted.Count / 2] / 2;

    private static string HoursText(double hours) =>
        double.IsFinite(hours) ? hours.ToString("#,0.#", System.Globalization.CultureInfo.InvariantCulture) : Missing;

    private static string State(DealRow d) =>
        string.IsNullOrWhiteSpace(d.State) ? "Open"
        : d.State.Trim() switch
        {
            var s when s.Equals("Won", StringComparison.OrdinalIgnoreCase) => "Won",
            var s when s.Equals("Lost", StringComparison.OrdinalIgnoreCase) => "Lost",
            var s when s.Equals("Open", StringComparison.OrdinalIgnoreCase) => "Open",
            var s => s,
        };

    private static IReadOnlyList<string> Reasons(DealRow d) =>
        (d.Reasons ?? []).Where(r => !string.IsNullOrWhiteSpace(r)).ToList();

    /// <summary>The report's lists with nulls (list or element) taken out, so the sections need no null checks.</summary>
    private sealed class Data(RiskReport report)
    {
        /// <summary>Where the page goes as it is written (null: it stays in the builder).</summary>
        public Action<StringBuilder>? Spill { get; init; }

        /// <summary>Hands the page written so far to <see cref="Spill"/> once it is past a megabyte: called between rows.</summary>
        public void Spilled(StringBuilder html)
        {
            if (Spill != null && html.Length >= 1 << 20) Spill(html);
        }

        public IReadOnlyList<DealRow> Deals { get; } = Clean(report.Deals);
        public IReadOnlyList<AlertRow> Alerts { get; } = Clean(report.Alerts);
        public IReadOnlyList<ForecastChangeRow> ForecastChanges { get; } = Clean(report.ForecastChanges);
        public IReadOnlyList<UtilisationRow> Utilisation { get; } = Clean(report.Utilisation);
        public IReadOnlyList<FindingOutcomeRow> FindingOutcomes { get; } = Clean(report.FindingOutcomes);
        public IReadOnlyList<ThresholdBandRow> ThresholdBands { get; } = Clean(report.ThresholdBands);
        public IReadOnlyList<ManagerActionRow> ManagerActions { get; } = Clean(report.ManagerActions);
        public OutcomeSummary? Outcomes { get; } = report.Outcomes;
        public IReadOnlyList<ThresholdSuggestion> Suggestions { get; } = Clean(report.Suggestions);
        public IReadOnlyList<IndicatorRow> Indicators { get; } = Clean(report.Indicators);
        public IReadOnlyList<CoachingRow> Coaching { get; } = Clean(report.Coaching);
        public IReadOnlyList<string> LevelsInOrder => levels ??= Levels.InOrder(Deals.Select(d => d.Overall));
        private IReadOnlyList<string>? levels;

        private static IReadOnlyList<T> Clean<T>(IReadOnlyList<T>? rows) where T : class =>
            rows is null ? [] : rows.Where(r => r is not null).ToList();
    }
}
