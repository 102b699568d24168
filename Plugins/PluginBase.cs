using System;
using System.Diagnostics;
using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Extensions;
using Microsoft.Xrm.Sdk.PluginTelemetry;

namespace DealRisk.Plugins
{
    /// <summary>
    /// The base of every Deal Risk plugin, after Microsoft's <c>pac plugin init</c> template: builds the
    /// local context, traces entry, exit and duration, and turns any fault into an
    /// <see cref="InvalidPluginExecutionException"/> whose message a person can act on.
    /// Plugins hold no state: everything an execution needs comes from the context.
    /// </summary>
    public abstract class PluginBase : IPlugin
    {
        /// <summary>The plugin class name shown in traces and error messages.</summary>
        protected string PluginClassName { get; }

        /// <summary>Unsecure configuration of the step (may be null).</summary>
        protected string? UnsecureConfiguration { get; }

        /// <summary>Secure configuration of the step (may be null).</summary>
        protected string? SecureConfiguration { get; }

        protected PluginBase(Type? pluginClassName, string? unsecureConfiguration = null, string? secureConfiguration = null)
        {
            PluginClassName = pluginClassName?.FullName ?? GetType().FullName ?? GetType().Name;
            UnsecureConfiguration = unsecureConfiguration;
            SecureConfiguration = secureConfiguration;
        }

        /// <inheritdoc />
        public void Execute(IServiceProvider serviceProvider)
        {
            if (serviceProvider == null) throw new InvalidPluginExecutionException(nameof(serviceProvider));

            var local = new LocalPluginContext(serviceProvider);
            var context = local.PluginExecutionContext;
            local.Trace($"Entered {PluginClassName}.Execute() message {context.MessageName} of {context.PrimaryEntityName}, stage {context.Stage}, depth {context.Depth}, correlation {context.CorrelationId}");
            // A timestamp, not a Stopwatch: the elapsed time is traced on every execution, and needs no object made for it.
            var started = Stopwatch.GetTimestamp();
            try
            {
                ExecuteDataversePlugin(local);
            }
            catch (InvalidPluginExecutionException)
            {
                throw;
            }
            catch (FaultException<OrganizationServiceFault> fault)
            {
                local.Trace($"Exception: {fault}");
                throw new InvalidPluginExecutionException(
                    $"Deal Risk could not complete this save because Dataverse refused one of its requests: {(fault.Detail?.Message ?? fault.Message).TrimEnd('.')}. " +
                    "Try again; if it keeps failing, send the plugin trace log to your administrator.", fault);
            }
            catch (Exception ex)
            {
                local.Trace($"Exception: {ex}");
                throw new InvalidPluginExecutionException(
                    $"Deal Risk hit an unexpected error ({ex.GetType().Name}) in {PluginClassName}. " +
                    "Your changes were not saved. Try again; if it keeps failing, send the plugin trace log to your administrator.", ex);
            }
            finally
            {
                local.Trace($"Exiting {PluginClassName}.Execute() after {(Stopwatch.GetTimestamp() - started) * 1000 / Stopwatch.Frequency} ms");
            }
        }

        /// <summary>The plugin's work; the base class handles tracing and faults.</summary>
        protected abstract void ExecuteDataversePlugin(ILocalPluginContext localPluginContext);
    }

    /// <summary>What a plugin execution works with, after the plugin template's ILocalPluginContext.</summary>
    public interface ILocalPluginContext
    {
        /// <summary>The service running as the calling user (the step's run-as user when one is set).</summary>
        IOrganizationService PluginUserService { get; }

        /// <summary>The service running as the user who started the operation.</summary>
        IOrganizationService InitiatingUserService { get; }

        /// <summary>The service running as SYSTEM, for reading what the user may not see (e.g. product cost).</summary>
        IOrganizationService SystemService { get; }

        /// <summary>The execution context as IPluginExecutionContext4, which carries the images of every row of a
        /// CreateMultiple / UpdateMultiple (learn.microsoft.com/power-apps/developer/data-platform/write-plugin-multiple-operation#entity-images).</summary>
        IPluginExecutionContext4 PluginExecutionContext { get; }

        ITracingService? TracingService { get; }

        /// <summary>The telemetry logger, or null where the host gives none.</summary>
        ILogger? Logger { get; }

        void Trace(string message);
    }

    /// <summary>The local context built from the platform's service provider.</summary>
    public sealed class LocalPluginContext : ILocalPluginContext
    {
        private readonly IOrganizationServiceFactory _factory;
        private IOrganizationService? _pluginUserService;
        private IOrganizationService? _initiatingUserService;
        private IOrganizationService? _systemService;

        public LocalPluginContext(IServiceProvider serviceProvider)
        {
            if (serviceProvider == null) throw new InvalidPluginExecutionException(nameof(serviceProvider));
            PluginExecutionContext = serviceProvider.Get<IPluginExecutionContext4>()
                ?? throw new InvalidPluginExecutionException("The platform gave no IPluginExecutionContext4.");
            TracingService = serviceProvider.Get<ITracingService>();
            Logger = serviceProvider.Get<ILogger>();
            _factory = serviceProvider.Get<IOrganizationServiceFactory>()
                ?? throw new InvalidPluginExecutionException("The platform gave no IOrganizationServiceFactory.");
        }

        public IPluginExecutionContext4 PluginExecutionContext { get; }

        public ITracingService? TracingService { get; }

        public ILogger? Logger { get; }

        // Services are created on first use: a plugin that needs none makes no call to the factory.
        public IOrganizationService PluginUserService =>
            _pluginUserService ?? (_pluginUserService = _factory.CreateOrganizationService(PluginExecutionContext.UserId));

        public IOrganizationService InitiatingUserService =>
            _initiatingUserService ?? (_initiatingUserService = _factory.CreateOrganizationService(PluginExecutionContext.InitiatingUserId));

        public IOrganizationService SystemService =>
            _systemService ?? (_systemService = _factory.CreateOrganizationService(null));

        public void Trace(string message)
        {
            if (string.IsNullOrWhiteSpace(message)) return;
            // Trace takes a format string; pass the message as an argument so braces in it are safe.
            TracingService?.Trace("{0}", message);
        }
    }
}
