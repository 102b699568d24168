using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;

namespace CrmPlugins.Report.Tests;

/// <summary>
/// The report in a real headless Chromium: it loads from file:// with no script error, the DOM holds the expected
/// rows and levels, and hostile deal names stay text. Needs the Debian package chromium: without it the tests are
/// ignored locally and fail on CI (CI=true), where it is installed.
/// </summary>
[NonParallelizable]
public class BrowserTests
{
    private static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(60);

    [Test, CancelAfter(90_000)]
    public async Task Report_LoadsWithoutErrors_AndShowsTheDealsAsText()
    {
        var report = SampleReports.WithHostileDeals();
        using var file = new TempReport(report, "browser-report.html");
        var path = file.Path;
        using var limit = new CancellationTokenSource(TimeLimit);
        var cancel = limit.Token;

        await using var browser = await Chromium.StartAsync(Chromium.Require(), cancel);
        await browser.SendAsync("Emulation.setDeviceMetricsOverride", new { width = 1280, height = 900, deviceScaleFactor = 1, mobile = false }, cancel);
        await browser.LoadAsync(path, TimeLimit, cancel);

        var flaggedCount = await browser.EvaluateAsync("document.querySelectorAll('#flagged-deals [data-deal-id]').length", cancel);
        var flaggedLevels = await browser.EvaluateAsync("Array.from(document.querySelectorAll('#flagged-deals [data-deal-id]'), r => r.getAttribute('data-level'))", cancel);
        var flaggedIds = await browser.EvaluateAsync("Array.from(document.querySelectorAll('#flagged-deals [data-deal-id]'), r => r.getAttribute('data-deal-id'))", cancel);
        var allDealRows = await browser.EvaluateAsync("document.querySelectorAll('#all-deals [data-deal-id]').length", cancel);
        var pageText = (await browser.EvaluateAsync("document.body.innerText", cancel)).GetString()!;
        var pwned = await browser.EvaluateAsync("typeof window.__pwned", cancel);
        var injected = await browser.EvaluateAsync("document.querySelectorAll('img, main script').length", cancel);
        var sections = await browser.EvaluateAsync("Array.from(document.querySelectorAll('section[id]'), s => s.id)", cancel);
        var navLinks = await browser.EvaluateAsync("Array.from(document.querySelectorAll('nav a'), a => a.getAttribute('href').slice(1))", cancel);
        var outcomesText = (await browser.EvaluateAsync("document.querySelector('#outcomes').innerText", cancel)).GetString()!;
        var managersText = (await browser.EvaluateAsync("document.querySelector('#manager-actions').innerText", cancel)).GetString()!;
        var smallSampleRows = await browser.EvaluateAsync(
            "Array.from(document.querySelectorAll('#outcomes tbody tr')).filter(r => r.innerText.includes('small sample')).length", cancel);
        // Leading and Trailing side by side: same top, Trailing to the right of Leading.
        var columns = await browser.EvaluateAsync(
            "Array.from(document.querySelectorAll('#indicators .indicator-column'), c => { const r = c.getBoundingClientRect(); return [c.getAttribute('data-kind'), r.top, r.left, r.right, c.innerText]; })", cancel);
        var handlers = await browser.EvaluateAsync("document.querySelectorAll('main [onload], main [onerror]').length", cancel);
        var overMonths = await browser.EvaluateAsync("document.querySelectorAll('#utilisation tr.over').length", cancel);
        var charts = await browser.EvaluateAsync("document.querySelectorAll('svg.chart').length", cancel);
        // The inline script ran (its CSP hash matches): it added the filter box and sorts on a header click.
        var filterBoxes = await browser.EvaluateAsync("document.querySelectorAll('#all-deals .filters input').length", cancel);
        var sorted = await browser.EvaluateAsync(
            "(() => { const th = document.querySelector('#all-deals th'); th.click(); return th.getAttribute('aria-sort'); })()", cancel);
        var errors = browser.Errors();

        var expectedFlagged = report.Deals.Where(d => d.Overall is "High" or "Critical").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(errors, Is.Empty, "script errors in the page");
            Assert.That(flaggedCount.GetInt32(), Is.EqualTo(expectedFlagged.Count));
            Assert.That(flaggedLevels.EnumerateArray().Select(l => l.GetString()), Is.All.AnyOf("High", "Critical"));
            Assert.That(flaggedIds.EnumerateArray().Select(i => Guid.Parse(i.GetString()!)), Is.EquivalentTo(expectedFlagged.Select(d => d.Id)));
            Assert.That(allDealRows.GetInt32(), Is.EqualTo(report.Deals.Count));
            foreach (var deal in report.Deals)
                Assert.That(pageText, Does.Contain(deal.Name), "the page shows every deal name as text");
            Assert.That(pwned.GetString(), Is.EqualTo("undefined"), "the hostile deal name ran");
            Assert.That(injected.GetInt32(), Is.Zero, "no element was injected by a deal name");
            Assert.That(sections.EnumerateArray().Select(s => s.GetString()), Is.EqualTo(HtmlReport.Sections.Select(s => s.Id)));
            Assert.That(navLinks.EnumerateArray().Select(s => s.GetString()), Is.EqualTo(HtmlReport.Sections.Select(s => s.Id)), "the nav lists every section in page order");
            Assert.That(sections.EnumerateArray().Select(s => s.GetString()).SkipWhile(s => s != "outcomes").Take(2), Is.EqualTo(new[] { "outcomes", "indicators" }));
            Assert.That(outcomesText, Does.Contain("7 of 12").And.Contain("Suggestions — the policy is never changed by the suite").And.Contain("<img src=x onerror=\"window.__pwned=2\">"));
            var smallGroups = report.FindingOutcomes.Count(f => f.IsSmallSample) + report.ThresholdBands.Count(b => b.IsSmallSample);
            Assert.That(smallSampleRows.GetInt32(), Is.EqualTo(smallGroups), "every small-sample row says so in text");
            Assert.That(managersText, Does.Contain("Marta Nowak (left the company)").And.Contain("Coached the rep 2, Held a deal review 1"));
            Assert.That(handlers.GetInt32(), Is.Zero, "no event handler attribute came from data");
            var cols = columns.EnumerateArray().Select(c => (Kind: c[0].GetString(), Top: c[1].GetDouble(), Left: c[2].GetDouble(), Right: c[3].GetDouble(), Text: c[4].GetString()!)).ToList();
            Assert.That(cols.Select(c => c.Kind), Is.EqualTo(new[] { "leading", "trailing" }));
            if (cols.Count == 2)
            {
                Assert.That(cols[1].Top, Is.EqualTo(cols[0].Top).Within(1), "side by side at 1280 px");
                Assert.That(cols[1].Left, Is.GreaterThanOrEqualTo(cols[0].Right), "Trailing to the right of Leading");
                Assert.That(cols[0].Text, Does.Contain("Open deals flagged High or Critical").And.Contain("<script>window.__pwned=3</script>"));
                Assert.That(cols[1].Text, Does.Contain("7 of 12 (58.3%)"));
            }
            Assert.That(overMonths.GetInt32(), Is.EqualTo(3), "Architect and Developer in June, Developer in July");
            Assert.That(charts.GetInt32(), Is.GreaterThanOrEqualTo(7));
            Assert.That(filterBoxes.GetInt32(), Is.EqualTo(1));
            Assert.That(sorted.GetString(), Is.EqualTo("ascending"));
        });

        var screenshot = await browser.SendAsync("Page.captureScreenshot", new { format = "png", captureBeyondViewport = true }, cancel);
        var png = Path.Combine(TestContext.CurrentContext.WorkDirectory, "browser-report.png");
        await File.WriteAllBytesAsync(png, Convert.FromBase64String(screenshot.GetProperty("data").GetString()!), cancel);
        TestContext.AddTestAttachment(png, "the report as Chromium shows it (first screen)");
    }

    [Test, CancelAfter(90_000)]
    public async Task Report_IsReadableWithJavaScriptDisabled()
    {
        var report = SampleReports.QuarterWithOutcomes();
        using var file = new TempReport(report, "browser-report-nojs.html");
        var path = file.Path;
        using var limit = new CancellationTokenSource(TimeLimit);
        var cancel = limit.Token;

        await using var browser = await Chromium.StartAsync(Chromium.Require(), cancel);
        await browser.SendAsync("Emulation.setScriptExecutionDisabled", new { value = true }, cancel);
        await browser.LoadAsync(path, TimeLimit, cancel);

        // Runtime.evaluate still runs with page scripts disabled: it reads what the server-side HTML alone shows.
        var flagged = await browser.EvaluateAsync("document.querySelectorAll('#flagged-deals [data-deal-id]').length", cancel);
        var text = (await browser.EvaluateAsync("document.body.innerText", cancel)).GetString()!;
        var filterBoxes = await browser.EvaluateAsync("document.querySelectorAll('.filters').length", cancel);

        Assert.Multiple(() =>
        {
            Assert.That(browser.Errors(), Is.Empty);
            Assert.That(flagged.GetInt32(), Is.EqualTo(report.Deals.Count(d => d.Overall is "High" or "Critical")));
            foreach (var deal in report.Deals)
                Assert.That(text, Does.Contain(deal.Name));
            Assert.That(text, Does.Contain("Over capacity"));
            Assert.That(text, Does.Contain("7 of 12").And.Contain("small sample").And.Contain("the policy is never changed by the suite"));
            Assert.That(text, Does.Contain("Leading (now)").And.Contain("Trailing (what closed)").And.Contain("(left the company)"));
            Assert.That(filterBoxes.GetInt32(), Is.Zero, "the script did not run, so it added nothing");
        });
    }

    /// <summary>The check can fail: a page that throws and logs an error is seen to.</summary>
    [Test, CancelAfter(90_000)]
    public async Task Harness_SeesScriptErrors()
    {
        var folder = Directory.CreateTempSubdirectory("report-browser-").FullName;
        try
        {
            var path = Path.Combine(folder, "broken.html");
            await File.WriteAllTextAsync(path, "<!DOCTYPE html><title>broken</title><script>console.error('logged');</script><script>throw new Error('thrown');</script>");
            using var limit = new CancellationTokenSource(TimeLimit);

            await using var browser = await Chromium.StartAsync(Chromium.Require(), limit.Token);
            await browser.LoadAsync(path, TimeLimit, limit.Token);
            await browser.EvaluateAsync("1", limit.Token);

            var errors = browser.Errors();
            Assert.That(errors, Has.Some.Contains("thrown"));
            Assert.That(errors, Has.Some.Contains("logged"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Enables the domains whose events are checked, opens the file and waits for its load event.</summary>
    /// <summary>A report written to a temporary folder, removed on dispose.</summary>
    private sealed class TempReport : IDisposable
    {
        private readonly string folder = Directory.CreateTempSubdirectory("report-browser-").FullName;

        public TempReport(RiskReport report, string name)
        {
            Path = System.IO.Path.Combine(folder, name);
            HtmlReport.Write(report, Path);
        }

        public string Path { get; }

        public void Dispose() => Directory.Delete(folder, recursive: true);
    }
}
