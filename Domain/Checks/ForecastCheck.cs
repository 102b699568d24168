using System;
using System.Collections.Generic;

namespace DealRisk.Risk
{
    /// <summary>
    /// Is the forecast eroding? Compares the values before and after a save (close date pushed out, amount or
    /// margin down, stage back, forecast category down, probability cut). Each change is recorded with its date
    /// (a leading indicator kept in the deal's change log); changes within the policy's look-back window, and
    /// the running count of close-date slips, make the forecast risk.
    /// </summary>
    internal static class ForecastCheck
    {
        private static readonly string[] ForecastNames = { "Omitted", "Pipeline", "Best case", "Committed" };

        public sealed class Result
        {
            public RiskLevel Level { get; set; } = RiskLevel.Low;

            public int SlipCount { get; set; }

            public int SlipDays { get; set; }

            public IList<ForecastChange> NewChanges { get; } = new List<ForecastChange>();
        }

        public static Result Evaluate(DealFacts facts, RiskPolicy policy, decimal? marginPercent, List<RiskFinding> findings)
        {
            var result = new Result { SlipCount = Math.Max(0, facts.PriorSlipCount), SlipDays = Math.Max(0, facts.PriorSlipDays) };
            var today = facts.Today;
            var before = facts.Previous;
            var now = facts.Current;
            if (before != null)
            {
                if (before.CloseDate is DateTime oldClose && now.CloseDate is DateTime newClose && newClose.Date > oldClose.Date)
                {
                    var days = (newClose.Date - oldClose.Date).Days;
                    result.SlipCount = Dates.AddCounts(result.SlipCount, 1);
                    result.SlipDays = Dates.AddCounts(result.SlipDays, days);
                    var level = result.SlipCount >= policy.SlipCriticalCount ? RiskLevel.High : result.SlipCount >= policy.SlipWarningCount ? RiskLevel.Medium : RiskLevel.Low;
                    // A slip is judged by its length and by whether it leaves its quarter (a forecast miss), not only by count.
                    var notes = new List<string> { "+" + Format.Days(days), "slip " + result.SlipCount };
                    if (days > policy.SlipLongDays)
                    {
                        if (level < RiskLevel.Medium) level = RiskLevel.Medium;
                        notes.Add($"longer than {Format.Days(policy.SlipLongDays)}");
                    }

                    if (Quarter(newClose) != Quarter(oldClose))
                    {
                        if (level < policy.SlipOutOfQuarterLevel) level = policy.SlipOutOfQuarterLevel;
                        notes.Add($"out of {QuarterName(oldClose)} into {QuarterName(newClose)}");
                    }

                    result.NewChanges.Add(new ForecastChange(today, "CLOSE_DATE_SLIPPED", level,
                        $"Close date moved from {Format.Date(oldClose)} to {Format.Date(newClose)} ({string.Join("; ", notes)})."));
                }

                if (before.Amount is decimal oldAmount && oldAmount > 0m && now.Amount is decimal newAmount && newAmount < oldAmount)
                {
                    var drop = (oldAmount - newAmount) / oldAmount * 100m;
                    if (drop >= policy.AmountDropWarningPercent)
                        result.NewChanges.Add(new ForecastChange(today, "AMOUNT_DROPPED", drop >= 2 * policy.AmountDropWarningPercent ? RiskLevel.High : RiskLevel.Medium,
                            $"Estimated revenue dropped {Format.Percent(drop)}, from {Format.Amount(oldAmount)} to {Format.Amount(newAmount)}."));
                }

                // A margin estimated from the amount (no lines yet) drops when the first products are added: that is the
                // deal being built, not a forecast change, so only margins on the same basis are compared.
                var limit = facts.StoredMarginPercentLimit;
                if (before.MarginFromAmount == (facts.Lines.Count == 0) &&
                    before.MarginPercent is decimal oldMargin && marginPercent is decimal m && Math.Max(-limit, Math.Min(limit, m)) is var newMargin &&
                    oldMargin - newMargin >= policy.MarginDropWarningPoints)
                    result.NewChanges.Add(new ForecastChange(today, "MARGIN_DROPPED", RiskLevel.Medium,
                        $"Margin dropped from {Format.Percent(oldMargin)} to {Format.Percent(newMargin)}."));

                if (before.SalesStage is int oldStage && now.SalesStage is int newStage && newStage < oldStage)
                    result.NewChanges.Add(new ForecastChange(today, "STAGE_MOVED_BACK", RiskLevel.Medium,
                        $"Sales stage moved back from {FitCheck.StageName(oldStage)} to {FitCheck.StageName(newStage)}."));

                if (before.ForecastRank is int oldRank && now.ForecastRank is int newRank && newRank < oldRank)
                    result.NewChanges.Add(new ForecastChange(today, "FORECAST_DOWNGRADED", oldRank - newRank >= 2 ? RiskLevel.High : RiskLevel.Medium,
                        $"Forecast category downgraded from {ForecastName(oldRank)} to {ForecastName(newRank)}."));

                if (before.Probability is int oldP && now.Probability is int newP && oldP - newP >= policy.ProbabilityCutWarningPoints)
                    result.NewChanges.Add(new ForecastChange(today, "PROBABILITY_CUT", RiskLevel.Medium,
                        $"Probability cut from {oldP}% to {newP}%."));
            }

            // Loops, not queries: the forecast check runs on every judgement of a forecast fix's search over the days ahead.
            var first = findings.Count;
            var since = Dates.AddDays(today.Date, -policy.ForecastLookbackDays);
            var slipNoted = false;
            foreach (var change in facts.RecordedChanges)
                if (change.On >= since) slipNoted |= Add(change, findings);
            foreach (var change in result.NewChanges) slipNoted |= Add(change, findings);

            // Slips are counted for the life of the deal: a deal that slipped three times stays a forecast risk.
            if (result.SlipCount >= policy.SlipWarningCount && !slipNoted)
                findings.Add(new RiskFinding(RiskCheck.Forecast, "CLOSE_DATE_SLIPS", result.SlipCount >= policy.SlipCriticalCount ? RiskLevel.High : RiskLevel.Medium,
                    $"The close date has slipped {result.SlipCount} times ({Format.Days(result.SlipDays)} in all; warning at {policy.SlipWarningCount})."));

            for (var i = first; i < findings.Count; i++)
                if (i == first || findings[i].Level > result.Level) result.Level = findings[i].Level;
            return result;
        }

        /// <summary>Adds the finding of a forecast change; true when it is a slip of at least Medium, which says the slips already.</summary>
        private static bool Add(ForecastChange change, List<RiskFinding> findings)
        {
            findings.Add(new RiskFinding(RiskCheck.Forecast, change.Code, change.Level, $"{Format.Date(change.On)}: {change.Text}"));
            return change.Code == "CLOSE_DATE_SLIPPED" && change.Level >= RiskLevel.Medium;
        }

        /// <summary>The calendar quarter of a date (year × 4 + quarter index).</summary>
        private static int Quarter(DateTime date) => date.Year * 4 + (date.Month - 1) / 3;

        private static string QuarterName(DateTime date) => $"Q{(date.Month - 1) / 3 + 1} {date.Year}";

        private static string ForecastName(int rank) => rank >= 0 && rank < ForecastNames.Length ? ForecastNames[rank] : "category " + rank;
    }
}
