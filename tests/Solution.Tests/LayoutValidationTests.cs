using System.IO;
using System.Linq;
using System.Xml.Linq;
using NUnit.Framework;

namespace CrmPlugins.Solution.Tests
{
    /// <summary>
    /// What Microsoft's SolutionPackager silently drops and what Dataverse needs to track a component, each broken on a
    /// copy of Solution/: pack refuses it and names the line to fix (the packer itself raised no error for any of these).
    /// </summary>
    [TestFixture]
    public sealed class LayoutValidationTests
    {
        [Test]
        public void Validate_WhenAStepIsNotARootComponent_NamesTheStepAndTheLineToAdd()
        {
            var step = "";
            var id = "";
            using var broken = BrokenSolution.With(s =>
            {
                step = s.Files("SdkMessageProcessingSteps").First();
                id = ((string)XDocument.Load(s.PathOf(step)).Root!.Attribute("SdkMessageProcessingStepId")!).Trim('{', '}').ToLowerInvariant();
                s.EditXml("Other/Solution.xml", doc => doc.Descendants("RootComponent").Single(r => (string?)r.Attribute("id") == "{" + id + "}").Remove());
            });

            Assert.That(broken.Problems(), Has.Member($"Other/Solution.xml: the step {step} is not a root component; add <RootComponent type=\"92\" id=\"{{{id}}}\" behavior=\"0\" />"));
        }

        [Test]
        public void Validate_WhenANewStepFileHasNoRootComponent_SaysSo()
        {
            const string id = "0a1b2c3d-0000-4000-8000-000000000092";
            using var broken = BrokenSolution.With(s =>
            {
                var template = s.StepsOf("DealRisk.Plugins.OpportunityRiskPlugin").First();
                var doc = XDocument.Load(s.PathOf(template));
                doc.Root!.SetAttributeValue("SdkMessageProcessingStepId", "{" + id + "}");
                doc.Save(s.PathOf($"SdkMessageProcessingSteps/{{{id}}}.xml"));
            });

            Assert.That(broken.Problems(), Has.Some.Contains($"<RootComponent type=\"92\" id=\"{{{id}}}\" behavior=\"0\" />"));
        }

        [Test]
        public void Validate_WhenARootComponentNamesNothing_SaysSo()
        {
            using var broken = BrokenSolution.With(s => s.EditXml("Other/Solution.xml", doc =>
                doc.Descendants("RootComponents").Single().Add(new XElement("RootComponent", new XAttribute("type", "92"), new XAttribute("id", "{0a1b2c3d-0000-4000-8000-00000000dead}"), new XAttribute("behavior", "0")))));

            Assert.That(broken.Problems(), Has.Member("Other/Solution.xml: the root component <RootComponent type=\"92\" id=\"{0a1b2c3d-0000-4000-8000-00000000dead}\" behavior=\"0\" /> names nothing in the solution"));
        }

        [Test]
        public void Validate_WhenAnAssemblyRootComponentLacksItsId_SaysSo()
        {
            using var broken = BrokenSolution.With(s => s.EditXml("Other/Solution.xml", doc =>
                doc.Descendants("RootComponent").First(r => (string?)r.Attribute("type") == "91").Attribute("id")!.Remove()));

            Assert.That(broken.Problems(), Has.Some.Match(@"^Other/Solution\.xml: the plugin assembly DealRisk\.\w+ is not a root component; add <RootComponent type=""91"" id=""\{[0-9a-f-]{36}\}"" schemaName=""DealRisk\.\w+, Version=1\.0\.0\.0, Culture=neutral, PublicKeyToken=8bfcff68930dcbc0"" behavior=""0"" />$"));
        }

        [TestCase("SolutionPluginAssemblies", "the plugin assemblies of PluginAssemblies/")]
        [TestCase("SdkMessageProcessingSteps", "the steps of SdkMessageProcessingSteps/")]
        [TestCase("AppModuleSiteMaps", "the site maps of AppModuleSiteMaps/")]
        [TestCase("AppModules", "the apps of AppModules/")]
        public void Validate_WhenCustomizationsLacksTheSlotOfAFolder_SaysMicrosoftsPackerLeavesItOut(string slot, string what)
        {
            using var broken = BrokenSolution.With(s => s.EditXml("Other/Customizations.xml", doc => doc.Root!.Element(slot)!.Remove()));

            Assert.That(broken.Problems(), Has.Member($"Other/Customizations.xml: <{slot} /> is missing, so Microsoft's SolutionPackager leaves out {what}"));
        }

        [Test]
        public void Validate_WhenARelationshipIsNotInTheIndex_SaysMicrosoftsPackerLeavesItOut()
        {
            using var broken = BrokenSolution.With(s => s.EditXml("Other/Relationships.xml", doc =>
                doc.Root!.Elements("EntityRelationship").Single(r => (string?)r.Attribute("Name") == "dr_riskalert_dr_opportunityid_opportunity").Remove()));

            Assert.That(broken.Problems(), Has.Member("Other/Relationships.xml: the relationship dr_riskalert_dr_opportunityid_opportunity of Other/Relationships/ is not listed, so Microsoft's SolutionPackager leaves it out"));
        }

        [Test]
        public void Validate_WhenFieldSecurityProfilesAreWrittenInline_SaysTheyBelongInTheirOwnFile()
        {
            using var broken = BrokenSolution.With(s =>
            {
                var profiles = XDocument.Load(s.PathOf("Other/FieldSecurityProfiles.xml")).Root!.Elements("FieldSecurityProfile").ToList();
                s.EditXml("Other/Customizations.xml", doc => doc.Root!.Element("FieldSecurityProfiles")!.Add(profiles));
                s.Delete("Other/FieldSecurityProfiles.xml");
            });

            Assert.That(broken.Problems(), Has.Member("Other/Customizations.xml: field security profiles written inline are skipped by Microsoft's SolutionPackager; they belong in Other/FieldSecurityProfiles.xml"));
        }

        [Test]
        public void Validate_WhenATableHasNoRibbonDiff_SaysSo()
        {
            using var broken = BrokenSolution.With(s => s.Delete("Entities/dr_Capacity/RibbonDiff.xml"));

            Assert.That(broken.Problems(), Has.Member("Entities/dr_Capacity: RibbonDiff.xml is missing (Microsoft's extractor writes one for every table)"));
        }

        [Test]
        public void Validate_WhenTheSalesColumnAStepReadsIsNotDeclaredMissing_SaysTheImportWouldFailSilently()
        {
            using var broken = BrokenSolution.With(s => s.EditXml("Other/Solution.xml", doc =>
                doc.Descendants("MissingDependency").Where(m => (string?)m.Element("Required")!.Attribute("schemaName") == "msdyn_forecastcategory").Remove()));

            Assert.That(broken.Problems(), Has.Member("Other/Solution.xml: <MissingDependencies> does not declare the column msdyn_forecastcategory of opportunity (Sales), which the solution needs: an environment without it would fail the import without saying so"));
        }

        [Test]
        public void Validate_WhenAMissingDependencyNamesADependentTheSolutionLacks_SaysSo()
        {
            using var broken = BrokenSolution.With(s => s.EditXml("Other/Solution.xml", doc =>
                doc.Descendants("Dependent").First(d => (string?)d.Attribute("type") == "92").SetAttributeValue("id", "{0a1b2c3d-0000-4000-8000-00000000beef}")));

            Assert.That(broken.Problems(), Has.Some.Contains("'{0a1b2c3d-0000-4000-8000-00000000beef}' of the table opportunity is not a component of the solution")
                .Or.Some.Contains("'{0a1b2c3d-0000-4000-8000-00000000beef}' of the column msdyn_forecastcategory of opportunity is not a component of the solution"));
        }

        [Test]
        public void Solution_DeclaresWhatItNeedsFromTheSalesApps_AsMissingDependencies()
        {
            var source = CrmPlugins.SolutionModel.SolutionSource.Load(Repo.SolutionFolder);
            var declared = CrmPlugins.SolutionModel.AppDependencies.Read(XDocument.Load(Path.Combine(source.Folder, "Other", "Solution.xml")));

            Assert.That(declared.Select(d => d.Required.Describe()).Distinct(), Is.SupersetOf(new[]
            {
                "the table opportunity", "the table opportunityproduct", "the table product", "the column msdyn_forecastcategory of opportunity",
            }));
            Assert.That(declared.Where(d => d.Required.SchemaName == "opportunity").Select(d => d.Dependent), Does.Contain("dr_overallrisk"), "a column the solution adds to the Sales table");
        }

        [Test]
        public void Solution_ListsEveryStepAndAssemblyAsARootComponent_WithItsId_AsDataverseExportsDo()
        {
            // A Dataverse 9.2 export lists each assembly as <RootComponent type="91" id="{...}" schemaName="<full name>" /> and each step
            // as <RootComponent type="92" id="{...}" />: phuocle/Dynamics-Crm-DevKit@833a2cab
            // test/3.11.11.11/Test.Cli.Server/Dev.DevKit.SolutionPackager/Dev/Solutions-Extract/TestPluginWorkflowCustomActionCustomApi_1.0.0000.0.zip, solution.xml.
            var source = CrmPlugins.SolutionModel.SolutionSource.Load(Repo.SolutionFolder);
            var roots = source.Manifest.RootComponents;
            foreach (var step in source.Steps)
                Assert.That(roots.Count(r => (string?)r.Attribute("type") == "92" && (string?)r.Attribute("id") == "{" + step.Id + "}" && r.Attribute("schemaName") == null), Is.EqualTo(1), Path.GetFileName(step.SourceFile));
            foreach (var assembly in source.PluginAssemblies)
                Assert.That(roots.Count(r => (string?)r.Attribute("type") == "91" && (string?)r.Attribute("id") == "{" + assembly.Id + "}" && (string?)r.Attribute("schemaName") == assembly.FullName), Is.EqualTo(1), assembly.Name);
        }
    }
}
