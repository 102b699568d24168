using System;
using System.Collections.Generic;
using System.Linq;

namespace DealRisk.Risk
{
    /// <summary>
    /// What a fix is searched from: the facts as judged, the policy, the checks and their verdict, and the means to judge a
    /// changed deal again with the same checks. A fix is always a change of facts judged by the checks themselves.
    /// </summary>
    public sealed class FixRun
    {
        // The shipped checks that read only the facts (no figure of a check before them): judged alone for their own findings.
        private static readonly HashSet<DealCheck> Standalone = new HashSet<DealCheck>(
            RiskChecks.Default.Where(c => c.Name == nameof(RiskCheck.Fit) || c.Name == nameof(RiskCheck.Resource) || c is StageGateCheck));

        private static readonly DealCheck ShippedFit = RiskChecks.Default.First(c => c.Name == nameof(RiskCheck.Fit));

        private static readonly DealCheck ShippedMarginCheck = RiskChecks.Default.First(c => c.Name == nameof(RiskCheck.Margin));

        private readonly Dictionary<string, IReadOnlyList<DealCheck>> _checksFor = new Dictionary<string, IReadOnlyList<DealCheck>>(StringComparer.Ordinal);
        private ResourceCheck.Books? _books;
        private ResourceCheck.CapacityTrials? _trials;
        private Dictionary<DateTime, ResourceCheck.Tally?>? _measures;
        private List<string>? _resourceRoles;
        private List<RiskFinding>? _trialFindings;
        private List<KeyValuePair<DateTime, decimal>>? _resourceWindow;
        private bool? _shippedResourceCheck;
        private IReadOnlyList<DealCheck>? _marginAlone;

        internal FixRun(DealFacts facts, RiskPolicy policy, IReadOnlyList<DealCheck> checks, RiskAssessment assessment, bool exhaustive = false)
        {
            Facts = facts;
            Policy = policy;
            Checks = checks;
            Assessment = assessment;
            Exhaustive = exhaustive;
        }

        public DealFacts Facts { get; }

        public RiskPolicy Policy { get; }

        public IReadOnlyList<DealCheck> Checks { get; }

        /// <summary>The verdict the fixes are for.</summary>
        public RiskAssessment Assessment { get; }

        /// <summary>How many times the search judged a changed deal (the cost of the fixes, in judgements).</summary>
        public int Judgements { get; private set; }

        /// <summary>
        /// True for the reference search (<see cref="RiskFixes.AttachExhaustive"/>): every step judged by all the checks, no
        /// step skipped because the figures already show its answer.
        /// </summary>
        public bool Exhaustive { get; }

        /// <summary>The verdict on <paramref name="changed"/>, by the same checks and policy.</summary>
        public RiskAssessment Judge(DealFacts changed)
        {
            Judgements++;
            return RiskEvaluator.Evaluate(changed, Policy, Checks);
        }

        /// <summary>The verdict once <paramref name="change"/> is made to a copy of the facts.</summary>
        public RiskAssessment Judge(Func<DealFacts, DealFacts> change) => Judge(change(FactsCopy.Of(Facts)));

        /// <summary>
        /// The verdict of the checks that judge <paramref name="finding"/> once <paramref name="change"/> is made: its own check
        /// (named <see cref="RiskFinding.CheckName"/>) and those before it in the list, whose figures it may read, or its check
        /// alone when it is a shipped one that reads only the facts. Enough for <see cref="Cleared"/> and for the level of that
        /// check, which read nothing else; the other checks' findings and levels are not in it.
        /// </summary>
        public RiskAssessment Judge(Func<DealFacts, DealFacts> change, RiskFinding finding)
        {
            if (finding == null) throw new ArgumentNullException(nameof(finding));
            Judgements++;
            return RiskEvaluator.Evaluate(change(FactsCopy.Of(Facts)), Policy, ChecksFor(finding.CheckName));
        }

        /// <summary>
        /// What <see cref="Judge(Func{DealFacts, DealFacts}, RiskFinding)"/> gives for the margin finding
        /// <paramref name="finding"/> once <paramref name="change"/>, a change of the lines, prices, discounts or costs that
        /// leaves the requirements alone, is made: with the shipped checks, the margin check alone, given the unquoted effort
        /// of the run's verdict (the one figure it reads of the fit check before it, worked out from the requirements and the
        /// policy alone). The fit check's findings are not in it; the margin's are those the full judgement gives. The changed
        /// copy shares the facts' lists but the lines (<see cref="FactsCopy.WithOwnLines"/>): the margin check only reads them.
        /// </summary>
        internal RiskAssessment JudgePrices(Func<DealFacts, DealFacts> change, RiskFinding finding)
        {
            if (finding == null) throw new ArgumentNullException(nameof(finding));
            if (finding.CheckName != nameof(RiskCheck.Margin) || MarginAlone is not { } margin) return Judge(change, finding);
            Judgements++;
            var given = new RiskAssessment { UnquotedEffortHours = Assessment.UnquotedEffortHours, UnquotedEffortCost = Assessment.UnquotedEffortCost };
            return RiskEvaluator.Evaluate(change(FactsCopy.WithOwnLines(Facts)), Policy, margin, given);
        }

        /// <summary>
        /// True when <see cref="JudgePrices"/> judges <paramref name="finding"/> with the shipped margin check alone: a trial of
        /// prices may then read that check's figures instead (MarginFixes' price trials).
        /// </summary>
        internal bool JudgesPricesAlone(RiskFinding finding) => finding.CheckName == nameof(RiskCheck.Margin) && MarginAlone != null;

        // The shipped margin check, when the run's checks up to it are the shipped fit and margin checks (null otherwise).
        private IReadOnlyList<DealCheck>? MarginAlone => _marginAlone ??= ShippedMargin();

        private IReadOnlyList<DealCheck>? ShippedMargin()
        {
            if (Exhaustive) return null;
            var upTo = ChecksFor(nameof(RiskCheck.Margin));
            return upTo.Count == 2 && ReferenceEquals(upTo[0], ShippedFit) && ReferenceEquals(upTo[1], ShippedMarginCheck)
                && Checks.Count(c => c.Name == nameof(RiskCheck.Margin)) == 1 ? new[] { upTo[1] } : null;
        }

        private IReadOnlyList<DealCheck> ChecksFor(string checkName)
        {
            if (_checksFor.TryGetValue(checkName, out var checks)) return checks;
            var last = -1;
            for (var i = 0; i < Checks.Count; i++)
                if (Checks[i].Name == checkName) last = i;
            checks = Exhaustive || last < 0 ? Checks
                : Checks.Count(c => c.Name == checkName) == 1 && Standalone.Contains(Checks[last]) ? new[] { Checks[last] }
                : Checks.Take(last + 1).ToList();
            _checksFor.Add(checkName, checks);
            return checks;
        }

        /// <summary>True when the run judges with the shipped resource check (its figures can then rule a change out unjudged).</summary>
        internal bool ShippedResourceCheck => _shippedResourceCheck ??=
            !Exhaustive && Checks.Count(c => c.Name == nameof(RiskCheck.Resource)) == 1 && Standalone.Contains(Checks.First(c => c.Name == nameof(RiskCheck.Resource)));

        /// <summary>Counts a judgement made without <see cref="Judge(DealFacts)"/> (a check's verdict from figures summed once).</summary>
        internal void Counted() => Judgements++;

        /// <summary>The facts summed per role and month for the resource check, once per run.</summary>
        internal ResourceCheck.Books ResourceBooks => _books ??= new ResourceCheck.Books(Facts);

        /// <summary>The run's books weighed role by role at the deal's close date, once per run (every capacity it tries is at that date).</summary>
        internal ResourceCheck.CapacityTrials ResourceTrials => _trials ??= new ResourceCheck.CapacityTrials(ResourceBooks, Facts.Current.CloseDate, Policy);

        /// <summary>
        /// The resource check's figures per close date, measured once per run (each capacity finding scans the same days); made
        /// at the size of one scan of close dates (<see cref="ResourceFixes.DaysScanned"/>), so that it is not grown day by day.
        /// </summary>
        internal Dictionary<DateTime, ResourceCheck.Tally?> ResourceMeasures => _measures ??= new Dictionary<DateTime, ResourceCheck.Tally?>(ResourceFixes.DaysScanned);

        /// <summary>The roles a resource finding can name, once per run: the same list for every finding (<see cref="ResourceFixes.Roles"/>).</summary>
        internal List<string> ResourceRoles => _resourceRoles ??= ResourceFixes.Roles(Facts, Assessment);

        /// <summary>
        /// The months of the delivery window a count of the resource check weighs (<see cref="ResourceCheck.Count"/>), written
        /// over by the next: the search counts a close date after another and keeps none of their windows.
        /// </summary>
        internal List<KeyValuePair<DateTime, decimal>> ResourceWindow => _resourceWindow ??= new List<KeyValuePair<DateTime, decimal>>(4);

        /// <summary>
        /// The list a trial of the resource fix search judges into, emptied for each: a trial reads its findings and keeps none
        /// (one run is one execution, on one thread).
        /// </summary>
        internal List<RiskFinding> TrialFindings()
        {
            _trialFindings ??= new List<RiskFinding>();
            _trialFindings.Clear();
            return _trialFindings;
        }

        /// <summary>
        /// How many findings of <paramref name="finding"/>'s kind (its check, and its code or a code of the same family: the
        /// floor and the target of the margin, over and near capacity) <paramref name="verdict"/> holds above <paramref name="above"/>
        /// (null: at any level).
        /// </summary>
        public static int Count(RiskAssessment verdict, RiskFinding finding, RiskLevel? above = null) => Count(verdict.Findings, finding, above);

        internal static int Count(IReadOnlyList<RiskFinding> findings, RiskFinding finding, RiskLevel? above = null)
        {
            var family = FixFamilies.Of(finding.Code);
            var count = 0;
            for (var i = 0; i < findings.Count; i++)
                if (OfKind(findings[i], finding, family, above)) count++;
            return count;
        }

        /// <summary>Whether <paramref name="f"/> is of <paramref name="finding"/>'s kind (its check, a code of <paramref name="family"/>) above <paramref name="above"/>.</summary>
        private static bool OfKind(RiskFinding f, RiskFinding finding, string family, RiskLevel? above) =>
            f.CheckName == finding.CheckName && FixFamilies.Of(f.Code) == family && (above == null || f.Level > above.Value);

        /// <summary>True when <paramref name="verdict"/>, on changed facts, no longer holds <paramref name="finding"/> of the verdict the fix is for (see <see cref="Clears"/>).</summary>
        public bool Cleared(RiskAssessment verdict, RiskFinding finding, RiskLevel? above = null) => Clears(Assessment, verdict, finding, above);

        /// <summary>
        /// True when <paramref name="after"/> (the verdict on changed facts) no longer holds <paramref name="finding"/> of
        /// <paramref name="before"/>, or holds it only at <paramref name="above"/> or lower: fewer findings of its kind above that
        /// level (a change aims at one subject, a line, a role, a requirement, so the others' findings of the kind stay and one
        /// fewer means this one went); fewer with its very reason (a forecast change keeps its sentence: the newer of two is not
        /// cleared when the older ages out); and no finding of the kind, at its level or worse, that the deal did not have before
        /// (three slips recorded today are not cleared when they age out: the count of slips takes their place).
        /// </summary>
        public static bool Clears(RiskAssessment before, RiskAssessment after, RiskFinding finding, RiskLevel? above = null) =>
            ClearsFindings(before.Findings, after.Findings, finding, above);

        internal static bool ClearsFindings(IReadOnlyList<RiskFinding> beforeFindings, IReadOnlyList<RiskFinding> afterFindings, RiskFinding finding, RiskLevel? above = null)
        {
            // Loops rather than queries: the fix search asks this of every change that passes the counts.
            var family = FixFamilies.Of(finding.Code);
            if (Count(afterFindings, finding, above) >= Count(beforeFindings, finding, above)) return false;
            if (SameReason(afterFindings, finding, family, above) >= Math.Max(1, SameReason(beforeFindings, finding, family, above))) return false;
            HashSet<string>? known = null;
            for (var i = 0; i < afterFindings.Count; i++)
            {
                var f = afterFindings[i];
                if (!OfKind(f, finding, family, above) || f.Level < finding.Level) continue;
                if (known == null)
                {
                    known = new HashSet<string>(StringComparer.Ordinal);
                    for (var j = 0; j < beforeFindings.Count; j++)
                        if (OfKind(beforeFindings[j], finding, family, above)) known.Add(beforeFindings[j].Reason);
                }

                if (!known.Contains(f.Reason)) return false;
            }

            return true;
        }

        private static int SameReason(IReadOnlyList<RiskFinding> findings, RiskFinding finding, string family, RiskLevel? above)
        {
            var count = 0;
            for (var i = 0; i < findings.Count; i++)
                if (OfKind(findings[i], finding, family, above) && findings[i].Reason == finding.Reason) count++;
            return count;
        }

        /// <summary>The smallest n in [lo, hi] for which <paramref name="ok"/> holds, when it holds at hi and stays true above its first true (null when it fails at hi).</summary>
        public static long? Smallest(long lo, long hi, Func<long, bool> ok)
        {
            if (lo > hi || !ok(hi)) return null;
            while (lo < hi)
            {
                var mid = lo + (hi - lo) / 2;
                if (ok(mid)) hi = mid;
                else lo = mid + 1;
            }

            return hi;
        }

        /// <summary>
        /// What <see cref="Smallest(long, long, Func{long, bool})"/> finds, with fewer judgements where <paramref name="ok"/>
        /// can change only at <paramref name="steps"/> (where a figure it depends on crosses a threshold, worked out from the
        /// figures): a step (or lo) at which ok holds and fails just before is where it turns, which is what the bisection
        /// finds of an ok that stays true once true. Where the steps show no such turn, the bisection as before.
        /// </summary>
        public static long? Smallest(long lo, long hi, Func<long, bool> ok, IEnumerable<long> steps)
        {
            if (lo > hi) return null;
            // Each n is asked once (a step, the number below it and the bisection's may meet): a few dozen at most, looked
            // up in a short list rather than a table.
            var known = new List<KeyValuePair<long, bool>>();
            bool Ok(long n)
            {
                foreach (var k in known)
                    if (k.Key == n) return k.Value;
                var v = ok(n);
                known.Add(new KeyValuePair<long, bool>(n, v));
                return v;
            }

            // The steps within (lo, hi] and lo, each once, highest first.
            var order = new List<long> { lo };
            foreach (var s in steps)
                if (s > lo && s <= hi && !order.Contains(s)) order.Add(s);
            order.Sort();
            for (var i = order.Count - 1; i >= 0; i--)
            {
                var step = order[i];
                if (!Ok(step)) break;
                if (step == lo || !Ok(step - 1)) return step;
            }

            return Smallest(lo, hi, Ok);
        }

        /// <summary>The largest n in [lo, hi] for which <paramref name="ok"/> holds, when it holds at lo and stays true below its last true (null when it fails at lo).</summary>
        public static long? Largest(long lo, long hi, Func<long, bool> ok)
        {
            if (lo > hi || !ok(lo)) return null;
            while (lo < hi)
            {
                var mid = hi - (hi - lo) / 2;
                if (ok(mid)) lo = mid;
                else hi = mid - 1;
            }

            return lo;
        }

        /// <summary>
        /// The first day from <paramref name="from"/> on, for at most <paramref name="days"/> days, on which <paramref name="ok"/>
        /// holds, looking a week at a time and then back through the days of the week it found (no order assumed: capacity
        /// differs by month, so a day that fits can follow one that does not; a fit shorter than a week between two looks can be
        /// missed, which only makes the date later, never wrong).
        /// </summary>
        public static DateTime? FirstDay(DateTime from, int days, Func<DateTime, bool> ok, int step = 7)
        {
            var last = from.Date;
            for (var i = 0; i < days; i += step)
            {
                var day = Dates.AddDays(from.Date, Math.Min(i, days - 1));
                if (ok(day))
                {
                    for (var back = last; back < day; back = back.AddDays(1))
                        if (ok(back)) return back;
                    return day;
                }

                if (day.Year == DateTime.MaxValue.Year && day.Month == 12 && day.Day == 31) break;
                last = day.AddDays(1);
            }

            return null;
        }
    }

    /// <summary>Codes that name one finding at different levels, so a change that lowers one to the other is seen as lowering it.</summary>
    internal static class FixFamilies
    {
        public static string Of(string code) => code switch
        {
            "MARGIN_BELOW_FLOOR" or "MARGIN_BELOW_TARGET" => "MARGIN_BELOW",
            "ROLE_OVER_CAPACITY" or "ROLE_NEAR_CAPACITY" or "ROLE_NO_CAPACITY" => "ROLE_CAPACITY",
            "MUST_HAVE_NOT_SUPPORTED" or "SHOULD_HAVE_NOT_SUPPORTED" => "NOT_SUPPORTED",
            "CLOSE_DATE_SLIPPED" or "CLOSE_DATE_SLIPS" => "SLIPS",
            _ => code,
        };
    }
}
