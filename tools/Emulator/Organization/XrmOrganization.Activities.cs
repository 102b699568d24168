using System;
using System.Activities;
using System.Collections.Generic;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Workflow;

namespace CrmPlugins.Emulator
{
    using CrmPlugins.Emulator.Pipeline;

    public sealed partial class XrmOrganization
    {
        private readonly List<ActivityExecution> _activityExecutions = new();

        /// <summary>Every custom workflow activity run so far.</summary>
        public IReadOnlyList<ActivityExecution> ActivityExecutions => _activityExecutions;

        /// <summary>
        /// Runs a custom workflow activity as a workflow step does (FakeXrmEasy's ExecuteCodeActivity): inputs bound by
        /// argument name, IWorkflowContext, ITracingService and IOrganizationServiceFactory as extensions, in a
        /// transaction that a failure rolls back. Returns the execution with its outputs; a failure is rethrown after
        /// the rollback, as the platform fails the workflow.
        /// </summary>
        public ActivityExecution ExecuteCodeActivity<TActivity>(IDictionary<string, object?> inputs, WorkflowContext? context = null) where TActivity : CodeActivity, new() =>
            ExecuteCodeActivity(new TActivity(), inputs, context);

        public ActivityExecution ExecuteCodeActivity(CodeActivity activity, IDictionary<string, object?> inputs, WorkflowContext? context = null)
        {
            context ??= new WorkflowContext();
            if (context.UserId == Guid.Empty) context.UserId = AdministratorId;
            if (context.InitiatingUserId == Guid.Empty) context.InitiatingUserId = context.UserId;
            if (context.OrganizationId == Guid.Empty) context.OrganizationId = OrganizationId;
            if (context.BusinessUnitId == Guid.Empty) context.BusinessUnitId = BusinessUnitOf(context.UserId);
            if (context.CorrelationId == Guid.Empty) context.CorrelationId = Guid.NewGuid();
            if (context.OperationCreatedOn == default) context.OperationCreatedOn = UtcNow;
            if (string.IsNullOrEmpty(context.OrganizationName)) context.OrganizationName = OrganizationName;

            var execution = new ActivityExecution(activity.GetType(), context);
            _activityExecutions.Add(execution);
            Bound(_activityExecutions);
            var invoker = new WorkflowInvoker(activity);
            invoker.Extensions.Add(context);
            invoker.Extensions.Add(new TracingService(execution));
            invoker.Extensions.Add(new ServiceFactory(this, context, null, execution));

            try
            {
                var outputs = InTransaction(() => invoker.Invoke(inputs as IDictionary<string, object> ?? new Dictionary<string, object>(inputs!)));
                execution.Outputs = new Dictionary<string, object?>(outputs!);
            }
            catch (Exception ex)
            {
                execution.Exception = ex;
                throw;
            }

            return execution;
        }
    }
}
