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
    /// The org's own pace: deals move through the sales stages over simulated days and are won, all through the pipeline
    /// with the steps from Solution/ (the risk history records each stage and when it was entered); the daily sweep works
    /// out the won deals' median days per stage, keeps them on the policy row, and an open deal slower than the median is
    /// stalled before the policy's days are up.
    /// </summary>
    [TestFixture]
    public sealed class WonStageScenarios
    {
        private SalesOrg _org = null!;
        private Guid _policy;

        [SetUp]
        public void SetUp()
        {
            _org = new SalesOrg();
            _policy = _org.ManagerService.Create(new Entity(RiskPolicyTable.EntityName) { [RiskPolicyTable.Name] = "Default" });
        }

        /// <summary>
        /// The five deals the org won, created in Qualify on day 0, with their days in Qualify, Develop, Propose and Close.
        /// Sorted, per stage: Qualify 6, 8, 10, 12, 14 (median 10); Develop 16, 18, 20, 22, 30 (median 20); Propose 6, 8, 9,
        /// 10, 12 (median 9); Close 2, 3, 4, 5, 7 (median 4); each of 5 deals.
        /// </summary>
        private static readonly int[][] FiveWonDeals =
        {
            new[] { 10, 20, 8, 5 },
            new[] { 12, 16, 10, 3 },
            new[] { 6, 30, 12, 4 },
            new[] { 14, 22, 6, 7 },
            new[] { 8, 18, 9, 2 },
        };

        private sealed class Journey
        {
            public Journey(string name, int[] stages, int[] days)
            {
                Name = name;
                Stages = stages;
                Days = days;
            }

            public string Name { get; }

            public int[] Stages { get; }

            public int[] Days { get; }

            public Guid Id { get; set; }

            /// <summary>The days from day 0 on which the deal enters each stage after the first, and then is won.</summary>
            public IEnumerable<(int Day, int? Stage)> Moves()
            {
                var day = 0;
                for (var i = 0; i < Stages.Length; i++)
                {
                    day += Days[i];
                    yield return (day, i + 1 < Stages.Length ? Stages[i + 1] : (int?)null);
                }
            }
        }

        private static Journey Through(string name, params int[] days) => new(name, new[] { 0, 1, 2, 3 }, days);

        /// <summary>
        /// Creates each deal in its first stage on day 0, then day by day moves it to its next stage or wins it, as a rep
        /// would, running the history's asynchronous jobs as the day's work ends. Returns the last day anything happened.
        /// </summary>
        private int Live(params Journey[] journeys)
        {
            var day0 = SalesOrg.Today;
            _org.Org.UtcNow = day0;
            foreach (var j in journeys)
                j.Id = _org.CreateDeal(j.Name, closeInDays: 120, more: e => e[Opportunity.SalesStage] = new OptionSetValue(j.Stages[0]));
            _org.Org.RunAsyncOperations();

            var moves = journeys.SelectMany(j => j.Moves().Select(m => (j, m.Day, m.Stage))).OrderBy(m => m.Day).ToList();
            foreach (var (journey, day, stage) in moves)
            {
                _org.Org.UtcNow = day0.AddDays(day);
                if (stage is int next) _org.RepService.Update(new Entity(Opportunity.EntityName, journey.Id) { [Opportunity.SalesStage] = new OptionSetValue(next) });
                else _org.RepService.Execute(_org.Win(journey.Id));
                _org.Org.RunAsyncOperations();
            }

            return moves.Max(m => m.Day);
        }

        /// <summary>The first <paramref name="count"/> of <see cref="FiveWonDeals"/> lived and won; the clock then on the next day, which it returns.</summary>
        private int AfterWonDeals(int count = 5)
        {
            var next = Live(FiveWonDeals.Take(count).Select((d, i) => Through("Won " + i, d)).ToArray()) + 1;
            _org.Org.UtcNow = SalesOrg.Today.AddDays(next);
            return next;
        }

        /// <summary>A won deal the suite never saw (no pipeline, so no history unless the test seeds it).</summary>
        private Guid SeedWon(string name, int closedDaysAgo)
        {
            var id = Guid.NewGuid();
            _org.Org.Seed(new Entity(Opportunity.EntityName, id)
            {
                [Opportunity.Name] = name, [Opportunity.StateCode] = new OptionSetValue(OpportunityState.Won), ["statuscode"] = new OptionSetValue(3),
                [Opportunity.ActualCloseDate] = SalesOrg.Today.Date.AddDays(-closedDaysAgo),
            });
            return id;
        }

        private OrganizationResponse Sweep() =>
            _org.ManagerService.Execute(new OrganizationRequest(RiskSweepPlugin.MessageName) { [RiskSweepPlugin.PageSizeParameter] = 250 });

        private string? StoredMedians() => _org.Org.Get(RiskPolicyTable.EntityName, _policy)!.GetAttributeValue<string>(RiskPolicyTable.WonStageDays);

        private string Reasons(Guid deal) => _org.Deal(deal).GetAttributeValue<string>(Opportunity.RiskReasons) ?? "";

        /// <summary>
        /// Both ways the emulator models a win (Microsoft does not document whether Win also runs the Update steps): the
        /// close row is written by the Update step's post-image or by the Win step's read, and carries the stage either way.
        /// </summary>
        [TestCase(true)]
        [TestCase(false)]
        public void Sweep_AfterFiveDealsWereWon_KeepsTheirMedianDaysPerStage_OnThePolicyRow(bool winRunsUpdateSteps)
        {
            _org.Org.ClosingOpportunityRunsUpdateSteps = winRunsUpdateSteps;
            AfterWonDeals();

            var response = Sweep();

            // Worked by hand in FiveWonDeals' comment.
            Assert.That(StoredMedians(), Is.EqualTo("Qualify=10 (5); Develop=20 (5); Propose=9 (5); Close=4 (5)"));
            Assert.That((string)response.Results[RiskSweepPlugin.SummaryProperty],
                Does.Contain("won deals' days per stage over 365 days: Qualify=10 (5); Develop=20 (5); Propose=9 (5); Close=4 (5); 5 won deal(s) counted, 0 counted out; kept on 1 policy row(s), 1 changed"));
        }

        [Test]
        public void Sweep_AnOpenDealSlowerThanTheWonDealsInDevelop_IsStalled_NamingTheMedianAndItsCount()
        {
            var day = AfterWonDeals();
            var open = _org.CreateDeal("Northwind renewal", closeInDays: 90);
            _org.Org.RunAsyncOperations();

            // 25 days in Develop: longer than the won deals' 20-day median, within the policy's 45 days.
            _org.Org.UtcNow = SalesOrg.Today.AddDays(day + 25);
            Sweep();

            var entered = SalesOrg.Today.AddDays(day).ToString("yyyy-MM-dd");
            Assert.That(Reasons(open), Does.Contain($"In Develop for 25 days (since {entered}), longer than the 20-day median of the 5 deals won from Develop."));
            Assert.That(_org.Deal(open).GetAttributeValue<string>(Opportunity.RiskFindingCodes), Does.Contain(MomentumCheck.StageStalled));
        }

        [Test]
        public void Sweep_WithFourWonDeals_KeepsTheMedian_ButTheStallIsJudgedOnThePolicysDays()
        {
            var day = AfterWonDeals(count: 4);
            var open = _org.CreateDeal("Northwind renewal", closeInDays: 90);

            _org.Org.UtcNow = SalesOrg.Today.AddDays(day + 25);
            Sweep();

            // Develop of the first four: 16, 20, 22, 30 -> (20 + 22) / 2 = 21, on 4 deals: under the 5 the median needs.
            Assert.That(StoredMedians(), Does.Contain("Develop=21 (4)"));
            Assert.That(_org.Deal(open).GetAttributeValue<string>(Opportunity.RiskFindingCodes) ?? "", Does.Not.Contain(MomentumCheck.StageStalled), "25 days is within the policy's 45");
        }

        [Test]
        public void Sweep_SkippedStagesReopenedDealsAndDealsWithoutAStageHistory_AreLeftOutOfTheMedians_AndCountedOut()
        {
            var skipped = new Journey("Skipped Develop", new[] { 0, 2, 3 }, new[] { 9, 11, 6 });
            var reopened = Through("Reopened", 5, 10, 5, 5);
            var journeys = FiveWonDeals.Select((d, i) => Through("Won " + i, d)).Concat(new[] { skipped, reopened }).ToArray();
            var last = Live(journeys);
            // Reopened after its win on day 25 and won again: its time in Close no longer says how long winning took.
            _org.Org.UtcNow = SalesOrg.Today.AddDays(last + 1);
            _org.RepService.Update(new Entity(Opportunity.EntityName, reopened.Id) { [Opportunity.StateCode] = new OptionSetValue(OpportunityState.Open), ["statuscode"] = new OptionSetValue(1) });
            _org.Org.RunAsyncOperations();
            _org.Org.UtcNow = SalesOrg.Today.AddDays(last + 3);
            _org.RepService.Execute(_org.Win(reopened.Id));
            _org.Org.RunAsyncOperations();
            // Won last spring, before the suite was installed: no history at all.
            SeedWon("Won before the suite", closedDaysAgo: 200);

            // Won in the summer, its history from before the history kept stages: rows, but no stage on them.
            var early = SeedWon("Won before stages were recorded", closedDaysAgo: 100);
            foreach (var (days, kind) in new[] { (-150, RiskHistory.KindChange), (-100, RiskHistory.KindClose) })
                _org.Org.Seed(new Entity(RiskHistory.EntityName)
                {
                    [RiskHistory.OpportunityId] = new EntityReference(Opportunity.EntityName, early), [RiskHistory.Kind] = new OptionSetValue(kind),
                    [RiskHistory.RecordedOn] = SalesOrg.Today.AddDays(days), [RiskHistory.Outcome] = kind == RiskHistory.KindClose ? new OptionSetValue(RiskHistory.OutcomeWon) : null,
                });
            // Won more than 365 days ago: outside the lookback, not even counted out.
            SeedWon("Won long ago", closedDaysAgo: 400);

            _org.Org.UtcNow = SalesOrg.Today.AddDays(last + 4);
            var response = Sweep();

            // The five deals and the one that skipped Develop (Qualify 9, Propose 11, Close 6):
            // Qualify 6, 8, 9, 10, 12, 14 -> (9 + 10) / 2 = 9.5, rounded up to 10, of 6 deals; Develop still 20 of 5;
            // Propose 6, 8, 9, 10, 11, 12 -> 9.5 -> 10 of 6; Close 2, 3, 4, 5, 6, 7 -> 4.5 -> 5 of 6.
            Assert.That(StoredMedians(), Is.EqualTo("Qualify=10 (6); Develop=20 (5); Propose=10 (6); Close=5 (6)"));
            Assert.That((string)response.Results[RiskSweepPlugin.SummaryProperty],
                Does.Contain("6 won deal(s) counted, 3 counted out (1 with no history, 1 reopened, 1 with history from before stages were recorded)"));
        }

        [Test]
        public void Save_AStageMove_ThatLeavesTheVerdict_IsRecordedInTheHistory_WithTheStageAndWhenItWasEntered()
        {
            var deal = _org.CreateDeal(more: e => e[Opportunity.SalesStage] = new OptionSetValue(0));
            _org.Org.RunAsyncOperations();
            var verdict = _org.Deal(deal).GetAttributeValue<string>(Opportunity.RiskFindingCodes);

            _org.Org.UtcNow = SalesOrg.Today.AddDays(6);
            _org.RepService.Update(new Entity(Opportunity.EntityName, deal) { [Opportunity.SalesStage] = new OptionSetValue(1) });
            _org.Org.RunAsyncOperations();

            Assert.That(_org.Deal(deal).GetAttributeValue<string>(Opportunity.RiskFindingCodes), Is.EqualTo(verdict), "the move left the findings as they were");
            var rows = _org.Org.All(RiskHistory.EntityName).Where(r => r.GetAttributeValue<EntityReference>(RiskHistory.OpportunityId).Id == deal)
                .OrderBy(r => r.GetAttributeValue<DateTime>(RiskHistory.RecordedOn)).ToList();
            Assert.That(rows.Select(r => r.GetAttributeValue<OptionSetValue>(RiskHistory.SalesStage)?.Value), Is.EqualTo(new int?[] { 0, 1 }));
            Assert.That(rows.Select(r => r.GetAttributeValue<DateTime?>(RiskHistory.StageEnteredOn)), Is.EqualTo(new DateTime?[] { SalesOrg.Today, SalesOrg.Today.AddDays(6) }));
        }

        [Test]
        public void Reopen_AWonDeal_WritesAHistoryRowAfterTheClose_SoItIsNotCountedAsWonFromItsStage()
        {
            var deal = _org.CreateDeal();
            _org.RepService.Execute(_org.Win(deal));
            _org.Org.RunAsyncOperations();

            _org.Org.UtcNow = SalesOrg.Today.AddDays(3);
            _org.RepService.Update(new Entity(Opportunity.EntityName, deal) { [Opportunity.StateCode] = new OptionSetValue(OpportunityState.Open), ["statuscode"] = new OptionSetValue(1) });
            _org.Org.RunAsyncOperations();

            var rows = _org.Org.All(RiskHistory.EntityName).Where(r => r.GetAttributeValue<EntityReference>(RiskHistory.OpportunityId).Id == deal)
                .OrderBy(r => r.GetAttributeValue<DateTime>(RiskHistory.RecordedOn)).ToList();
            Assert.That(rows.Select(r => r.GetAttributeValue<OptionSetValue>(RiskHistory.Kind).Value),
                Is.EqualTo(new[] { RiskHistory.KindChange, RiskHistory.KindClose, RiskHistory.KindChange }));
            Assert.That(rows.Last().GetAttributeValue<DateTime>(RiskHistory.RecordedOn), Is.EqualTo(SalesOrg.Today.AddDays(3)));
            Assert.That(rows.Last().GetAttributeValue<OptionSetValue>(RiskHistory.SalesStage)?.Value, Is.EqualTo(1));
        }

        [Test]
        public void Sweep_RunTwiceTheSameDay_LeavesThePolicyRowAsTheFirstRunWroteIt()
        {
            var day = AfterWonDeals();
            Sweep();
            var version = _org.Org.Get(RiskPolicyTable.EntityName, _policy)!.GetAttributeValue<long?>("versionnumber");

            _org.Org.UtcNow = SalesOrg.Today.AddDays(day).AddHours(5);
            var second = Sweep();

            Assert.That(_org.Org.Get(RiskPolicyTable.EntityName, _policy)!.GetAttributeValue<long?>("versionnumber"), Is.EqualTo(version));
            Assert.That((string)second.Results[RiskSweepPlugin.SummaryProperty], Does.Contain("kept on 1 policy row(s), 0 changed"));
        }
    }
}
