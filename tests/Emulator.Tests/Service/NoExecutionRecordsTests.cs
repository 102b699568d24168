using System;
using System.Collections.Generic;
using System.Linq;
using CrmPlugins.Emulator.Pipeline;
using Microsoft.Xrm.Sdk;
using NUnit.Framework;

namespace CrmPlugins.Emulator.Tests.Service
{
    /// <summary>
    /// An org that keeps no record of its executions (<see cref="XrmOrganization.ExecutionRecordLimit"/> 0, as evaluate runs):
    /// the work is the same, and a system job still knows its own attempt, so a plugin asking for a retry is retried
    /// (learn.microsoft.com/power-apps/developer/data-platform/handle-exceptions#retry-an-asynchronous-plug-in) even when
    /// the executions it caused pushed its record out.
    /// </summary>
    public class NoExecutionRecordsTests
    {
        /// <summary>Asynchronous on contact Create: touches the contact three times (each save runs a step), and asks for a
        /// retry on its first two attempts.</summary>
        public sealed class BusyServicePlugin : IPlugin
        {
            private readonly Dictionary<Guid, int> _attempts = new();

            public void Execute(IServiceProvider serviceProvider)
            {
                var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
                var service = ((IOrganizationServiceFactory)serviceProvider.GetService(typeof(IOrganizationServiceFactory))!).CreateOrganizationService(null);
                var attempt = _attempts[context.PrimaryEntityId] = _attempts.TryGetValue(context.PrimaryEntityId, out var n) ? n + 1 : 1;
                for (var i = 0; i < 3; i++) service.Update(new Entity("contact", context.PrimaryEntityId) { ["description"] = $"attempt {attempt}, save {i}" });
                if (attempt < 3) throw new InvalidPluginExecutionException(OperationStatus.Retry, "The credit service is busy.");
            }
        }

        [Test]
        public void WithNoRecordsKept_AJobAskingForARetry_IsRetriedUntilItSucceeds()
        {
            var org = new XrmOrganization { ExecutionRecordLimit = 0 };
            org.RegisterPlugin<BusyServicePlugin>("Create", "contact", Stages.PostOperation, Modes.Asynchronous);
            org.RegisterPlugin<RecordingPlugin>("Update", "contact", Stages.PostOperation);
            var id = org.GetOrganizationService().Create(new Entity("contact") { ["lastname"] = "Busy" });

            org.RunAsyncOperations();

            Assert.That(org.Get("contact", id)!.GetAttributeValue<string>("description"), Is.EqualTo("attempt 3, save 2"));
            Assert.That(org.Executions.Count, Is.LessThanOrEqualTo(2), "no more than the trim leaves");
            Assert.That(org.AsyncOperations.Single().Attempts, Is.EqualTo(3));
        }

        [Test]
        public void WithNoRecordsKept_AFailedJob_IsKeptWithItsLastAttempt()
        {
            var org = new XrmOrganization { ExecutionRecordLimit = 0 };
            org.RegisterPlugin<BusyServicePlugin>("Create", "contact", Stages.PostOperation, Modes.Asynchronous);
            org.RegisterPlugin<RecordingPlugin>("Update", "contact", Stages.PostOperation);
            org.FailWhen(call => call.MessageName == "Update" && call.FromPlugin, times: 100);
            org.GetOrganizationService().Create(new Entity("contact") { ["lastname"] = "Broken" });

            org.RunAsyncOperations();

            var failed = org.AsyncOperations.Single();
            Assert.That(failed.Status, Is.EqualTo(AsyncOperationStatus.Failed));
            Assert.That(failed.Execution, Is.Not.Null);
            Assert.That(failed.Execution!.Context, Is.SameAs(failed.Context), "the job's own attempt");
            Assert.That(failed.Execution.Exception, Is.Not.Null);
        }
    }
}
