using System;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;

namespace DealRisk.Plugins.Ledger
{
    /// <summary>
    /// Keeps the demand ledger in step when a deal leaves the open state by a message the risk step does not judge:
    /// Win and Lose (synchronous PostOperation, in the transaction: the deal is stored closed by then, with the actual close
    /// date the platform gave it, so its closed holding is read exactly as every later save reads it from the row), and
    /// Delete (synchronous PreOperation with a pre-image: the row is still there to say what it held). Each posts the
    /// change rows between what the ledger held and what it holds now, in one CreateMultiple.
    /// </summary>
    public sealed class DemandLedgerPlugin : PluginBase
    {
        /// <summary>The alias of the Delete step's pre-image.</summary>
        public const string PreImageAlias = "PreImage";

        /// <summary>The deal's columns that say what it holds in the ledger (the Delete step's pre-image; one Retrieve on Win and Lose).</summary>
        internal static readonly string[] HoldingColumns = { Opportunity.StateCode, Opportunity.ActualCloseDate, Opportunity.DemandPosted };

        public DemandLedgerPlugin(string unsecureConfiguration, string secureConfiguration)
            : base(typeof(DemandLedgerPlugin), unsecureConfiguration, secureConfiguration)
        {
        }

        /// <summary>
        /// Whether an operation runs inside a Win or Lose of an opportunity (the platform's own Update that closes the deal):
        /// then this plugin's Win / Lose step posts the close, and the risk step must not post it again.
        /// </summary>
        public static bool IsWinOrLose(IPluginExecutionContext? parent) =>
            parent != null && parent.PrimaryEntityName == Opportunity.EntityName &&
            (string.Equals(parent.MessageName, "Win", StringComparison.OrdinalIgnoreCase) || string.Equals(parent.MessageName, "Lose", StringComparison.OrdinalIgnoreCase));

        protected override void ExecuteDataversePlugin(ILocalPluginContext local)
        {
            var context = local.PluginExecutionContext;
            DemandPosting before, after;
            if (string.Equals(context.MessageName, "Delete", StringComparison.OrdinalIgnoreCase))
            {
                if (!(context.InputParameters.TryGetValue("Target", out var target) && target is EntityReference deal)) return;
                if (!context.PreEntityImages.TryGetValue(PreImageAlias, out var stored)) return;
                before = LedgerPostings.Read(local, deal.Id, stored);
                after = DemandPosting.None;
            }
            else
            {
                // Win and Lose carry the opportunityclose, not the deal: the deal was open (the platform closes only open deals).
                if (!(context.InputParameters.TryGetValue("OpportunityClose", out var close) && close is Entity activity &&
                      activity.GetAttributeValue<EntityReference>(Opportunity.Id) is EntityReference closed)) return;
                var stored = local.SystemService.Retrieve(Opportunity.EntityName, closed.Id, new ColumnSet(HoldingColumns));
                before = LedgerPostings.Read(local, closed.Id, new Entity(Opportunity.EntityName, closed.Id) { [Opportunity.DemandPosted] = stored.GetAttributeValue<string>(Opportunity.DemandPosted) });
                // Text the suite did not write held nothing, and so does the closed deal (traced once, above).
                after = before.Hours.Count == 0 ? DemandPosting.None : DemandLedger.TryHolding(stored.GetAttributeValue<OptionSetValue>(Opportunity.StateCode)?.Value,
                    stored.GetAttributeValue<DateTime?>(Opportunity.ActualCloseDate), stored.GetAttributeValue<string>(Opportunity.DemandPosted), out var closedHolding) ? closedHolding : DemandPosting.None;
            }

            var rows = new EntityCollection { EntityName = DemandEntryTable.EntityName };
            foreach (var change in DemandPosting.Changes(before, after))
                if (DemandLedger.Row(change) is Entity row) rows.Entities.Add(row);
            if (rows.Entities.Count == 0) return;
            local.SystemService.Execute(new CreateMultipleRequest { Targets = rows });
            local.Trace($"Demand ledger: {rows.Entities.Count} change row(s) posted for the {context.MessageName} of the deal.");
        }
    }
}
