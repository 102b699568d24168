using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using DealRisk.Cli.Live;
using NUnit.Framework;

namespace DealRisk.Cli.Tests
{
    /// <summary>
    /// deploy packs for the environment it imports into: the ids of CreateMultiple, UpdateMultiple, Win and Lose appear in
    /// no reference we can cite and are not guessed, so deploy reads them from the environment's sdkmessages, and the tables
    /// each is offered on from its sdkmessagefilters (the query Microsoft gives:
    /// learn.microsoft.com/power-apps/developer/data-platform/bulk-operations#availability-with-standard-tables), then imports
    /// steps on those ids. Against a Web API on the loopback address.
    /// </summary>
    [TestFixture, NonParallelizable]
    public sealed class DeployMessageTests
    {
        // Ids the loopback environment gives its messages: made up here on purpose, to prove they come from the environment.
        private const string CreateMultiple = "5a000000-0000-4000-8000-000000000001";
        private const string UpdateMultiple = "5a000000-0000-4000-8000-000000000002";
        private const string Win = "5a000000-0000-4000-8000-000000000003";
        private const string Lose = "5a000000-0000-4000-8000-000000000004";
        private const string Create = "9ebdbb1b-ea3e-db11-86a7-000a3a5473e8";
        private const string Update = "20bebb1b-ea3e-db11-86a7-000a3a5473e8";

        private FakeDataverse _server = null!;
        private string _out = null!;

        [SetUp]
        public void Start()
        {
            _server = new FakeDataverse { PageSize = 50 };
            _out = Directory.CreateTempSubdirectory("dealrisk-deploy-").FullName;
            Environment.SetEnvironmentVariable(SignIn.TokenVariable, FakeDataverse.Token);
            JsonObject Message(string id, string name) => new() { ["sdkmessageid"] = id, ["name"] = name };
            JsonObject Filter(string message, string table) => new() { ["sdkmessagefilterid"] = Guid.NewGuid().ToString(), ["_sdkmessageid_value"] = message, ["primaryobjecttypecode"] = table };
            _server.Sets["sdkmessages"] = new() { Message(CreateMultiple, "CreateMultiple"), Message(UpdateMultiple, "UpdateMultiple"), Message(Win, "Win"), Message(Lose, "Lose"), Message(Create, "Create") };
            _server.Sets["sdkmessagefilters"] = new List<JsonObject>
            {
                Filter(CreateMultiple, "opportunity"), Filter(UpdateMultiple, "opportunity"), Filter(Win, "opportunity"), Filter(Lose, "opportunity"),
                Filter(CreateMultiple, "dr_requirement"), Filter(UpdateMultiple, "dr_requirement"),
                Filter(CreateMultiple, "dr_resourceallocation"), Filter(UpdateMultiple, "dr_resourceallocation"),
                // opportunityproduct: this environment does not offer the bulk messages on it.
            };
        }

        [TearDown]
        public void Stop()
        {
            Environment.SetEnvironmentVariable(SignIn.TokenVariable, null);
            _server.Dispose();
            Directory.Delete(_out, recursive: true);
        }

        private static Dictionary<string, (string MessageId, string[] ImageProperties)> ImportedSteps(byte[] zip)
        {
            using var archive = new ZipArchive(new MemoryStream(zip));
            using var stream = archive.GetEntry("customizations.xml")!.Open();
            return XDocument.Load(stream).Descendants("SdkMessageProcessingStep").ToDictionary(
                s => (string)s.Attribute("Name")!,
                s => (Guid.Parse((string)s.Element("SdkMessageId")!).ToString(), s.Descendants("MessagePropertyName").Select(p => p.Value).ToArray()));
        }

        [Test]
        public void Deploy_ReadsTheBulkAndCloseMessageIds_FromTheEnvironment_AndImportsTheStepsOnThem()
        {
            var root = Repo.FindRoot()!;
            if (!File.Exists(Path.Combine(root, "Plugins", "bin", "Release", "net462", "DealRisk.Plugins.dll")))
                Assert.Ignore("deploy --no-build packs the Release net462 assemblies: build the solution in Release first.");

            var result = CliRun.Run("deploy", "--url", _server.Url, "-o", _out, "--no-build", "--yes");

            Assert.That(result.Exit, Is.Zero, result.Out + result.Error);
            Assert.That(_server.Requests.Where(r => r.PathAndQuery.StartsWith("/api/data/v9.2/sdkmessages?", StringComparison.Ordinal)).Select(r => Uri.UnescapeDataString(r.PathAndQuery)),
                Has.One.Contains("name eq 'CreateMultiple' or name eq 'Lose' or name eq 'UpdateMultiple' or name eq 'Win'"), "by name, never guessed");
            Assert.That(_server.Requests.Count(r => r.PathAndQuery.StartsWith("/api/data/v9.2/sdkmessagefilters?", StringComparison.Ordinal)), Is.EqualTo(1));
            var steps = ImportedSteps(_server.ImportedZip!);
            Assert.That(steps["DealRisk.Plugins.OpportunityRiskPlugin: UpdateMultiple of opportunity"], Is.EqualTo((UpdateMultiple, new[] { "Targets" })).Using(new StepComparer()));
            Assert.That(steps["DealRisk.Plugins.OpportunityRiskPlugin: CreateMultiple of opportunity"].MessageId, Is.EqualTo(CreateMultiple));
            Assert.That(steps["DealRisk.Plugins.ChildRowRiskPlugin: UpdateMultiple of dr_requirement"].MessageId, Is.EqualTo(UpdateMultiple));
            Assert.That(steps["DealRisk.Plugins.WinGatePlugin: Win of opportunity"].MessageId, Is.EqualTo(Win));
            Assert.That(steps["DealRisk.Plugins.RiskHistoryPlugin: Lose of opportunity"].MessageId, Is.EqualTo(Lose));
            Assert.That(steps.Keys, Has.None.EqualTo("DealRisk.Plugins.OpportunityRiskPlugin: Update of opportunity"), "the single steps go");
            Assert.That(steps["DealRisk.Plugins.ChildRowRiskPlugin: Update of opportunityproduct"], Is.EqualTo((Update, new[] { "Target" })).Using(new StepComparer()),
                "where the environment does not offer UpdateMultiple, the step ships on Update");
            Assert.That(result.Out, Does.Contain("UpdateMultiple is " + UpdateMultiple).And.Contain("not on opportunityproduct"));
            Assert.That(result.Out, Does.Contain("registered on Update instead (127.0.0.1 does not offer UpdateMultiple on opportunityproduct)"));
            Assert.That(result.Out, Does.Contain("Next, for the demand ledger: run `dealrisk ledger rebuild --url ...` once"), "deals saved before the import are in the ledger only after it");
        }

        [Test]
        public void Pack_WithoutAnEnvironment_ShipsTheBulkStepsOnCreateAndUpdate_AndSaysSo()
        {
            var root = Repo.FindRoot()!;
            if (!File.Exists(Path.Combine(root, "Plugins", "bin", "Release", "net462", "DealRisk.Plugins.dll")))
                Assert.Ignore("pack --no-build packs the Release net462 assemblies: build the solution in Release first.");

            var result = CliRun.Run("pack", "--no-build", "-o", _out);

            Assert.That(result.Exit, Is.Zero, result.Out + result.Error);
            Assert.That(result.Out, Does.Contain("note: DealRisk.Plugins.OpportunityRiskPlugin: UpdateMultiple of opportunity: registered on Update instead (no environment was given to read the id of UpdateMultiple from)"));
            Assert.That(result.Out, Does.Contain("note: DealRisk.Plugins.WinGatePlugin: Win of opportunity: left out (no environment was given to read the id of Win from); `dealrisk deploy` registers it."));
            var steps = ImportedSteps(File.ReadAllBytes(Path.Combine(_out, "DealRisk_1_0_0_0_managed.zip")));
            Assert.That(steps["DealRisk.Plugins.OpportunityRiskPlugin: Update of opportunity"], Is.EqualTo((Update, new[] { "Target" })).Using(new StepComparer()));
            Assert.That(steps.Keys, Has.None.Contains("Multiple").And.None.Contains(": Win of").And.None.Contains(": Lose of"));
        }

        private sealed class StepComparer : IEqualityComparer<(string MessageId, string[] ImageProperties)>
        {
            public bool Equals((string MessageId, string[] ImageProperties) x, (string MessageId, string[] ImageProperties) y) =>
                x.MessageId == y.MessageId && x.ImageProperties.SequenceEqual(y.ImageProperties);

            public int GetHashCode((string MessageId, string[] ImageProperties) obj) => obj.MessageId.GetHashCode(StringComparison.Ordinal);
        }
    }
}
