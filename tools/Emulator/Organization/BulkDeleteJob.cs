using System;
using System.Collections.Generic;
using Microsoft.Xrm.Sdk.Query;

namespace CrmPlugins.Emulator
{
    /// <summary>
    /// The system job a BulkDelete request submits (an asyncoperation of operation type 13, Bulk Delete, with its
    /// bulkdeleteoperation): it waits until its start time, and when the organization runs its asynchronous jobs
    /// (<see cref="XrmOrganization.RunAsyncOperations"/>) deletes the rows its queries match that were created before the
    /// run began, each through the Delete message. A recurring job then waits for its next occurrence
    /// (learn.microsoft.com/power-apps/developer/data-platform/delete-data-bulk).
    /// </summary>
    public sealed class BulkDeleteJob
    {
        /// <summary>asyncoperation.operationtype of a bulk delete.</summary>
        public const int OperationType = 13;

        internal BulkDeleteJob(Guid id, string name, IReadOnlyList<QueryExpression> querySet, string recurrencePattern, TimeSpan? interval, DateTime startOn, Guid ownerId)
        {
            Id = id;
            Name = name;
            QuerySet = querySet;
            RecurrencePattern = recurrencePattern;
            Interval = interval;
            PostponeUntil = startOn;
            OwnerId = ownerId;
        }

        /// <summary>The asyncoperation id, the BulkDelete response's JobId.</summary>
        public Guid Id { get; }

        /// <summary>The request's JobName (asyncoperation.name).</summary>
        public string Name { get; }

        /// <summary>The queries whose rows the job deletes (copies of the request's).</summary>
        public IReadOnlyList<QueryExpression> QuerySet { get; }

        /// <summary>The request's RecurrencePattern; empty for a job that runs once.</summary>
        public string RecurrencePattern { get; }

        /// <summary>The time between runs of a recurring job; null for one that runs once.</summary>
        public TimeSpan? Interval { get; }

        /// <summary>The user who submitted the job; it runs as them.</summary>
        public Guid OwnerId { get; }

        /// <summary>When the job runs next (asyncoperation.postponeuntil): the start time, then each next occurrence.</summary>
        public DateTime PostponeUntil { get; internal set; }

        /// <summary>Waiting until it is due (a recurring job also between runs), Succeeded or Failed once a one-time job ran.</summary>
        public AsyncOperationStatus Status { get; internal set; } = AsyncOperationStatus.Waiting;

        /// <summary>How many times the job has run.</summary>
        public int Runs { get; internal set; }

        /// <summary>Rows deleted by the latest run (bulkdeleteoperation.successcount).</summary>
        public int SuccessCount { get; internal set; }

        /// <summary>Rows the latest run failed to delete (bulkdeleteoperation.failurecount); the others stay deleted.</summary>
        public int FailureCount { get; internal set; }

        /// <summary>Rows deleted over every run.</summary>
        public int TotalDeleted { get; internal set; }

        /// <summary>The first failure of the latest run, if any.</summary>
        public string? Message { get; internal set; }

        /// <summary>Whether the job runs again after each run.</summary>
        public bool IsRecurring => Interval != null;
    }
}
