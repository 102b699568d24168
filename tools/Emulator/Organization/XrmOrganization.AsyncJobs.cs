using System;
using System.Linq;
using CrmPlugins.Emulator.Pipeline;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator
{
    /// <summary>System jobs of asynchronous steps: queued when the transaction that triggered them commits, run on demand.</summary>
    public sealed partial class XrmOrganization
    {
        /// <summary>Runs waiting asynchronous steps (and those they queue) until none is left; returns how many ran.</summary>
        public int RunAsyncOperations()
        {
            var ran = 0;
            while (true)
            {
                var next = _asyncOperations.FirstOrDefault(a => a.Status == AsyncOperationStatus.Waiting);
                if (next == null) return ran;
                RunAsync(next);
                ran++;
            }
        }

        /// <summary>Runs failed asynchronous steps again, as an admin's Resume of a failed system job.</summary>
        public int RetryFailedAsyncOperations()
        {
            foreach (var failed in _asyncOperations.Where(a => a.Status == AsyncOperationStatus.Failed)) failed.Status = AsyncOperationStatus.Waiting;
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
