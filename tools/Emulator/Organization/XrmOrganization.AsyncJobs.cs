using System;
using System.Linq;
using CrmPlugins.Emulator.Pipeline;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator
{
    /// <summary>System jobs of asynchronous steps: queued when the transaction that triggered them commits, run on demand.</summary>
    public sealed partial class XrmOrganization
    {
        // Jobs before this position have all left Waiting: the next run starts here rather than at the first job.
        private int _firstWaiting;

        /// <summary>
        /// Runs waiting asynchronous steps (and those they queue) until none is left, then the bulk delete jobs that are due
        /// (<see cref="BulkDeleteJobs"/>) and the steps their deletes queue; returns how many jobs ran.
        /// </summary>
        public int RunAsyncOperations()
        {
            var ran = RunWaitingSteps();
            var deletes = RunDueBulkDeletes();
            return deletes == 0 ? ran : ran + deletes + RunWaitingSteps();
        }

        private int RunWaitingSteps()
        {
            var ran = 0;
            while (true)
            {
                while (_firstWaiting < _asyncOperations.Count && _asyncOperations[_firstWaiting].Status != AsyncOperationStatus.Waiting) _firstWaiting++;
                if (_firstWaiting == _asyncOperations.Count) break;
                RunAsync(_asyncOperations[_firstWaiting]);
                ran++;
            }

            if (ExecutionRecordLimit is int limit && _asyncOperations.Count > 2 * Math.Max(limit, 1))
            {
                // Every job has run: keep the failed ones and the latest succeeded ones.
                var keepFrom = _asyncOperations.Count - limit;
                var kept = _asyncOperations.Where((job, i) => i >= keepFrom || job.Status != AsyncOperationStatus.Succeeded).ToList();
                _asyncOperations.Clear();
                _asyncOperations.AddRange(kept);
                _firstWaiting = _asyncOperations.Count;
            }

            return ran;
        }

        /// <summary>Runs failed asynchronous steps again, as an admin's Resume of a failed system job.</summary>
        public int RetryFailedAsyncOperations()
        {
            foreach (var failed in _asyncOperations.Where(a => a.Status == AsyncOperationStatus.Failed))
            {
                failed.Status = AsyncOperationStatus.Waiting;
                failed.Attempts = 0;
            }
            _firstWaiting = 0;
            return RunAsyncOperations();
        }

        internal void QueueAsync(QueuedAsync queued) => _asyncOperations.Add(new AsyncOperation(queued.Step, queued.Context));

        /// <summary>How many times the asynchronous service runs a plugin that asks for a retry before the job fails
        /// (learn.microsoft.com/power-apps/developer/data-platform/handle-exceptions#retry-an-asynchronous-plug-in).</summary>
        public const int AsyncRetryAttempts = 4;

        private void RunAsync(AsyncOperation job)
        {
            job.Status = AsyncOperationStatus.InProgress;
            var context = job.Context;
            // Each attempt starts from the context the job was queued with, as the service reads it from the system job.
            var queued = (context.InputParameters, context.OutputParameters, context.SharedVariables);
            try
            {
                job.Attempts++;
                var scope = new CallScope(context.UserId, context.InitiatingUserId, context.Depth - 1, context.ParentContext as PluginExecutionContext, null, context.CorrelationId);
                job.Execution = InTransaction(() => RunPlugin(job.Step, job.Step.PluginType, () => job.Step.Instance, context, scope));
                job.Status = AsyncOperationStatus.Succeeded;
            }
            catch (Exception ex)
            {
                // The attempt's own record, whether or not the list of records still holds it.
                job.Execution = context.Record;
                job.Message = ex.Message;
                var retry = job.Execution?.Exception is InvalidPluginExecutionException { Status: OperationStatus.Retry } && job.Attempts < AsyncRetryAttempts;
                job.Status = retry ? AsyncOperationStatus.Waiting : AsyncOperationStatus.Failed;
                (context.InputParameters, context.OutputParameters, context.SharedVariables) = queued;
            }
        }
    }
}
