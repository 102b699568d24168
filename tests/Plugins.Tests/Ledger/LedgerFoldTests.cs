using System;
using System.Collections.Generic;
using System.Linq;
using DealRisk.Plugins.Ledger;
using DealRisk.Plugins.Schema;
using DealRisk.Plugins.Tests.Scenarios;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using NUnit.Framework;

namespace DealRisk.Plugins.Tests.Ledger
{
    /// <summary>The ledger's fold in the emulator with the suite's tables imported from Solution/.</summary>
    [TestFixture]
    public sealed class LedgerFoldTests
    {
        private static readonly DateTime Day = new(2027, 1, 15, 0, 0, 0, DateTimeKind.Utc);

        private static Entity Row(string role, DateTime? day, decimal hours) => DemandLedger.Row(new DemandEntry(role, day, hours))!;

        private static List<(string Role, DateTime? Day, decimal Hours)> Active(SalesOrg sales)
        {
            var query = new QueryExpression(DemandEntryTable.EntityName) { ColumnSet = new ColumnSet(true) };
            query.Criteria.AddCondition(DemandEntryTable.StateCode, ConditionOperator.Equal, LedgerFold.Active);
            return sales.Org.GetOrganizationService().RetrieveMultiple(query).Entities
                .Select(DemandLedger.Entry).Select(e => (e!.Role, e.Day, e.WeightedHours)).OrderBy(e => e.Role).ThenBy(e => e.Day).ThenBy(e => e.WeightedHours).ToList();
        }

        [Test]
        public void Fold_OfAKeyWithManyRows_LeavesOneRowWithTheirSum_AndLeavesOtherKeysAlone()
        {
            var sales = new SalesOrg();
            sales.Org.Seed(
                Row("Developer", Day, 40m), Row("Developer", Day, -12.5m), Row("Developer", Day, 0.0000000001m),
                Row("Developer", Day.AddDays(1), 7m), Row("Consultant", null, 3m), Row("Consultant", null, 4m),
                Row("Trainer", Day, 5m), Row("Trainer", Day, -5m));

            var result = LedgerFold.Fold(sales.Org.GetOrganizationService(), new[]
            {
                new DemandEntry("Developer", Day, 0m), new DemandEntry("developer", Day.AddDays(1), 0m), new DemandEntry("Consultant", null, 0m), new DemandEntry("Trainer", Day, 0m),
            });

            Assert.That(Active(sales), Is.EqualTo(new (string, DateTime?, decimal)[]
            {
                ("Consultant", null, 7m),
                ("Developer", Day, 27.5000000001m),
                ("Developer", Day.AddDays(1), 7m),
            }));
            // Developer on Day (3 rows), Consultant undated (2), Trainer (2 rows summing to nothing: no row written).
            Assert.That(result.RowsFolded, Is.EqualTo(7));
            Assert.That(result.RowsWritten, Is.EqualTo(2));
        }

        [Test]
        public void Fold_CostsOneQueryAndTwoWrites_WhateverTheNumberOfKeys()
        {
            foreach (var keys in new[] { 1, 40 })
            {
                var sales = new SalesOrg();
                var rows = Enumerable.Range(0, keys).SelectMany(k => new[] { Row("Developer", Day.AddDays(k), 1m), Row("Developer", Day.AddDays(k), 2m) }).ToArray();
                sales.Org.Seed(rows);
                var service = new Counting(sales.Org.GetOrganizationService());

                LedgerFold.Fold(service, Enumerable.Range(0, keys).Select(k => new DemandEntry("Developer", Day.AddDays(k), 0m)));

                Assert.That(service.Calls, Is.EqualTo(3), $"{keys} key(s)");
                Assert.That(Active(sales).Select(a => a.Hours), Is.All.EqualTo(3m));
            }
        }
    
        [Test]
        public void FoldedStatus_IsTheStatusReasonFolded_TheSolutionDeclaresInTheActiveState()
        {
            var statuses = System.Xml.Linq.XDocument.Load(System.IO.Path.Combine(SalesOrg.SolutionFolder, "Entities", "dr_DemandEntry", "Entity.xml"))
                .Descendants("status").ToDictionary(s => (string)s.Descendants("label").First().Attribute("description")!, s => ((int)s.Attribute("value")!, (int)s.Attribute("state")!));

            Assert.That(statuses["Folded"], Is.EqualTo((LedgerFold.FoldedStatus, LedgerFold.Active)));
            Assert.That(statuses["Active"], Is.EqualTo((LedgerFold.ChangeStatus, LedgerFold.Active)));
            Assert.That(statuses["Inactive"], Is.EqualTo((LedgerFold.InactiveStatus, LedgerFold.Inactive)));
        }

        [Test]
        public void Fold_WritesItsRowsWithTheStatusReasonFolded_AndChangeRowsKeepTheDefaultActive()
        {
            var sales = new SalesOrg();
            var service = sales.Org.GetOrganizationService();
            service.Create(Row("Developer", Day, 40m));
            service.Create(Row("Developer", Day, 2m));

            LedgerFold.Fold(service, new[] { new DemandEntry("Developer", Day, 0m) });
            service.Create(Row("Developer", Day, 5m));

            var active = sales.Org.All(DemandEntryTable.EntityName).Where(r => r.GetAttributeValue<OptionSetValue>(DemandEntryTable.StateCode).Value == LedgerFold.Active)
                .Select(r => (r.GetAttributeValue<decimal>(DemandEntryTable.WeightedHours), r.GetAttributeValue<OptionSetValue>(DemandEntryTable.StatusCode).Value)).OrderBy(r => r.Item1).ToList();
            Assert.That(active, Is.EqualTo(new[] { (5m, LedgerFold.ChangeStatus), (42m, LedgerFold.FoldedStatus) }));
        }

        [Test]
        public void FoldOldest_TakesTheOldestChangeRows_WithTheFoldedRowOfTheirKeys_AndLeavesNewerRowsActive()
        {
            var sales = new SalesOrg();
            var service = sales.Org.GetOrganizationService();
            sales.Org.Seed(DemandLedger.FoldedRow(new DemandEntry("Developer", Day, 100m))!);
            sales.Org.UtcNow = SalesOrg.Today.AddMinutes(1);
            service.Create(Row("Developer", Day, 1m));
            service.Create(Row("Consultant", null, 2m));
            sales.Org.UtcNow = SalesOrg.Today.AddMinutes(2);
            service.Create(Row("Developer", Day, 4m));
            service.Create(Row("Developer", Day.AddDays(1), 8m));

            var result = LedgerFold.FoldOldest(service, count: 2);

            Assert.That(Active(sales), Is.EqualTo(new (string, DateTime?, decimal)[]
            {
                ("Consultant", null, 2m),
                ("Developer", Day, 4m),
                ("Developer", Day, 101m),
                ("Developer", Day.AddDays(1), 8m),
            }));
            Assert.That(result.RowsFolded, Is.EqualTo(3), "the two oldest change rows and the folded row of Developer on Day");
            Assert.That(result.RowsWritten, Is.EqualTo(2), "a single change row becomes a folded row too, so the next fold reads past it");
            Assert.That(sales.Org.All(DemandEntryTable.EntityName).Count(r => r.GetAttributeValue<OptionSetValue>(DemandEntryTable.StatusCode).Value == LedgerFold.ChangeStatus), Is.EqualTo(2));
        }

        [Test]
        public void FoldOldest_WhenASaveAppendsBetweenItsReadAndItsWrites_TheAppendedRowStaysActiveAndCounts()
        {
            var sales = new SalesOrg();
            sales.Org.Seed(Row("Developer", Day, 10m), Row("Developer", Day, 20m));
            var appending = new AppendingAfterFirstRead(sales.Org.GetOrganizationService(), Row("Developer", Day, 7m));

            var result = LedgerFold.FoldOldest(appending);

            Assert.That(appending.Appended, Is.True, "the save landed after the fold's read");
            Assert.That(result.RowsFolded, Is.EqualTo(2), "exactly the two rows it read and summed");
            Assert.That(Active(sales), Is.EqualTo(new (string, DateTime?, decimal)[] { ("Developer", Day, 7m), ("Developer", Day, 30m) }));
            Assert.That(Active(sales).Sum(a => a.Hours), Is.EqualTo(37m), "the key's sum counts the appended row");
        }

        /// <summary>
        /// Two folds of the same rows at once (two sweeps started by hand, a sweep and a rebuild): the one that writes second
        /// finds the rows' version changed and is refused with the platform's ConcurrencyVersionMismatch
        /// (learn.microsoft.com/power-apps/developer/data-platform/optimistic-concurrency), writing nothing: no sum counted twice.
        /// </summary>
        [Test]
        public void FoldOldest_WhenAnotherFoldTookTheSameRowsFirst_IsRefusedAndWritesNothing()
        {
            var sales = new SalesOrg();
            sales.Org.Seed(Row("Developer", Day, 10m), Row("Developer", Day, 20m), Row("Trainer", null, 4m));
            var racing = new FoldingAfterFirstRead(sales.Org.GetOrganizationService());

            Assert.That(() => LedgerFold.FoldOldest(racing), Throws.InstanceOf<System.ServiceModel.FaultException<OrganizationServiceFault>>()
                .With.Property("Detail").With.Property("ErrorCode").EqualTo(CrmPlugins.Emulator.ErrorCodes.ConcurrencyVersionMismatch));

            Assert.That(Active(sales), Is.EqualTo(new (string, DateTime?, decimal)[] { ("Developer", Day, 30m), ("Trainer", null, 4m) }), "the other fold's rows, once");
            Assert.That(sales.Org.All(DemandEntryTable.EntityName), Has.Count.EqualTo(5), "three change rows and the other fold's two folded rows: nothing written by the refused one");
        }

        [Test]
        public void FoldOldest_OfAnEmptyLedger_IsOneQueryAndNoWrite()
        {
            var sales = new SalesOrg();
            var service = new Counting(sales.Org.GetOrganizationService());

            var result = LedgerFold.FoldOldest(service);

            Assert.That(service.Calls, Is.EqualTo(1));
            Assert.That(result.RowsFolded, Is.EqualTo(0));
        }

        [Test]
        public void FoldOldest_KeepsEveryKeysSum_OverRandomRowsFoldsAndAppends()
        {
            string[] roles = { "Developer", "Consultant", "Trainer" };
            for (var seed = 1; seed <= 12; seed++)
            {
                var random = new Random(seed);
                var sales = new SalesOrg();
                var service = sales.Org.GetOrganizationService();
                var posted = new Dictionary<(string, DateTime?), decimal>();
                for (var step = 0; step < 40; step++)
                {
                    sales.Org.UtcNow = SalesOrg.Today.AddMinutes(step);
                    if (random.Next(3) == 0)
                    {
                        LedgerFold.FoldOldest(service, count: 1 + random.Next(12));
                        continue;
                    }

                    for (var n = random.Next(1, 6); n > 0; n--)
                    {
                        var role = roles[random.Next(roles.Length)];
                        DateTime? day = random.Next(5) == 0 ? null : Day.AddDays(random.Next(4));
                        var hours = decimal.Round((decimal)(random.NextDouble() * 200 - 80), random.Next(0, 11));
                        service.Create(Row(role, day, hours));
                        posted[(role, day)] = posted.TryGetValue((role, day), out var sum) ? sum + hours : hours;
                    }
                }

                var ledger = Active(sales).GroupBy(a => (a.Role, a.Day)).ToDictionary(g => g.Key, g => g.Sum(a => a.Hours));
                Assert.That(ledger.Where(k => k.Value != 0m).OrderBy(k => k.Key.Role).ThenBy(k => k.Key.Day).Select(k => (k.Key.Role, k.Key.Day, k.Value)),
                    Is.EqualTo(posted.Where(k => k.Value != 0m).OrderBy(k => k.Key.Item1).ThenBy(k => k.Key.Item2).Select(k => (k.Key.Item1, k.Key.Item2, k.Value))),
                    $"seed {seed}");
                Assert.That(Active(sales).GroupBy(a => (a.Role, a.Day)).Select(g => sales.Org.All(DemandEntryTable.EntityName).Count(r =>
                    r.GetAttributeValue<OptionSetValue>(DemandEntryTable.StateCode).Value == LedgerFold.Active && r.GetAttributeValue<OptionSetValue>(DemandEntryTable.StatusCode).Value == LedgerFold.FoldedStatus &&
                    DemandLedger.Entry(r)!.Role == g.Key.Role && DemandLedger.Entry(r)!.Day == g.Key.Day)), Has.All.LessThanOrEqualTo(1), $"seed {seed}: one folded row per key at most");
            }
        }

        /// <summary>A save's append landing while a fold runs: the first ledger read returns, then a change row is created.</summary>
        private sealed class AppendingAfterFirstRead : Counting
        {
            private readonly IOrganizationService _service;
            private readonly Entity _row;

            public AppendingAfterFirstRead(IOrganizationService inner, Entity row) : base(inner) => (_service, _row) = (inner, row);

            public bool Appended { get; private set; }

            public override EntityCollection RetrieveMultiple(QueryBase query)
            {
                var result = base.RetrieveMultiple(query);
                if (!Appended && query is QueryExpression { EntityName: DemandEntryTable.EntityName })
                {
                    _service.Create(_row);
                    Appended = true;
                }

                return result;
            }
        }

        /// <summary>Another fold running to its end between this fold's first read and its writes.</summary>
        private sealed class FoldingAfterFirstRead : Counting
        {
            private readonly IOrganizationService _service;
            private bool _folded;

            public FoldingAfterFirstRead(IOrganizationService inner) : base(inner) => _service = inner;

            public override EntityCollection RetrieveMultiple(QueryBase query)
            {
                var result = base.RetrieveMultiple(query);
                if (!_folded)
                {
                    _folded = true;
                    LedgerFold.FoldOldest(_service);
                }

                return result;
            }
        }

        /// <summary>Counts the calls made through it.</summary>
        private class Counting : IOrganizationService
        {
            private readonly IOrganizationService _inner;

            public Counting(IOrganizationService inner) => _inner = inner;

            public int Calls { get; private set; }

            public Guid Create(Entity entity) { Calls++; return _inner.Create(entity); }
            public Entity Retrieve(string entityName, Guid id, ColumnSet columnSet) { Calls++; return _inner.Retrieve(entityName, id, columnSet); }
            public void Update(Entity entity) { Calls++; _inner.Update(entity); }
            public void Delete(string entityName, Guid id) { Calls++; _inner.Delete(entityName, id); }
            public OrganizationResponse Execute(OrganizationRequest request) { Calls++; return _inner.Execute(request); }
            public void Associate(string entityName, Guid entityId, Relationship relationship, EntityReferenceCollection relatedEntities) { Calls++; _inner.Associate(entityName, entityId, relationship, relatedEntities); }
            public void Disassociate(string entityName, Guid entityId, Relationship relationship, EntityReferenceCollection relatedEntities) { Calls++; _inner.Disassociate(entityName, entityId, relationship, relatedEntities); }
            public virtual EntityCollection RetrieveMultiple(QueryBase query) { Calls++; return _inner.RetrieveMultiple(query); }
        }
    }
}
