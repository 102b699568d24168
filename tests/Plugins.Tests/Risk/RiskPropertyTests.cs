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
    /// nulls, negatives, zero, huge amounts, inverted thresholds, missing products. The generators reach the platform's
    /// whole ranges: dates from 1753-01-01 to 9999-12-31 23:59:59.997 (every Dataverse date and time column,
    /// https://learn.microsoft.com/en-us/power-apps/developer/data-platform/behavior-format-date-time-attribute), money
    /// within ±922,337,203,685,477 with up to 4 decimals (https://learn.microsoft.com/en-us/power-apps/maker/data-platform/types-of-fields),
    /// decimals with up to 10 places, whole numbers to int's limits, and policies anywhere in the ranges Solution/ declares.
    /// </summary>
    public class RiskPropertyTests
    {
        private static readonly DateTime Today = new(2026, 11, 2);
        private static readonly DateTime FirstDate = new(1753, 1, 1);
        private static readonly DateTime LastDate = new(9999, 12, 31, 23, 59, 59, 997);
        private const decimal MoneyMax = 922_337_203_685_477m;
        private static readonly string[] Roles = { "Consultant", "Developer", "Trainer" };

        /// <summary>A decimal within [min, max] with up to <paramref name="precision"/> places, spread over every magnitude.</summary>
        private static Gen<decimal> Number(decimal min, decimal max, int precision) => Gen.OneOf(
            Gen.Elements(min, max, 0m, min / 2m, max / 2m).Select(v => decimal.Round(v, precision)),
            from mantissa in Gen.Choose(0, int.MaxValue)
            from shift in Gen.Choose(0, 20)
            from places in Gen.Choose(0, precision)
            from negative in Gen.Elements(true, false)
            let magnitude = (decimal)mantissa * Pow10(Math.Max(0, shift - 9)) / Pow10(places)
            select Math.Max(min, Math.Min(max, negative ? -magnitude : magnitude)));

        private static decimal Pow10(int n)
        {
            var p = 1m;
            for (var i = 0; i < n; i++) p *= 10m;
            return p;
        }

        /// <summary>Money as Dataverse stores it, nulls and the old hostile values (beyond any column) included.</summary>
        private static Gen<decimal?> Amount() => Gen.OneOf(
            Gen.Constant<decimal?>(null),
            Gen.Constant<decimal?>(0m),
            Gen.Choose(-1_000, -1).Select(i => (decimal?)i),
            Gen.Choose(1, 100_000).Select(i => (decimal?)i),
            Number(-MoneyMax, MoneyMax, 4).Select(d => (decimal?)d),
            Gen.Choose(1, 9).Select(i => (decimal?)(i * 1_000_000_000_000_000_000m)));

        /// <summary>Quantities and hours: decimals with up to 10 places, as large as a decimal column allows (±100,000,000,000).</summary>
        private static Gen<decimal?> Quantity() => Gen.OneOf(
            Amount(),
            Number(-100_000_000_000m, 100_000_000_000m, 10).Select(d => (decimal?)d));

        /// <summary>Any moment Dataverse stores, with the ends of the range and the days around today weighted.</summary>
        private static Gen<DateTime> Moment() => Gen.Frequency(
            (2, Gen.Elements(FirstDate, LastDate, new DateTime(9999, 12, 20), new DateTime(9999, 12, 1), new DateTime(1753, 1, 31))),
            (4, Gen.Choose(-400, 400).Select(d => Today.AddDays(d))),
            (4, from day in Gen.Choose(0, (int)(LastDate.Date - FirstDate).TotalDays)
                from ms in Gen.Choose(0, 86_399_997)
                select FirstDate.AddDays(day).AddMilliseconds(ms)));

        private static Gen<DealLine> Line() =>
            from name in Gen.Elements("Licence", "Pack", "Support", "")
            from qty in Quantity()
            from gross in Amount()
            from discount in Gen.Choose(0, 60)
            from cost in Amount()
            from missing in Gen.Frequency((9, Gen.Constant(false)), (1, Gen.Constant(true)))
            from writeIn in Gen.Frequency((9, Gen.Constant(false)), (1, Gen.Constant(true)))
            from hours in Quantity()
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
            from hours in Quantity()
            from role in Gen.Elements(Roles.Append(null).ToArray())
            from quoted in Gen.Elements(true, false)
            select new DealRequirement { Name = name, Priority = priority, Fit = fit, EffortHours = hours, Role = role, Quoted = quoted };

        private static Gen<ForecastSnapshot> Snapshot() =>
            from amount in Amount()
            from close in Moment()
            from hasClose in Gen.Elements(true, true, false)
            from stage in Gen.Choose(-1, 4)
            from probability in Gen.Frequency((9, Gen.Choose(-10, 120)), (1, Gen.Elements(int.MinValue, int.MaxValue)))
            from rank in Gen.Choose(-1, 4)
            from margin in Amount()
            select new ForecastSnapshot
            {
                Amount = amount, CloseDate = hasClose ? close : null, SalesStage = stage, Probability = probability,
                ForecastRank = rank, MarginPercent = margin,
            };

        private static Gen<DealAllocation> Allocation() =>
            from role in Gen.Elements(Roles)
            from hours in Gen.OneOf(Gen.Choose(-50, 500).Select(h => (decimal)h), Number(0m, 1_000_000m, 2))
            from named in Gen.Elements(true, false)
            select new DealAllocation { Role = role, Hours = hours, Named = named };

        private static Gen<RoleCapacity> CapacityRow() =>
            from role in Gen.Elements(Roles)
            from month in Gen.OneOf(Gen.Choose(0, 14).Select(m => Today.AddMonths(m)), Moment())
            from hours in Gen.OneOf(Gen.Choose(-10, 400).Select(h => (decimal)h), Number(0m, 100_000_000m, 2))
            select new RoleCapacity(role, month, hours);

        private static Gen<DealFacts> Deal() =>
            from lines in Gen.ListOf(Line()).Select(l => l.Take(12).ToList())
            from requirements in Gen.ListOf(Requirement()).Select(r => r.Take(8).ToList())
            from allocations in Gen.ListOf(Allocation()).Select(a => a.Take(6).ToList())
            from capacity in Gen.ListOf(CapacityRow()).Select(c => c.Take(20).ToList())
            from current in Snapshot()
            from previous in Gen.OneOf(Gen.Constant<ForecastSnapshot?>(null), Snapshot().Select(s => (ForecastSnapshot?)s))
            from costOfSale in Amount()
            from slips in Gen.Frequency((9, Gen.Choose(-1, 6)), (1, Gen.Elements(int.MaxValue, int.MaxValue - 1)))
            from slipDays in Gen.Frequency((9, Gen.Constant(-1)), (1, Gen.Elements(int.MaxValue, 0)))
            from today in Gen.Frequency((3, Gen.Constant(Today)), (1, Moment()))
            select new DealFacts
            {
                Name = "generated", Today = today, Lines = lines, Requirements = requirements, Allocations = allocations, Capacity = capacity,
                Current = current, Previous = previous, EstimatedCostOfSale = costOfSale, PriorSlipCount = slips,
                PriorSlipDays = slipDays >= 0 ? slipDays : Math.Max(0, Math.Min(slips, 1000)) * 7,
            };

        /// <summary>Policies anywhere in the ranges the dr_riskpolicy columns allow, and beyond (a policy row built by hand).</summary>
        private static Gen<RiskPolicy> Policy() =>
            from warning in Gen.OneOf(Gen.Choose(-10, 60).Select(i => (decimal)i), Number(-100m, 100m, 2))
            from critical in Gen.OneOf(Gen.Choose(-10, 60).Select(i => (decimal)i), Number(-100m, 100m, 2))
            from discount in Gen.OneOf(Gen.Choose(-5, 80).Select(i => (decimal)i), Number(0m, 100m, 2))
            from commission in Gen.OneOf(Gen.Choose(-5, 50).Select(i => (decimal)i), Number(0m, 100m, 2))
            from hourly in Gen.OneOf(Gen.Constant(95m), Number(-MoneyMax, MoneyMax, 2))
            from window in Gen.OneOf(Gen.Choose(-30, 365), Gen.Choose(1, 3650))
            from lead in Gen.OneOf(Gen.Choose(-10, 120), Gen.Choose(0, 3650))
            from slipWarn in Gen.OneOf(Gen.Choose(-1, 5), Gen.Choose(0, 1000))
            from slipCrit in Gen.OneOf(Gen.Choose(-1, 5), Gen.Choose(0, 1000))
            from lookback in Gen.OneOf(Gen.Constant(30), Gen.Choose(1, 3650))
            from utilisation in Gen.OneOf(Gen.Constant(85m), Number(0m, 10_000m, 2))
            select new RiskPolicy
            {
                MarginWarningPercent = warning, MarginCriticalPercent = critical, MaxDiscountPercent = discount, CommissionPercent = commission,
                HourlyCost = hourly, DeliveryWindowDays = window, AllocationLeadDays = lead, SlipWarningCount = slipWarn, SlipCriticalCount = slipCrit,
                ForecastLookbackDays = lookback, UtilisationWarningPercent = utilisation, UtilisationCriticalPercent = utilisation * 1.2m,
            };

        private static void Check(Action<DealFacts, RiskPolicy> property, int count = 2000, ulong? seed = null)
        {
            var config = Config.QuickThrowOnFailure.WithMaxTest(count);
            if (seed is ulong s) config = config.WithReplay(new Replay(new Rnd(s, 0x9E3779B97F4A7C15UL), Microsoft.FSharp.Core.FSharpOption<int>.None));
            Prop.ForAll(Deal().ToArbitrary(), Policy().ToArbitrary(), (deal, policy) => property(deal, policy)).Check(config);
        }

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

            Assert.That(verdict.Overall, Is.EqualTo(RiskEvaluator.Overall(verdict.Checks.Select(c => c.Level))));
        });

        // Each of these seeds generated a deal whose verdict changed with the order of its rows (4 of seeds 0-39, one case in
        // about 20,000): the hours of a role, summed in row order, rounded differently past decimal's 28-29 digits. Fixed
        // seeds keep CI deterministic; the regressions below hold the cases themselves.
        [TestCase(12UL)]
        [TestCase(14UL)]
        [TestCase(30UL)]
        [TestCase(34UL)]
        public void Verdict_IsAPureFunctionOfTheData_WhateverTheOrderOfRows(ulong seed) => Check(seed: seed, property: (deal, policy) =>
        {
            var first = RiskEvaluator.Evaluate(deal, policy);
            foreach (var rotate in new[] { false, true })
            {
                var second = RiskEvaluator.Evaluate(WithRows(deal, Rearranged(deal.Lines, rotate), Rearranged(deal.Requirements, rotate),
                    Rearranged(deal.Allocations, rotate), Rearranged(deal.Capacity, rotate)), policy);
                var order = rotate ? "rows rotated by one" : "rows reversed";
                Assert.That(second.Reasons, Is.EqualTo(first.Reasons), order);
                Assert.That(second.Score, Is.EqualTo(first.Score), order);
                Assert.That(second.Overall, Is.EqualTo(first.Overall), order);
            }
        });

        [Test]
        public void RoleHours_BeyondDecimalPrecision_GiveTheSameReasonsInEveryOrderOfRows()
        {
            // Seed 12's case, shrunk by hand: 2,001,031,745 units at 3e18 hours each (beyond the 1,000,000 of the column, as a
            // hostile integration may send) make the Developer's hours 29 digits long, so the last digit depended on which row
            // was added first ("...778.4 h" in one order, "...778.3 h" in the other).
            var deal = DealBuilder.ADeal().ClosingInDays(-30)
                .WithLine("Licence", 31_704.1345m, 1m, 0m, deliveryHoursPerUnit: 5_619.6375m, role: "Developer")
                .WithLine("Pack", 2_001_031_745m, 1m, 0m, deliveryHoursPerUnit: 3_000_000_000_000_000_000m, role: "Developer")
                .WithRequirement("Reports", RequirementPriority.ShouldHave, RequirementFit.Customisation, 130_035.2178m, "Developer", quoted: true)
                .Build();

            var verdict = OneVerdictInEveryOrder(deal);

            Assert.That(verdict.Findings.Select(f => f.Code), Does.Contain("ROLE_NOT_ALLOCATED"), "the rounded hours are in a reason");
        }

        [Test]
        public void ProductCosts_BeyondDecimalPrecision_GiveTheSameMarginReasonInEveryOrderOfLines()
        {
            // 1e28 + 0.5 rounds back to 1e28 (to even), twice; 0.5 + 0.5 + 1e28 is 1e28 + 1: the cost in the reason was
            // one apart depending on which line came first.
            var deal = DealBuilder.ADeal()
                .WithLine("Licence", 1m, 100_000m, 10_000_000_000_000_000_000_000_000_000m)
                .WithLine("Pack", 1m, 0m, 0.5m)
                .WithLine("Support", 1m, 0m, 0.5m)
                .Build();

            var verdict = OneVerdictInEveryOrder(deal);

            Assert.That(verdict.Findings.Select(f => f.Code), Does.Contain("MARGIN_BELOW_FLOOR"), "the product cost is in a reason");
        }

        [Test]
        public void UnquotedEffort_BeyondDecimalPrecision_CostsTheSameInEveryOrderOfRequirements()
        {
            // 1e22 + 0.0000005 rounds back to 1e22 (to even), twice; 0.0000005 + 0.0000005 + 1e22 keeps its 0.000001 h,
            // which at 5,000,000 an hour is 5 in the cost of the unquoted effort.
            var deal = DealBuilder.ADeal()
                .WithRequirement("SSO", RequirementPriority.MustHave, RequirementFit.Customisation, 10_000_000_000_000_000_000_000m)
                .WithRequirement("Portal", RequirementPriority.MustHave, RequirementFit.Configuration, 0.0000005m)
                .WithRequirement("Reports", RequirementPriority.MustHave, RequirementFit.Configuration, 0.0000005m)
                .Build();

            var verdict = OneVerdictInEveryOrder(deal, new RiskPolicy { HourlyCost = 5_000_000m });

            Assert.That(verdict.Findings.Select(f => f.Code), Does.Contain("UNQUOTED_EFFORT"), "the cost is in a reason");
        }

        [Test]
        public void ARoleSpelledTwoWays_IsNamedAlikeInEveryOrderOfRows()
        {
            var deal = DealBuilder.ADeal().ClosingInDays(10)
                .WithLine("Licence", 10m, 1_000m, 100m, deliveryHoursPerUnit: 2m, role: "developer")
                .WithLine("Pack", 5m, 1_000m, 100m, deliveryHoursPerUnit: 4m, role: "Developer")
                .Build();

            var verdict = OneVerdictInEveryOrder(deal);

            Assert.That(verdict.Reasons, Does.Contain("Developer: 40 h of 40 h not allocated"), "one role, its hours together, named by its first spelling in ordinal order");
        }

        /// <summary>The verdict on the deal, once it is shown to be the same (reasons, score, figures) with its lines and requirements in every order.</summary>
        private static RiskAssessment OneVerdictInEveryOrder(DealFacts deal, RiskPolicy? policy = null)
        {
            var verdicts = (from lines in Permutations(deal.Lines.ToList())
                            from requirements in Permutations(deal.Requirements.ToList())
                            select RiskEvaluator.Evaluate(WithRows(deal, lines, requirements, deal.Allocations.ToList(), deal.Capacity.ToList()), policy ?? RiskPolicy.Default())).ToList();
            Assert.That(verdicts.Select(v => (v.Reasons, v.Score, v.MarginAmount, v.UnquotedEffortCost, v.PeakUtilisationPercent)).Distinct(), Has.Exactly(1).Items);
            return verdicts[0];
        }

        private static IEnumerable<List<T>> Permutations<T>(List<T> rows) => rows.Count <= 1
            ? new[] { rows }
            : rows.SelectMany((row, i) => Permutations(rows.Where((_, j) => j != i).ToList()).Select(rest => rest.Prepend(row).ToList()));

        private static List<T> Rearranged<T>(IList<T> rows, bool rotate) => rotate ? rows.Skip(1).Concat(rows.Take(1)).ToList() : rows.Reverse().ToList();

        private static DealFacts WithRows(DealFacts deal, List<DealLine> lines, List<DealRequirement> requirements, List<DealAllocation> allocations, List<RoleCapacity> capacity) => new()
        {
            Name = deal.Name, Today = deal.Today, Current = deal.Current, Previous = deal.Previous, EstimatedCostOfSale = deal.EstimatedCostOfSale,
            PriorSlipCount = deal.PriorSlipCount, PriorSlipDays = deal.PriorSlipDays,
            Lines = lines, Requirements = requirements, Allocations = allocations, Capacity = capacity,
        };
    }
}
