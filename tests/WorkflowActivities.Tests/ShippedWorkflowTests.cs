using System;
using System.IO;
using System.Linq;
using CrmPlugins.Emulator;
using CrmPlugins.Emulator.Pipeline;
using CrmPlugins.SolutionModel;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;
using NUnit.Framework;

namespace DealRisk.WorkflowActivities.Tests
{
    /// <summary>
    /// The shipped alert workflow (Solution/Workflows/*.xaml, in the shape Dataverse's designer writes) run by the emulator
    /// as Dataverse runs it: a system job after the change, its Composite step reading the deal, converting it and calling
    /// RaiseRiskAlert; and a workflow in a shape Dataverse refuses fails the import with the XAML named.
    /// </summary>
    public class ShippedWorkflowTests
    {
        /// <summary>An org with a deal at <paramref name="level"/> and the shipped workflow registered from Solution/.</summary>
        private static (AlertOrg Org, Guid Deal) DealWithTheShippedWorkflow(RiskLevel level)
        {
            var org = new AlertOrg();
            var deal = org.Deal(level);
            SolutionImport.RegisterWorkflows(org.Org, SolutionSource.Load(AlertOrg.SolutionFolder), typeof(RaiseRiskAlert).Assembly);
            return (org, deal);
        }

        [Test]
        public void RiskRisesToHigh_TheShippedWorkflowRuns_AndAlertsTheOwnersManager()
        {
            var (org, deal) = DealWithTheShippedWorkflow(RiskLevel.Medium);

            org.SetLevel(deal, RiskLevel.High);
            Assert.That(org.Alerts(deal), Is.Empty, "a background workflow waits for its system job");
            org.Org.RunAsyncOperations();

            var run = org.Org.ActivityExecutions.Single();
            Assert.That(run.ActivityType, Is.EqualTo(typeof(RaiseRiskAlert)));
            Assert.That(run.Context.PrimaryEntityId, Is.EqualTo(deal));
            var alert = org.Alerts(deal).Single();
            Assert.That(alert.GetAttributeValue<EntityReference>(RiskAlert.OwnerId).Id, Is.EqualTo(org.Manager));
            Assert.That(run.Outputs["AlertCreated"], Is.EqualTo(true));
        }

        [Test]
        public void RiskChangesBelowTheAlertLevel_TheWorkflowRuns_AndRaisesNothing()
        {
            var (org, deal) = DealWithTheShippedWorkflow(RiskLevel.High);

            org.SetLevel(deal, RiskLevel.Medium);
            org.Org.RunAsyncOperations();

            Assert.That(org.Org.ActivityExecutions, Has.Count.EqualTo(1));
            Assert.That(org.Alerts(deal), Is.Empty);
        }

        [TestCase("x:TypeArguments=\"mxs:EntityReference\" x:Key=\"Opportunity\"", "x:TypeArguments=\"x:String\" x:Key=\"Opportunity\"", "passes Opportunity as x:TypeArguments=\"x:String\", but RaiseRiskAlert.Opportunity is of Microsoft.Xrm.Sdk.EntityReference")]
        [TestCase("CustomActivityStep1_1_converted, Microsoft.Xrm.Sdk.EntityReference)]", "CustomActivityStep1_1_converted, Microsoft.Xrm.Sdk.OptionSetValue)]", "casts Opportunity to Microsoft.Xrm.Sdk.OptionSetValue")]
        [TestCase("CustomActivityStep1_1_converted, Microsoft.Xrm.Sdk.EntityReference)]", "CustomActivityStep1_1_converted, mxs:EntityReference)]", "uses the XAML prefix 'mxs:', which is not VB")]
        [TestCase("x:Key=\"Opportunity\"", "x:Key=\"Deal\"", "passes Deal, which is not an argument of DealRisk.WorkflowActivities.RaiseRiskAlert")]
        [TestCase("Activities.Composite,", "Activities.StepComposite,", "which Dataverse uses in business process flows")]
        public void AWorkflowInAShapeDataverseRefuses_FailsTheImport_NamingTheXaml(string find, string replace, string reason)
        {
            var folder = Directory.CreateTempSubdirectory("dealrisk-workflow-").FullName;
            try
            {
                foreach (var file in Directory.EnumerateFiles(AlertOrg.SolutionFolder, "*", SearchOption.AllDirectories))
                {
                    var target = Path.Combine(folder, Path.GetRelativePath(AlertOrg.SolutionFolder, file));
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    File.Copy(file, target);
                }

                var xaml = Directory.EnumerateFiles(Path.Combine(folder, "Workflows"), "*.xaml").Single();
                var text = File.ReadAllText(xaml);
                Assert.That(text, Does.Contain(find), "the test no longer breaks anything");
                File.WriteAllText(xaml, text.Replace(find, replace, StringComparison.Ordinal));
                var org = new AlertOrg();

                var ex = Assert.Throws<SolutionFormatException>(() => SolutionImport.RegisterWorkflows(org.Org, SolutionSource.Load(folder), typeof(RaiseRiskAlert).Assembly));

                Assert.That(ex!.Message, Does.Contain(Path.GetFileName(xaml)).And.Contain(reason));
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
