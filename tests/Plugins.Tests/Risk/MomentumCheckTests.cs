using System;
using System.Collections.Generic;
using System.Linq;
using DealRisk.Risk;
using NUnit.Framework;

namespace DealRisk.Plugins.Tests.Risk
{
    /// <summary>The findings time creates, judged by the domain alone (the sweep scenarios show them through the pipeline).</summary>
    [TestFixture]
    public sealed class MomentumCheckTests
    {
        private static readonly DateTime Today = new(2026, 11, 30, 9, 0, 0, DateTimeKind.Utc);

        private static DealFacts ADeal(int stage = 1, int daysInStage = 10) => new()
        {
            Name = "Fabrikam",
            Today = Today,
            Current = new ForecastSnapshot { Amount = 100_000m, CloseDate = Today.AddDays(60), SalesStage = stage, Probability = 50 },
            CreatedOn = Today.AddDays(-daysInStage),
            StageEnteredOn = Today.AddDays(-daysInStage),
        };

        private static RiskFinding? Finding(DealFacts facts, string code, RiskPolicy? policy = null) =>
            RiskEvaluator.Evaluate(facts, policy ?? RiskPolicy.Default()).Findings.SingleOrDefault(f => f.Code == code);

        [Test]
        public void Stall_LongerThanTheMedianOfEnoughWonDeals_SaysSoWithTheCount()
        {
            var deal = ADeal(daysInStage: 40);
            deal.WonStageDays = new Dictionary<int, StageBenchmark> { [1] = new StageBenchmark(medianDays: 28, dealCount: 12) };

            var finding = Finding(deal, MomentumCheck.StageStalled);

            Assert.That(finding?.Reason, Is.EqualTo("In Develop for 40 days (since 2026-10-21), longer than the 28-day median of the 12 deals won from Develop."));
            Assert.That(finding!.Level, Is.EqualTo(RiskLevel.Medium));
        }

        [Test]
        public void Stall_AMedianOfTooFewWonDeals_IsNotUsed_ThePolicysDaysAre()
        {
            var deal = ADeal(daysInStage: 40);
            deal.WonStageDays = new Dictionary<int, StageBenchmark> { [1] = new StageBenchmark(medianDays: 28, dealCount: 4) };

            Assert.That(Finding(deal, MomentumCheck.StageStalled), Is.Null, "40 days is within the policy's 45 for Develop");
        }

        [Test]
        public void Stall_TwiceThePolicysDays_IsHigh()
        {
            Assert.That(Finding(ADeal(stage: 3, daysInStage: 43), MomentumCheck.StageStalled)?.Level, Is.EqualTo(RiskLevel.High), "Close allows 21 days");
            Assert.That(Finding(ADeal(stage: 3, daysInStage: 42), MomentumCheck.StageStalled)?.Level, Is.EqualTo(RiskLevel.Medium));
        }

        [Test]
        public void Silence_UnknownActivities_AreNotJudged()
        {
            var deal = ADeal(daysInStage: 40);
            Assert.That(Finding(deal, MomentumCheck.NoCustomerActivity), Is.Null);

            deal.ActivitiesKnown = true;
            Assert.That(Finding(deal, MomentumCheck.NoCustomerActivity)?.Reason, Is.EqualTo("No customer activity for 40 days (none completed since the deal was created on 2026-10-21); the policy allows 21 days."));
        }

        [Test]
        public void ClosedDeal_HasNoMomentumFinding()
        {
            var deal = ADeal(daysInStage: 90);
            deal.IsClosed = true;
            deal.ActivitiesKnown = true;
            deal.Current.CloseDate = Today.AddDays(-10);

            Assert.That(RiskEvaluator.Evaluate(deal, RiskPolicy.Default()).Findings.Where(f => f.CheckName == MomentumCheck.CheckName), Is.Empty);
        }

        [Test]
        public void Policy_StageTexts_AreReadAndBadPartsNamed()
        {
            var time = new TimePolicy();
            time.ReadStageDays("Qualify=10; develop = 20; Nowhere=5; Propose=x");
            time.ReadStageGates("Develop: DecisionMaker, budget; Close: Telepathy");

            Assert.That(time.StageMaxDays[0], Is.EqualTo(10));
            Assert.That(time.StageMaxDays[1], Is.EqualTo(20));
            Assert.That(time.StageMaxDays[2], Is.EqualTo(30), "the built-in days stay");
            Assert.That(time.StageGates[1], Is.EqualTo(new[] { StageGate.DecisionMaker, StageGate.Budget }));
            Assert.That(time.StageGates[3], Is.Empty);
            Assert.That(time.Problems, Has.Count.EqualTo(3));
            Assert.That(time.Problems, Has.Some.Contains("'Nowhere=5'"));
            Assert.That(time.Problems, Has.Some.Contains("'Telepathy'"));
        }
    }
}
