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
    /// The fix search is quick (issue 23: a save costs the same in a large org): it judges only the finding's own check,
    /// works out from the figures where a bisection can turn, and skips the close dates the check's figures rule out. The
    /// reference is the search that judges every step with every check (RiskFixes.AttachExhaustive): the same fixes, to the
    /// letter, over generated deals; and the cost in judgements of an overloaded deal is small and fixed.
    /// </summary>
    public class FixSearchTests
    {
        private static readonly DateTime Today = new(2026, 11, 2);

        [Test]
        public void QuickSearch_FindsTheSameFixesAsJudgingEveryStep()
        {
            var compared = 0;
            var resource = 0;
            Prop.ForAll(FixPropertyTests.Deal().ToArbitrary(), FixPropertyTests.Policy().ToArbitrary(), (facts, policy) =>
            {
                var quick = RiskEvaluator.Evaluate(facts, policy);
                var quickJudgements = RiskFixes.Attach(quick, facts, policy, RiskChecks.Default);
                var slow = RiskEvaluator.Evaluate(facts, policy);
                var slowJudgements = RiskFixes.AttachExhaustive(slow, facts, policy, RiskChecks.Default);
                AssertSameFixes(facts, policy, quick, slow);
                Assert.That(quickJudgements, Is.LessThanOrEqualTo(slowJudgements));
                compared += quick.Findings.Count(f => f.Fix != null);
                resource += quick.Findings.Count(f => f.Fix != null && f.CheckName == nameof(RiskCheck.Resource));
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(1500).WithReplay(FixPropertyTests.Seed(31)));
            Assert.That(compared, Is.GreaterThan(1500), "the generated deals carry findings whose fixes were compared");
            Assert.That(resource, Is.GreaterThan(300), "among them resource findings, whose searches the quick search shortens most");
        }

        [Test]
        public void QuickSearch_OnDealsOverloadedByOtherDeals_FindsTheSameFixesAsJudgingEveryStep()
        {
            var resource = 0;
            Prop.ForAll(Overloaded().ToArbitrary(), FixPropertyTests.Policy().ToArbitrary(), (facts, policy) =>
            {
                var quick = RiskEvaluator.Evaluate(facts, policy);
                RiskFixes.Attach(quick, facts, policy, RiskChecks.Default);
                var slow = RiskEvaluator.Evaluate(facts, policy);
                RiskFixes.AttachExhaustive(slow, facts, policy, RiskChecks.Default);
                AssertSameFixes(facts, policy, quick, slow);
                resource += quick.Findings.Count(f => f.Fix?.Change != null && f.Code.StartsWith("ROLE_", StringComparison.Ordinal));
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(400).WithReplay(FixPropertyTests.Seed(32)));
            Assert.That(resource, Is.GreaterThan(200), "capacity and allocation fixes with a change were compared");
        }

        [Test]
        public void OverloadedDeal_ItsFixesTakeAFewJudgements_NotOnePerStepOrDay()
        {
            // Both roles over capacity in every month of the year: each month of the 90-day window needs capacity (found from
            // the utilisation and proved by judging at the step and just below it) and no close date within a year fits
            // (ruled out by the check's figures, not judged).
            var facts = OverloadedDeal();
            var policy = RiskPolicy.Default();
            var quick = RiskEvaluator.Evaluate(facts, policy);
            var slow = RiskEvaluator.Evaluate(facts, policy);

            var judgements = RiskFixes.Attach(quick, facts, policy, RiskChecks.Default);
            var reference = RiskFixes.AttachExhaustive(slow, facts, policy, RiskChecks.Default);

            Assert.That(quick.FindingCodes, Is.EqualTo("ROLE_OVER_CAPACITY"), "no finding but the overload (its margin is healthy)");
            Assert.That(quick.Fixes, Does.Contain("Find more Consultant capacity: ").And.Contain("Find more Developer capacity: "));
            AssertSameFixes(facts, policy, quick, slow);
            // Per role: 4 months of the window, 3 judgements each (as they are, at the step, just below it), 1 for all months together.
            Assert.That(judgements, Is.LessThanOrEqualTo(2 * (4 * 3 + 1)), $"{judgements} judgements (judging every step: {reference})");
            Assert.That(reference, Is.GreaterThan(366 / 7), "the reference judges at least every week of a year");
        }

        [Test]
        public void OverloadedDeal_ClosingLater_TakesNoMoreJudgements()
        {
            // The close dates searched run a year from the close date: a later one judges no more days.
            var policy = RiskPolicy.Default();
            var counts = new[] { 20, 120, 300 }.Select(days =>
            {
                var facts = OverloadedDeal(closeInDays: days);
                return RiskFixes.Attach(RiskEvaluator.Evaluate(facts, policy), facts, policy, RiskChecks.Default);
            }).ToList();
            Assert.That(counts.Max(), Is.LessThanOrEqualTo(2 * (4 * 3 + 1)), string.Join(", ", counts));
        }

        [Test]
        public void RoleNotAllocated_TheHoursAreFoundInAFewJudgements_AndAreTheSameAsByBisection()
        {
            // 40 h of Consultant work, 12.5 h allocated, closing in 10 days (allocations are due 30 days before close).
            var facts = new DealFacts { Name = "Short of hands", Today = Today, Current = new ForecastSnapshot { Amount = 50_000m, CloseDate = Today.AddDays(10), SalesStage = 1, Probability = 50 } };
            facts.Lines.Add(new DealLine { ProductName = "Pack", Quantity = 1, GrossAmount = 50_000m, NetAmount = 50_000m, UnitCost = 10_000m, DeliveryHoursPerUnit = 40m, DeliveryRole = "Consultant" });
            facts.Allocations.Add(new DealAllocation { Role = "Consultant", Hours = 12.5m, Named = true });
            for (var m = 0; m < 6; m++) facts.Capacity.Add(new RoleCapacity("Consultant", new DateTime(2026, 11, 1).AddMonths(m), 320m));
            var policy = RiskPolicy.Default();
            var quick = RiskEvaluator.Evaluate(facts, policy);
            var slow = RiskEvaluator.Evaluate(facts, policy);

            var judgements = RiskFixes.Attach(quick, facts, policy, RiskChecks.Default);
            RiskFixes.AttachExhaustive(slow, facts, policy, RiskChecks.Default);

            Assert.That(quick.Fixes, Is.EqualTo("High: Allocate 27.5 h of Consultant to a named person or team."));
            AssertSameFixes(facts, policy, quick, slow);
            Assert.That(judgements, Is.LessThanOrEqualTo(2), "judged at the hours the figures give and just below them");
        }

        [Test]
        public void MarginBelowFloor_TheRaisesAreFoundInAFewJudgements_AndAreTheSameAsByBisection()
        {
            // Sold at 10,000 against a cost of 9,000 and 5% commission: a 5% margin, below the 15% floor and the 25% target.
            // Both raises (to the target, to the floor) are worked out from the margin and proved by judging beside them; the
            // bisection over Dataverse's money range judges each about thirty times.
            var facts = new DealFacts { Name = "Thin", Today = Today, Current = new ForecastSnapshot { Amount = 10_000m, CloseDate = Today.AddDays(40), SalesStage = 1, Probability = 50 } };
            facts.Lines.Add(new DealLine { ProductName = "Licence", Quantity = 3, GrossAmount = 4_000m, NetAmount = 4_000m, UnitCost = 1_200m });
            facts.Lines.Add(new DealLine { ProductName = "Support", Quantity = 1, GrossAmount = 6_000m, NetAmount = 6_000m, UnitCost = 5_400m });
            var policy = RiskPolicy.Default();
            var quick = RiskEvaluator.Evaluate(facts, policy);
            var slow = RiskEvaluator.Evaluate(facts, policy);

            var judgements = RiskFixes.Attach(quick, facts, policy, RiskChecks.Default);
            var reference = RiskFixes.AttachExhaustive(slow, facts, policy, RiskChecks.Default);

            Assert.That(quick.FindingCodes, Does.Contain("MARGIN_BELOW_FLOOR"));
            Assert.That(quick.Fixes, Is.EqualTo("Critical: Raise the prices by 28.6% (the lines 10,000 to 12,860) to reach the 25% target. Raise the prices by 12.5% (the lines 10,000 to 11,250) clear the 15% floor (the margin is then High risk)."));
            AssertSameFixes(facts, policy, quick, slow);
            Assert.That(judgements, Is.LessThanOrEqualTo(2 * 3), $"{judgements} judgements (judging every step: {reference})");
            Assert.That(reference, Is.GreaterThan(2 * 25), "the bisection judges about thirty raises for each goal");
        }

        /// <summary>The same fixes: texts, the level each leaves, and the change each names (the facts it makes, judged alike).</summary>
        internal static void AssertSameFixes(DealFacts facts, RiskPolicy policy, RiskAssessment quick, RiskAssessment slow)
        {
            Assert.That(quick.Fixes, Is.EqualTo(slow.Fixes), quick.Reasons);
            for (var i = 0; i < quick.Findings.Count; i++)
            {
                var a = quick.Findings[i].Fix;
                var b = slow.Findings[i].Fix;
                Assert.That(a?.Text, Is.EqualTo(b?.Text));
                Assert.That(a?.LeavesAt, Is.EqualTo(b?.LeavesAt), a?.Text);
                Assert.That(a?.Change == null, Is.EqualTo(b?.Change == null), a?.Text);
                if (a?.Change == null || b?.Change == null) continue;
                var x = a.Change(facts);
                var y = b.Change(facts);
                Assert.That(Shown(x), Is.EqualTo(Shown(y)), a.Text);
                Assert.That(RiskEvaluator.Evaluate(x, policy).Reasons, Is.EqualTo(RiskEvaluator.Evaluate(y, policy).Reasons), a.Text);
            }
        }

        /// <summary>What the resource fixes change: the close date, capacity and allocations.</summary>
        private static string Shown(DealFacts f) =>
            $"{f.Current.CloseDate:yyyy-MM-dd}|{string.Join(";", f.Capacity.Select(c => $"{c.Role}/{c.Month:yyyy-MM}/{c.Hours}"))}|{string.Join(";", f.Allocations.Select(a => $"{a.Role}/{a.Hours}/{a.Named}"))}";

        private static DealFacts OverloadedDeal(int closeInDays = 20)
        {
            var facts = new DealFacts { Name = "Overloaded", Today = Today, Current = new ForecastSnapshot { Amount = 1_000_000m, CloseDate = Today.AddDays(closeInDays), SalesStage = 2, Probability = 60 } };
            for (var i = 0; i < 5; i++)
                facts.Lines.Add(new DealLine { ProductName = "Product " + i, Quantity = 2, GrossAmount = 2_000m, NetAmount = 1_700m, UnitCost = 300m, DeliveryHoursPerUnit = 4m, DeliveryRole = i % 2 == 0 ? "Consultant" : "Developer" });
            foreach (var role in new[] { "Consultant", "Developer" })
            {
                facts.Allocations.Add(new DealAllocation { Role = role, Hours = 100m, Named = true });
                for (var m = 0; m < 24; m++)
                {
                    var month = new DateTime(2026, 11, 1).AddMonths(m);
                    facts.Capacity.Add(new RoleCapacity(role, month, 800m));
                    facts.OtherDemand.Add(new RoleDemand(role, month, 5_000m));
                }
            }

            return facts;
        }

        /// <summary>Generated deals whose roles other deals load to near, over or past capacity, month by month, closing within a year.</summary>
        private static Gen<DealFacts> Overloaded() =>
            from facts in FixPropertyTests.Deal()
            from close in Gen.Choose(-10, 300)
            from hours in Gen.Choose(1, 400)
            from load in Gen.ListOf(Gen.Choose(0, 500), 18)
            from gaps in Gen.Choose(0, 3)
            select Load(facts, close, hours, load, gaps);

        private static DealFacts Load(DealFacts facts, int close, int hours, IList<int> load, int gaps)
        {
            facts.Current.CloseDate = Today.AddDays(close);
            facts.Lines.Add(new DealLine { ProductName = "Delivery", Quantity = 1, GrossAmount = 1_000m, NetAmount = 1_000m, UnitCost = 100m, DeliveryHoursPerUnit = hours, DeliveryRole = "Consultant" });
            facts.Capacity = new List<RoleCapacity>();
            facts.OtherDemand = new List<RoleDemand>();
            for (var m = 0; m < load.Count; m++)
            {
                var month = new DateTime(2026, 11, 1).AddMonths(m);
                if (m % 7 != gaps) facts.Capacity.Add(new RoleCapacity("Consultant", month, 200m));
                facts.Capacity.Add(new RoleCapacity("Developer", month, 100m));
                facts.OtherDemand.Add(new RoleDemand("Consultant", month, load[m]));
                facts.OtherDemand.Add(new RoleDemand("Developer", month, load[load.Count - 1 - m] / 3m));
            }

            return facts;
        }
    }
}
