using System;
using System.Collections.Generic;
using System.Linq;

namespace DealRisk.Risk
{
    /// <summary>
    /// What clears a resource finding. Knobs: hours of a role allocated to a named person or team, capacity of a role in a
    /// month, the close date (which starts the delivery window).
    /// </summary>
    internal static class ResourceFixes
    {
        // The ranges Solution/ declares: an allocation's dr_hours up to 1,000,000 h, a month's capacity up to 100,000,000 h.
        private const long MaxAllocationTenths = 10_000_000;
        private const long MaxCapacityTenths = 1_000_000_000;

        /// <summary>Capacity so large that a month holding it cannot be the one a finding is about: isolates the month searched.</summary>
        private const decimal Unbounded = 1_000_000_000_000m;

        /// <summary>The family of no, near and over capacity (<see cref="FixFamilies"/>).</summary>
        private const string CapacityFamily = "ROLE_CAPACITY";

        /// <summary>How far the close date is searched: a year.</summary>
        private const int Horizon = 366;

        /// <summary>The most close dates one scan of the <see cref="Horizon"/> looks at (<see cref="FixRun.FirstDay"/>): a day a week, then up to six days back.</summary>
        internal const int DaysScanned = (Horizon + 6) / 7 + 6;

        public static FindingFix? NotAllocated(FixRun run, RiskFinding finding, ISet<string> taken)
        {
            var role = Role(run, finding, taken);
            if (role == null) return null;
            var hours = Smallest(run, 1, MaxAllocationTenths, h => ClearedAllocating(run, finding, role, h), () => AllocationSteps(run, role));
            if (hours == null) return new FindingFix($"Nothing single clears it: allocating {role} hours does not.", null, finding.Level);
            return new FindingFix($"Allocate {Format.Hours(hours.Value / 10m)} of {role} to a named person or team.", MarginFixes.Change(Allocate(role, hours.Value)));
        }

        private static Func<DealFacts, DealFacts> Allocate(string role, long tenths) =>
            f => { f.Allocations.Add(new DealAllocation { Role = role, Hours = tenths / 10m, Named = true }); return f; };

        /// <summary>
        /// Whether allocating <paramref name="tenths"/> of an hour of <paramref name="role"/> to a named person clears the
        /// finding: as <see cref="ClearedWith"/>, from the run's books with the role's named hours raised (what the check sums
        /// from facts with that allocation appended), or a judgement where the books cannot stand for one.
        /// </summary>
        private static bool ClearedAllocating(FixRun run, RiskFinding finding, string role, long tenths)
        {
            bool? cleared = null;
            if (Figured(run, finding) && run.Facts.Current.CloseDate is DateTime close && run.ResourceBooks.IndexOf(role) is var i && i >= 0)
            {
                ResourceCheck.RoleBooks? allocated;
                try
                {
                    allocated = run.ResourceBooks.Roles[i].Allocating(tenths / 10m);
                }
                catch (OverflowException)
                {
                    // Named hours too large to add: the judgement's sum overflows in the check, which then reads Unknown.
                    allocated = null;
                }

                if (allocated != null) cleared = ClearedBy(run, finding, close, i, allocated);
            }

            return cleared ?? run.Cleared(run.Judge(Allocate(role, tenths), finding), finding);
        }

        public static FindingFix? Capacity(FixRun run, RiskFinding finding, ISet<string> taken)
        {
            var role = Role(run, finding, taken);
            if (role == null) return null;
            var months = MonthsOf(run, role);
            if (months.Count == 0) return null;

            // Month by month: with every other month of the window unbounded, the finding depends on this month alone, so the
            // smallest capacity that clears it there is what this month needs.
            var added = new List<KeyValuePair<DateTime, long>>();
            // Every trial's rows, written over for the next: a trial reads them (or a judgement copies them into the facts) and keeps none.
            var rows = new List<KeyValuePair<DateTime, decimal>>(months.Count);
            foreach (var month in months)
            {
                List<KeyValuePair<DateTime, decimal>> Isolated(long tenths)
                {
                    rows.Clear();
                    foreach (var m in months)
                        if (m != month) rows.Add(new KeyValuePair<DateTime, decimal>(m, Unbounded));
                    if (tenths > 0) rows.Add(new KeyValuePair<DateTime, decimal>(month, tenths / 10m));
                    return rows;
                }

                if (ClearedWith(run, finding, role, Isolated(0))) continue;
                var need = Smallest(run, 1, MaxCapacityTenths, c => ClearedWith(run, finding, role, Isolated(c)), () => CapacitySteps(run, role, month));
                if (need == null) { added.Clear(); break; }
                added.Add(new KeyValuePair<DateTime, long>(month, need.Value));
            }

            var hours = added.Select(a => new KeyValuePair<DateTime, decimal>(a.Key, a.Value / 10m)).ToList();
            var addCapacity = AddCapacity(role, hours);
            var fits = added.Count > 0 && ClearedWith(run, finding, role, hours);
            var closeOn = CloseDateThatClears(run, finding);
            var later = closeOn is DateTime d ? $"close on {Format.Date(d)}, when it fits (a slip of the close date)" : null;
            if (fits)
            {
                var list = string.Join(", ", added.Select(a => $"{Format.Hours(a.Value / 10m)} in {Format.Month(a.Key)}"));
                var text = $"Find more {role} capacity: {list} (or move as much of the work out of {(added.Count == 1 ? "that month" : "those months")})";
                return new FindingFix(text + (later != null ? "; or " + later : "") + ".", MarginFixes.Change(addCapacity));
            }

            if (closeOn is DateTime close) return new FindingFix(Format.Capital(later!) + ".", MarginFixes.Change(f => Close(f, close)));
            return new FindingFix($"Nothing single clears it: no added {role} capacity and no close date within a year does.", null, finding.Level);
        }

        public static FindingFix? NoCloseDate(FixRun run, RiskFinding finding, ISet<string> taken)
        {
            var from = Dates.AddDays(run.Facts.Today.Date, 1);
            var free = FlaggedThroughout(run, finding, from) > 0 ? null : FixRun.FirstDay(from, Horizon, d => (Measured(run, finding, d)?.Level ?? run.Judge(f => Close(f, d), finding).LevelOf(finding.CheckName)) == RiskLevel.Low);
            if (free is DateTime day)
                return new FindingFix($"Set the estimated close date: from {Format.Date(day)} the delivery fits the capacity and allocations.", MarginFixes.Change(f => Close(f, day)));
            return run.Cleared(run.Judge(f => Close(f, from), finding), finding)
                ? new FindingFix("Set the estimated close date (no date within a year leaves the delivery free of risk).", MarginFixes.Change(f => Close(f, from)))
                : null;
        }

        /// <summary>The first close date after today and after the current one, within a year, at which the finding clears.</summary>
        private static DateTime? CloseDateThatClears(FixRun run, RiskFinding finding)
        {
            var today = run.Facts.Today.Date;
            var start = run.Facts.Current.CloseDate is DateTime c && c.Date > today ? c.Date : today;
            var before = FixRun.Count(run.Assessment, finding);
            var first = Dates.AddDays(start, 1);
            if (FlaggedThroughout(run, finding, first) >= before) return null;
            // A day on which the check's own figures show as many findings of the kind as now cannot clear it (the first thing
            // Cleared asks): only the days that pass that are judged, with the sentences.
            bool Possible(DateTime d) => Measured(run, finding, d) is not { } measured || CountIn(measured, finding) < before;
            return FixRun.FirstDay(first, Horizon, d => Possible(d) && ClearedOn(run, finding, d));
        }

        /// <summary>
        /// How many roles keep a capacity finding whatever the close date within the year searched from <paramref name="first"/>
        /// (<see cref="ResourceCheck.FlaggedThroughout"/>): when that is as many as now, no close date clears one and no day
        /// need be looked at. 0 where the figures cannot stand for the check.
        /// </summary>
        private static int FlaggedThroughout(FixRun run, RiskFinding finding, DateTime first)
        {
            if (!run.ShippedResourceCheck || finding.CheckName != nameof(RiskCheck.Resource)) return 0;
            try
            {
                return ResourceCheck.FlaggedThroughout(run.ResourceBooks, first, Dates.AddDays(first, Horizon - 1), run.Policy);
            }
            catch (OverflowException)
            {
                return 0;
            }
        }

        /// <summary>
        /// Whether adding capacity of <paramref name="role"/> (hours per month, each a row after the deal's own) clears the
        /// finding: the resource check's verdict from the run's books with the rows added (no copy of the facts, no other
        /// check run: the finding is the resource check's alone), or a judgement where the books cannot stand for one. The
        /// count of capacity findings comes from weighing that role again (<see cref="ResourceCheck.CapacityTrials"/>): the
        /// other roles' findings do not move with its capacity.
        /// </summary>
        private static bool ClearedWith(FixRun run, RiskFinding finding, string role, IReadOnlyList<KeyValuePair<DateTime, decimal>> rows)
        {
            bool? cleared = null;
            if (Figured(run, finding) && run.Facts.Current.CloseDate is DateTime close && run.ResourceBooks.IndexOf(role) is var i && i >= 0)
            {
                // Added before the count is guarded, as ever: capacity too large to add fails the fix, not just the count.
                var changed = run.ResourceBooks.Roles[i].Adding(rows);
                cleared = ClearedBy(run, finding, close, i, changed, capacityOnly: true);
            }

            return cleared ?? run.Cleared(run.Judge(AddCapacity(role, rows), finding), finding);
        }

        /// <summary>Whether closing on <paramref name="day"/> clears the finding: as <see cref="ClearedWith"/>, with the close date moved.</summary>
        private static bool ClearedOn(FixRun run, RiskFinding finding, DateTime day) =>
            (Figured(run, finding) ? ClearedBy(run, finding, day) : null)
            ?? run.Cleared(run.Judge(f => Close(f, day), finding), finding);

        /// <summary>True where the resource check's figures can stand for a judgement: the run's check is the shipped one, in the quick search.</summary>
        private static bool Figured(FixRun run, RiskFinding finding) => run.ShippedResourceCheck && finding.CheckName == nameof(RiskCheck.Resource);

        /// <summary>
        /// Whether the shipped resource check, on the run's books closing on <paramref name="closeDate"/> (with the role at
        /// <paramref name="index"/> replaced by <paramref name="changed"/> when given), no longer holds the finding
        /// (<see cref="FixRun.Cleared"/>; a judgement of that check, counted as one): first by the findings of its kind the
        /// change leaves (as many as now: not cleared), then with its sentences. A change of <paramref name="capacityOnly"/>
        /// (the role's capacity at the deal's close date, its hours and named allocations as they were) moves that role's
        /// capacity findings alone, so it is counted and written by weighing that role again
        /// (<see cref="ResourceCheck.CapacityTrials"/>); another change is counted by the check's counts of the changed books,
        /// a moved close date by the figures measured once per day (<see cref="Measured"/>). Null where it cannot stand for a
        /// judgement: numbers too large to calculate. No delegate or copy is made before the count rules a trial out: the
        /// search asks this of every capacity, allocation and day it tries.
        /// </summary>
        private static bool? ClearedBy(FixRun run, RiskFinding finding, DateTime closeDate, int index = -1, ResourceCheck.RoleBooks? changed = null, bool capacityOnly = false)
        {
            try
            {
                var books = run.ResourceBooks;
                int? count;
                if (changed == null) count = Measured(run, finding, closeDate) is { } measured ? CountIn(measured, finding) : null;
                else if (capacityOnly && FixFamilies.Of(finding.Code) == CapacityFamily) count = run.ResourceTrials.CapacityFindingsWith(index, changed);
                else count = CountIn(ResourceCheck.Count(books.With(index, changed), closeDate, run.Policy, run.ResourceWindow), finding);
                if (count is not int after) return null;
                run.Counted();
                if (after >= FixRun.Count(run.Assessment, finding)) return false;
                var findings = run.TrialFindings();
                if (changed != null && capacityOnly) run.ResourceTrials.FindingsWith(index, changed, findings);
                else ResourceCheck.Evaluate(changed == null ? books : books.With(index, changed), closeDate, run.Policy, findings, rows: false);
                return FixRun.ClearsFindings(run.Assessment.Findings, findings, finding);
            }
            catch (OverflowException)
            {
                return null;
            }
        }

        private static Func<DealFacts, DealFacts> AddCapacity(string role, IReadOnlyList<KeyValuePair<DateTime, decimal>> rows) => f =>
        {
            foreach (var row in rows) f.Capacity.Add(new RoleCapacity(role, row.Key, row.Value));
            return f;
        };

        /// <summary>
        /// The resource check's findings (counts by kind and their level, no sentences) had the deal closed on
        /// <paramref name="day"/>, from the facts summed once; null where they cannot stand for a judgement (the run's
        /// resource check is not the shipped one, the reference search, or numbers too large to calculate): judge then.
        /// </summary>
        private static ResourceCheck.Tally? Measured(FixRun run, RiskFinding finding, DateTime day)
        {
            if (!run.ShippedResourceCheck || finding.CheckName != nameof(RiskCheck.Resource)) return null;
            if (run.ResourceMeasures.TryGetValue(day, out var known)) return known;
            ResourceCheck.Tally? measure;
            try
            {
                measure = ResourceCheck.Count(run.ResourceBooks, day, run.Policy, run.ResourceWindow);
            }
            catch (OverflowException)
            {
                measure = null;
            }

            run.ResourceMeasures.Add(day, measure);
            return measure;
        }

        /// <summary>The bisection, or in the quick search the same answer from the steps where the figures say the answer can turn.</summary>
        private static long? Smallest(FixRun run, long lo, long hi, Func<long, bool> ok, Func<IReadOnlyList<long>> steps)
        {
            if (run.Exhaustive) return FixRun.Smallest(lo, hi, ok);
            IReadOnlyList<long> found;
            try
            {
                found = steps();
            }
            catch (OverflowException)
            {
                found = Array.Empty<long>();
            }

            return FixRun.Smallest(lo, hi, ok, found);
        }

        /// <summary>Where allocating named hours of <paramref name="role"/> can turn the finding: when they cover the role's demand.</summary>
        private static IReadOnlyList<long> AllocationSteps(FixRun run, string role)
        {
            var steps = new List<long>(1);
            foreach (var demand in run.ResourceBooks.Roles)
                if (Same(demand.Key, role) && FixRun.Smallest(1, MaxAllocationTenths, h => demand.Named + h / 10m >= demand.Value) is long h)
                    steps.Add(h);
            return steps;
        }

        /// <summary>
        /// Where adding capacity of <paramref name="role"/> in <paramref name="month"/> alone can turn the finding: when that
        /// month's utilisation (the check's own figure, with the capacity added) falls to the limit and to the warning level.
        /// </summary>
        private static IReadOnlyList<long> CapacitySteps(FixRun run, string role, DateTime month)
        {
            var steps = new List<long>(2);
            foreach (var u in run.Assessment.Utilisation)
            {
                if (u.Month != month || !Same(u.Role, role)) continue;
                var limit = run.Policy.UtilisationCriticalPercent;
                if (Within(u, limit) is long belowLimit) steps.Add(belowLimit);
                if (Within(u, Math.Min(run.Policy.UtilisationWarningPercent, limit)) is long belowWarning) steps.Add(belowWarning);
            }

            return steps;
        }

        /// <summary>
        /// The least capacity (tenths of an hour) added to <paramref name="u"/>'s month that brings its utilisation, as the check
        /// shows it, to <paramref name="percent"/> or below: from the figures (demand over capacity at the rounding's edge),
        /// then moved a tenth at a time to where the shown figure turns, or by bisection where that is far.
        /// </summary>
        private static long? Within(RoleUtilisation u, decimal percent)
        {
            bool Ok(long tenths) => RoleUtilisation.PercentOf(u.DealHours, u.OtherHours, u.CapacityHours + tenths / 10m) <= percent;
            if (!Ok(MaxCapacityTenths)) return null;
            if (percent + 0.05m > 0m)
            {
                var guess = ((u.DealHours + u.OtherHours) * 100m / (percent + 0.05m) - u.CapacityHours) * 10m;
                var x = (long)Math.Max(1m, Math.Min(MaxCapacityTenths, decimal.Ceiling(guess)));
                for (var i = 0; i < 16 && x < MaxCapacityTenths && !Ok(x); i++) x++;
                for (var i = 0; i < 16 && x > 1 && Ok(x - 1); i++) x--;
                if (Ok(x) && (x == 1 || !Ok(x - 1))) return x;
            }

            return FixRun.Smallest(1, MaxCapacityTenths, Ok);
        }

        private static DealFacts Close(DealFacts facts, DateTime day)
        {
            facts.Current.CloseDate = day;
            return facts;
        }

        /// <summary>The role a finding is about: the role of the deal's work its reason names (the longest such name first, so
        /// "Solution Architect" wins over "Architect"); the list is the same for every finding, so a role taken stays taken.</summary>
        private static string? Role(FixRun run, RiskFinding finding, ISet<string> taken)
        {
            var roles = run.ResourceRoles;
            var i = RiskFixes.Subject(finding, roles, r => r, taken, r => r);
            return i < 0 ? null : roles[i];
        }

        /// <summary>The roles a resource finding can name, in the order <see cref="Role"/> tries them (<see cref="FixRun.ResourceRoles"/>).</summary>
        internal static List<string> Roles(DealFacts facts, RiskAssessment assessment) =>
            facts.Requirements.Select(r => r.Role).Concat(facts.Lines.Select(l => l.DeliveryRole))
                .Concat(assessment.Utilisation.Select(u => u.Role))
                .Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r!.Trim()).Distinct(StringComparer.OrdinalIgnoreCase)
                .OrderByDescending(r => r.Length).ThenBy(r => r, StringComparer.OrdinalIgnoreCase).ToList();

        /// <summary>The months of the verdict's utilisation of <paramref name="role"/>, each once, in order.</summary>
        private static List<DateTime> MonthsOf(FixRun run, string role)
        {
            var months = new List<DateTime>();
            foreach (var u in run.Assessment.Utilisation)
                if (Same(u.Role, role) && !months.Contains(u.Month)) months.Add(u.Month);
            months.Sort();
            return months;
        }

        /// <summary>
        /// How many findings of <paramref name="finding"/>'s kind (its code, or a code of its family: no, near and over
        /// capacity) the resource check's counts hold: <see cref="FixRun.Count(RiskAssessment, RiskFinding, RiskLevel?)"/>
        /// of the findings they stand for, the finding being the resource check's.
        /// </summary>
        private static int CountIn(ResourceCheck.Tally tally, RiskFinding finding) => FixFamilies.Of(finding.Code) switch
        {
            CapacityFamily => tally.Capacity,
            "ROLE_NOT_ALLOCATED" => tally.NotAllocated,
            "NO_CLOSE_DATE" => tally.NoCloseDate,
            _ => 0,
        };

        private static bool Same(string a, string b) => string.Equals(a?.Trim(), b?.Trim(), StringComparison.OrdinalIgnoreCase);
    }
}
