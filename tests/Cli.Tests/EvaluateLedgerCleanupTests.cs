using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CrmPlugins.Emulator;
using DealRisk.Cli.Evaluate;
using DealRisk.Cli.Live;
using DealRisk.Plugins.Ledger;
using DealRisk.Plugins.Schema;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;
using NUnit.Framework;

namespace DealRisk.Cli.Tests
{
    /// <summary>
    /// evaluate deletes the ledger rows its folds deactivate as the admin's org does: through the bulk delete job that
    /// <c>dealrisk deploy</c> schedules (same name, same query), submitted with BulkDelete and run at once by the emulator's
    /// asynchronous service, not one Delete call per row of its own.
    /// </summary>
    [TestFixture]
    public sealed class EvaluateLedgerCleanupTests
    {
        private string _dir = null!;

        [SetUp]
        public void TempFolder() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "dealrisk-cleanup-" + Guid.NewGuid().ToString("N")));

        [TearDown]
        public void CleanUp() => Directory.Delete(_dir, recursive: true);

        [Test]
        public void Evaluate_CleansTheLedgerWithTheBulkDeleteJob_LeavingNoInactiveRows_AndTheVerdictsUnchanged()
        {
            // 2,500 open deals over three pages of the API, closing on 25 days at 10-90%: each page after the first folds the
            // rows of the days it shares with the pages before, and deactivates the rows it replaces.
            var data = Path.Combine(_dir, "data");
            Directory.CreateDirectory(data);
            File.WriteAllText(Path.Combine(data, "product.csv"),
                "productid,name,currentcost,dr_deliveryhoursperunit,dr_deliveryrole\ne0000000-0000-0000-0000-000000000021,Onboarding package,2500,60,Consultant\n");
            var expected = new Dictionary<DateTime, decimal>();
            using (var deals = new StreamWriter(Path.Combine(data, "opportunity.csv")))
            using (var lines = new StreamWriter(Path.Combine(data, "opportunityproduct.csv")))
            {
                deals.WriteLine("opportunityid,name,estimatedclosedate,closeprobability,estimatedvalue");
                lines.WriteLine("opportunityproductid,opportunityid,productid,quantity,priceperunit");
                for (var i = 1; i <= 2500; i++)
                {
                    var day = new DateTime(2027, 1, 1).AddDays(i % 25);
                    var probability = 10 * (1 + i % 9);
                    deals.WriteLine($"e0000000-0000-0000-0001-{i:x12},Deal {i},{day:yyyy-MM-dd},{probability},5000");
                    lines.WriteLine($"e0000000-0000-0000-0002-{i:x12},e0000000-0000-0000-0001-{i:x12},e0000000-0000-0000-0000-000000000021,1,5000");
                    expected[day] = (expected.TryGetValue(day, out var sum) ? sum : 0m) + 60m * probability / 100m;
                }
            }

            var log = new StringWriter();
            var outcome = EvaluateCommand.Run(data, Path.Combine(_dir, "out"), "2026-11-23", log);
            var org = outcome.Org;

            var ledger = org.All(DemandEntryTable.EntityName);
            Assert.That(ledger.Select(r => r.GetAttributeValue<OptionSetValue>(DemandEntryTable.StateCode).Value), Has.All.EqualTo(LedgerFold.Active), "no inactive row left");
            Assert.That(ledger.Select(DemandLedger.Entry).GroupBy(e => e!.Day!.Value).ToDictionary(g => g.Key, g => g.Sum(e => e!.WeightedHours)), Is.EquivalentTo(expected),
                "the active rows hold each day's demand, however it was folded");

            // The jobs are the deploy's clean-up: its name and query, one run per page, every folded row deleted by them.
            var built = outcome.Ledger!;
            Assert.That(built.Pages, Is.EqualTo(3));
            Assert.That(built.RowsDeleted, Is.GreaterThan(0), "the folds must have deactivated rows");
            Assert.That(org.BulkDeleteJobs, Has.Count.EqualTo(built.Pages));
            Assert.That(org.BulkDeleteJobs.Select(j => (j.Name, j.Status, j.FailureCount, j.IsRecurring)),
                Has.All.EqualTo((LedgerCleanup.JobName, AsyncOperationStatus.Succeeded, 0, false)));
            Assert.That(org.BulkDeleteJobs.Sum(j => j.TotalDeleted), Is.EqualTo(built.RowsDeleted));
            Assert.That(log.ToString(), Does.Contain($"{built.RowsDeleted} folded row(s) deleted."));
            var query = org.BulkDeleteJobs[0].QuerySet.Single();
            var condition = query.Criteria.Conditions.Single();
            Assert.That((query.EntityName, condition.AttributeName, condition.Operator, condition.Values.Single()),
                Is.EqualTo((DemandEntryTable.EntityName, DemandEntryTable.StateCode, ConditionOperator.Equal, (object)LedgerFold.Inactive)));

            // The verdicts read only active rows: judging every open deal again on the cleaned ledger changes none.
            var open = org.All(Opportunity.EntityName);
            var verdicts = open.ToDictionary(d => d.Id, Verdict);
            Assert.That(verdicts.Values.Select(v => v.Score), Has.Some.GreaterThan(0), "the deals must have been judged");
            var service = org.GetOrganizationService();
            foreach (var batch in open.Chunk(EvaluateCommand.BatchSize))
            {
                service.Execute(new UpdateMultipleRequest
                {
                    Targets = new EntityCollection(batch.Select(d => new Entity(Opportunity.EntityName, d.Id) { [Opportunity.RiskRecalculationRequestedOn] = org.UtcNow.AddMinutes(1) }).ToList())
                    {
                        EntityName = Opportunity.EntityName,
                    },
                });
                org.RunAsyncOperations();
            }

            Assert.That(org.All(Opportunity.EntityName).ToDictionary(d => d.Id, Verdict), Is.EquivalentTo(verdicts));
        }

        [Test]
        public void CleanupQuery_IsTheQueryDeploysBulkDeleteJobSends()
        {
            var query = EvaluateLedger.CleanupQuery();
            var sent = (Dictionary<string, object>)((object[])LedgerCleanup.Request(new DateTime(2026, 11, 23, 3, 0, 0, DateTimeKind.Utc))["QuerySet"]).Single();
            var criteria = (Dictionary<string, object>)sent["Criteria"];
            var condition = (Dictionary<string, object>)((object[])criteria["Conditions"]).Single();
            var value = (Dictionary<string, object>)((object[])condition["Values"]).Single();

            Assert.That((query.EntityName, query.ColumnSet.AllColumns, query.ColumnSet.Columns.Count), Is.EqualTo(((string)sent["EntityName"], false, 0)));
            Assert.That((query.Criteria.FilterOperator.ToString(), query.Criteria.Conditions.Count, query.Criteria.Filters.Count), Is.EqualTo(((string)criteria["FilterOperator"], 1, 0)));
            var mine = query.Criteria.Conditions[0];
            Assert.That((mine.AttributeName, mine.Operator.ToString(), Convert.ToString(mine.Values.Single(), System.Globalization.CultureInfo.InvariantCulture)),
                Is.EqualTo(((string)condition["AttributeName"], (string)condition["Operator"], (string)value["Value"])));
        }

        private static (int? Overall, int Score) Verdict(Entity deal) =>
            (deal.GetAttributeValue<OptionSetValue>(Opportunity.OverallRisk)?.Value, deal.GetAttributeValue<int?>(Opportunity.RiskScore) ?? 0);
    }
}
