using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace CrmPlugins.Report.Tests;

/// <summary>The sample quarter's outcome analysis (<see cref="SampleReports.QuarterWithOutcomes"/>) as the page shows it.</summary>
public class OutcomeSampleTests
{
    private static readonly string Page = HtmlReport.Render(SampleReports.QuarterWithOutcomes());

    [Test]
    public void WinRate_IsShownWithItsCount_AndTheDealsWithNoHistoryAndReopened()
    {
        var outcomes = Section(Page, "outcomes");

        Assert.That(outcomes, Does.Contain("<span class=\"num\">7 of 12</span><span class=\"what\">won (58.3%), 2024-04-01 to 2025-03-31</span>"));
        Assert.That(outcomes, Does.Contain("1,215,000").And.Contain("(5 deals)").And.Contain("26.4%"));
        Assert.That(outcomes, Does.Contain("2 of the closed deals have no risk history (closed before the suite was installed)"));
        Assert.That(outcomes, Does.Contain("1 deal(s) were reopened"));
    }

    [Test]
    public void EveryOutcomeRow_IsMarkedSmallSample_ExactlyWhenItHasFewerThanFiveDeals()
    {
        var outcomes = Section(Page, "outcomes");
        var rows = Regex.Matches(outcomes, @"<tr><td>(?<label>[^<]*)</td><td class=""n"">(?<deals>\d+)</td>.*?</tr>")
            .Select(m => (Label: m.Groups["label"].Value, Deals: int.Parse(m.Groups["deals"].Value, System.Globalization.CultureInfo.InvariantCulture), Row: m.Value))
            .ToList();

        var report = SampleReports.QuarterWithOutcomes();
        Assert.That(rows, Has.Count.EqualTo(report.FindingOutcomes.Count + report.ThresholdBands.Count), "one row per finding group and per band, the deal count in each");
        Assert.Multiple(() =>
        {
            foreach (var (label, deals, row) in rows)
                Assert.That(row.Contains("<td>small sample</td>", StringComparison.Ordinal), Is.EqualTo(deals < FindingOutcomeRow.SmallSample), $"{label}: {deals} deals");
        });
        Assert.That(rows.Count(r => r.Deals < FindingOutcomeRow.SmallSample), Is.GreaterThan(0).And.LessThan(rows.Count), "the sample has both");
        Assert.That(outcomes, Does.Contain("makes no claim"));
    }

    [Test]
    public void Outcomes_GroupByRiskAtCloseAndByFinding_WithLostValueAndRealisedMargin()
    {
        var outcomes = Section(Page, "outcomes");

        var byRisk = outcomes.IndexOf("<h3>By overall risk at close</h3>", StringComparison.Ordinal);
        var byFinding = outcomes.IndexOf("<h3>Findings that preceded the outcome</h3>", StringComparison.Ordinal);
        Assert.That(byRisk, Is.GreaterThan(0));
        Assert.That(byFinding, Is.GreaterThan(byRisk));
        Assert.That(outcomes, Does.Contain("<tr><td>Low</td><td class=\"n\">6</td><td class=\"n\">5</td><td class=\"n\">1</td><td class=\"n\" data-num=\"0.16666666666666666\">16.7%</td>"));
        Assert.That(outcomes, Does.Contain("<td>Critical</td><td class=\"n\">1</td><td class=\"n\">0</td><td class=\"n\">1</td>"));
        Assert.That(outcomes, Does.Contain(">640,000<").And.Contain(">31.2%<"));
        Assert.That(Regex.Matches(outcomes, "<svg class=\"chart\""), Has.Count.EqualTo(4), "bars per dimension and per measure");
    }

    [Test]
    public void Thresholds_ShowTheCurrentValue_AndTheSuggestionsSayThePolicyIsNeverChanged()
    {
        var outcomes = Section(Page, "outcomes");

        Assert.That(outcomes, Does.Contain("Margin % at close vs margin critical floor (now 10.0%)"));
        Assert.That(outcomes, Does.Contain("Peak utilisation vs capacity limit (now 100.0%)"));
        Assert.That(outcomes, Does.Contain("<h3>Suggestions — the policy is never changed by the suite</h3>"));
        Assert.That(outcomes, Does.Contain("<li><strong>margin critical floor</strong> (now 10.0%): Keep it: all 3 deals closed at margin &lt; 10% were lost"));
        Assert.That(outcomes.IndexOf("Suggestions —", StringComparison.Ordinal), Is.GreaterThan(outcomes.IndexOf("Thresholds:", StringComparison.Ordinal)));
    }

    [Test]
    public void HostileSuggestionIndicatorAndManager_AreText()
    {
        var html = HtmlReport.Render(SampleReports.WithHostileDeals());

        Assert.That(Section(html, "outcomes"), Does.Contain("<strong>&lt;b&gt;floor&lt;/b&gt;</strong> (now 1.0%): &lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;"));
        Assert.That(Section(html, "indicators"), Does.Contain("<td>&lt;script&gt;window.__pwned=3&lt;/script&gt;</td><td>&lt;i&gt;1&lt;/i&gt;</td>"));
        Assert.That(Section(html, "manager-actions"), Does.Contain("<td>&lt;svg onload=&quot;window.__pwned=4&quot;&gt; <em>(left the company)</em></td>")
            .And.Contain("<td>&lt;u&gt;kind&lt;/u&gt; 1</td>"));
        Assert.That(html, Does.Not.Contain("<b>floor").And.Not.Contain("<script>window").And.Not.Contain("<svg onload").And.Not.Contain("<u>kind"));
    }

    [Test]
    public void Indicators_ComeRightAfterOutcomes_InTheSectionsTheNavAndThePage()
    {
        var ids = HtmlReport.Sections.Select(s => s.Id).ToList();
        Assert.That(ids.IndexOf("indicators"), Is.EqualTo(ids.IndexOf("outcomes") + 1));
        Assert.That(HtmlReport.Sections[ids.IndexOf("indicators")].Heading, Is.EqualTo("Leading and trailing indicators"));

        var nav = Regex.Matches(Page, "<li><a href=\"#([a-z-]+)\">").Select(m => m.Groups[1].Value);
        var onPage = Regex.Matches(Page, "<section id=\"([a-z-]+)\"").Select(m => m.Groups[1].Value);
        Assert.That(nav, Is.EqualTo(ids));
        Assert.That(onPage, Is.EqualTo(ids));
        Assert.That(Page, Does.Contain("<li><a href=\"#indicators\">Leading and trailing indicators</a></li>"));
    }

    [Test]
    public void Indicators_LeadingBesideTrailing_EachSayingNoneWhenEmpty_OtherKindsKept()
    {
        var indicators = Section(Page, "indicators");
        Assert.That(indicators, Does.Contain("display:flex"));
        Assert.That(indicators.IndexOf("Open deals flagged High or Critical", StringComparison.Ordinal), Is.LessThan(indicators.IndexOf("data-kind=\"trailing\"", StringComparison.Ordinal)));
        Assert.That(indicators, Does.Contain("<td>Win rate</td><td>7 of 12 (58.3%)</td>"));
        Assert.That(indicators, Does.Not.Contain("class=\"none\"").And.Not.Contain("data-kind=\"other\""));

        var onlyLeading = Section(HtmlReport.Render(SampleReports.Quarter() with { Indicators = [new IndicatorRow("leading", "Slips", "2"), new IndicatorRow("Lagging", "Churn", "1")] }), "indicators");
        var trailing = onlyLeading[onlyLeading.IndexOf("data-kind=\"trailing\"", StringComparison.Ordinal)..onlyLeading.IndexOf("data-kind=\"other\"", StringComparison.Ordinal)];
        Assert.That(onlyLeading, Does.Contain("<td>Slips</td><td>2</td>"), "kind in any case");
        Assert.That(trailing, Does.Contain("<p class=\"none\">none</p>").And.Not.Contain("<table"));
        Assert.That(onlyLeading, Does.Contain("<td>Lagging</td><td>Churn</td><td>1</td>"), "an unknown kind is shown, not dropped");

        Assert.That(Section(HtmlReport.Render(SampleReports.Quarter()), "indicators"), Does.Contain("<p class=\"none\">none</p>"));
    }

    [Test]
    public void Managers_ShowResponsesByKind_ActedOnAgainstIgnored_AndWhoLeft()
    {
        var managers = Section(Page, "manager-actions");

        Assert.That(managers, Does.Contain("<th>Responses</th><th>Acted on: won / lost</th><th>Ignored: won / lost</th>"));
        Assert.That(managers, Does.Contain("<td>Coached the rep 2, Held a deal review 1</td><td>3 / 1</td><td>0 / 1</td>"));
        Assert.That(managers, Does.Contain("<td>Marta Nowak <em>(left the company)</em></td>"));
        Assert.That(managers, Does.Contain("<td>Coached the rep 1</td><td>1 / 0</td><td>0 / 2</td>"));
        Assert.That(Regex.Matches(managers, "left the company"), Has.Count.EqualTo(1));
    }

    [Test]
    public void NoClosedDeals_KeepsThePlainMessage()
    {
        var report = SampleReports.QuarterWithOutcomes() with
        {
            Outcomes = new OutcomeSummary("2025-01-01 to 2025-03-31", 0, 0, 0, 0m, 0m, null, 0, 0),
            FindingOutcomes = [],
            ThresholdBands = [],
            Suggestions = [],
        };
        var outcomes = Section(HtmlReport.Render(report), "outcomes");

        Assert.That(outcomes, Does.Contain("There are no closed deals yet"));
        Assert.That(outcomes, Does.Not.Contain("<table").And.Not.Contain("of 0"));
    }

    [Test]
    public void TheSampleWithOutcomes_RendersTheSameEveryTime()
    {
        Assert.That(HtmlReport.Render(SampleReports.QuarterWithOutcomes()), Is.EqualTo(Page));
    }

    private static string Section(string html, string id)
    {
        var start = html.IndexOf($"<section id=\"{id}\"", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), "section " + id);
        var end = html.IndexOf("</section>", start, StringComparison.Ordinal);
        return html[start..end];
    }
}
