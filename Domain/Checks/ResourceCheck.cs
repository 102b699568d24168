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
                RoleUtilisation? peak = null;
                foreach (var slice in DeliveryWindow.Months(windowStart, windowEnd))
                {
                    var month = slice.Key;
                    var share = slice.Value;
                    var capacity = facts.Capacity.Where(c => Same(c.Role, role.Key) && c.Month == month).Sum(c => Math.Max(0m, c.Hours));
                    var other = facts.OtherDemand.Where(d => Same(d.Role, role.Key) && d.Month == month).Sum(d => Math.Max(0m, d.Hours));
                    var u = new RoleUtilisation(role.Key, month, decimal.Round(role.Value * share, 1), other, capacity);
                    result.Utilisation.Add(u);
                    if (peak == null || Worse(u, peak)) peak = u;
                }

                if (peak == null) continue;
                if (peak.Percent is not decimal percent)
                {
                    own.Add(new RiskFinding(RiskCheck.Resource, "ROLE_NO_CAPACITY", RiskLevel.High,
                        $"{role.Key}: no capacity is recorded for {Format.Month(peak.Month)}, yet the deal needs {Format.Hours(peak.DealHours)} then."));
                    continue;
                }

                if (result.PeakUtilisationPercent == null || percent > result.PeakUtilisationPercent) result.PeakUtilisationPercent = percent;
                if (percent > policy.UtilisationCriticalPercent)
                    own.Add(new RiskFinding(RiskCheck.Resource, "ROLE_OVER_CAPACITY", RiskLevel.High,
                        $"{role.Key} demand is {Format.Percent(percent)} of capacity in {Format.Month(peak.Month)} (limit {Format.Percent(policy.UtilisationCriticalPercent)}; this deal {Format.Hours(peak.DealHours)}, other deals {Format.Hours(peak.OtherHours)}, capacity {Format.Hours(peak.CapacityHours)})."));
                else if (percent > policy.UtilisationWarningPercent)
                    own.Add(new RiskFinding(RiskCheck.Resource, "ROLE_NEAR_CAPACITY", RiskLevel.Medium,
                        $"{role.Key} demand is {Format.Percent(percent)} of capacity in {Format.Month(peak.Month)} (warning at {Format.Percent(policy.UtilisationWarningPercent)})."));
            }

            findings.AddRange(own);
            result.Level = own.Count == 0 ? RiskLevel.Low : own.Max(f => f.Level);
            return result;
        }

        /// <summary>Hours per role: requirement effort plus product delivery effort × quantity.</summary>
        private static IEnumerable<KeyValuePair<string, decimal>> Demand(DealFacts facts)
        {
            var fromRequirements = facts.Requirements
                .Where(r => r.Fit != RequirementFit.NotSupported && !string.IsNullOrWhiteSpace(r.Role) && r.EffortHours is decimal h && h > 0m)
                .Select(r => new KeyValuePair<string, decimal>(r.Role!.Trim(), r.EffortHours!.Value));
            var fromProducts = facts.Lines
                .Where(l => !string.IsNullOrWhiteSpace(l.DeliveryRole) && l.DeliveryHoursPerUnit is decimal h && h > 0m && l.Quantity is decimal q && q > 0m)
                .Select(l => new KeyValuePair<string, decimal>(l.DeliveryRole!.Trim(), l.DeliveryHoursPerUnit!.Value * l.Quantity!.Value));
            return fromRequirements.Concat(fromProducts)
                .GroupBy(x => x.Key, StringComparer.OrdinalIgnoreCase)
                .Select(g => new KeyValuePair<string, decimal>(g.First().Key, g.Sum(x => x.Value)));
        }

        private static bool Worse(RoleUtilisation a, RoleUtilisation b)
        {
            if (a.Percent == null) return b.Percent != null || a.DealHours > b.DealHours;
            return b.Percent != null && a.Percent > b.Percent;
        }

        private static bool Same(string a, string b) => string.Equals(a?.Trim(), b?.Trim(), StringComparison.OrdinalIgnoreCase);
    }
}
