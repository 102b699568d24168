using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;

namespace CrmPlugins.Report.Tests;

/// <summary>The outcome analysis in the page: the summary with its counts, small samples marked, suggestions, indicators, managers who left.</summary>
public class OutcomeRenderingTests
{
    private static RiskReport WithOutcomes() => SampleReports.Quarter() with
    {
        FindingOutcomes = new List<FindingOutcomeRow>
        {
            new("Critical", 1, 3, "Overall risk at close", 170_000m, 12m),
            new("Low", 5, 1, "Overall risk at close", 25_000m, 34.1m),
            new("MUST_HAVE_NOT_SUPPORTED", 0, 1, "Finding", 70_000m, null),
        },
        ThresholdBands = new List<ThresholdBandRow> { new("Margin % at close vs margin critical floor", "below 10%", 0, 1, null, 15m), new("Margin % at close vs margin critical floor", "20% and above", 6, 2, 33.3m, 15m) },
        ManagerActions = new List<ManagerActionRow>
        {
            new("Mia <Manager>", 3, 2, 0, 1, 7, new Dictionary<string, int> { ["Coached the rep"] = 1, ["Held a deal review"] = 1 }, 1, 1, 0, 1),
            new("Leo Lindqvist", 5, 4, 2, 0, 240, null, 1, 3, 0, 1, LeftCompany: true),
        },
        Outcomes = new OutcomeSummary("2026-01-27 to 2026-11-16", 12, 7, 5, 500_000m, 225_000m, 29.3m, 1, 2),
        Suggestions = new[] { new ThresholdSuggestion("margin warning floor", 25m, "Keep it: <b>4 of 6</b> lost below it.") },
        Indicators = new[] { new IndicatorRow("Leading", "Open deals flagged High or Critical", "4 of 7"), new IndicatorRow("Trailing", "Win rate", "7 of 12 (58.3%)") },
    };

    [Test]
    public void Outcomes_ShowTheWinRateWithItsCount_AndWhatHasNoHistory()
    {
        var html = HtmlReport.Render(WithOutcomes());
        var outcomes = html[html.IndexOf("id=\"outcomes\"", StringComparison.Ordinal)..html.IndexOf("id=\"indicators\"", StringComparison.Ordinal)];

        Assert.That(outcomes, Does.Contain("7 of 12").And.Contain("58.3%").And.Contain("225,000").And.Contain("29.3%"));
        Assert.That(outcomes, Does.Contain("1 of the closed deals have no risk history"));
        Assert.That(outcomes, Does.Contain("2 deal(s) were reopened"));
    }

    [Test]
    public void Outcomes_MarkSmallSamples_AndGroupByRiskAtCloseAndByFinding()
    {
        var html = HtmlReport.Render(WithOutcomes());

        Assert.That(html, Does.Contain("By overall risk at close").And.Contain("Findings that preceded the outcome"));
        var critical = html[html.IndexOf("<td>Critical</td>", StringComparison.Ordinal)..];
        Assert.That(critical[..critical.IndexOf("</tr>", StringComparison.Ordinal)], Does.Contain("small sample"), "4 deals");
        var low = html[html.IndexOf("<td>Low</td>", StringComparison.Ordinal)..];
        Assert.That(low[..low.IndexOf("</tr>", StringComparison.Ordinal)], Does.Not.Contain("small sample"), "6 deals");
        Assert.That(html, Does.Contain("(now 15.0%)"));
    }

    [Test]
    public void Suggestions_AreEncoded_AndSayThePolicyIsNeverChanged()
    {
        var html = HtmlReport.Render(WithOutcomes());

        Assert.That(html, Does.Contain("the policy is never changed by the suite"));
        Assert.That(html, Does.Contain("&lt;b&gt;4 of 6&lt;/b&gt;").And.Not.Contain("<b>4 of 6</b>"));
    }

    [Test]
    public void Indicators_StandSideBySide_RightAfterTheOutcomes()
    {
        var html = HtmlReport.Render(WithOutcomes());

        Assert.That(HtmlReport.Sections.Select(s => s.Id).SkipWhile(s => s != "outcomes").Take(2), Is.EqualTo(new[] { "outcomes", "indicators" }));
        var indicators = html[html.IndexOf("id=\"indicators\"", StringComparison.Ordinal)..html.IndexOf("id=\"manager-actions\"", StringComparison.Ordinal)];
        Assert.That(indicators, Does.Contain("Leading").And.Contain("Trailing").And.Contain("Open deals flagged High or Critical").And.Contain("7 of 12 (58.3%)"));
    }

    [Test]
    public void Managers_ShowResponsesByKind_ActedOnAgainstIgnored_AndWhoLeft()
    {
        var html = HtmlReport.Render(WithOutcomes());
        var managers = html[html.IndexOf("id=\"manager-actions\"", StringComparison.Ordinal)..];

        Assert.That(managers, Does.Contain("Coached the rep 1, Held a deal review 1"));
        Assert.That(managers, Does.Contain("Leo Lindqvist <em>(left the company)</em>"));
        Assert.That(managers, Does.Contain("Mia &lt;Manager&gt;"));
        Assert.That(managers, Does.Contain("<td>1 / 3</td><td>0 / 1</td>"), "Leo: acted on won 1 lost 3, ignored won 0 lost 1");
    }
}
