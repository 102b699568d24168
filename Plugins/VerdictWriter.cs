using System;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;

namespace DealRisk.Plugins
{
    /// <summary>
    /// Writes an assessment onto the Target: only dr_ verdict columns, and of those only the ones whose value changes
    /// (against the pre-image, which holds every verdict column), so a save that leaves the verdict as it was carries no
    /// verdict column and queues none of the jobs that watch them (history, alerts). A value a user sent in a verdict
    /// column is always replaced by the suite's. dr_riskevaluatedon is written on every judgement: it says when.
    /// </summary>
    internal static class VerdictWriter
    {
        public static void Write(DealState deal, RiskAssessment a, RiskPolicy policy, DateTime now, decimal rate)
        {
            // Every value is held within its column's limits: extreme amounts Dataverse accepts on a deal (a margin of
            // -10^12 %, an 8,000-year slip) must not make the save fail.
            var v = new Changes(deal);
            v[Opportunity.MarginAmount] = a.MarginAmount is decimal m ? Money(ColumnLimits.OpportunityMarginAmount, m * rate) : null;
            v[Opportunity.MarginPercent] = a.MarginPercent is decimal p ? ColumnLimits.OpportunityMarginPercent.Fit(p) : (decimal?)null;
            foreach (var column in Opportunity.CheckLevels)
                v[column.Value] = Level(a.LevelOf(column.Key));
            v[Opportunity.OverallRisk] = Level(a.Overall);
            v[Opportunity.RiskScore] = ColumnLimits.OpportunityRiskScore.Fit(a.Score);
            v[Opportunity.RiskReasons] = ColumnLimits.OpportunityRiskReasons.Fit(a.Reasons);
            v[Opportunity.RiskFindingCodes] = ColumnLimits.OpportunityRiskFindingCodes.FitList(a.FindingCodes.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries));
            deal.Target[Opportunity.RiskEvaluatedOn] = now;
            v[Opportunity.UnquotedEffortHours] = ColumnLimits.OpportunityUnquotedEffortHours.Fit(a.UnquotedEffortHours);
            v[Opportunity.UnquotedEffortCost] = Money(ColumnLimits.OpportunityUnquotedEffortCost, a.UnquotedEffortCost * rate);
            v[Opportunity.PeakUtilisation] = a.PeakUtilisationPercent is decimal u ? ColumnLimits.OpportunityPeakUtilisation.Fit(u) : (decimal?)null;
            v[Opportunity.CloseDateSlipCount] = ColumnLimits.OpportunityCloseDateSlipCount.Fit(a.SlipCount);
            v[Opportunity.CloseDateSlipDays] = ColumnLimits.OpportunityCloseDateSlipDays.Fit(a.SlipDays);
            v[Opportunity.ForecastChangeLog] = ColumnLimits.OpportunityForecastChangeLog.FitLastLines(
                ForecastChangeLog.Append(deal.Before<string>(Opportunity.ForecastChangeLog), a.NewForecastChanges).Split('\n'));
            v[Opportunity.RiskPolicyUsed] = ColumnLimits.OpportunityRiskPolicyUsed.Fit(policy.Source);
            v[Opportunity.RiskFixes] = ColumnLimits.OpportunityRiskFixes.Fit(a.Fixes);
        }

        private static Money Money(NumberLimit limit, decimal value) => new Money(limit.Fit(value));

        private static OptionSetValue Level(RiskLevel level) => new OptionSetValue(OptionSets.RiskLevelValue(level));

        /// <summary>Puts a verdict value on the Target when it differs from the stored one, or when the Target already
        /// carries the column (a user's value, which must be replaced); on create, and without a pre-image, always.</summary>
        private readonly struct Changes
        {
            private readonly DealState _deal;

            public Changes(DealState deal) => _deal = deal;

            public object? this[string column]
            {
                set
                {
                    var target = _deal.Target;
                    var stored = _deal.PreImage;
                    if (_deal.IsCreate || stored == null || target.Contains(column) || !Same(stored.Attributes.TryGetValue(column, out var before) ? before : null, value))
                        target[column] = value;
                }
            }

            // Dataverse stores an empty text as null; money and choices are compared by value.
            private static bool Same(object? stored, object? value)
            {
                if (stored is string s && s.Length == 0) stored = null;
                if (value is string v && v.Length == 0) value = null;
                if (stored == null || value == null) return stored == null && value == null;
                if (stored is Money sm && value is Money vm) return sm.Value == vm.Value;
                if (stored is OptionSetValue so && value is OptionSetValue vo) return so.Value == vo.Value;
                return stored.Equals(value);
            }
        }
    }
}
