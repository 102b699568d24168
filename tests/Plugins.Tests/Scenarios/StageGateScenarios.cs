using System;
using System.Linq;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;
using NUnit.Framework;

namespace DealRisk.Plugins.Tests.Scenarios
{
    /// <summary>
    /// Stage gates through the pipeline with the registration from Solution/: the built-in gates of the Opportunity Sales
    /// Process apply with no policy text, the policy's Stage gates column replaces a stage's gates or switches them off, and a
    /// save that moves a deal into a stage without the facts due by then is judged on that save.
    /// </summary>
    [TestFixture]
    public sealed class StageGateScenarios
    {
        private SalesOrg _org = null!;

        [SetUp]
        public void SetUp() => _org = new SalesOrg();

        private string Reasons(Guid deal) => _org.Deal(deal).GetAttributeValue<string>(Opportunity.RiskReasons) ?? "";

        private string Codes(Guid deal) => _org.Deal(deal).GetAttributeValue<string>(Opportunity.RiskFindingCodes) ?? "";

        private void Policy(string? stageGates) =>
            _org.Org.Seed(new Entity(RiskPolicyTable.EntityName) { [RiskPolicyTable.Name] = "Default", [RiskPolicyTable.StageGates] = stageGates });

        private static Action<Entity> InStage(int stage) => deal => deal[Opportunity.SalesStage] = new OptionSetValue(stage);

        [Test]
        public void Create_InPropose_WithNothingRecorded_AndNoPolicy_FindsTheBuiltInGatesOfDevelopAndPropose()
        {
            var deal = _org.CreateDeal(more: InStage(2), processFollowed: false);

            Assert.That(Reasons(deal), Does.Contain(
                "High: In Propose without 8 facts the sales process requires by then: decision maker identified, budget estimated, purchase timeframe, purchase process (due by Develop); " +
                "customer need, proposed solution, stakeholders identified, competitors identified (due by Propose)."));
        }

        [Test]
        public void Create_InDevelop_WithThePolicyRowButNoStageGatesText_FindsTheBuiltInGatesOfDevelop_AsMedium()
        {
            Policy(null);
            var deal = _org.CreateDeal(processFollowed: false);

            Assert.That(Reasons(deal), Does.Contain(
                "Medium: In Develop without 4 facts the sales process requires by then: decision maker identified, budget estimated, purchase timeframe, purchase process (due by Develop)."));
        }

        [Test]
        public void Create_WithEveryStepRecorded_HasNoGateFinding_InAnyStage()
        {
            foreach (var stage in new[] { 0, 1, 2, 3 })
            {
                var deal = _org.CreateDeal("Stage " + stage, more: InStage(stage));
                Assert.That(Codes(deal), Does.Not.Contain(StageGateCheck.GateMissing), TimePolicy.StageName(stage));
            }
        }

        [Test]
        public void Answers_ThatAreNotAnswers_DoNotPassTheGate_UnknownTimeframeOrProcess_AndABudgetOfZero()
        {
            var deal = _org.CreateDeal(more: d =>
            {
                d[OpportunitySalesProcess.PurchaseTimeframe] = new OptionSetValue(OpportunitySalesProcess.PurchaseTimeframeUnknown);
                d[OpportunitySalesProcess.PurchaseProcess] = new OptionSetValue(OpportunitySalesProcess.PurchaseProcessUnknown);
                d[OpportunitySalesProcess.BudgetAmount] = new Money(0m);
            });

            Assert.That(Reasons(deal), Does.Contain("Medium: In Develop without 3 facts the sales process requires by then: budget estimated, purchase timeframe, purchase process (due by Develop)."));

            _org.RepService.Update(new Entity(Opportunity.EntityName, deal)
            {
                [OpportunitySalesProcess.PurchaseTimeframe] = new OptionSetValue(2), [OpportunitySalesProcess.PurchaseProcess] = new OptionSetValue(0),
                [OpportunitySalesProcess.BudgetAmount] = new Money(50_000m),
            });
            Assert.That(Codes(deal), Does.Not.Contain(StageGateCheck.GateMissing), "Next Quarter, Individual and 50,000 are answers");
        }

        [Test]
        public void Policy_NamingOneStage_ReplacesThatStagesGates_AndTheOtherStagesKeepTheBuiltIn()
        {
            Policy("Propose: CustomerNeed");
            var deal = _org.CreateDeal(more: InStage(2), processFollowed: false);

            Assert.That(Reasons(deal), Does.Contain(
                "High: In Propose without 5 facts the sales process requires by then: decision maker identified, budget estimated, purchase timeframe, purchase process (due by Develop); customer need (due by Propose)."));
        }

        [Test]
        public void Policy_AStageWithNothingAfterIt_SwitchesThatStageOff()
        {
            Policy("Develop:");
            var deal = _org.CreateDeal(processFollowed: false);

            Assert.That(Codes(deal), Does.Not.Contain(StageGateCheck.GateMissing));
        }

        [TestCase("none")]
        [TestCase("None")]
        [TestCase("Develop:; Propose:; Close:")]
        public void Policy_None_OrEveryStageEmpty_SwitchesGatesOff(string text)
        {
            Policy(text);
            var deal = _org.CreateDeal(more: InStage(3), processFollowed: false);

            Assert.That(Codes(deal), Does.Not.Contain(StageGateCheck.GateMissing));
        }

        [Test]
        public void Policy_NoneThenAStage_KeepsOnlyThatStagesGates()
        {
            Policy("none; Close: ProposalPresented");
            var inPropose = _org.CreateDeal("In Propose", more: InStage(2), processFollowed: false);
            var inClose = _org.CreateDeal("In Close", more: InStage(3), processFollowed: false);

            Assert.That(Codes(inPropose), Does.Not.Contain(StageGateCheck.GateMissing));
            Assert.That(Reasons(inClose), Does.Contain("High: In Close without 1 fact the sales process requires by then: proposal presented (due by Close)."));
        }

        [Test]
        public void Update_MovingIntoPropose_WithoutTheDecisionMaker_FindsTheGate_OnTheSaveThatMovesIt()
        {
            // A team that identifies the decision maker while developing the deal: the decision maker is due by Propose.
            Policy("Develop: Budget, PurchaseTimeframe, PurchaseProcess; Propose: DecisionMaker, CustomerNeed, ProposedSolution, CustomerContacts, Competitors");
            var deal = _org.CreateDeal(more: d => d[OpportunitySalesProcess.DecisionMaker] = false);
            Assert.That(Codes(deal), Does.Not.Contain(StageGateCheck.GateMissing), "in Develop it has what Develop asks for");

            // The save carries the stage alone: the facts recorded before come from the step's pre-image.
            _org.RepService.Update(new Entity(Opportunity.EntityName, deal) { [Opportunity.SalesStage] = new OptionSetValue(2) });

            Assert.That(Reasons(deal), Does.Contain("Medium: In Propose without 1 fact the sales process requires by then: decision maker identified (due by Propose)."));
        }

        [Test]
        public void Update_SkippingDevelop_IntoPropose_WithoutTheDecisionMaker_IsHigh_AndTickingTheStepClearsIt()
        {
            var deal = _org.CreateDeal(more: d =>
            {
                d[Opportunity.SalesStage] = new OptionSetValue(0);
                d[OpportunitySalesProcess.DecisionMaker] = false;
            });
            Assert.That(Codes(deal), Does.Not.Contain(StageGateCheck.GateMissing), "Qualify has no gate");

            _org.RepService.Update(new Entity(Opportunity.EntityName, deal) { [Opportunity.SalesStage] = new OptionSetValue(2) });
            Assert.That(Reasons(deal), Does.Contain("High: In Propose without 1 fact the sales process requires by then: decision maker identified (due by Develop)."));

            _org.RepService.Update(new Entity(Opportunity.EntityName, deal) { [OpportunitySalesProcess.DecisionMaker] = true });
            Assert.That(Codes(deal), Does.Not.Contain(StageGateCheck.GateMissing), "the step's column is a filtering attribute: ticking it judges the deal again");
        }

        [Test]
        public void RiskUpdateStep_FiltersOnEveryGateColumn_AndItsPreImageCarriesThem()
        {
            var step = CrmPlugins.SolutionModel.StepRegistration.LoadAll(SalesOrg.SolutionFolder)
                .Single(s => s.PluginTypeFullName == typeof(OpportunityRiskPlugin).FullName && s.Message == "UpdateMultiple");

            Assert.That(step.FilteringAttributes, Is.SupersetOf(OpportunitySalesProcess.GateColumns.Values));
            Assert.That(step.Images.Single().Attributes, Is.SupersetOf(OpportunitySalesProcess.GateColumns.Values));
            Assert.That(step.FilteringAttributes, Does.Not.Contain("budgetstatus"), "the process's budget step is the estimated budget (budgetamount)");
        }
    }
}
