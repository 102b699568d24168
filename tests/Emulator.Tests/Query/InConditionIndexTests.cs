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
    /// An In condition of the top-level criteria reads the rows of each of its values from the equality index instead
    /// of scanning the table, and answers exactly what the scan answers: the same condition nested in a child filter
    /// (which the engine never looks up in an index) is the reference.
    /// </summary>
    [TestFixture]
    public class InConditionIndexTests
    {
        private const int RowCount = 2000;
        private InMemoryRowSource _source = null!;
        private QueryEngine _engine = null!;
        private Guid[] _parents = null!;

        [SetUp]
        public void SetUp()
        {
            _source = new InMemoryRowSource();
            _engine = new QueryEngine(_source);
            _parents = Enumerable.Range(0, 50).Select(i => new Guid(i + 1, 0, 0, new byte[8])).ToArray();
            var random = new Random(7);
            for (var i = 0; i < RowCount; i++)
            {
                _source.Add("opportunityproduct",
                    ("name", "Line " + i.ToString("D4")),
                    ("opportunityid", new EntityReference("opportunity", _parents[random.Next(_parents.Length)])),
                    ("quantity", (decimal)random.Next(1, 10)),
                    ("statecode", new OptionSetValue(random.Next(3))),
                    ("category", random.Next(4) == 0 ? null : "Cat" + random.Next(5)));
            }

            _source.ResetCounters();
        }

        private QueryExpression Query(string column, object[] values, bool nested, Action<QueryExpression>? more = null)
        {
            var query = new QueryExpression("opportunityproduct") { ColumnSet = new ColumnSet("name", "quantity", "opportunityid") };
            if (nested)
            {
                var child = new FilterExpression(LogicalOperator.And);
                child.AddCondition(column, ConditionOperator.In, values);
                query.Criteria.AddFilter(child);
            }
            else
            {
                query.Criteria.AddCondition(column, ConditionOperator.In, values);
            }

            more?.Invoke(query);
            return query;
        }

        private static string Rows(EntityCollection result) =>
            string.Join("|", result.Entities.Select(e => $"{e.Id}:{e.GetAttributeValue<string>("name")}:{e.GetAttributeValue<decimal?>("quantity")}")) + $"#more={result.MoreRecords}";

        [Test]
        public void In_OnALookup_ReadsTheIndexInsteadOfScanning()
        {
            var wanted = _parents.Take(3).Cast<object>().ToArray();

            var result = _engine.Execute(Query("opportunityid", wanted, nested: false));

            Assert.That(result.Entities, Is.Not.Empty);
            Assert.That(_source.RowsWhereCalls, Is.EqualTo(3), "one index lookup per value");
            Assert.That(_source.RowsEnumerated, Is.LessThanOrEqualTo(3), "a row read per value to learn the column's type, none scanned");
        }

        [Test]
        public void In_NestedInAChildFilter_Scans_SoItIsTheReference()
        {
            _engine.Execute(Query("opportunityid", _parents.Take(3).Cast<object>().ToArray(), nested: true));

            Assert.That(_source.RowsEnumerated, Is.GreaterThanOrEqualTo(RowCount));
        }

        [TestCase(1, 7)]
        [TestCase(5, 11)]
        [TestCase(25, 13)]
        [TestCase(50, 17)]
        public void In_OnALookup_AnswersWhatTheScanAnswers(int values, int seed)
        {
            var random = new Random(seed);
            // Repeated values and ids that match nothing are part of the draw.
            var wanted = Enumerable.Range(0, values).Select(_ => random.Next(4) == 0 ? (object)Guid.NewGuid() : _parents[random.Next(_parents.Length)]).ToArray();

            foreach (var shape in Shapes())
            {
                var indexed = Rows(_engine.Execute(Query("opportunityid", wanted, nested: false, shape.Value)));
                var scanned = Rows(_engine.Execute(Query("opportunityid", wanted, nested: true, shape.Value)));
                Assert.That(indexed, Is.EqualTo(scanned), shape.Key);
            }
        }

        [Test]
        public void In_OnAChoiceAndOnText_AnswersWhatTheScanAnswers()
        {
            foreach (var shape in Shapes())
            {
                Assert.That(Rows(_engine.Execute(Query("statecode", new object[] { 0, 2 }, false, shape.Value))),
                    Is.EqualTo(Rows(_engine.Execute(Query("statecode", new object[] { 0, 2 }, true, shape.Value)))), "statecode " + shape.Key);
                // Text compares case-insensitively: two values of one key must not return a row twice.
                Assert.That(Rows(_engine.Execute(Query("category", new object[] { "cat1", "CAT1", "Cat3" }, false, shape.Value))),
                    Is.EqualTo(Rows(_engine.Execute(Query("category", new object[] { "cat1", "CAT1", "Cat3" }, true, shape.Value)))), "category " + shape.Key);
            }
        }

        [Test]
        public void In_WithAnotherEquality_ReadsTheSmallerAndAnswersWhatTheScanAnswers()
        {
            var wanted = _parents.Take(10).Cast<object>().ToArray();
            void Open(QueryExpression q) => q.Criteria.AddCondition("statecode", ConditionOperator.Equal, 1);

            var indexed = Rows(_engine.Execute(Query("opportunityid", wanted, false, Open)));
            var scanned = Rows(_engine.Execute(Query("opportunityid", wanted, true, Open)));

            Assert.That(indexed, Is.EqualTo(scanned));
        }

        [Test]
        public void InAndNotIn_OfManyIds_AnswerAsTheirEqualAndNotEqualConditionsTogether()
        {
            // Above a few values the ids are looked up in a set (a batch's NotIn of 500 deals over every product line):
            // the reference is the same ids one condition each, which never take that path.
            var some = _parents.Where((_, i) => i % 3 != 0).ToArray();
            QueryExpression Each(ConditionOperator op, LogicalOperator join)
            {
                var q = new QueryExpression("opportunityproduct") { ColumnSet = new ColumnSet("name", "quantity", "opportunityid") };
                var filter = new FilterExpression(join);
                foreach (var id in some) filter.AddCondition("opportunityid", op, id);
                q.Criteria.AddFilter(filter);
                q.AddOrder("name", OrderType.Ascending);
                return q;
            }

            var inSet = Query("opportunityid", some.Cast<object>().ToArray(), nested: true, q => q.AddOrder("name", OrderType.Ascending));
            var notInSet = new QueryExpression("opportunityproduct") { ColumnSet = new ColumnSet("name", "quantity", "opportunityid") };
            notInSet.Criteria.AddCondition("opportunityid", ConditionOperator.NotIn, some.Cast<object>().ToArray());
            notInSet.AddOrder("name", OrderType.Ascending);

            var inRows = _engine.Execute(inSet);
            var notInRows = _engine.Execute(notInSet);

            Assert.That(some.Length, Is.GreaterThan(8), "enough ids for the set lookup");
            Assert.That(Rows(inRows), Is.EqualTo(Rows(_engine.Execute(Each(ConditionOperator.Equal, LogicalOperator.Or)))));
            Assert.That(Rows(notInRows), Is.EqualTo(Rows(_engine.Execute(Each(ConditionOperator.NotEqual, LogicalOperator.And)))));
            Assert.That(inRows.Entities.Count + notInRows.Entities.Count, Is.EqualTo(RowCount));
        }

        [TestCase(3, 5)]
        [TestCase(8, 6)]
        [TestCase(30, 7)]
        public void In_OfIdsGivenAsIdsOrText_AnswersAsAnOrOfItsEqualConditions(int values, int seed)
        {
            // A lookup's id is tested against a set of the In's ids once they are converted: rows with no lookup, rows holding a
            // bare id, ids given as text and ids of no row must answer as the Equal conditions (which never take that path) do.
            var random = new Random(seed);
            for (var i = 0; i < 60; i++)
            {
                _source.Add("opportunityproduct",
                    ("name", "Extra " + i.ToString("D2")),
                    ("opportunityid", random.Next(3) == 0 ? null : random.Next(2) == 0 ? _parents[random.Next(_parents.Length)] : new EntityReference("opportunity", _parents[random.Next(_parents.Length)])),
                    ("quantity", 1m));
            }

            var wanted = Enumerable.Range(0, values).Select(_ => random.Next(5) switch
            {
                0 => (object)Guid.NewGuid(),
                1 => _parents[random.Next(_parents.Length)].ToString("B"),
                _ => _parents[random.Next(_parents.Length)],
            }).ToArray();
            var each = new QueryExpression("opportunityproduct") { ColumnSet = new ColumnSet("name", "quantity", "opportunityid") };
            var any = each.Criteria.AddFilter(LogicalOperator.Or);
            foreach (var id in wanted) any.AddCondition("opportunityid", ConditionOperator.Equal, id);
            each.AddOrder("name", OrderType.Ascending);

            foreach (var nested in new[] { false, true })
            {
                var result = _engine.Execute(Query("opportunityid", wanted, nested, q => q.AddOrder("name", OrderType.Ascending)));
                Assert.That(Rows(result), Is.EqualTo(Rows(_engine.Execute(each))), nested ? "scanned" : "indexed");
                Assert.That(result.Entities, Is.Not.Empty);
            }
        }

        private static IEnumerable<KeyValuePair<string, Action<QueryExpression>?>> Shapes() => new Dictionary<string, Action<QueryExpression>?>
        {
            ["no order"] = null,
            ["ordered by quantity, then name descending"] = q => { q.AddOrder("quantity", OrderType.Ascending); q.AddOrder("name", OrderType.Descending); },
            ["top 7 by name"] = q => { q.AddOrder("name", OrderType.Ascending); q.TopCount = 7; },
            ["page 2 of 13"] = q => { q.AddOrder("name", OrderType.Ascending); q.PageInfo = new PagingInfo { Count = 13, PageNumber = 2 }; },
            ["distinct quantities"] = q => { q.ColumnSet = new ColumnSet("quantity"); q.Distinct = true; q.AddOrder("quantity", OrderType.Descending); },
            ["distinct, no order"] = q => { q.ColumnSet = new ColumnSet("quantity"); q.Distinct = true; },
        };
    }
}
