using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;

namespace CrmPlugins.Report.Tests;

/// <summary>The coaching section: managers and reps per quarter beside their deals, small samples marked, no causal claim, in the page and in Chromium.</summary>
[NonParallelizable]
public class CoachingRenderingTests
{
    private static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(60);

    private static RiskReport WithCoaching() => SampleReports.Quarter() with
    {
        Coaching = new[]
        {
            new CoachingRow("Manager", "Mia <Moreno>", "2026 Q1", 13, 6.7m, 1, 2, 2, 1, 8, 5, 110_000m, 2, 3),
            new CoachingRow("Manager", "Sam Sato", "2026 Q1", 7, 4.8m, 0, 0, 1, 1, 3, 3, 0m, 1, 2),
            new CoachingRow("Rep", "Rob Reyes", "2026 Q1", 11, 5.7m, 1, 2, 2, 1, 2, 1, 50_000m, 0, 0),
            new CoachingRow("Rep", "Sue Suzuki", "2026 Q1", 0, 0m, 0, 0, 0, 0, 6, 2, 200_000m, 3, 5),
        },
    };

    private static string Section(string html) => html[html.IndexOf("id=\"coaching\"", StringComparison.Ordinal)..];

    [Test]
    public void Coaching_ShowsManagersAndReps_WithHoursBesideWinRateValueLostAndSlips()
    {
        var coaching = Section(HtmlReport.Render(WithCoaching()));

        Assert.That(coaching, Does.Contain("Managers: coaching held, and their reps&#39; deals").And.Contain("Reps: coaching received, and their own deals"));
        Assert.That(coaching, Does.Contain("<td>Mia &lt;Moreno&gt;</td>").And.Not.Contain("Mia <Moreno>"));
        var sue = coaching[coaching.IndexOf("<td>Sue Suzuki</td>", StringComparison.Ordinal)..];
        sue = sue[..sue.IndexOf("</tr>", StringComparison.Ordinal)];
        Assert.That(sue, Does.Contain("33.3%").And.Contain("200,000").And.Contain("3 of 6 (5 slips)").And.Not.Contain("small sample"), "6 closed deals");
        var rob = coaching[coaching.IndexOf("<td>Rob Reyes</td>", StringComparison.Ordinal)..];
        Assert.That(rob[..rob.IndexOf("</tr>", StringComparison.Ordinal)], Does.Contain("5.7").And.Contain("small sample"), "2 closed deals");
    }

    [Test]
    public void Coaching_SaysWhatTheFiguresRestOn_AndClaimsNoCause()
    {
        var coaching = Section(HtmlReport.Render(WithCoaching()));

        Assert.That(coaching, Does.Contain("show no cause").And.Contain("coaching nobody recorded is not here").And.Contain("recorded with a duration"));
    }

    [Test]
    public void Coaching_WithNothingRecorded_SaysSo()
    {
        var coaching = Section(HtmlReport.Render(SampleReports.Quarter() with { Coaching = Array.Empty<CoachingRow>() }));

        Assert.That(coaching, Does.Contain("No coaching recorded"));
    }

    [Test, CancelAfter(90_000)]
    public async Task Coaching_InChromium_IsASectionOfThePage_WithItsRowsAndSortableColumns()
    {
        var folder = Directory.CreateTempSubdirectory("report-coaching-").FullName;
        try
        {
            var path = Path.Combine(folder, "coaching.html");
            HtmlReport.Write(WithCoaching(), path);
            using var limit = new CancellationTokenSource(TimeLimit);
            var cancel = limit.Token;

            await using var browser = await Chromium.StartAsync(Chromium.Require(), cancel);
            await browser.SendAsync("Emulation.setDeviceMetricsOverride", new { width = 1280, height = 900, deviceScaleFactor = 1, mobile = false }, cancel);
            await browser.LoadAsync(path, TimeLimit, cancel);

            var managers = await browser.EvaluateAsync("Array.from(document.querySelectorAll('#coaching table.coaching-manager tbody tr'), r => r.cells[0].innerText)", cancel);
            var reps = await browser.EvaluateAsync("Array.from(document.querySelectorAll('#coaching table.coaching-rep tbody tr'), r => r.cells[0].innerText)", cancel);
            var small = await browser.EvaluateAsync("Array.from(document.querySelectorAll('#coaching tbody tr')).filter(r => r.innerText.includes('small sample')).length", cancel);
            var text = (await browser.EvaluateAsync("document.querySelector('#coaching').innerText", cancel)).GetString()!;
            var inNav = await browser.EvaluateAsync("Array.from(document.querySelectorAll('nav a'), a => a.getAttribute('href')).includes('#coaching')", cancel);
            var sorted = await browser.EvaluateAsync(
                "(() => { const th = Array.from(document.querySelectorAll('#coaching table.coaching-rep th')).find(h => h.innerText.startsWith('Hours')); th.click(); th.click();" +
                " return [th.getAttribute('aria-sort'), Array.from(document.querySelectorAll('#coaching table.coaching-rep tbody tr'), r => r.cells[0].innerText)]; })()", cancel);
            var errors = browser.Errors();

            Assert.Multiple(() =>
            {
                Assert.That(errors, Is.Empty, "script errors");
                Assert.That(managers.EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "Mia <Moreno>", "Sam Sato" }));
                Assert.That(reps.EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "Rob Reyes", "Sue Suzuki" }));
                Assert.That(small.GetInt32(), Is.EqualTo(2), "Sam's 3 and Rob's 2 closed deals");
                Assert.That(text, Does.Contain("show no cause"));
                Assert.That(inNav.GetBoolean(), Is.True, "the section is in the page's navigation");
                Assert.That(sorted[0].GetString(), Is.EqualTo("descending"));
                Assert.That(sorted[1].EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "Rob Reyes", "Sue Suzuki" }), "most hours first");
            });
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
