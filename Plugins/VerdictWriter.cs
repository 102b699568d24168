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
        /// <summary>Memo columns hold at most this many characters.</summary>
        public const int MaxReasonsLength = 4000;

        public static void Write(DealState deal, RiskAssessment a, RiskPolicy policy, DateTime now, decimal rate)
        {
            var t = deal.Target;
            t[Opportunity.MarginAmount] = a.MarginAmount is decimal m ? new Money(decimal.Round(m * rate, 2)) : null;
            t[Opportunity.MarginPercent] = a.MarginPercent;
            t[Opportunity.MarginRisk] = Level(a.Margin);
            t[Opportunity.ResourceRisk] = Level(a.Resource);
            t[Opportunity.FitRisk] = Level(a.Fit);
            t[Opportunity.ForecastRisk] = Level(a.Forecast);
            t[Opportunity.OverallRisk] = Level(a.Overall);
            t[Opportunity.RiskScore] = a.Score;
            t[Opportunity.RiskReasons] = Truncate(a.Reasons, MaxReasonsLength);
            t[Opportunity.RiskFindingCodes] = Truncate(a.FindingCodes, 1000);
            t[Opportunity.RiskEvaluatedOn] = now;
            t[Opportunity.UnquotedEffortHours] = a.UnquotedEffortHours;
            t[Opportunity.UnquotedEffortCost] = new Money(decimal.Round(a.UnquotedEffortCost * rate, 2));
            t[Opportunity.PeakUtilisation] = a.PeakUtilisationPercent;
            t[Opportunity.CloseDateSlipCount] = a.SlipCount;
            t[Opportunity.CloseDateSlipDays] = a.SlipDays;
            t[Opportunity.ForecastChangeLog] = ForecastChangeLog.Append(deal.Before<string>(Opportunity.ForecastChangeLog), a.NewForecastChanges);
            t[Opportunity.RiskPolicyUsed] = Truncate(policy.Source, 100);
        }

        private static OptionSetValue Level(RiskLevel level) => new OptionSetValue(OptionSets.RiskLevelValue(level));

        private static string Truncate(string text, int max) => text.Length <= max ? text : text.Substring(0, max - 1) + "…";
    }

    /// <summary>
    /// The approval a manager gives to accept a known risk: it is given as oneself (approved by the user who
    /// saves), never by the deal's owner, and stamped with the time; clearing it clears the time.
    /// </summary>
    internal static class ApprovalRules
    {
        public static void Apply(DealState deal, Guid initiatingUserId, DateTime now)
        {
            var t = deal.Target;
            if (!t.Contains(Opportunity.RiskApprovedBy))
            {
                // The time of an approval is the suite's to write.
                t.Attributes.Remove(Opportunity.RiskApprovedOn);
                return;
            }

            var approver = t.GetAttributeValue<EntityReference>(Opportunity.RiskApprovedBy);
            if (approver == null)
            {
                t[Opportunity.RiskApprovedOn] = null;
                return;
            }

            if (approver.Id != initiatingUserId)
                throw new InvalidPluginExecutionException("A risk approval is given in your own name: set 'Risk approved by' to yourself, not to someone else.");
            var owner = deal.Owner;
            if (owner != null && owner.LogicalName == SystemUser.EntityName && owner.Id == approver.Id)
                throw new InvalidPluginExecutionException("You cannot approve the risk on a deal you own. Ask your manager to review and approve it.");
            t[Opportunity.RiskApprovedOn] = now;
        }

        /// <summary>
        /// An approval covers the risk the approver saw: when a later save finds the deal worse (a higher overall level
        /// or score than the verdict stored with the approval), the approval is withdrawn and must be given again.
        /// A save that gives the approval itself keeps it.
        /// </summary>
        public static bool WithdrawWhenWorse(DealState deal, RiskAssessment assessment)
        {
            if (deal.IsCreate || deal.Target.Contains(Opportunity.RiskApprovedBy) || deal.Before<EntityReference>(Opportunity.RiskApprovedBy) == null) return false;
            var level = OptionSets.RiskLevelOf(deal.Before<OptionSetValue>(Opportunity.OverallRisk)?.Value);
            var score = deal.Before<int?>(Opportunity.RiskScore);
            var worse = (level is RiskLevel before && assessment.Overall > before) || (score is int s && assessment.Score > s);
            if (!worse) return false;
            deal.Target[Opportunity.RiskApprovedBy] = null;
            deal.Target[Opportunity.RiskApprovedOn] = null;
            return true;
        }
    }
}
