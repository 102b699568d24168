using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using DealRisk.Cli.Live;
using NUnit.Framework;

namespace DealRisk.Cli.Tests
{
    /// <summary>deploy schedules the demand ledger's daily clean-up (a recurring bulk delete job) once, and status shows it.</summary>
    [TestFixture, NonParallelizable]
    public sealed class LedgerCleanupLiveTests : LiveFixture
    {
        private (int Exit, string Out, string Error) Deploy()
        {
            var zip = Path.Combine(Output, "DealRisk_1_0_0_0_managed.zip");
            if (!File.Exists(zip)) HostileServerTests.SolutionZip(Output);
            return CliRun.Run("deploy", "--url", Server.Url, "--zip", zip, "--yes");
        }

        private JsonObject[] BulkDeletes() =>
            Server.Requests.Where(r => r.Method == "POST" && r.PathAndQuery == "/api/data/v9.2/BulkDelete").Select(r => JsonNode.Parse(r.Body)!.AsObject()).ToArray();

        [Test]
        public void Deploy_SchedulesTheDailyBulkDeleteOfInactiveLedgerRows_AfterTheImport()
        {
            var run = Deploy();

            Assert.That(run.Exit, Is.Zero, run.Out + run.Error);
            var body = BulkDeletes().Single();
            Assert.That(body["JobName"]!.GetValue<string>(), Is.EqualTo("Deal Risk: delete folded demand ledger rows"));
            Assert.That(body["RecurrencePattern"]!.GetValue<string>(), Is.EqualTo("FREQ=DAILY;INTERVAL=1;"));
            Assert.That(body["ToRecipients"]!.AsArray(), Is.Empty);
            Assert.That(body["CCRecipients"]!.AsArray(), Is.Empty);
            Assert.That(body["StartDateTime"]!.GetValue<string>(), Does.EndWith("T03:00:00Z"));
            var query = body["QuerySet"]!.AsArray().Single()!;
            Assert.That(query["@odata.type"]!.GetValue<string>(), Is.EqualTo("Microsoft.Dynamics.CRM.QueryExpression"));
            Assert.That(query["EntityName"]!.GetValue<string>(), Is.EqualTo("dr_demandentry"));
            var condition = query["Criteria"]!["Conditions"]!.AsArray().Single()!;
            Assert.That((condition["AttributeName"]!.GetValue<string>(), condition["Operator"]!.GetValue<string>()), Is.EqualTo(("statecode", "Equal")));
            Assert.That(condition["Values"]!.AsArray().Single()!.ToJsonString(), Is.EqualTo("{\"Value\":\"1\",\"Type\":\"System.Int32\"}"), "inactive rows: those a fold summed");
            var requests = Server.Requests.Select(r => r.PathAndQuery).ToList();
            Assert.That(requests.FindIndex(p => p.EndsWith("/BulkDelete", StringComparison.Ordinal)), Is.GreaterThan(requests.FindIndex(p => p.EndsWith("PublishAllXml", StringComparison.Ordinal))), "after the import is published");
            Assert.That(run.Out, Does.Contain("Ledger clean-up: scheduled the daily bulk delete job 'Deal Risk: delete folded demand ledger rows'"));
        }

        [Test]
        public void Deploy_Again_FindsTheJobByName_AndDoesNotScheduleASecond()
        {
            Deploy();
            var again = Deploy();

            Assert.That(again.Exit, Is.Zero, again.Out + again.Error);
            Assert.That(BulkDeletes(), Has.Length.EqualTo(1));
            Assert.That(again.Out, Does.Contain("Ledger clean-up: the daily bulk delete job 'Deal Risk: delete folded demand ledger rows' is already scheduled (system job 22222222-0000-0000-0000-000000000100)."));
            var lookup = Uri.UnescapeDataString(Server.Requests.First(r => r.PathAndQuery.StartsWith("/api/data/v9.2/asyncoperations?", StringComparison.Ordinal)).PathAndQuery);
            Assert.That(lookup, Does.Contain("operationtype eq 13 and name eq 'Deal Risk: delete folded demand ledger rows' and statecode ne 3"));
        }

        [Test]
        public void Deploy_WhereAnotherJobHasTheSameOperationButAnotherName_SchedulesOurs()
        {
            Server.Sets["asyncoperations"].Add(new JsonObject { ["asyncoperationid"] = "22222222-0000-0000-0000-000000000009", ["name"] = "Delete old audit", ["operationtype"] = 13, ["statecode"] = 1 });
            Server.Sets["asyncoperations"].Add(new JsonObject { ["asyncoperationid"] = "22222222-0000-0000-0000-000000000010", ["name"] = LedgerCleanup.JobName, ["operationtype"] = 13, ["statecode"] = 3 });

            var run = Deploy();

            Assert.That(run.Exit, Is.Zero, run.Out + run.Error);
            Assert.That(BulkDeletes(), Has.Length.EqualTo(1), "the fake ignores $filter: the name, operation type and state are checked on what comes back too; a completed job is not a schedule");
        }

        [Test]
        public void Deploy_WhenTheAdminMayNotBulkDelete_ImportsButSaysTheCleanUpIsNotScheduled_Exit1()
        {
            Server.BulkDeleteDenied = true;

            var run = Deploy();

            Assert.That(run.Exit, Is.EqualTo(ExitCodes.Failed));
            Assert.That(Server.Requests.Any(r => r.PathAndQuery.EndsWith("PublishAllXml", StringComparison.Ordinal)), Is.True, "the solution is in");
            Assert.That(run.Out, Does.Contain("Ledger clean-up: not scheduled (").And.Contain("prvBulkDelete"));
        }

        [Test]
        public void Status_ShowsWhetherTheCleanUpIsScheduled_AndItsNextRun()
        {
            Server.Solutions.Add(new JsonObject { ["uniquename"] = "DealRisk", ["version"] = "1.0.0.0", ["ismanaged"] = true });

            var before = CliRun.Run("status", "--url", Server.Url);
            using (var api = new WebApiClient(new Uri(Server.Url), new FixedToken()))
                LedgerCleanup.Ensure(api, new DateTime(2026, 11, 30, 7, 0, 0, DateTimeKind.Utc), TextWriter.Null, CancellationToken.None);
            var after = CliRun.Run("status", "--url", Server.Url);

            Assert.That(before.Out, Does.Contain("Ledger clean-up: the daily bulk delete job 'Deal Risk: delete folded demand ledger rows' is not scheduled"));
            Assert.That(after.Out, Does.Contain("Ledger clean-up: the daily bulk delete job is scheduled (FREQ=DAILY;INTERVAL=1;, next run 2026-12-01T03:00:00Z)."));
            Assert.That(after.Exit, Is.Zero);
        }

        /// <summary>
        /// The body deploy sends, read back as the organization service's BulkDeleteRequest (the Web API action's parameters
        /// are the request's: learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/bulkdelete), submitted to
        /// the emulator: the job deletes the inactive ledger rows and no active one.
        /// </summary>
        [Test]
        public void TheJobDeploySubmits_DeletesTheInactiveLedgerRows_AndNoActiveOne()
        {
            var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(LedgerCleanup.Request(new DateTime(2026, 12, 1, 3, 0, 0, DateTimeKind.Utc))))!.AsObject();
            var org = new CrmPlugins.Emulator.XrmOrganization { UtcNow = new DateTime(2026, 11, 30, 7, 0, 0, DateTimeKind.Utc) };
            Microsoft.Xrm.Sdk.Entity Row(int state) => new("dr_demandentry") { ["dr_weightedhours"] = 1m, ["statecode"] = new Microsoft.Xrm.Sdk.OptionSetValue(state) };
            org.Seed(Row(0), Row(1), Row(1), Row(0));

            var request = new Microsoft.Crm.Sdk.Messages.BulkDeleteRequest
            {
                JobName = body["JobName"]!.GetValue<string>(),
                RecurrencePattern = body["RecurrencePattern"]!.GetValue<string>(),
                StartDateTime = DateTime.Parse(body["StartDateTime"]!.GetValue<string>(), null, System.Globalization.DateTimeStyles.AdjustToUniversal),
                ToRecipients = Array.Empty<Guid>(),
                CCRecipients = Array.Empty<Guid>(),
                QuerySet = body["QuerySet"]!.AsArray().Select(q => Query(q!.AsObject())).ToArray(),
            };
            org.GetOrganizationService().Execute(request);
            org.UtcNow = new DateTime(2026, 12, 1, 3, 0, 0, DateTimeKind.Utc);
            org.RunAsyncOperations();

            Assert.That(org.All("dr_demandentry").Select(r => r.GetAttributeValue<Microsoft.Xrm.Sdk.OptionSetValue>("statecode").Value), Is.EqualTo(new[] { 0, 0 }));
            Assert.That(org.BulkDeleteJobs.Single().PostponeUntil, Is.EqualTo(new DateTime(2026, 12, 2, 3, 0, 0, DateTimeKind.Utc)), "daily");
        }

        /// <summary>A Web API QueryExpression (EntityName, Criteria of conditions with typed values) as the SDK's.</summary>
        private static Microsoft.Xrm.Sdk.Query.QueryExpression Query(JsonObject json)
        {
            var query = new Microsoft.Xrm.Sdk.Query.QueryExpression(json["EntityName"]!.GetValue<string>());
            var criteria = json["Criteria"]!.AsObject();
            query.Criteria.FilterOperator = Enum.Parse<Microsoft.Xrm.Sdk.Query.LogicalOperator>(criteria["FilterOperator"]!.GetValue<string>());
            foreach (var condition in criteria["Conditions"]!.AsArray())
            {
                var values = condition!["Values"]!.AsArray().Select(v => v!["Type"]!.GetValue<string>() == "System.Int32"
                    ? (object)int.Parse(v["Value"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
                    : throw new AssertionException("a value type this reading does not know: " + v["Type"])).ToArray();
                query.Criteria.AddCondition(condition["AttributeName"]!.GetValue<string>(), Enum.Parse<Microsoft.Xrm.Sdk.Query.ConditionOperator>(condition["Operator"]!.GetValue<string>()), values);
            }

            return query;
        }

        [TestCase("2026-11-30T02:59:00Z", "2026-11-30T03:00:00Z")]
        [TestCase("2026-11-30T03:00:00Z", "2026-12-01T03:00:00Z")]
        [TestCase("2026-11-30T23:10:00Z", "2026-12-01T03:00:00Z")]
        public void FirstRun_IsTheNextThreeOClockUtc(string now, string first) =>
            Assert.That(LedgerCleanup.FirstRun(DateTime.Parse(now, null, System.Globalization.DateTimeStyles.AdjustToUniversal)),
                Is.EqualTo(DateTime.Parse(first, null, System.Globalization.DateTimeStyles.AdjustToUniversal)));
    }
}
