using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DealRisk.Cli.Reporting
{
    /// <summary>
    /// A closed deal as the analysis sees it. <paramref name="Revenue"/> is the actual revenue of a won deal and the
    /// estimated value of a lost one; <paramref name="HasHistory"/> is false for a deal closed before the suite was
    /// installed (no close row in the risk history): it is counted and labelled, never dropped.
    /// </summary>
    public sealed record ClosedDeal(string Name, bool Won, decimal Revenue, decimal? MarginPercentAtClose, int? RiskScore, string? OverallAtClose,
        IReadOnlyCollection<string> FindingsEverCarried, DateTime ClosedOn, bool HasHistory = true, bool Reopened = false)
    {
        /// <summary>Close-date slips the deal had when it closed (the verdict of a closed deal is kept as it was).</summary>
        public decimal? SlipCount { get; init; }

        /// <summary>Unquoted effort hours at close.</summary>
        public decimal? UnquotedHours { get; init; }

        /// <summary>Peak utilisation % of the delivery roles at close.</summary>
        public decimal? PeakUtilisation { get; init; }

        /// <summary>The deal's owner (the rep) and their manager, for the coaching figures (null when unknown).</summary>
        public string? Owner { get; init; }

        public string? OwnerManager { get; init; }
    }

    /// <summary>An alert and what became of it: the recipient's response and how the deal ended (null: still open).</summary>
    public sealed record AlertFollowThrough(string Manager, bool ManagerLeft, DateTime RaisedOn, DateTime? AcknowledgedOn, DateTime? ResolvedOn, int EscalationLevel,
        string? Response, bool? DealWon);

    public sealed record OutcomeFigures(string Period, int Closed, int Won, int Lost, decimal WonRevenue, decimal LostValue, decimal? RealisedMarginPercent, int ClosedWithoutHistory, int Reopened);

    public sealed record GroupFigures(string Dimension, string Group, int Won, int Lost, decimal LostValue, decimal? RealisedMarginPercent);

    public sealed record BandFigures(string Measure, string Band, int Won, int Lost, decimal? RealisedMarginPercent, decimal? Current);

    public sealed record ManagerFigures(string Manager, int Received, int Acknowledged, int Resolved, int Escalated, double? MedianHoursToAcknowledge,
        IReadOnlyDictionary<string, int> ActionsByKind, int ActedOnWon, int ActedOnLost, int IgnoredWon, int IgnoredLost, bool LeftCompany);

    /// <summary>
    /// A numeric threshold of the policy the analysis checks against closed deals: the measure of a deal
    /// (<paramref name="Value"/>, default the margin % at close), whether a higher value is the risky side (slips,
    /// unquoted hours, utilisation) or a lower one (margin), the step of the bands around it and the unit it is written in.
    /// </summary>
    public sealed record PolicyThreshold(string Name, string Measure, decimal Current, Func<ClosedDeal, decimal?>? Value = null, bool HigherIsWorse = false, decimal Step = 5m, string Unit = "%")
    {
        public decimal? Of(ClosedDeal deal) => (Value ?? (d => d.MarginPercentAtClose))(deal);

        /// <summary>Whether the value is on the risky side of <paramref name="threshold"/>.</summary>
        public bool Risky(decimal value, decimal threshold) => HigherIsWorse ? value >= threshold : value < threshold;

        public string Format(decimal value) => value.ToString("0.#", CultureInfo.InvariantCulture) + Unit;

        public string RiskySide(decimal threshold) => HigherIsWorse ? $"at or above {Format(threshold)}" : $"below {Format(threshold)}";

        public string SafeSide(decimal threshold) => HigherIsWorse ? $"below {Format(threshold)}" : $"at or above {Format(threshold)}";
    }

    /// <summary>
    /// What the risk history tells leaders, from their own data: win rate, value lost and realised margin by the risk a
    /// deal carried at close and by finding; whether each margin threshold separates won from lost deals (with a
    /// suggestion, never a change); and what managers did with their alerts. Every figure carries its count; groups
    /// under <see cref="SmallSample"/> deals are small samples and make no claim. Plain C#, no SDK types.
    /// </summary>
    public static class OutcomeAnalysis
    {
        public const int SmallSample = 5;

        public static OutcomeFigures Summary(IReadOnlyCollection<ClosedDeal> deals)
        {
            var period = deals.Count == 0 ? "no closed deals" : $"{deals.Min(d => d.ClosedOn):yyyy-MM-dd} to {deals.Max(d => d.ClosedOn):yyyy-MM-dd}";
            return new OutcomeFigures(period, deals.Count, deals.Count(d => d.Won), deals.Count(d => !d.Won), deals.Where(d => d.Won).Sum(d => d.Revenue),
                deals.Where(d => !d.Won).Sum(d => d.Revenue), RealisedMargin(deals), deals.Count(d => !d.HasHistory), deals.Count(d => d.Reopened));
        }

        /// <summary>By overall risk at close, then by finding (and deals with none): worst loss rate first within each.</summary>
        public static IReadOnlyList<GroupFigures> Groups(IReadOnlyCollection<ClosedDeal> deals)
        {
            var byLevel = deals.GroupBy(d => d.HasHistory ? d.OverallAtClose ?? "Unknown" : "No history (closed before the suite)")
                .Select(g => Figures("Overall risk at close", g.Key, g.ToList()))
                .OrderBy(g => LevelRank(g.Group));
            // A note (the margin rests on the amount while a deal has no lines) is not a risk: it says nothing about outcomes.
            var byFinding = deals.Where(d => d.HasHistory).SelectMany(d => d.FindingsEverCarried.Where(IsRisk).Distinct().Select(f => (Finding: f, Deal: d)))
                .GroupBy(x => x.Finding, StringComparer.Ordinal)
                .Select(g => Figures("Finding", g.Key, g.Select(x => x.Deal).ToList()))
                .ToList();
            var clean = deals.Where(d => d.HasHistory && !d.FindingsEverCarried.Any(IsRisk)).ToList();
            if (clean.Count > 0) byFinding.Add(Figures("Finding", "(no finding)", clean));
            return byLevel.Concat(byFinding.OrderByDescending(g => LossRate(g.Won, g.Lost)).ThenByDescending(g => g.Won + g.Lost).ThenBy(g => g.Group, StringComparer.Ordinal)).ToList();
        }

        /// <summary>Closed deals in bands around each threshold (one step either side), and in bands of risk score.</summary>
        public static IReadOnlyList<BandFigures> Bands(IReadOnlyCollection<ClosedDeal> deals, IEnumerable<PolicyThreshold> thresholds)
        {
            var rows = new List<BandFigures>();
            foreach (var t in thresholds)
            {
                var c = t.Current;
                var low = c - t.Step;
                var high = c + t.Step;
                var bands = new (string Band, Func<decimal, bool> In)[]
                {
                    ($"below {t.Format(low)}", m => m < low),
                    ($"{t.Format(low)} to {t.Format(c)}", m => m >= low && m < c),
                    ($"{t.Format(c)} to {t.Format(high)}", m => m >= c && m < high),
                    ($"{t.Format(high)} and above", m => m >= high),
                };
                foreach (var (band, inBand) in bands)
                {
                    var inIt = deals.Where(d => t.Of(d) is decimal m && inBand(m)).ToList();
                    rows.Add(new BandFigures($"{t.Measure} vs {t.Name}", band, inIt.Count(d => d.Won), inIt.Count(d => !d.Won), RealisedMargin(inIt), c));
                }
            }

            foreach (var (band, from, to) in new[] { ("0-24", 0, 24), ("25-49", 25, 49), ("50-74", 50, 74), ("75-100", 75, 100) })
            {
                var inIt = deals.Where(d => d.RiskScore is int s && s >= from && s <= to).ToList();
                rows.Add(new BandFigures("Risk score at close", band, inIt.Count(d => d.Won), inIt.Count(d => !d.Won), RealisedMargin(inIt), null));
            }

            return rows;
        }

        /// <summary>
        /// For each threshold: does it separate won from lost deals? Compares the loss rate below and at-or-above the
        /// current value and 5 points either side, and suggests the value that separates best. Never changes the policy.
        /// </summary>
        public static IReadOnlyList<(string Threshold, decimal Current, string Suggestion)> Suggestions(IReadOnlyCollection<ClosedDeal> deals, IEnumerable<PolicyThreshold> thresholds)
        {
            var result = new List<(string, decimal, string)>();
            foreach (var t in thresholds)
            {
                var known = deals.Where(d => t.Of(d) != null).ToList();
                (int RiskyLost, int Risky, int SafeLost, int Safe) Split(decimal v) =>
                    (known.Count(d => t.Risky(t.Of(d)!.Value, v) && !d.Won), known.Count(d => t.Risky(t.Of(d)!.Value, v)),
                     known.Count(d => !t.Risky(t.Of(d)!.Value, v) && !d.Won), known.Count(d => !t.Risky(t.Of(d)!.Value, v)));
                var now = Split(t.Current);
                if (now.Risky < SmallSample || now.Safe < SmallSample)
                {
                    result.Add((t.Name, t.Current, $"Too few closed deals to judge the {t.Name} of {t.Format(t.Current)}: {now.Risky} closed {t.RiskySide(t.Current)}, {now.Safe} {t.SafeSide(t.Current)} (at least {SmallSample} each are needed). Keep it and look again later."));
                    continue;
                }

                double Separation((int RiskyLost, int Risky, int SafeLost, int Safe) s) => LossRate(s.Risky - s.RiskyLost, s.RiskyLost) - LossRate(s.Safe - s.SafeLost, s.SafeLost);
                var candidates = new[] { t.Current - t.Step, t.Current, t.Current + t.Step }.Select(v => (Value: v, Split: Split(v)))
                    .Where(c => c.Split.Risky >= SmallSample && c.Split.Safe >= SmallSample).ToList();
                var best = candidates.OrderByDescending(c => Separation(c.Split)).ThenBy(c => Math.Abs(c.Value - t.Current)).First();
                var facts = $"{t.RiskySide(t.Current)} {now.RiskyLost} of {now.Risky} deals were lost ({Rate(now.RiskyLost, now.Risky)}), {t.SafeSide(t.Current)} {now.SafeLost} of {now.Safe} ({Rate(now.SafeLost, now.Safe)})";
                string text;
                if (Separation(now) <= 0.10)
                    text = best.Value != t.Current && Separation(best.Split) > 0.10
                        ? $"The {t.Name} of {t.Format(t.Current)} does not separate won from lost deals: {facts}. At {t.Format(best.Value)} it would ({best.Split.RiskyLost} of {best.Split.Risky} lost {t.RiskySide(best.Value)}, {best.Split.SafeLost} of {best.Split.Safe} {t.SafeSide(best.Value)}): consider {t.Format(best.Value)}."
                        : $"The {t.Name} of {t.Format(t.Current)} does not separate won from lost deals: {facts}. No nearby value does better; review what else the lost deals had in common.";
                else
                    text = best.Value != t.Current && Separation(best.Split) > Separation(now) + 0.10
                        ? $"The {t.Name} of {t.Format(t.Current)} separates ({facts}); {t.Format(best.Value)} would separate more clearly ({best.Split.RiskyLost} of {best.Split.Risky} lost {t.RiskySide(best.Value)}): consider it."
                        : $"The {t.Name} of {t.Format(t.Current)} separates won from lost deals: {facts}. Keep it.";
                result.Add((t.Name, t.Current, text));
            }

            return result;
        }

        public static IReadOnlyList<ManagerFigures> Managers(IEnumerable<AlertFollowThrough> alerts) =>
            alerts.GroupBy(a => a.Manager, StringComparer.Ordinal)
                .Select(g =>
                {
                    var hours = g.Where(a => a.AcknowledgedOn != null).Select(a => (a.AcknowledgedOn!.Value - a.RaisedOn).TotalHours).OrderBy(h => h).ToList();
                    double? median = hours.Count == 0 ? null : hours.Count % 2 == 1 ? hours[hours.Count / 2] : (hours[hours.Count / 2 - 1] + hours[hours.Count / 2]) / 2;
                    var actions = g.Where(a => a.Response != null).GroupBy(a => a.Response!, StringComparer.Ordinal)
                        .OrderBy(x => x.Key, StringComparer.Ordinal).ToDictionary(x => x.Key, x => x.Count(), StringComparer.Ordinal);
                    return new ManagerFigures(g.Key, g.Count(), g.Count(a => a.AcknowledgedOn != null), g.Count(a => a.ResolvedOn != null), g.Count(a => a.EscalationLevel > 0), median, actions,
                        g.Count(a => a.Response != null && a.DealWon == true), g.Count(a => a.Response != null && a.DealWon == false),
                        g.Count(a => a.Response == null && a.DealWon == true), g.Count(a => a.Response == null && a.DealWon == false),
                        g.Any(a => a.ManagerLeft));
                })
                .OrderBy(m => m.Manager, StringComparer.Ordinal).ToList();

        /// <summary>Win rate as "7 of 12 (58.3%)", with its count.</summary>
        public static string WinRate(int won, int closed) => closed == 0 ? "no closed deals" : $"{won} of {closed} ({Rate(won, closed)})";

        /// <summary>Revenue-weighted margin % of the won deals whose margin is known.</summary>
        public static decimal? RealisedMargin(IEnumerable<ClosedDeal> deals)
        {
            var won = deals.Where(d => d.Won && d.MarginPercentAtClose != null && d.Revenue > 0).ToList();
            var revenue = won.Sum(d => d.Revenue);
            return revenue <= 0 ? null : decimal.Round(won.Sum(d => d.Revenue * d.MarginPercentAtClose!.Value) / revenue, 1);
        }

        private static bool IsRisk(string code) => code != DealRisk.Risk.MarginCheck.MarginFromAmount;

        private static GroupFigures Figures(string dimension, string group, IReadOnlyCollection<ClosedDeal> deals) =>
            new(dimension, group, deals.Count(d => d.Won), deals.Count(d => !d.Won), deals.Where(d => !d.Won).Sum(d => d.Revenue), RealisedMargin(deals));

        private static int LevelRank(string level) => level switch
        {
            "Critical" => 0, "High" => 1, "Medium" => 2, "Low" => 3, "Unknown" => 4, _ => 5,
        };

        private static double LossRate(int won, int lost) => won + lost == 0 ? 0 : (double)lost / (won + lost);

        private static string Rate(int part, int whole) => whole == 0 ? "-" : ((decimal)part / whole * 100m).ToString("0.#", CultureInfo.InvariantCulture) + "%";

        private static string P(decimal d) => d.ToString("0.#", CultureInfo.InvariantCulture) + "%";
    }
}
