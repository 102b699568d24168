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
    /// allocations: CreateMultiple, UpdateMultiple, which also run for single Create and Update, and Delete): asks each
    /// parent opportunity the batch touches to be judged again with one update of
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

            // Each parent the batch touches (now or before the change) is asked once, however many of its rows changed.
            var parents = new List<Guid>();
            void Add(Entity? row)
            {
                if (row?.GetAttributeValue<EntityReference>(parentColumn) is EntityReference parent && !parents.Contains(parent.Id)) parents.Add(parent.Id);
            }

            if (context.InputParameters.TryGetValue("Target", out var target)) Add(target as Entity);
            if (context.PreEntityImages.TryGetValue(PreImageAlias, out var pre)) Add(pre);
            if (context.InputParameters.TryGetValue("Targets", out var targets) && targets is EntityCollection batch)
            {
                var images = context.PreEntityImagesCollection;
                for (var i = 0; i < batch.Entities.Count; i++)
                {
                    Add(batch.Entities[i]);
                    if (images != null && i < images.Length && images[i] != null && images[i].TryGetValue(PreImageAlias, out var before)) Add(before);
                }
            }

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
    /// PreValidation gate on closing an opportunity as won: a deal whose overall risk is Critical cannot be won until a
    /// manager has approved the risk. Registered on every way a deal can be won: the Win message (its OpportunityClose
    /// input; whether the platform runs Update steps for Win is not documented, so the gate does not rely on it),
    /// SetState (EntityMoniker and State) and Update of statecode. The message tells the rep what to do.
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
            var opportunityRef = Winning(context.MessageName, context.InputParameters);
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

        /// <summary>The opportunity this request closes as won, or null: Win's OpportunityClose, SetState's EntityMoniker
        /// with State Won, or an Update's Target with statecode Won.</summary>
        private static EntityReference? Winning(string message, ParameterCollection inputs)
        {
            // Lose carries an OpportunityClose too: only Win's closes the deal as won.
            if (inputs.TryGetValue("OpportunityClose", out var close) && close is Entity activity)
                return message == "Win" ? activity.GetAttributeValue<EntityReference>(Opportunity.Id) : null;
            if (inputs.TryGetValue("EntityMoniker", out var moniker) && moniker is EntityReference deal && deal.LogicalName == Opportunity.EntityName)
                return inputs.TryGetValue("State", out var state) && state is OptionSetValue s && s.Value == OpportunityState.Won ? deal : null;
            if (inputs.TryGetValue("Target", out var target) && target is Entity row && row.LogicalName == Opportunity.EntityName &&
                row.GetAttributeValue<OptionSetValue>(Opportunity.StateCode)?.Value == OpportunityState.Won)
                return row.ToEntityReference();
            return null;
        }
    }
}
