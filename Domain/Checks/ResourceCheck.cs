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
        }

        public static Result Evaluate(DealFacts facts, RiskPolicy policy, List<RiskFinding> findings) =>
            Evaluate(new Books(facts), facts.Current.CloseDate, policy, findings);

        /// <summary>
        /// Judges the deal as if it closed on <paramref name="closeDate"/>, from facts already summed per role and month.
        /// Without <paramref name="rows"/> the result holds no utilisation row per role and month: the fix search reads the
        /// findings alone.
        /// </summary>
        internal static Result Evaluate(Books books, DateTime? closeDate, RiskPolicy policy, List<RiskFinding> findings, bool rows = true)
        {
            var result = new Result();
            if (books.Roles.Count == 0) return result;

            // The findings go straight into the caller's list, its own for this check (the evaluator's, a fix search's
            // trial), which it drops when the check throws: no list of the check's own to copy from.
            var first = findings.Count;
            if (closeDate is not DateTime close)
            {
                findings.Add(new RiskFinding(RiskCheck.Resource, "NO_CLOSE_DATE", RiskLevel.Unknown, "Delivery cannot be planned: the deal has no estimated close date."));
                result.Level = RiskLevel.Unknown;
                return result;
            }

            NotAllocated(books, (close.Date - books.Today.Date).Days, policy, findings);
            var months = Window(books, close, policy);
            if (rows && result.Utilisation is List<RoleUtilisation> all) all.Capacity = books.Roles.Count * months.Count;
            for (var r = 0; r < books.Roles.Count; r++)
            {
                var percent = CapacityFindings(books.Roles[r], months, policy, findings, rows ? result.Utilisation : null);
                if (percent != null && (result.PeakUtilisationPercent == null || percent > result.PeakUtilisationPercent)) result.PeakUtilisationPercent = percent;
            }

            for (var i = first; i < findings.Count; i++)
                if (findings[i].Level > result.Level) result.Level = findings[i].Level;
            return result;
        }

        /// <summary>
        /// What <see cref="Evaluate(Books, DateTime?, RiskPolicy, List{RiskFinding}, bool)"/> finds had the deal closed on
        /// <paramref name="closeDate"/>, as counts by kind and the level they make: the same decisions (the same months,
        /// figures and thresholds, the same overflow), without the sentences or a row per role and month. What a fix search
        /// asks of each change it tries before it asks for the findings themselves. The months of the window are written into
        /// <paramref name="window"/> when given (the search counts a close date after another, each window read once).
        /// </summary>
        internal static Tally Count(Books books, DateTime? closeDate, RiskPolicy policy, List<KeyValuePair<DateTime, decimal>>? window = null)
        {
            var tally = new Tally();
            if (books.Roles.Count == 0) return tally;
            if (closeDate is not DateTime close)
            {
                tally.NoCloseDate = 1;
                tally.Level = RiskLevel.Unknown;
                return tally;
            }

            if (AllocationsDue((close.Date - books.Today.Date).Days, policy))
                for (var r = 0; r < books.Roles.Count; r++)
                    if (ShortOfNamed(books.Roles[r])) tally.NotAllocated++;

            var months = Window(books, close, policy, window);
            var high = tally.NotAllocated > 0;
            var medium = false;
            for (var r = 0; r < books.Roles.Count; r++)
            {
                var load = RoleLoad.Of(books.Roles[r], months, null);
                if (load.Gap != null)
                {
                    tally.Capacity++;
                    high = true;
                }

                if (load.Peak is not { } peak) continue;
                var over = Over(peak.Percent, policy);
                if (over == RiskLevel.Low) continue;
                tally.Capacity++;
                high |= over == RiskLevel.High;
                medium |= over == RiskLevel.Medium;
            }

            tally.Level = high ? RiskLevel.High : medium ? RiskLevel.Medium : RiskLevel.Low;
            return tally;
        }

        /// <summary>
        /// The books weighed role by role at one close date, so that a change of one role's capacity is counted by weighing that
        /// role again: each role is weighed on its own figures, so the others' findings stay what they were. What the fix search
        /// asks of every capacity it tries for a month (<see cref="Count"/> of the books with the rows added, without the copy).
        /// </summary>
        internal sealed class CapacityTrials
        {
            private readonly Books _books;
            private readonly RiskPolicy _policy;
            private readonly IReadOnlyList<KeyValuePair<DateTime, decimal>> _months;
            private readonly bool _closes;
            private readonly int _daysToClose;

            // Capacity findings per role at the close date; null for a role whose figures are too large to calculate.
            private readonly int?[] _findings;

            // The findings at the close date that a change of one role's capacity leaves as they are, written when a trial
            // first needs them: those of allocations, and each role's capacity findings (null until then).
            private List<RiskFinding>? _notAllocated;
            private readonly List<RiskFinding>?[] _capacity;

            public CapacityTrials(Books books, DateTime? closeDate, RiskPolicy policy)
            {
                _books = books;
                _policy = policy;
                _findings = new int?[books.Roles.Count];
                _capacity = new List<RiskFinding>?[books.Roles.Count];
                _closes = closeDate != null;
                if (closeDate is not DateTime close)
                {
                    _months = Array.Empty<KeyValuePair<DateTime, decimal>>();
                    return;
                }

                _daysToClose = (close.Date - books.Today.Date).Days;
                _months = Window(books, close, policy);
                for (var i = 0; i < books.Roles.Count; i++)
                {
                    try
                    {
                        _findings[i] = CapacityFindings(RoleLoad.Of(books.Roles[i], _months, null), policy);
                    }
                    catch (OverflowException)
                    {
                        _findings[i] = null;
                    }
                }
            }

            /// <summary>
            /// <see cref="Tally.Capacity"/> of the books with the role at <paramref name="index"/> replaced by
            /// <paramref name="role"/> (<see cref="Books.With"/>, its capacity changed) at the close date; null without a close
            /// date, and wherever the count would overflow (another role's figures too large; this role's throws, as the count would).
            /// </summary>
            public int? CapacityFindingsWith(int index, RoleBooks role)
            {
                if (!_closes) return null;
                var others = 0;
                for (var i = 0; i < _findings.Length; i++)
                {
                    if (i == index) continue;
                    if (_findings[i] is not int found) return null;
                    others += found;
                }

                return others + CapacityFindings(RoleLoad.Of(role, _months, null), _policy);
            }

            /// <summary>
            /// Adds to <paramref name="findings"/> what <see cref="Evaluate(Books, DateTime?, RiskPolicy, List{RiskFinding}, bool)"/>
            /// finds at the close date in the books with the role at <paramref name="index"/> replaced by <paramref name="role"/>
            /// (its capacity changed, its hours and named allocations as they were), in the same order: the findings of
            /// allocations and of the other roles, which do not move with its capacity, are written once per run, and only the
            /// changed role is weighed and written again. Throws where that role's figures are too large to calculate; asked only
            /// once <see cref="CapacityFindingsWith"/> has counted the same books (so the other roles' figures can be).
            /// </summary>
            public void FindingsWith(int index, RoleBooks role, List<RiskFinding> findings)
            {
                if (!_closes) throw new InvalidOperationException("Without a close date there is no delivery window to weigh.");
                if (_notAllocated == null)
                {
                    var written = new List<RiskFinding>();
                    NotAllocated(_books, _daysToClose, _policy, written);
                    _notAllocated = written;
                }

                findings.AddRange(_notAllocated);
                for (var i = 0; i < _capacity.Length; i++)
                {
                    if (i == index)
                    {
                        CapacityFindings(role, _months, _policy, findings, null);
                        continue;
                    }

                    if (_capacity[i] is not { } written)
                    {
                        written = new List<RiskFinding>(2);
                        CapacityFindings(_books.Roles[i], _months, _policy, written, null);
                        _capacity[i] = written;
                    }

                    findings.AddRange(written);
                }
            }
        }

        /// <summary>ROLE_NOT_ALLOCATED for each role short of named allocations, once the close is within the allocations' lead.</summary>
        private static void NotAllocated(Books books, int daysToClose, RiskPolicy policy, List<RiskFinding> findings)
        {
            if (!AllocationsDue(daysToClose, policy)) return;
            for (var r = 0; r < books.Roles.Count; r++)
            {
                var role = books.Roles[r];
                if (!ShortOfNamed(role)) continue;
                var named = role.Named;
                var closes = daysToClose < 0 ? $"the close date passed {Format.Days(-daysToClose)} ago" : $"the deal closes in {Format.Days(daysToClose)}";
                findings.Add(new RiskFinding(RiskCheck.Resource, "ROLE_NOT_ALLOCATED", RiskLevel.High,
                    $"{role.Key}: {Format.Hours(role.Value - named)} of {Format.Hours(role.Value)} not allocated to a named person or team; {closes} (allocations are due {Format.Days(policy.AllocationLeadDays)} before close)."));
            }
        }

        /// <summary>
        /// The capacity findings of one role over the window's <paramref name="months"/> (a month without capacity, a busiest
        /// month near or over it), each month also added to <paramref name="rows"/> when given; returns the busiest month's
        /// utilisation (null when no month has capacity). A role is judged on its own figures alone.
        /// </summary>
        private static decimal? CapacityFindings(RoleBooks role, IReadOnlyList<KeyValuePair<DateTime, decimal>> months, RiskPolicy policy, List<RiskFinding> findings, IList<RoleUtilisation>? rows)
        {
            var load = RoleLoad.Of(role, months, rows);
            if (load.Gap is { } gap)
                findings.Add(new RiskFinding(RiskCheck.Resource, "ROLE_NO_CAPACITY", RiskLevel.High,
                    $"{role.Key}: no capacity is recorded for {Format.Month(gap.Month)}, yet the deal needs {Format.Hours(gap.DealHours)} then."));
            if (load.Peak is not { } peak) return null;

            var percent = peak.Percent;
            var over = Over(percent, policy);
            if (over == RiskLevel.High)
                findings.Add(new RiskFinding(RiskCheck.Resource, "ROLE_OVER_CAPACITY", RiskLevel.High,
                    $"{role.Key} demand is {Format.Percent(percent)} of capacity in {Format.Month(peak.Month)}, above the {Format.Percent(policy.UtilisationCriticalPercent)} limit (this deal {Format.Hours(peak.DealHours)}, other deals {Format.Hours(peak.OtherHours)}, capacity {Format.Hours(peak.CapacityHours)})."));
            else if (over == RiskLevel.Medium)
                findings.Add(new RiskFinding(RiskCheck.Resource, "ROLE_NEAR_CAPACITY", RiskLevel.Medium,
                    $"{role.Key} demand is {Format.Percent(percent)} of capacity in {Format.Month(peak.Month)}, above the {Format.Percent(policy.UtilisationWarningPercent)} warning level (this deal {Format.Hours(peak.DealHours)}, other deals {Format.Hours(peak.OtherHours)}, capacity {Format.Hours(peak.CapacityHours)})."));
            return percent;
        }

        /// <summary>The capacity findings a role's load makes: one for a month without capacity, one for a busiest month near or over it.</summary>
        private static int CapacityFindings(RoleLoad load, RiskPolicy policy) =>
            (load.Gap != null ? 1 : 0) + (load.Peak is { } peak && Over(peak.Percent, policy) != RiskLevel.Low ? 1 : 0);

        private static bool AllocationsDue(int daysToClose, RiskPolicy policy) => daysToClose <= policy.AllocationLeadDays;

        private static bool ShortOfNamed(RoleBooks role) => role.Named < role.Value;

        /// <summary>
        /// The months of the delivery window of a deal closing on <paramref name="close"/> (from today when that is past), in
        /// <paramref name="into"/> when given, else in a list of their own.
        /// </summary>
        private static IReadOnlyList<KeyValuePair<DateTime, decimal>> Window(Books books, DateTime close, RiskPolicy policy, List<KeyValuePair<DateTime, decimal>>? into = null)
        {
            var today = books.Today.Date;
            var windowStart = close.Date < today ? today : close.Date;
            var end = Dates.AddDays(windowStart, policy.DeliveryWindowDays);
            if (into == null) return DeliveryWindow.Months(windowStart, end);
            DeliveryWindow.Months(windowStart, end, into);
            return into;
        }

        /// <summary>High above the limit, Medium above the warning level, else Low: how a role's busiest month counts.</summary>
        private static RiskLevel Over(decimal percent, RiskPolicy policy) =>
            percent > policy.UtilisationCriticalPercent ? RiskLevel.High : percent > policy.UtilisationWarningPercent ? RiskLevel.Medium : RiskLevel.Low;

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
            for (var r = 0; r < books.Roles.Count; r++)
            {
                var role = books.Roles[r];
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

        /// <summary>The check's findings for one close date as counts by kind, and the level they make (<see cref="Count"/>).</summary>
        internal sealed class Tally
        {
            public RiskLevel Level { get; set; } = RiskLevel.Low;

            /// <summary>1 when the deal has no close date (NO_CLOSE_DATE), else 0.</summary>
            public int NoCloseDate { get; set; }

            /// <summary>Roles short of named allocations (ROLE_NOT_ALLOCATED).</summary>
            public int NotAllocated { get; set; }

            /// <summary>Capacity findings: a month without capacity, a busiest month near or over it (ROLE_NO/NEAR/OVER_CAPACITY).</summary>
            public int Capacity { get; set; }
        }

        /// <summary>One month of a role's delivery window as the check weighs it.</summary>
        private readonly struct MonthLoad
        {
            public MonthLoad(DateTime month, decimal dealHours, decimal otherHours, decimal capacityHours, decimal percent)
            {
                Month = month;
                DealHours = dealHours;
                OtherHours = otherHours;
                CapacityHours = capacityHours;
                Percent = percent;
            }

            public DateTime Month { get; }

            public decimal DealHours { get; }

            public decimal OtherHours { get; }

            public decimal CapacityHours { get; }

            /// <summary>Demand as a percentage of capacity (0 for a month without capacity, where there is none).</summary>
            public decimal Percent { get; }
        }

        /// <summary>
        /// A role over the delivery window: the month without capacity that needs the most of the deal's hours, and the busiest
        /// month with capacity (the first of equals). They are judged apart: a gap in the capacity data must not hide an
        /// overload in the months that have it.
        /// </summary>
        private readonly struct RoleLoad
        {
            private RoleLoad(MonthLoad? gap, MonthLoad? peak)
            {
                Gap = gap;
                Peak = peak;
            }

            public MonthLoad? Gap { get; }

            public MonthLoad? Peak { get; }

            /// <summary>Weighs <paramref name="role"/> month by month; each month is also added to <paramref name="rows"/> when given.</summary>
            public static RoleLoad Of(RoleBooks role, IReadOnlyList<KeyValuePair<DateTime, decimal>> months, IList<RoleUtilisation>? rows)
            {
                MonthLoad? gap = null;
                MonthLoad? peak = null;
                for (var i = 0; i < months.Count; i++)
                {
                    var month = months[i].Key;
                    var deal = decimal.Round(role.Value * months[i].Value, 1);
                    var other = role.Other(month);
                    var capacity = role.Capacity(month);
                    var percent = RoleUtilisation.PercentOf(deal, other, capacity);
                    rows?.Add(new RoleUtilisation(role.Key, month, deal, other, capacity, percent));
                    if (percent is not decimal p)
                    {
                        if (gap == null || deal > gap.Value.DealHours) gap = new MonthLoad(month, deal, other, capacity, 0m);
                    }
                    else if (peak == null || p > peak.Value.Percent)
                    {
                        peak = new MonthLoad(month, deal, other, capacity, p);
                    }
                }

                return new RoleLoad(gap, peak);
            }
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
                var work = DeliveryDemand.ByRole(facts.Lines, facts.Requirements).OrderBy(d => d.Key, StringComparer.OrdinalIgnoreCase).ToList();
                var roles = new RoleBooks[work.Count];
                if (work.Count > 0)
                {
                    // Only the roles of the deal's work are summed: the org's capacity and other deals' demand name every role,
                    // and the check judges each of the deal's changes from the facts again.
                    var wanted = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                    foreach (var d in work) wanted.Add(d.Key);
                    var capacity = Sums(facts.Capacity, wanted);
                    var other = Sums(facts.OtherDemand, wanted);
                    var named = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);
                    foreach (var a in facts.Allocations)
                        if (a.Named && a.Role?.Trim() is string role) named[role] = (named.TryGetValue(role, out var h) ? h : 0m) + Math.Max(0m, a.Hours);
                    for (var i = 0; i < work.Count; i++)
                    {
                        var d = work[i];
                        roles[i] = new RoleBooks(d.Key, d.Value, named.TryGetValue(d.Key, out var h) ? h : 0m, Months(capacity, d.Key), Months(other, d.Key));
                    }
                }

                Roles = roles;
            }

            private Books(DateTime today, IReadOnlyList<RoleBooks> roles)
            {
                Today = today;
                Roles = roles;
            }

            public DateTime Today { get; }

            /// <summary>The same books with the role at <paramref name="index"/> replaced by <paramref name="role"/>.</summary>
            public Books With(int index, RoleBooks role)
            {
                var roles = new RoleBooks[Roles.Count];
                for (var i = 0; i < roles.Length; i++) roles[i] = i == index ? role : Roles[i];
                return new Books(Today, roles);
            }

            /// <summary>Where <paramref name="role"/> (trimmed, any case) is among <see cref="Roles"/>; -1 when the deal has no work for it.</summary>
            public int IndexOf(string role)
            {
                var key = role?.Trim();
                var i = Roles.Count - 1;
                while (i >= 0 && !string.Equals(Roles[i].Key, key, StringComparison.OrdinalIgnoreCase)) i--;
                return i;
            }

            /// <summary>The roles of the deal's work (<see cref="DeliveryDemand.ByRole"/>), by name.</summary>
            public IReadOnlyList<RoleBooks> Roles { get; }

            private static Dictionary<DateTime, decimal>? Months(Dictionary<string, Dictionary<DateTime, decimal>> sums, string role) =>
                sums.TryGetValue(role, out var months) ? months : null;

            private static Dictionary<string, Dictionary<DateTime, decimal>> Sums(IEnumerable<RoleMonthHours> rows, HashSet<string> wanted)
            {
                // The rows of each role counted first, so that its months are summed in a table of their size, not grown to it.
                var counts = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
                string? last = null;
                string? counted = null;
                foreach (var row in rows)
                {
                    if (row.Role == null) continue;
                    if (!ReferenceEquals(row.Role, last))
                    {
                        var role = row.Role.Trim();
                        counted = wanted.Contains(role) ? role : null;
                        last = row.Role;
                    }

                    if (counted != null) counts[counted] = (counts.TryGetValue(counted, out var n) ? n : 0) + 1;
                }

                var sums = new Dictionary<string, Dictionary<DateTime, decimal>>(StringComparer.OrdinalIgnoreCase);
                last = null;
                Dictionary<DateTime, decimal>? months = null;
                foreach (var row in rows)
                {
                    if (row.Role == null) continue;
                    // Rows come grouped by role: the role is looked up when it changes.
                    if (!ReferenceEquals(row.Role, last))
                    {
                        var role = row.Role.Trim();
                        if (!wanted.Contains(role)) months = null;
                        else if (!sums.TryGetValue(role, out months)) sums.Add(role, months = new Dictionary<DateTime, decimal>(counts[role]));
                        last = row.Role;
                    }

                    if (months == null) continue;
                    months[row.Month] = (months.TryGetValue(row.Month, out var h) ? h : 0m) + Math.Max(0m, row.Hours);
                }

                return sums;
            }
        }

        /// <summary>One role of the deal's work: its hours, the hours allocated to named people, and its months' capacity and other deals' demand.</summary>
        internal sealed class RoleBooks
        {
            private readonly Dictionary<DateTime, decimal>? _capacity;
            private readonly Dictionary<DateTime, decimal>? _other;

            // The months a trial changes (a few of the window), looked up before the role's own.
            private readonly KeyValuePair<DateTime, decimal>[]? _added;

            public RoleBooks(string key, decimal value, decimal named, Dictionary<DateTime, decimal>? capacity, Dictionary<DateTime, decimal>? other)
                : this(key, value, named, capacity, other, null)
            {
            }

            private RoleBooks(string key, decimal value, decimal named, Dictionary<DateTime, decimal>? capacity, Dictionary<DateTime, decimal>? other, KeyValuePair<DateTime, decimal>[]? added)
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

            public decimal Capacity(DateTime month)
            {
                if (_added != null)
                    for (var i = 0; i < _added.Length; i++)
                        if (_added[i].Key == month) return _added[i].Value;
                return _capacity != null && _capacity.TryGetValue(month, out var h) ? h : 0m;
            }

            /// <summary>The role with capacity rows (hours per month) added after its own: what the check sums from facts with those rows appended.</summary>
            public RoleBooks Adding(IReadOnlyList<KeyValuePair<DateTime, decimal>> rows)
            {
                // The months the rows touch, summed on from the role's own: the rest is looked up where it was. Summed in
                // one array of the rows' size (a trial's rows are mostly of different months), cut to the months found.
                var added = new KeyValuePair<DateTime, decimal>[rows.Count];
                var count = 0;
                for (var r = 0; r < rows.Count; r++)
                {
                    var month = new DateTime(rows[r].Key.Year, rows[r].Key.Month, 1);
                    var i = count - 1;
                    while (i >= 0 && added[i].Key != month) i--;
                    var before = i >= 0 ? added[i].Value : Capacity(month);
                    var sum = new KeyValuePair<DateTime, decimal>(month, before + Math.Max(0m, rows[r].Value));
                    if (i >= 0) added[i] = sum;
                    else added[count++] = sum;
                }

                if (count < added.Length) Array.Resize(ref added, count);
                return new RoleBooks(Key, Value, Named, _capacity, _other, added);
            }

            /// <summary>The role with <paramref name="hours"/> more allocated to named people: what the check sums from facts with such an allocation appended.</summary>
            public RoleBooks Allocating(decimal hours) => new RoleBooks(Key, Value, Named + Math.Max(0m, hours), _capacity, _other, _added);

            public decimal Other(DateTime month) => _other != null && _other.TryGetValue(month, out var h) ? h : 0m;
        }
    }
}
