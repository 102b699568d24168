using System;
using System.Collections.Generic;
using System.Linq;
using DealRisk.Risk;
using NUnit.Framework;

namespace DealRisk.Plugins.Tests.Risk
{
    /// <summary>Stage gates judged by the domain alone: the built-in gates, the policy's text over them, the level (StageGateScenarios shows them through the pipeline).</summary>
    [TestFixture]
    public sealed class StageGateCheckTests
    {
        private static readonly DateTime Today = new(2026, 11, 30, 9, 0, 0, DateTimeKind.Utc);

        private static DealFacts ADeal(int stage, params string[] passed) => new()
        {
            Name = "Fabrikam",
            Today = Today,
            Current = new ForecastSnapshot { Amount = 100_000m, CloseDate = Today.AddDays(60), SalesStage = stage, Probability = 50 },
            PassedGates = new HashSet<string>(passed, StringComparer.Ordinal),
        };

        private static RiskFinding? Gate(DealFacts facts, RiskPolicy? policy = null) =>
            RiskEvaluator.Evaluate(facts, policy ?? RiskPolicy.Default()).Findings.SingleOrDefault(f => f.Code == StageGateCheck.GateMissing);

        private static RiskPolicy WithGates(string text)
        {
            var policy = RiskPolicy.Default();
            policy.Time.ReadStageGates(text);
            return policy;
        }

        private static string[] GatesOf(int stage) => new TimePolicy().StageGates[stage].ToArray();

        [Test]
        public void BuiltIn_EachStageAsksForTheStepsOfTheStageBefore()
        {
            var gates = new TimePolicy().StageGates;

            Assert.That(gates.Keys, Is.EquivalentTo(new[] { 1, 2, 3 }));
            Assert.That(gates[1], Is.EqualTo(new[] { StageGate.DecisionMaker, StageGate.Budget, StageGate.PurchaseTimeframe, StageGate.PurchaseProcess }));
            Assert.That(gates[2], Is.EqualTo(new[] { StageGate.CustomerNeed, StageGate.ProposedSolution, StageGate.CustomerContacts, StageGate.Competitors }));
            Assert.That(gates[3], Is.EqualTo(new[] { StageGate.PursuitTeam, StageGate.ProposalDeveloped, StageGate.InternalReview, StageGate.ProposalPresented }));
            Assert.That(gates.Values.SelectMany(g => g).Select(g => StageGate.Of(g)!.ProcessStage + 1), Is.EqualTo(new[] { 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3 }),
                "each gate is due by the stage after the one whose step it is");
        }

        [Test]
        public void MissingOnlyGatesOfTheCurrentStage_IsMedium_BeforeClose()
        {
            var finding = Gate(ADeal(2, GatesOf(1).Concat(new[] { StageGate.CustomerNeed, StageGate.ProposedSolution }).ToArray()));

            Assert.That(finding!.Level, Is.EqualTo(RiskLevel.Medium));
            Assert.That(finding.Reason, Is.EqualTo("In Propose without 2 facts the sales process requires by then: stakeholders identified, competitors identified (due by Propose)."));
        }

        [Test]
        public void MissingAGateOfAnEarlierStage_IsHigh()
        {
            var finding = Gate(ADeal(2, GatesOf(2).Concat(new[] { StageGate.Budget, StageGate.PurchaseTimeframe, StageGate.PurchaseProcess }).ToArray()));

            Assert.That(finding!.Level, Is.EqualTo(RiskLevel.High));
            Assert.That(finding.Reason, Is.EqualTo("In Propose without 1 fact the sales process requires by then: decision maker identified (due by Develop)."));
        }

        [Test]
        public void MissingAGateInClose_IsHigh_EvenWhenItIsCloseOwn()
        {
            var finding = Gate(ADeal(3, GatesOf(1).Concat(GatesOf(2)).Concat(GatesOf(3)).Where(g => g != StageGate.ProposalPresented).ToArray()));

            Assert.That(finding!.Level, Is.EqualTo(RiskLevel.High));
            Assert.That(finding.Reason, Is.EqualTo("In Close without 1 fact the sales process requires by then: proposal presented (due by Close)."));
        }

        [Test]
        public void InQualify_ThereIsNoGate_AndFactsNotReadAreNotJudged()
        {
            Assert.That(Gate(ADeal(0)), Is.Null);
            var unread = ADeal(3);
            unread.PassedGates = null;
            Assert.That(Gate(unread), Is.Null);
        }

        [Test]
        public void Policy_AStageItNames_ReplacesThatStage_OthersKeepTheBuiltIn()
        {
            var time = WithGates("propose: CustomerNeed").Time;

            Assert.That(time.StageGates[2], Is.EqualTo(new[] { StageGate.CustomerNeed }));
            Assert.That(time.StageGates[1], Is.EqualTo(GatesOf(1)));
            Assert.That(time.StageGates[3], Is.EqualTo(GatesOf(3)));
            Assert.That(time.Problems, Is.Empty);
        }

        [TestCase("none", 0)]
        [TestCase(" NONE ", 0)]
        [TestCase("Develop:; Propose:; Close:", 0)]
        [TestCase("Develop:", 8)]
        [TestCase("none; Close: ProposalPresented", 1)]
        [TestCase("", 12)]
        public void Policy_Text_LeavesThisManyGates(string text, int gates)
        {
            var time = WithGates(text).Time;

            Assert.That(time.GatesUpTo(3).Count(), Is.EqualTo(gates));
            Assert.That(time.Problems, Is.Empty);
        }

        [Test]
        public void Policy_None_SwitchesTheFindingOff_ForADealWithNothingRecorded()
        {
            Assert.That(Gate(ADeal(3), WithGates("none")), Is.Null);
            Assert.That(Gate(ADeal(3)), Is.Not.Null);
        }

        [Test]
        public void Policy_AnUnknownStageOrGate_IsNamed_AndTheBuiltInStays()
        {
            var time = WithGates("Negotiate: DecisionMaker; Develop: Telepathy, Budget").Time;

            Assert.That(time.StageGates[1], Is.EqualTo(new[] { StageGate.Budget }));
            Assert.That(time.StageGates[2], Is.EqualTo(GatesOf(2)));
            Assert.That(time.Problems, Has.Count.EqualTo(2));
            Assert.That(time.Problems, Has.Some.Contains("'Negotiate: DecisionMaker'").And.Some.Contains("'Telepathy'"));
        }
    }
}
