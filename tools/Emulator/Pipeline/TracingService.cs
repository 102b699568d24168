using System.Globalization;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator.Pipeline
{
    /// <summary>ITracingService that writes into the execution's trace, formatting like string.Format.</summary>
    internal sealed class TracingService : ITracingService
    {
        private readonly Execution _execution;

        public TracingService(Execution execution) => _execution = execution;

        public void Trace(string format, params object[] args)
        {
            var line = args == null || args.Length == 0 ? format : string.Format(CultureInfo.InvariantCulture, format, args);
            _execution.TraceText.AppendLine(line);
        }
    }
}
