using System;
using System.Collections.Generic;
using System.Linq;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;

namespace DealRisk.Plugins.Ledger
{
    /// <summary>
    /// The ledger changes of one execution of the risk step: what the ledger holds of each stored deal of the batch (from
    /// its pre-image), the change rows each judgement or close adds, and the one CreateMultiple that posts them. A deal
    /// that appears twice in a batch posts its second change from its first, as two saves one after the other would.
    /// </summary>
    internal sealed class LedgerPostings
    {
        private readonly ILocalPluginContext _local;
        private readonly Dictionary<Guid, DemandPosting> _held = new Dictionary<Guid, DemandPosting>();
        private readonly Dictionary<Guid, DemandPosting> _current = new Dictionary<Guid, DemandPosting>();
        private readonly List<DemandEntry> _changes = new List<DemandEntry>();

        public LedgerPostings(ILocalPluginContext local) => _local = local;

        /// <summary>What the ledger held of the deal before this execution: nothing for a deal being created.</summary>
        public DemandPosting Holding(DealState deal)
        {
            if (deal.IsCreate || deal.PreImage == null || deal.Target.Id == Guid.Empty) return DemandPosting.None;
            if (_held.TryGetValue(deal.Target.Id, out var known)) return known;
            return _held[deal.Target.Id] = Read(_local, deal.Target.Id, deal.PreImage);
        }

        /// <summary>What a stored deal holds in the ledger, from its state, actual close date and posted text; unreadable text is traced and holds nothing.</summary>
        public static DemandPosting Read(ILocalPluginContext local, Guid id, Entity stored)
        {
            var text = stored.GetAttributeValue<string>(Opportunity.DemandPosted);
            if (DemandLedger.TryHolding(stored.GetAttributeValue<OptionSetValue>(Opportunity.StateCode)?.Value, stored.GetAttributeValue<DateTime?>(Opportunity.ActualCloseDate), text, out var holding))
                return holding;
            local.Trace($"Opportunity {id}: {Opportunity.DemandPosted} holds '{text}', which the suite did not write; taken as holding nothing in the demand ledger.");
            return DemandPosting.None;
        }

        /// <summary>An open deal judged: the ledger moves from what it holds of the deal to <paramref name="posting"/>, and the deal keeps its text.</summary>
        public void Judged(DealState deal, DemandPosting posting)
        {
            Move(deal, posting);
            var text = posting.Format();
            // Written only when it changes, so an unchanged save changes nothing; a value someone sent in the column is replaced.
            if (deal.Target.Contains(Opportunity.DemandPosted) || text != (deal.Before<string>(Opportunity.DemandPosted) ?? ""))
                deal.Target[Opportunity.DemandPosted] = text.Length == 0 ? null : text;
        }

        /// <summary>
        /// A deal closed by this save (an Update or SetState of statecode from open): the ledger moves from its open holding to
        /// its closed one (won: in full from its actual close date; lost: nothing). Its text stays the open posting.
        /// </summary>
        public void Close(DealState deal)
        {
            if (deal.IsCreate || deal.PreImage == null || (deal.Before<OptionSetValue>(Opportunity.StateCode)?.Value ?? OpportunityState.Open) != OpportunityState.Open) return;
            var open = Current(deal);
            var won = deal.Get<OptionSetValue>(Opportunity.StateCode)?.Value == OpportunityState.Won;
            Move(deal, won ? DemandLedger.Won(open, deal.Get<DateTime?>(Opportunity.ActualCloseDate)) : DemandPosting.None);
        }

        /// <summary>Posts the changes of the execution in one CreateMultiple; nothing when nothing changed.</summary>
        public void Post()
        {
            var rows = _changes.Select(DemandLedger.Row).Where(r => r != null).Cast<Entity>().ToList();
            if (rows.Count == 0) return;
            _local.SystemService.Execute(new CreateMultipleRequest
            {
                Targets = new EntityCollection(rows) { EntityName = DemandEntryTable.EntityName },
            });
            _local.Trace($"Demand ledger: {rows.Count} change row(s) posted.");
            _changes.Clear();
        }

        private DemandPosting Current(DealState deal) =>
            deal.Target.Id != Guid.Empty && _current.TryGetValue(deal.Target.Id, out var now) ? now : Holding(deal);

        private void Move(DealState deal, DemandPosting to)
        {
            _changes.AddRange(DemandPosting.Changes(Current(deal), to));
            if (deal.Target.Id != Guid.Empty) _current[deal.Target.Id] = to;
        }
    }
}
