using System.Activities;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Workflow;

namespace DealRisk.WorkflowActivities
{
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
