using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using CrmPlugins.SolutionModel;
using DealRisk.Cli;
using DealRisk.Cli.Live;
using NUnit.Framework;

namespace DealRisk.Cli.Tests
{
    /// <summary>
    /// deploy's check that the environment has the Dynamics 365 components the solution declares missing (before it
    /// imports anything), and status's report of each step and the workflow: against Web API answers in Dataverse's shapes.
    /// </summary>
    public class SolutionStateTests
    {
        /// <summary>Answers GETs from a table of paths (without the query for sets, with it for metadata); anything else is a 404 as Dataverse gives it.</summary>
        private sealed class Environment : HttpMessageHandler
        {
            public readonly Dictionary<string, string> Answers = new(StringComparer.Ordinal);
            public readonly List<string> Asked = new();

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var path = Uri.UnescapeDataString(request.RequestUri!.PathAndQuery)["/api/data/v9.2/".Length..];
                Asked.Add(path);
                var key = Answers.Keys.FirstOrDefault(k => path == k || path.StartsWith(k + "?", StringComparison.Ordinal));
                var response = key != null
                    ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Answers[key], Encoding.UTF8, "application/json") }
                    : new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("{\"error\":{\"code\":\"0x80060888\",\"message\":\"Could not find an entity.\"}}", Encoding.UTF8, "application/json") };
                return Task.FromResult(response);
            }
        }

        private sealed class Token : ITokenProvider
        {
            public Task<string> GetTokenAsync(CancellationToken cancel) => Task.FromResult("token");
        }

        private static WebApiClient Client(Environment env) => new(new Uri("https://contoso.crm4.dynamics.com"), new Token(), _ => { }, env);

        private static string _zip = null!;

        [OneTimeSetUp]
        public void PackTheSolution()
        {
            // The solution.xml deploy reads is the packed Solution/Other/Solution.xml; a zip holding it (beside a customizations.xml, as any solution zip has) is enough for the check.
            var solution = SolutionSource.FindInRepository()!;
            _zip = Path.Combine(Path.GetTempPath(), $"dealrisk-state-{Guid.NewGuid():N}.zip");
            using var zip = System.IO.Compression.ZipFile.Open(_zip, System.IO.Compression.ZipArchiveMode.Create);
            using var entry = zip.CreateEntry("solution.xml").Open();
            using (var source = File.OpenRead(Path.Combine(solution, "Other", "Solution.xml"))) source.CopyTo(entry);
            entry.Dispose();
            zip.CreateEntry("customizations.xml").Open().Dispose();
        }

        [OneTimeTearDown]
        public void CleanUp() => File.Delete(_zip);

        private static void HasSales(Environment env)
        {
            foreach (var table in new[] { "opportunity", "opportunityproduct", "opportunitysalesprocess", "product" })
                env.Answers[$"EntityDefinitions(LogicalName='{table}')"] = $"{{\"LogicalName\":\"{table}\"}}";
            env.Answers["EntityDefinitions(LogicalName='opportunity')/Attributes(LogicalName='msdyn_forecastcategory')"] = "{\"LogicalName\":\"msdyn_forecastcategory\"}";
        }

        [Test]
        public void Deploy_ToAnEnvironmentWithoutSales_StopsBeforeImporting_NamingWhatIsMissing()
        {
            var env = new Environment();
            using var api = Client(env);

            var error = Assert.Throws<CliException>(() => SolutionState.CheckDependencies(api, SolutionZip.Read(_zip), TextWriter.Null, CancellationToken.None))!;

            Assert.That(error.ExitCode, Is.EqualTo(ExitCodes.Failed));
            Assert.That(error.Message, Does.StartWith("contoso.crm4.dynamics.com lacks what DealRisk needs, so nothing was imported: from Sales: the table opportunity, the table opportunityproduct, the table opportunitysalesprocess, the column msdyn_forecastcategory of opportunity; from Product Management: the table product."));
            Assert.That(env.Asked, Has.None.Contains("ImportSolution"));
        }

        [Test]
        public void Deploy_ToAnEnvironmentWithSalesButAnOldForecastColumn_NamesTheColumn()
        {
            var env = new Environment();
            HasSales(env);
            env.Answers.Remove("EntityDefinitions(LogicalName='opportunity')/Attributes(LogicalName='msdyn_forecastcategory')");
            using var api = Client(env);

            var error = Assert.Throws<CliException>(() => SolutionState.CheckDependencies(api, SolutionZip.Read(_zip), TextWriter.Null, CancellationToken.None))!;

            Assert.That(error.Message, Does.Contain("from Sales: the column msdyn_forecastcategory of opportunity.").And.Not.Contain("the table"));
        }

        [Test]
        public void Deploy_ToAnEnvironmentWithSales_PassesTheCheck_AskingOncePerComponent()
        {
            var env = new Environment();
            HasSales(env);
            using var api = Client(env);
            var log = new StringWriter();

            SolutionState.CheckDependencies(api, SolutionZip.Read(_zip), log, CancellationToken.None);

            Assert.That(log.ToString(), Does.Contain("has the 5 Dynamics 365 component(s) DealRisk needs"));
            Assert.That(env.Asked, Has.Count.EqualTo(5));
        }

        /// <summary>DealRisk installed with two steps (the win gate's in <paramref name="winGateStep"/>) and the workflow in <paramref name="workflow"/> (statecode).</summary>
        private static Environment Installed(int winGateStep, int workflow)
        {
            var env = new Environment();
            env.Answers["sdkmessageprocessingsteps"] = "{\"value\":[{\"name\":\"DealRisk.Plugins.OpportunityRiskPlugin: Update of opportunity\",\"statecode\":0}," +
                $"{{\"name\":\"DealRisk.Plugins.WinGatePlugin: Update of opportunity\",\"statecode\":{winGateStep}}}]}}";
            env.Answers["workflows"] = $"{{\"value\":[{{\"name\":\"Deal Risk: alert the manager when the risk changes\",\"statecode\":{workflow}}}]}}";
            env.Answers["solutions"] = "{\"value\":[{\"uniquename\":\"DealRisk\",\"version\":\"1.0.0.0\",\"ismanaged\":true}]}";
            return env;
        }

        [Test]
        public void Status_ReportsEachStepAndTheWorkflow_AndHowToTurnOnWhatIsOff_Exit1()
        {
            using var api = Client(Installed(winGateStep: 1, workflow: 0));
            var log = new StringWriter();

            var exit = LiveCommands.PrintStatus(api, log);

            Assert.That(exit, Is.EqualTo(ExitCodes.Failed));
            Assert.That(log.ToString(), Does.Contain("Steps: 1 of 2 enabled.")
                .And.Contain("DISABLED  DealRisk.Plugins.WinGatePlugin: Update of opportunity")
                .And.Contain("enabled   DealRisk.Plugins.OpportunityRiskPlugin: Update of opportunity")
                .And.Contain("Workflow \"Deal Risk: alert the manager when the risk changes\": DRAFT (not running).")
                .And.Contain("Turn them on in make.powerapps.com > Solutions > DealRisk"));
        }

        [Test]
        public void Status_WhenEverythingIsOn_SaysSo_Exit0()
        {
            using var api = Client(Installed(winGateStep: 0, workflow: 1));
            var log = new StringWriter();

            Assert.That(LiveCommands.PrintStatus(api, log), Is.EqualTo(ExitCodes.Ok));
            Assert.That(log.ToString(), Does.Contain("Steps: 2 of 2 enabled.").And.Contain(": activated.").And.Not.Contain("Turn them on"));
        }
    }
}
