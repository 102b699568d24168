using System.Linq;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace CrmPlugins.Report.Tests;

/// <summary>A flagged deal shows, under its reasons, what clears them (the verdict's dr_riskfixes, one line each).</summary>
public class FixesRenderingTests
{
    private static string FlaggedRow(string html, System.Guid id) =>
        Regex.Match(html, $"<section id=\"flagged-deals\".*?(<tr data-deal-id=\"{id:D}\".*?</tr>)", RegexOptions.Singleline).Groups[1].Value;

    [Test]
    public void FlaggedDeal_WithFixes_ListsThemUnderItsReasons_Escaped()
    {
        var quarter = SampleReports.Quarter();
        var flagged = quarter.Deals.First(d => d.Overall is "High" or "Critical");
        var fix = "High: Raise the prices by 14.3% (the lines 5,000 to 5,715) to reach the 25% target <now>.";
        var report = quarter with { Deals = [.. quarter.Deals.Select(d => d.Id == flagged.Id ? d with { Fixes = [fix] } : d)] };

        var row = FlaggedRow(HtmlReport.Render(report), flagged.Id);

        Assert.That(row, Does.Contain("<p class=\"fixes-label\">To clear it:</p><ul class=\"fixes\"><li>High: Raise the prices by 14.3% (the lines 5,000 to 5,715) to reach the 25% target &lt;now&gt;.</li></ul>"));
        Assert.That(row.IndexOf("class=\"reasons\"", System.StringComparison.Ordinal), Is.LessThan(row.IndexOf("class=\"fixes\"", System.StringComparison.Ordinal)), "the reasons first");
    }

    [Test]
    public void FlaggedDeal_WithoutFixes_ShowsNoFixList()
    {
        var quarter = SampleReports.Quarter();
        var flagged = quarter.Deals.First(d => d.Overall is "High" or "Critical");

        Assert.That(FlaggedRow(HtmlReport.Render(quarter), flagged.Id), Does.Not.Contain("class=\"fixes\""));
    }
}
