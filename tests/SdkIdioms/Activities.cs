using System;
using System.Activities;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using Microsoft.Xrm.Sdk.Workflow;

namespace SdkIdioms
{
    /// <summary>Custom workflow activity in the idiom of Microsoft's samples: inputs with defaults and targets,
    /// services from the context's extensions, outputs set at the end.</summary>
    public sealed class IncrementCreditLimit : CodeActivity
    {
        [RequiredArgument]
        [Input("Account")]
        [ReferenceTarget("account")]
        public InArgument<EntityReference> Account { get; set; }

        [Input("Increment")]
        [Default("1000")]
        public InArgument<Money> Increment { get; set; }

        [Input("Rating")]
        [AttributeTarget("account", "accountratingcode")]
        [Default("1")]
        public InArgument<OptionSetValue> Rating { get; set; }

        [Output("New credit limit")]
        public OutArgument<Money> NewCreditLimit { get; set; }

        protected override void Execute(CodeActivityContext executionContext)
        {
            var tracingService = executionContext.GetExtension<ITracingService>();
            var context = executionContext.GetExtension<IWorkflowContext>();
            var serviceFactory = executionContext.GetExtension<IOrganizationServiceFactory>();
            var service = serviceFactory.CreateOrganizationService(context.UserId);

            tracingService.Trace("Workflow {0} stage '{1}' runs for {2} {3}", context.WorkflowCategory, context.StageName, context.PrimaryEntityName, context.PrimaryEntityId);
            var account = service.Retrieve("account", Account.Get(executionContext).Id, new ColumnSet("creditlimit"));
            var current = account.GetAttributeValue<Money>("creditlimit")?.Value ?? 0m;
            var increment = Increment.Get(executionContext)?.Value ?? 1000m;
            var limit = new Money(current + increment);
            var update = new Entity("account", account.Id) { ["creditlimit"] = limit };
            if (Rating.Get(executionContext) is OptionSetValue rating) update["accountratingcode"] = rating;
            service.Update(update);
            NewCreditLimit.Set(executionContext, limit);
        }
    }
}
