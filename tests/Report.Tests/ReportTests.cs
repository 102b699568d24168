using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace CrmPlugins.Report.Tests;

public class ReportTests
{
    [Test]
    public void Write_OfAPageOfManyMegabytes_WritesWhatRenderGives_AsItGoes()
    {
        // 4,000 deals, each flagged and alerted: the page passes the megabyte at which Write hands it to the file many times
        // over, inside the long tables, and the file is the page Render gives, to the byte.
        var sample = SampleReports.Quarter();
        var deals = Enumerable.Range(0, 4_000).Select(n => sample.Deals[n % sample.Deals.Count] with
        {
            Id = SampleReports.DealId(1_000 + n), Name = $"Deal {n} <{n % 7}> & co", Overall = "Critical", Fixes = [$"Raise the prices by {n % 50}.{n % 10}%", "Cut every discount"],
        }).ToList();
        var alerts = deals.Select((d, n) => new AlertRow(d.Name, "Alice Moreau", "Critical", "Open", SampleReports.GeneratedOn.AddMinutes(-n), n % 3, null)).ToList();
        var report = sample with { Deals = deals, Alerts = alerts };
        var path = Path.Combine(Path.GetTempPath(), "report-spill-" + Guid.NewGuid().ToString("N") + ".html");
        try
        {
            HtmlReport.Write(report, path);

            var written = File.ReadAllText(path, Encoding.UTF8);
            var rendered = HtmlReport.Render(report);
            Assert.That(rendered.Length, Is.GreaterThan(4 << 20), "a page of several megabytes");
            Assert.That(written, Is.EqualTo(rendered));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private const string Hostile = "<script>alert(1)</script>\"'&<img src=x onerror=alert(2)>";

    [Test]
    public void EverySection_IsThere_WithItsId_InOrder()
    {
        var html = HtmlReport.Render(SampleReports.Quarter());

        var ids = Regex.Matches(html, "<section id=\"([a-z-]+)\"").Select(m => m.Groups[1].Value).ToList();

        Assert.That(ids, Is.EqualTo(new[]
        {
            "summary", "pipeline-by-level", "pipeline-by-manager", "margin-distribution", "utilisation", "flagged-deals",
            "all-deals", "forecast-changes", "alerts", "outcomes", "indicators", "manager-actions", "coaching",
        }));
        foreach (var id in ids)
            Assert.That(html, Does.Contain($"<a href=\"#{id}\">"), "the navigation links to " + id);
    }

    [Test]
    public void HostileText_EverywhereInTheData_IsEncoded()
    {
        var deal = new DealRow(SampleReports.DealId(1), Hostile, Hostile, Hostile, Hostile, null, 1m, 1m,
            Hostile, Hostile, Hostile, Hostile, Hostile, 1, [Hostile, Hostile], true, Hostile);
        var report = new RiskReport(Hostile, Hostile, SampleReports.GeneratedOn, [deal with { Overall = "High" }, deal with { Id = SampleReports.DealId(2) }],
            [new AlertRow(Hostile, Hostile, Hostile, Hostile, SampleReports.GeneratedOn, 1, Hostile)],
            [new ForecastChangeRow(Hostile, Hostile, SampleReports.GeneratedOn, Hostile, Hostile)],
            [new UtilisationRow(Hostile, SampleReports.GeneratedOn, 10, 5)],
            [new FindingOutcomeRow(Hostile, 1, 1)],
            [new ThresholdBandRow(Hostile, Hostile, 1, 1)],
            [new ManagerActionRow(Hostile, 1, 1, 1, 1, 1)]);

        var html = HtmlReport.Render(report);

        Assert.Multiple(() =>
        {
            Assert.That(Regex.Matches(html, "<script", RegexOptions.IgnoreCase), Has.Count.EqualTo(1), "only the report's own script");
            Assert.That(html, Does.Not.Contain("<img"));
            Assert.That(html, Does.Not.Contain("<script>alert"));
            Assert.That(html, Does.Contain("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;&lt;img src=x onerror=alert(2)&gt;"));
            Assert.That(html, Does.Not.Contain("\"'&<"), "no raw quote can close an attribute");
        });
    }

    [Test]
    public void Page_HasNoExternalReference()
    {
        var html = HtmlReport.Render(SampleReports.Quarter());

        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Not.Contain("http://"));
            Assert.That(html, Does.Not.Contain("https://"));
            Assert.That(html, Does.Not.Contain("src="));
            Assert.That(html, Does.Not.Contain("url("));
            Assert.That(html, Does.Not.Contain("@import"));
            Assert.That(html, Does.Not.Contain("<link"));
            Assert.That(html, Does.Not.Contain("<iframe"));
            var hrefs = Regex.Matches(html, "href=\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToList();
            Assert.That(hrefs, Is.Not.Empty.And.All.StartWith("#"), "links go only to sections of the page");
            Assert.That(html, Does.Contain("Content-Security-Policy\" content=\"default-src 'none'"));
        });
    }

    [Test]
    public void HostileDeals_AddNoTagWithASource()
    {
        var html = HtmlReport.Render(SampleReports.WithHostileDeals());

        Assert.That(Regex.Matches(html, @"<[a-z][^>]*\s(src|href|action|srcset|poster)\s*=\s*(?![""']?#)", RegexOptions.IgnoreCase), Is.Empty);
        Assert.That(html, Does.Contain("&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;"));
    }

    [Test]
    public void EmptyReport_Renders_WithAFriendlyLinePerSection()
    {
        var html = HtmlReport.Render(SampleReports.Empty());

        Assert.Multiple(() =>
        {
            Assert.That(Regex.Matches(html, "<section id="), Has.Count.EqualTo(HtmlReport.Sections.Count));
            Assert.That(html, Does.Contain("<title>Deal risk report</title>"));
            Assert.That(html, Does.Contain("No deals in this report."));
            Assert.That(html, Does.Contain("No deal is flagged High or Critical."));
            Assert.That(html, Does.Contain("No utilisation data in this report."));
            Assert.That(html, Does.Contain("No forecast changes in this period."));
            Assert.That(html, Does.Contain("No alerts raised."));
            Assert.That(html, Does.Contain("There are no closed deals yet"));
            Assert.That(html, Does.Contain("No manager actions recorded."));
            Assert.That(html, Does.Not.Contain("data-deal-id"));
        });
    }

    [Test]
    public void NullsWhereTheTypesSayNone_DoNotCrash()
    {
        var deal = new DealRow(Guid.Empty, null!, null!, null!, null!, null, null, null, null!, null!, null!, null!, null!, 0, null!, false, null!);
        var report = new RiskReport(null!, null!, default, [deal, null!], null!, [new ForecastChangeRow(null!, null!, default, null!, null!)],
            [new UtilisationRow(null!, default, 0, 0)], null!, [new ThresholdBandRow(null!, null!, 0, 0)], [new ManagerActionRow(null!, 0, 0, 0, 0, null)]);

        var html = HtmlReport.Render(report);

        Assert.That(html, Does.Contain("(no name)"));
        Assert.That(html, Does.Contain($"data-deal-id=\"{Guid.Empty}\" data-level=\"Unknown\""));
    }

    [Test]
    public void HugeNegativeAndNotANumberValues_DoNotCrash()
    {
        var big = new DealRow(SampleReports.DealId(1), "Big", "o", "m", "bu", DateTime.MaxValue, decimal.MaxValue, decimal.MaxValue,
            "Critical", "Low", "Low", "Low", "Low", int.MaxValue, ["r"], true, "Won");
        var small = big with { Id = SampleReports.DealId(2), Name = "Small", EstimatedClose = DateTime.MinValue, Revenue = decimal.MinValue, MarginPercent = decimal.MinValue, Score = int.MinValue, State = "Lost" };
        var report = new RiskReport("Extremes", "test", DateTime.MaxValue, [big, big with { Id = SampleReports.DealId(3) }, small],
            [new AlertRow("Big", "m", "Critical", "Open", DateTime.MinValue, int.MaxValue, "")],
            [],
            [new UtilisationRow("Role", DateTime.MaxValue, decimal.MaxValue, 0.0000001m), new UtilisationRow("Role", DateTime.MaxValue, decimal.MaxValue, decimal.MaxValue),
             new UtilisationRow("Idle", DateTime.MinValue, 0, 0), new UtilisationRow("Nobody", DateTime.MinValue, 5, 0), new UtilisationRow("Negative", DateTime.MinValue, -5, -1)],
            [new FindingOutcomeRow("f", int.MaxValue, int.MaxValue), new FindingOutcomeRow("negative", -3, 1)],
            [new ThresholdBandRow("m", "b", int.MaxValue, 0)],
            [new ManagerActionRow("nan", 0, 0, 0, 0, double.NaN), new ManagerActionRow("inf", 1, 5, 0, 0, double.PositiveInfinity)]);

        var html = HtmlReport.Render(report);

        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Contain("79,228,162,514,264,337,593,543,950,335"), "decimal.MaxValue as money");
            Assert.That(html, Does.Contain("no capacity"));
            Assert.That(html, Does.Not.Contain("NaN"));
            Assert.That(html, Does.Not.Contain("Infinity"));
            Assert.That(html, Does.Not.Contain("∞"));
        });
    }

    [Test]
    public void FlaggedDeals_AreExactlyTheHighAndCriticalOnes()
    {
        var report = SampleReports.Quarter();

        var flagged = Section(HtmlReport.Render(report), "flagged-deals");

        var ids = Regex.Matches(flagged, "data-deal-id=\"([^\"]+)\" data-level=\"([^\"]+)\"").Select(m => (Id: Guid.Parse(m.Groups[1].Value), Level: m.Groups[2].Value)).ToList();
        var expected = report.Deals.Where(d => d.Overall is "High" or "Critical").ToList();
        Assert.That(expected, Has.Count.EqualTo(5), "the sample has five flagged deals");
        Assert.That(ids.Select(i => i.Id), Is.EquivalentTo(expected.Select(d => d.Id)));
        Assert.That(ids.Select(i => i.Level), Is.EqualTo(new[] { "Critical", "Critical", "High", "High", "High" }), "most severe first");
        foreach (var reason in expected.SelectMany(d => d.Reasons))
            Assert.That(flagged, Does.Contain(System.Net.WebUtility.HtmlEncode(reason)), "every reason of a flagged deal is listed");
    }

    [Test]
    public void AllDeals_HasEveryDeal_WithItsLevelAsClassAndText()
    {
        var report = SampleReports.Quarter();

        var all = Section(HtmlReport.Render(report), "all-deals");

        Assert.That(Regex.Matches(all, "data-deal-id="), Has.Count.EqualTo(report.Deals.Count));
        foreach (var deal in report.Deals)
            Assert.That(all, Does.Contain($"data-deal-id=\"{deal.Id}\" data-level=\"{deal.Overall}\""));
        Assert.That(all, Does.Contain("<span class=\"lvl lvl-critical\">Critical</span>"));
        Assert.That(all, Does.Contain("<span class=\"lvl lvl-unknown\">Unknown</span>"));
    }

    [Test]
    [SetCulture("de-DE")]
    public void Numbers_UseInvariantCulture_MoneyWithoutDecimals_PercentWithOne()
    {
        var deal = new DealRow(SampleReports.DealId(1), "Numbers", "o", "m", "bu", new DateTime(2025, 6, 30), 1_234_567.89m, 23.456m,
            "Low", "Low", "Low", "Low", "Low", 1234, [], true, "Open");
        var report = SampleReports.Empty() with { Deals = [deal] };

        var all = Section(HtmlReport.Render(report), "all-deals");

        Assert.Multiple(() =>
        {
            Assert.That(all, Does.Contain(">1,234,568<"));
            Assert.That(all, Does.Contain(">23.5%<"));
            Assert.That(all, Does.Contain(">2025-06-30<"));
            Assert.That(all, Does.Contain(">1,234<"));
        });
    }

    [Test]
    public void Summary_CountsFlaggedDealsRevenueAndAlerts()
    {
        var summary = Section(HtmlReport.Render(SampleReports.Quarter()), "summary");

        Assert.Multiple(() =>
        {
            Assert.That(summary, Does.Contain("<span class=\"num\">12</span><span class=\"what\">deals</span>"));
            Assert.That(summary, Does.Contain("<span class=\"num\">5</span><span class=\"what\">flagged (High or Critical)</span>"));
            Assert.That(summary, Does.Contain("<span class=\"num\">7</span><span class=\"what\">alerts raised</span>"));
            Assert.That(summary, Does.Contain("<span class=\"num\">6,145,000</span><span class=\"what\">revenue, all deals</span>"));
            Assert.That(summary, Does.Contain("<td><span class=\"lvl lvl-critical\">Critical</span></td><td class=\"n\">2</td><td class=\"n\">3,350,000</td>"));
        });
    }

    [Test]
    public void Utilisation_MarksMonthsOverCapacity_InTextToo()
    {
        var utilisation = Section(HtmlReport.Render(SampleReports.Quarter()), "utilisation");

        Assert.That(Regex.Matches(utilisation, "<tr class=\"over\">"), Has.Count.EqualTo(3));
        Assert.That(Regex.Matches(utilisation, "▲ Over capacity"), Has.Count.EqualTo(3));
        Assert.That(utilisation, Does.Contain("Architect in Jun 2025 (128.1%)"));
    }

    [Test]
    public void MarginHistogram_CountsUnknownSeparately()
    {
        var margins = Section(HtmlReport.Render(SampleReports.Quarter()), "margin-distribution");

        Assert.That(margins, Does.Contain("<tr><td>Unknown</td><td class=\"n\">1</td></tr>"));
        Assert.That(margins, Does.Contain("<tr><td>&lt; 0%</td><td class=\"n\">1</td></tr>"));
        Assert.That(margins, Does.Contain("<tr><td>10–20%</td><td class=\"n\">3</td></tr>"));
    }

    [Test]
    public void Outcomes_ShowLossRates_OrSayPlainlyThereAreNoClosedDeals()
    {
        var quarter = SampleReports.Quarter();
        var outcomes = Section(HtmlReport.Render(quarter), "outcomes");
        var none = Section(HtmlReport.Render(quarter with { FindingOutcomes = [new FindingOutcomeRow("x", 0, 0)], ThresholdBands = [] }), "outcomes");

        Assert.That(outcomes, Does.Contain("<td>Margin below floor</td><td class=\"n\">2</td><td class=\"n\">0</td><td class=\"n\">2</td>"));
        Assert.That(outcomes, Does.Contain(">100.0%<"));
        Assert.That(outcomes, Does.Contain("<svg"));
        Assert.That(none, Does.Contain("There are no closed deals yet"));
        Assert.That(none, Does.Not.Contain("<table"));
    }

    [Test]
    public void SameReport_RendersToTheSameText_InAnyCulture()
    {
        var first = HtmlReport.Render(SampleReports.Quarter());
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("fr-FR");
            Assert.That(HtmlReport.Render(SampleReports.Quarter()), Is.EqualTo(first));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }

    [Test]
    public void Write_SavesUtf8WithoutBom_AndCreatesTheFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "report-write-" + Guid.NewGuid().ToString("N"));
        try
        {
            var path = Path.Combine(folder, "sub", "report.html");
            HtmlReport.Write(SampleReports.Quarter(), path);

            var bytes = File.ReadAllBytes(path);
            Assert.That(bytes.Take(3), Is.Not.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }));
            Assert.That(Encoding.UTF8.GetString(bytes), Is.EqualTo(HtmlReport.Render(SampleReports.Quarter())));
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void SampleQuarter_IsWritten_AndAttached()
    {
        var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "sample-risk-report.html");

        HtmlReport.Write(SampleReports.Quarter(), path);

        Assert.That(new FileInfo(path).Length, Is.GreaterThan(10_000));
        TestContext.AddTestAttachment(path, "the sample quarter's risk report");
    }

    /// <summary>The text of one section, from its opening tag to its end.</summary>
    private static string Section(string html, string id)
    {
        var start = html.IndexOf($"<section id=\"{id}\"", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), "section " + id);
        var end = html.IndexOf("</section>", start, StringComparison.Ordinal);
        return html[start..end];
    }
}
