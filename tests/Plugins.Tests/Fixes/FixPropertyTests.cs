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
    /// The fixes over thousands of generated deals and policies: making the change a fix names and judging the deal again
    /// clears that finding (or lowers it to the level the fix says); the change never asks for a value Dataverse would refuse
    /// or a rep could not enter; finding the fixes leaves the facts as they were and gives the same fixes twice.
    /// </summary>
    public class FixPropertyTests
    {
        private static readonly DateTime Today = new(2026, 11, 2, 9, 0, 0);
        private const decimal MoneyMax = 922_337_203_685_477m;

        // The ranges Solution/ declares for the columns a fix asks a rep to set: dr_capacity.dr_hours 0..100,000,000,
        // dr_requirement.dr_efforthours and dr_resourceallocation.dr_hours 0..1,000,000; money within ±922,337,203,685,477
        // (https://learn.microsoft.com/en-us/power-apps/maker/data-platform/types-of-fields); dates to 9999-12-31.
        private const decimal CapacityMax = 100_000_000m;
        private const decimal HoursMax = 1_000_000m;

        private static readonly string[] Roles = { "Consultant", "Developer" };
        private static readonly string[] Products = { "Licence", "Implementation pack", "Support", "Training", "Licence" };

        // Fixed seeds: the same deals on every run.
        internal static Microsoft.FSharp.Core.FSharpOption<Replay> Seed(ulong seed) => new Replay(new Rnd(seed, 0x9E3779B97F4A7C15UL), Microsoft.FSharp.Core.FSharpOption<int>.None);

        private static Gen<decimal> Money(int min, int max) => Gen.Choose(min, max).Select(i => (decimal)i);

        private static Gen<DealLine> Line() =>
            from name in Gen.Elements(Products)
            from qty in Gen.Choose(1, 50)
            from price in Gen.Frequency((8, Money(10, 20_000)), (1, Gen.Constant(0m)), (1, Gen.Elements(1_000_000_000m, MoneyMax / 100m)))
            from discount in Gen.Frequency((5, Gen.Constant(0)), (5, Gen.Choose(1, 600)))
            from costShare in Gen.Choose(0, 150)
            from costKind in Gen.Frequency((16, Gen.Constant(0)), (1, Gen.Constant(1)), (1, Gen.Constant(2)), (1, Gen.Constant(3)))
            from hours in Gen.Frequency((3, Gen.Constant<decimal?>(null)), (3, Gen.Choose(1, 40).Select(h => (decimal?)h)))
            from role in Gen.Elements(Roles)
            from taxed in Gen.Elements(false, false, true)
            select new DealLine
            {
                ProductName = name, Quantity = qty, GrossAmount = price * qty,
                NetAmount = decimal.Round(price * qty * (1000 - discount) / 1000m, 2) + (taxed ? decimal.Round(price * qty * (1000 - discount) / 1000m / 5m, 2) : 0m),
                // Tax is in the net amount (Dataverse's extended amount = base - discounts + tax): 20 % of the discounted price.
                Tax = taxed ? decimal.Round(price * qty * (1000 - discount) / 1000m / 5m, 2) : null,
                UnitCost = costKind == 1 ? null : price * costShare / 100m, IsWriteIn = costKind == 2, ProductMissing = costKind == 3,
                DeliveryHoursPerUnit = hours, DeliveryRole = hours == null ? null : role,
            };

        private static Gen<DealRequirement> Requirement() =>
            from priority in Gen.Elements(RequirementPriority.MustHave, RequirementPriority.ShouldHave, RequirementPriority.NiceToHave)
            from fit in Gen.Elements(RequirementFit.Standard, RequirementFit.Configuration, RequirementFit.Customisation, RequirementFit.NotSupported, RequirementFit.Unknown)
            from hours in Gen.Frequency((1, Gen.Constant<decimal?>(null)), (4, Gen.Choose(0, 3000).Select(h => (decimal?)(h / 10m))))
            from role in Gen.Elements(Roles)
            from quoted in Gen.Elements(true, false, false)
            select new DealRequirement { Name = "Requirement", Priority = priority, Fit = fit, EffortHours = hours, Role = role, Quoted = quoted };

        /// <summary>The facts time and the sales process bring (issue 24) and the opportunity's own discount (issue 22), on a generated deal.</summary>
        internal static Gen<DealFacts> Deal() =>
            from facts in Core()
            from known in Gen.Elements(true, true, false)
            from quiet in Gen.Frequency((1, Gen.Constant<int?>(null)), (3, Gen.Choose(0, 90).Select(d => (int?)d)))
            from created in Gen.Choose(0, 200)
            from inStage in Gen.Frequency((1, Gen.Constant<int?>(null)), (3, Gen.Choose(0, 100).Select(d => (int?)d)))
            from gates in Gen.Frequency((1, Gen.Constant<string[]?>(null)), (3, Gen.SubListOf(Gates).Select(g => (string[]?)g.ToArray())))
            from dealDiscount in Gen.Frequency((4, Gen.Constant(0)), (1, Gen.Constant(1)), (1, Gen.Constant(2)))
            from discountPercent in Gen.Choose(1, 400)
            from discountAmount in Gen.Choose(1, 40_000)
            select Time(facts, known, quiet, created, inStage, gates, dealDiscount, discountPercent / 10m, discountAmount);

        private static readonly string[] Gates = { StageGate.DecisionMaker, StageGate.Budget, StageGate.CustomerNeed, StageGate.ProposalPresented };

        private static DealFacts Time(DealFacts facts, bool known, int? quiet, int created, int? inStage, string[]? gates, int dealDiscount, decimal percent, decimal amount)
        {
            facts.ActivitiesKnown = known;
            facts.CreatedOn = Today.Date.AddDays(-created);
            facts.LastCustomerActivityOn = quiet is int q ? Today.Date.AddDays(-Math.Min(q, created)) : null;
            facts.LastCustomerActivityKind = quiet == null ? null : "phone call";
            facts.StageEnteredOn = inStage is int s ? Today.Date.AddDays(-Math.Min(s, created)) : null;
            facts.PassedGates = gates == null ? null : new HashSet<string>(gates, StringComparer.Ordinal);
            if (dealDiscount == 1) facts.DealDiscountPercent = percent;
            if (dealDiscount == 2) { facts.DealDiscountAmount = amount; facts.DealDiscountPercent = dealDiscount == 2 && amount % 3 == 0 ? percent : null; }
            return facts;
        }

        private static Gen<DealFacts> Core() =>
            from lines in Gen.Choose(0, 4).SelectMany(n => Gen.ListOf(Line(), n))
            from requirements in Gen.Choose(0, 4).SelectMany(n => Gen.ListOf(Requirement(), n))
            from amount in Gen.Frequency((1, Gen.Constant<decimal?>(null)), (1, Gen.Constant<decimal?>(0m)), (6, Money(1_000, 2_000_000).Select(a => (decimal?)a)))
            from costOfSale in Gen.Frequency((3, Gen.Constant<decimal?>(null)), (1, Money(-5_000, -1).Select(c => (decimal?)c)), (4, Money(0, 30_000).Select(c => (decimal?)c)))
            from close in Gen.Frequency((1, Gen.Constant<int?>(null)), (9, Gen.Choose(-30, 300).Select(d => (int?)d)))
            from stage in Gen.Choose(0, 3)
            from allocations in Gen.ListOf(
                from role in Gen.Elements(Roles)
                from hours in Gen.Choose(0, 500)
                from named in Gen.Elements(true, false)
                select new DealAllocation { Role = role, Hours = hours, Named = named }, 2)
            from capacityMonths in Gen.Choose(0, 14)
            from capacity in Gen.Choose(0, 400)
            from developerCapacity in Gen.Elements(true, false)
            from other in Gen.Choose(0, 300)
            from previous in Gen.Elements(0, 1, 2, 3)
            from priorSlips in Gen.Choose(0, 4)
            from recorded in Gen.Choose(0, 45)
            select Build(lines, requirements, amount, costOfSale, close, stage, allocations, capacityMonths, capacity, developerCapacity, other, previous, priorSlips, recorded);

        private static DealFacts Build(IList<DealLine> lines, IList<DealRequirement> requirements, decimal? amount, decimal? costOfSale, int? close, int stage,
            IList<DealAllocation> allocations, int capacityMonths, int capacity, bool developerCapacity, int other, int previous, int priorSlips, int recorded)
        {
            var closeDate = close is int c ? Today.Date.AddDays(c) : (DateTime?)null;
            for (var i = 0; i < requirements.Count; i++) requirements[i].Name = "Requirement " + (i + 1);
            var facts = new DealFacts
            {
                Name = "Generated", Today = Today, EstimatedCostOfSale = costOfSale, Lines = lines.ToList(), Requirements = requirements.ToList(), Allocations = allocations.ToList(),
                Current = new ForecastSnapshot { Amount = amount, CloseDate = closeDate, SalesStage = stage, Probability = 40, ForecastRank = 1 },
                PriorSlipCount = priorSlips, PriorSlipDays = priorSlips * 14,
            };
            for (var m = 0; m < capacityMonths; m++)
            {
                var month = new DateTime(2026, 11, 1).AddMonths(m);
                facts.Capacity.Add(new RoleCapacity("Consultant", month, capacity));
                if (developerCapacity) facts.Capacity.Add(new RoleCapacity("Developer", month, capacity / 2m));
                facts.OtherDemand.Add(new RoleDemand("Consultant", month, other));
            }

            // Before the save: the same deal, or one that slipped, lost amount and stage, or one the rep just created.
            facts.Previous = previous switch
            {
                0 => null,
                1 => new ForecastSnapshot { Amount = amount, CloseDate = closeDate, SalesStage = stage, Probability = 40, ForecastRank = 1 },
                _ => new ForecastSnapshot { Amount = (amount ?? 0m) * 2m, CloseDate = closeDate?.AddDays(-20), SalesStage = Math.Min(3, stage + 1), Probability = 80, ForecastRank = 3, MarginPercent = 90m },
            };
            if (recorded > 0) facts.RecordedChanges.Add(new ForecastChange(Today.AddDays(-recorded), "PROBABILITY_CUT", RiskLevel.Medium, "Probability cut from 80% to 40%."));
            return facts;
        }

        internal static Gen<RiskPolicy> Policy() =>
            from target in Gen.Choose(10, 40)
            from floorBelow in Gen.Choose(0, 10)
            from commission in Gen.Frequency((8, Gen.Choose(0, 15)), (1, Gen.Choose(70, 100)))
            from maxDiscount in Gen.Choose(5, 40)
            from lead in Gen.Choose(0, 60)
            from window in Gen.Choose(1, 180)
            from warning in Gen.Choose(50, 100)
            from gated in Gen.Elements(true, false)
            select Gated(gated, new RiskPolicy
            {
                MarginWarningPercent = target, MarginCriticalPercent = target - floorBelow, CommissionPercent = commission, MaxDiscountPercent = maxDiscount,
                AllocationLeadDays = lead, DeliveryWindowDays = window, UtilisationWarningPercent = warning, UtilisationCriticalPercent = warning + 15,
            });

        private static RiskPolicy Gated(bool gated, RiskPolicy policy)
        {
            if (gated) policy.Time.ReadStageGates("Develop: DecisionMaker, Budget; Propose: CustomerNeed; Close: ProposalPresented");
            return policy;
        }

        /// <summary>The finding codes whose check gives its own fix (DealCheck.Fix).</summary>
        private static readonly string[] HookCodes =
        {
            MissingFactsCheck.Code, MomentumCheck.CloseDatePassed, MomentumCheck.NoCustomerActivity, MomentumCheck.StageStalled, StageGateCheck.GateMissing,
        };

        private static RiskAssessment JudgeWithFixes(DealFacts facts, RiskPolicy policy)
        {
            var a = RiskEvaluator.Evaluate(facts, policy);
            RiskFixes.Attach(a, facts, policy, RiskChecks.Default);
            return a;
        }

        [Test]
        public void MakingTheChangeAFixNames_ClearsThatFinding_OrLowersItToTheLevelItSays()
        {
            var checkedFixes = 0;
            Prop.ForAll(Deal().ToArbitrary(), Policy().ToArbitrary(), (facts, policy) =>
            {
                var before = JudgeWithFixes(facts, policy);
                foreach (var finding in before.Findings)
                {
                    var fix = finding.Fix;
                    if (fix?.Change == null || (fix.LeavesAt is RiskLevel left && left >= finding.Level)) continue;
                    var after = RiskEvaluator.Evaluate(fix.Change(facts), policy);
                    Assert.That(FixRun.Count(after, finding, fix.LeavesAt), Is.LessThan(FixRun.Count(before, finding, fix.LeavesAt)),
                        $"{finding}\nfix: {fix.Text}\nafter: {after.Reasons}");
                    Assert.That(FixRun.Clears(before, after, finding, fix.LeavesAt), Is.True, $"{finding}\nfix: {fix.Text}\nafter: {after.Reasons}");
                    checkedFixes++;
                }
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(2000).WithReplay(Seed(26)));
            Assert.That(checkedFixes, Is.GreaterThan(2000), "the generated deals carry findings whose fixes were checked");
        }

        [Test]
        public void EveryFindingWithAShippedFix_GetsOne_AndNeverAsksForAnImpossibleValue()
        {
            var kinds = new HashSet<string>();
            Prop.ForAll(Deal().ToArbitrary(), Policy().ToArbitrary(), (facts, policy) =>
            {
                var judged = JudgeWithFixes(facts, policy);
                foreach (var finding in judged.Findings.Where(f => RiskFixes.ShippedCodes.Contains(f.Code) || HookCodes.Contains(f.Code)))
                {
                    Assert.That(finding.Fix, Is.Not.Null, $"no fix for {finding}");
                    Assert.That(finding.Fix!.Text, Is.Not.Empty);
                    kinds.Add(finding.Code);
                    if (finding.Fix.Change != null) AssertPossible(facts, finding.Fix.Change(facts), finding.Fix.Text);
                }
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(1000).WithReplay(Seed(27)));
            Assert.That(kinds, Is.SupersetOf(new[]
            {
                "MARGIN_BELOW_FLOOR", "MARGIN_BELOW_TARGET", "DISCOUNT_ABOVE_MAX", "MARGIN_COST_UNKNOWN", "MARGIN_PRODUCT_MISSING", "COST_OF_SALE_NEGATIVE",
                "UNQUOTED_EFFORT", "EFFORT_NOT_ESTIMATED", "MUST_HAVE_NOT_SUPPORTED", "SHOULD_HAVE_NOT_SUPPORTED", "MUST_HAVE_UNASSESSED_LATE",
                "ROLE_NOT_ALLOCATED", "ROLE_OVER_CAPACITY", "ROLE_NEAR_CAPACITY", "ROLE_NO_CAPACITY", "NO_CLOSE_DATE",
                "CLOSE_DATE_SLIPPED", "AMOUNT_DROPPED", "STAGE_MOVED_BACK", "PROBABILITY_CUT", "DEAL_DISCOUNT_ABOVE_MAX",
                MissingFactsCheck.Code, MomentumCheck.CloseDatePassed, MomentumCheck.NoCustomerActivity, MomentumCheck.StageStalled, StageGateCheck.GateMissing,
            }), "the generator reaches every kind of finding");
        }

        [Test]
        public void FindingTheFixes_LeavesTheFactsAsTheyWere_AndGivesTheSameFixesTwice()
        {
            Prop.ForAll(Deal().ToArbitrary(), Policy().ToArbitrary(), (facts, policy) =>
            {
                var plain = RiskEvaluator.Evaluate(facts, policy).Reasons;
                var first = JudgeWithFixes(facts, policy);
                var second = JudgeWithFixes(facts, policy);
                Assert.That(RiskEvaluator.Evaluate(facts, policy).Reasons, Is.EqualTo(plain));
                Assert.That(first.Reasons, Is.EqualTo(plain));
                Assert.That(second.Fixes, Is.EqualTo(first.Fixes));
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(200).WithReplay(Seed(28)));
        }

        /// <summary>What the change asks a rep to enter is within what Dataverse stores and what makes sense: no negative price or cost, no discount beyond 100 %, no date in the past.</summary>
        private static void AssertPossible(DealFacts before, DealFacts after, string text)
        {
            Assert.That(after.Today, Is.GreaterThanOrEqualTo(before.Today), text);
            if (after.Current.CloseDate != before.Current.CloseDate)
                Assert.That(after.Current.CloseDate, Is.GreaterThan(before.Today.Date).And.LessThanOrEqualTo(new DateTime(9999, 12, 31)), text);
            if (after.Current.Amount != before.Current.Amount)
                Assert.That(after.Current.Amount, Is.GreaterThan(0m).And.LessThanOrEqualTo(MoneyMax), text);
            if (after.EstimatedCostOfSale != before.EstimatedCostOfSale) Assert.That(after.EstimatedCostOfSale, Is.GreaterThanOrEqualTo(0m), text);
            // An activity is logged today, a stage entered today: never a day in the past or to come; the stage moves on, never past Close.
            if (after.LastCustomerActivityOn != before.LastCustomerActivityOn) Assert.That(after.LastCustomerActivityOn, Is.EqualTo(before.Today.Date), text);
            if (after.StageEnteredOn != before.StageEnteredOn) Assert.That(after.StageEnteredOn, Is.EqualTo(before.Today.Date), text);
            if (after.Current.SalesStage != before.Current.SalesStage)
                Assert.That(after.Current.SalesStage, Is.GreaterThan(before.Current.SalesStage ?? -1).And.LessThan(TimePolicy.StageNames.Count), text);
            if (after.DealDiscountPercent != before.DealDiscountPercent && after.DealDiscountPercent is decimal pct)
                Assert.That(pct, Is.GreaterThanOrEqualTo(0m).And.LessThan(before.DealDiscountPercent ?? 0m), text + ": the opportunity's rate only cut");
            if (after.DealDiscountAmount != before.DealDiscountAmount && after.DealDiscountAmount is decimal amount)
                Assert.That(amount, Is.GreaterThanOrEqualTo(0m).And.LessThanOrEqualTo(MoneyMax), text);
            foreach (var line in after.Lines.Where(l => !before.Lines.Contains(l)))
            {
                // A changed line: its amounts and cost as the rep would enter them (a value the deal had no figure for stays empty).
                if (line.GrossAmount is decimal gross) Assert.That(gross, Is.GreaterThanOrEqualTo(0m).And.LessThanOrEqualTo(MoneyMax), text);
                if (line.NetAmount != null && line.GrossAmount is decimal g)
                    Assert.That(line.Revenue, Is.GreaterThanOrEqualTo(0m).And.LessThanOrEqualTo(g), text + ": a discount between 0 and 100 % (net of tax)");
                if (line.UnitCost is decimal cost) Assert.That(cost, Is.GreaterThanOrEqualTo(0m).And.LessThanOrEqualTo(MoneyMax), text);
                if (line.Tax is decimal tax) Assert.That(tax, Is.GreaterThanOrEqualTo(0m).And.LessThanOrEqualTo(line.NetAmount ?? MoneyMax), text);
            }

            foreach (var r in after.Requirements.Where(r => !before.Requirements.Contains(r)))
                if (r.EffortHours is decimal h) Assert.That(h, Is.GreaterThanOrEqualTo(0m).And.LessThanOrEqualTo(HoursMax), text);
            foreach (var a in after.Allocations.Where(a => !before.Allocations.Contains(a)))
                Assert.That(a.Hours, Is.GreaterThan(0m).And.LessThanOrEqualTo(HoursMax), text);
            foreach (var c in after.Capacity.Where(c => !before.Capacity.Contains(c)))
                Assert.That(c.Hours, Is.GreaterThan(0m).And.LessThanOrEqualTo(CapacityMax), text);
        }
    }
}
