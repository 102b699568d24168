using System;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;

namespace DealRisk.Plugins
{
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
