using System;
using System.Linq;
using System.ServiceModel;
using CrmPlugins.Emulator.Pipeline;
using Microsoft.Crm.Sdk.Messages;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using NUnit.Framework;

namespace CrmPlugins.Emulator.Tests.Service
{
    /// <summary>
    /// BulkDelete as Dataverse runs it (learn.microsoft.com/power-apps/developer/data-platform/delete-data-bulk): the request
    /// submits a system job and returns its JobId; the rows go only when the asynchronous service runs the job, each through
    /// Delete; a job only deletes rows created before it starts to run (learn.microsoft.com/previous-versions/dynamicscrm-2013/developers-guide/gg334582(v=crm.6));
    /// a recurring one ("daily or without recurrence", BulkDeleteRequest.RecurrencePattern) runs again on its next day.
    /// </summary>
    public class BulkDeleteTests
    {
        private static readonly DateTime Monday = new(2026, 11, 2, 3, 0, 0, DateTimeKind.Utc);
        private XrmOrganization _org = null!;
        private IOrganizationService _service = null!;

        [SetUp]
        public void SetUp()
        {
            _org = new XrmOrganization { UtcNow = Monday };
            _service = _org.GetOrganizationService();
        }

        private static QueryExpression Inactive()
        {
            var query = new QueryExpression("account");
            query.Criteria.AddCondition("statecode", ConditionOperator.Equal, 1);
            return query;
        }

        private static BulkDeleteRequest Request(string pattern = "", params QueryExpression[] queries) => new()
        {
            JobName = "Clean up inactive accounts",
            QuerySet = queries.Length == 0 ? new[] { Inactive() } : queries,
            ToRecipients = Array.Empty<Guid>(),
            CCRecipients = Array.Empty<Guid>(),
            RecurrencePattern = pattern,
            StartDateTime = Monday,
        };

        private Guid Account(string name, int state = 0) =>
            _service.Create(new Entity("account") { ["name"] = name, ["statecode"] = new OptionSetValue(state) });

        [Test]
        public void BulkDelete_SubmitsAJob_AndDeletesNothingUntilTheAsyncServiceRunsIt()
        {
            var gone = Account("Fabrikam", state: 1);
            var kept = Account("Contoso");

            var response = (BulkDeleteResponse)_service.Execute(Request());

            Assert.That(response.JobId, Is.Not.EqualTo(Guid.Empty));
            Assert.That(_org.All("account"), Has.Count.EqualTo(2), "submitted, not run");
            var job = _org.BulkDeleteJobs.Single();
            Assert.That((job.Id, job.Name, job.Status, BulkDeleteJob.OperationType), Is.EqualTo((response.JobId, "Clean up inactive accounts", AsyncOperationStatus.Waiting, 13)));

            _org.RunAsyncOperations();

            Assert.That(_org.All("account").Select(a => a.Id), Is.EqualTo(new[] { kept }));
            Assert.That(_org.Get("account", gone), Is.Null);
            Assert.That((job.Status, job.SuccessCount, job.FailureCount, job.Runs), Is.EqualTo((AsyncOperationStatus.Succeeded, 1, 0, 1)));
        }

        [Test]
        public void BulkDelete_EachRowGoesThroughDelete_SoDeleteStepsRun()
        {
            var step = _org.RegisterPlugin<RecordingDeletePlugin>("Delete", "account", Stages.PreOperation);
            RecordingDeletePlugin.Seen.Clear();
            var gone = Account("Fabrikam", state: 1);
            _service.Execute(Request());

            _org.RunAsyncOperations();

            Assert.That(RecordingDeletePlugin.Seen, Is.EqualTo(new[] { gone }));
            Assert.That(step.Message, Is.EqualTo("Delete"));
        }

        [Test]
        public void BulkDelete_Recurring_RunsAgainOnItsNextDay_AndOnlyDeletesRowsCreatedBeforeEachRun()
        {
            Account("Old", state: 1);
            _service.Execute(Request("FREQ=DAILY;INTERVAL=1;"));
            var job = _org.BulkDeleteJobs.Single();

            _org.RunAsyncOperations();
            _org.UtcNow = Monday.AddHours(5);
            var later = Account("Deactivated later that day", state: 1);
            _org.RunAsyncOperations();

            Assert.That(_org.Get("account", later), Is.Not.Null, "the job ran on Monday; the next run is Tuesday");
            Assert.That((job.Status, job.Runs, job.PostponeUntil), Is.EqualTo((AsyncOperationStatus.Waiting, 1, Monday.AddDays(1))));

            _org.UtcNow = Monday.AddDays(1);
            _org.RunAsyncOperations();

            Assert.That(_org.Get("account", later), Is.Null);
            Assert.That((job.Status, job.Runs, job.TotalDeleted, job.PostponeUntil), Is.EqualTo((AsyncOperationStatus.Waiting, 2, 2, Monday.AddDays(2))));
        }

        [Test]
        public void BulkDelete_AfterDaysWithoutARun_RunsOnce_AndWaitsForTheNextOccurrence()
        {
            _service.Execute(Request("FREQ=DAILY;INTERVAL=7"));
            var job = _org.BulkDeleteJobs.Single();

            _org.UtcNow = Monday.AddDays(15);
            _org.RunAsyncOperations();

            Assert.That((job.Runs, job.PostponeUntil), Is.EqualTo((1, Monday.AddDays(21))));
        }

        [Test]
        public void BulkDelete_StartingLater_WaitsUntilItsStartTime()
        {
            Account("Fabrikam", state: 1);
            var request = Request();
            request.StartDateTime = Monday.AddHours(2);
            _service.Execute(request);

            _org.RunAsyncOperations();
            Assert.That(_org.All("account"), Has.Count.EqualTo(1));

            _org.UtcNow = Monday.AddHours(2);
            _org.RunAsyncOperations();
            Assert.That(_org.All("account"), Is.Empty);
        }

        [Test]
        public void BulkDelete_OfManyRows_PagesThroughThemAll()
        {
            _org.Seed(Enumerable.Range(0, 5_200).Select(i => new Entity("account") { ["name"] = "A" + i, ["statecode"] = new OptionSetValue(1) }));
            _service.Execute(Request());

            _org.RunAsyncOperations();

            Assert.That(_org.All("account"), Is.Empty);
            Assert.That(_org.BulkDeleteJobs.Single().SuccessCount, Is.EqualTo(5_200));
        }

        [TestCase("FREQ=WEEKLY;")]
        [TestCase("FREQ=DAILY;INTERVAL=0;")]
        [TestCase("INTERVAL=2")]
        [TestCase("every day")]
        public void BulkDelete_WithARecurrenceOtherThanDaily_IsRefused(string pattern)
        {
            Assert.That(() => _service.Execute(Request(pattern)),
                Throws.InstanceOf<FaultException<OrganizationServiceFault>>().With.Message.Contains($"'{pattern}' is not valid for a bulk delete job"));
            Assert.That(_org.BulkDeleteJobs, Is.Empty);
        }

        [Test]
        public void BulkDelete_WithoutItsRequiredParameters_IsRefused()
        {
            BulkDeleteRequest Without(Action<BulkDeleteRequest> change)
            {
                var request = Request();
                change(request);
                return request;
            }

            foreach (var (request, missing) in new[]
            {
                (Without(r => r.Parameters.Remove("QuerySet")), "QuerySet"),
                (Without(r => r.Parameters.Remove("JobName")), "JobName"),
                (Without(r => r.JobName = " "), "JobName"),
                (Without(r => r.Parameters.Remove("ToRecipients")), "ToRecipients"),
                (Without(r => r.Parameters.Remove("CCRecipients")), "CCRecipients"),
            })
                Assert.That(() => _service.Execute(request), Throws.InstanceOf<FaultException<OrganizationServiceFault>>()
                    .With.Property("Detail").With.Property("ErrorCode").EqualTo(ErrorCodes.InvalidArgument)
                    .And.Message.EqualTo($"Required field '{missing}' is missing."), missing);
            Assert.That(_org.BulkDeleteJobs, Is.Empty);
        }

        [Test]
        public void BulkDelete_OfATableThatDoesNotExist_IsRefusedAsAQueryOfIt()
        {
            Assert.That(() => _service.Execute(Request("", new QueryExpression("new_nosuchtable"))),
                Throws.InstanceOf<FaultException<OrganizationServiceFault>>().With.Message.Contains("'new_nosuchtable'"));
        }

        [Test]
        public void BulkDelete_WhenRolesAreEnforced_NeedsThePrivilegeBulkDelete()
        {
            var user = Guid.NewGuid();
            _org.Seed(new Entity("systemuser", user) { ["fullname"] = "Sam Salesperson", ["businessunitid"] = new EntityReference("businessunit", _org.RootBusinessUnitId) });
            _org.Security.Enforced = true;

            Assert.That(() => _org.GetOrganizationService(user).Execute(Request()),
                Throws.InstanceOf<FaultException<OrganizationServiceFault>>().With.Message.Contains("prvBulkDelete"));
        }

        /// <summary>Records the rows its Delete step saw.</summary>
        public sealed class RecordingDeletePlugin : IPlugin
        {
            public static readonly System.Collections.Generic.List<Guid> Seen = new();

            public void Execute(IServiceProvider serviceProvider)
            {
                var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
                Seen.Add(((EntityReference)context.InputParameters["Target"]).Id);
            }
        }
    }
}
