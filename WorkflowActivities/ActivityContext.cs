using System;
using System.Activities;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Workflow;

namespace DealRisk.WorkflowActivities
{
    /// <summary>What a Deal Risk activity works with: the workflow context, tracing and the services, from the
    /// activity context's extensions; faults become InvalidPluginExecutionException with a message a person can act on.</summary>
    internal sealed class ActivityServices
    {
        public ActivityServices(CodeActivityContext context)
        {
            Workflow = context.GetExtension<IWorkflowContext>() ?? throw new InvalidPluginExecutionException("The workflow host gave no IWorkflowContext.");
            Tracing = context.GetExtension<ITracingService>();
            var factory = context.GetExtension<IOrganizationServiceFactory>() ?? throw new InvalidPluginExecutionException("The workflow host gave no IOrganizationServiceFactory.");
            Service = factory.CreateOrganizationService(Workflow.UserId);
            SystemService = factory.CreateOrganizationService(null);
        }

        public IWorkflowContext Workflow { get; }

        public ITracingService? Tracing { get; }

        /// <summary>The service of the workflow's user (the owner of the workflow for background workflows).</summary>
        public IOrganizationService Service { get; }

        public IOrganizationService SystemService { get; }

        /// <summary>The workflow's clock: when the operation that started it was created.</summary>
        public DateTime Now => Workflow.OperationCreatedOn == default ? DateTime.UtcNow : Workflow.OperationCreatedOn;

        public void Trace(string message) => Tracing?.Trace("{0}", message);
    }

    /// <summary>The base of Deal Risk activities: one place for tracing entry/exit and turning faults into clear errors.</summary>
    public abstract class DealRiskActivity : CodeActivity
    {
        /// <summary>The name of the group the activities appear under in the workflow designer.</summary>
        public const string GroupName = "Deal Risk";

        protected sealed override void Execute(CodeActivityContext context)
        {
            var services = new ActivityServices(context);
            services.Trace($"Entered {GetType().Name}, correlation {services.Workflow.CorrelationId}");
            try
            {
                Run(context, services);
            }
            catch (InvalidPluginExecutionException)
            {
                throw;
            }
            catch (Exception ex)
            {
                services.Trace($"Exception: {ex}");
                throw new InvalidPluginExecutionException(
                    $"Deal Risk's '{GetType().Name}' step failed ({ex.GetType().Name}: {ex.Message}). The workflow can be resumed once the cause is fixed; the plugin trace log has the details.", ex);
            }
            finally
            {
                services.Trace($"Exiting {GetType().Name}");
            }
        }

        internal abstract void Run(CodeActivityContext context, ActivityServices services);
    }
}
