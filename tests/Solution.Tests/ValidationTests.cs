using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using CrmPlugins.SolutionModel;
using NUnit.Framework;

namespace CrmPlugins.Solution.Tests
{
    /// <summary>
    /// Each way the registration can drift from the code, on a broken copy of Solution/ checked against the real built
    /// assemblies: the validator (which pack runs before it writes anything) names the file and the thing.
    /// </summary>
    [TestFixture]
    public sealed class ValidationTests
    {
        private const string WorkflowAssembly = "PluginAssemblies/DealRiskWorkflowActivities-283B7F26-FA6B-55E2-ABC8-4C22E45620C1/DealRiskWorkflowActivities.dll.data.xml";

        /// <summary>A column of dr_requirement: real, but not a column of the opportunity.</summary>
        private const string ColumnOfAnotherTable = "dr_efforthours";

        private static bool IsOpportunityStep(XElement step) => (string?)step.Element("PrimaryEntity") == "opportunity";

        [Test]
        public void Validate_TheCopyUnbroken_HasNoProblem()
        {
            using var copy = BrokenSolution.Copy();
            Assert.That(copy.Problems(), Is.Empty);
        }

        [Test]
        public void Validate_WhenAStepNamesATypeNotInTheAssembly_NamesTheStepFileAndTheType()
        {
            var step = "";
            using var broken = BrokenSolution.With(s =>
            {
                step = s.StepsOf("DealRisk.Plugins.WinGatePlugin").First();
                s.ReplaceText(step, "<PluginTypeName>DealRisk.Plugins.WinGatePlugin,", "<PluginTypeName>DealRisk.Plugins.WinGatePlugn,");
            });

            Assert.That(broken.Problems(), Has.Member($"{step}: the step names the plugin type DealRisk.Plugins.WinGatePlugn, which is not a plugin in the built DealRisk.Plugins"));
        }

        [Test]
        public void Validate_WhenAnActivityIsRegisteredThatTheWorkflowAssemblyLacks_NamesTheDataFileAndTheType()
        {
            using var broken = BrokenSolution.With(s => s.EditXml(WorkflowAssembly, doc =>
            {
                var registered = doc.Root!.Element("PluginTypes")!.Elements("PluginType").First();
                var ghost = new XElement(registered);
                ghost.SetAttributeValue("AssemblyQualifiedName", ((string)registered.Attribute("AssemblyQualifiedName")!).Replace("RaiseRiskAlert,", "ForecastRisk,", StringComparison.Ordinal));
                ghost.SetAttributeValue("Name", "DealRisk.WorkflowActivities.ForecastRisk");
                ghost.SetAttributeValue("PluginTypeId", "0f0e0d0c-0b0a-4908-8706-050403020100");
                registered.AddAfterSelf(ghost);
            }));

            Assert.That(broken.Problems(), Has.Member($"{WorkflowAssembly}: the type DealRisk.WorkflowActivities.ForecastRisk is not a public class of DealRisk.WorkflowActivities"));
        }

        [Test]
        public void Validate_WhenAnActivityOfTheAssemblyIsNotRegistered_NamesTheDataFileAndTheClass()
        {
            using var broken = BrokenSolution.With(s => s.EditXml(WorkflowAssembly, doc =>
                doc.Descendants("PluginType").Single(t => (string?)t.Attribute("Name") == "DealRisk.WorkflowActivities.ReadRiskVerdict").Remove()));

            Assert.That(broken.Problems(), Has.Member($"{WorkflowAssembly}: the workflow activity DealRisk.WorkflowActivities.ReadRiskVerdict of DealRisk.WorkflowActivities is not registered"));
        }

        [Test]
        public void Validate_WhenAFilteringAttributeIsNotAColumnOfItsTable_NamesTheStepFileAndTheColumn()
        {
            var step = "";
            using var broken = BrokenSolution.With(s =>
            {
                step = s.Steps(x => IsOpportunityStep(x) && !string.IsNullOrEmpty((string?)x.Element("FilteringAttributes"))).First();
                s.EditXml(step, doc =>
                {
                    var filtering = doc.Root!.Element("FilteringAttributes")!;
                    filtering.Value += "," + ColumnOfAnotherTable;
                });
            });

            Assert.That(broken.Problems(), Has.Member($"{step}: the filtering attribute '{ColumnOfAnotherTable}' is not a column of opportunity"));
        }

        [Test]
        public void Validate_WhenAnImageColumnIsNotAColumnOfItsTable_NamesTheStepFileTheImageAndTheColumn()
        {
            var step = "";
            using var broken = BrokenSolution.With(s =>
            {
                step = s.Steps(x => IsOpportunityStep(x) && x.Descendants("SdkMessageProcessingStepImage").Any(i => (string?)i.Element("EntityAlias") == "PreImage")).First();
                s.EditXml(step, doc =>
                {
                    var image = doc.Descendants("SdkMessageProcessingStepImage").First(i => (string?)i.Element("EntityAlias") == "PreImage");
                    image.Element("Attributes")!.Value += "," + ColumnOfAnotherTable;
                });
            });

            Assert.That(broken.Problems(), Has.Member($"{step}: the image 'PreImage' asks for '{ColumnOfAnotherTable}', which is not a column of opportunity"));
        }

        [Test]
        public void Validate_WhenAPluginClassHasNoStep_NamesTheClass()
        {
            using var broken = BrokenSolution.With(s =>
            {
                foreach (var step in s.StepsOf("DealRisk.Plugins.WinGatePlugin")) s.Delete(step);
            });

            Assert.That(broken.Problems(), Has.Member("SdkMessageProcessingSteps/: the plugin class DealRisk.Plugins.WinGatePlugin of DealRisk.Plugins has no step"));
        }

        [Test]
        public void Validate_WhenTheWorkflowCallsAnUnknownActivity_NamesTheXamlAndTheActivity()
        {
            var xaml = "";
            using var broken = BrokenSolution.With(s =>
            {
                xaml = s.Single("Workflows", "*.xaml");
                s.ReplaceText(xaml, "AssemblyQualifiedName=\"DealRisk.WorkflowActivities.RaiseRiskAlert,", "AssemblyQualifiedName=\"DealRisk.WorkflowActivities.RaiseRiskAlarm,");
            });

            Assert.That(broken.Problems(), Has.Member($"{xaml}: the workflow calls DealRisk.WorkflowActivities.RaiseRiskAlarm (DealRisk.WorkflowActivities), which is not a registered workflow activity"));
        }

        [Test]
        public void Validate_WhenTheWorkflowSetsAnArgumentTheActivityLacks_NamesTheXamlAndTheArgument()
        {
            var xaml = "";
            using var broken = BrokenSolution.With(s =>
            {
                xaml = s.Single("Workflows", "*.xaml");
                s.EditXml(xaml, doc =>
                {
                    var opportunity = doc.Descendants().Single(e => e.Name.LocalName == "InArgument" && (string?)e.Attribute(XName.Get("Key", "http://schemas.microsoft.com/winfx/2006/xaml")) == "Opportunity");
                    var urgency = new XElement(opportunity);
                    urgency.SetAttributeValue(XName.Get("Key", "http://schemas.microsoft.com/winfx/2006/xaml"), "Urgency");
                    urgency.SetAttributeValue(XName.Get("TypeArguments", "http://schemas.microsoft.com/winfx/2006/xaml"), "x:String");
                    urgency.Value = "High";
                    opportunity.AddAfterSelf(urgency);
                });
            });

            Assert.That(broken.Problems(), Has.Member($"{xaml}: DealRisk.WorkflowActivities.RaiseRiskAlert has no argument 'Urgency'"));
        }

        [Test]
        public void Validate_WhenTwoStepsShareAnId_NamesTheIdAndBothFiles()
        {
            string first = "", second = "";
            var id = Guid.Empty;
            using var broken = BrokenSolution.With(s =>
            {
                var steps = s.Files("SdkMessageProcessingSteps");
                (first, second) = (steps[0], steps[1]);
                id = Guid.Parse((string)XDocument.Load(s.PathOf(first)).Root!.Attribute("SdkMessageProcessingStepId")!);
                s.EditXml(second, doc => doc.Root!.SetAttributeValue("SdkMessageProcessingStepId", id.ToString("B")));
            });

            Assert.That(broken.Problems(), Has.Member($"the id {id} repeats: {first}, {second}"));
        }

        [Test]
        public void Validate_WhenAColumnTheCodeNamesIsNotInTheSolution_NamesTheConstantAndTheColumn()
        {
            using var broken = BrokenSolution.With(s => s.EditXml("Entities/Opportunity/Entity.xml", doc =>
                doc.Descendants("attribute").Single(a => (string?)a.Attribute("PhysicalName") == "dr_riskscore").Remove()));

            Assert.That(broken.Problems(), Has.Member("DealRisk.Plugins: DealRisk.Plugins.Schema.Opportunity.RiskScore names the column 'dr_riskscore', which is not a column of opportunity in the solution"));
        }

        [Test]
        public void Validate_WhenTheAppShowsAnUnknownTable_NamesTheAppFileAndTheTable()
        {
            using var broken = BrokenSolution.With(s => s.ReplaceText("AppModules/dr_DealRisk/AppModule.xml", "schemaName=\"dr_capacity\"", "schemaName=\"dr_capacities\""));

            Assert.That(broken.Problems(), Has.Member("AppModules/dr_DealRisk/AppModule.xml: the app shows the table 'dr_capacities', which is neither in the solution nor a standard table"));
        }

        [Test]
        public void Load_WhenAStepFileIsMalformed_FailsNamingTheFile()
        {
            var step = "";
            using var broken = BrokenSolution.With(s =>
            {
                step = s.Files("SdkMessageProcessingSteps").First();
                var text = File.ReadAllText(s.PathOf(step));
                s.WriteText(step, text[..(text.Length / 2)]);
            });

            var error = Assert.Throws<SolutionFormatException>(() => broken.Load())!;
            Assert.That(error.File, Is.EqualTo(broken.PathOf(step)));
            Assert.That(error.Message, Does.StartWith(broken.PathOf(step) + ": the XML is malformed"));
        }
    }
}
