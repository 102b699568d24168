using System;
using System.Linq;
using DealRisk.Plugins;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace DealRisk.WorkflowActivities
{
    /// <summary>Reads and writes alerts, deals, policies and the management chain for the activities.</summary>
    internal sealed class AlertStore
    {
        private readonly IOrganizationService _service;

        public AlertStore(IOrganizationService systemService) => _service = systemService;

        /// <summary>The deal, or null when it no longer exists.</summary>
        public Entity? Deal(Guid id)
        {
            var query = new QueryExpression(Opportunity.EntityName)
            {
                ColumnSet = new ColumnSet(new[] { Opportunity.Name, Opportunity.OwnerId, Opportunity.OwningBusinessUnit, Opportunity.StateCode, Opportunity.OverallRisk }
                    .Concat(Opportunity.CheckLevels.Select(c => c.Value))
                    .Concat(new[] { Opportunity.RiskScore, Opportunity.RiskReasons, Opportunity.MarginPercent, Opportunity.RiskEvaluatedOn, Opportunity.RiskFixes })
                    .ToArray()),
                TopCount = 1,
            };
            query.Criteria.AddCondition(Opportunity.Id, ConditionOperator.Equal, id);
            return _service.RetrieveMultiple(query).Entities.FirstOrDefault();
        }

        public RiskPolicy Policy(Entity deal)
        {
            var query = new QueryExpression(RiskPolicyTable.EntityName) { ColumnSet = new ColumnSet(PolicyReader.Columns) };
            query.Criteria.AddCondition(RiskPolicyTable.StateCode, ConditionOperator.Equal, 0);
            var rows = _service.RetrieveMultiple(query).Entities;
            return PolicyReader.ForDeal(rows, deal);
        }

        /// <summary>The deal's alert that is not resolved yet (open or acknowledged), if any.</summary>
        public Entity? OpenAlert(Guid opportunityId)
        {
            var query = new QueryExpression(RiskAlert.EntityName)
            {
                ColumnSet = new ColumnSet(RiskAlert.Level, RiskAlert.Status, RiskAlert.RaisedOn, RiskAlert.EscalationLevel, RiskAlert.EscalatedOn, RiskAlert.RecipientId, RiskAlert.OpportunityId),
                TopCount = 1,
            };
            query.Criteria.AddCondition(RiskAlert.OpportunityId, ConditionOperator.Equal, opportunityId);
            query.Criteria.AddCondition(RiskAlert.Status, ConditionOperator.NotEqual, OptionSets.AlertStatusValue(AlertStatus.Resolved));
            query.Criteria.AddCondition(RiskAlert.Status, ConditionOperator.NotNull);
            query.AddOrder(RiskAlert.RaisedOn, OrderType.Descending);
            return _service.RetrieveMultiple(query).Entities.FirstOrDefault();
        }

        public Entity? Alert(Guid id)
        {
            var query = new QueryExpression(RiskAlert.EntityName)
            {
                ColumnSet = new ColumnSet(RiskAlert.Name, RiskAlert.Level, RiskAlert.Status, RiskAlert.RaisedOn, RiskAlert.EscalationLevel, RiskAlert.EscalatedOn,
                    RiskAlert.RecipientId, RiskAlert.OpportunityId, RiskAlert.Reasons),
                TopCount = 1,
            };
            query.Criteria.AddCondition(RiskAlert.Id, ConditionOperator.Equal, id);
            return _service.RetrieveMultiple(query).Entities.FirstOrDefault();
        }

        public static OpenAlert ToRule(Entity alert) => AlertRows.ToRule(alert);

        /// <summary>
        /// The manager of an owner: a user's manager (parentsystemuserid), a team's administrator. Disabled users
        /// are skipped upwards. Null when the chain ends.
        /// </summary>
        public EntityReference? ManagerOf(EntityReference owner, Action<string> trace)
        {
            Guid? next;
            if (owner.LogicalName == Team.EntityName)
            {
                var team = _service.Retrieve(Team.EntityName, owner.Id, new ColumnSet(Team.AdministratorId));
                next = team.GetAttributeValue<EntityReference>(Team.AdministratorId)?.Id;
                trace(next == null ? $"Team {owner.Id} has no administrator." : $"Team {owner.Id} is administered by {next}.");
                return next is Guid admin ? ActiveUserOrManager(admin, trace) : null;
            }

            var user = _service.Retrieve(SystemUser.EntityName, owner.Id, new ColumnSet(SystemUser.ParentSystemUserId));
            next = user.GetAttributeValue<EntityReference>(SystemUser.ParentSystemUserId)?.Id;
            return next is Guid manager ? ActiveUserOrManager(manager, trace) : null;
        }

        /// <summary>The user when enabled, else the first enabled user above them (at most 10 levels).</summary>
        private EntityReference? ActiveUserOrManager(Guid userId, Action<string> trace)
        {
            for (var hops = 0; hops < 10; hops++)
            {
                var user = _service.Retrieve(SystemUser.EntityName, userId, new ColumnSet(SystemUser.IsDisabled, SystemUser.ParentSystemUserId, SystemUser.FullName));
                if (user.GetAttributeValue<bool?>(SystemUser.IsDisabled) != true) return new EntityReference(SystemUser.EntityName, userId) { Name = user.GetAttributeValue<string>(SystemUser.FullName) };
                trace($"User {userId} is disabled: going one level up.");
                if (user.GetAttributeValue<EntityReference>(SystemUser.ParentSystemUserId) is not EntityReference up) return null;
                userId = up.Id;
            }

            return null;
        }

        /// <summary>The policy's escalation target: its user, else its team's administrator.</summary>
        public EntityReference? EscalationTarget(RiskPolicy policy, Action<string> trace)
        {
            if (policy.EscalationUserId is Guid user) return ActiveUserOrManager(user, trace);
            if (policy.EscalationTeamId is Guid team) return ManagerOf(new EntityReference(Team.EntityName, team), trace);
            return null;
        }

        public void Notify(EntityReference recipient, Entity deal, RiskLevel level, string title, string reasons) =>
            _service.Create(AlertRows.Notification(recipient.Id, deal.Id, level, title, reasons));

        public IOrganizationService Service => _service;
    }
}
