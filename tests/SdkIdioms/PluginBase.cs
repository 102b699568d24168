using System;
using System.Runtime.CompilerServices;
using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Extensions;
using Microsoft.Xrm.Sdk.PluginTelemetry;

namespace SdkIdioms
{
    /// <summary>Base class in the shape `pac plugin init` generates.</summary>
    public abstract class PluginBase : IPlugin
    {
        protected string PluginClassName { get; }

        internal PluginBase(Type pluginClassName)
        {
            PluginClassName = pluginClassName.ToString();
        }

        public void Execute(IServiceProvider serviceProvider)
        {
            if (serviceProvider == null) throw new InvalidPluginExecutionException(nameof(serviceProvider));

            var localPluginContext = new LocalPluginContext(serviceProvider);
            localPluginContext.Trace($"Entered {PluginClassName}.Execute() Correlation Id: {localPluginContext.PluginExecutionContext.CorrelationId}, Initiating User: {localPluginContext.PluginExecutionContext.InitiatingUserId}");
            try
            {
                ExecuteDataversePlugin(localPluginContext);
            }
            catch (FaultException<OrganizationServiceFault> orgServiceFault)
            {
                localPluginContext.Trace($"Exception: {orgServiceFault}");
                throw new InvalidPluginExecutionException($"OrganizationServiceFault: {orgServiceFault.Message}", orgServiceFault);
            }
            finally
            {
                localPluginContext.Trace($"Exiting {PluginClassName}.Execute()");
            }
        }

        protected virtual void ExecuteDataversePlugin(ILocalPluginContext localPluginContext)
        {
        }
    }

    public interface ILocalPluginContext
    {
        IOrganizationService InitiatingUserService { get; }
        IOrganizationService PluginUserService { get; }
        IPluginExecutionContext PluginExecutionContext { get; }
        IServiceEndpointNotificationService NotificationService { get; }
        ITracingService TracingService { get; }
        ILogger Logger { get; }
        void LogInfo(string message, [CallerMemberName] string method = null);
        void LogError(Exception ex, [CallerMemberName] string method = null);
        void Trace(string message, [CallerMemberName] string method = null);
    }

    public class LocalPluginContext : ILocalPluginContext
    {
        public IOrganizationService InitiatingUserService { get; }
        public IOrganizationService PluginUserService { get; }
        public IPluginExecutionContext PluginExecutionContext { get; }
        public IServiceEndpointNotificationService NotificationService { get; }
        public ITracingService TracingService { get; }
        public IServiceProvider ServiceProvider { get; }
        public IOrganizationServiceFactory OrgSvcFactory { get; }
        public ILogger Logger { get; }

        public LocalPluginContext(IServiceProvider serviceProvider)
        {
            if (serviceProvider == null) throw new InvalidPluginExecutionException(nameof(serviceProvider));
            ServiceProvider = serviceProvider;
            Logger = serviceProvider.Get<ILogger>();
            PluginExecutionContext = serviceProvider.Get<IPluginExecutionContext>();
            TracingService = new LocalTracingService(serviceProvider);
            NotificationService = serviceProvider.Get<IServiceEndpointNotificationService>();
            OrgSvcFactory = serviceProvider.Get<IOrganizationServiceFactory>();
            PluginUserService = serviceProvider.GetOrganizationService(PluginExecutionContext.UserId);
            InitiatingUserService = serviceProvider.GetOrganizationService(PluginExecutionContext.InitiatingUserId);
        }

        public void LogInfo(string message, [CallerMemberName] string method = null) => Logger?.LogInformation("[{0}] {1}", method, message);

        public void LogError(Exception ex, [CallerMemberName] string method = null) => Logger?.LogError(ex, "[{0}] {1}", method, ex.Message);

        public void Trace(string message, [CallerMemberName] string method = null)
        {
            if (string.IsNullOrWhiteSpace(message) || TracingService == null) return;
            TracingService.Trace(method != null ? $"[{method}] - {message}" : message);
        }
    }

    /// <summary>Adds the time since the first trace to every line, as the template's tracing service does.</summary>
    public class LocalTracingService : ITracingService
    {
        private readonly ITracingService _tracingService;
        private DateTime _previousTraceTime;

        public LocalTracingService(IServiceProvider serviceProvider)
        {
            var utcNow = DateTime.UtcNow;
            var context = (IExecutionContext)serviceProvider.GetService(typeof(IExecutionContext));
            var initialTimestamp = context.OperationCreatedOn;
            if (initialTimestamp > utcNow) initialTimestamp = utcNow;
            _tracingService = (ITracingService)serviceProvider.GetService(typeof(ITracingService));
            _previousTraceTime = initialTimestamp;
        }

        public void Trace(string message, params object[] args)
        {
            var utcNow = DateTime.UtcNow;
            var deltaMilliseconds = utcNow.Subtract(_previousTraceTime).TotalMilliseconds;
            _tracingService.Trace($"[+{deltaMilliseconds:N0}ms] - {(args == null || args.Length == 0 ? message : string.Format(message, args))}");
            _previousTraceTime = utcNow;
        }
    }
}
