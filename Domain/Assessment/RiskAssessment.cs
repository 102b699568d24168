using System;
using System.Collections.Generic;

namespace DealRisk.Risk
{
    /// <summary>The verdict on a deal: a level per check, the overall level and score, and the reasons.</summary>
    public sealed class RiskAssessment
    {
        internal RiskAssessment()
        {
        }

        public RiskLevel Margin => LevelOf(RiskCheck.Margin);

        public RiskLevel Resource => LevelOf(RiskCheck.Resource);

        public RiskLevel Fit => LevelOf(RiskCheck.Fit);

        public RiskLevel Forecast => LevelOf(RiskCheck.Forecast);

        /// <summary>The level of every check that ran, in the order they are shown (the shipped four, then the others in list order).</summary>
        public IReadOnlyList<CheckLevel> Checks { get; internal set; } = Array.Empty<CheckLevel>();

        public RiskLevel Overall { get; internal set; }

        /// <summary>0-100, within the band of the overall level: Unknown and Low 0-24, Medium 25-49, High 50-74, Critical 75-100.</summary>
        public int Score { get; internal set; }

        public decimal? MarginAmount { get; internal set; }

        public decimal? MarginPercent { get; internal set; }

        public decimal UnquotedEffortHours { get; internal set; }

        public decimal UnquotedEffortCost { get; internal set; }

        public decimal? PeakUtilisationPercent { get; internal set; }

        public int SlipCount { get; internal set; }

        public int SlipDays { get; internal set; }

        /// <summary>Every finding, worst first.</summary>
        public IReadOnlyList<RiskFinding> Findings { get; internal set; } = Array.Empty<RiskFinding>();

        /// <summary>The forecast changes this save made (to append to the deal's change log).</summary>
        public IReadOnlyList<ForecastChange> NewForecastChanges { get; internal set; } = Array.Empty<ForecastChange>();

        /// <summary>Demand against capacity per role and month over the delivery window.</summary>
        public IReadOnlyList<RoleUtilisation> Utilisation { get; internal set; } = Array.Empty<RoleUtilisation>();

        /// <summary>One line per finding, worst first, e.g. "Critical: Margin 8.2% is below the 15% floor (...)".</summary>
        public string Reasons => Findings.Count == 0 ? "No risk found." : Lines(Findings, false);

        /// <summary>
        /// What clears each finding that has a fix (<see cref="RiskFixes.Attach"/>), one line each in the order of
        /// <see cref="Reasons"/>, e.g. "High: Raise the prices by 4.2% (...) to reach the 25% target."; empty when none has one.
        /// </summary>
        public string Fixes => Lines(Findings, true);

        /// <summary>
        /// "Level: text" per finding (its reason, or its fix's text for those that have one), one a line: the parts joined
        /// once into the text (a verdict's texts are written on every save: no string per line, no growing buffer).
        /// </summary>
        private static string Lines(IReadOnlyList<RiskFinding> findings, bool fixes)
        {
            var parts = new string[4 * findings.Count];
            var n = 0;
            for (var i = 0; i < findings.Count; i++)
            {
                var f = findings[i];
                if (fixes && f.Fix == null) continue;
                if (n > 0) parts[n++] = "\n";
                parts[n++] = f.Level.ToString();
                parts[n++] = ": ";
                parts[n++] = fixes ? f.Fix!.Text : f.Reason;
            }

            return string.Concat(parts);
        }

        /// <summary>The finding codes, sorted and distinct: equal codes mean the same set of findings.</summary>
        public string FindingCodes
        {
            get
            {
                var codes = new List<string>(Findings.Count);
                foreach (var f in Findings)
                    if (!codes.Contains(f.Code)) codes.Add(f.Code);
                codes.Sort(StringComparer.Ordinal);
                return string.Join(",", codes);
            }
        }

        public RiskLevel LevelOf(RiskCheck check) => LevelOf(check.ToString());

        /// <summary>The level a check gave, by its name; Unknown for a check that did not run.</summary>
        public RiskLevel LevelOf(string check)
        {
            for (var i = 0; i < Checks.Count; i++)
                if (Checks[i].Check == check) return Checks[i].Level;
            return RiskLevel.Unknown;
        }
    }
}
