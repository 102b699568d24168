using System;
using System.Collections.Generic;
using System.Linq;
using CrmPlugins.Emulator.Query;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using NUnit.Framework;

namespace CrmPlugins.Emulator.Tests.Query
{
    /// <summary>
    /// The rows a query reads (every row handed out by <see cref="IRowSource.Rows"/> or <see cref="IRowSource.RowsWhere"/>
    /// that the engine enumerates, counted by <see cref="InMemoryRowSource"/>) follow the rows that match, not the size of the tables: other deals' demand through a
    /// filtered product link reads the same rows beside 1,000 or 10,000 lines of products without delivery.
    /// </summary>
    [TestFixture]
    public class RowsVisitedTests
    {
        private const string ProductDemand =
            "<fetch aggregate='true'><entity name='opportunityproduct'>" +
            "<attribute name='quantity' aggregate='sum' alias='quantity'/>" +
            "<filter><condition attribute='quantity' operator='gt' value='0'/></filter>" +
            "<link-entity name='product' from='productid' to='productid' link-type='inner' alias='product'>" +
            "<attribute name='deliveryrole' groupby='true' alias='role'/>" +
            "<filter><condition attribute='deliveryrole' operator='not-null'/><condition attribute='hoursperunit' operator='gt' value='0'/></filter>" +
            "</link-entity>" +
            "<link-entity name='opportunity' from='opportunityid' to='opportunityid' link-type='inner' alias='deal'>" +
            "<attribute name='statecode' groupby='true' alias='state'/>" +
            "<attribute name='estimatedclosedate' groupby='true' dategrouping='month' alias='month'/>" +
            "<filter><condition attribute='statecode' operator='eq' value='0'/></filter>" +
            "</link-entity></entity></fetch>";

        [Test]
        public void Aggregate_ThroughAFilteredLink_ReadsTheMatchingRowsWhateverTheTableHolds()
        {
            var (small, smallAnswer) = Visited(otherLines: 1_000, reference: false);
            var (large, largeAnswer) = Visited(otherLines: 10_000, reference: false);

            Assert.That(largeAnswer, Is.EqualTo(smallAnswer), "the other lines must not change the answer");
            Assert.That(large, Is.EqualTo(small), "rows read must not grow with lines that cannot match");
            // 20 products, 100 deals' 200 delivery lines and their 100 deals, a handful of probes: well under the 1,000 other lines.
            Assert.That(small, Is.LessThan(400));
        }

        [Test]
        public void Aggregate_OnTheReferencePath_ReadsEveryLine()
        {
            // The counter measures what it claims: the straightforward path scans the lines table.
            var (visited, _) = Visited(otherLines: 10_000, reference: true);

            Assert.That(visited, Is.GreaterThan(10_000));
        }

        [Test]
        public void Join_ToTheSameDeal_ReadsTheDealOnce()
        {
            var source = new InMemoryRowSource();
            var deal = source.Add("opportunity", ("statecode", new OptionSetValue(0)));
            for (var i = 0; i < 500; i++) source.Add("opportunityproduct", ("opportunityid", deal.ToEntityReference()), ("quantity", 1m));
            var query = new QueryExpression("opportunityproduct") { ColumnSet = new ColumnSet("quantity") };
            query.AddLink("opportunity", "opportunityid", "opportunityid").LinkCriteria.AddCondition("statecode", ConditionOperator.Equal, 0);

            source.ResetCounters();
            var rows = new QueryEngine(source).Execute(query).Entities.Count;
            var lookups = source.RowsWhereCalls;
            source.ResetCounters();
            new QueryEngine(source) { UseReferencePath = true }.Execute(query);

            Assert.That(rows, Is.EqualTo(500));
            Assert.That(source.RowsWhereCalls, Is.EqualTo(500), "the reference path looks the deal up for every line");
            // One lookup of the lines through the filtered deal, one of the deal for all 500 lines.
            Assert.That(lookups, Is.EqualTo(2));
        }

        private static (long Visited, string Answer) Visited(int otherLines, bool reference)
        {
            var source = new InMemoryRowSource();
            var rows = source;
            var products = Enumerable.Range(0, 20).Select(i => rows.Add("product",
                ("name", "P" + i),
                ("deliveryrole", i == 0 ? new OptionSetValue(100) : null),
                ("hoursperunit", i == 0 ? 8m : (decimal?)null))).ToList();
            var close = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);
            for (var d = 0; d < 100; d++)
            {
                var deal = rows.Add("opportunity", ("statecode", new OptionSetValue(0)), ("estimatedclosedate", close.AddDays(d)));
                rows.Add("opportunityproduct", ("opportunityid", deal.ToEntityReference()), ("productid", products[0].ToEntityReference()), ("quantity", 2m));
                rows.Add("opportunityproduct", ("opportunityid", deal.ToEntityReference()), ("productid", products[0].ToEntityReference()), ("quantity", 1m));
            }

            // Lines of products without delivery, on deals of their own.
            var others = Enumerable.Range(0, 50).Select(_ => rows.Add("opportunity", ("statecode", new OptionSetValue(1)))).ToList();
            for (var i = 0; i < otherLines; i++)
            {
                rows.Add("opportunityproduct", ("opportunityid", others[i % others.Count].ToEntityReference()),
                    ("productid", products[1 + (i % 19)].ToEntityReference()), ("quantity", 3m));
            }

            var engine = new QueryEngine(source) { UseReferencePath = reference };
            // Indexes are built on first use, as the store keeps them afterwards: measure the second run.
            engine.Execute(new FetchExpression(ProductDemand));
            source.ResetCounters();
            var answer = OptimisedPathEquivalenceTests.Describe(engine.Execute(new FetchExpression(ProductDemand)));
            return (source.RowsEnumerated + source.IndexRowsEnumerated, answer);
        }
    }
}
