using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DealRisk.Cli.Reporting
{
    /// <summary>A closed deal as its risk history's close row records it.</summary>
    public sealed record ClosedDeal(string Name, bool Won, IReadOnlyCollection<string> FindingsEverCarried, decimal? MarginPercentAtClose, int? RiskScore);

    /// <summary>An alert and what its recipient did with it.</summary>
    public sealed record AlertFollowThrough(string Manager, DateTime RaisedOn, DateTime? AcknowledgedOn, DateTime? ResolvedOn, int EscalationLevel);

    /// <summary>
    /// What the risk history tells leaders: which findings preceded lost deals, whether the thresholds separate
    /// deals that were won from deals that were lost, and what managers did with their alerts. Plain C#, no SDK types.
    /// </summary>
    public static class OutcomeAnalysis
    {
        /// <summary>Per finding code: how many closed deals that carried it were won and lost; worst loss rate first.</summary>
        public static IReadOnlyList<(string Finding, int Won, int Lost)> FindingOutcomes(IEnumerable<ClosedDeal> deals)
        {
            var list = deals.ToList();
            var rows = list.SelectMany(d => d.FindingsEverCarried.Distinct().Select(f => (Finding: f, d.Won)))
                .GroupBy(x => x.Finding, StringComparer.Ordinal)
                .Select(g => (Finding: g.Key, Won: g.Count(x => x.Won), Lost: g.Count(x => !x.Won)))
                .ToList();
            var clean = list.Where(d => d.FindingsEverCarried.Count == 0).ToList();
            if (clean.Count > 0) rows.Add(("(no finding)", clean.Count(d => d.Won), clean.Count(d => !d.Won)));
            return rows.OrderByDescending(r => LossRate(r.Won, r.Lost)).ThenByDescending(r => r.Won + r.Lost).ThenBy(r => r.Finding, StringComparer.Ordinal).ToList();
        }

        /// <summary>
        /// Closed deals per band of margin % at close (around the policy's floors) and of risk score: if the thresholds
        /// separate good deals from bad ones, the bands below the floors lose more often.
        /// </summary>
        public static IReadOnlyList<(string Measure, string Band, int Won, int Lost)> ThresholdBands(IEnumerable<ClosedDeal> deals, decimal marginCriticalPercent, decimal marginWarningPercent)
        {
            var list = deals.ToList();
            var rows = new List<(string, string, int, int)>();
            string P(decimal d) => d.ToString("0.#", CultureInfo.InvariantCulture) + "%";
            var marginBands = new (string Band, Func<decimal?, bool> In)[]
            {
                ($"below {P(marginCriticalPercent)} (critical floor)", m => m < marginCriticalPercent),
                ($"{P(marginCriticalPercent)} to {P(marginWarningPercent)}", m => m >= marginCriticalPercent && m < marginWarningPercent),
                ($"{P(marginWarningPercent)} and above", m => m >= marginWarningPercent),
                ("unknown", m => m == null),
            };
            foreach (var (band, inBand) in marginBands)
            {
                var inIt = list.Where(d => inBand(d.MarginPercentAtClose)).ToList();
                if (inIt.Count > 0) rows.Add(("Margin % at close", band, inIt.Count(d => d.Won), inIt.Count(d => !d.Won)));
            }

            var scoreBands = new (string Band, int From, int To)[] { ("0-24", 0, 24), ("25-49", 25, 49), ("50-74", 50, 74), ("75-100", 75, 100) };
            foreach (var (band, from, to) in scoreBands)
            {
                var inIt = list.Where(d => d.RiskScore is int s && s >= from && s <= to).ToList();
                if (inIt.Count > 0) rows.Add(("Risk score at close", band, inIt.Count(d => d.Won), inIt.Count(d => !d.Won)));
            }

            return rows;
        }

        /// <summary>Per manager: alerts received, acknowledged, resolved, escalated past them, and the median hours to acknowledge.</summary>
        public static IReadOnlyList<(string Manager, int Received, int Acknowledged, int Resolved, int Escalated, double? MedianHoursToAcknowledge)> ManagerActions(IEnumerable<AlertFollowThrough> alerts) =>
            alerts.GroupBy(a => a.Manager, StringComparer.Ordinal)
                .Select(g =>
                {
                    var hours = g.Where(a => a.AcknowledgedOn != null).Select(a => (a.AcknowledgedOn!.Value - a.RaisedOn).TotalHours).OrderBy(h => h).ToList();
                    double? median = hours.Count == 0 ? null : hours.Count % 2 == 1 ? hours[hours.Count / 2] : (hours[hours.Count / 2 - 1] + hours[hours.Count / 2]) / 2;
                    return (g.Key, g.Count(), g.Count(a => a.AcknowledgedOn != null), g.Count(a => a.ResolvedOn != null), g.Count(a => a.EscalationLevel > 0), median);
                })
                .OrderBy(r => r.Key, StringComparer.Ordinal).ToList();

        private static double LossRate(int won, int lost) => won + lost == 0 ? 0 : (double)lost / (won + lost);
    }
}
