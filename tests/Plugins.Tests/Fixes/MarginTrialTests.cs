using System;
using System.Collections.Generic;
using System.Linq;
using DealRisk.Risk;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace DealRisk.Plugins.Tests.Fixes
{
    /// <summary>
    /// The margin fix tries dozens of prices and discount caps on a deal (issue 23). A try reads the margin check's figures
    /// alone (MarginCheck.Figures: no finding, no sentence) on prices set into lines it copied once, instead of judging a
    /// copy of the deal and its lines with every finding written out. These compare that quick way with the general one
    /// over generated deals: the figures with those of the full judgement, and the fixes found with those the fix search
    /// finds when it has to judge every try in full (a margin check other than the shipped instance).
    /// </summary>
    public class MarginTrialTests
    {
        [Test]
        public void MarginFiguresAlone_AreTheFiguresOfTheFullJudgement()
        {
            var below = 0;
            Prop.ForAll(FixPropertyTests.Deal().ToArbitrary(), FixPropertyTests.Policy().ToArbitrary(), Gen.Choose(0, 20_000).ToArbitrary(), (facts, policy, unquoted) =>
            {
                var findings = new List<RiskFinding>();
                var full = Outcome(() => MarginCheck.Evaluate(facts, policy, unquoted, findings));
                var alone = Outcome(() => MarginCheck.Figures(facts, policy, unquoted));

                Assert.That(alone.Error, Is.EqualTo(full.Error), "both overflow, or neither");
                if (full.Result == null) return;
                Assert.That(alone.Result!.Level, Is.EqualTo(full.Result.Level));
                Assert.That(alone.Result.Amount, Is.EqualTo(full.Result.Amount));
                Assert.That(alone.Result.Percent, Is.EqualTo(full.Result.Percent));
                Assert.That(alone.Result.BelowLevel, Is.EqualTo(full.Result.BelowLevel));
                var belowFinding = findings.SingleOrDefault(f => f.Code == "MARGIN_BELOW_FLOOR" || f.Code == "MARGIN_BELOW_TARGET");
                Assert.That(alone.Result.BelowLevel, Is.EqualTo(belowFinding?.Level), string.Join("\n", findings));
                if (belowFinding != null) below++;
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(3000).WithReplay(FixPropertyTests.Seed(41)));
            Assert.That(below, Is.GreaterThan(500), "deals whose margin is below the target or the floor were compared");
        }

        [Test]
        public void PriceTrials_FindTheSameMarginFixes_AsJudgingEveryTryInFull()
        {
            var general = new[] { RiskChecks.Default[0], new SameMarginCheck(RiskChecks.Default[1]) }.Concat(RiskChecks.Default.Skip(2)).ToList();
            var compared = 0;
            Prop.ForAll(FixPropertyTests.Deal().ToArbitrary(), FixPropertyTests.Policy().ToArbitrary(), (facts, policy) =>
            {
                var quick = RiskEvaluator.Evaluate(facts, policy);
                var quickJudgements = RiskFixes.Attach(quick, facts, policy, RiskChecks.Default);
                var slow = RiskEvaluator.Evaluate(facts, policy, general);
                var slowJudgements = RiskFixes.Attach(slow, facts, policy, general);

                Assert.That(quick.Reasons, Is.EqualTo(slow.Reasons));
                FixSearchTests.AssertSameFixes(facts, policy, quick, slow);
                Assert.That(quickJudgements, Is.EqualTo(slowJudgements), "the same tries, each counted once");
                for (var i = 0; i < quick.Findings.Count; i++)
                {
                    if (quick.Findings[i].Fix?.Change is not { } change || !quick.Findings[i].Code.StartsWith("MARGIN_BELOW_", StringComparison.Ordinal)) continue;
                    Assert.That(Prices(change(facts)), Is.EqualTo(Prices(slow.Findings[i].Fix!.Change!(facts))), quick.Findings[i].Fix!.Text);
                    compared++;
                }
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(1500).WithReplay(FixPropertyTests.Seed(42)));
            Assert.That(compared, Is.GreaterThan(300), "margin fixes with a change were compared");
        }

        [Test]
        public void PriceTrials_LeaveTheFactsAsTheyWere()
        {
            // The tries set prices into lines of their own: the rep's lines keep theirs, and a fix found twice is the same.
            Prop.ForAll(FixPropertyTests.Deal().ToArbitrary(), FixPropertyTests.Policy().ToArbitrary(), (facts, policy) =>
            {
                var before = Prices(facts) + "|" + facts.Current.Amount;
                var first = RiskEvaluator.Evaluate(facts, policy);
                RiskFixes.Attach(first, facts, policy, RiskChecks.Default);
                var second = RiskEvaluator.Evaluate(facts, policy);
                RiskFixes.Attach(second, facts, policy, RiskChecks.Default);

                Assert.That(Prices(facts) + "|" + facts.Current.Amount, Is.EqualTo(before));
                Assert.That(second.Fixes, Is.EqualTo(first.Fixes));
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(500).WithReplay(FixPropertyTests.Seed(43)));
        }

        private static (MarginCheck.Result? Result, Type? Error) Outcome(Func<MarginCheck.Result> judge)
        {
            try
            {
                return (judge(), null);
            }
            catch (OverflowException e)
            {
                return (null, e.GetType());
            }
        }

        /// <summary>What the price knobs change: each line's gross, net and tax, and the amount of a deal without lines.</summary>
        private static string Prices(DealFacts f) =>
            $"{f.Current.Amount}|{string.Join(";", f.Lines.Select(l => $"{l.GrossAmount}/{l.NetAmount}/{l.Tax}"))}";

        /// <summary>The shipped margin check as another instance: the fix search then judges each try with the checks in full.</summary>
        private sealed class SameMarginCheck : DealCheck
        {
            private readonly DealCheck _shipped;

            public SameMarginCheck(DealCheck shipped) : base(shipped.Name) => _shipped = shipped;

            public override RiskLevel Evaluate(CheckRun run, List<RiskFinding> findings) => _shipped.Evaluate(run, findings);

            public override void WhenUnknown(CheckRun run) => _shipped.WhenUnknown(run);
        }
    }
}
