using System;
using System.Collections.Generic;
using System.Linq;

namespace DealRisk.Risk
{
    /// <summary>Judges a deal. Pure: the same facts and policy always give the same assessment.</summary>
    public static class RiskEvaluator
    {
        private static readonly IReadOnlyDictionary<RiskLevel, int> BandFloor = new Dictionary<RiskLevel, int>
        {
            [RiskLevel.Unknown] = 0, [RiskLevel.Low] = 0, [RiskLevel.Medium] = 25, [RiskLevel.High] = 50, [RiskLevel.Critical] = 75,
        };

        private static readonly IReadOnlyDictionary<RiskLevel, int> Points = new Dictionary<RiskLevel, int>
        {
            [RiskLevel.Unknown] = 6, [RiskLevel.Low] = 3, [RiskLevel.Medium] = 8, [RiskLevel.High] = 12, [RiskLevel.Critical] = 16,
        };

        public static RiskAssessment Evaluate(DealFacts facts, RiskPolicy policy) => Evaluate(facts, policy, RiskChecks.Default);

        /// <summary>Judges a deal with the checks of <paramref name="checks"/>, run in that order.</summary>
        public static RiskAssessment Evaluate(DealFacts facts, RiskPolicy policy, IEnumerable<DealCheck> checks)
        {
            if (facts == null) throw new ArgumentNullException(nameof(facts));
            if (policy == null) throw new ArgumentNullException(nameof(policy));
            if (checks == null) throw new ArgumentNullException(nameof(checks));
            return Evaluate(facts, policy, checks, new RiskAssessment());
        }

        /// <summary>
        /// Judges into <paramref name="assessment"/>, which may already hold the figures of checks not in the list (the fix
        /// search's margin trials: the fit check's figure, which no change of price moves).
        /// </summary>
        internal static RiskAssessment Evaluate(DealFacts facts, RiskPolicy policy, IEnumerable<DealCheck> checks, RiskAssessment assessment)
        {
            var run = new CheckRun(facts, policy, assessment);
            var findings = new List<RiskFinding>();
            var levels = new List<CheckLevel>(checks is IReadOnlyCollection<DealCheck> known ? known.Count : 8);
            // One list the checks write into in turn (each sees it empty, as a list of its own): the evaluator runs once per
            // judgement of the fix search, so the lists and queries of the step are most of what judging a deal allocates.
            var own = new List<RiskFinding>();
            foreach (var check in checks)
                levels.Add(new CheckLevel(check.Name, Guarded(check, run, own, findings)));

            // The lists are sorted where they are and become the verdict's: no second list per judgement.
            var ranks = new CheckRanks(levels);
            assessment.Overall = Overall(levels);
            StableSort.InPlace(levels, ranks);
            assessment.Checks = levels;
            StableSort.InPlace(findings, ranks);
            assessment.Findings = findings;
            assessment.Score = Score(assessment.Overall, findings);
            return assessment;
        }

        /// <summary>
        /// The order of the checks in the verdict: the shipped checks in <see cref="RiskCheck"/>'s order, then the others in
        /// the order they ran; findings worst first, then by their check's place, then by reason. Worked out once per check
        /// of a judgement, not once per finding.
        /// </summary>
        private sealed class CheckRanks : IComparer<CheckLevel>, IComparer<RiskFinding>
        {
            // The names a shipped check ranks by: those Enum.TryParse reads back to the same name.
            private static readonly Dictionary<string, int> Shipped = ShippedRanks();

            // The checks in the order they ran, read before the levels are sorted (a check's place after the shipped ones).
            private readonly string[] _ran;

            public CheckRanks(List<CheckLevel> levels)
            {
                _ran = new string[levels.Count];
                for (var i = 0; i < levels.Count; i++) _ran[i] = levels[i].Check;
            }

            public int Of(string check)
            {
                if (Shipped.TryGetValue(check, out var rank)) return rank;
                if (Enum.TryParse<RiskCheck>(check, out var shipped) && shipped.ToString() == check) return (int)shipped;
                var index = Array.IndexOf(_ran, check);
                return Enum.GetValues(typeof(RiskCheck)).Length + index;
            }

            public int Compare(CheckLevel? a, CheckLevel? b) => Of(a!.Check).CompareTo(Of(b!.Check));

            public int Compare(RiskFinding? a, RiskFinding? b)
            {
                var bySeverity = Severity(b!.Level).CompareTo(Severity(a!.Level));
                if (bySeverity != 0) return bySeverity;
                var byCheck = Of(a.CheckName).CompareTo(Of(b.CheckName));
                return byCheck != 0 ? byCheck : StringComparer.Ordinal.Compare(a.Reason, b.Reason);
            }

            private static Dictionary<string, int> ShippedRanks()
            {
                var ranks = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var name in Enum.GetNames(typeof(RiskCheck)))
                    if (Enum.TryParse<RiskCheck>(name, out var shipped) && shipped.ToString() == name) ranks[name] = (int)shipped;
                return ranks;
            }
        }

        /// <summary>
        /// Runs one check. Numbers too large for decimal arithmetic (a typo of twenty digits, an integration
        /// sending garbage) make that check Unknown with one reason, instead of failing the rep's save.
        /// </summary>
        private static RiskLevel Guarded(DealCheck check, CheckRun run, List<RiskFinding> own, List<RiskFinding> findings)
        {
            own.Clear();
            try
            {
                var level = check.Evaluate(run, own);
                findings.AddRange(own);
                return level;
            }
            catch (OverflowException)
            {
                findings.Add(new RiskFinding(check.Name, CodeOf(check.Name) + "_OUT_OF_RANGE", RiskLevel.Unknown,
                    $"{check.Name} cannot be judged: the numbers on this deal are too large to calculate."));
                check.WhenUnknown(run);
                return RiskLevel.Unknown;
            }
        }

        /// <summary>A check's name as a code: upper case, anything but letters and digits as '_' ("Payment terms": PAYMENT_TERMS).</summary>
        private static string CodeOf(string name) => new string(name.Select(c => char.IsLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_').ToArray());

        /// <summary>The worst known level; Unknown when something could not be judged and nothing known is worse than Low.</summary>
        public static RiskLevel Overall(IEnumerable<RiskLevel> levels)
        {
            var worstKnown = RiskLevel.Unknown;
            var anyUnknown = false;
            foreach (var level in levels) Weigh(level, ref worstKnown, ref anyUnknown);
            return anyUnknown && worstKnown <= RiskLevel.Low ? RiskLevel.Unknown : worstKnown;
        }

        private static RiskLevel Overall(List<CheckLevel> levels)
        {
            var worstKnown = RiskLevel.Unknown;
            var anyUnknown = false;
            foreach (var level in levels) Weigh(level.Level, ref worstKnown, ref anyUnknown);
            return anyUnknown && worstKnown <= RiskLevel.Low ? RiskLevel.Unknown : worstKnown;
        }

        private static void Weigh(RiskLevel level, ref RiskLevel worstKnown, ref bool anyUnknown)
        {
            if (level == RiskLevel.Unknown) anyUnknown = true;
            else if (level > worstKnown) worstKnown = level;
        }

        /// <summary>The band floor of the overall level plus points for every finding, kept inside the band.</summary>
        public static int Score(RiskLevel overall, IEnumerable<RiskFinding> findings)
        {
            var floor = BandFloor[overall];
            var ceiling = overall == RiskLevel.Critical ? 100 : overall <= RiskLevel.Low ? 24 : floor + 24;
            var points = 0;
            foreach (var f in findings) points += Points[f.Level];
            return Math.Min(ceiling, floor + points);
        }

        /// <summary>Sort key: Critical first, Unknown between Medium and Low (it needs a look, but is not a known danger).</summary>
        private static int Severity(RiskLevel level) => level switch
        {
            RiskLevel.Critical => 5,
            RiskLevel.High => 4,
            RiskLevel.Medium => 3,
            RiskLevel.Unknown => 2,
            _ => 1,
        };
    }
}
