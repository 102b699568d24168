using System;
using System.Linq;
using CrmPlugins.Emulator;
using CrmPlugins.Emulator.Pipeline;
using CrmPlugins.Report;
using DealRisk.Cli.Demo;
using DealRisk.Cli.Reporting;
using DealRisk.Plugins;
using DealRisk.Plugins.Schema;
using Microsoft.Xrm.Sdk;
using NUnit.Framework;

namespace DealRisk.Cli.Tests.AddedCheck
{
    /// <summary>
    /// A check added to the list, and nothing else: its finding reaches the verdict, the manager's alert and the report
    /// through the real pipeline (the sample org's quarter, the steps and the alert workflow from Solution/).
    /// </summary>
    [TestFixture]
    public sealed class AddedCheckTests
    {
        private static SampleOrg Quarter(bool withPaymentTerms)
        {
            var sample = new SampleOrg(SampleOrg.FindSolutionFolder());
            if (withPaymentTerms) RunRiskStepsWithPaymentTerms(sample.Org);
            return sample.Replay();
        }

        /// <summary>Every step Solution/ registers for the risk plugin runs the plugin with the added check; the rest of each registration is kept.</summary>
        private static void RunRiskStepsWithPaymentTerms(XrmOrganization org)
        {
            var risk = org.Steps.Where(s => s.PluginType == typeof(OpportunityRiskPlugin)).ToList();
            Assert.That(risk, Is.Not.Empty, "Solution/ registers the risk plugin");
            foreach (var step in risk)
                org.Steps[org.Steps.IndexOf(step)] = step.WithPluginType(typeof(WithPaymentTerms));
        }

        private static Entity Northwind(SampleOrg sample) => sample.Org.Get(Opportunity.EntityName, sample.Deals["Northwind service desk"])!;

        [Test]
        public void Quarter_WithAnAddedCheck_ItsFindingIsInTheVerdictTheAlertAndTheReport()
        {
            var sample = Quarter(withPaymentTerms: true);
            var deal = Northwind(sample);

            // The verdict.
            var reasons = deal.GetAttributeValue<string>(Opportunity.RiskReasons);
            Assert.That(reasons.Split('\n'), Does.Contain("High: " + PaymentTermsCheck.Reason));
            Assert.That(deal.GetAttributeValue<string>(Opportunity.RiskFindingCodes), Does.Contain(PaymentTermsCheck.Code));
            Assert.That(OptionSets.RiskLevelOf(deal.GetAttributeValue<OptionSetValue>(Opportunity.OverallRisk)?.Value), Is.GreaterThanOrEqualTo(DealRisk.Risk.RiskLevel.High));

            // The alert the shipped workflow raised for the manager.
            var alerts = sample.Org.All(RiskAlert.EntityName).Where(a => a.GetAttributeValue<EntityReference>(RiskAlert.OpportunityId)?.Id == deal.Id).ToList();
            Assert.That(alerts.Select(a => a.GetAttributeValue<string>(RiskAlert.Reasons)), Has.Some.Contains(PaymentTermsCheck.Reason));

            // The report.
            var html = HtmlReport.Render(ReportBuilder.Build(sample.Org, "t", "s", SampleOrg.Start));
            Assert.That(html, Does.Contain(PaymentTermsCheck.Reason));
        }

        [Test]
        public void Quarter_WithTheShippedChecks_HasNoFindingOfTheAddedCheck()
        {
            var sample = Quarter(withPaymentTerms: false);

            Assert.That(Northwind(sample).GetAttributeValue<string>(Opportunity.RiskReasons), Does.Not.Contain(PaymentTermsCheck.Reason));
            Assert.That(sample.Org.All(RiskAlert.EntityName).Select(a => a.GetAttributeValue<string>(RiskAlert.Reasons) ?? ""), Has.None.Contains(PaymentTermsCheck.Reason));
        }
    }
}
