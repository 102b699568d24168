using System;
using System.Collections.Generic;

namespace DealRisk.Plugins.Schema
{
    /// <summary>A text column the suite writes, with its MaxLength as Solution/ declares it.</summary>
    public sealed class TextLimit
    {
        public TextLimit(string table, string column, int maxLength)
        {
            Table = table;
            Column = column;
            MaxLength = maxLength;
        }

        public string Table { get; }

        public string Column { get; }

        public int MaxLength { get; }

        /// <summary>
        /// Text for a person, cut to fit: on a character boundary (never between the two halves of a surrogate pair)
        /// and ending with an ellipsis, so a reader sees that something was cut.
        /// </summary>
        public string Fit(string text)
        {
            if (text.Length <= MaxLength) return text;
            var cut = MaxLength - 1;
            if (cut > 0 && char.IsHighSurrogate(text[cut - 1])) cut--;
            return text.Substring(0, cut) + "…";
        }

        /// <summary>A list of codes joined by commas, keeping whole codes only (a cut code would read as another one).</summary>
        public string FitList(IEnumerable<string> items)
        {
            var text = "";
            foreach (var item in items)
            {
                var next = text.Length == 0 ? item : text + "," + item;
                if (next.Length > MaxLength) break;
                text = next;
            }

            return text;
        }

        /// <summary>Lines joined by newlines, dropping the oldest (first) lines until the text fits.</summary>
        public string FitLastLines(IReadOnlyList<string> lines)
        {
            var length = -1;
            var first = lines.Count;
            while (first > 0 && length + 1 + lines[first - 1].Length <= MaxLength)
            {
                length += 1 + lines[first - 1].Length;
                first--;
            }

            var kept = new string[lines.Count - first];
            for (var i = first; i < lines.Count; i++) kept[i - first] = lines[i];
            return string.Join("\n", kept);
        }
    }

    /// <summary>A number column the suite writes, with its range and precision as Solution/ declares them.</summary>
    public sealed class NumberLimit
    {
        public NumberLimit(string table, string column, decimal min, decimal max, int precision = 0)
        {
            Table = table;
            Column = column;
            Min = min;
            Max = max;
            Precision = precision;
        }

        public string Table { get; }

        public string Column { get; }

        public decimal Min { get; }

        public decimal Max { get; }

        /// <summary>Decimal places the column keeps (0 for whole numbers).</summary>
        public int Precision { get; }

        /// <summary>The value held within the column's range and rounded to its precision.</summary>
        public decimal Fit(decimal value) => decimal.Round(Math.Max(Min, Math.Min(Max, value)), Precision);

        public int Fit(int value) => (int)Math.Max(Min, Math.Min(Max, value));
    }

    /// <summary>
    /// The limits of every column the suite writes, in one place: plugins cannot read the solution at run time, so the
    /// values are kept here and a test (ColumnLimitsTests) compares each with Solution/Entities/*/Entity.xml.
    /// Writing past them fails the save in Dataverse (0x80044331 StringLengthTooLong for text).
    /// </summary>
    public static class ColumnLimits
    {
        /// <summary>Dataverse's money range (https://learn.microsoft.com/en-us/power-apps/maker/data-platform/types-of-fields).</summary>
        public const decimal MoneyMax = 922_337_203_685_477m;

        // opportunity: the verdict.
        public static readonly TextLimit OpportunityRiskReasons = new(Opportunity.EntityName, Opportunity.RiskReasons, 4000);
        public static readonly TextLimit OpportunityRiskFindingCodes = new(Opportunity.EntityName, Opportunity.RiskFindingCodes, 1000);
        public static readonly TextLimit OpportunityForecastChangeLog = new(Opportunity.EntityName, Opportunity.ForecastChangeLog, 100000);
        public static readonly TextLimit OpportunityRiskFixes = new(Opportunity.EntityName, Opportunity.RiskFixes, 4000);
        public static readonly TextLimit OpportunityDemandPosted = new(Opportunity.EntityName, Opportunity.DemandPosted, 4000);
        public static readonly TextLimit OpportunityRiskPolicyUsed = new(Opportunity.EntityName, Opportunity.RiskPolicyUsed, 100);
        public static readonly NumberLimit OpportunityMarginAmount = new(Opportunity.EntityName, Opportunity.MarginAmount, -MoneyMax, MoneyMax, 2);
        public static readonly NumberLimit OpportunityMarginPercent = new(Opportunity.EntityName, Opportunity.MarginPercent, -1_000_000m, 1_000_000m, 2);
        public static readonly NumberLimit OpportunityRiskScore = new(Opportunity.EntityName, Opportunity.RiskScore, 0m, 100m);
        public static readonly NumberLimit OpportunityUnquotedEffortHours = new(Opportunity.EntityName, Opportunity.UnquotedEffortHours, 0m, 1_000_000_000m, 2);
        public static readonly NumberLimit OpportunityUnquotedEffortCost = new(Opportunity.EntityName, Opportunity.UnquotedEffortCost, -MoneyMax, MoneyMax, 2);
        public static readonly NumberLimit OpportunityPeakUtilisation = new(Opportunity.EntityName, Opportunity.PeakUtilisation, 0m, 1_000_000_000m, 2);
        public static readonly NumberLimit OpportunityCloseDateSlipCount = new(Opportunity.EntityName, Opportunity.CloseDateSlipCount, 0m, int.MaxValue);
        public static readonly NumberLimit OpportunityCloseDateSlipDays = new(Opportunity.EntityName, Opportunity.CloseDateSlipDays, 0m, int.MaxValue);

        // dr_riskhistory.
        public static readonly TextLimit HistoryName = new(RiskHistory.EntityName, RiskHistory.Name, 300);
        public static readonly TextLimit HistoryTrigger = new(RiskHistory.EntityName, RiskHistory.Trigger, 200);
        public static readonly TextLimit HistoryFindingCodes = new(RiskHistory.EntityName, RiskHistory.FindingCodes, 1000);
        public static readonly TextLimit HistoryReasons = new(RiskHistory.EntityName, RiskHistory.Reasons, 4000);
        public static readonly TextLimit HistoryFindingsEverCarried = new(RiskHistory.EntityName, RiskHistory.FindingsEverCarried, 1000);
        public static readonly NumberLimit HistoryRiskScore = new(RiskHistory.EntityName, RiskHistory.RiskScore, 0m, 100m);
        public static readonly NumberLimit HistoryActualRevenue = new(RiskHistory.EntityName, RiskHistory.ActualRevenue, -MoneyMax, MoneyMax, 2);
        public static readonly NumberLimit HistoryMarginPercentAtClose = new(RiskHistory.EntityName, RiskHistory.MarginPercentAtClose, -1_000_000m, 1_000_000m, 2);

        // dr_riskalert.
        public static readonly TextLimit AlertName = new(RiskAlert.EntityName, RiskAlert.Name, 300);
        public static readonly TextLimit AlertReasons = new(RiskAlert.EntityName, RiskAlert.Reasons, 4000);
        public static readonly TextLimit AlertResolution = new(RiskAlert.EntityName, RiskAlert.Resolution, 1000);
        public static readonly TextLimit AlertResponseNote = new(RiskAlert.EntityName, RiskAlert.ResponseNote, 4000);
        public static readonly NumberLimit AlertEscalationLevel = new(RiskAlert.EntityName, RiskAlert.EscalationLevel, 0m, 100m);
        public static readonly NumberLimit AlertResponseMinutes = new(RiskAlert.EntityName, RiskAlert.ResponseMinutes, 0m, 1440m);

        // dr_demandentry: the ledger.
        public static readonly TextLimit DemandEntryName = new(DemandEntryTable.EntityName, DemandEntryTable.Name, 200);
        public static readonly NumberLimit DemandEntryWeightedHours = new(DemandEntryTable.EntityName, DemandEntryTable.WeightedHours, -100_000_000_000m, 100_000_000_000m, 10);

        // dr_coachingsession (what an alert response logs).
        // dr_riskpolicy: the one column the suite writes (the daily sweep's won deals' days per stage).
        public static readonly TextLimit PolicyWonStageDays = new(RiskPolicyTable.EntityName, RiskPolicyTable.WonStageDays, 1000);

        public static readonly TextLimit CoachingSubject = new(CoachingSession.EntityName, CoachingSession.Subject, 300);
        public static readonly TextLimit CoachingDescription = new(CoachingSession.EntityName, CoachingSession.Description, 4000);
    }
}
