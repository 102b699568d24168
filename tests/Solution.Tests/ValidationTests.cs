using System.IO;
using System.Linq;
using CrmPlugins.SolutionModel;
using NUnit.Framework;

namespace CrmPlugins.Solution.Tests
{
    /// <summary>Each way the registration can drift from the code, on a broken copy of Solution/: pack names the file and the problem.</summary>
    [TestFixture]
    public sealed class ValidationTests
    {
        [Test]
        public void Validate_TheShippedSolution_HasNoProblem()
        {
            using var copy = BrokenSolution.Copy();
            Assert.That(copy.Problems(), Is.Empty);
        }

        [Test]
        public void Validate_WhenAStepNamesATypeNotInTheAssembly_NamesTheStepFile()
        {
            using var broken = BrokenSolution.Copy().Replace("SdkMessageProcessingSteps", "*.xml", "<PluginTypeName>DealRisk.Plugins.WinGatePlugin,", "<PluginTypeName>DealRisk.Plugins.WinGatePlugn,");
            Assert.That(broken.Problems(), Has.Some.Match(@"SdkMessageProcessingSteps/\{.+\}\.xml: the step names the plugin type DealRisk\.Plugins\.WinGatePlugn, which is not a plugin"));
        }

        [Test]
        public void Validate_WhenAnActivityIsNotInTheWorkflowAssembly_NamesTheDataFile()
        {
            using var broken = BrokenSolution.Copy().Replace("PluginAssemblies", "*.data.xml", "DealRisk.WorkflowActivities.ReadRiskVerdict, ", "DealRisk.WorkflowActivities.ReadRiskVerdicts, ");
            Assert.That(broken.Problems(), Has.Some.Contains("DealRiskWorkflowActivities.dll.data.xml: the type DealRisk.WorkflowActivities.ReadRiskVerdicts is not a public class"));
            Assert.That(broken.Problems(), Has.Some.Contains("the workflow activity DealRisk.WorkflowActivities.ReadRiskVerdict of DealRisk.WorkflowActivities is not registered"));
        }

        [Test]
        public void Validate_WhenAFilteringAttributeIsNotAColumn_NamesIt()
        {
            using var broken = BrokenSolution.Copy().Replace("SdkMessageProcessingSteps", "*.xml", "<FilteringAttributes>closeprobability,", "<FilteringAttributes>closeprobabilty,");
            Assert.That(broken.Problems(), Has.Some.Contains("the filtering attribute 'closeprobabilty' is not a column of opportunity"));
        }

        [Test]
        public void Validate_WhenAnImageColumnIsNotAColumn_NamesTheImage()
        {
            using var broken = BrokenSolution.Copy().Replace("SdkMessageProcessingSteps", "*.xml", "dr_closedateslipcount,dr_closedateslipdays,dr_estimatedcostofsale,dr_forecastchangelog",
                "dr_closedateslipcount,dr_closedateslipdayz,dr_estimatedcostofsale,dr_forecastchangelog");
            Assert.That(broken.Problems(), Has.Some.Match("the image '.+' asks for 'dr_closedateslipdayz', which is not a column of opportunity"));
        }

        [Test]
        public void Validate_WhenAPluginClassHasNoStep_NamesTheClass()
        {
            using var broken = BrokenSolution.Copy();
            foreach (var file in Directory.EnumerateFiles(Path.Combine(broken.Folder, "SdkMessageProcessingSteps")).Where(f => File.ReadAllText(f).Contains("DealRisk.Plugins.WinGatePlugin,")))
                File.Delete(file);
            Assert.That(broken.Problems(), Has.Some.Contains("the plugin class DealRisk.Plugins.WinGatePlugin of DealRisk.Plugins has no step"));
        }

        [Test]
        public void Validate_WhenTheWorkflowCallsAnUnknownActivity_NamesTheXaml()
        {
            using var broken = BrokenSolution.Copy().Replace("Workflows", "*.xaml", "<drwa:RaiseRiskAlert ", "<drwa:RaiseRiskAlarm ");
            Assert.That(broken.Problems(), Has.Some.Match(@"Workflows/.+\.xaml: the workflow calls DealRisk\.WorkflowActivities\.RaiseRiskAlarm \(DealRisk\.WorkflowActivities\), which is not a registered workflow activity"));
        }

        [Test]
        public void Validate_WhenTheWorkflowSetsAnArgumentTheClassLacks_NamesIt()
        {
            using var broken = BrokenSolution.Copy().Replace("Workflows", "*.xaml", "<drwa:RaiseRiskAlert ", "<drwa:RaiseRiskAlert Urgency=\"High\" ");
            Assert.That(broken.Problems(), Has.Some.Contains("DealRisk.WorkflowActivities.RaiseRiskAlert has no argument 'Urgency'"));
        }

        [Test]
        public void Validate_WhenAnIdRepeats_NamesBothPlaces()
        {
            using var broken = BrokenSolution.Copy();
            var steps = Directory.EnumerateFiles(Path.Combine(broken.Folder, "SdkMessageProcessingSteps")).OrderBy(f => f).Take(2).ToList();
            var firstId = Path.GetFileNameWithoutExtension(steps[0]).Trim('{', '}');
            var secondId = Path.GetFileNameWithoutExtension(steps[1]).Trim('{', '}');
            File.WriteAllText(steps[1], File.ReadAllText(steps[1]).Replace(secondId, firstId));
            Assert.That(broken.Problems(), Has.Some.Match($"the id {firstId} repeats: SdkMessageProcessingSteps/.+, SdkMessageProcessingSteps/.+"));
        }

        [Test]
        public void Validate_WhenAColumnTheCodeNamesIsNotInTheSolution_NamesTheConstant()
        {
            using var broken = BrokenSolution.Copy();
            var entity = Path.Combine(broken.Folder, "Entities", "Opportunity", "Entity.xml");
            var xml = System.Xml.Linq.XDocument.Load(entity);
            xml.Descendants("attribute").Single(a => (string?)a.Attribute("PhysicalName") == "dr_riskscore").Remove();
            xml.Save(entity);
            Assert.That(broken.Problems(), Has.Some.Contains("DealRisk.Plugins.Schema.Opportunity.RiskScore names the column 'dr_riskscore', which is not a column of opportunity in the solution"));
        }

        [Test]
        public void Validate_WhenTheAppShowsAnUnknownTable_NamesIt()
        {
            using var broken = BrokenSolution.Copy().Replace("AppModules", "AppModule.xml", "schemaName=\"dr_capacity\"", "schemaName=\"dr_capacities\"");
            Assert.That(broken.Problems(), Has.Some.Contains("AppModules/dr_DealRisk/AppModule.xml: the app shows the table 'dr_capacities'"));
        }

        [Test]
        public void Load_AMalformedStepFile_FailsNamingTheFile()
        {
            using var broken = BrokenSolution.Copy();
            var step = Directory.EnumerateFiles(Path.Combine(broken.Folder, "SdkMessageProcessingSteps")).First();
            File.WriteAllText(step, "<SdkMessageProcessingStep><PluginTypeName>");
            var error = Assert.Throws<SolutionFormatException>(() => SolutionSource.Load(broken.Folder))!;
            Assert.That(error.File, Is.EqualTo(step));
            Assert.That(error.Message, Does.Contain("the XML is malformed"));
        }
    }
}
