using System.Linq;
using CrmPlugins.SolutionModel;
using NUnit.Framework;

namespace CrmPlugins.Solution.Tests
{
    /// <summary>
    /// The columns the won deals' median per stage rests on: the history's stage is the opportunity's own sales stage
    /// choice, and the steps that write the history carry the stage to the plugin.
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

        [Test]
        public void HistorySteps_FireOnAStageMove_AndCarryTheStageAndWhenItWasEntered()
        {
            var steps = _source.Steps.Where(s => s.PluginTypeName.StartsWith("DealRisk.Plugins.RiskHistoryPlugin,", System.StringComparison.Ordinal)).ToList();
            var update = steps.Single(s => s.Message == "Update");
            Assert.That(update.FilteringAttributes, Does.Contain("salesstage"));
            Assert.That(update.Images.Single(i => i.EntityAlias == "PreImage").Attributes, Does.Contain("salesstage"));
            foreach (var step in steps.Where(s => s.Message is "Update" or "Create"))
                Assert.That(step.Images.Single(i => i.EntityAlias == "PostImage").Attributes, Does.Contain("salesstage").And.Contain("dr_stageenteredon"), step.Message);
        }
    }
}
