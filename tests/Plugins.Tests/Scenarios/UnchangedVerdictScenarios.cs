using System;
using System.Linq;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;
using NUnit.Framework;

namespace DealRisk.Plugins.Tests.Scenarios
{
    /// <summary>
    /// The verdict is written only where it changes: the history step and the alert workflow watch verdict columns
    /// (their filtering attributes, Solution/), and the platform queues them when a watched column is in the update,
    /// whatever its value. So a save that leaves the verdict as it was must carry no verdict column.
    /// </summary>
    public class UnchangedVerdictScenarios
    {
        private SalesOrg _org = null!;

        [SetUp]
        public void SetUp() => _org = new SalesOrg();

        private Entity LastRiskTarget() =>
            ((EntityCollection)_org.Org.Executions.Last(e => e.PluginType == typeof(OpportunityRiskPlugin)).Context.InputParameters["Targets"]).Entities.Single();

        [Test]
        public void SavingTwice_WithNoChange_QueuesNoSystemJobTheSecondTime()
        {
            var id = _org.CreateDeal();
            _org.AddLine(id, _org.Licence, 2, 1_000m);
            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.CloseProbability] = 70 });
            var jobs = _org.Org.AsyncOperations.Count;
            var risk = _org.Org.Executions.Count(e => e.PluginType == typeof(OpportunityRiskPlugin));
            _org.Org.UtcNow = SalesOrg.Today.AddMinutes(5);

            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.CloseProbability] = 70 });

            Assert.That(_org.Org.Executions.Count(e => e.PluginType == typeof(OpportunityRiskPlugin)), Is.EqualTo(risk + 1), "the deal was judged again");
            Assert.That(_org.Org.AsyncOperations.Count, Is.EqualTo(jobs), "an unchanged verdict queues no system job");
            Assert.That(LastRiskTarget().Attributes.Keys.Intersect(Opportunity.Verdict), Is.EquivalentTo(new[] { Opportunity.RiskEvaluatedOn }), "only when it was judged is written");
            Assert.That(_org.Deal(id).GetAttributeValue<DateTime>(Opportunity.RiskEvaluatedOn), Is.EqualTo(SalesOrg.Today.AddMinutes(5)));
        }

        [Test]
        public void SavingAChangeThatRaisesTheRisk_WritesTheChangedColumns_AndQueuesTheHistory()
        {
            var id = _org.CreateDeal();
            var jobs = _org.Org.AsyncOperations.Count;

            _org.AddRequirement(id, "SAP integration", RequirementPriority.MustHave, RequirementFit.NotSupported);

            Assert.That(SalesOrg.Level(_org.Deal(id), Opportunity.OverallRisk), Is.EqualTo(RiskLevel.Critical));
            Assert.That(LastRiskTarget().Attributes.Keys, Does.Contain(Opportunity.OverallRisk).And.Contain(Opportunity.FitRisk).And.Contain(Opportunity.RiskReasons));
            Assert.That(LastRiskTarget().Attributes.Keys, Does.Not.Contain(Opportunity.RiskPolicyUsed), "the policy did not change");
            Assert.That(_org.Org.AsyncOperations.Skip(jobs).Select(j => j.Step.PluginType), Does.Contain(typeof(RiskHistoryPlugin)));
        }

        [Test]
        public void ARepsValueInAVerdictColumn_IsReplaced_EvenWhenTheVerdictIsUnchanged()
        {
            var id = _org.CreateDeal();
            _org.AddRequirement(id, "SAP integration", RequirementPriority.MustHave, RequirementFit.NotSupported);
            var reasons = _org.Deal(id).GetAttributeValue<string>(Opportunity.RiskReasons);

            _org.RepService.Update(new Entity(Opportunity.EntityName, id)
            {
                [Opportunity.OverallRisk] = new OptionSetValue(OptionSets.RiskLevelValue(RiskLevel.Low)),
                [Opportunity.RiskReasons] = "All fine",
            });

            var deal = _org.Deal(id);
            Assert.That(SalesOrg.Level(deal, Opportunity.OverallRisk), Is.EqualTo(RiskLevel.Critical));
            Assert.That(deal.GetAttributeValue<string>(Opportunity.RiskReasons), Is.EqualTo(reasons));
        }

        [Test]
        public void RiskUpdateStep_ImageHoldsEveryVerdictColumn_SoAnUnchangedValueIsKnown()
        {
            var step = CrmPlugins.SolutionModel.StepRegistration.LoadAll(SalesOrg.SolutionFolder)
                .Single(s => s.PluginTypeFullName == typeof(OpportunityRiskPlugin).FullName && s.Message == "UpdateMultiple");

            Assert.That(step.Images.Single().Attributes, Is.SupersetOf(Opportunity.Verdict.Where(c => c != Opportunity.RiskEvaluatedOn)),
                "a verdict column missing from the image would look changed on every save");
        }
    }
}
