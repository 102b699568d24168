using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CrmPlugins.SolutionModel;
using NUnit.Framework;

namespace CrmPlugins.Solution.Tests
{
    /// <summary>
    /// Our packed zip against a real Dataverse 9.2 export (<see cref="RealExport"/>), point by point: where each file lies,
    /// the content types, the order of customizations.xml, the steps and assemblies inside it, the root components.
    /// </summary>
    [TestFixture]
    public sealed class ExportShapeTests
    {
        private string _out = null!;
        private string _zip = null!;

        [OneTimeSetUp]
        public void Pack()
        {
            _out = Directory.CreateTempSubdirectory("dealrisk-shape-").FullName;
            _zip = SolutionPacker.Pack(SolutionSource.Load(Repo.SolutionFolder), Repo.BuiltAssemblies, _out).UnmanagedZip;
        }

        [OneTimeTearDown]
        public void CleanUp() => Directory.Delete(_out, recursive: true);

        private XDocument Ours(string entry) => Zips.ReadXml(_zip, entry);

        [Test]
        public void Point1_ContentTypes_AreTheRealExports()
        {
            // The real export has no cloud flow; for ours, the .json Default is the one Microsoft's SolutionPackager writes when it
            // packs Solution/ with its flow (seen with ../shared/tools/mspack: Extension="json", application/octet-stream, before dll).
            var ours = Ours("[Content_Types].xml").Root!;
            var json = ours.Elements().Where(e => (string?)e.Attribute("Extension") == "json").ToList();
            Assert.That(json.Select(e => (string?)e.Attribute("ContentType")), Is.EqualTo(new[] { "application/octet-stream" }));
            json.Remove();
            Assert.That(MicrosoftPackager.Canonical(ours), Is.EqualTo(MicrosoftPackager.Canonical(RealExport.Xml("[Content_Types].xml").Root!)));
        }

        [Test]
        public void Point2_CustomizationsSlots_ComeInTheRealExportsOrder()
        {
            var real = RealExport.Xml("customizations.xml").Root!.Elements().Select(e => e.Name.LocalName).ToList();
            var ours = Ours("customizations.xml").Root!.Elements().Select(e => e.Name.LocalName).ToList();

            var shared = ours.Where(real.Contains).ToList();
            Assert.That(shared, Is.EqualTo(real.Where(ours.Contains)), "the slots both have, in the same order");
            Assert.That(shared, Does.Contain("SolutionPluginAssemblies").And.Contain("SdkMessageProcessingSteps").And.Contain("FieldSecurityProfiles"));
            // Site maps and apps (which the real export lacks) sit between CustomControls and EntityDataProviders in an export with an app:
            // ContosoUniversity/Contoso-University@18166578 Solution/Other/Customizations.xml.
            Assert.That(ours.IndexOf("AppModuleSiteMaps"), Is.GreaterThan(ours.IndexOf("SdkMessageProcessingSteps")).And.LessThan(ours.IndexOf("AppModules")));
            Assert.That(ours.IndexOf("AppModules"), Is.LessThan(ours.IndexOf("EntityDataProviders")));
        }

        [Test]
        public void Point3_StepsAndAssemblies_AreInsideCustomizations_NotLooseFiles()
        {
            foreach (var zip in new[] { _zip, RealExport.Zip })
            {
                var entries = Zips.Entries(zip);
                Assert.That(entries, Has.None.StartsWith("SdkMessageProcessingSteps/").And.None.EndsWith(".data.xml"), Path.GetFileName(zip));
            }

            var customizations = Ours("customizations.xml").Root!;
            // Every step the package lists as a root component is inside it (a pack without an environment leaves out, from
            // both, the steps whose message id only an environment gives).
            var stepComponents = Ours("solution.xml").Descendants("RootComponent").Where(c => (string?)c.Attribute("type") == "92").Select(c => (string)c.Attribute("id")!);
            Assert.That(customizations.Element("SdkMessageProcessingSteps")!.Elements("SdkMessageProcessingStep").Select(e => (string)e.Attribute("SdkMessageProcessingStepId")!),
                Is.EquivalentTo(stepComponents).And.Not.Empty);
            Assert.That(customizations.Element("SolutionPluginAssemblies")!.Elements("PluginAssembly").Count(), Is.EqualTo(2));
        }

        [Test]
        public void Point4_Assemblies_LieWhereTheirFileNameSays_NamedAsTheRealExportNamesThem()
        {
            var pattern = new Regex(@"^PluginAssemblies/(\w+)-[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}/\1\.dll$");
            foreach (var zip in new[] { _zip, RealExport.Zip })
            {
                var dlls = Zips.Entries(zip).Where(e => e.EndsWith(".dll", StringComparison.Ordinal)).ToList();
                Assert.That(dlls, Is.Not.Empty.And.All.Match(pattern.ToString()), Path.GetFileName(zip));
                var fileNames = Zips.ReadXml(zip, "customizations.xml").Descendants("PluginAssembly").Select(p => (string)p.Element("FileName")!);
                Assert.That(fileNames, Is.EquivalentTo(dlls.Select(d => "/" + d)), Path.GetFileName(zip));
            }
        }

        [Test]
        public void Point5_WorkflowXaml_LiesWhereXamlFileNameSays_NamedAsTheRealExportNamesIt()
        {
            foreach (var zip in new[] { _zip, RealExport.Zip })
            {
                var xamls = Zips.Entries(zip).Where(e => e.EndsWith(".xaml", StringComparison.Ordinal)).ToList();
                Assert.That(xamls, Is.Not.Empty.And.All.Match(@"^Workflows/[^/]+-[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\.xaml$"), Path.GetFileName(zip));
                // Cloud flows (Category 5) name their .json with JsonFileName instead (CloudFlowTests).
                var names = Zips.ReadXml(zip, "customizations.xml").Descendants("Workflow").Where(w => (string?)w.Element("Category") != "5").Select(w => (string)w.Element("XamlFileName")!);
                Assert.That(names, Is.EquivalentTo(xamls.Select(x => "/" + x)), Path.GetFileName(zip));
            }
        }

        [TestCase("1")]
        [TestCase("29")]
        [TestCase("91")]
        [TestCase("92")]
        public void Point6_RootComponents_OfEachType_CarryTheRealExportsAttributes(string type)
        {
            static IEnumerable<string> Shapes(XDocument solution, string type) => solution.Descendants("RootComponent").Where(r => (string?)r.Attribute("type") == type)
                .Select(r => string.Join(",", r.Attributes().Select(a => a.Name.LocalName).OrderBy(n => n, StringComparer.Ordinal))).Distinct();

            var real = Shapes(RealExport.Xml("solution.xml"), type).ToList();
            var ours = Shapes(Ours("solution.xml"), type).ToList();

            Assert.That(ours, Is.Not.Empty);
            Assert.That(ours, Is.EqualTo(real), $"the attributes of a type {type} root component");
        }

        [Test]
        public void Point7_Steps_HaveOnlyTheElementsOfTheRealExportsSteps()
        {
            var real = RealExport.Xml("customizations.xml").Descendants("SdkMessageProcessingStep").SelectMany(s => s.Elements().Select(e => e.Name.LocalName)).ToHashSet();
            var realImage = RealExport.Xml("customizations.xml").Descendants("SdkMessageProcessingStepImage").SelectMany(s => s.Elements().Select(e => e.Name.LocalName)).ToHashSet();

            foreach (var step in Ours("customizations.xml").Descendants("SdkMessageProcessingStep"))
            {
                Assert.That(step.Elements().Select(e => e.Name.LocalName).Distinct(), Is.SubsetOf(real), (string?)step.Attribute("Name"));
                Assert.That(step.Descendants("SdkMessageProcessingStepImage").SelectMany(i => i.Elements().Select(e => e.Name.LocalName)).Distinct(), Is.SubsetOf(realImage), (string?)step.Attribute("Name"));
            }
        }

        [Test]
        public void Point8_PluginAssemblies_AndTheirTypes_HaveTheRealExportsAttributesAndElements()
        {
            var real = RealExport.Xml("customizations.xml").Descendants("PluginAssembly").ToList();
            var ours = Ours("customizations.xml").Descendants("PluginAssembly").ToList();
            static string Attributes(XElement e) => string.Join(",", e.Attributes().Select(a => a.Name.LocalName).OrderBy(n => n, StringComparer.Ordinal));

            Assert.That(ours.Select(Attributes).Distinct(), Is.EqualTo(real.Select(Attributes).Distinct()));
            Assert.That(ours.SelectMany(p => p.Elements().Select(e => e.Name.LocalName)).Distinct(), Is.SubsetOf(real.SelectMany(p => p.Elements().Select(e => e.Name.LocalName)).Distinct()));
            Assert.That(ours.SelectMany(p => p.Descendants("PluginType")).Select(Attributes).Distinct(), Is.EqualTo(real.SelectMany(p => p.Descendants("PluginType")).Select(Attributes).Distinct()));
        }

        [Test]
        public void Point9_Workflow_HasOnlyElementsTheRealExportsWorkflowsOrMicrosoftsSchemaHave()
        {
            var real = RealExport.Xml("customizations.xml").Descendants("Workflow").SelectMany(w => w.Elements().Select(e => e.Name.LocalName)).ToHashSet();
            // TriggerOnUpdateAttributeList (the export's workflows trigger on create only) and BusinessProcessType are in Microsoft's
            // CustomizationsSolution.xsd (../shared/reference/schemas), which SchemaTests validates the zip against.
            real.UnionWith(new[] { "TriggerOnUpdateAttributeList", "BusinessProcessType" });

            // A cloud flow's JSON is named by JsonFileName instead of XamlFileName, as in microsoft/coe-starter-kit's exports
            // (CenterofExcellenceALMAccelerator/SolutionPackage/src/Workflows/*.json.data.xml; CloudFlowTests compares the whole element list).
            real.Add("JsonFileName");

            foreach (var workflow in Ours("customizations.xml").Descendants("Workflow"))
                Assert.That(workflow.Elements().Select(e => e.Name.LocalName).Distinct(), Is.SubsetOf(real), (string?)workflow.Attribute("Name"));
        }
    }
}
