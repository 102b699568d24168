using System;
using System.Linq;
using CrmPlugins.Emulator.Pipeline;
using Microsoft.Xrm.Sdk;
using NUnit.Framework;

namespace CrmPlugins.Emulator.Tests.Service
{
    /// <summary>
    /// Records of executions and succeeded system jobs: every one by default (tests assert on them), the latest ones
    /// only when <see cref="XrmOrganization.ExecutionRecordLimit"/> is set for a bulk run; rows written are the same
    /// either way.
    /// </summary>
    public class ExecutionRecordLimitTests
    {
        /// <summary>Sets the description of the account it runs for: a visible effect of every execution.</summary>
        public sealed class StampPlugin : IPlugin
        {
            public void Execute(IServiceProvider serviceProvider)
            {
                var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
                var service = ((IOrganizationServiceFactory)serviceProvider.GetService(typeof(IOrganizationServiceFactory))!).CreateOrganizationService(null);
                service.Update(new Entity("contact") { Id = context.PrimaryEntityId, ["description"] = "stamped " + context.Depth });
            }
        }

        private static XrmOrganization Org(int? limit)
        {
            var org = new XrmOrganization { ExecutionRecordLimit = limit };
            org.RegisterPlugin<StampPlugin>("Create", "contact", Stages.PostOperation, Modes.Asynchronous);
            return org;
        }

        private static Guid[] CreateContacts(XrmOrganization org, int count)
        {
            var service = org.GetOrganizationService();
            var ids = Enumerable.Range(0, count).Select(i => service.Create(new Entity("contact") { ["lastname"] = "C" + i })).ToArray();
            org.RunAsyncOperations();
            return ids;
        }

        [Test]
        public void ByDefault_EveryRecordIsKept()
        {
            var org = Org(limit: null);

            CreateContacts(org, 300);

            Assert.That(org.Executions, Has.Count.EqualTo(300));
            Assert.That(org.AsyncOperations, Has.Count.EqualTo(300));
        }

        [Test]
        public void WithALimit_OnlyTheLatestRecordsAreKept_AndTheRowsAreTheSame()
        {
            var bounded = Org(limit: 10);
            var unbounded = Org(limit: null);

            var ids = CreateContacts(bounded, 300);
            CreateContacts(unbounded, 300);

            Assert.That(bounded.Executions.Count, Is.InRange(10, 20), "at most twice the limit between trims");
            Assert.That(bounded.Executions.Last().Context.PrimaryEntityId, Is.EqualTo(ids.Last()), "the latest is kept");
            Assert.That(bounded.AsyncOperations.Count, Is.InRange(10, 20));
            Assert.That(bounded.All("contact").Select(c => c.GetAttributeValue<string>("description")),
                Is.EqualTo(unbounded.All("contact").Select(c => c.GetAttributeValue<string>("description"))));
            Assert.That(bounded.All("contact").Select(c => c.GetAttributeValue<string>("description")), Has.All.EqualTo("stamped 1"));
        }

        [Test]
        public void WithALimit_FailedJobsAreKept_AndCanBeRetried()
        {
            var org = Org(limit: 5);
            org.FailWhen(call => call.MessageName == "Update" && call.FromPlugin, times: 1);

            CreateContacts(org, 50);

            var failed = org.AsyncOperations.Where(a => a.Status == AsyncOperationStatus.Failed).ToList();
            Assert.That(failed, Has.Count.EqualTo(1), "the failed job survives the trim");
            Assert.That(org.RetryFailedAsyncOperations(), Is.EqualTo(1));
            Assert.That(org.All("contact").Select(c => c.GetAttributeValue<string>("description")), Has.All.EqualTo("stamped 1"));
        }
    }
}
