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

            var assessment = new RiskAssessment();
            var run = new CheckRun(facts, policy, assessment);
            var findings = new List<RiskFinding>();
            var levels = new List<CheckLevel>();
            foreach (var check in checks)
                levels.Add(new CheckLevel(check.Name, Guarded(check, run, findings)));

            var order = levels.Select(l => l.Check).ToList();
            int Rank(string check) => Enum.TryParse<RiskCheck>(check, out var shipped) && shipped.ToString() == check
                ? (int)shipped
                : Enum.GetValues(typeof(RiskCheck)).Length + order.IndexOf(check);
            var sorted = findings
                .OrderByDescending(f => Severity(f.Level))
                .ThenBy(f => Rank(f.CheckName))
                .ThenBy(f => f.Reason, StringComparer.Ordinal)
                .ToList();
            assessment.Checks = levels.OrderBy(l => Rank(l.Check)).ToList();
            assessment.Findings = sorted;
            assessment.Overall = Overall(levels.Select(l => l.Level));
            assessment.Score = Score(assessment.Overall, sorted);
            return assessment;
        }

        /// <summary>
        /// Runs one check. Numbers too large for decimal arithmetic (a typo of twenty digits, an integration
        /// sending garbage) make that check Unknown with one reason, instead of failing the rep's save.
        /// </summary>
        private static RiskLevel Guarded(DealCheck check, CheckRun run, List<RiskFinding> findings)
        {
            var own = new List<RiskFinding>();
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
            var list = levels.ToList();
            var worstKnown = list.Where(l => l != RiskLevel.Unknown).DefaultIfEmpty(RiskLevel.Unknown).Max();
            if (list.Contains(RiskLevel.Unknown) && worstKnown <= RiskLevel.Low) return RiskLevel.Unknown;
            return worstKnown;
        }

        /// <summary>The band floor of the overall level plus points for every finding, kept inside the band.</summary>
        public static int Score(RiskLevel overall, IEnumerable<RiskFinding> findings)
        {
            var floor = BandFloor[overall];
            var ceiling = overall == RiskLevel.Critical ? 100 : overall <= RiskLevel.Low ? 24 : floor + 24;
            var points = findings.Sum(f => Points[f.Level]);
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
