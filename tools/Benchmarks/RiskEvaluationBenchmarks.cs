using System;
using System.Linq;
using BenchmarkDotNet.Attributes;
using DealRisk.Risk;

namespace CrmPlugins.Benchmarks
{
    /// <summary>
    /// The risk domain alone: judging a small and a large deal (no service calls), one whose delivery fits and one whose
    /// roles are overloaded by other deals' demand (as a deal is in a large org: the capacity fixes search every month
    /// of the delivery window and the close dates of a year).
    /// </summary>
    [MemoryDiagnoser]
    public class RiskEvaluationBenchmarks
    {
        private DealFacts _deal = null!;
        private readonly RiskPolicy _policy = RiskPolicy.Default();

        [Params(5, 500)]
        public int Lines { get; set; }

        [Params(false, true)]
        public bool Overloaded { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            var today = new DateTime(2026, 11, 2);
            _deal = new DealFacts { Name = "Benchmark deal", Today = today, Current = new ForecastSnapshot { Amount = 1_000_000m, CloseDate = today.AddDays(20), SalesStage = 2, Probability = 60 } };
            for (var i = 0; i < Lines; i++)
            {
                _deal.Lines.Add(new DealLine { ProductName = "Product " + i, Quantity = 2, GrossAmount = 2_000m, NetAmount = 1_700m, UnitCost = 600m, DeliveryHoursPerUnit = 4m, DeliveryRole = i % 2 == 0 ? "Consultant" : "Developer" });
                _deal.Requirements.Add(new DealRequirement { Name = "Requirement " + i, Priority = (RequirementPriority)(i % 3), Fit = (RequirementFit)(i % 5), EffortHours = 8m, Role = "Consultant", Quoted = i % 2 == 0 });
            }

            foreach (var role in new[] { "Consultant", "Developer" })
            {
                _deal.Allocations.Add(new DealAllocation { Role = role, Hours = 100m, Named = true });
                for (var m = 0; m < 12; m++)
                {
                    var month = new DateTime(today.Year, today.Month, 1).AddMonths(m);
                    _deal.Capacity.Add(new RoleCapacity(role, month, 800m));
                    // A large org's open deals, weighted by probability: more than the role can deliver in any month of the year.
                    if (Overloaded) _deal.OtherDemand.Add(new RoleDemand(role, month, 5_000m));
                }
            }
        }

        [Benchmark]
        public int Evaluate() => RiskEvaluator.Evaluate(_deal, _policy).Findings.Count;

        /// <summary>Judging the deal and searching what clears each finding (the deal judged again per step of each search).</summary>
        [Benchmark]
        public int EvaluateWithFixes() => RiskFixes.Attach(RiskEvaluator.Evaluate(_deal, _policy), _deal, _policy, RiskChecks.Default);
    }
}
