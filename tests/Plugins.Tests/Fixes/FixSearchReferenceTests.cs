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
    /// Issue 23 made the fix search and the resource check it re-runs allocate far less (counts instead of rows and
    /// sentences, one weighing of a role's months shared by the verdict and the counts). Not one result may change: on
    /// generated deals with several roles (spelled alike in different cases and spaces), months with and without capacity,
    /// other deals' demand, lines, requirements and allocations, the shipped check and quick search give exactly what the
    /// check as it was (<see cref="ReferenceResourceCheck"/>, a copy kept in the tests) gives when every step of every search is
    /// judged by it: the same findings, utilisation and fixes, to the letter.
    /// </summary>
    public class FixSearchReferenceTests
    {
        private static readonly DateTime Today = new(2026, 11, 2, 9, 0, 0);

        // Spellings of four roles: the check matches roles trimmed and case-insensitively, and one name holds another.
        private static readonly string[] Spellings = { "Consultant", " consultant", "Developer", "DEVELOPER ", "Architect", "Solution Architect" };

        [Test]
        public void QuickSearch_OnManyRoles_FindsWhatTheCheckAsItWasFindsJudgingEveryStep()
        {
            var resourceFixes = 0;
            var codes = new HashSet<string>();
            Prop.ForAll(ManyRoles().ToArbitrary(), FixPropertyTests.Policy().ToArbitrary(), (facts, policy) =>
            {
                var quick = RiskEvaluator.Evaluate(facts, policy);
                RiskFixes.Attach(quick, facts, policy, RiskChecks.Default);

                var reference = RiskEvaluator.Evaluate(facts, policy, ReferenceResourceCheck.Checks);
                AssertSameVerdict(facts, policy, quick, reference);
                // The fix search reads the verdict's utilisation (the months of a role, their figures), proved the same above.
                var referenceFixed = RiskEvaluator.Evaluate(facts, policy);
                RiskFixes.AttachExhaustive(referenceFixed, facts, policy, ReferenceResourceCheck.Checks);
                AssertSameFixes(facts, policy, quick, referenceFixed);

                foreach (var f in quick.Findings.Where(f => f.CheckName == nameof(RiskCheck.Resource) && f.Fix != null))
                {
                    resourceFixes++;
                    codes.Add(f.Code);
                }
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(250).WithReplay(FixPropertyTests.Seed(2301)));
            Assert.That(resourceFixes, Is.GreaterThan(250), "resource findings' fixes were compared");
            Assert.That(codes, Is.SupersetOf(new[] { "ROLE_OVER_CAPACITY", "ROLE_NEAR_CAPACITY", "ROLE_NO_CAPACITY", "ROLE_NOT_ALLOCATED", "NO_CLOSE_DATE" }));
        }

        [Test]
        public void ShippedCheck_OnManyRoles_FindsWhatTheCheckAsItWasFinds()
        {
            // The verdict alone over many more deals than the search can be judged on: findings, levels, utilisation rows.
            Prop.ForAll(ManyRoles().ToArbitrary(), FixPropertyTests.Policy().ToArbitrary(), (facts, policy) =>
                AssertSameVerdict(facts, policy, RiskEvaluator.Evaluate(facts, policy), RiskEvaluator.Evaluate(facts, policy, ReferenceResourceCheck.Checks)))
                .Check(Config.QuickThrowOnFailure.WithMaxTest(3000).WithReplay(FixPropertyTests.Seed(2302)));
        }

        [Test]
        public void SmallestFromSteps_AsksWhatTheSearchAsItWasAsked_InTheSameOrder_AndFindsTheSame()
        {
            // The search by steps now keeps what it was told in a short list instead of a table and orders the steps without
            // queries: on any answers (a threshold, or no order at all) and any steps (out of range, repeated, at either end)
            // it must ask the same numbers in the same order, so a fix costs the same judgements, and give the same answer.
            var gen =
                from lo in Gen.Choose(-3, 20).Select(n => (long)n)
                from width in Gen.Choose(-2, 60)
                from threshold in Gen.Choose(-5, 90)
                from monotone in Gen.Frequency((4, Gen.Constant(true)), (1, Gen.Constant(false)))
                from noise in Gen.ListOf(Gen.Elements(true, false), 100)
                from steps in Gen.ListOf(Gen.Choose(-5, 90).Select(n => (long)n), 5)
                select (lo, hi: lo + width, threshold, monotone, noise, steps);
            Prop.ForAll(gen.ToArbitrary(), c =>
            {
                bool Answer(long n) => c.monotone ? n >= c.threshold : c.noise[(int)((n % 100 + 100) % 100)];
                var asked = new List<long>();
                var found = FixRun.Smallest(c.lo, c.hi, n => { asked.Add(n); return Answer(n); }, c.steps);
                var askedBefore = new List<long>();
                var foundBefore = SmallestAsItWas(c.lo, c.hi, n => { askedBefore.Add(n); return Answer(n); }, c.steps);
                Assert.That(found, Is.EqualTo(foundBefore));
                Assert.That(asked, Is.EqualTo(askedBefore));
                if (c.monotone) Assert.That(found, Is.EqualTo(FixRun.Smallest(c.lo, c.hi, Answer)));
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(3000).WithReplay(FixPropertyTests.Seed(2303)));
        }

        /// <summary>FixRun.Smallest by steps as it was before (Domain/Fixes/FixRun.cs at commit cecce59), the reference for its rewrite.</summary>
        private static long? SmallestAsItWas(long lo, long hi, Func<long, bool> ok, IEnumerable<long> steps)
        {
            if (lo > hi) return null;
            var known = new Dictionary<long, bool>();
            bool Ok(long n) => known.TryGetValue(n, out var v) ? v : known[n] = ok(n);
            foreach (var step in steps.Where(s => s > lo && s <= hi).Concat(new[] { lo }).Distinct().OrderByDescending(s => s))
            {
                if (!Ok(step)) break;
                if (step == lo || !Ok(step - 1)) return step;
            }

            return FixRun.Smallest(lo, hi, Ok);
        }

        private static void AssertSameVerdict(DealFacts facts, RiskPolicy policy, RiskAssessment shipped, RiskAssessment reference)
        {
            Assert.That(shipped.Reasons, Is.EqualTo(reference.Reasons));
            Assert.That(shipped.Checks.Select(c => $"{c.Check}:{c.Level}"), Is.EqualTo(reference.Checks.Select(c => $"{c.Check}:{c.Level}")));
            Assert.That(shipped.Score, Is.EqualTo(reference.Score));
            var findings = new List<RiskFinding>();
            ReferenceResourceCheckCode.Result figures;
            try
            {
                figures = ReferenceResourceCheckCode.Evaluate(facts, policy, findings);
            }
            catch (OverflowException)
            {
                Assert.That(shipped.Utilisation, Is.Empty, "a check that cannot be judged shows no utilisation");
                return;
            }

            Assert.That(shipped.PeakUtilisationPercent, Is.EqualTo(figures.PeakUtilisationPercent));
            Assert.That(shipped.Utilisation.Select(u => $"{u.Role}|{u.Month:yyyy-MM}|{u.DealHours}|{u.OtherHours}|{u.CapacityHours}|{u.Percent}"),
                Is.EqualTo(figures.Utilisation.Select(u => $"{u.Role}|{u.Month:yyyy-MM}|{u.DealHours}|{u.OtherHours}|{u.CapacityHours}|{u.Percent}")));
        }

        /// <summary>
        /// The same fixes: per finding its text, the level it leaves, and the change it names (the facts it makes, and those
        /// facts judged: by the shipped checks for the quick search's, by the reference's for the reference's).
        /// </summary>
        private static void AssertSameFixes(DealFacts facts, RiskPolicy policy, RiskAssessment quick, RiskAssessment reference)
        {
            string Made(FindingFix? fix, IReadOnlyList<DealCheck> checks) =>
                fix == null ? "no fix"
                : fix.Change is not { } change ? $"{fix.Text} | leaves {fix.LeavesAt} | no change"
                : $"{fix.Text} | leaves {fix.LeavesAt} | {Shown(change(facts))} | {RiskEvaluator.Evaluate(change(facts), policy, checks).Reasons}";

            Assert.That(quick.Findings.Select(f => Made(f.Fix, RiskChecks.Default)),
                Is.EqualTo(reference.Findings.Select(f => Made(f.Fix, ReferenceResourceCheck.Checks))), quick.Reasons);
        }

        private static string Shown(DealFacts f) =>
            $"{f.Current.CloseDate:yyyy-MM-dd}|{string.Join(";", f.Capacity.Select(c => $"{c.Role}/{c.Month:yyyy-MM}/{c.Hours}"))}|{string.Join(";", f.Allocations.Select(a => $"{a.Role}/{a.Hours}/{a.Named}"))}" +
            $"|{string.Join(";", f.PassedGates ?? new HashSet<string>())}";

        /// <summary>A generated deal given work, allocations, capacity and other deals' demand in up to four roles over eighteen months.</summary>
        private static Gen<DealFacts> ManyRoles() =>
            from facts in FixPropertyTests.Deal()
            from close in Gen.Frequency((1, Gen.Constant<int?>(null)), (12, Gen.Choose(-20, 330).Select(d => (int?)d)))
            from work in Gen.ListOf(Work(), 4)
            from allocations in Gen.ListOf(Allocation(), 3)
            from months in Gen.ListOf(Month(), 4)
            select Load(facts, close, work, allocations, months);

        private static Gen<(string Role, int Hours, bool Requirement)> Work() =>
            from role in Gen.Elements(Spellings)
            from hours in Gen.Frequency((1, Gen.Constant(0)), (6, Gen.Choose(1, 600)), (1, Gen.Choose(2_000, 20_000)))
            from requirement in Gen.Elements(true, false)
            select (role, hours, requirement);

        private static Gen<DealAllocation> Allocation() =>
            from role in Gen.Elements(Spellings)
            from hours in Gen.Choose(0, 700)
            from named in Gen.Elements(true, true, false)
            select new DealAllocation { Role = role, Hours = hours, Named = named };

        /// <summary>One role's months: capacity (some months without), other deals' demand near, over or under it.</summary>
        private static Gen<(string Role, int Capacity, IList<int> Load, int Gaps)> Month() =>
            from role in Gen.Elements(Spellings)
            from capacity in Gen.Frequency((1, Gen.Constant(0)), (6, Gen.Choose(20, 400)))
            from load in Gen.ListOf(Gen.Choose(0, 450), 18)
            from gaps in Gen.Choose(0, 8)
            select (role, capacity, (IList<int>)load, gaps);

        private static DealFacts Load(DealFacts facts, int? close, IList<(string Role, int Hours, bool Requirement)> work, IList<DealAllocation> allocations,
            IList<(string Role, int Capacity, IList<int> Load, int Gaps)> months)
        {
            facts.Current.CloseDate = close is int c ? Today.Date.AddDays(c) : null;
            for (var i = 0; i < work.Count; i++)
            {
                var (role, hours, requirement) = work[i];
                if (requirement)
                    facts.Requirements.Add(new DealRequirement { Name = "Work " + i, Priority = RequirementPriority.ShouldHave, Fit = RequirementFit.Configuration, EffortHours = hours / 2m, Role = role, Quoted = true });
                else
                    facts.Lines.Add(new DealLine { ProductName = "Delivery " + i, Quantity = 2, GrossAmount = 50_000m, NetAmount = 50_000m, UnitCost = 5_000m, DeliveryHoursPerUnit = hours / 2m, DeliveryRole = role });
            }

            foreach (var a in allocations) facts.Allocations.Add(a);
            foreach (var (role, capacity, load, gaps) in months)
            {
                for (var m = 0; m < load.Count; m++)
                {
                    var month = new DateTime(2026, 10, 1).AddMonths(m);
                    // A gap every few months when gaps is small; none when it is past the cycle.
                    if (gaps == 0 || m % 6 != gaps) facts.Capacity.Add(new RoleCapacity(role, month, capacity + m % 3 * 10));
                    facts.OtherDemand.Add(new RoleDemand(role, month, load[m] * (capacity + 1) / 300m));
                }
            }

            return facts;
        }
    }
}
