using System;
using System.Collections.Generic;
using System.Linq;
using System.ServiceModel;
using DealRisk.Plugins.Schema;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;

namespace DealRisk.Plugins
{
    /// <summary>
    /// PostOperation on the rows that change a deal's answer (opportunity products, requirements, resource
    /// allocations: CreateMultiple, UpdateMultiple, which also run for single Create and Update, and Delete; the deal's
    /// Opportunity Sales Process instance: Create, and Update of its active stage or state): asks every
    /// parent opportunity the batch touches to be judged again with one UpdateMultiple of dr_riskrecalcrequestedon (an
    /// Update when there is one), which the opportunity's own step picks up in the same transaction: one evaluation
    /// per deal per batch, whatever the number of rows. The verdict
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
            // A rep moving the process bar changes the deal's stage without a column of the deal changing.
            [SalesProcessInstance.EntityName] = SalesProcessInstance.OpportunityId,
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
            Entity Request(Guid opportunityId) => new(Opportunity.EntityName, opportunityId) { [Opportunity.RiskRecalculationRequestedOn] = requestedOn };

            if (parents.Count > 1)
            {
                // One UpdateMultiple for every deal the batch touches: the risk step runs once for all of them, with the
                // queries of one save, instead of once per deal.
                try
                {
                    local.PluginUserService.Execute(new UpdateMultipleRequest
                    {
                        Targets = new EntityCollection(parents.Select(Request).ToList()) { EntityName = Opportunity.EntityName },
                    });
                    return;
                }
                catch (FaultException<OrganizationServiceFault> fault) when (fault.Detail?.ErrorCode == PlatformErrors.ObjectDoesNotExist)
                {
                    // A bulk update fails as a whole when one deal is gone: ask the others one by one below.
                    local.Trace($"A deal of the batch no longer exists: the {parents.Count} deals are asked one by one.");
                }
            }

            foreach (var opportunityId in parents)
            {
                try
                {
                    local.PluginUserService.Update(Request(opportunityId));
                }
                catch (FaultException<OrganizationServiceFault> fault) when (fault.Detail?.ErrorCode == PlatformErrors.ObjectDoesNotExist)
                {
                    // The opportunity is being deleted with its rows (cascade): there is nothing left to judge.
                    local.Trace($"Opportunity {opportunityId} no longer exists: not re-judged.");
                }
            }
        }

    }
}
