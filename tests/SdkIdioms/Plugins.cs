using System;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace SdkIdioms
{
    /// <summary>Template idiom: PostOperation on account create, writes a follow-up task as the calling user.</summary>
    public class FollowUpTaskPlugin : PluginBase
    {
        public FollowUpTaskPlugin(string unsecureConfiguration, string secureConfiguration)
            : base(typeof(FollowUpTaskPlugin))
        {
        }

        protected override void ExecuteDataversePlugin(ILocalPluginContext localPluginContext)
        {
            var context = localPluginContext.PluginExecutionContext;
            if (!context.InputParameters.Contains("Target") || !(context.InputParameters["Target"] is Entity target) || target.LogicalName != "account") return;

            var followup = new Entity("task")
            {
                ["subject"] = "Send e-mail to the new customer.",
                ["description"] = "Follow up with the customer. Check if there are any new issues that need resolution.",
                ["scheduledstart"] = DateTime.Now.AddDays(7),
                ["scheduledend"] = DateTime.Now.AddDays(7),
                ["category"] = context.PrimaryEntityName,
            };
            if (context.OutputParameters.Contains("id"))
            {
                var regardingobjectid = new Guid(context.OutputParameters["id"].ToString());
                followup["regardingobjectid"] = new EntityReference("account", regardingobjectid);
            }

            localPluginContext.Trace("FollowupPlugin: Creating the task activity.");
            localPluginContext.PluginUserService.Create(followup);
            localPluginContext.LogInfo("task created");
        }
    }

    /// <summary>Sample idiom: PreOperation on account create sets an account number; refuses one that is set already.</summary>
    public sealed class AccountNumberPlugin : IPlugin
    {
        public void Execute(IServiceProvider serviceProvider)
        {
            var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext));
            if (context.InputParameters.Contains("Target") && context.InputParameters["Target"] is Entity entity)
            {
                if (entity.LogicalName != "account") return;
                if (entity.Attributes.Contains("accountnumber"))
                    throw new InvalidPluginExecutionException("The account number can only be set by the system.");
                entity.Attributes.Add("accountnumber", "ACC-" + entity.GetAttributeValue<string>("name")?.ToUpperInvariant());
            }
        }
    }

    /// <summary>Sample idiom: a PreOperation step hands a value to the PostOperation step through SharedVariables.</summary>
    public sealed class PreEventPlugin : IPlugin
    {
        public void Execute(IServiceProvider serviceProvider)
        {
            var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext));
            context.SharedVariables.Add("PrimaryContact", context.PrimaryEntityName + ":" + context.Stage);
        }
    }

    public sealed class PostEventPlugin : IPlugin
    {
        public void Execute(IServiceProvider serviceProvider)
        {
            var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext));
            var tracing = (ITracingService)serviceProvider.GetService(typeof(ITracingService));
            if (context.SharedVariables.Contains("PrimaryContact"))
                tracing.Trace("Shared value: {0}", context.SharedVariables["PrimaryContact"]);
            else
                throw new InvalidPluginExecutionException("The shared variable is missing.");
        }
    }

    /// <summary>Query idiom: counts the contacts of the account's primary contact's parent with a linked query,
    /// and writes the count on the Target in PreOperation.</summary>
    public sealed class ContactCountPlugin : IPlugin
    {
        public void Execute(IServiceProvider serviceProvider)
        {
            var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext));
            var factory = (IOrganizationServiceFactory)serviceProvider.GetService(typeof(IOrganizationServiceFactory));
            var service = factory.CreateOrganizationService(null);
            var target = (Entity)context.InputParameters["Target"];

            var query = new QueryExpression("contact")
            {
                ColumnSet = new ColumnSet("fullname"),
                Criteria = new FilterExpression(LogicalOperator.And),
            };
            query.Criteria.AddCondition("parentcustomerid", ConditionOperator.Equal, target.Id);
            var account = query.AddLink("account", "parentcustomerid", "accountid", JoinOperator.Inner);
            account.EntityAlias = "acct";
            account.Columns = new ColumnSet("name");
            var contacts = service.RetrieveMultiple(query);
            target["numberofemployees"] = contacts.Entities.Count;
        }
    }
}
