using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using CrmPlugins.SolutionModel;
using NUnit.Framework;

namespace CrmPlugins.Solution.Tests
{
    /// <summary>
    /// The Custom API dr_RunRiskSweep in Solution/customapis, against Microsoft's documented layout for Custom APIs in
    /// solution files (learn.microsoft.com/power-apps/developer/data-platform/create-custom-api-solution, steps 2-5: the
    /// folders, the element names of customapi.xml, customapirequestparameter.xml and customapiresponseproperty.xml, and
    /// "isoptional is not valid for a response property"). Microsoft's SolutionPackager packs and extracts the folder to
    /// the same zip entries and source (MicrosoftPackagerTests, where ../shared/tools/mspack is built).
    /// </summary>
    [TestFixture]
    public sealed class CustomApiTests
    {
        // The elements of the documented examples (step 2, 3 and 4 of the page above); workflowsdkstepenabled is a column
        // of the customapi table the page lists among those that cannot change after creation.
        private static readonly string[] ApiElements =
            { "allowedcustomprocessingsteptype", "bindingtype", "boundentitylogicalname", "description", "displayname", "executeprivilegename", "iscustomizable", "isfunction", "isprivate", "name", "plugintypeid", "workflowsdkstepenabled" };
        private static readonly string[] RequestElements = { "description", "displayname", "iscustomizable", "isoptional", "logicalentityname", "name", "type" };
        private static readonly string[] ResponseElements = { "description", "displayname", "iscustomizable", "logicalentityname", "name", "type" };

        private static string Api => Path.Combine(Repo.SolutionFolder, "customapis", "dr_RunRiskSweep");

        [Test]
        public void RunRiskSweep_Files_HaveTheElementsOfMicrosoftsExamples()
        {
            var api = XDocument.Load(Path.Combine(Api, "customapi.xml")).Root!;
            Assert.That(api.Name.LocalName, Is.EqualTo("customapi"));
            Assert.That((string?)api.Attribute("uniquename"), Is.EqualTo("dr_RunRiskSweep"));
            Assert.That(api.Elements().Select(e => e.Name.LocalName), Is.EquivalentTo(ApiElements));
            Assert.That(api.Element("plugintypeid")!.Elements().Select(e => e.Name.LocalName), Is.EqualTo(new[] { "plugintypeid" }));

            foreach (var (file, elements) in FieldElements(Api, "customapirequestparameters"))
                Assert.That(elements, Is.EquivalentTo(RequestElements), file);
            foreach (var (file, elements) in FieldElements(Api, "customapiresponseproperties"))
                Assert.That(elements, Is.EquivalentTo(ResponseElements), file);
        }

        /// <summary>Each parameter (or response property) file of the API in <paramref name="apiFolder"/> with its elements' names, in order.</summary>
        private static IEnumerable<(string File, string[] Elements)> FieldElements(string apiFolder, string folder) =>
            Directory.EnumerateFiles(Path.Combine(apiFolder, folder), "*.xml", SearchOption.AllDirectories)
                .Select(f => (f, XDocument.Load(f).Root!.Elements().Select(e => e.Name.LocalName).ToArray()));

        [Test]
        public void RunRiskSweep_IsAnUnboundActionWithItsPlugin_AndOneRequiredParameter()
        {
            var api = CustomApiSource.Read(Repo.SolutionFolder).Single(a => a.UniqueName == "dr_RunRiskSweep");

            Assert.That(api.UniqueName, Is.EqualTo("dr_RunRiskSweep"));
            Assert.That(api.BindingType, Is.EqualTo(0), "unbound (Global)");
            Assert.That(api.IsFunction, Is.False, "an action: it changes data, so the flow calls it with POST");
            var type = SolutionSource.Load(Repo.SolutionFolder).PluginAssemblies.SelectMany(a => a.Types).Single(t => t.Id == api.PluginTypeId);
            Assert.That(type.TypeName, Is.EqualTo("DealRisk.Plugins.Sweep.RiskSweepPlugin"));
            Assert.That(api.RequestParameters.Select(p => (p.UniqueName, p.Type, p.IsOptional)), Is.EquivalentTo(new[] { ("PageSize", 7, (bool?)false), ("ContinuationToken", 10, (bool?)true) }));
            Assert.That(api.ResponseProperties.Select(p => p.UniqueName), Is.EquivalentTo(new[] { "Done", "ContinuationToken", "Judged", "Changed", "Escalated", "Summary" }));
        }

        [Test]
        public void RebuildDemandLedger_Files_HaveTheElementsOfMicrosoftsExamples()
        {
            var folder = Path.Combine(Repo.SolutionFolder, "customapis", "dr_RebuildDemandLedger");
            var api = XDocument.Load(Path.Combine(folder, "customapi.xml")).Root!;
            Assert.That(api.Elements().Select(e => e.Name.LocalName), Is.EqualTo(XDocument.Load(Path.Combine(Api, "customapi.xml")).Root!.Elements().Select(e => e.Name.LocalName)),
                "the elements, in the order of the sweep's API that Microsoft's packager extracts back unchanged");
            foreach (var (file, elements) in FieldElements(folder, "customapirequestparameters"))
                Assert.That(elements, Is.EqualTo(RequestElements), file);
            foreach (var (file, elements) in FieldElements(folder, "customapiresponseproperties"))
                Assert.That(elements, Is.EqualTo(ResponseElements), file);
        }

        [Test]
        public void RebuildDemandLedger_IsAnUnboundActionWithItsPlugin_AndOneRequiredParameter()
        {
            var api = CustomApiSource.Read(Repo.SolutionFolder).Single(a => a.UniqueName == "dr_RebuildDemandLedger");

            Assert.That(api.BindingType, Is.EqualTo(0), "unbound (Global)");
            Assert.That(api.IsFunction, Is.False, "an action: it writes the ledger");
            var type = SolutionSource.Load(Repo.SolutionFolder).PluginAssemblies.SelectMany(a => a.Types).Single(t => t.Id == api.PluginTypeId);
            Assert.That(type.TypeName, Is.EqualTo("DealRisk.Plugins.Ledger.RebuildDemandLedgerPlugin"));
            Assert.That(api.RequestParameters.Select(p => (p.UniqueName, p.Type, p.IsOptional)), Is.EquivalentTo(new[] { ("PageSize", 7, (bool?)false), ("Continuation", 10, (bool?)true) }));
            Assert.That(api.ResponseProperties.Select(p => (p.UniqueName, p.Type)), Is.EquivalentTo(new[] { ("Continuation", 10), ("Deals", 7), ("Entries", 7) }));
        }

        [Test]
        public void RebuildDemandLedger_RequiresAPrivilegeOnlyTheAdministratorRoleHolds()
        {
            // "There is currently no supported way for developers outside of Microsoft to create new privileges, but an
            // existing privilege can be used" (learn.microsoft.com/power-apps/developer/data-platform/custom-api, "CustomAPI
            // entity attributes", Execute Privilege Name): the ledger's write privilege, which reps and managers lack.
            var privilege = XDocument.Load(Path.Combine(Repo.SolutionFolder, "customapis", "dr_RebuildDemandLedger", "customapi.xml")).Root!.Element("executeprivilegename")!.Value;
            var roles = SolutionSource.Load(Repo.SolutionFolder).Roles;

            Assert.That(privilege, Is.EqualTo("prvWritedr_DemandEntry"));
            Assert.That(roles.Where(r => r.Privileges.Any(p => p.Privilege == privilege)).Select(r => r.Name), Is.EqualTo(new[] { "Deal Risk Administrator" }));
        }

        [Test]
        public void Validate_AResponsePropertyWithIsOptional_IsAProblem()
        {
            using var broken = BrokenSolution.With(s => s.EditXml("customapis/dr_RunRiskSweep/customapiresponseproperties/Done/customapiresponseproperty.xml",
                doc => doc.Root!.Add(new XElement("isoptional", "0"))));

            Assert.That(broken.Problems(), Has.One.Contains("customapiresponseproperties/Done/customapiresponseproperty.xml: a response property cannot have <isoptional>"));
        }

        [Test]
        public void Validate_ACustomApiNamingAPluginTypeNotInTheAssemblies_IsAProblem()
        {
            using var broken = BrokenSolution.With(s => s.ReplaceText("customapis/dr_RunRiskSweep/customapi.xml", "8bf98156-0721-5179-ac18-023455325f95", "00000000-0000-0000-0000-000000000001"));

            var problems = broken.Problems();
            Assert.That(problems, Has.One.Contains("customapis/dr_RunRiskSweep/customapi.xml: plugintypeid 00000000-0000-0000-0000-000000000001 is not a PluginType of PluginAssemblies/"));
            Assert.That(problems, Has.One.Contains("the plugin class DealRisk.Plugins.Sweep.RiskSweepPlugin of DealRisk.Plugins has no step"), "without its API the plugin is registered nowhere");
        }

        [Test]
        public void Validate_AParameterWhoseNameIsNotTheApisDotItsUniqueName_IsAProblem()
        {
            using var broken = BrokenSolution.With(s => s.ReplaceText("customapis/dr_RunRiskSweep/customapirequestparameters/PageSize/customapirequestparameter.xml",
                "<name>dr_RunRiskSweep.PageSize</name>", "<name>PageSize</name>"));

            Assert.That(broken.Problems(), Has.One.Contains("<name> is 'PageSize', not 'dr_RunRiskSweep.PageSize'"));
        }
    }
}
