using System.Linq;
using System.ServiceModel;
using DealRisk.Plugins.Schema;
using Microsoft.Xrm.Sdk;

namespace DealRisk.Plugins
{
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
