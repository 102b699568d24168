using System;
using System.Collections.Generic;
using System.Linq;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;

namespace DealRisk.Plugins.Sweep
{
    /// <summary>
    /// The escalation rules of the EscalateStaleAlert workflow activity (Domain/Alerts/AlertRules.IsStale: open, not
    /// acknowledged, waiting the policy's hours since raised or last escalated), applied to the open alerts of a page of
    /// deals in a fixed number of calls: the alert goes to the recipient's manager (a disabled manager: the policy's
    /// escalation user), one level up, and the new recipient is notified in the app.
    /// </summary>
    internal sealed class AlertEscalator
    {
        private readonly IOrganizationService _service;
        private readonly Action<string> _trace;

        public AlertEscalator(IOrganizationService service, Action<string> trace)
        {
            _service = service;
            _trace = trace;
        }

        /// <summary>Escalates the stale alerts of <paramref name="deals"/> (each with name, owner and business unit); returns how many.</summary>
        public int EscalateStale(IReadOnlyList<Entity> deals, DateTime now)
        {
            var alerts = OpenAlerts(deals.Select(d => d.Id).ToList());
            if (alerts.Count == 0) return 0;

            var policies = new RiskFactsReader(_service).Policies();
            var byDeal = deals.ToDictionary(d => d.Id);
            var stale = new List<StaleAlert>();
            foreach (var alert in alerts)
            {
                var deal = byDeal[alert.GetAttributeValue<EntityReference>(RiskAlert.OpportunityId).Id];
                var policy = PolicyReader.ForDeal(policies, deal);
                if (AlertRules.IsStale(AlertRows.ToRule(alert), now, policy.EscalationHours)) stale.Add(new StaleAlert(alert, deal, policy));
            }

            if (stale.Count == 0) return 0;

            var recipients = Users(stale.Select(s => s.Alert.GetAttributeValue<EntityReference>(RiskAlert.RecipientId)?.Id).OfType<Guid>(), SystemUser.ParentSystemUserId);
            var candidates = Users(recipients.Values.Select(u => u.GetAttributeValue<EntityReference>(SystemUser.ParentSystemUserId)?.Id)
                .Concat(stale.Select(s => s.Policy.EscalationUserId)).OfType<Guid>(), SystemUser.IsDisabled, SystemUser.FullName);

            var updates = new EntityCollection { EntityName = RiskAlert.EntityName };
            var notifications = new EntityCollection { EntityName = AppNotification.EntityName };
            foreach (var item in stale)
            {
                var alert = item.Alert;
                var deal = item.Deal;
                var policy = item.Policy;
                var current = alert.GetAttributeValue<EntityReference>(RiskAlert.RecipientId);
                var manager = current != null && recipients.TryGetValue(current.Id, out var user) ? user.GetAttributeValue<EntityReference>(SystemUser.ParentSystemUserId)?.Id : null;
                var next = Enabled(manager, candidates) ?? Enabled(policy.EscalationUserId, candidates);
                if (next is not Guid to || (current != null && current.Id == to))
                {
                    _trace($"Alert {alert.Id}: nobody above the current recipient; it stays where it is.");
                    continue;
                }

                var rule = AlertRows.ToRule(alert);
                updates.Entities.Add(AlertRows.Escalation(alert.Id, new EntityReference(SystemUser.EntityName, to), rule, now));
                notifications.Entities.Add(AlertRows.Notification(to, deal.Id, rule.Level, AlertRows.EscalationTitle(policy.EscalationHours, deal), alert.GetAttributeValue<string>(RiskAlert.Reasons) ?? ""));
                _trace($"Alert {alert.Id} of opportunity {deal.Id}: escalated to level {rule.EscalationLevel + 1} ({to}).");
            }

            if (updates.Entities.Count == 0) return 0;
            _service.Execute(new UpdateMultipleRequest { Targets = updates });
            _service.Execute(new CreateMultipleRequest { Targets = notifications });
            return updates.Entities.Count;
        }

        private sealed class StaleAlert
        {
            public StaleAlert(Entity alert, Entity deal, RiskPolicy policy)
            {
                Alert = alert;
                Deal = deal;
                Policy = policy;
            }

            public Entity Alert { get; }

            public Entity Deal { get; }

            public RiskPolicy Policy { get; }
        }

        private List<Entity> OpenAlerts(IReadOnlyCollection<Guid> dealIds)
        {
            var query = new QueryExpression(RiskAlert.EntityName)
            {
                ColumnSet = new ColumnSet(RiskAlert.Level, RiskAlert.Status, RiskAlert.RaisedOn, RiskAlert.EscalationLevel, RiskAlert.EscalatedOn, RiskAlert.RecipientId,
                    RiskAlert.OpportunityId, RiskAlert.Reasons),
            };
            query.Criteria.AddCondition(RiskAlert.OpportunityId, ConditionOperator.In, dealIds.Cast<object>().ToArray());
            query.Criteria.AddCondition(RiskAlert.Status, ConditionOperator.Equal, OptionSets.AlertStatusValue(AlertStatus.Open));
            return _service.RetrieveMultiple(query).Entities.ToList();
        }

        private Dictionary<Guid, Entity> Users(IEnumerable<Guid> ids, params string[] columns)
        {
            var list = ids.Distinct().ToList();
            if (list.Count == 0) return new Dictionary<Guid, Entity>();
            var query = new QueryExpression(SystemUser.EntityName) { ColumnSet = new ColumnSet(columns) };
            query.Criteria.AddCondition(SystemUser.Id, ConditionOperator.In, list.Cast<object>().ToArray());
            return _service.RetrieveMultiple(query).Entities.ToDictionary(u => u.Id);
        }

        private static Guid? Enabled(Guid? id, IReadOnlyDictionary<Guid, Entity> users) =>
            id is Guid u && users.TryGetValue(u, out var user) && user.GetAttributeValue<bool?>(SystemUser.IsDisabled) != true ? u : (Guid?)null;
    }
}
