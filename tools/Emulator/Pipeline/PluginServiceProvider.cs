using System;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.PluginTelemetry;

namespace CrmPlugins.Emulator.Pipeline
{
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
            // A platform service the emulator does not model (IServiceEndpointNotificationService, ...) fails loudly: a
            // plugin tested here must not pass on a null the platform would never give it.
            if (serviceType.Assembly == typeof(IPlugin).Assembly)
                throw Faults.NotSupported($"The emulator does not model the platform service {serviceType.FullName} the plugin asked for.");
            return null;
        }
    }
}
