using System;
using System.Linq;
using CrmPlugins.Emulator.Query;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using NUnit.Framework;
using static CrmPlugins.Emulator.Tests.Query.QueryTestHelpers;

namespace CrmPlugins.Emulator.Tests.Query
{
    /// <summary>FetchXML aggregates, on the data set of Microsoft's "Aggregate data using FetchXml" article plus revenue and owners.</summary>
    [TestFixture]
    public class AggregateTests
    {
        private static readonly (int? Employees, string City)[] Accounts =
        {
            (null, null!), (1500, "Redmond"), (2700, "Lynnwood"), (2900, "Los Angeles"), (2900, "Redmond"),
            (3900, "Phoenix"), (4300, "Santa Cruz"), (4800, "Missoula"), (6000, "Dallas"), (6200, "Redmond"),
        };

        private InMemoryRowSource _source = null!;
        private QueryEngine _engine = null!;
        private Guid _ownerA;
        private Guid _ownerB;

        [SetUp]
        public void SetUp()
        {
            _source = new InMemoryRowSource();
            _engine = new QueryEngine(_source);
            _ownerA = _source.Add("systemuser", ("fullname", "Alice")).Id;
            _ownerB = _source.Add("systemuser", ("fullname", "Bert")).Id;
            for (var i = 0; i < Accounts.Length; i++)
            {
                var account = new Entity("account");
                account["name"] = "Account " + i;
                if (Accounts[i].Employees is int employees) account["numberofemployees"] = employees;
                if (Accounts[i].City != null) account["address1_city"] = Accounts[i].City;
                account["revenue"] = new Money(100m * (i + 1));
                account["ownerid"] = new EntityReference("systemuser", i < 4 ? _ownerA : _ownerB) { Name = i < 4 ? "Alice" : "Bert" };
                account["createdon"] = i == 0 ? new DateTime(2023, 8, 27, 0, 0, 0, DateTimeKind.Utc) : new DateTime(2023, 3, 25, 0, 0, 0, DateTimeKind.Utc);
                _source.Add(account);
            }
        }

        private Entity Single(string attributes, string more = "") =>
            _engine.Execute(new FetchExpression($"<fetch aggregate='true'><entity name='account'>{attributes}{more}</entity></fetch>")).Entities.Single();

        private EntityCollection Rows(string inner) =>
            _engine.Execute(new FetchExpression($"<fetch aggregate='true'><entity name='account'>{inner}</entity></fetch>"));

        [Test]
        public void Execute_WhenAggregates_ComputesThemAsTheArticleShows()
        {
            var row = Single(@"
                <attribute name='numberofemployees' alias='Average' aggregate='avg' />
                <attribute name='numberofemployees' alias='Count' aggregate='count' />
                <attribute name='numberofemployees' alias='ColumnCount' aggregate='countcolumn' />
                <attribute name='numberofemployees' alias='Maximum' aggregate='max' />
                <attribute name='numberofemployees' alias='Minimum' aggregate='min' />
                <attribute name='numberofemployees' alias='Sum' aggregate='sum' />");

            Assert.That(Aliased(row, "Average"), Is.EqualTo(3911));
            Assert.That(Aliased(row, "Count"), Is.EqualTo(10));
            Assert.That(Aliased(row, "ColumnCount"), Is.EqualTo(9));
            Assert.That(Aliased(row, "Maximum"), Is.EqualTo(6200));
            Assert.That(Aliased(row, "Minimum"), Is.EqualTo(1500));
            Assert.That(Aliased(row, "Sum"), Is.EqualTo(35200));
            var average = (AliasedValue)row["Average"];
            Assert.That(average.EntityLogicalName, Is.EqualTo("account"));
            Assert.That(average.AttributeLogicalName, Is.EqualTo("numberofemployees"));
            Assert.That(Aliased(row, "Count"), Is.TypeOf<int>());
            Assert.That(row.Id, Is.EqualTo(Guid.Empty));
        }

        [Test]
        public void Execute_WhenCountColumnDistinct_CountsUniqueValues()
        {
            var row = Single("<attribute name='numberofemployees' alias='n' aggregate='countcolumn' distinct='true' />");

            Assert.That(Aliased(row, "n"), Is.EqualTo(8));
        }

        [Test]
        public void Execute_WhenSumOrAvgOfMoney_ReturnsMoney()
        {
            var row = Single("<attribute name='revenue' alias='total' aggregate='sum' /><attribute name='revenue' alias='mean' aggregate='avg' />");

            Assert.That(((Money)Aliased(row, "total")!).Value, Is.EqualTo(5500m));
            Assert.That(((Money)Aliased(row, "mean")!).Value, Is.EqualTo(550m));
        }

        [Test]
        public void Execute_WhenGroupedByColumn_ReturnsOneRowPerValueOrderedByAlias()
        {
            var rows = Rows(@"
                <attribute name='numberofemployees' alias='Total' aggregate='sum' />
                <attribute name='address1_city' alias='Count' aggregate='count' />
                <attribute name='address1_city' alias='City' groupby='true' />
                <order alias='City' />").Entities;

            Assert.That(rows.Select(r => r.Contains("City") ? Aliased(r, "City") : null),
                Is.EqualTo(new object?[] { null, "Dallas", "Los Angeles", "Lynnwood", "Missoula", "Phoenix", "Redmond", "Santa Cruz" }));
            var redmond = rows.Single(r => r.Contains("City") && (string)Aliased(r, "City")! == "Redmond");
            Assert.That(Aliased(redmond, "Total"), Is.EqualTo(10600));
            Assert.That(Aliased(redmond, "Count"), Is.EqualTo(3));
            Assert.That(rows[0].Contains("Total"), Is.False, "the null-city group has no employee numbers, so no sum");
        }

        [Test]
        public void Execute_WhenOrderedByAggregateDescending_SortsGroups()
        {
            var rows = Rows(@"
                <attribute name='address1_city' alias='City' groupby='true' />
                <attribute name='address1_city' alias='Count' aggregate='count' />
                <order alias='Count' descending='true' />").Entities;

            Assert.That(Aliased(rows[0], "City"), Is.EqualTo("Redmond"));
        }

        [Test]
        public void Execute_WhenGroupedByLookup_ReturnsTheReferencePerGroup()
        {
            var rows = Rows(@"
                <attribute name='ownerid' alias='owner' groupby='true' />
                <attribute name='accountid' alias='n' aggregate='count' />
                <order alias='owner' />").Entities;

            Assert.That(rows, Has.Count.EqualTo(2));
            var first = (EntityReference)Aliased(rows[0], "owner")!;
            Assert.That(first.Id, Is.EqualTo(_ownerA));
            Assert.That(first.Name, Is.EqualTo("Alice"));
            Assert.That(Aliased(rows[0], "n"), Is.EqualTo(4));
            Assert.That(Aliased(rows[1], "n"), Is.EqualTo(6));
        }

        [Test]
        public void Execute_WhenGroupedByALinkedColumn_JoinsThenGroups()
        {
            var rows = Rows(@"
                <attribute name='revenue' alias='total' aggregate='sum' />
                <link-entity name='systemuser' from='systemuserid' to='ownerid' alias='u'>
                  <attribute name='fullname' alias='who' groupby='true' />
                </link-entity>
                <order alias='who' descending='true' />").Entities;

            Assert.That(rows.Select(r => Aliased(r, "who")), Is.EqualTo(new[] { "Bert", "Alice" }));
            Assert.That(((Money)Aliased(rows[0], "total")!).Value, Is.EqualTo(4500m));
            Assert.That(((AliasedValue)rows[0]["who"]).EntityLogicalName, Is.EqualTo("systemuser"));
        }

        [Test]
        public void Execute_WhenDateGrouping_UsesTheDateParts()
        {
            _source.FiscalYearStartMonth = 4;
            var rows = Rows(@"
                <attribute name='numberofemployees' alias='Total' aggregate='sum' />
                <attribute name='createdon' alias='Day' groupby='true' dategrouping='day' />
                <attribute name='createdon' alias='Week' groupby='true' dategrouping='week' />
                <attribute name='createdon' alias='Month' groupby='true' dategrouping='month' />
                <attribute name='createdon' alias='Quarter' groupby='true' dategrouping='quarter' />
                <attribute name='createdon' alias='Year' groupby='true' dategrouping='year' />
                <attribute name='createdon' alias='FiscalPeriod' groupby='true' dategrouping='fiscal-period' />
                <attribute name='createdon' alias='FiscalYear' groupby='true' dategrouping='fiscal-year' />
                <order alias='Month' />").Entities;

            Assert.That(rows, Has.Count.EqualTo(2));
            var march = rows[0];
            Assert.That(new[] { "Day", "Week", "Month", "Quarter", "Year", "FiscalPeriod", "FiscalYear" }.Select(k => Aliased(march, k)),
                Is.EqualTo(new object[] { 25, 12, 3, 1, 2023, 4, 2022 }));
            Assert.That(Aliased(march, "Total"), Is.EqualTo(35200));
            Assert.That(march.FormattedValues["FiscalPeriod"], Is.EqualTo("Quarter 4 FY2022"));
            Assert.That(march.FormattedValues["FiscalYear"], Is.EqualTo("FY2022"));
            var august = rows[1];
            Assert.That(new[] { "Day", "Week", "Month", "Quarter" }.Select(k => Aliased(august, k)), Is.EqualTo(new object[] { 27, 35, 8, 3 }));
            Assert.That(august.Contains("Total"), Is.False);
        }

        [Test]
        public void Execute_WhenAggregateQueryHasAFilter_AggregatesOnlyMatchingRows()
        {
            var row = Single("<attribute name='accountid' alias='n' aggregate='count' />",
                "<filter><condition attribute='address1_city' operator='eq' value='redmond' /></filter>");

            Assert.That(Aliased(row, "n"), Is.EqualTo(3));
        }

        [Test]
        public void Execute_WhenNoRowMatchesAndNoGroupBy_ReturnsOneRowWithZeroCount()
        {
            var row = Single("<attribute name='accountid' alias='n' aggregate='count' /><attribute name='revenue' alias='s' aggregate='sum' />",
                "<filter><condition attribute='address1_city' operator='eq' value='Nowhere' /></filter>");

            Assert.That(Aliased(row, "n"), Is.EqualTo(0));
            Assert.That(row.Contains("s"), Is.False);
        }

        [Test]
        public void Execute_WhenAttributeIsNeitherAggregatedNorGrouped_Faults()
        {
            var fault = Fault(() => Rows("<attribute name='name' /><attribute name='accountid' alias='n' aggregate='count' />"));

            Assert.That(fault.ErrorCode, Is.EqualTo(QueryFaults.QueryBuilderAttributeWithAggregate));
        }

        [Test]
        public void Execute_WhenAggregateHasNoAlias_Faults()
        {
            Assert.That(Fault(() => Rows("<attribute name='accountid' aggregate='count' />")).ErrorCode, Is.EqualTo(QueryFaults.QueryBuilderNoAlias));
        }

        [Test]
        public void Execute_WhenSumOfText_Faults()
        {
            Assert.That(Fault(() => Rows("<attribute name='name' alias='s' aggregate='sum' />")).ErrorCode, Is.EqualTo(QueryFaults.InvalidArgument));
        }

        [Test]
        public void Execute_WhenMoreRowsThanTheAggregateLimit_FaultsAsDataverse()
        {
            var fault = Fault(() => _engine.Execute(new FetchExpression(
                "<fetch aggregate='true' aggregatelimit='5'><entity name='account'><attribute name='accountid' alias='n' aggregate='count' /></entity></fetch>")));

            Assert.That(fault.ErrorCode, Is.EqualTo(unchecked((int)0x8004E023)));
            Assert.That(fault.Message, Is.EqualTo("AggregateQueryRecordLimit exceeded. Cannot perform this operation."));
        }

        [Test]
        public void Execute_WhenDistinctOnSum_ThrowsNotSupported()
        {
            Assert.That(NotSupported(() => Rows("<attribute name='revenue' alias='s' aggregate='sum' distinct='true' />")).Message, Does.Contain("distinct"));
        }

        [Test]
        public void Execute_WhenMinAndMaxOfDates_ReturnDates()
        {
            var row = Single("<attribute name='createdon' alias='first' aggregate='min' /><attribute name='createdon' alias='last' aggregate='max' />");

            Assert.That(Aliased(row, "first"), Is.EqualTo(new DateTime(2023, 3, 25, 0, 0, 0, DateTimeKind.Utc)));
            Assert.That(Aliased(row, "last"), Is.EqualTo(new DateTime(2023, 8, 27, 0, 0, 0, DateTimeKind.Utc)));
        }

        [Test]
        public void Execute_WhenGroupedWithTop_ReturnsTheFirstGroups()
        {
            var rows = _engine.Execute(new FetchExpression(
                "<fetch aggregate='true' top='2'><entity name='account'><attribute name='address1_city' alias='City' groupby='true' />"
                + "<attribute name='accountid' alias='n' aggregate='count' /><order alias='City' descending='true' /></entity></fetch>")).Entities;

            Assert.That(rows.Select(r => Aliased(r, "City")), Is.EqualTo(new[] { "Santa Cruz", "Redmond" }));
        }

        [Test]
        public void Execute_WhenGroupingStrings_GroupsCaseInsensitively()
        {
            _source.Add("account", ("name", "extra"), ("address1_city", "REDMOND"));

            var rows = Rows("<attribute name='address1_city' alias='City' groupby='true' /><attribute name='accountid' alias='n' aggregate='count' />"
                + "<filter><condition attribute='address1_city' operator='like' value='red%' /></filter>").Entities;

            Assert.That(rows, Has.Count.EqualTo(1));
            Assert.That(Aliased(rows[0], "n"), Is.EqualTo(4));
        }
    }
}
