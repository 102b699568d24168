using System;
using System.Linq;
using CrmPlugins.Emulator.Query;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using NUnit.Framework;
using static CrmPlugins.Emulator.Tests.Query.QueryTestHelpers;

namespace CrmPlugins.Emulator.Tests.Query
{
    [TestFixture]
    public class QueryByAttributeAndIndexTests
    {
        private const int RowCount = 1000;
        private InMemoryRowSource _source = null!;
        private QueryEngine _engine = null!;
        private Guid _ownerA;

        [SetUp]
        public void SetUp()
        {
            _source = new InMemoryRowSource();
            _engine = new QueryEngine(_source);
            _ownerA = Guid.NewGuid();
            var ownerB = Guid.NewGuid();
            for (var i = 0; i < RowCount; i++)
            {
                _source.Add("account",
                    ("name", "Account " + i.ToString("D4")),
                    ("accountnumber", "AN-" + i.ToString("D4")),
                    ("numberofemployees", i),
                    ("statecode", new OptionSetValue(i % 2)),
                    ("ownerid", new EntityReference("systemuser", i % 10 == 0 ? _ownerA : ownerB)));
            }

            _source.ResetCounters();
        }

        [Test]
        public void Execute_WhenQueryByAttribute_AndsTheEqualities()
        {
            var query = new QueryByAttribute("account") { ColumnSet = new ColumnSet("name") };
            query.AddAttributeValue("ownerid", _ownerA);
            query.AddAttributeValue("statecode", 0);
            query.AddOrder("numberofemployees", OrderType.Descending);
            query.TopCount = 3;

            Assert.That(Names(_engine.Execute(query)), Is.EqualTo(new[] { "Account 0990", "Account 0980", "Account 0970" }));
        }

        [Test]
        public void Execute_WhenQueryByAttributePaged_ReturnsThePageAndTotal()
        {
            var query = new QueryByAttribute("account") { ColumnSet = new ColumnSet("accountnumber") };
            query.AddAttributeValue("ownerid", new EntityReference("systemuser", _ownerA));
            query.AddOrder("numberofemployees", OrderType.Ascending);
            query.PageInfo = new PagingInfo { Count = 10, PageNumber = 2, ReturnTotalRecordCount = true };

            var result = _engine.Execute(query);

            Assert.That(Names(result, "accountnumber").First(), Is.EqualTo("AN-0100"));
            Assert.That(result.Entities, Has.Count.EqualTo(10));
            Assert.That(result.TotalRecordCount, Is.EqualTo(100));
            Assert.That(result.MoreRecords, Is.True);
            Assert.That(result.Entities[0].Attributes.Keys, Is.EquivalentTo(new[] { "accountid", "accountnumber" }));
        }

        [Test]
        public void Execute_WhenQueryByAttributeHasNoAttribute_Faults()
        {
            var fault = Fault(() => _engine.Execute(new QueryByAttribute("account")));

            Assert.That(fault.ErrorCode, Is.EqualTo(QueryFaults.QueryBuilderByAttributeNonEmpty));
            Assert.That(fault.Message, Is.EqualTo("QueryByAttribute must specify a non-empty attribute array."));
        }

        [Test]
        public void Execute_WhenQueryByAttributeHasMoreAttributesThanValues_Faults()
        {
            var query = new QueryByAttribute("account");
            query.Attributes.Add("name");

            Assert.That(Fault(() => _engine.Execute(query)).ErrorCode, Is.EqualTo(QueryFaults.QueryBuilderByAttributeMismatch));
        }

        [Test]
        public void Execute_WhenQueryByAttributeTopCountAndPageInfo_Faults()
        {
            var query = new QueryByAttribute("account") { TopCount = 2, PageInfo = new PagingInfo { Count = 5, PageNumber = 1 } };
            query.AddAttributeValue("statecode", 0);

            Assert.That(Fault(() => _engine.Execute(query)).Message, Is.EqualTo("The Top.Count = 2 can't be specified with pagingInfo"));
        }

        [Test]
        public void Execute_WhenEqualityOnAnIndexedColumn_DoesNotScanTheTable()
        {
            var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name") };
            query.Criteria.AddCondition("accountnumber", ConditionOperator.Equal, "an-0421");
            query.Criteria.AddCondition("numberofemployees", ConditionOperator.GreaterThan, 100);

            var result = _engine.Execute(query);

            Assert.That(Names(result), Is.EqualTo(new[] { "Account 0421" }));
            Assert.That(_source.RowsWhereCalls, Is.EqualTo(1));
            Assert.That(_source.RowsEnumerated, Is.LessThanOrEqualTo(1), "one row read to learn the column's type, none scanned");
        }

        [Test]
        public void Execute_WhenSeveralEqualities_LooksUpEachAndReadsTheSmallest()
        {
            var query = new QueryByAttribute("account") { ColumnSet = new ColumnSet("name") };
            query.AddAttributeValue("statecode", 1);
            query.AddAttributeValue("name", "Account 0007");

            var result = _engine.Execute(query);

            Assert.That(Names(result), Is.EqualTo(new[] { "Account 0007" }));
            Assert.That(_source.RowsWhereCalls, Is.EqualTo(2));
            Assert.That(_source.RowsEnumerated, Is.LessThanOrEqualTo(2));
        }

        [Test]
        public void Execute_WhenFetchXmlEqualityValueIsText_ConvertsItToTheColumnTypeForTheIndex()
        {
            var fetch = "<fetch><entity name='account'><attribute name='name' />"
                + "<filter><condition attribute='numberofemployees' operator='eq' value='250' /></filter></entity></fetch>";

            var result = _engine.Execute(new FetchExpression(fetch));

            Assert.That(Names(result), Is.EqualTo(new[] { "Account 0250" }));
            Assert.That(_source.RowsWhereCalls, Is.EqualTo(1));
            Assert.That(_source.RowsEnumerated, Is.LessThanOrEqualTo(1));
        }

        [Test]
        public void Execute_WhenEqualityValueMatchesNothing_ReturnsNoRowsWithoutScanning()
        {
            var query = new QueryExpression("account");
            query.Criteria.AddCondition("numberofemployees", ConditionOperator.Equal, 12.5m);

            Assert.That(_engine.Execute(query).Entities, Is.Empty);
            Assert.That(_source.RowsEnumerated, Is.LessThanOrEqualTo(1));
        }

        [Test]
        public void Execute_WhenCriteriaIsAnOr_ScansAndStillFindsTheRows()
        {
            var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name") };
            query.Criteria.FilterOperator = LogicalOperator.Or;
            query.Criteria.AddCondition("accountnumber", ConditionOperator.Equal, "AN-0001");
            query.Criteria.AddCondition("accountnumber", ConditionOperator.Equal, "AN-0002");

            Assert.That(_engine.Execute(query).Entities, Has.Count.EqualTo(2));
            Assert.That(_source.RowsEnumerated, Is.EqualTo(RowCount));
        }
    }
}
