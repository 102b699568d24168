using System;
using System.Activities;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Workflow;

namespace DealRisk.WorkflowActivities
{
    /// <summary>
    /// Tells the owner's manager about a flagged deal: one open alert per deal (a repeat at the same or a lower
    /// level refreshes it quietly; a rise in level notifies again), resolved by itself when the deal closes or its
    /// risk falls below the policy's alert level. The recipient is the owner's manager (a team's administrator for
    /// a team-owned deal), else the policy's escalation user or team. Never fails the workflow for a missing
    /// manager or a deleted deal: the Result output says what happened.
    /// </summary>
    public sealed class RaiseRiskAlert : DealRiskActivity
    {
        [RequiredArgument]
        [Input("Opportunity")]
        [ReferenceTarget("opportunity")]
        public InArgument<EntityReference> Opportunity { get; set; } = null!;

        /// <summary>Optional: alert only from this level (e.g. Critical), above the policy's alert level.</summary>
        [Input("Minimum level")]
        [AttributeTarget("dr_riskalert", "dr_level")]
        public InArgument<OptionSetValue> MinimumLevel { get; set; } = null!;

        [Output("Alert created")]
        public OutArgument<bool> AlertCreated { get; set; } = null!;

        [Output("Alert")]
        [ReferenceTarget("dr_riskalert")]
        public OutArgument<EntityReference> Alert { get; set; } = null!;

        [Output("Recipient")]
        [ReferenceTarget("systemuser")]
        public OutArgument<EntityReference> Recipient { get; set; } = null!;

        [Output("Result")]
        public OutArgument<string> Result { get; set; } = null!;

        internal override void Run(CodeActivityContext context, ActivityServices services)
        {
            AlertCreated.Set(context, false);
            var dealRef = Opportunity.Get(context) ?? throw new InvalidPluginExecutionException("Raise risk alert needs an opportunity.");
            var store = new AlertStore(services.SystemService);
            var deal = store.Deal(dealRef.Id);
            if (deal == null)
            {
                Finish(context, services, "The opportunity no longer exists: no alert.");
                return;
            }

            var policy = store.Policy(deal);
            var level = OptionSets.RiskLevelOf(deal.GetAttributeValue<OptionSetValue>(Plugins.Schema.Opportunity.OverallRisk)?.Value) ?? RiskLevel.Unknown;
            var closed = (deal.GetAttributeValue<OptionSetValue>(Plugins.Schema.Opportunity.StateCode)?.Value ?? OpportunityState.Open) != OpportunityState.Open;
            var open = store.OpenAlert(deal.Id);
            var minimum = OptionSets.RiskLevelOf(MinimumLevel.Get(context)?.Value);
            var decision = AlertRules.Decide(level, closed, open == null ? null : AlertStore.ToRule(open), policy.AlertLevel, minimum);
            services.Trace($"Deal {deal.Id}: {decision.Action}. {decision.Why}");
            var reasons = deal.GetAttributeValue<string>(Plugins.Schema.Opportunity.RiskReasons) ?? "";
            var name = deal.GetAttributeValue<string>(Plugins.Schema.Opportunity.Name) ?? "(unnamed deal)";
            var now = services.Now;

            switch (decision.Action)
            {
                case AlertAction.None:
                    Finish(context, services, decision.Why);
                    return;

                case AlertAction.Resolve:
                    store.Service.Update(new Entity(RiskAlert.EntityName, open!.Id)
                    {
                        [RiskAlert.Status] = new OptionSetValue(OptionSets.AlertStatusValue(AlertStatus.Resolved)),
                        [RiskAlert.ResolvedOn] = now,
                        [RiskAlert.Resolution] = ColumnLimits.AlertResolution.Fit(decision.Why),
                    });
                    Alert.Set(context, open.ToEntityReference());
                    Finish(context, services, "Resolved: " + decision.Why);
                    return;

                case AlertAction.Refresh:
                    store.Service.Update(new Entity(RiskAlert.EntityName, open!.Id) { [RiskAlert.Reasons] = ColumnLimits.AlertReasons.Fit(reasons) });
                    Alert.Set(context, open.ToEntityReference());
                    Recipient.Set(context, open.GetAttributeValue<EntityReference>(RiskAlert.RecipientId)!);
                    Finish(context, services, decision.Why);
                    return;

                case AlertAction.Raise:
                {
                    var recipient = open!.GetAttributeValue<EntityReference>(RiskAlert.RecipientId);
                    store.Service.Update(new Entity(RiskAlert.EntityName, open.Id)
                    {
                        [RiskAlert.Level] = new OptionSetValue(OptionSets.RiskLevelValue(level)),
                        [RiskAlert.Reasons] = ColumnLimits.AlertReasons.Fit(reasons),
                        [RiskAlert.LastRaisedOn] = now,
                        [RiskAlert.Status] = new OptionSetValue(OptionSets.AlertStatusValue(AlertStatus.Open)),
                    });
                    if (recipient != null) store.Notify(recipient, deal, level, $"Deal risk rose to {level}: {name}", reasons);
                    Alert.Set(context, open.ToEntityReference());
                    Recipient.Set(context, recipient!);
                    Finish(context, services, decision.Why);
                    return;
                }

                default:
                {
                    var owner = deal.GetAttributeValue<EntityReference>(Plugins.Schema.Opportunity.OwnerId);
                    var recipient = (owner == null ? null : store.ManagerOf(owner, services.Trace)) ?? store.EscalationTarget(policy, services.Trace);
                    if (recipient == null)
                    {
                        Finish(context, services, $"No alert: the owner has no active manager and the policy '{policy.Source}' names no escalation user or team.");
                        return;
                    }

                    var alertId = store.Service.Create(new Entity(RiskAlert.EntityName)
                    {
                        [RiskAlert.Name] = ColumnLimits.AlertName.Fit($"{level} risk: {name}"),
                        [RiskAlert.OpportunityId] = new EntityReference(Plugins.Schema.Opportunity.EntityName, deal.Id),
                        [RiskAlert.Level] = new OptionSetValue(OptionSets.RiskLevelValue(level)),
                        [RiskAlert.Reasons] = ColumnLimits.AlertReasons.Fit(reasons),
                        [RiskAlert.RecipientId] = recipient,
                        [RiskAlert.OriginalRecipientId] = recipient,
                        // Owned by the recipient, so the Deal Risk Manager role (Deep) lets them see and answer it.
                        [RiskAlert.OwnerId] = recipient,
                        [RiskAlert.Status] = new OptionSetValue(OptionSets.AlertStatusValue(AlertStatus.Open)),
                        [RiskAlert.RaisedOn] = now,
                        [RiskAlert.LastRaisedOn] = now,
                        [RiskAlert.EscalationLevel] = 0,
                    });
                    store.Notify(recipient, deal, level, $"{level} deal risk: {name}", reasons);
                    AlertCreated.Set(context, true);
                    Alert.Set(context, new EntityReference(RiskAlert.EntityName, alertId));
                    Recipient.Set(context, recipient!);
                    Finish(context, services, $"Alert sent to {recipient.Name ?? recipient.Id.ToString()}: {decision.Why}");
                    return;
                }
            }
        }

        private void Finish(CodeActivityContext context, ActivityServices services, string result)
        {
            Result.Set(context, result);
            services.Trace(result);
        }
    }

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

            store.Service.Update(new Entity(RiskAlert.EntityName, alert.Id)
            {
                [RiskAlert.RecipientId] = next,
                [RiskAlert.OwnerId] = next,
                [RiskAlert.EscalationLevel] = ColumnLimits.AlertEscalationLevel.Fit(rule.EscalationLevel + 1),
                [RiskAlert.EscalatedOn] = services.Now,
            });
            var name = deal.GetAttributeValue<string>(Plugins.Schema.Opportunity.Name) ?? "(unnamed deal)";
            store.Notify(next, deal, rule.Level, $"Escalated, not acknowledged for {policy.EscalationHours} h: {name}", alert.GetAttributeValue<string>(RiskAlert.Reasons) ?? "");
            Escalated.Set(context, true);
            EscalatedTo.Set(context, next);
            Result.Set(context, $"Escalated to level {rule.EscalationLevel + 1}.");
        }
    }

    /// <summary>Returns the deal's verdict so that an admin's own workflow can put it in an e-mail.</summary>
    public sealed class ReadRiskVerdict : DealRiskActivity
    {
        [RequiredArgument]
        [Input("Opportunity")]
        [ReferenceTarget("opportunity")]
        public InArgument<EntityReference> Opportunity { get; set; } = null!;

        [Output("Overall risk")]
        public OutArgument<string> OverallRisk { get; set; } = null!;

        [Output("Margin risk")]
        public OutArgument<string> MarginRisk { get; set; } = null!;

        [Output("Resource risk")]
        public OutArgument<string> ResourceRisk { get; set; } = null!;

        [Output("Fit risk")]
        public OutArgument<string> FitRisk { get; set; } = null!;

        [Output("Forecast risk")]
        public OutArgument<string> ForecastRisk { get; set; } = null!;

        [Output("Risk score")]
        public OutArgument<int> Score { get; set; } = null!;

        [Output("Reasons")]
        public OutArgument<string> Reasons { get; set; } = null!;

        [Output("Top reason")]
        public OutArgument<string> TopReason { get; set; } = null!;

        [Output("Found")]
        public OutArgument<bool> Found { get; set; } = null!;

        internal override void Run(CodeActivityContext context, ActivityServices services)
        {
            var dealRef = Opportunity.Get(context) ?? throw new InvalidPluginExecutionException("Read risk verdict needs an opportunity.");
            var deal = new AlertStore(services.SystemService).Deal(dealRef.Id);
            Found.Set(context, deal != null);
            if (deal == null) return;
            string Level(string column) => (OptionSets.RiskLevelOf(deal.GetAttributeValue<OptionSetValue>(column)?.Value) ?? RiskLevel.Unknown).ToString();
            OverallRisk.Set(context, Level(Plugins.Schema.Opportunity.OverallRisk));
            MarginRisk.Set(context, Level(Plugins.Schema.Opportunity.MarginRisk));
            ResourceRisk.Set(context, Level(Plugins.Schema.Opportunity.ResourceRisk));
            FitRisk.Set(context, Level(Plugins.Schema.Opportunity.FitRisk));
            ForecastRisk.Set(context, Level(Plugins.Schema.Opportunity.ForecastRisk));
            Score.Set(context, deal.GetAttributeValue<int?>(Plugins.Schema.Opportunity.RiskScore) ?? 0);
            var reasons = deal.GetAttributeValue<string>(Plugins.Schema.Opportunity.RiskReasons) ?? "";
            Reasons.Set(context, reasons);
            TopReason.Set(context, reasons.Split('\n')[0]);
        }
    }
}
