using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading.Tasks;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.PluginTelemetry;

namespace CrmPlugins.Emulator.Pipeline
{
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
