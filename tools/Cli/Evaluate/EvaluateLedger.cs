using System;
using System.Collections.Generic;
using System.Linq;
using CrmPlugins.Emulator;
using DealRisk.Cli.Live;
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
        /// each page the ledger rows its fold deactivated are deleted by the job that deletes them in an org (see
        /// <see cref="CleanUp"/>): kept, they would grow with the org (about two per role and day a page touches) and hold
        /// memory to the end of the run.
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
                deleted += CleanUp(org, service);
                report(deals);
            }
            while (continuation.Length > 0);

            return new Built(deals, entries, pages, deleted);
        }

        /// <summary>
        /// The query of the clean-up: the ledger rows the folds deactivated, as <c>dealrisk deploy</c>'s daily bulk delete job
        /// (<see cref="LedgerCleanup.Request"/>) has it.
        /// </summary>
        public static QueryExpression CleanupQuery()
        {
            var query = new QueryExpression(DemandEntryTable.EntityName) { ColumnSet = new ColumnSet(false) };
            query.Criteria.AddCondition(DemandEntryTable.StateCode, ConditionOperator.Equal, LedgerFold.Inactive);
            return query;
        }

        /// <summary>
        /// Does now what the admin's org does every night: submits the clean-up's BulkDelete job (<see cref="LedgerCleanup"/>'s
        /// name and query, to run once, from now) and runs it. The job is the platform's: it reads its rows in pages and deletes
        /// each through Delete. Returns the rows it deleted; a job that failed to delete a row stops the run, as the ledger
        /// would then hold rows the run did not account for.
        /// </summary>
        private static int CleanUp(XrmOrganization org, IOrganizationService service)
        {
            var request = new OrganizationRequest("BulkDelete")
            {
                ["JobName"] = LedgerCleanup.JobName,
                ["QuerySet"] = new[] { CleanupQuery() },
                ["SendEmailNotification"] = false,
                ["ToRecipients"] = Array.Empty<Guid>(),
                ["CCRecipients"] = Array.Empty<Guid>(),
                ["RecurrencePattern"] = "",
                ["StartDateTime"] = org.UtcNow,
            };
            var jobId = (Guid)service.Execute(request).Results["JobId"];
            org.RunAsyncOperations();
            var job = org.BulkDeleteJobs.Single(j => j.Id == jobId);
            if (job.Status != AsyncOperationStatus.Succeeded || job.FailureCount > 0)
                throw new CliException(ExitCodes.Failed, $"The demand ledger's clean-up job did not delete every folded row ({job.SuccessCount} deleted, {job.FailureCount} failed): {job.Message}");
            return job.SuccessCount;
        }

        /// <summary>The deals the rebuild reads at most: the open and the won ones of the data.</summary>
        public static int Candidates(IEnumerable<Entity> rows) =>
            rows.Count(r => r.LogicalName == Opportunity.EntityName &&
                            (r.GetAttributeValue<OptionSetValue>(Opportunity.StateCode)?.Value ?? OpportunityState.Open) is OpportunityState.Open or OpportunityState.Won);
    }
}
