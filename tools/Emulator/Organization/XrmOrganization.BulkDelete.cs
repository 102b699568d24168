using System;
using System.Collections.Generic;
using System.Linq;
using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace CrmPlugins.Emulator
{
    /// <summary>Bulk delete system jobs: submitted by the BulkDelete message, run with the other asynchronous jobs.</summary>
    public sealed partial class XrmOrganization
    {
        private readonly List<BulkDeleteJob> _bulkDeleteJobs = new();

        /// <summary>The bulk delete jobs submitted (waiting, recurring between runs, succeeded or failed).</summary>
        public IReadOnlyList<BulkDeleteJob> BulkDeleteJobs => _bulkDeleteJobs;

        internal BulkDeleteJob SubmitBulkDelete(string name, IEnumerable<QueryExpression> queries, string pattern, TimeSpan? interval, DateTime startOn, Guid ownerId)
        {
            var job = new BulkDeleteJob(Guid.NewGuid(), name, queries.ToList(), pattern, interval, startOn, ownerId);
            _bulkDeleteJobs.Add(job);
            return job;
        }

        /// <summary>Runs the bulk delete jobs that are due; returns how many ran.</summary>
        private int RunDueBulkDeletes()
        {
            var due = _bulkDeleteJobs.Where(j => j.Status == AsyncOperationStatus.Waiting && j.PostponeUntil <= UtcNow).ToList();
            foreach (var job in due) RunBulkDelete(job);
            return due.Count;
        }

        private void RunBulkDelete(BulkDeleteJob job)
        {
            job.Status = AsyncOperationStatus.InProgress;
            var started = UtcNow;
            var service = GetOrganizationService(job.OwnerId);
            var rows = new List<EntityReference>();
            foreach (var query in job.QuerySet) rows.AddRange(Matching(service, query, started));

            // Each row goes through Delete (its steps and cascades run); a failure is counted and the rest go on, and what
            // was deleted stays deleted, as the platform's bulk delete does.
            var deleted = 0;
            var failed = 0;
            string? message = null;
            foreach (var row in rows.GroupBy(r => (r.LogicalName, r.Id)).Select(g => g.First()))
            {
                try
                {
                    service.Delete(row.LogicalName, row.Id);
                    deleted++;
                }
                catch (FaultException<OrganizationServiceFault> ex)
                {
                    failed++;
                    message ??= ex.Message;
                }
            }

            job.Runs++;
            job.SuccessCount = deleted;
            job.FailureCount = failed;
            job.TotalDeleted += deleted;
            job.Message = message;
            if (job.Interval is TimeSpan every)
            {
                var next = job.PostponeUntil;
                while (next <= started) next += every;
                job.PostponeUntil = next;
                job.Status = AsyncOperationStatus.Waiting;
            }
            else job.Status = failed > 0 && deleted == 0 ? AsyncOperationStatus.Failed : AsyncOperationStatus.Succeeded;
        }

        /// <summary>
        /// The rows <paramref name="query"/> matches that were created before the run began, 1,000 a page with its own paging
        /// whatever the query's PageInfo (learn.microsoft.com/dotnet/api/microsoft.crm.sdk.messages.bulkdeleterequest.queryset).
        /// </summary>
        private static IEnumerable<EntityReference> Matching(IOrganizationService service, QueryExpression query, DateTime started)
        {
            var copy = new QueryExpression(query.EntityName) { Criteria = query.Criteria, ColumnSet = new ColumnSet("createdon"), TopCount = query.TopCount, NoLock = query.NoLock };
            copy.LinkEntities.AddRange(query.LinkEntities);
            if (copy.TopCount == null) copy.PageInfo = new PagingInfo { Count = 1000, PageNumber = 1 };
            while (true)
            {
                var page = service.RetrieveMultiple(copy);
                foreach (var row in page.Entities)
                    if (!(row.GetAttributeValue<DateTime?>("createdon") > started)) yield return row.ToEntityReference();
                if (copy.TopCount != null || !page.MoreRecords) yield break;
                copy.PageInfo.PageNumber++;
                copy.PageInfo.PagingCookie = page.PagingCookie;
            }
        }
    }
}
