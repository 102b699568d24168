using System;
using System.Collections.Generic;
using System.Linq;
using DealRisk.Plugins.Ledger;
using DealRisk.Plugins.Schema;
using DealRisk.Plugins.Sweep;
using DealRisk.Risk;
using Microsoft.Crm.Sdk.Messages;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using NUnit.Framework;

namespace DealRisk.Plugins.Tests.Scenarios
{
    /// <summary>
    /// The demand ledger kept small every day: the daily sweep (dr_RunRiskSweep through the emulator's pipeline, as the
    /// flow calls it) folds the oldest change rows into one row per (role, day), and the recurring bulk delete job deploy
    /// schedules deletes what was folded.
    /// </summary>
    [TestFixture]
    public sealed class LedgerFoldScenarios
    {
        private static readonly DateTime Start = new(2027, 1, 11, 0, 0, 0, DateTimeKind.Utc);
        private static readonly string[] Roles = { "Developer", "Consultant", "Trainer" };
        private SalesOrg _org = null!;

        [SetUp]
        public void SetUp() => _org = new SalesOrg();

        private static Entity Change(string role, DateTime? day, decimal hours) => DemandLedger.Row(new DemandEntry(role, day, hours))!;

        private OrganizationResponse SweepPage(string? token = null)
        {
            var request = new OrganizationRequest(RiskSweepPlugin.MessageName) { [RiskSweepPlugin.PageSizeParameter] = 250 };
            if (token != null) request[RiskSweepPlugin.ContinuationTokenParameter] = token;
            return _org.ManagerService.Execute(request);
        }

        private int CallsOfLastPage() => _org.Org.Executions.Last(e => e.PluginType == typeof(RiskSweepPlugin)).Calls.Total;

        private List<Entity> Ledger(int state, int? status = null) => _org.Org.All(DemandEntryTable.EntityName)
            .Where(r => r.GetAttributeValue<OptionSetValue>(DemandEntryTable.StateCode).Value == state && (status == null || r.GetAttributeValue<OptionSetValue>(DemandEntryTable.StatusCode).Value == status))
            .ToList();

        private Dictionary<(string, DateTime?), decimal> ActiveSums() => Ledger(LedgerFold.Active)
            .Select(DemandLedger.Entry).GroupBy(e => (e!.Role, e.Day)).ToDictionary(g => g.Key, g => g.Sum(e => e!.WeightedHours));

        /// <summary>The job `dealrisk deploy` submits through the Web API (LedgerCleanup.Request), as an SDK request.</summary>
        private static BulkDeleteRequest CleanUp()
        {
            var inactive = new QueryExpression(DemandEntryTable.EntityName);
            inactive.Criteria.AddCondition(DemandEntryTable.StateCode, ConditionOperator.Equal, LedgerFold.Inactive);
            return new BulkDeleteRequest
            {
                JobName = "Deal Risk: delete folded demand ledger rows", QuerySet = new[] { inactive }, RecurrencePattern = "FREQ=DAILY;INTERVAL=1;",
                ToRecipients = Array.Empty<Guid>(), CCRecipients = Array.Empty<Guid>(), StartDateTime = SalesOrg.Today.Date.AddDays(1).AddHours(3),
            };
        }

        [Test]
        public void Sweep_ThirtyChangeRowsOnThreeKeys_LeavesThreeFoldedRowsWithTheirSums_AndTheBulkDeleteJobRemovesTheRest()
        {
            var expected = new Dictionary<(string, DateTime?), decimal>();
            for (var i = 0; i < 30; i++)
            {
                var key = (Roles[i % 3], i % 3 == 2 ? (DateTime?)null : Start.AddDays(i % 3));
                var hours = (i % 4 == 0 ? -1 : 1) * (i + 0.125m);
                _org.Org.Seed(Change(key.Item1, key.Item2, hours));
                expected[key] = (expected.TryGetValue(key, out var sum) ? sum : 0m) + hours;
            }

            _org.ManagerService.Execute(CleanUp());
            var page = SweepPage();

            var folded = Ledger(LedgerFold.Active);
            Assert.That(folded, Has.Count.EqualTo(3));
            Assert.That(folded.Select(r => r.GetAttributeValue<OptionSetValue>(DemandEntryTable.StatusCode).Value), Has.All.EqualTo(LedgerFold.FoldedStatus));
            Assert.That(ActiveSums(), Is.EquivalentTo(expected));
            Assert.That(Ledger(LedgerFold.Inactive, LedgerFold.InactiveStatus), Has.Count.EqualTo(30), "every change row summed, deactivated");
            Assert.That((string)page.Results[RiskSweepPlugin.SummaryProperty], Does.Contain("30 ledger row(s) folded into 3"));
            Assert.That(page.Results[RiskSweepPlugin.DoneProperty], Is.True);

            _org.Org.UtcNow = SalesOrg.Today.Date.AddDays(1).AddHours(3);
            _org.Org.RunAsyncOperations();

            Assert.That(_org.Org.All(DemandEntryTable.EntityName), Has.Count.EqualTo(3), "the inactive rows are gone");
            Assert.That(ActiveSums(), Is.EquivalentTo(expected));
            Assert.That(_org.Org.BulkDeleteJobs.Single().SuccessCount, Is.EqualTo(30));
        }

        [Test]
        public void Sweep_OfTwelveThousandChangeRows_FoldsThemOverSeveralPages_AtTheSameCallsPerPage()
        {
            var random = new Random(23);
            var rows = Enumerable.Range(0, 12_000).Select(i => Change(Roles[random.Next(3)], Start.AddDays(random.Next(30)), decimal.Round((decimal)random.NextDouble() * 40m - 10m, 4))).ToList();
            _org.Org.Seed(rows);
            var before = ActiveSums();

            var calls = new List<int>();
            var pages = 0;
            string? token = null;
            while (true)
            {
                var page = SweepPage(token);
                calls.Add(CallsOfLastPage());
                pages++;
                Assert.That(pages, Is.LessThan(100), "the sweep never reported done");
                if ((bool)page.Results[RiskSweepPlugin.DoneProperty]) break;
                token = (string)page.Results[RiskSweepPlugin.ContinuationTokenProperty];
            }

            TestContext.WriteLine($"service calls of the {pages} pages: {string.Join(", ", calls)}");
            Assert.That(pages, Is.EqualTo(12_000 / LedgerFold.OldestPerFold + 1), "a full batch per page, then one that finds the rest");
            // The day's first page also works out the won deals' medians; every later page that folds costs the same.
            Assert.That(calls.Skip(1).Take(pages - 2).Distinct(), Is.EqualTo(new[] { calls[1] }));
            Assert.That(calls.Max(), Is.LessThanOrEqualTo(RiskSweepPlugin.CallsOfFirstPage));
            Assert.That(Ledger(LedgerFold.Active, LedgerFold.ChangeStatus), Is.Empty, "every change row folded");
            Assert.That(Ledger(LedgerFold.Active), Has.Count.EqualTo(before.Count), "one folded row per (role, day)");
            Assert.That(ActiveSums(), Is.EquivalentTo(before));
        }

        [Test]
        public void Sweep_NextDays_FoldTheNewChangeRowsIntoTheFoldedRow_AndKeepEachKeysSum()
        {
            var random = new Random(7);
            var posted = new Dictionary<(string, DateTime?), decimal>();
            for (var day = 0; day < 6; day++)
            {
                _org.Org.UtcNow = SalesOrg.Today.AddDays(day);
                for (var i = random.Next(5, 40); i > 0; i--)
                {
                    var key = (Roles[random.Next(3)], random.Next(6) == 0 ? (DateTime?)null : Start.AddDays(random.Next(5)));
                    var hours = decimal.Round((decimal)random.NextDouble() * 100m - 40m, random.Next(0, 11));
                    _org.ManagerService.Create(Change(key.Item1, key.Item2, hours));
                    posted[key] = (posted.TryGetValue(key, out var sum) ? sum : 0m) + hours;
                }

                _org.Org.UtcNow = SalesOrg.Today.AddDays(day).AddHours(20);
                SweepPage();

                Assert.That(ActiveSums().Where(s => s.Value != 0m), Is.EquivalentTo(posted.Where(s => s.Value != 0m)), $"day {day}");
                Assert.That(Ledger(LedgerFold.Active, LedgerFold.ChangeStatus), Is.Empty, $"day {day}");
                Assert.That(Ledger(LedgerFold.Active).Count, Is.EqualTo(posted.Count(s => s.Value != 0m)), $"day {day}: one folded row per key that holds hours");
            }
        }
    }
}
