using System;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;

namespace DealRisk.Plugins
{
    /// <summary>Writes an assessment onto the Target: only dr_ verdict columns, every one of them, so whatever a
    /// user sent in those columns is replaced by the suite's values.</summary>
    internal static class VerdictWriter
    {
        public static void Write(DealState deal, RiskAssessment a, RiskPolicy policy, DateTime now, decimal rate)
        {
            // Every value is held within its column's limits: extreme amounts Dataverse accepts on a deal (a margin of
            // -10^12 %, an 8,000-year slip) must not make the save fail.
            var t = deal.Target;
            t[Opportunity.MarginAmount] = a.MarginAmount is decimal m ? Money(ColumnLimits.OpportunityMarginAmount, m * rate) : null;
            t[Opportunity.MarginPercent] = a.MarginPercent is decimal p ? ColumnLimits.OpportunityMarginPercent.Fit(p) : (decimal?)null;
            foreach (var column in Opportunity.CheckLevels)
                t[column.Value] = Level(a.LevelOf(column.Key));
            t[Opportunity.OverallRisk] = Level(a.Overall);
            t[Opportunity.RiskScore] = ColumnLimits.OpportunityRiskScore.Fit(a.Score);
            t[Opportunity.RiskReasons] = ColumnLimits.OpportunityRiskReasons.Fit(a.Reasons);
            t[Opportunity.RiskFindingCodes] = ColumnLimits.OpportunityRiskFindingCodes.FitList(a.FindingCodes.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries));
            t[Opportunity.RiskEvaluatedOn] = now;
            t[Opportunity.UnquotedEffortHours] = ColumnLimits.OpportunityUnquotedEffortHours.Fit(a.UnquotedEffortHours);
            t[Opportunity.UnquotedEffortCost] = Money(ColumnLimits.OpportunityUnquotedEffortCost, a.UnquotedEffortCost * rate);
            t[Opportunity.PeakUtilisation] = a.PeakUtilisationPercent is decimal u ? ColumnLimits.OpportunityPeakUtilisation.Fit(u) : (decimal?)null;
            t[Opportunity.CloseDateSlipCount] = ColumnLimits.OpportunityCloseDateSlipCount.Fit(a.SlipCount);
            t[Opportunity.CloseDateSlipDays] = ColumnLimits.OpportunityCloseDateSlipDays.Fit(a.SlipDays);
            t[Opportunity.ForecastChangeLog] = ColumnLimits.OpportunityForecastChangeLog.FitLastLines(
                ForecastChangeLog.Append(deal.Before<string>(Opportunity.ForecastChangeLog), a.NewForecastChanges).Split('\n'));
            t[Opportunity.RiskPolicyUsed] = ColumnLimits.OpportunityRiskPolicyUsed.Fit(policy.Source);
            t[Opportunity.RiskFixes] = ColumnLimits.OpportunityRiskFixes.Fit(a.Fixes);
        }

        private static Money Money(NumberLimit limit, decimal value) => new Money(limit.Fit(value));

        private static OptionSetValue Level(RiskLevel level) => new OptionSetValue(OptionSets.RiskLevelValue(level));
    }
}
