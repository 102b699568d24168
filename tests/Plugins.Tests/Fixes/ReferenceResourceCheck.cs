using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DealRisk.Risk;

// A copy of the resource check as it was before issue 23's allocation work (Domain/Checks/ResourceCheck.cs, with the
// RoleUtilisation and DeliveryWindow it used, at commit 17e95e1), kept as the reference the quick fix search is compared
// with: the shipped check now shares one month-by-month weighing between its verdict and the counts the fix search asks
// for, and this copy proves the two still find what the check found before, to the letter. Only the names are changed
// (Reference...), and Format, internal to the domain, is copied below.
namespace DealRisk.Plugins.Tests.Fixes
{
    /// <summary>The reference resource check as one of the list's checks, named as the shipped one so its findings count alike.</summary>
    internal sealed class ReferenceResourceCheck : DealCheck
    {
        public ReferenceResourceCheck() : base(nameof(RiskCheck.Resource)) { }

        /// <summary>The shipped checks with the resource check replaced by the reference.</summary>
        public static IReadOnlyList<DealCheck> Checks { get; } =
            RiskChecks.Default.Select(c => c.Name == nameof(RiskCheck.Resource) ? new ReferenceResourceCheck() : c).ToList();

        public override RiskLevel Evaluate(CheckRun run, List<RiskFinding> findings) =>
            ReferenceResourceCheckCode.Evaluate(run.Facts, run.Policy, findings).Level;
    }

    internal static class ReferenceFormat
    {
        public static string Percent(decimal value) => decimal.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture) + "%";

        public static string Hours(decimal value) => decimal.Round(value, 1).ToString("#,0.#", CultureInfo.InvariantCulture) + " h";

        public static string Month(DateTime value) => value.ToString("MMM yyyy", CultureInfo.InvariantCulture);

        public static string Days(int days) => days == 1 ? "1 day" : days.ToString(CultureInfo.InvariantCulture) + " days";
    }

    internal static class ReferenceResourceCheckCode
    {
        public sealed class Result
        {
            public RiskLevel Level { get; set; } = RiskLevel.Low;

            public decimal? PeakUtilisationPercent { get; set; }

            public IList<ReferenceUtilisation> Utilisation { get; } = new List<ReferenceUtilisation>();
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
            if (books.Roles.Count == 0) return result;

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
                foreach (var role in books.Roles)
                {
                    var named = role.Named;
                    if (named >= role.Value) continue;
                    var closes = daysToClose < 0 ? $"the close date passed {ReferenceFormat.Days(-daysToClose)} ago" : $"the deal closes in {ReferenceFormat.Days(daysToClose)}";
                    own.Add(new RiskFinding(RiskCheck.Resource, "ROLE_NOT_ALLOCATED", RiskLevel.High, !reasons ? "" :
                        $"{role.Key}: {ReferenceFormat.Hours(role.Value - named)} of {ReferenceFormat.Hours(role.Value)} not allocated to a named person or team; {closes} (allocations are due {ReferenceFormat.Days(policy.AllocationLeadDays)} before close)."));
                }
            }

            var windowStart = close.Date < today ? today : close.Date;
            var windowEnd = Dates.AddDays(windowStart, policy.DeliveryWindowDays);
            var months = ReferenceDeliveryWindow.Months(windowStart, windowEnd).ToList();
            if (result.Utilisation is List<ReferenceUtilisation> all) all.Capacity = books.Roles.Count * months.Count;
            foreach (var role in books.Roles)
            {
                // A month without capacity and the busiest month with capacity are judged apart: a gap in the capacity
                // data must not hide an overload in the months that have it.
                ReferenceUtilisation? peak = null;
                ReferenceUtilisation? gap = null;
                foreach (var slice in months)
                {
                    var month = slice.Key;
                    var share = slice.Value;
                    var u = new ReferenceUtilisation(role.Key, month, decimal.Round(role.Value * share, 1), role.Other(month), role.Capacity(month));
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
                        $"{role.Key}: no capacity is recorded for {ReferenceFormat.Month(gap.Month)}, yet the deal needs {ReferenceFormat.Hours(gap.DealHours)} then."));
                if (peak?.Percent is not decimal percent) continue;

                if (result.PeakUtilisationPercent == null || percent > result.PeakUtilisationPercent) result.PeakUtilisationPercent = percent;
                if (percent > policy.UtilisationCriticalPercent)
                    own.Add(new RiskFinding(RiskCheck.Resource, "ROLE_OVER_CAPACITY", RiskLevel.High, !reasons ? "" :
                        $"{role.Key} demand is {ReferenceFormat.Percent(percent)} of capacity in {ReferenceFormat.Month(peak.Month)}, above the {ReferenceFormat.Percent(policy.UtilisationCriticalPercent)} limit (this deal {ReferenceFormat.Hours(peak.DealHours)}, other deals {ReferenceFormat.Hours(peak.OtherHours)}, capacity {ReferenceFormat.Hours(peak.CapacityHours)})."));
                else if (percent > policy.UtilisationWarningPercent)
                    own.Add(new RiskFinding(RiskCheck.Resource, "ROLE_NEAR_CAPACITY", RiskLevel.Medium, !reasons ? "" :
                        $"{role.Key} demand is {ReferenceFormat.Percent(percent)} of capacity in {ReferenceFormat.Month(peak.Month)}, above the {ReferenceFormat.Percent(policy.UtilisationWarningPercent)} warning level (this deal {ReferenceFormat.Hours(peak.DealHours)}, other deals {ReferenceFormat.Hours(peak.OtherHours)}, capacity {ReferenceFormat.Hours(peak.CapacityHours)})."));
            }

            findings.AddRange(own);
            result.Level = own.Count == 0 ? RiskLevel.Low : own.Max(f => f.Level);
            return result;
        }

        /// <summary>
        /// How many of the deal's roles have a capacity finding (no capacity, near or over it) whatever the close date from
        /// <paramref name="first"/> to <paramref name="last"/>: every month a delivery window starting then can touch has no
        /// capacity, or other deals' demand alone above the warning level (the deal's own hours only add to it), so every
        /// such window holds a month without capacity or a busiest month above the warning level. A bound, for a search of
        /// close dates to rule them out together.
        /// </summary>
        internal static int FlaggedThroughout(Books books, DateTime first, DateTime last, RiskPolicy policy)
        {
            if (policy.DeliveryWindowDays <= 0) return 0;
            var today = books.Today.Date;
            var from = first.Date < today ? today : first.Date;
            var to = Dates.AddDays(last.Date < today ? today : last.Date, policy.DeliveryWindowDays);
            var level = Math.Min(policy.UtilisationWarningPercent, policy.UtilisationCriticalPercent);
            var flagged = 0;
            foreach (var role in books.Roles)
            {
                var always = true;
                // After December 9999 NextMonth gives DateTime.MaxValue, which ends the loop.
                for (var month = new DateTime(from.Year, from.Month, 1); always && month < to; month = Dates.NextMonth(month))
                {
                    var capacity = role.Capacity(month);
                    if (capacity <= 0m) continue;
                    // All the deal's hours in the month: if even that can be calculated, so can the check's figure (else
                    // the overflow leaves the bound to the caller, as the check itself would be Unknown).
                    _ = decimal.Round((role.Value + 0.1m + role.Other(month)) / capacity * 100m, 1);
                    if (!(decimal.Round(role.Other(month) / capacity * 100m, 1) > level)) always = false;
                }

                if (always) flagged++;
            }

            return flagged;
        }

        /// <summary>
        /// The deal's demand per role (in the order of its name), each with its capacity, other deals' demand and named
        /// allocations summed once (per month, in the order of their lists), so each role and month is a look-up instead of
        /// a pass over the org's rows. Roles match trimmed and case-insensitively, as everywhere in the check.
        /// </summary>
        internal sealed class Books
        {
            public Books(DealFacts facts)
            {
                Today = facts.Today;
                var capacity = Sums(facts.Capacity);
                var other = Sums(facts.OtherDemand);
                var named = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);
                foreach (var a in facts.Allocations)
                    if (a.Named && a.Role?.Trim() is string role) named[role] = (named.TryGetValue(role, out var h) ? h : 0m) + Math.Max(0m, a.Hours);
                Roles = DeliveryDemand.ByRole(facts.Lines, facts.Requirements).OrderBy(d => d.Key, StringComparer.OrdinalIgnoreCase)
                    .Select(d => new RoleBooks(d.Key, d.Value, named.TryGetValue(d.Key, out var h) ? h : 0m, Months(capacity, d.Key), Months(other, d.Key)))
                    .ToList();
            }

            private Books(DateTime today, IReadOnlyList<RoleBooks> roles)
            {
                Today = today;
                Roles = roles;
            }

            public DateTime Today { get; }

            /// <summary>
            /// The same books with capacity rows of <paramref name="role"/> added after the deal's own (hours per month): what
            /// the check sums from facts with those rows appended. Null when the deal has no work for the role.
            /// </summary>
            public Books? Adding(string role, IEnumerable<KeyValuePair<DateTime, decimal>> rows)
            {
                var key = role?.Trim();
                var i = Roles.Count - 1;
                while (i >= 0 && !string.Equals(Roles[i].Key, key, StringComparison.OrdinalIgnoreCase)) i--;
                if (i < 0) return null;
                var roles = Roles.ToList();
                roles[i] = roles[i].Adding(rows);
                return new Books(Today, roles);
            }

            /// <summary>The roles of the deal's work (<see cref="DeliveryDemand.ByRole"/>), by name.</summary>
            public IReadOnlyList<RoleBooks> Roles { get; }

            private static Dictionary<DateTime, decimal>? Months(Dictionary<string, Dictionary<DateTime, decimal>> sums, string role) =>
                sums.TryGetValue(role, out var months) ? months : null;

            private static Dictionary<string, Dictionary<DateTime, decimal>> Sums(IEnumerable<RoleMonthHours> rows)
            {
                var sums = new Dictionary<string, Dictionary<DateTime, decimal>>(StringComparer.OrdinalIgnoreCase);
                string? last = null;
                Dictionary<DateTime, decimal>? months = null;
                foreach (var row in rows)
                {
                    if (row.Role == null) continue;
                    // Rows come grouped by role: the role is looked up when it changes.
                    if (!ReferenceEquals(row.Role, last))
                    {
                        var role = row.Role.Trim();
                        if (!sums.TryGetValue(role, out months)) sums.Add(role, months = new Dictionary<DateTime, decimal>());
                        last = row.Role;
                    }

                    months![row.Month] = (months.TryGetValue(row.Month, out var h) ? h : 0m) + Math.Max(0m, row.Hours);
                }

                return sums;
            }
        }

        /// <summary>One role of the deal's work: its hours, the hours allocated to named people, and its months' capacity and other deals' demand.</summary>
        internal sealed class RoleBooks
        {
            private readonly Dictionary<DateTime, decimal>? _capacity;
            private readonly Dictionary<DateTime, decimal>? _other;

            private readonly Dictionary<DateTime, decimal>? _added;

            public RoleBooks(string key, decimal value, decimal named, Dictionary<DateTime, decimal>? capacity, Dictionary<DateTime, decimal>? other, Dictionary<DateTime, decimal>? added = null)
            {
                Key = key;
                Value = value;
                Named = named;
                _capacity = capacity;
                _other = other;
                _added = added;
            }

            /// <summary>The role's name as the deal's work spells it.</summary>
            public string Key { get; }

            /// <summary>The deal's hours of the role.</summary>
            public decimal Value { get; }

            public decimal Named { get; }

            public decimal Capacity(DateTime month) =>
                _added != null && _added.TryGetValue(month, out var a) ? a : _capacity != null && _capacity.TryGetValue(month, out var h) ? h : 0m;

            public RoleBooks Adding(IEnumerable<KeyValuePair<DateTime, decimal>> rows)
            {
                // The months the rows touch, summed on from the role's own: the rest is looked up where it was.
                var added = new Dictionary<DateTime, decimal>();
                foreach (var row in rows)
                {
                    var month = new DateTime(row.Key.Year, row.Key.Month, 1);
                    added[month] = (added.TryGetValue(month, out var h) ? h : Capacity(month)) + Math.Max(0m, row.Value);
                }

                return new RoleBooks(Key, Value, Named, _capacity, _other, added);
            }

            public decimal Other(DateTime month) => _other != null && _other.TryGetValue(month, out var h) ? h : 0m;
        }
    }

    /// <summary>Demand against capacity of one role in one month.</summary>
    internal sealed class ReferenceUtilisation
    {
        public ReferenceUtilisation(string role, DateTime month, decimal dealHours, decimal otherHours, decimal capacityHours)
        {
            Role = role;
            Month = month;
            DealHours = dealHours;
            OtherHours = otherHours;
            CapacityHours = capacityHours;
        }

        public string Role { get; }

        public DateTime Month { get; }

        public decimal DealHours { get; }

        public decimal OtherHours { get; }

        public decimal CapacityHours { get; }

        private decimal? _percent;
        private bool _percentKnown;

        /// <summary>Demand as a percentage of capacity; null when the role has no capacity at all.</summary>
        public decimal? Percent
        {
            get
            {
                // Worked out once: the resource check compares it month by month, and a fix search does so for many changes.
                if (!_percentKnown)
                {
                    _percent = CapacityHours <= 0 ? (decimal?)null : decimal.Round((DealHours + OtherHours) / CapacityHours * 100m, 1);
                    _percentKnown = true;
                }

                return _percent;
            }
        }
    }

    /// <summary>The months a delivery window touches, with the share of its days in each.</summary>
    internal static class ReferenceDeliveryWindow
    {
        public static IEnumerable<KeyValuePair<DateTime, decimal>> Months(DateTime start, DateTime end)
        {
            var total = (decimal)(end - start).TotalDays;
            if (total <= 0m) yield break;
            for (var month = new DateTime(start.Year, start.Month, 1); month < end; month = Dates.NextMonth(month))
            {
                var next = Dates.NextMonth(month);
                var from = month < start ? start : month;
                var to = next > end ? end : next;
                var days = (decimal)(to - from).TotalDays;
                if (days > 0m) yield return new KeyValuePair<DateTime, decimal>(month, days / total);
                if (next == DateTime.MaxValue) yield break;
            }
        }
    }
}
