using System;
using System.Collections.Generic;
using System.Linq;
using DealRisk.Plugins.Schema;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace DealRisk.Plugins
{
    /// <summary>The stage a deal's process bar is in: its running Opportunity Sales Process's active stage.</summary>
    internal sealed class ActiveStage
    {
        public ActiveStage(int stage, DateTime? startedOn)
        {
            Stage = stage;
            StartedOn = startedOn;
        }

        /// <summary>The sales stage (0 Qualify .. 3 Close) the active stage's category names.</summary>
        public int Stage { get; }

        /// <summary>When the bar entered that stage (the instance's activestagestartedon).</summary>
        public DateTime? StartedOn { get; }
    }

    /// <summary>
    /// Reads, in one query for a whole batch, the stage each deal's process bar is in. Reps move the bar, which changes the
    /// process instance and leaves the opportunity's salesstage as it was, so the bar's stage is the deal's stage when there
    /// is one. The stage comes from the active stage's category (processstage.stagecategory), read from the org's own
    /// process stages: a renamed or added stage, or another process's, is judged by what its category says, never by id.
    /// </summary>
    internal sealed class ProcessStageReader
    {
        private readonly IOrganizationService _service;

        public ProcessStageReader(IOrganizationService systemService)
        {
            _service = systemService;
        }

        /// <summary>
        /// The active stage of each deal that has a running Opportunity Sales Process in a sales category; deals without
        /// one (no instance, a finished one, a stage of another category) are left out and keep their salesstage.
        /// </summary>
        public IReadOnlyDictionary<Guid, ActiveStage> Of(IReadOnlyCollection<Guid> opportunityIds)
        {
            var result = new Dictionary<Guid, ActiveStage>();
            if (opportunityIds.Count == 0) return result;
            var query = new QueryExpression(SalesProcessInstance.EntityName)
            {
                ColumnSet = new ColumnSet(SalesProcessInstance.OpportunityId, SalesProcessInstance.ActiveStageStartedOn),
                NoLock = true,
            };
            query.Criteria.AddCondition(SalesProcessInstance.OpportunityId, ConditionOperator.In, opportunityIds.Cast<object>().ToArray());
            query.Criteria.AddCondition(SalesProcessInstance.StateCode, ConditionOperator.Equal, SalesProcessInstance.Active);
            var stage = query.AddLink(ProcessStage.EntityName, SalesProcessInstance.ActiveStageId, ProcessStage.Id, JoinOperator.Inner);
            stage.EntityAlias = "stage";
            stage.Columns = new ColumnSet(ProcessStage.StageCategory);
            query.AddOrder(SalesProcessInstance.ModifiedOn, OrderType.Descending);

            foreach (var row in _service.RetrieveMultiple(query).Entities)
            {
                var deal = row.GetAttributeValue<EntityReference>(SalesProcessInstance.OpportunityId)?.Id;
                var category = RiskFactsReader.Aliased<OptionSetValue>(row, "stage." + ProcessStage.StageCategory)?.Value;
                // The most recently moved instance wins when a deal runs more than one.
                if (deal is Guid id && category is int c && c >= 0 && c <= ProcessStage.LastSalesCategory && !result.ContainsKey(id))
                    result[id] = new ActiveStage(c, row.GetAttributeValue<DateTime?>(SalesProcessInstance.ActiveStageStartedOn));
            }

            return result;
        }
    }
}
