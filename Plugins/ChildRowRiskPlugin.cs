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
}
