using System.Linq;
using CrmPlugins.SolutionModel;
using NUnit.Framework;

namespace CrmPlugins.Solution.Tests
{
    /// <summary>
    /// The columns the won deals' median per stage rests on: the history's stage is the opportunity's own sales stage
    /// choice, and the steps that write the history carry the stage the deal was judged in to the plugin.
    /// </summary>
    [TestFixture]
    public sealed class StageHistoryColumnsTests
    {
        private SolutionSource _source = null!;

        [OneTimeSetUp]
        public void Load() => _source = SolutionSource.Load(Repo.SolutionFolder);

        /// <summary>
        /// Microsoft's Opportunity reference declares salesstage as a Picklist of the global choice opportunity_salesstage,
        /// 0 Qualify, 1 Develop, 2 Propose, 3 Close (MicrosoftDocs/dynamics-365-customer-engagement,
        /// ce/developer/reference/entities/opportunity.md, commit f3957a8d5a7b58c87eb8fdae620b786d533b1851, "SalesStage").
        /// The history copies the deal's value, so its column must use the same choice, or a value would have no label.
        /// </summary>
        [Test]
        public void HistorySalesStage_UsesTheChoiceMicrosoftDeclaresForOpportunitySalesStage()
        {
            var stage = _source.Table("dr_riskhistory")!.Column("dr_salesstage");
            Assert.That(stage?.Type, Is.EqualTo("picklist"));
            Assert.That(stage!.OptionSetName, Is.EqualTo("opportunity_salesstage"));
            Assert.That(_source.Table("dr_riskhistory")!.Column("dr_stageenteredon")?.Type, Is.EqualTo("datetime"));
            Assert.That(_source.Table("dr_riskpolicy")!.Column("dr_wonstagedays")?.Type, Is.EqualTo("nvarchar"));
        }

        /// <summary>
        /// The stage the suite judged the deal in (its process bar's, which moving the bar leaves off salesstage) is kept on
        /// the deal in the same choice as salesstage (Microsoft's reference above), so the history copies it value for value.
        /// </summary>
        [Test]
        public void StageAsJudged_OnOpportunity_UsesTheChoiceMicrosoftDeclaresForOpportunitySalesStage()
        {
            var judged = _source.Table("opportunity")!.Column("dr_judgedstage");
            Assert.That(judged?.Type, Is.EqualTo("picklist"));
            Assert.That(judged!.OptionSetName, Is.EqualTo("opportunity_salesstage"));
        }

        [Test]
        public void RiskStep_OverwritesATypedStageAsJudged_AndComparesItWithTheStoredOne()
        {
            var update = _source.Steps.Single(s => s.PluginTypeName.StartsWith("DealRisk.Plugins.OpportunityRiskPlugin,", System.StringComparison.Ordinal) && s.Message == "UpdateMultiple");
            Assert.That(update.FilteringAttributes, Does.Contain("dr_judgedstage"));
            Assert.That(update.Images.Single(i => i.EntityAlias == "PreImage").Attributes, Does.Contain("dr_judgedstage"));
        }

        /// <summary>
        /// The history fires on a change of the stage as judged (a bar's move writes it; salesstage does not change), and
        /// its images carry it beside salesstage, which stands in on deals not judged since the column came.
        /// </summary>
        [Test]
        public void HistorySteps_FireOnAStageMove_AndCarryTheStageAndWhenItWasEntered()
        {
            var steps = _source.Steps.Where(s => s.PluginTypeName.StartsWith("DealRisk.Plugins.RiskHistoryPlugin,", System.StringComparison.Ordinal)).ToList();
            var update = steps.Single(s => s.Message == "Update");
            Assert.That(update.FilteringAttributes, Does.Contain("dr_judgedstage"));
            Assert.That(update.Images.Single(i => i.EntityAlias == "PreImage").Attributes, Does.Contain("dr_judgedstage").And.Contain("salesstage"));
            foreach (var step in steps.Where(s => s.Message is "Update" or "Create"))
                Assert.That(step.Images.Single(i => i.EntityAlias == "PostImage").Attributes,
                    Does.Contain("dr_judgedstage").And.Contain("salesstage").And.Contain("dr_stageenteredon"), step.Message);
        }
    }
}
