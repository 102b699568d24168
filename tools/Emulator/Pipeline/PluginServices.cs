using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Threading.Tasks;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.PluginTelemetry;

namespace CrmPlugins.Emulator.Pipeline
{
    /// <summary>The record of one run of custom code (a plugin or a workflow activity): its trace, the service calls
    /// it made by message, and how it ended.</summary>
    public abstract class Execution
    {
        internal StringBuilder TraceText { get; } = new();

        /// <summary>Everything the code wrote with ITracingService (and the telemetry logger), one line a call.</summary>
        public string Trace => TraceText.ToString();

        /// <summary>The organization service calls the code made, by message name.</summary>
        public ServiceCallCounter Calls { get; } = new();

        /// <summary>The exception the code threw, if it did.</summary>
        public Exception? Exception { get; internal set; }

        /// <summary>How deep in nested calls the code ran.</summary>
        public abstract int Depth { get; }
    }

    /// <summary>The record of one plugin execution: which step ran, with which context.</summary>
    public sealed class PluginExecution : Execution
    {
        internal PluginExecution(PluginStep? step, Type pluginType, PluginExecutionContext context)
        {
            Step = step;
            PluginType = pluginType;
            Context = context;
        }

        public PluginStep? Step { get; }

        public Type PluginType { get; }

        public PluginExecutionContext Context { get; }

        public string MessageName => Context.MessageName;

        public int Stage => Context.Stage;

        public override int Depth => Context.Depth;
    }

    /// <summary>Counts organization service calls by message (Create, Retrieve, RetrieveMultiple, ...).</summary>
    public sealed class ServiceCallCounter
    {
        private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

        public int Total { get; private set; }

        public IReadOnlyDictionary<string, int> ByMessage => _counts;

        public int this[string message] => _counts.TryGetValue(message, out var n) ? n : 0;

        internal void Add(string message)
        {
            _counts[message] = this[message] + 1;
            Total++;
        }

        /// <summary>"Retrieve=1, RetrieveMultiple=3" in message order: easy to compare across runs.</summary>
        public override string ToString()
        {
            var parts = new List<string>();
            foreach (var key in new SortedSet<string>(_counts.Keys, StringComparer.Ordinal)) parts.Add(key + "=" + _counts[key]);
            return string.Join(", ", parts);
        }
    }

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

    /// <summary>The service provider Dataverse hands to IPlugin.Execute.</summary>
    internal sealed class PluginServiceProvider : IServiceProvider
    {
        private readonly PluginExecutionContext _context;
        private readonly ITracingService _tracing;
        private readonly IOrganizationServiceFactory _factory;
        private readonly ILogger _logger;

        public PluginServiceProvider(PluginExecutionContext context, ITracingService tracing, IOrganizationServiceFactory factory)
        {
            _context = context;
            _tracing = tracing;
            _factory = factory;
            _logger = new TraceLogger(tracing);
        }

        public object? GetService(Type serviceType)
        {
            if (serviceType.IsInstanceOfType(_context)) return _context;
            if (serviceType == typeof(ITracingService)) return _tracing;
            if (serviceType == typeof(IOrganizationServiceFactory)) return _factory;
            if (serviceType == typeof(ILogger)) return _logger;
            return null;
        }
    }

    /// <summary>The telemetry logger: in the emulator its lines go to the plugin trace, prefixed by level.</summary>
    internal sealed class TraceLogger : ILogger
    {
        private readonly ITracingService _trace;

        public TraceLogger(ITracingService trace) => _trace = trace;

        public IDisposable BeginScope<TState>(TState state) => Scope.Instance;
        public IDisposable BeginScope(string messageFormat, params object[] args) => Scope.Instance;
        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception exception, Func<TState, Exception, string> formatter) =>
            Write(logLevel, exception, formatter(state, exception));

        public void Log(LogLevel logLevel, EventId eventId, Exception exception, string message, params object[] args) => Write(logLevel, exception, Format(message, args));
        public void Log(LogLevel logLevel, EventId eventId, string message, params object[] args) => Write(logLevel, null, Format(message, args));
        public void Log(LogLevel logLevel, Exception exception, string message, params object[] args) => Write(logLevel, exception, Format(message, args));
        public void Log(LogLevel logLevel, string message, params object[] args) => Write(logLevel, null, Format(message, args));
        public void LogCritical(EventId eventId, Exception exception, string message, params object[] args) => Write(LogLevel.Critical, exception, Format(message, args));
        public void LogCritical(EventId eventId, string message, params object[] args) => Write(LogLevel.Critical, null, Format(message, args));
        public void LogCritical(Exception exception, string message, params object[] args) => Write(LogLevel.Critical, exception, Format(message, args));
        public void LogCritical(string message, params object[] args) => Write(LogLevel.Critical, null, Format(message, args));
        public void LogDebug(EventId eventId, Exception exception, string message, params object[] args) => Write(LogLevel.Debug, exception, Format(message, args));
        public void LogDebug(EventId eventId, string message, params object[] args) => Write(LogLevel.Debug, null, Format(message, args));
        public void LogDebug(Exception exception, string message, params object[] args) => Write(LogLevel.Debug, exception, Format(message, args));
        public void LogDebug(string message, params object[] args) => Write(LogLevel.Debug, null, Format(message, args));
        public void LogError(EventId eventId, Exception exception, string message, params object[] args) => Write(LogLevel.Error, exception, Format(message, args));
        public void LogError(EventId eventId, string message, params object[] args) => Write(LogLevel.Error, null, Format(message, args));
        public void LogError(Exception exception, string message, params object[] args) => Write(LogLevel.Error, exception, Format(message, args));
        public void LogError(string message, params object[] args) => Write(LogLevel.Error, null, Format(message, args));
        public void LogInformation(EventId eventId, Exception exception, string message, params object[] args) => Write(LogLevel.Information, exception, Format(message, args));
        public void LogInformation(EventId eventId, string message, params object[] args) => Write(LogLevel.Information, null, Format(message, args));
        public void LogInformation(Exception exception, string message, params object[] args) => Write(LogLevel.Information, exception, Format(message, args));
        public void LogInformation(string message, params object[] args) => Write(LogLevel.Information, null, Format(message, args));
        public void LogTrace(EventId eventId, Exception exception, string message, params object[] args) => Write(LogLevel.Trace, exception, Format(message, args));
        public void LogTrace(EventId eventId, string message, params object[] args) => Write(LogLevel.Trace, null, Format(message, args));
        public void LogTrace(Exception exception, string message, params object[] args) => Write(LogLevel.Trace, exception, Format(message, args));
        public void LogTrace(string message, params object[] args) => Write(LogLevel.Trace, null, Format(message, args));
        public void LogWarning(EventId eventId, Exception exception, string message, params object[] args) => Write(LogLevel.Warning, exception, Format(message, args));
        public void LogWarning(EventId eventId, string message, params object[] args) => Write(LogLevel.Warning, null, Format(message, args));
        public void LogWarning(Exception exception, string message, params object[] args) => Write(LogLevel.Warning, exception, Format(message, args));
        public void LogWarning(string message, params object[] args) => Write(LogLevel.Warning, null, Format(message, args));
        public void LogMetric(string metricName, long value) => _trace.Trace("[Metric] {0}={1}", metricName, value);
        public void LogMetric(string metricName, IDictionary<string, string> metricDimensions, long value) => _trace.Trace("[Metric] {0}={1}", metricName, value);
        public void AddCustomProperty(string propertyName, string propertyValue) => _trace.Trace("[Property] {0}={1}", propertyName, propertyValue);

        public void Execute(string activityName, Action action, IEnumerable<KeyValuePair<string, string>>? additionalCustomProperties = null)
        {
            _trace.Trace("[Activity] {0} started", activityName);
            action();
            _trace.Trace("[Activity] {0} ended", activityName);
        }

        public async Task ExecuteAsync(string activityName, Func<Task> action, IEnumerable<KeyValuePair<string, string>>? additionalCustomProperties = null)
        {
            _trace.Trace("[Activity] {0} started", activityName);
            await action().ConfigureAwait(false);
            _trace.Trace("[Activity] {0} ended", activityName);
        }

        private static string Format(string message, object[] args) =>
            args == null || args.Length == 0 ? message : string.Format(CultureInfo.InvariantCulture, message, args);

        private void Write(LogLevel level, Exception? exception, string message) =>
            _trace.Trace("{0}", exception == null ? $"[{level}] {message}" : $"[{level}] {message} {exception.GetType().Name}: {exception.Message}");

        private sealed class Scope : IDisposable
        {
            public static readonly Scope Instance = new();
            public void Dispose() { }
        }
    }
}
