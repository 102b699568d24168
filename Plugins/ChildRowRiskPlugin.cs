using System;
using System.Collections.Generic;
using System.Linq;
using System.ServiceModel;
using DealRisk.Plugins.Schema;
using Microsoft.Xrm.Sdk;

namespace DealRisk.Plugins
{
    /// <summary>
    /// PostOperation on the rows that change a deal's answer (opportunity products, requirements, resource
    /// allocations: create, update, delete): asks the parent opportunity to be judged again with one update of
    /// dr_riskrecalcrequestedon, which the opportunity's own step picks up in the same transaction. The verdict
    /// step writes only to its Target, so nothing triggers this step again: no loop, depth stays at 2.
    /// </summary>
    public sealed class ChildRowRiskPlugin : PluginBase
    {
        /// <summary>The alias of the pre-image the update and delete steps register (holding the parent lookup).</summary>
        public const string PreImageAlias = "PreImage";

        private static readonly IReadOnlyDictionary<string, string> ParentColumn = new Dictionary<string, string>
        {
            [OpportunityProduct.EntityName] = OpportunityProduct.OpportunityId,
            [Requirement.EntityName] = Requirement.OpportunityId,
            [ResourceAllocation.EntityName] = ResourceAllocation.OpportunityId,
        };

        public ChildRowRiskPlugin(string unsecureConfiguration, string secureConfiguration)
            : base(typeof(ChildRowRiskPlugin), unsecureConfiguration, secureConfiguration)
        {
        }

        protected override void ExecuteDataversePlugin(ILocalPluginContext local)
        {
            var context = local.PluginExecutionContext;
            if (!ParentColumn.TryGetValue(context.PrimaryEntityName, out var parentColumn)) return;

            var parents = new HashSet<Guid>();
            if (context.InputParameters.TryGetValue("Target", out var target) && target is Entity entity &&
                entity.GetAttributeValue<EntityReference>(parentColumn) is EntityReference now)
                parents.Add(now.Id);
            if (context.PreEntityImages.TryGetValue(PreImageAlias, out var pre) && pre.GetAttributeValue<EntityReference>(parentColumn) is EntityReference before)
                parents.Add(before.Id);
            if (parents.Count == 0)
            {
                local.Trace($"{context.PrimaryEntityName} {context.PrimaryEntityId} has no opportunity: nothing to re-judge.");
                return;
            }

            var requestedOn = context.OperationCreatedOn == default ? DateTime.UtcNow : context.OperationCreatedOn;
            foreach (var opportunityId in parents)
            {
                try
                {
                    local.PluginUserService.Update(new Entity(Opportunity.EntityName, opportunityId)
                    {
                        [Opportunity.RiskRecalculationRequestedOn] = requestedOn,
                    });
                }
                catch (FaultException<OrganizationServiceFault> fault) when (fault.Detail?.ErrorCode == PlatformErrors.ObjectDoesNotExist)
                {
                    // The opportunity is being deleted with its rows (cascade): there is nothing left to judge.
                    local.Trace($"Opportunity {opportunityId} no longer exists: not re-judged.");
                }
            }
        }

    }

    /// <summary>
    /// PreValidation gate on closing an opportunity as won: a deal whose overall risk is Critical cannot be won
    /// until a manager has approved the risk. Registered on Update of opportunity filtered on statecode (winning
    /// sets statecode to Won); it also understands the Win message's OpportunityClose input. The message tells the
    /// rep what to do.
    /// </summary>
    public sealed class WinGatePlugin : PluginBase
    {
        public WinGatePlugin(string unsecureConfiguration, string secureConfiguration)
            : base(typeof(WinGatePlugin), unsecureConfiguration, secureConfiguration)
        {
        }

        protected override void ExecuteDataversePlugin(ILocalPluginContext local)
        {
            var context = local.PluginExecutionContext;
            EntityReference? opportunityRef = null;
            if (context.InputParameters.TryGetValue("OpportunityClose", out var value) && value is Entity close)
                opportunityRef = close.GetAttributeValue<EntityReference>(Opportunity.Id);
            else if (context.InputParameters.TryGetValue("Target", out var target) && target is Entity deal0 && deal0.LogicalName == Opportunity.EntityName &&
                     deal0.GetAttributeValue<OptionSetValue>(Opportunity.StateCode)?.Value == OpportunityState.Won)
                opportunityRef = deal0.ToEntityReference();
            if (opportunityRef == null) return;

            var deal = local.SystemService.Retrieve(Opportunity.EntityName, opportunityRef.Id,
                new Microsoft.Xrm.Sdk.Query.ColumnSet(Opportunity.OverallRisk, Opportunity.RiskApprovedBy, Opportunity.RiskReasons));
            var overall = OptionSets.RiskLevelOf(deal.GetAttributeValue<OptionSetValue>(Opportunity.OverallRisk)?.Value);
            if (overall != Risk.RiskLevel.Critical || deal.GetAttributeValue<EntityReference>(Opportunity.RiskApprovedBy) != null) return;

            var top = (deal.GetAttributeValue<string>(Opportunity.RiskReasons) ?? "").Split('\n').FirstOrDefault(l => l.Length > 0) ?? "";
            throw new InvalidPluginExecutionException(
                "This deal cannot be closed as won yet: its overall risk is Critical" + (top.Length > 0 ? $" ({top})" : "") + ". " +
                "Resolve the findings in the Deal risk section, or ask your manager to review the risk and approve it there; then close the deal as won again.");
        }
    }
}
