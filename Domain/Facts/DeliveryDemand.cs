using System;
using System.Collections.Generic;
using System.Linq;

namespace DealRisk.Risk
{
    /// <summary>
    /// The delivery hours a deal needs per role: the effort of its requirements (not those that are not supported) plus
    /// its products' delivery hours per unit × quantity. One definition for the deal being judged and for the other deals
    /// whose demand it competes with (docs/risk-model.md, "Resource allocation").
    /// </summary>
    public static class DeliveryDemand
    {
        public static IEnumerable<KeyValuePair<string, decimal>> ByRole(IEnumerable<DealLine> lines, IEnumerable<DealRequirement> requirements)
        {
            var fromRequirements = requirements
                .Where(r => r.Fit != RequirementFit.NotSupported && !string.IsNullOrWhiteSpace(r.Role) && r.EffortHours is decimal h && h > 0m)
                .Select(r => new KeyValuePair<string, decimal>(r.Role!.Trim(), r.EffortHours!.Value));
            var fromProducts = lines
                .Where(l => !string.IsNullOrWhiteSpace(l.DeliveryRole) && l.DeliveryHoursPerUnit is decimal h && h > 0m && l.Quantity is decimal q && q > 0m)
                .Select(l => new KeyValuePair<string, decimal>(l.DeliveryRole!.Trim(), l.DeliveryHoursPerUnit!.Value * l.Quantity!.Value));
            // Whatever order the rows come in: the role spelled as the ordinally first of its spellings ("Developer" over
            // "developer"), the hours summed by RowSum.
            return fromRequirements.Concat(fromProducts)
                .GroupBy(x => x.Key, StringComparer.OrdinalIgnoreCase)
                .Select(g => new KeyValuePair<string, decimal>(g.Select(x => x.Key).OrderBy(k => k, StringComparer.Ordinal).First(), RowSum.Of(g.Select(x => x.Value))))
                .ToList();
        }

        /// <summary>The weight of an open deal's demand: its probability (0-100, held within) as a fraction.</summary>
        public static decimal WeightOf(int? probability) => Math.Min(100, Math.Max(0, probability ?? 0)) / 100m;

        /// <summary>
        /// Other deals' claims spread over the delivery window and summed per role and month. The sums are exact (see
        /// <see cref="DemandTotals"/>), so the result is the same whichever deals the claims came from and in whatever
        /// order (an aggregate's group or deals of the same batch added one by one): a batch judges exactly as single saves.
        /// </summary>
        public static IReadOnlyList<RoleDemand> Spread(IEnumerable<DemandClaim> claims, int windowDays) =>
            new DemandTotals(windowDays).Add(claims).ToDemand();

        /// <summary>A deal's claims as other deals see it: its hours per role at its weight from its start.</summary>
        public static IEnumerable<DemandClaim> Claims(IEnumerable<KeyValuePair<string, decimal>> byRole, decimal weight, DateTime start) =>
            byRole.Select(r => new DemandClaim(r.Key, weight, start, r.Value));
    }

    /// <summary>Hours of a role another deal needs, unweighted, with the weight they count at (probability, or 1 when won) and the day its delivery starts.</summary>
    public sealed class DemandClaim
    {
        public DemandClaim(string role, decimal weight, DateTime start, decimal hours)
        {
            Role = role;
            Weight = weight;
            Start = start;
            Hours = hours;
        }

        public string Role { get; }

        public decimal Weight { get; }

        public DateTime Start { get; }

        public decimal Hours { get; }
    }

    /// <summary>
    /// Weighted demand of a delivery window length, per role and month, kept as weighted hour-days (hours × weight × days
    /// of the window in the month) and divided by the window's length only when read. Hours and weights carry few decimals,
    /// so these sums are exact: adding and taking away give the same totals in any order, which lets a batch reckon each
    /// deal's "other deals" from running totals instead of summing every other deal again.
    /// </summary>
    public sealed class DemandTotals
    {
        private readonly Dictionary<string, Dictionary<DateTime, decimal>> _byRole = new Dictionary<string, Dictionary<DateTime, decimal>>(StringComparer.OrdinalIgnoreCase);

        public DemandTotals(int windowDays) => WindowDays = Math.Max(1, windowDays);

        public int WindowDays { get; }

        public DemandTotals Add(IEnumerable<DemandClaim> claims) => Add(claims, 1m);

        public DemandTotals Subtract(IEnumerable<DemandClaim> claims) => Add(claims, -1m);

        public DemandTotals Add(DemandTotals other) => Merge(other, 1m);

        public DemandTotals Subtract(DemandTotals other) => Merge(other, -1m);

        public DemandTotals Copy() => new DemandTotals(WindowDays).Merge(this, 1m);

        /// <summary>One demand per role and month with hours in it.</summary>
        public IReadOnlyList<RoleDemand> ToDemand()
        {
            var demand = new List<RoleDemand>();
            foreach (var role in _byRole)
                foreach (var month in role.Value)
                    if (month.Value > 0m) demand.Add(new RoleDemand(role.Key, month.Key, month.Value / WindowDays));
            return demand;
        }

        /// <summary>
        /// What <see cref="ToDemand()"/> gives of this total with <paramref name="parts"/> added in turn (each a total less,
        /// where given, a total it holds): the same roles and months in the same order, the same sums, without copying the
        /// totals into one (a batch reads one such sum per deal from totals of the whole org).
        /// </summary>
        public IReadOnlyList<RoleDemand> ToDemand(params DemandPart[] parts)
        {
            var all = new DemandPart[parts.Length + 1];
            all[0] = new DemandPart(this);
            for (var i = 0; i < parts.Length; i++)
            {
                if (parts[i].Totals.WindowDays != WindowDays || parts[i].Less?.WindowDays is int other && other != WindowDays)
                    throw new ArgumentException("Demand totals of different window lengths cannot be combined.", nameof(parts));
                all[i + 1] = parts[i];
            }

            var demand = new List<RoleDemand>();
            for (var p = 0; p < all.Length; p++)
            {
                foreach (var role in all[p].Totals._byRole)
                {
                    // A role (a month of it) is read where it first comes, as adding the totals in turn would have placed it.
                    if (SeenBefore(all, p, role.Key, null)) continue;
                    for (var q = p; q < all.Length; q++)
                    {
                        if (!all[q].Totals._byRole.TryGetValue(role.Key, out var months)) continue;
                        foreach (var month in months)
                        {
                            if (SeenBefore(all, q, role.Key, month.Key)) continue;
                            var sum = 0m;
                            for (var r = q; r < all.Length; r++) sum += all[r].At(role.Key, month.Key) ?? 0m;
                            if (sum > 0m) demand.Add(new RoleDemand(role.Key, month.Key, sum / WindowDays));
                        }
                    }
                }
            }

            return demand;
        }

        /// <summary>Whether a part before <paramref name="part"/> holds the role (and, given, the month).</summary>
        private static bool SeenBefore(DemandPart[] parts, int part, string role, DateTime? month)
        {
            for (var i = 0; i < part; i++)
                if (parts[i].Totals._byRole.TryGetValue(role, out var months) && (month == null || months.ContainsKey(month.Value))) return true;
            return false;
        }

        private DemandTotals Add(IEnumerable<DemandClaim> claims, decimal sign)
        {
            foreach (var c in claims)
            {
                if (c.Hours <= 0m || c.Weight <= 0m) continue;
                var start = c.Start.Date;
                var end = Dates.AddDays(start, WindowDays);
                var weighted = sign * c.Hours * c.Weight;
                for (var month = new DateTime(start.Year, start.Month, 1); month < end; month = Dates.NextMonth(month))
                {
                    var next = Dates.NextMonth(month);
                    var days = (int)((next > end ? end : next) - (month < start ? start : month)).TotalDays;
                    if (days > 0) Put(c.Role.Trim(), month, weighted * days);
                    if (next == DateTime.MaxValue) break;
                }
            }

            return this;
        }

        private DemandTotals Merge(DemandTotals other, decimal sign)
        {
            if (other.WindowDays != WindowDays) throw new ArgumentException("Demand totals of different window lengths cannot be combined.", nameof(other));
            foreach (var role in other._byRole)
                foreach (var month in role.Value)
                    Put(role.Key, month.Key, sign * month.Value);
            return this;
        }

        internal decimal? At(string role, DateTime month) =>
            _byRole.TryGetValue(role, out var months) && months.TryGetValue(month, out var h) ? h : null;

        private void Put(string role, DateTime month, decimal weightedDays)
        {
            if (!_byRole.TryGetValue(role, out var months)) _byRole.Add(role, months = new Dictionary<DateTime, decimal>());
            months[month] = (months.TryGetValue(month, out var h) ? h : 0m) + weightedDays;
        }
    }

    /// <summary>Running totals less, where given, what one deal holds of them: a part of a sum <see cref="DemandTotals.ToDemand(DemandPart[])"/> reads.</summary>
    public readonly struct DemandPart
    {
        public DemandPart(DemandTotals totals, DemandTotals? less = null)
        {
            Totals = totals ?? throw new ArgumentNullException(nameof(totals));
            Less = less;
        }

        public DemandTotals Totals { get; }

        public DemandTotals? Less { get; }

        /// <summary>The weighted hour-days of the role and month, as a copy of the totals less the held would hold them; null where the totals have none.</summary>
        internal decimal? At(string role, DateTime month) => Totals.At(role, month) is decimal total ? Less?.At(role, month) is decimal held ? total + -1m * held : total : null;
    }
}
