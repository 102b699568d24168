using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DealRisk.Risk
{
    /// <summary>
    /// What one deal holds in the demand ledger: its delivery hours per role (unweighted), the weight they count at (its
    /// probability) and the day its delivery starts (none for a deal without a close date: its delivery starts on the day
    /// the ledger is read). The deal keeps the posting it last made, so that its next judgement posts only the difference
    /// (<see cref="Changes"/>), and other deals read the ledger's sums per role and day instead of every deal's lines.
    /// </summary>
    public sealed class DemandPosting
    {
        private const string Version = "v1";

        /// <summary>A deal that claims nothing: created, closed, lost, or without delivery hours.</summary>
        public static readonly DemandPosting None = new DemandPosting(0m, null, Array.Empty<KeyValuePair<string, decimal>>());

        public DemandPosting(decimal weight, DateTime? day, IEnumerable<KeyValuePair<string, decimal>> hoursByRole)
        {
            Weight = weight;
            Day = day?.Date;
            Hours = (hoursByRole ?? throw new ArgumentNullException(nameof(hoursByRole)))
                .Where(h => !string.IsNullOrWhiteSpace(h.Key) && h.Value > 0m)
                .Select(h => new KeyValuePair<string, decimal>(h.Key.Trim(), h.Value))
                .OrderBy(h => h.Key, StringComparer.Ordinal)
                .ToList();
        }

        public decimal Weight { get; }

        /// <summary>The day delivery starts (a date, no time), or null when it starts on the day the ledger is read.</summary>
        public DateTime? Day { get; }

        /// <summary>Unweighted hours per role, roles in ordinal order.</summary>
        public IReadOnlyList<KeyValuePair<string, decimal>> Hours { get; }

        public bool IsEmpty => Weight <= 0m || Hours.Count == 0;

        /// <summary>The rows this posting adds to the ledger: hours × weight per role at its day.</summary>
        public IEnumerable<DemandEntry> Entries() =>
            IsEmpty ? Enumerable.Empty<DemandEntry>() : Hours.Select(h => new DemandEntry(h.Key, Day, h.Value * Weight));

        /// <summary>The posting as <see cref="DeliveryDemand"/>'s claims, a deal without a day starting on <paramref name="today"/>.</summary>
        public IEnumerable<DemandClaim> Claims(DateTime today) =>
            IsEmpty ? Enumerable.Empty<DemandClaim>() : Hours.Select(h => new DemandClaim(h.Key, Weight, Day ?? today.Date, h.Value));

        /// <summary>
        /// The change rows that turn the ledger's <paramref name="before"/> into <paramref name="after"/>: per role (ignoring
        /// case) and day, what is added (positive) or taken away (negative); none where the two agree.
        /// </summary>
        public static IReadOnlyList<DemandEntry> Changes(DemandPosting before, DemandPosting after)
        {
            // Keyed by role (ignoring case) and day; the role is spelled as the new posting spells it.
            var net = new Dictionary<string, DemandEntry>(StringComparer.Ordinal);
            void Put(DemandEntry e, decimal sign, bool spell)
            {
                var key = e.Role.ToUpperInvariant() + "|" + (e.Day?.Ticks.ToString(CultureInfo.InvariantCulture) ?? "");
                var sum = (net.TryGetValue(key, out var known) ? known.WeightedHours : 0m) + sign * e.WeightedHours;
                net[key] = new DemandEntry(spell || known == null ? e.Role : known.Role, e.Day, sum);
            }

            foreach (var e in before.Entries()) Put(e, -1m, spell: false);
            foreach (var e in after.Entries()) Put(e, 1m, spell: true);
            return net.Values.Where(n => n.WeightedHours != 0m)
                .OrderBy(n => n.Role, StringComparer.OrdinalIgnoreCase).ThenBy(n => n.Day ?? DateTime.MinValue)
                .ToList();
        }

        /// <summary>The text kept on the deal: <c>v1;w=0.6;d=2026-12-01;Developer=120;Architect=40</c> (no day: <c>d=</c>).</summary>
        public string Format()
        {
            if (IsEmpty) return "";
            var parts = new List<string>
            {
                Version,
                "w=" + Weight.ToString(CultureInfo.InvariantCulture),
                "d=" + (Day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? ""),
            };
            parts.AddRange(Hours.Select(h => Uri.EscapeDataString(h.Key) + "=" + h.Value.ToString(CultureInfo.InvariantCulture)));
            return string.Join(";", parts);
        }

        /// <summary>
        /// Reads <see cref="Format"/>'s text. Empty text is <see cref="None"/>; text this version did not write (someone
        /// typed into the column) gives false, and the caller decides what the ledger then holds.
        /// </summary>
        public static bool TryParse(string? text, out DemandPosting posting)
        {
            posting = None;
            if (string.IsNullOrWhiteSpace(text)) return true;
            var parts = text!.Split(';');
            if (parts.Length < 3 || parts[0] != Version || !parts[1].StartsWith("w=", StringComparison.Ordinal) || !parts[2].StartsWith("d=", StringComparison.Ordinal))
                return false;
            if (!decimal.TryParse(parts[1].Substring(2), NumberStyles.Number, CultureInfo.InvariantCulture, out var weight)) return false;
            DateTime? day = null;
            var dayText = parts[2].Substring(2);
            if (dayText.Length > 0)
            {
                if (!DateTime.TryParseExact(dayText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)) return false;
                day = parsed;
            }

            var hours = new List<KeyValuePair<string, decimal>>();
            for (var i = 3; i < parts.Length; i++)
            {
                var eq = parts[i].LastIndexOf('=');
                if (eq <= 0 || !decimal.TryParse(parts[i].Substring(eq + 1), NumberStyles.Number, CultureInfo.InvariantCulture, out var h)) return false;
                hours.Add(new KeyValuePair<string, decimal>(Uri.UnescapeDataString(parts[i].Substring(0, eq)), h));
            }

            posting = new DemandPosting(weight, day, hours);
            return true;
        }
    }

    /// <summary>
    /// A row of the demand ledger: weighted hours of a role from a day (none: from the day it is read). A change row says
    /// what one save added or took away; a folded row holds the sum of many.
    /// </summary>
    public sealed class DemandEntry
    {
        public DemandEntry(string role, DateTime? day, decimal weightedHours)
        {
            Role = role;
            Day = day?.Date;
            WeightedHours = weightedHours;
        }

        public string Role { get; }

        public DateTime? Day { get; }

        public decimal WeightedHours { get; }

        /// <summary>The entry as a claim other deals compete with: already weighted, a day-less one starting <paramref name="today"/>.</summary>
        public DemandClaim AsClaim(DateTime today) => new DemandClaim(Role, 1m, Day ?? today.Date, WeightedHours);
    }
}
