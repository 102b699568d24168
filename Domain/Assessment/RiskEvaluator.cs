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

        public static RiskAssessment Evaluate(DealFacts facts, RiskPolicy policy)
        {
            if (facts == null) throw new ArgumentNullException(nameof(facts));
            if (policy == null) throw new ArgumentNullException(nameof(policy));

            var findings = new List<RiskFinding>();
            var fit = Guarded(RiskCheck.Fit, findings, f => FitCheck.Evaluate(facts, policy, f), () => new FitCheck.Result { Level = RiskLevel.Unknown });
            var margin = Guarded(RiskCheck.Margin, findings, f => MarginCheck.Evaluate(facts, policy, fit.UnquotedCost, f), () => new MarginCheck.Result { Level = RiskLevel.Unknown });
            var resource = Guarded(RiskCheck.Resource, findings, f => ResourceCheck.Evaluate(facts, policy, f), () => new ResourceCheck.Result { Level = RiskLevel.Unknown });
            var forecast = Guarded(RiskCheck.Forecast, findings, f => ForecastCheck.Evaluate(facts, policy, margin.Percent, f),
                () => new ForecastCheck.Result { Level = RiskLevel.Unknown, SlipCount = Math.Max(0, facts.PriorSlipCount), SlipDays = Math.Max(0, facts.PriorSlipDays) });

            var sorted = findings
                .OrderByDescending(f => Severity(f.Level))
                .ThenBy(f => f.Check)
                .ThenBy(f => f.Reason, StringComparer.Ordinal)
                .ToList();
            var assessment = new RiskAssessment(sorted)
            {
                Margin = margin.Level,
                Resource = resource.Level,
                Fit = fit.Level,
                Forecast = forecast.Level,
                MarginAmount = margin.Amount,
                MarginPercent = margin.Percent,
                UnquotedEffortHours = fit.UnquotedHours,
                UnquotedEffortCost = fit.UnquotedCost,
                PeakUtilisationPercent = resource.PeakUtilisationPercent,
                SlipCount = forecast.SlipCount,
                SlipDays = forecast.SlipDays,
                NewForecastChanges = forecast.NewChanges.ToList(),
                Utilisation = resource.Utilisation.ToList(),
            };
            assessment.Overall = Overall(new[] { margin.Level, resource.Level, fit.Level, forecast.Level });
            assessment.Score = Score(assessment.Overall, sorted);
            return assessment;
        }

        /// <summary>
        /// Runs one check. Numbers too large for decimal arithmetic (a typo of twenty digits, an integration
        /// sending garbage) make that check Unknown with one reason, instead of failing the rep's save.
        /// </summary>
        private static T Guarded<T>(RiskCheck check, List<RiskFinding> findings, Func<List<RiskFinding>, T> run, Func<T> unknown)
        {
            var own = new List<RiskFinding>();
            try
            {
                var result = run(own);
                findings.AddRange(own);
                return result;
            }
            catch (OverflowException)
            {
                findings.Add(new RiskFinding(check, check.ToString().ToUpperInvariant() + "_OUT_OF_RANGE", RiskLevel.Unknown,
                    $"{check} cannot be judged: the numbers on this deal are too large to calculate."));
                return unknown();
            }
        }

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
