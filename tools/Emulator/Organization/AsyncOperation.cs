using CrmPlugins.Emulator.Pipeline;

namespace CrmPlugins.Emulator
{
    /// <summary>The state of a system job.</summary>
    public enum AsyncOperationStatus
    {
        Waiting,
        InProgress,
        Succeeded,
        Failed,
    }

    /// <summary>The system job of an asynchronous step.</summary>
    public sealed class AsyncOperation
    {
        internal AsyncOperation(PluginStep step, PluginExecutionContext context)
        {
            Step = step;
            Context = context;
        }

        public PluginStep Step { get; }

        public PluginExecutionContext Context { get; }

        public AsyncOperationStatus Status { get; internal set; } = AsyncOperationStatus.Waiting;

        /// <summary>The error of a failed job.</summary>
        public string? Message { get; internal set; }

        public PluginExecution? Execution { get; internal set; }

        /// <summary>How many times the job's plugin has run (a plugin that asks for a retry runs up to
        /// <see cref="XrmOrganization.AsyncRetryAttempts"/> times).</summary>
        public int Attempts { get; internal set; }
    }
}
