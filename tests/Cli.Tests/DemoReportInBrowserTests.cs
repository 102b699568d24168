using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CrmPlugins.Report.Tests;
using NUnit.Framework;

namespace DealRisk.Cli.Tests
{
    /// <summary>The demo's own report, opened in headless Chromium: no script error, and the flagged deals are the demo's High and Critical deals.</summary>
    [TestFixture, NonParallelizable]
    public sealed class DemoReportInBrowserTests
    {
        [Test, CancelAfter(120_000)]
        public async Task DemoReport_RendersAndFlagsTheRiskyDeals()
        {
            var output = Directory.CreateTempSubdirectory("dealrisk-demo-browser-").FullName;
            try
            {
                var demo = DemoCommand.Run(output, pack: false, TextWriter.Null);
                using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                await using var browser = await Chromium.StartAsync(Chromium.Require(), limit.Token);
                await browser.LoadAsync(demo.ReportPath, TimeSpan.FromSeconds(60), limit.Token);

                var flagged = await browser.EvaluateAsync("Array.from(document.querySelectorAll('#flagged-deals [data-deal-id]'), r => r.getAttribute('data-deal-id'))", limit.Token);
                var text = (await browser.EvaluateAsync("document.body.innerText", limit.Token)).GetString()!;
                var outcomes = (await browser.EvaluateAsync("document.querySelector('#outcomes').innerText", limit.Token)).GetString()!;
                var indicators = (await browser.EvaluateAsync("document.querySelector('#indicators').innerText", limit.Token)).GetString()!;

                var expected = demo.Report.Deals.Where(d => d.Overall is "High" or "Critical").Select(d => d.Id).ToList();
                Assert.That(expected, Has.Count.GreaterThanOrEqualTo(5));
                Assert.That(browser.Errors(), Is.Empty, "script errors in the page");
                Assert.That(flagged.EnumerateArray().Select(i => Guid.Parse(i.GetString()!)), Is.EquivalentTo(expected));
                Assert.That(text, Does.Contain("Adventure Works field service").And.Contain("Must-have 'Offline mobile inspections' is not supported"));
                Assert.That(outcomes, Does.Contain($"{demo.Report.Outcomes!.Won} of {demo.Report.Outcomes.Closed}").And.Contain("MUST_HAVE_NOT_SUPPORTED").And.Contain("the policy is never changed"),
                    "the outcome analysis shows in the browser");
                Assert.That(indicators, Does.Contain("Leading").And.Contain("Trailing").And.Contain("Win rate"));
            }
            finally
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }
}
