using System;
using System.Collections.Generic;
using System.Linq;
using CrmPlugins.Emulator;
using DealRisk.Plugins.Ledger;
using DealRisk.Plugins.Schema;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace DealRisk.Cli.Evaluate
{
    /// <summary>
    /// The demand ledger of an evaluated org: built from the data, never taken from it. Seeded deals never went through the
    /// risk step, so the ledger rows and dr_demandposted texts of an export (a copy of an org where the suite runs, or a
    /// file someone edited) would be a second, unchecked account of the same demand; the rebuild works it out again from
    /// the deals, their lines and requirements, through the Custom API dr_RebuildDemandLedger as an admin runs it.
    /// </summary>
    public static class EvaluateLedger
    {
        /// <summary>Deals per call: the API's largest page, so the folds (and the inactive rows they leave) are as few as can be.</summary>
        public const int PageSize = RebuildDemandLedgerPlugin.MaxPageSize;

        /// <summary>What was left out of the data: ledger rows, and deals' dr_demandposted values.</summary>
        public sealed record Dropped(int Rows, int Texts);

        /// <summary>What the rebuild did.</summary>
        public sealed record Built(int Deals, int Entries, int Pages, int RowsDeleted);

        /// <summary>Takes the ledger rows and the deals' dr_demandposted values out of <paramref name="rows"/>, before they are seeded.</summary>
        public static Dropped Drop(List<Entity> rows)
        {
            var ledger = rows.RemoveAll(r => r.LogicalName == DemandEntryTable.EntityName);
            var texts = 0;
            foreach (var deal in rows)
                if (deal.LogicalName == Opportunity.EntityName && deal.Attributes.TryGetValue(Opportunity.DemandPosted, out var text) && deal.Attributes.Remove(Opportunity.DemandPosted)
                    && !string.IsNullOrEmpty(text as string))
                    texts++;
            return new Dropped(ledger, texts);
        }

        /// <summary>
        /// Calls the Custom API page by page until it is done, reporting the deals read to <paramref name="report"/>. After
        /// each page the ledger rows its fold deactivated are deleted, as the recurring bulk delete does in an org: kept,
        /// they would grow with the org (about two per role and day a page touches) and hold memory to the end of the run.
        /// </summary>
        public static Built Rebuild(XrmOrganization org, Action<long> report)
        {
            var service = org.GetOrganizationService(org.AdministratorId);
            int deals = 0, entries = 0, pages = 0, deleted = 0;
            string continuation = "";
            do
            {
                var request = new OrganizationRequest(RebuildDemandLedgerPlugin.MessageName) { [RebuildDemandLedgerPlugin.PageSizeParameter] = PageSize };
                if (continuation.Length > 0) request[RebuildDemandLedgerPlugin.ContinuationParameter] = continuation;
                var response = service.Execute(request);
                pages++;
                deals += (int)response.Results[RebuildDemandLedgerPlugin.DealsProperty];
                entries += (int)response.Results[RebuildDemandLedgerPlugin.EntriesProperty];
                continuation = (string)response.Results[RebuildDemandLedgerPlugin.ContinuationProperty] ?? "";
                deleted += DeleteInactive(service);
                report(deals);
            }
            while (continuation.Length > 0);

            return new Built(deals, entries, pages, deleted);
        }

        private static int DeleteInactive(IOrganizationService service)
        {
            var query = new QueryExpression(DemandEntryTable.EntityName) { ColumnSet = new ColumnSet(false) };
            query.Criteria.AddCondition(DemandEntryTable.StateCode, ConditionOperator.Equal, LedgerFold.Inactive);
            var deleted = 0;
            // A query answers one page (5,000 rows): read again until none is left.
            for (var ids = Ids(service, query); ids.Count > 0; ids = Ids(service, query))
            {
                foreach (var id in ids) service.Delete(DemandEntryTable.EntityName, id);
                deleted += ids.Count;
            }

            return deleted;
        }

        private static List<Guid> Ids(IOrganizationService service, QueryExpression query) => service.RetrieveMultiple(query).Entities.Select(e => e.Id).ToList();

        /// <summary>The deals the rebuild reads at most: the open and the won ones of the data.</summary>
        public static int Candidates(IEnumerable<Entity> rows) =>
            rows.Count(r => r.LogicalName == Opportunity.EntityName &&
                            (r.GetAttributeValue<OptionSetValue>(Opportunity.StateCode)?.Value ?? OpportunityState.Open) is OpportunityState.Open or OpportunityState.Won);
    }
}
