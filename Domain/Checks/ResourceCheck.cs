using System;
using System.Collections.Generic;
using System.Linq;

namespace DealRisk.Risk
{
    /// <summary>Are the delivery people there? The roles and hours the deal needs must be allocated to named
    /// people or teams as the close date nears, and fit within capacity over the delivery window.</summary>
    internal static class ResourceCheck
    {
        public sealed class Result
        {
            public RiskLevel Level { get; set; } = RiskLevel.Low;

            public decimal? PeakUtilisationPercent { get; set; }

            public IList<RoleUtilisation> Utilisation { get; } = new List<RoleUtilisation>();

            public IDictionary<string, decimal> DemandByRole { get; } = new SortedDictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);
        }

        public static Result Evaluate(DealFacts facts, RiskPolicy policy, List<RiskFinding> findings)
        {
            var result = new Result();
            var own = new List<RiskFinding>();
            foreach (var demand in Demand(facts)) result.DemandByRole[demand.Key] = demand.Value;
            if (result.DemandByRole.Count == 0) return result;

            if (facts.Current.CloseDate is not DateTime closeDate)
            {
                own.Add(new RiskFinding(RiskCheck.Resource, "NO_CLOSE_DATE", RiskLevel.Unknown,
                    "Delivery cannot be planned: the deal has no estimated close date."));
                findings.AddRange(own);
                result.Level = RiskLevel.Unknown;
                return result;
            }

            var daysToClose = (closeDate.Date - facts.Today.Date).Days;
            if (daysToClose <= policy.AllocationLeadDays)
            {
                foreach (var role in result.DemandByRole)
                {
                    var named = facts.Allocations.Where(a => a.Named && Same(a.Role, role.Key)).Sum(a => Math.Max(0m, a.Hours));
                    if (named >= role.Value) continue;
                    var closes = daysToClose < 0 ? $"the close date passed {Format.Days(-daysToClose)} ago" : $"the deal closes in {Format.Days(daysToClose)}";
                    own.Add(new RiskFinding(RiskCheck.Resource, "ROLE_NOT_ALLOCATED", RiskLevel.High,
                        $"{role.Key}: {Format.Hours(role.Value - named)} of {Format.Hours(role.Value)} not allocated to a named person or team; {closes} (allocations are due {Format.Days(policy.AllocationLeadDays)} before close)."));
                }
            }

            var windowStart = closeDate.Date < facts.Today.Date ? facts.Today.Date : closeDate.Date;
            var windowEnd = Dates.AddDays(windowStart, policy.DeliveryWindowDays);
            foreach (var role in result.DemandByRole)
            {
                // A month without capacity and the busiest month with capacity are judged apart: a gap in the capacity
                // data must not hide an overload in the months that have it.
                RoleUtilisation? peak = null;
                RoleUtilisation? gap = null;
                foreach (var slice in DeliveryWindow.Months(windowStart, windowEnd))
                {
                    var month = slice.Key;
                    var share = slice.Value;
                    var capacity = facts.Capacity.Where(c => Same(c.Role, role.Key) && c.Month == month).Sum(c => Math.Max(0m, c.Hours));
                    var other = facts.OtherDemand.Where(d => Same(d.Role, role.Key) && d.Month == month).Sum(d => Math.Max(0m, d.Hours));
                    var u = new RoleUtilisation(role.Key, month, decimal.Round(role.Value * share, 1), other, capacity);
                    result.Utilisation.Add(u);
                    if (u.Percent == null)
                    {
                        if (gap == null || u.DealHours > gap.DealHours) gap = u;
                    }
                    else if (peak == null || u.Percent > peak.Percent)
                    {
                        peak = u;
                    }
                }

                if (gap != null)
                    own.Add(new RiskFinding(RiskCheck.Resource, "ROLE_NO_CAPACITY", RiskLevel.High,
                        $"{role.Key}: no capacity is recorded for {Format.Month(gap.Month)}, yet the deal needs {Format.Hours(gap.DealHours)} then."));
                if (peak?.Percent is not decimal percent) continue;

                if (result.PeakUtilisationPercent == null || percent > result.PeakUtilisationPercent) result.PeakUtilisationPercent = percent;
                if (percent > policy.UtilisationCriticalPercent)
                    own.Add(new RiskFinding(RiskCheck.Resource, "ROLE_OVER_CAPACITY", RiskLevel.High,
                        $"{role.Key} demand is {Format.Percent(percent)} of capacity in {Format.Month(peak.Month)}, above the {Format.Percent(policy.UtilisationCriticalPercent)} limit (this deal {Format.Hours(peak.DealHours)}, other deals {Format.Hours(peak.OtherHours)}, capacity {Format.Hours(peak.CapacityHours)})."));
                else if (percent > policy.UtilisationWarningPercent)
                    own.Add(new RiskFinding(RiskCheck.Resource, "ROLE_NEAR_CAPACITY", RiskLevel.Medium,
                        $"{role.Key} demand is {Format.Percent(percent)} of capacity in {Format.Month(peak.Month)}, above the {Format.Percent(policy.UtilisationWarningPercent)} warning level (this deal {Format.Hours(peak.DealHours)}, other deals {Format.Hours(peak.OtherHours)}, capacity {Format.Hours(peak.CapacityHours)})."));
            }

            findings.AddRange(own);
            result.Level = own.Count == 0 ? RiskLevel.Low : own.Max(f => f.Level);
            return result;
        }

        private static IEnumerable<KeyValuePair<string, decimal>> Demand(DealFacts facts) => DeliveryDemand.ByRole(facts.Lines, facts.Requirements);

        private static bool Same(string a, string b) => string.Equals(a?.Trim(), b?.Trim(), StringComparison.OrdinalIgnoreCase);
    }
}
