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

        /// <summary>Runs waiting asynchronous steps (and those they queue) until none is left; returns how many ran.</summary>
        public int RunAsyncOperations()
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
            foreach (var failed in _asyncOperations.Where(a => a.Status == AsyncOperationStatus.Failed)) failed.Status = AsyncOperationStatus.Waiting;
            _firstWaiting = 0;
            return RunAsyncOperations();
        }

        internal void QueueAsync(QueuedAsync queued) => _asyncOperations.Add(new AsyncOperation(queued.Step, queued.Context));

        private void RunAsync(AsyncOperation job)
        {
            job.Status = AsyncOperationStatus.InProgress;
            var context = job.Context;
            try
            {
                var scope = new CallScope(context.UserId, context.InitiatingUserId, context.Depth - 1, context.ParentContext as PluginExecutionContext, null, context.CorrelationId);
                job.Execution = InTransaction(() => RunPlugin(job.Step, job.Step.PluginType, job.Step.Instance, context, scope));
                job.Status = AsyncOperationStatus.Succeeded;
            }
            catch (Exception ex)
            {
                job.Status = AsyncOperationStatus.Failed;
                job.Message = ex.Message;
                job.Execution = _executions.LastOrDefault(e => e.Context == context);
            }
        }
    }
}
