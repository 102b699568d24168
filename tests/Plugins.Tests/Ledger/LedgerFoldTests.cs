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
                .Select(DemandLedger.Entry).Select(e => (e!.Role, e.Day, e.WeightedHours)).OrderBy(e => e.Role).ThenBy(e => e.Day).ToList();
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
    
        /// <summary>Counts the calls made through it.</summary>
        private sealed class Counting : IOrganizationService
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
            public EntityCollection RetrieveMultiple(QueryBase query) { Calls++; return _inner.RetrieveMultiple(query); }
        }
    }
}
