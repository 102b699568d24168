using System.Activities;
using DealRisk.Plugins;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Workflow;

namespace DealRisk.WorkflowActivities
{
    /// <summary>
    /// Sends an alert nobody acknowledged within the policy's escalation hours one level up the management chain
    /// (the current recipient's manager), at most once per level, and notifies the new recipient.
    /// </summary>
    public sealed class EscalateStaleAlert : DealRiskActivity
    {
        [RequiredArgument]
        [Input("Alert")]
        [ReferenceTarget("dr_riskalert")]
        public InArgument<EntityReference> Alert { get; set; } = null!;

        [Output("Escalated")]
        public OutArgument<bool> Escalated { get; set; } = null!;

        [Output("Escalated to")]
        [ReferenceTarget("systemuser")]
        public OutArgument<EntityReference> EscalatedTo { get; set; } = null!;

        [Output("Result")]
        public OutArgument<string> Result { get; set; } = null!;

        internal override void Run(CodeActivityContext context, ActivityServices services)
        {
            Escalated.Set(context, false);
            var alertRef = Alert.Get(context) ?? throw new InvalidPluginExecutionException("Escalate stale alert needs an alert.");
            var store = new AlertStore(services.SystemService);
            var alert = store.Alert(alertRef.Id);
            if (alert == null)
            {
                Result.Set(context, "The alert no longer exists.");
                return;
            }

            var dealRef = alert.GetAttributeValue<EntityReference>(RiskAlert.OpportunityId);
            var deal = dealRef == null ? null : store.Deal(dealRef.Id);
            if (deal == null)
            {
                Result.Set(context, "The alert's deal no longer exists.");
                return;
            }

            var policy = store.Policy(deal);
            var rule = AlertStore.ToRule(alert);
            if (!AlertRules.IsStale(rule, services.Now, policy.EscalationHours))
            {
                Result.Set(context, $"Not stale: the alert is {rule.Status} and escalates after {policy.EscalationHours} h without acknowledgement.");
                return;
            }

            var current = alert.GetAttributeValue<EntityReference>(RiskAlert.RecipientId);
            var next = current == null ? store.EscalationTarget(policy, services.Trace) : store.ManagerOf(current, services.Trace);
            if (next == null || (current != null && next.Id == current.Id))
            {
                Result.Set(context, "Nobody above the current recipient: the alert stays where it is.");
                services.Trace("Escalation chain ended.");
                return;
            }

            store.Service.Update(AlertRows.Escalation(alert.Id, next, rule, services.Now));
            store.Notify(next, deal, rule.Level, AlertRows.EscalationTitle(policy.EscalationHours, deal), alert.GetAttributeValue<string>(RiskAlert.Reasons) ?? "");
            Escalated.Set(context, true);
            EscalatedTo.Set(context, next);
            Result.Set(context, $"Escalated to level {rule.EscalationLevel + 1}.");
        }
    }
}
