using System;
using System.Collections.Generic;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace CrmPlugins.Emulator.Tests
{
    // Small plugins written only against the SDK's public API, used to observe what the pipeline gives them.

    /// <summary>Records the context of each execution it sees.</summary>
    public sealed class RecordingPlugin : IPlugin
    {
        public static readonly List<IPluginExecutionContext> Seen = new();

        public void Execute(IServiceProvider serviceProvider)
        {
            var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
            lock (Seen) Seen.Add(context);
            ((ITracingService)serviceProvider.GetService(typeof(ITracingService))!).Trace("seen {0} stage {1}", context.MessageName, context.Stage);
        }
    }

    /// <summary>PreOperation: upper-cases the name on the Target and sets a shared variable.</summary>
    public sealed class UpperCaseNamePlugin : IPlugin
    {
        public void Execute(IServiceProvider serviceProvider)
        {
            var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
            var target = (Entity)context.InputParameters["Target"];
            if (target.GetAttributeValue<string>("name") is { } name) target["name"] = name.ToUpperInvariant();
            context.SharedVariables["touched"] = true;
        }
    }

    /// <summary>Throws InvalidPluginExecutionException with a message for the user.</summary>
    public sealed class RefusePlugin : IPlugin
    {
        public void Execute(IServiceProvider serviceProvider) =>
            throw new InvalidPluginExecutionException("Refused: the deal needs a manager's approval.");
    }

    /// <summary>Throws an unexpected exception.</summary>
    public sealed class BuggyPlugin : IPlugin
    {
        public void Execute(IServiceProvider serviceProvider) => throw new InvalidOperationException("boom");
    }

    /// <summary>PostOperation on account create: creates a follow-up task (Microsoft's classic sample scenario),
    /// then, when asked by the account's name, fails after writing.</summary>
    public sealed class FollowUpPlugin : IPlugin
    {
        public void Execute(IServiceProvider serviceProvider)
        {
            var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
            var factory = (IOrganizationServiceFactory)serviceProvider.GetService(typeof(IOrganizationServiceFactory))!;
            var service = factory.CreateOrganizationService(context.UserId);
            var target = (Entity)context.InputParameters["Target"];
            service.Create(new Entity("task")
            {
                ["subject"] = "Send e-mail to the new customer.",
                ["regardingobjectid"] = new EntityReference("account", (Guid)context.OutputParameters["id"]),
            });
            if (target.GetAttributeValue<string>("name") == "fail after write")
                throw new InvalidPluginExecutionException("Failed after writing a task.");
        }
    }

    /// <summary>On update of an account, updates the same account again: an endless loop the platform must stop.</summary>
    public sealed class LoopingPlugin : IPlugin
    {
        public void Execute(IServiceProvider serviceProvider)
        {
            var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
            var service = ((IOrganizationServiceFactory)serviceProvider.GetService(typeof(IOrganizationServiceFactory))!).CreateOrganizationService(null);
            service.Update(new Entity("account", context.PrimaryEntityId) { ["description"] = "depth " + context.Depth });
        }
    }

    /// <summary>Reads its configuration from the step (constructor with unsecure and secure strings).</summary>
    public sealed class ConfiguredPlugin : IPlugin
    {
        private readonly string? _unsecure;
        private readonly string? _secure;

        public ConfiguredPlugin(string? unsecure, string? secure)
        {
            _unsecure = unsecure;
            _secure = secure;
        }

        public void Execute(IServiceProvider serviceProvider)
        {
            var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
            ((Entity)context.InputParameters["Target"])["description"] = _unsecure + "|" + _secure;
        }
    }

    /// <summary>Counts accounts with a query, to prove call counting and query access from a plugin.</summary>
    public sealed class QueryingPlugin : IPlugin
    {
        public void Execute(IServiceProvider serviceProvider)
        {
            var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
            var service = ((IOrganizationServiceFactory)serviceProvider.GetService(typeof(IOrganizationServiceFactory))!).CreateOrganizationService(null);
            var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name") };
            query.Criteria.AddCondition("name", ConditionOperator.Equal, "Contoso");
            var found = service.RetrieveMultiple(query).Entities.Count;
            service.Retrieve("account", context.PrimaryEntityId, new ColumnSet("name"));
            ((Entity)context.InputParameters["Target"])["numberofemployees"] = found;
        }
    }
}
