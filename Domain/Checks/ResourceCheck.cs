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

        public static Result Evaluate(DealFacts facts, RiskPolicy policy, List<RiskFinding> findings) =>
            Evaluate(new Books(facts), facts.Current.CloseDate, policy, findings, reasons: true);

        /// <summary>
        /// Judges the deal as if it closed on <paramref name="closeDate"/>, from facts already summed per role and month.
        /// Without <paramref name="reasons"/> the findings carry their code and level but an empty reason: what a fix
        /// search needs to rule a change out without writing the sentences (the same code decides, so the two agree).
        /// </summary>
        internal static Result Evaluate(Books books, DateTime? closeDate, RiskPolicy policy, List<RiskFinding> findings, bool reasons)
        {
            var result = new Result();
            var own = new List<RiskFinding>();
            foreach (var demand in books.Demand) result.DemandByRole[demand.Key] = demand.Value;
            if (result.DemandByRole.Count == 0) return result;

            if (closeDate is not DateTime close)
            {
                own.Add(new RiskFinding(RiskCheck.Resource, "NO_CLOSE_DATE", RiskLevel.Unknown,
                    reasons ? "Delivery cannot be planned: the deal has no estimated close date." : ""));
                findings.AddRange(own);
                result.Level = RiskLevel.Unknown;
                return result;
            }

            var today = books.Today.Date;
            var daysToClose = (close.Date - today).Days;
            if (daysToClose <= policy.AllocationLeadDays)
            {
                foreach (var role in result.DemandByRole)
                {
                    var named = books.Named(role.Key);
                    if (named >= role.Value) continue;
                    var closes = daysToClose < 0 ? $"the close date passed {Format.Days(-daysToClose)} ago" : $"the deal closes in {Format.Days(daysToClose)}";
                    own.Add(new RiskFinding(RiskCheck.Resource, "ROLE_NOT_ALLOCATED", RiskLevel.High, !reasons ? "" :
                        $"{role.Key}: {Format.Hours(role.Value - named)} of {Format.Hours(role.Value)} not allocated to a named person or team; {closes} (allocations are due {Format.Days(policy.AllocationLeadDays)} before close)."));
                }
            }

            var windowStart = close.Date < today ? today : close.Date;
            var windowEnd = Dates.AddDays(windowStart, policy.DeliveryWindowDays);
            var months = DeliveryWindow.Months(windowStart, windowEnd).ToList();
            foreach (var role in result.DemandByRole)
            {
                // A month without capacity and the busiest month with capacity are judged apart: a gap in the capacity
                // data must not hide an overload in the months that have it.
                RoleUtilisation? peak = null;
                RoleUtilisation? gap = null;
                foreach (var slice in months)
                {
                    var month = slice.Key;
                    var share = slice.Value;
                    var u = new RoleUtilisation(role.Key, month, decimal.Round(role.Value * share, 1), books.Other(role.Key, month), books.Capacity(role.Key, month));
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
                    own.Add(new RiskFinding(RiskCheck.Resource, "ROLE_NO_CAPACITY", RiskLevel.High, !reasons ? "" :
                        $"{role.Key}: no capacity is recorded for {Format.Month(gap.Month)}, yet the deal needs {Format.Hours(gap.DealHours)} then."));
                if (peak?.Percent is not decimal percent) continue;

                if (result.PeakUtilisationPercent == null || percent > result.PeakUtilisationPercent) result.PeakUtilisationPercent = percent;
                if (percent > policy.UtilisationCriticalPercent)
                    own.Add(new RiskFinding(RiskCheck.Resource, "ROLE_OVER_CAPACITY", RiskLevel.High, !reasons ? "" :
                        $"{role.Key} demand is {Format.Percent(percent)} of capacity in {Format.Month(peak.Month)}, above the {Format.Percent(policy.UtilisationCriticalPercent)} limit (this deal {Format.Hours(peak.DealHours)}, other deals {Format.Hours(peak.OtherHours)}, capacity {Format.Hours(peak.CapacityHours)})."));
                else if (percent > policy.UtilisationWarningPercent)
                    own.Add(new RiskFinding(RiskCheck.Resource, "ROLE_NEAR_CAPACITY", RiskLevel.Medium, !reasons ? "" :
                        $"{role.Key} demand is {Format.Percent(percent)} of capacity in {Format.Month(peak.Month)}, above the {Format.Percent(policy.UtilisationWarningPercent)} warning level (this deal {Format.Hours(peak.DealHours)}, other deals {Format.Hours(peak.OtherHours)}, capacity {Format.Hours(peak.CapacityHours)})."));
            }

            findings.AddRange(own);
            result.Level = own.Count == 0 ? RiskLevel.Low : own.Max(f => f.Level);
            return result;
        }

        /// <summary>
        /// The deal's demand per role, and the capacity, other deals' demand and named allocations summed per role (and
        /// month) once, in the order of their lists, so each role and month is a look-up instead of a pass over the org's rows.
        /// Roles match trimmed and case-insensitively, as everywhere in the check.
        /// </summary>
        internal sealed class Books
        {
            private readonly Dictionary<string, Dictionary<DateTime, decimal>> _capacity = new Dictionary<string, Dictionary<DateTime, decimal>>(StringComparer.OrdinalIgnoreCase);
            private readonly Dictionary<string, Dictionary<DateTime, decimal>> _other = new Dictionary<string, Dictionary<DateTime, decimal>>(StringComparer.OrdinalIgnoreCase);
            private readonly Dictionary<string, decimal> _named = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);

            public Books(DealFacts facts)
            {
                Today = facts.Today;
                Demand = DeliveryDemand.ByRole(facts.Lines, facts.Requirements);
                foreach (var c in facts.Capacity) Add(_capacity, c);
                foreach (var d in facts.OtherDemand) Add(_other, d);
                foreach (var a in facts.Allocations)
                    if (a.Named && a.Role?.Trim() is string role) _named[role] = (_named.TryGetValue(role, out var h) ? h : 0m) + Math.Max(0m, a.Hours);
            }

            public DateTime Today { get; }

            /// <summary>The deal's hours per role (<see cref="DeliveryDemand.ByRole"/>).</summary>
            public IEnumerable<KeyValuePair<string, decimal>> Demand { get; }

            public decimal Capacity(string role, DateTime month) => Sum(_capacity, role, month);

            public decimal Other(string role, DateTime month) => Sum(_other, role, month);

            public decimal Named(string role) => _named.TryGetValue(role.Trim(), out var h) ? h : 0m;

            private static void Add(Dictionary<string, Dictionary<DateTime, decimal>> sums, RoleMonthHours row)
            {
                if (row.Role?.Trim() is not string role) return;
                if (!sums.TryGetValue(role, out var months)) sums.Add(role, months = new Dictionary<DateTime, decimal>());
                months[row.Month] = (months.TryGetValue(row.Month, out var h) ? h : 0m) + Math.Max(0m, row.Hours);
            }

            private static decimal Sum(Dictionary<string, Dictionary<DateTime, decimal>> sums, string role, DateTime month) =>
                sums.TryGetValue(role.Trim(), out var months) && months.TryGetValue(month, out var h) ? h : 0m;
        }
    }
}
