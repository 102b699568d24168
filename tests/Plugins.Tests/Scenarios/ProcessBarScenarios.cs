using System;
using System.Collections.Generic;
using System.Linq;
using DealRisk.Plugins.Schema;
using DealRisk.Plugins.Sweep;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;
using NUnit.Framework;

namespace DealRisk.Plugins.Tests.Scenarios
{
    /// <summary>
    /// Reps move the process bar, not the Sales Stage choice: the bar's move changes the deal's Opportunity Sales Process
    /// instance (opportunitysalesprocess.activestageid) and leaves salesstage as it was (sources in
    /// tests/Emulator.Tests/Fidelity/BusinessProcessFlowTests). Through the registration from Solution/, the move re-judges the
    /// deal in the stage the bar shows: the stage clock restarts, the gates of that stage apply, and a stall counts from the move.
    /// </summary>
    [TestFixture]
    public sealed class ProcessBarScenarios
    {
        // Microsoft's Opportunity Sales Process stage ids (getActivePath reference, cited in Schema/SalesProcessTests).
        private static readonly Guid Qualify = new("6b9ce798-221a-4260-90b2-2a95ed51a5bc");
        private static readonly Guid Develop = new("650e06b4-789b-46c1-822b-0da76bedb1ed");
        private static readonly Guid Propose = new("d3ca8878-8d7b-47b9-852d-fcd838790cfd");
        private static readonly Guid Close = new("bb7e830a-61bd-441b-b1fd-6bb104ffa027");

        private SalesOrg _org = null!;

        [SetUp]
        public void SetUp()
        {
            _org = new SalesOrg();
            // processstage_category: 0 Qualify, 1 Develop, 2 Propose, 3 Close (powerapps-docs reference/entities/processstage.md).
            Stage("Qualify", 0, Qualify);
            Stage("Develop", 1, Develop);
            Stage("Propose", 2, Propose);
            Stage("Close", 3, Close);
        }

        /// <summary>A stage of a process in the org, with its category.</summary>
        private Guid Stage(string name, int category, Guid? id = null)
        {
            var stage = id ?? Guid.NewGuid();
            _org.Org.Seed(new Entity(ProcessStage.EntityName, stage) { [ProcessStage.StageName] = name, [ProcessStage.StageCategory] = new OptionSetValue(category) });
            return stage;
        }

        private Entity Deal(Guid id) => _org.Deal(id);

        private string Reasons(Guid deal) => Deal(deal).GetAttributeValue<string>(Opportunity.RiskReasons) ?? "";

        /// <summary>A deal in Develop with the Qualify steps recorded (its Develop steps not yet), its process bar in Develop.</summary>
        private (Guid Deal, Guid Bar) DealWithItsBarInDevelop()
        {
            var deal = _org.CreateDeal(processFollowed: false, more: d =>
            {
                d[OpportunitySalesProcess.DecisionMaker] = true;
                d[OpportunitySalesProcess.BudgetAmount] = new Money(120_000m);
                d[OpportunitySalesProcess.PurchaseTimeframe] = new OptionSetValue(1);
                d[OpportunitySalesProcess.PurchaseProcess] = new OptionSetValue(1);
            });
            var bar = _org.RepService.Create(new Entity(SalesProcessInstance.EntityName)
            {
                ["name"] = "Opportunity Sales Process",
                [SalesProcessInstance.OpportunityId] = new EntityReference(Opportunity.EntityName, deal),
                [SalesProcessInstance.ActiveStageId] = new EntityReference(ProcessStage.EntityName, Develop),
            });
            return (deal, bar);
        }

        private void MoveBar(Guid bar, Guid stage) =>
            _org.RepService.Update(new Entity(SalesProcessInstance.EntityName, bar) { [SalesProcessInstance.ActiveStageId] = new EntityReference(ProcessStage.EntityName, stage) });

        private void Sweep() =>
            _org.Org.GetOrganizationService(_org.Manager).Execute(new OrganizationRequest(RiskSweepPlugin.MessageName) { [RiskSweepPlugin.PageSizeParameter] = 250 });

        [Test]
        public void MovingTheBar_FromDevelopToPropose_WithoutTouchingSalesStage_RestartsTheStageClock_AndAppliesTheGatesOfPropose()
        {
            var (deal, bar) = DealWithItsBarInDevelop();
            Assert.That(Reasons(deal), Does.Not.Contain("without"), "in Develop with the Qualify steps recorded, no gate is missing");
            var moved = SalesOrg.Today.AddDays(10);
            _org.Org.UtcNow = moved;

            MoveBar(bar, Propose);

            var move = _org.Org.Executions.Last(e => e.PluginType == typeof(ChildRowRiskPlugin) && e.Context.PrimaryEntityName == SalesProcessInstance.EntityName);
            Assert.That(move.Calls.ToString(), Is.EqualTo("Update=1"), "the move asks the deal to be judged again, nothing more");
            var after = Deal(deal);
            Assert.That(after.GetAttributeValue<OptionSetValue>(Opportunity.SalesStage).Value, Is.EqualTo(1), "salesstage still says Develop");
            Assert.That(after.GetAttributeValue<DateTime?>(Opportunity.StageEnteredOn), Is.EqualTo(moved), "the stage clock restarted on the move");
            Assert.That(Reasons(deal), Does.Contain(
                "Medium: In Propose without 4 facts the sales process requires by then: customer need, proposed solution, stakeholders identified, competitors identified (due by Propose)."));
        }

        [Test]
        public void AStall_CountsFromTheMove_ByTheLimitOfTheBarsStage()
        {
            var (deal, bar) = DealWithItsBarInDevelop();
            _org.Org.UtcNow = SalesOrg.Today.AddDays(10);
            MoveBar(bar, Propose);

            var firstDay = new Dictionary<string, int>();
            for (var day = 11; day <= 60; day++)
            {
                _org.Org.UtcNow = SalesOrg.Today.AddDays(day);
                Sweep();
                if (!firstDay.ContainsKey(MomentumCheck.StageStalled) && (Deal(deal).GetAttributeValue<string>(Opportunity.RiskFindingCodes) ?? "").Contains(MomentumCheck.StageStalled))
                    firstDay[MomentumCheck.StageStalled] = day;
            }

            // Propose allows 30 days from day 10: day 41 (salesstage's Develop from day 0 would have stalled on day 46).
            Assert.That(firstDay.GetValueOrDefault(MomentumCheck.StageStalled), Is.EqualTo(41));
            Assert.That(Reasons(deal), Does.Contain("In Propose for 50 days (since 2026-11-12), longer than the policy's 30 days for Propose."));
        }

        [Test]
        public void ARenamedStage_OfAnotherProcess_IsJudgedByItsCategory()
        {
            var (deal, bar) = DealWithItsBarInDevelop();
            // An org's own process: a stage named "Negotiate" in the Close category (processstage_category 3).
            var negotiate = Stage("Negotiate", 3);

            MoveBar(bar, negotiate);

            Assert.That(Reasons(deal), Does.Contain("In Close without"));
        }

        [Test]
        public void AFinishedProcess_OrAStageOutsideTheSalesCategories_LeavesTheDealInItsSalesStage()
        {
            var (deal, bar) = DealWithItsBarInDevelop();
            var research = Stage("Research", 5);
            MoveBar(bar, Propose);
            Assert.That(Reasons(deal), Does.Contain("In Propose without"));

            MoveBar(bar, research);
            Assert.That(Reasons(deal), Does.Not.Contain("In Propose without"), "Research is not a sales stage: salesstage (Develop) applies");

            MoveBar(bar, Propose);
            _org.RepService.Update(new Entity(SalesProcessInstance.EntityName, bar) { [SalesProcessInstance.StateCode] = new OptionSetValue(1), ["statuscode"] = new OptionSetValue(2) });
            Assert.That(Reasons(deal), Does.Not.Contain("In Propose without"), "a finished process no longer says where the deal is");
        }

        private IEnumerable<Entity> History(Guid deal) =>
            _org.Org.All(RiskHistory.EntityName).Where(r => r.GetAttributeValue<EntityReference>(RiskHistory.OpportunityId).Id == deal)
                .OrderBy(r => r.GetAttributeValue<DateTime>(RiskHistory.RecordedOn)).ThenBy(r => r.GetAttributeValue<long?>(RiskHistory.SourceVersion));

        [Test]
        public void MovingTheBar_WritesAHistoryRow_WithTheBarsStage_AndWhenTheBarEnteredIt()
        {
            var (deal, bar) = DealWithItsBarInDevelop();
            _org.Org.RunAsyncOperations();
            var moved = SalesOrg.Today.AddDays(10);
            _org.Org.UtcNow = moved;

            MoveBar(bar, Propose);
            _org.Org.RunAsyncOperations();

            var after = Deal(deal);
            Assert.That(after.GetAttributeValue<OptionSetValue>(Opportunity.SalesStage).Value, Is.EqualTo(1), "salesstage still says Develop");
            Assert.That(after.GetAttributeValue<OptionSetValue>(Opportunity.JudgedStage)?.Value, Is.EqualTo(2), "the deal says the stage it was judged in");
            var last = History(deal).Last();
            Assert.That(last.GetAttributeValue<OptionSetValue>(RiskHistory.SalesStage)?.Value, Is.EqualTo(2), "the history records the bar's stage, Propose");
            Assert.That(last.GetAttributeValue<DateTime?>(RiskHistory.StageEnteredOn), Is.EqualTo(moved));
            Assert.That(last.GetAttributeValue<DateTime?>(RiskHistory.RecordedOn), Is.EqualTo(moved));
            Assert.That(last.GetAttributeValue<string>(RiskHistory.Trigger), Does.StartWith("Update: the process bar"));
        }

        [Test]
        public void AStageTypedIntoStageAsJudged_IsReplacedByTheBarsStage()
        {
            var (deal, bar) = DealWithItsBarInDevelop();
            MoveBar(bar, Propose);

            _org.RepService.Update(new Entity(Opportunity.EntityName, deal) { [Opportunity.JudgedStage] = new OptionSetValue(3) });

            Assert.That(Deal(deal).GetAttributeValue<OptionSetValue>(Opportunity.JudgedStage)?.Value, Is.EqualTo(2));
        }

        [Test]
        public void MovingTheBarBack_FromProposeToDevelop_IsAForecastChange_AsMovingSalesStageBackIs()
        {
            var (deal, bar) = DealWithItsBarInDevelop();
            MoveBar(bar, Propose);
            _org.Org.UtcNow = SalesOrg.Today.AddDays(3);

            MoveBar(bar, Develop);

            Assert.That(Reasons(deal), Does.Contain("Sales stage moved back from Propose to Develop."));
        }

        /// <summary>
        /// Five deals created in Qualify on day 0, each moved through Develop, Propose and Close by its process bar alone (its
        /// salesstage stays Qualify) and won, after these days in Qualify, Develop, Propose and Close. Sorted, per stage:
        /// Qualify 6, 8, 10, 12, 14 (median 10); Develop 16, 18, 20, 22, 30 (median 20); Propose 6, 8, 9, 10, 12 (median 9);
        /// Close 2, 3, 4, 5, 7 (median 4).
        /// </summary>
        [Test]
        public void WonDeals_MovedThroughTheBarOnly_GiveTheSweepTheirMedianDaysPerStage()
        {
            var days = new[] { new[] { 10, 20, 8, 5 }, new[] { 12, 16, 10, 3 }, new[] { 6, 30, 12, 4 }, new[] { 14, 22, 6, 7 }, new[] { 8, 18, 9, 2 } };
            var policy = _org.ManagerService.Create(new Entity(RiskPolicyTable.EntityName) { [RiskPolicyTable.Name] = "Default" });
            _org.Org.UtcNow = SalesOrg.Today;
            var deals = new List<(Guid Deal, Guid Bar)>();
            for (var i = 0; i < days.Length; i++)
            {
                var deal = _org.CreateDeal("Won by the bar " + i, closeInDays: 120, more: d => d[Opportunity.SalesStage] = new OptionSetValue(0));
                var bar = _org.RepService.Create(new Entity(SalesProcessInstance.EntityName)
                {
                    ["name"] = "Opportunity Sales Process",
                    [SalesProcessInstance.OpportunityId] = new EntityReference(Opportunity.EntityName, deal),
                    [SalesProcessInstance.ActiveStageId] = new EntityReference(ProcessStage.EntityName, Qualify),
                });
                deals.Add((deal, bar));
            }

            _org.Org.RunAsyncOperations();
            var next = new[] { Develop, Propose, Close };
            var moves = days.SelectMany((d, i) => Enumerable.Range(0, 4).Select(s => (Deal: i, Day: d.Take(s + 1).Sum(), Stage: s))).OrderBy(m => m.Day).ToList();
            foreach (var (i, day, stage) in moves)
            {
                _org.Org.UtcNow = SalesOrg.Today.AddDays(day);
                if (stage < 3) MoveBar(deals[i].Bar, next[stage]);
                else _org.RepService.Execute(_org.Win(deals[i].Deal));
                _org.Org.RunAsyncOperations();
            }

            _org.Org.UtcNow = SalesOrg.Today.AddDays(moves.Max(m => m.Day) + 1);
            Sweep();

            Assert.That(deals.Select(d => Deal(d.Deal).GetAttributeValue<OptionSetValue>(Opportunity.SalesStage).Value), Is.All.EqualTo(0), "salesstage was never touched");
            Assert.That(History(deals[0].Deal).Select(r => r.GetAttributeValue<OptionSetValue>(RiskHistory.SalesStage)?.Value).Distinct(), Is.EqualTo(new int?[] { 0, 1, 2, 3 }),
                "the history follows the bar through every stage");
            Assert.That(_org.Org.Get(RiskPolicyTable.EntityName, policy)!.GetAttributeValue<string>(RiskPolicyTable.WonStageDays),
                Is.EqualTo("Qualify=10 (5); Develop=20 (5); Propose=9 (5); Close=4 (5)"));
        }

        /// <summary>A deal stored as the suite left it before dr_judgedstage existed: judged, but without that column.</summary>
        private Guid DealJudgedBeforeStageAsJudgedExisted()
        {
            var judged = Deal(_org.CreateDeal("Judged before the column"));
            var id = Guid.NewGuid();
            var stored = new Entity(Opportunity.EntityName, id);
            foreach (var column in judged.Attributes.Where(a => a.Key != Opportunity.Id && a.Key != Opportunity.JudgedStage && a.Key != "versionnumber"))
                stored[column.Key] = column.Value;
            _org.Org.Seed(stored);
            return id;
        }

        [Test]
        public void ADealJudgedBeforeStageAsJudgedExisted_SavedWithoutAStageMove_GetsNoHistoryRow()
        {
            var deal = DealJudgedBeforeStageAsJudgedExisted();
            _org.Org.UtcNow = SalesOrg.Today.AddDays(1);

            _org.RepService.Update(new Entity(Opportunity.EntityName, deal) { [Opportunity.RiskRecalculationRequestedOn] = _org.Org.UtcNow });
            _org.Org.RunAsyncOperations();

            Assert.That(Deal(deal).GetAttributeValue<OptionSetValue>(Opportunity.JudgedStage)?.Value, Is.EqualTo(1), "judged in its salesstage, Develop");
            Assert.That(History(deal), Is.Empty, "salesstage stood for the stage before the column: Develop then, Develop now");
        }

        [Test]
        public void ADealJudgedBeforeStageAsJudgedExisted_MovedBySalesStage_GetsOneRowWithTheNewStage()
        {
            var deal = DealJudgedBeforeStageAsJudgedExisted();
            _org.Org.UtcNow = SalesOrg.Today.AddDays(1);

            _org.RepService.Update(new Entity(Opportunity.EntityName, deal) { [Opportunity.SalesStage] = new OptionSetValue(2) });
            _org.Org.RunAsyncOperations();

            Assert.That(History(deal).Select(r => r.GetAttributeValue<OptionSetValue>(RiskHistory.SalesStage)?.Value), Is.EqualTo(new int?[] { 2 }));
        }

        [Test]
        public void TheBarLeavingTheSalesStages_PutsTheDealBackInItsSalesStage_FromThatDay_InTheDealAndItsHistory()
        {
            var (deal, bar) = DealWithItsBarInDevelop();
            var research = Stage("Research", 5);
            _org.Org.UtcNow = SalesOrg.Today.AddDays(4);
            MoveBar(bar, Propose);
            var left = SalesOrg.Today.AddDays(9);
            _org.Org.UtcNow = left;

            MoveBar(bar, research);
            _org.Org.RunAsyncOperations();

            var after = Deal(deal);
            Assert.That(after.GetAttributeValue<OptionSetValue>(Opportunity.JudgedStage)?.Value, Is.EqualTo(1), "judged in salesstage, Develop, again");
            Assert.That(after.GetAttributeValue<DateTime?>(Opportunity.StageEnteredOn), Is.EqualTo(left), "the clock of Develop starts when the deal was put back in it");
            var last = History(deal).Last();
            Assert.That(last.GetAttributeValue<OptionSetValue>(RiskHistory.SalesStage)?.Value, Is.EqualTo(1));
            Assert.That(last.GetAttributeValue<DateTime?>(RiskHistory.StageEnteredOn), Is.EqualTo(left));
        }
    }
}
