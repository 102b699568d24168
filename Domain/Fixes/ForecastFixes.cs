using System;
using System.Collections.Generic;
using System.Linq;

namespace DealRisk.Risk
{
    /// <summary>
    /// What clears a forecast finding. A forecast change is a fact of the past: nothing on the deal undoes it. The knob is
    /// time: the deal saved again later, with nothing else changed (this save's changes then recorded), judged day by day
    /// until the finding no longer counts; a finding that never ages out (the slips of the deal's life) says so.
    /// </summary>
    internal static class ForecastFixes
    {
        /// <summary>How far ahead the search looks: longer than any look-back a policy sensibly sets.</summary>
        private const int Horizon = 3660;

        public static FindingFix? AgesOut(FixRun run, RiskFinding finding, ISet<string> taken)
        {
            var days = FixRun.Smallest(1, Horizon, n => run.Cleared(run.Judge(f => Later(run, f, n), finding), finding));
            if (days == null)
                return new FindingFix(FixFamilies.Of(finding.Code) == "SLIPS"
                    ? "Nothing single clears it: close-date slips count for the life of the deal; hold the close date so it does not rise."
                    : $"Nothing single clears it: the recorded change counts for the {run.Policy.ForecastLookbackDays}-day look-back.", null, finding.Level);
            var on = Dates.AddDays(run.Facts.Today.Date, (int)days.Value);
            return new FindingFix($"Nothing to change on the deal: a recorded change, it stops counting on {Format.Date(on)} (the {run.Policy.ForecastLookbackDays}-day look-back) if nothing else changes.",
                MarginFixes.Change(f => Later(run, f, days.Value)));
        }

        /// <summary>The deal saved again <paramref name="days"/> days later with nothing changed: what this save recorded is then history.</summary>
        private static DealFacts Later(FixRun run, DealFacts facts, long days)
        {
            var a = run.Assessment;
            facts.Previous = FactsCopy.Of(run.Facts).Current;
            // What the save stored is what the next one compares with.
            facts.Previous.MarginPercent = a.MarginPercent;
            facts.Previous.MarginFromAmount = run.Facts.Lines.Count == 0;
            facts.PriorSlipCount = a.SlipCount;
            facts.PriorSlipDays = a.SlipDays;
            facts.RecordedChanges = facts.RecordedChanges.Concat(a.NewForecastChanges).ToList();
            facts.Today = Dates.AddDays(facts.Today, (int)days);
            return facts;
        }
    }
}
