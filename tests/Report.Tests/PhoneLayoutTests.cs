using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;

namespace CrmPlugins.Report.Tests;

/// <summary>
/// The report on a phone (390 CSS px wide, as an iPhone 12 to 15 shows it), measured in Chromium through the DOM:
/// chart labels keep a readable size, and a flagged deal reads as a compact card with its reasons on screen.
/// </summary>
[NonParallelizable]
public class PhoneLayoutTests
{
    private const int PhoneWidth = 390, PhoneHeight = 844;

    /// <summary>The smallest text a phone reader is expected to read without zooming (px as rendered).</summary>
    private const double MinReadablePx = 11;

    private static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(60);

    private static async Task<(Chromium Browser, string Folder)> OpenOnPhoneAsync(RiskReport report, CancellationToken cancel)
    {
        var folder = Directory.CreateTempSubdirectory("report-phone-").FullName;
        var path = Path.Combine(folder, "phone.html");
        HtmlReport.Write(report, path);
        var browser = await Chromium.StartAsync(Chromium.Require(), cancel);
        await browser.SendAsync("Emulation.setDeviceMetricsOverride", new { width = PhoneWidth, height = PhoneHeight, deviceScaleFactor = 2, mobile = true }, cancel);
        await browser.LoadAsync(path, TimeLimit, cancel);
        return (browser, folder);
    }

    /// <summary>A picture of one section as the phone shows it, attached to the test for a person to look at.</summary>
    private static async Task SaveScreenshotAsync(Chromium browser, string selector, string name, CancellationToken cancel)
    {
        var box = await browser.EvaluateAsync($"(() => {{ const r = document.querySelector('{selector}').getBoundingClientRect(); return [r.left + scrollX, r.top + scrollY, r.width, Math.min(r.height, 2400)]; }})()", cancel);
        var b = box.EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var shot = await browser.SendAsync("Page.captureScreenshot", new { format = "png", captureBeyondViewport = true, clip = new { x = b[0], y = b[1], width = Math.Max(b[2], PhoneWidth), height = b[3], scale = 1 } }, cancel);
        var png = Path.Combine(TestContext.CurrentContext.WorkDirectory, name);
        await File.WriteAllBytesAsync(png, Convert.FromBase64String(shot.GetProperty("data").GetString()!), cancel);
        TestContext.AddTestAttachment(png, $"{selector} at {PhoneWidth} px");
    }

    [Test, CancelAfter(90_000)]
    public async Task OnAPhone_ChartLabelsKeepAReadableSize()
    {
        using var limit = new CancellationTokenSource(TimeLimit);
        var (browser, folder) = await OpenOnPhoneAsync(SampleReports.QuarterWithOutcomes(), limit.Token);
        try
        {
            // The size each chart's text is drawn at: its font size in the SVG's units times the SVG's scale on screen.
            var sizes = await browser.EvaluateAsync(
                "Array.from(document.querySelectorAll('svg.chart text'), t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)", limit.Token);
            var pageWidth = await browser.EvaluateAsync("document.scrollingElement.scrollWidth", limit.Token);
            var innerWidth = await browser.EvaluateAsync("window.innerWidth", limit.Token);

            await SaveScreenshotAsync(browser, ".charts", "report-phone-390-charts.png", limit.Token);
            var px = sizes.EnumerateArray().Select(s => s.GetDouble()).ToList();
            Assert.That(innerWidth.GetInt32(), Is.EqualTo(PhoneWidth), "the page lays out at the phone's width (meta viewport)");
            Assert.That(px, Has.Count.GreaterThan(20), "the charts' labels were measured");
            Assert.That(px.Min(), Is.GreaterThanOrEqualTo(MinReadablePx), $"smallest chart text {px.Min():0.0} px");
            Assert.That(pageWidth.GetInt32(), Is.LessThanOrEqualTo(PhoneWidth), "the page itself does not scroll sideways (a wide chart scrolls within its own box)");
            Assert.That(browser.Errors(), Is.Empty);
        }
        finally
        {
            await browser.DisposeAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test, CancelAfter(90_000)]
    public async Task OnAPhone_AFlaggedDealIsACompactCard_WithItsReasonsOnScreen()
    {
        using var limit = new CancellationTokenSource(TimeLimit);
        var report = SampleReports.QuarterWithOutcomes();
        var (browser, folder) = await OpenOnPhoneAsync(report, limit.Token);
        try
        {
            var rows = await browser.EvaluateAsync(
                "Array.from(document.querySelectorAll('#flagged-deals [data-deal-id]'), r => { " +
                "const row = r.getBoundingClientRect(); const cell = r.querySelector('.reasons, .none').closest('td').getBoundingClientRect(); " +
                "const li = r.querySelector('.reasons li, .none'); " +
                "return { id: r.getAttribute('data-deal-id'), height: row.height, reasonsHeight: cell.height, left: cell.left, right: cell.right, reasonPx: parseFloat(getComputedStyle(li).fontSize), " +
                "labels: Array.from(r.querySelectorAll('td[data-label]'), c => c.getAttribute('data-label') + ': ' + c.innerText.trim()) }; })", limit.Token);
            var cards = rows.EnumerateArray().Select(r => (
                Height: r.GetProperty("height").GetDouble(), Reasons: r.GetProperty("reasonsHeight").GetDouble(),
                Left: r.GetProperty("left").GetDouble(), Right: r.GetProperty("right").GetDouble(), Px: r.GetProperty("reasonPx").GetDouble())).ToList();
            // innerText leaves out generated content: read the label each value shows before it.
            var labels = await browser.EvaluateAsync(
                "Array.from(document.querySelectorAll('#flagged-deals [data-deal-id]:first-child td[data-label]'), c => getComputedStyle(c, '::before').content)", limit.Token);

            await SaveScreenshotAsync(browser, "#flagged-deals", "report-phone-390-flagged.png", limit.Token);

            Assert.That(cards, Has.Count.EqualTo(report.Deals.Count(d => d.Overall is "High" or "Critical")));
            foreach (var card in cards)
            {
                Assert.That(card.Left, Is.GreaterThanOrEqualTo(0), "the reasons start on screen");
                Assert.That(card.Right, Is.LessThanOrEqualTo(PhoneWidth), "the reasons end on screen");
                Assert.That(card.Height - card.Reasons, Is.LessThanOrEqualTo(110), $"a card is its reasons and a few short lines ({card.Height:0} px, reasons {card.Reasons:0} px)");
                Assert.That(card.Px, Is.GreaterThanOrEqualTo(13));
            }
            Assert.That(labels.EnumerateArray().Select(l => l.GetString()!.Trim('"', ' ')), Is.EqualTo(new[] { "Score", "Owner", "Manager", "Approved", "State", "Close", "Revenue" }),
                "each value keeps its label when the header row is hidden");
        }
        finally
        {
            await browser.DisposeAsync();
            Directory.Delete(folder, recursive: true);
        }
    }
}
