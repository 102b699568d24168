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
            // The platform gives the service bus notification service to every plugin (the `pac plugin init` template asks
            // for it up front); the emulator posts nowhere, so using it fails loudly instead of pretending a post happened.
            if (serviceType == typeof(IServiceEndpointNotificationService)) return UnmodelledNotificationService.Instance;
            // Any other platform service the emulator does not model fails loudly: a plugin tested here must not pass on
            // a null the platform would never give it.
            if (serviceType.Assembly == typeof(IPlugin).Assembly)
                throw Faults.NotSupported($"The emulator does not model the platform service {serviceType.FullName} the plugin asked for.");
            return null;
        }
    }

    /// <summary>IServiceEndpointNotificationService, which the emulator does not model: a post fails naming it.</summary>
    internal sealed class UnmodelledNotificationService : IServiceEndpointNotificationService
    {
        public static readonly UnmodelledNotificationService Instance = new();

        public string Execute(EntityReference serviceEndpoint, IExecutionContext context) =>
            throw Faults.NotSupported($"The emulator does not model {typeof(IServiceEndpointNotificationService).FullName}: the post to service endpoint {serviceEndpoint?.Id} was not made.");
    }
}
