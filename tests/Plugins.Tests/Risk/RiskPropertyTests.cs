using System;
using System.Collections.Generic;
using System.Linq;
using DealRisk.Risk;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace DealRisk.Plugins.Tests.Risk
{
    /// <summary>
    /// Invariants of the risk domain over thousands of generated deals and policies, hostile values included:
    /// nulls, negatives, zero, huge amounts, inverted thresholds, missing products.
    /// </summary>
    public class RiskPropertyTests
    {
        private static readonly DateTime Today = new(2026, 11, 2);
        private static readonly string[] Roles = { "Consultant", "Developer", "Trainer" };

        private static Gen<decimal?> Amount() => Gen.OneOf(
            Gen.Constant<decimal?>(null),
            Gen.Constant<decimal?>(0m),
            Gen.Choose(-1_000, -1).Select(i => (decimal?)i),
            Gen.Choose(1, 100_000).Select(i => (decimal?)i),
            Gen.Choose(1, 9).Select(i => (decimal?)(i * 1_000_000_000_000_000_000m)));

        private static Gen<DealLine> Line() =>
            from name in Gen.Elements("Licence", "Pack", "Support", "")
            from qty in Amount()
            from gross in Amount()
            from discount in Gen.Choose(0, 60)
            from cost in Amount()
            from missing in Gen.Frequency((9, Gen.Constant(false)), (1, Gen.Constant(true)))
            from writeIn in Gen.Frequency((9, Gen.Constant(false)), (1, Gen.Constant(true)))
            from hours in Amount()
            from role in Gen.Elements(Roles.Append(null).ToArray())
            select new DealLine
            {
                ProductName = name, Quantity = qty, GrossAmount = gross, NetAmount = gross * (100 - discount) / 100,
                UnitCost = cost, ProductMissing = missing, IsWriteIn = writeIn, DeliveryHoursPerUnit = hours, DeliveryRole = role,
            };

        private static Gen<DealRequirement> Requirement() =>
            from name in Gen.Elements("SSO", "Portal", "Reports")
            from priority in Gen.Elements(RequirementPriority.MustHave, RequirementPriority.ShouldHave, RequirementPriority.NiceToHave)
            from fit in Gen.Elements(Enum.GetValues<RequirementFit>())
            from hours in Amount()
            from role in Gen.Elements(Roles.Append(null).ToArray())
            from quoted in Gen.Elements(true, false)
            select new DealRequirement { Name = name, Priority = priority, Fit = fit, EffortHours = hours, Role = role, Quoted = quoted };

        private static Gen<ForecastSnapshot> Snapshot() =>
            from amount in Amount()
            from close in Gen.Choose(-400, 400)
            from hasClose in Gen.Elements(true, true, false)
            from stage in Gen.Choose(-1, 4)
            from probability in Gen.Choose(-10, 120)
            from rank in Gen.Choose(-1, 4)
            from margin in Amount()
            select new ForecastSnapshot
            {
                Amount = amount, CloseDate = hasClose ? Today.AddDays(close) : null, SalesStage = stage, Probability = probability,
                ForecastRank = rank, MarginPercent = margin,
            };

        private static Gen<DealAllocation> Allocation() =>
            from role in Gen.Elements(Roles)
            from hours in Gen.Choose(-50, 500)
            from named in Gen.Elements(true, false)
            select new DealAllocation { Role = role, Hours = hours, Named = named };

        private static Gen<RoleCapacity> CapacityRow() =>
            from role in Gen.Elements(Roles)
            from month in Gen.Choose(0, 14)
            from hours in Gen.Choose(-10, 400)
            select new RoleCapacity(role, Today.AddMonths(month), hours);

        private static Gen<DealFacts> Deal() =>
            from lines in Gen.ListOf(Line()).Select(l => l.Take(12).ToList())
            from requirements in Gen.ListOf(Requirement()).Select(r => r.Take(8).ToList())
            from allocations in Gen.ListOf(Allocation()).Select(a => a.Take(6).ToList())
            from capacity in Gen.ListOf(CapacityRow()).Select(c => c.Take(20).ToList())
            from current in Snapshot()
            from previous in Gen.OneOf(Gen.Constant<ForecastSnapshot?>(null), Snapshot().Select(s => (ForecastSnapshot?)s))
            from costOfSale in Amount()
            from slips in Gen.Choose(-1, 6)
            select new DealFacts
            {
                Name = "generated", Today = Today, Lines = lines, Requirements = requirements, Allocations = allocations, Capacity = capacity,
                Current = current, Previous = previous, EstimatedCostOfSale = costOfSale, PriorSlipCount = slips, PriorSlipDays = slips * 7,
            };

        private static Gen<RiskPolicy> Policy() =>
            from warning in Gen.Choose(-10, 60)
            from critical in Gen.Choose(-10, 60)
            from discount in Gen.Choose(-5, 80)
            from commission in Gen.Choose(-5, 50)
            from window in Gen.Choose(-30, 365)
            from lead in Gen.Choose(-10, 120)
            from slipWarn in Gen.Choose(-1, 5)
            from slipCrit in Gen.Choose(-1, 5)
            select new RiskPolicy
            {
                MarginWarningPercent = warning, MarginCriticalPercent = critical, MaxDiscountPercent = discount, CommissionPercent = commission,
                DeliveryWindowDays = window, AllocationLeadDays = lead, SlipWarningCount = slipWarn, SlipCriticalCount = slipCrit,
            };

        private static void Check(Action<DealFacts, RiskPolicy> property, int count = 2000) =>
            Prop.ForAll(Deal().ToArbitrary(), Policy().ToArbitrary(), (deal, policy) => property(deal, policy))
                .Check(Config.QuickThrowOnFailure.WithMaxTest(count));

        [Test]
        public void Evaluate_NeverThrows_AndEveryFindingHasAReason() => Check((deal, policy) =>
        {
            var verdict = RiskEvaluator.Evaluate(deal, policy);
            Assert.That(verdict.Findings.All(f => !string.IsNullOrWhiteSpace(f.Reason) && !string.IsNullOrWhiteSpace(f.Code)), Is.True);
        });

        [Test]
        public void Score_LiesInTheBandOfTheOverallLevel() => Check((deal, policy) =>
        {
            var verdict = RiskEvaluator.Evaluate(deal, policy);
            var (min, max) = verdict.Overall switch
            {
                RiskLevel.Critical => (75, 100),
                RiskLevel.High => (50, 74),
                RiskLevel.Medium => (25, 49),
                _ => (0, 24),
            };
            Assert.That(verdict.Score, Is.InRange(min, max));
        });

        [Test]
        public void Levels_AgreeWithTheFindings() => Check((deal, policy) =>
        {
            var verdict = RiskEvaluator.Evaluate(deal, policy);
            foreach (var check in Enum.GetValues<RiskCheck>())
            {
                var worst = verdict.Findings.Where(f => f.Check == check && f.Level != RiskLevel.Unknown).Select(f => f.Level).DefaultIfEmpty(RiskLevel.Low).Max();
                var level = verdict.LevelOf(check);
                Assert.That(level == RiskLevel.Unknown || level >= worst, Is.True, $"{check} is {level} but has a {worst} finding");
            }

            Assert.That(verdict.Overall, Is.EqualTo(RiskEvaluator.Overall(new[] { verdict.Margin, verdict.Resource, verdict.Fit, verdict.Forecast })));
        });

        [Test]
        public void Verdict_IsAPureFunctionOfTheData_WhateverTheOrderOfRows() => Check((deal, policy) =>
        {
            var first = RiskEvaluator.Evaluate(deal, policy);
            var shuffled = new DealFacts
            {
                Name = deal.Name, Today = deal.Today, Current = deal.Current, Previous = deal.Previous, EstimatedCostOfSale = deal.EstimatedCostOfSale,
                PriorSlipCount = deal.PriorSlipCount, PriorSlipDays = deal.PriorSlipDays,
                Lines = deal.Lines.Reverse().ToList(), Requirements = deal.Requirements.Reverse().ToList(),
                Allocations = deal.Allocations.Reverse().ToList(), Capacity = deal.Capacity.Reverse().ToList(),
            };
            var second = RiskEvaluator.Evaluate(shuffled, policy);
            Assert.That(second.Reasons, Is.EqualTo(first.Reasons));
            Assert.That(second.Score, Is.EqualTo(first.Score));
            Assert.That(second.Overall, Is.EqualTo(first.Overall));
        });
    }
}
