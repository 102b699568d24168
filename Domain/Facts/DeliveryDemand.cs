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
            return fromRequirements.Concat(fromProducts)
                .GroupBy(x => x.Key, StringComparer.OrdinalIgnoreCase)
                .Select(g => new KeyValuePair<string, decimal>(g.First().Key, g.Sum(x => x.Value)))
                .ToList();
        }

        /// <summary>The weight of an open deal's demand: its probability (0-100, held within) as a fraction.</summary>
        public static decimal WeightOf(int? probability) => Math.Min(100, Math.Max(0, probability ?? 0)) / 100m;

        /// <summary>
        /// Other deals' claims summed per role, weight and start, then spread over the delivery window. Summing hours before
        /// weighting and spreading makes the result the same whichever deals the claims came from and in whatever order
        /// (an aggregate's group or deals of the same batch added one by one), so a batch judges exactly as single saves.
        /// </summary>
        public static IReadOnlyList<RoleDemand> Spread(IEnumerable<DemandClaim> claims, int windowDays)
        {
            var merged = new SortedDictionary<DemandClaim, decimal>(KeyOrder.Instance);
            foreach (var c in claims)
            {
                if (c.Hours <= 0m || c.Weight <= 0m) continue;
                var key = new DemandClaim(c.Role.Trim(), c.Weight, c.Start.Date, 0m);
                merged[key] = (merged.TryGetValue(key, out var h) ? h : 0m) + c.Hours;
            }

            var demand = new List<RoleDemand>();
            foreach (var entry in merged)
                demand.AddRange(RoleDemand.Spread(entry.Key.Role, entry.Value * entry.Key.Weight, entry.Key.Start, windowDays));
            return demand;
        }

        /// <summary>A deal's claims as other deals see it: its hours per role at its weight from its start.</summary>
        public static IEnumerable<DemandClaim> Claims(IEnumerable<KeyValuePair<string, decimal>> byRole, decimal weight, DateTime start) =>
            byRole.Select(r => new DemandClaim(r.Key, weight, start, r.Value));

        /// <summary>Orders claims by role, weight and start, ignoring hours: the key claims are summed under.</summary>
        private sealed class KeyOrder : IComparer<DemandClaim>
        {
            public static readonly KeyOrder Instance = new KeyOrder();

            public int Compare(DemandClaim? a, DemandClaim? b)
            {
                var c = StringComparer.OrdinalIgnoreCase.Compare(a!.Role, b!.Role);
                if (c != 0) return c;
                c = a.Weight.CompareTo(b.Weight);
                return c != 0 ? c : a.Start.CompareTo(b.Start);
            }
        }
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
}
