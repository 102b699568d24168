using System;
using System.Collections.Generic;

namespace DealRisk.Risk
{
    /// <summary>
    /// Finds, for each finding of a verdict, the smallest concrete change that clears it (<see cref="FindingFix"/>), by
    /// changing the facts and judging the deal again with the same checks: a bisection over a price, a discount, hours or
    /// cost, a scan over dates. Works on the facts already read: no service call. A check may give its own fix
    /// (<see cref="DealCheck.Fix"/>); otherwise the shipped fix for the finding's code applies, if there is one.
    /// </summary>
    public static class RiskFixes
    {
        private delegate FindingFix? Fixer(FixRun run, RiskFinding finding, ISet<string> taken);

        // The shipped fixes by finding code. Each turns one knob of the facts (docs/risk-model.md, "What clears a finding").
        private static readonly IReadOnlyDictionary<string, Fixer> Shipped = new Dictionary<string, Fixer>(StringComparer.Ordinal)
        {
            ["MARGIN_BELOW_FLOOR"] = MarginFixes.BelowTarget,
            ["MARGIN_BELOW_TARGET"] = MarginFixes.BelowTarget,
            ["DISCOUNT_ABOVE_MAX"] = MarginFixes.Discount,
            ["DEAL_DISCOUNT_ABOVE_MAX"] = MarginFixes.DealDiscount,
            ["MARGIN_COST_UNKNOWN"] = MarginFixes.CostUnknown,
            ["MARGIN_PRODUCT_MISSING"] = MarginFixes.CostUnknown,
            ["MARGIN_NO_REVENUE"] = MarginFixes.NoRevenue,
            ["COST_OF_SALE_NEGATIVE"] = MarginFixes.NegativeCostOfSale,
            ["UNQUOTED_EFFORT"] = FitFixes.Unquoted,
            ["EFFORT_NOT_ESTIMATED"] = FitFixes.NotEstimated,
            ["MUST_HAVE_NOT_SUPPORTED"] = FitFixes.NotSupported,
            ["SHOULD_HAVE_NOT_SUPPORTED"] = FitFixes.NotSupported,
            ["MUST_HAVE_UNASSESSED_LATE"] = FitFixes.Unassessed,
            ["ROLE_NOT_ALLOCATED"] = ResourceFixes.NotAllocated,
            ["ROLE_OVER_CAPACITY"] = ResourceFixes.Capacity,
            ["ROLE_NEAR_CAPACITY"] = ResourceFixes.Capacity,
            ["ROLE_NO_CAPACITY"] = ResourceFixes.Capacity,
            ["NO_CLOSE_DATE"] = ResourceFixes.NoCloseDate,
            ["CLOSE_DATE_SLIPPED"] = ForecastFixes.AgesOut,
            ["CLOSE_DATE_SLIPS"] = ForecastFixes.AgesOut,
            ["AMOUNT_DROPPED"] = ForecastFixes.AgesOut,
            ["MARGIN_DROPPED"] = ForecastFixes.AgesOut,
            ["STAGE_MOVED_BACK"] = ForecastFixes.AgesOut,
            ["FORECAST_DOWNGRADED"] = ForecastFixes.AgesOut,
            ["PROBABILITY_CUT"] = ForecastFixes.AgesOut,
        };

        /// <summary>The finding codes that have a shipped fix.</summary>
        public static IEnumerable<string> ShippedCodes => Shipped.Keys;

        /// <summary>
        /// Sets <see cref="RiskFinding.Fix"/> on every finding of <paramref name="assessment"/> that has one, and returns how many
        /// times the deal was judged again to find them. Closed deals and findings of a check that could not be judged get none.
        /// </summary>
        public static int Attach(RiskAssessment assessment, DealFacts facts, RiskPolicy policy, IReadOnlyList<DealCheck> checks) =>
            AttachFixes(assessment, facts, policy, checks, exhaustive: false);

        /// <summary>
        /// <see cref="Attach"/> the slow way: every step of every search judged by all the checks, none skipped or worked out
        /// from the figures. The same fixes; the reference the quick searches are tested against.
        /// </summary>
        public static int AttachExhaustive(RiskAssessment assessment, DealFacts facts, RiskPolicy policy, IReadOnlyList<DealCheck> checks) =>
            AttachFixes(assessment, facts, policy, checks, exhaustive: true);

        private static int AttachFixes(RiskAssessment assessment, DealFacts facts, RiskPolicy policy, IReadOnlyList<DealCheck> checks, bool exhaustive)
        {
            if (assessment == null) throw new ArgumentNullException(nameof(assessment));
            if (facts == null) throw new ArgumentNullException(nameof(facts));
            if (policy == null) throw new ArgumentNullException(nameof(policy));
            if (checks == null) throw new ArgumentNullException(nameof(checks));
            if (facts.IsClosed) return 0;

            var run = new FixRun(facts, policy, checks, assessment, exhaustive);
            var taken = new HashSet<string>(StringComparer.Ordinal);
            foreach (var finding in assessment.Findings)
            {
                if (finding.Code.EndsWith("_OUT_OF_RANGE", StringComparison.Ordinal)) continue;
                try
                {
                    var own = CheckNamed(checks, finding.CheckName)?.Fix(run, finding);
                    finding.Fix = own ?? (Shipped.TryGetValue(finding.Code, out var fixer) ? fixer(run, finding, taken) : null);
                }
                catch (OverflowException)
                {
                    // A change that cannot be calculated is no fix to offer; the finding keeps its reason.
                    finding.Fix = null;
                }
            }

            return run.Judgements;
        }

        /// <summary>The first check of the list with that name (a loop: asked once per finding of every deal).</summary>
        private static DealCheck? CheckNamed(IReadOnlyList<DealCheck> checks, string name)
        {
            for (var i = 0; i < checks.Count; i++)
                if (checks[i].Name == name) return checks[i];
            return null;
        }

        /// <summary>
        /// The subject (a line, a requirement, a role) a finding names: the first of <paramref name="candidates"/> not taken by an
        /// earlier finding of the same code whose name the reason carries (and that <paramref name="fits"/> the finding); the key is remembered in <paramref name="taken"/>.
        /// </summary>
        internal static int Subject<T>(RiskFinding finding, IList<T> candidates, Func<T, string> name, ISet<string> taken, Func<string, string>? quote = null, Func<int, bool>? fits = null)
        {
            quote ??= n => "'" + n + "'";
            int Pick(bool byName)
            {
                for (var i = 0; i < candidates.Count; i++)
                {
                    var key = finding.Code + "#" + i;
                    if (taken.Contains(key)) continue;
                    if (byName && finding.Reason.IndexOf(quote(name(candidates[i])), StringComparison.OrdinalIgnoreCase) < 0) continue;
                    if (fits != null && !fits(i)) continue;
                    taken.Add(key);
                    return i;
                }

                return -1;
            }

            var found = Pick(true);
            return found >= 0 ? found : Pick(false);
        }
    }
}
