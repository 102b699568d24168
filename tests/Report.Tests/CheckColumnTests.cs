using System.Linq;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace CrmPlugins.Report.Tests;

/// <summary>The deals table has a column per check the deals carry: the shipped four, and any check added to the suite's list.</summary>
public class CheckColumnTests
{
    private static string AllDealsHeader(string html) =>
        Regex.Match(html, "<section id=\"all-deals\".*?<thead><tr>(.*?)</tr></thead>", RegexOptions.Singleline).Groups[1].Value;

    [Test]
    public void DealsTable_OfTheShippedChecks_HasTheirFourColumns()
    {
        var header = AllDealsHeader(HtmlReport.Render(SampleReports.Quarter()));

        Assert.That(header, Does.Contain("<th>Overall</th><th>Margin</th><th>Resource</th><th>Fit</th><th>Forecast</th><th class=\"n\">Score</th>"));
    }

    [Test]
    public void DealsTable_WhenADealCarriesAnAddedCheck_HasItsColumnAndLevel()
    {
        var quarter = SampleReports.Quarter();
        var first = quarter.Deals[0];
        var judged = first with { Checks = [.. first.Checks, new CheckLevelRow("Payment terms", "Low")] };
        var report = quarter with { Deals = [judged, .. quarter.Deals.Skip(1)] };

        var html = HtmlReport.Render(report);

        Assert.That(AllDealsHeader(html), Does.Contain("<th>Forecast</th><th>Payment terms</th><th class=\"n\">Score</th>"));
        var row = Regex.Match(html, $"<section id=\"all-deals\".*?(<tr data-deal-id=\"{judged.Id:D}\".*?</tr>)", RegexOptions.Singleline).Groups[1].Value;
        var other = Regex.Match(html, $"<section id=\"all-deals\".*?(<tr data-deal-id=\"{quarter.Deals[1].Id:D}\".*?</tr>)", RegexOptions.Singleline).Groups[1].Value;
        Assert.That(Regex.Matches(row, "<td data-num=").Count, Is.EqualTo(Regex.Matches(other, "<td data-num=").Count), "every row has a cell for every check column");
        var before = Regex.Match(HtmlReport.Render(quarter), $"<section id=\"all-deals\".*?(<tr data-deal-id=\"{judged.Id:D}\".*?</tr>)", RegexOptions.Singleline).Groups[1].Value;
        Assert.That(before, Does.Not.Contain("Low"), "the deal has no Low level of its own");
        Assert.That(row, Does.Contain("Low"), "the added check's level is in the row");
    }
}
