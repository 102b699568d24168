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
            var reasons = AlertText.Compose(deal.GetAttributeValue<string>(Plugins.Schema.Opportunity.RiskReasons), deal.GetAttributeValue<string>(Plugins.Schema.Opportunity.RiskFixes));
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
}
