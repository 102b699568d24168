using System.IO;
using System.Linq;
using System.Text.Json;
using System.Xml.Linq;
using CrmPlugins.SolutionModel;
using NUnit.Framework;

namespace CrmPlugins.Solution.Tests
{
    /// <summary>
    /// The daily sweep's cloud flow (Solution/Workflows/DealRiskDailySweep-*.json and .json.data.xml, the connection
    /// reference in Other/Customizations.xml, its root component) against the shape of real exports in Microsoft's
    /// microsoft/coe-starter-kit, CenterofExcellenceALMAccelerator/SolutionPackage/src/:
    /// Workflows/UpdateReleaseHistoryScheduled-D827D8D5-0C3B-ED11-9DB1-0022489E2A9E.json.data.xml (commit 53fa930d3618f74196fc078f44644899468c1b56)
    /// and its .json (commit 8926a8144bd9dcea28947102dfe64e102456a7d3): a Recurrence trigger, daily;
    /// Workflows/SetRepositoryId-1E60CEF5-E94D-EE11-BE6E-000D3A354BF5.json (commit 396c85678a3145e78bc2eda5bedffcc58813d899): a
    /// Dataverse connection reference and OpenApiConnection host; Other/Customizations.xml (commit 1f8fca3a5ac0df4a40eda80a1cbaf34d4f6d87d2):
    /// the connectionreference element; Other/Solution.xml (commit 097d76bcb8d60721eca697e03ee0faef3aabbd24): flows as root
    /// components of type 29, connection references not listed. Microsoft's SolutionPackager packs and extracts it to the
    /// same zip and source as ours (MicrosoftPackagerTests).
    /// </summary>
    [TestFixture]
    public sealed class CloudFlowTests
    {
        /// <summary>The elements of the real export's .json.data.xml, in its order.</summary>
        private static readonly string[] RealDataElements =
        {
            "JsonFileName", "Type", "Subprocess", "Category", "Mode", "Scope", "OnDemand", "TriggerOnCreate", "TriggerOnDelete", "AsyncAutodelete",
            "SyncWorkflowLogOnFailure", "StateCode", "StatusCode", "RunAs", "IsTransacted", "IntroducedVersion", "IsCustomizable",
            "IsCustomProcessingStepAllowedForOtherPublishers", "PrimaryEntity", "LocalizedNames",
        };

        private static CloudFlowDefinition Flow => CloudFlowSource.Read(Repo.SolutionFolder).Single();

        private static JsonElement Json() => JsonDocument.Parse(File.ReadAllText(Flow.JsonFile)).RootElement;

        [Test]
        public void DataFile_HasTheRealExportsElements_InItsOrder()
        {
            var root = XDocument.Load(Flow.DataFile).Root!;

            Assert.That(root.Elements().Select(e => e.Name.LocalName), Is.EqualTo(RealDataElements));
            Assert.That(root.Element("Category")!.Value, Is.EqualTo("5"), "a modern (cloud) flow");
            Assert.That(root.Element("PrimaryEntity")!.Value, Is.EqualTo("none"));
            Assert.That(root.Element("JsonFileName")!.Value, Is.EqualTo("/Workflows/" + Path.GetFileName(Flow.JsonFile)));
            Assert.That(Path.GetFileName(Flow.JsonFile), Does.Match("^DealRiskDailySweep-[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\\.json$"));
        }

        [Test]
        public void Json_HasTheRealExportsShape_ARecurrenceOncePerDay_AndTheDataverseConnectionReference()
        {
            var json = Json();
            Assert.That(json.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "properties", "schemaVersion" }));
            var properties = json.GetProperty("properties");
            Assert.That(properties.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "connectionReferences", "definition", "templateName" }));
            var definition = properties.GetProperty("definition");
            Assert.That(definition.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "$schema", "contentVersion", "parameters", "triggers", "actions" }));
            Assert.That(definition.GetProperty("parameters").EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "$connections", "$authentication" }));

            var trigger = definition.GetProperty("triggers").EnumerateObject().Single().Value;
            Assert.That(trigger.GetProperty("type").GetString(), Is.EqualTo("Recurrence"));
            Assert.That(trigger.GetProperty("recurrence").GetProperty("frequency").GetString(), Is.EqualTo("Day"));
            Assert.That(trigger.GetProperty("recurrence").GetProperty("interval").GetInt32(), Is.EqualTo(1));

            var reference = properties.GetProperty("connectionReferences").GetProperty("shared_commondataserviceforapps");
            Assert.That(reference.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "runtimeSource", "connection", "api" }));
            Assert.That(reference.GetProperty("api").GetProperty("name").GetString(), Is.EqualTo("shared_commondataserviceforapps"));
            var logical = reference.GetProperty("connection").GetProperty("connectionReferenceLogicalName").GetString();
            Assert.That(CloudFlowSource.ConnectionReferences(SolutionSource.Load(Repo.SolutionFolder))[logical!], Is.EqualTo("/providers/Microsoft.PowerApps/apis/shared_commondataserviceforapps"));
        }

        [Test]
        public void Json_CallsTheCustomApiUntilItIsDone_WithItsParameters()
        {
            var actions = Json().GetProperty("properties").GetProperty("definition").GetProperty("actions");
            var loop = actions.EnumerateObject().Single(a => a.Value.GetProperty("type").GetString() == "Until").Value;
            var call = loop.GetProperty("actions").EnumerateObject().Single(a => a.Value.GetProperty("type").GetString() == "OpenApiConnection");
            var host = call.Value.GetProperty("inputs").GetProperty("host");
            var parameters = call.Value.GetProperty("inputs").GetProperty("parameters");

            Assert.That(host.GetProperty("operationId").GetString(), Is.EqualTo("PerformUnboundAction"));
            Assert.That(host.GetProperty("apiId").GetString(), Is.EqualTo("/providers/Microsoft.PowerApps/apis/shared_commondataserviceforapps"));
            var api = CustomApiSource.Read(Repo.SolutionFolder).Single(a => a.UniqueName == "dr_RunRiskSweep");
            Assert.That(parameters.GetProperty("actionName").GetString(), Is.EqualTo(api.UniqueName));
            var passed = parameters.EnumerateObject().Where(p => p.Name.StartsWith("item/")).Select(p => p.Name["item/".Length..]).ToList();
            Assert.That(passed, Is.SubsetOf(api.RequestParameters.Select(p => p.UniqueName)));
            Assert.That(passed, Is.SupersetOf(api.RequestParameters.Where(p => p.IsOptional == false).Select(p => p.UniqueName)), "every required parameter is passed");
            Assert.That(loop.GetProperty("expression").GetString(), Does.Contain("variables('Done')"));
            Assert.That(loop.GetProperty("actions").ToString(), Does.Contain($"outputs('{call.Name}')?['body/Done']").And.Contain($"outputs('{call.Name}')?['body/ContinuationToken']"));
            Assert.That(api.ResponseProperties.Select(p => p.UniqueName), Is.SupersetOf(new[] { "Done", "ContinuationToken" }));
        }

        [Test]
        public void Solution_ListsTheFlowAsARootComponentOfType29()
        {
            var manifest = XDocument.Load(Path.Combine(Repo.SolutionFolder, "Other", "Solution.xml"));
            Assert.That(manifest.Descendants("RootComponent").Where(r => (string?)r.Attribute("type") == "29").Select(r => (string?)r.Attribute("id")),
                Does.Contain("{" + Flow.Id + "}"));
        }

        [Test]
        public void Validate_AFlowUsingAnUndeclaredConnectionReference_IsAProblem()
        {
            using var broken = BrokenSolution.With(s => s.ReplaceText("Other/Customizations.xml", "connectionreferencelogicalname=\"dr_DealRiskDataverse\"", "connectionreferencelogicalname=\"dr_Other\""));

            Assert.That(broken.Problems(), Has.Some.Contains("the connection reference 'dr_DealRiskDataverse' is not declared in Other/Customizations.xml"));
        }
    }
}
