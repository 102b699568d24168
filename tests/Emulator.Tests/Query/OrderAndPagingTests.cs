using System;
using System.Collections.Generic;
using System.Data.SqlTypes;
using System.Linq;
using System.Xml.Linq;
using CrmPlugins.Emulator.Query;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using NUnit.Framework;
using static CrmPlugins.Emulator.Tests.Query.QueryTestHelpers;

namespace CrmPlugins.Emulator.Tests.Query
{
    [TestFixture]
    public class OrderAndPagingTests
    {
        private InMemoryRowSource _source = null!;
        private QueryEngine _engine = null!;

        [SetUp]
        public void SetUp()
        {
            _source = new InMemoryRowSource();
            _engine = new QueryEngine(_source);
        }

        private void AddAccounts(int count)
        {
            for (var i = 1; i <= count; i++) _source.Add("account", ("name", "Account " + i.ToString("D3")), ("numberofemployees", i % 3));
        }

        private static QueryExpression ByName(int pageSize, int page, string? cookie = null)
        {
            var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name") };
            query.AddOrder("name", OrderType.Ascending);
            query.PageInfo = new PagingInfo { Count = pageSize, PageNumber = page, PagingCookie = cookie };
            return query;
        }

        [Test]
        public void Execute_WhenSeveralOrders_SortsByEachInTurnWithNullsFirstAscending()
        {
            _source.Add("account", ("name", "b"), ("numberofemployees", 2));
            _source.Add("account", ("name", "a"), ("numberofemployees", 2));
            _source.Add("account", ("name", "c"));
            _source.Add("account", ("name", "d"), ("numberofemployees", 1));
            var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name") };
            query.AddOrder("numberofemployees", OrderType.Ascending);
            query.AddOrder("name", OrderType.Descending);

            Assert.That(Names(_engine.Execute(query)), Is.EqualTo(new[] { "c", "d", "b", "a" }));
        }

        [Test]
        public void Execute_WhenOrderDescending_PutsNullsLast()
        {
            _source.Add("account", ("name", "x"), ("numberofemployees", 5));
            _source.Add("account", ("name", "y"));
            var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name") };
            query.AddOrder("numberofemployees", OrderType.Descending);

            Assert.That(Names(_engine.Execute(query)), Is.EqualTo(new[] { "x", "y" }));
        }

        [Test]
        public void Execute_WhenOrderingStrings_IgnoresCase()
        {
            _source.Add("account", ("name", "beta"));
            _source.Add("account", ("name", "Alpha"));
            _source.Add("account", ("name", "Gamma"));
            var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name") };
            query.AddOrder("name", OrderType.Ascending);

            Assert.That(Names(_engine.Execute(query)), Is.EqualTo(new[] { "Alpha", "beta", "Gamma" }));
        }

        [Test]
        public void Execute_WhenOrderingLookups_SortsByTheReferencedName()
        {
            _source.Add("account", ("name", "1"), ("primarycontactid", new EntityReference("contact", Guid.NewGuid()) { Name = "Zed" }));
            _source.Add("account", ("name", "2"), ("primarycontactid", new EntityReference("contact", Guid.NewGuid()) { Name = "Amy" }));
            var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name") };
            query.AddOrder("primarycontactid", OrderType.Ascending);

            Assert.That(Names(_engine.Execute(query)), Is.EqualTo(new[] { "2", "1" }));
        }

        [Test]
        public void Execute_WhenNoOrder_SortsByPrimaryKeyAsSqlServerOrdersGuids()
        {
            AddAccounts(40);

            var ids = _engine.Execute(new QueryExpression("account")).Entities.Select(e => e.Id).ToList();

            var expected = ids.OrderBy(id => new SqlGuid(id)).ToList();
            Assert.That(ids, Is.EqualTo(expected));
        }

        [Test]
        public void Execute_WhenTopCount_ReturnsTheFirstRowsWithoutMoreRecords()
        {
            AddAccounts(10);
            var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name"), TopCount = 3 };
            query.AddOrder("name", OrderType.Descending);

            var result = _engine.Execute(query);

            Assert.That(Names(result), Is.EqualTo(new[] { "Account 010", "Account 009", "Account 008" }));
            Assert.That(result.MoreRecords, Is.False);
        }

        [Test]
        public void Execute_WhenTopCountAndPageInfo_FaultsAsDataverse()
        {
            AddAccounts(3);
            var query = ByName(2, 1);
            query.TopCount = 5;

            var fault = Fault(() => _engine.Execute(query));

            Assert.That(fault.ErrorCode, Is.EqualTo(unchecked((int)0x80040203)));
            Assert.That(fault.Message, Is.EqualTo("The Top.Count = 5 can't be specified with pagingInfo"));
        }

        [Test]
        public void Execute_WhenTopCountAndReturnTotalRecordCount_Faults()
        {
            AddAccounts(3);
            var query = new QueryExpression("account") { TopCount = 2 };
            query.PageInfo.ReturnTotalRecordCount = true;

            Assert.That(Fault(() => _engine.Execute(query)).ErrorCode, Is.EqualTo(QueryFaults.InvalidArgument));
        }

        [Test]
        public void Execute_WhenTopCountWithUntouchedPageInfo_Works()
        {
            AddAccounts(3);
            var query = new QueryExpression("account") { TopCount = 2 };
            _ = query.PageInfo;

            Assert.That(_engine.Execute(query).Entities, Has.Count.EqualTo(2));
        }

        [Test]
        public void Execute_WhenTopCountIsZero_Faults()
        {
            AddAccounts(1);

            Assert.That(Fault(() => _engine.Execute(new QueryExpression("account") { TopCount = 0 })).ErrorCode,
                Is.EqualTo(QueryFaults.QueryBuilderTopCountGreaterThanZero));
        }

        [Test]
        public void Execute_WhenPageNumberGiven_ReturnsThatPageAndWhetherMoreFollow()
        {
            AddAccounts(5);

            var second = _engine.Execute(ByName(2, 2));
            var third = _engine.Execute(ByName(2, 3));

            Assert.That(Names(second), Is.EqualTo(new[] { "Account 003", "Account 004" }));
            Assert.That(second.MoreRecords, Is.True);
            Assert.That(Names(third), Is.EqualTo(new[] { "Account 005" }));
            Assert.That(third.MoreRecords, Is.False);
        }

        [Test]
        public void Execute_WhenPaged_ReturnsADataverseStylePagingCookie()
        {
            AddAccounts(3);

            var result = _engine.Execute(ByName(2, 1));

            var first = result.Entities[0];
            var last = result.Entities[1];
            Assert.That(result.PagingCookie, Is.EqualTo(
                "<cookie page=\"1\"><name last=\"Account 002\" first=\"Account 001\" />"
                + $"<accountid last=\"{{{last.Id.ToString().ToUpperInvariant()}}}\" first=\"{{{first.Id.ToString().ToUpperInvariant()}}}\" /></cookie>"));
        }

        [Test]
        public void Execute_WhenPagedOnTextNeedingEscapes_WritesTheCookieAsTheXmlElementWould()
        {
            // The cookie is written as text: quotes, ampersands, angle brackets and line breaks in a value are escaped exactly
            // as an XElement of the same cookie writes them (the form the cookie had when it was built as one).
            _source.Add("account", ("name", "A \"quoted\" & <bracketed>"));
            _source.Add("account", ("name", "B line\nbreak\ttab\r"));

            var result = _engine.Execute(ByName(2, 1));

            var first = result.Entities[0];
            var last = result.Entities[1];
            var expected = new XElement("cookie", new XAttribute("page", "1"),
                new XElement("name", new XAttribute("last", "B line\nbreak\ttab\r"), new XAttribute("first", "A \"quoted\" & <bracketed>")),
                new XElement("accountid", new XAttribute("last", "{" + last.Id.ToString().ToUpperInvariant() + "}"), new XAttribute("first", "{" + first.Id.ToString().ToUpperInvariant() + "}")));
            Assert.That(result.PagingCookie, Is.EqualTo(expected.ToString(SaveOptions.DisableFormatting)));
            Assert.That(result.PagingCookie, Does.Contain("&quot;quoted&quot; &amp; &lt;bracketed&gt;").And.Contain("line&#xA;break&#x9;tab&#xD;"));
        }

        [Test]
        public void Execute_WhenPagingWithCookies_ReturnsEveryRowOnce()
        {
            AddAccounts(7);
            var seen = new List<string?>();
            string? cookie = null;
            var page = 1;
            while (true)
            {
                var result = _engine.Execute(ByName(3, page, cookie));
                seen.AddRange(Names(result));
                if (!result.MoreRecords) break;
                cookie = result.PagingCookie;
                page++;
            }

            Assert.That(seen, Is.EqualTo(Enumerable.Range(1, 7).Select(i => "Account " + i.ToString("D3"))));
            Assert.That(page, Is.EqualTo(3));
        }

        [Test]
        public void Execute_WhenCookieGiven_ContinuesAfterTheLastRowEvenIfRowsWereAddedBefore()
        {
            AddAccounts(4);
            var first = _engine.Execute(ByName(2, 1));
            _source.Add("account", ("name", "Account 000"));

            var withCookie = _engine.Execute(ByName(2, 2, first.PagingCookie));
            var withoutCookie = _engine.Execute(ByName(2, 2));

            Assert.That(Names(withCookie), Is.EqualTo(new[] { "Account 003", "Account 004" }));
            Assert.That(Names(withoutCookie), Is.EqualTo(new[] { "Account 002", "Account 003" }));
        }

        [Test]
        public void Execute_WhenCookieIsForAnotherPage_IgnoresIt()
        {
            AddAccounts(6);
            var first = _engine.Execute(ByName(2, 1));

            var third = _engine.Execute(ByName(2, 3, first.PagingCookie));

            Assert.That(Names(third), Is.EqualTo(new[] { "Account 005", "Account 006" }));
        }

        [Test]
        public void Execute_WhenCookieIsNotXml_Faults()
        {
            AddAccounts(3);

            Assert.That(Fault(() => _engine.Execute(ByName(2, 2, "<cookie"))).ErrorCode, Is.EqualTo(QueryFaults.InvalidXml));
        }

        [Test]
        public void Execute_WhenTotalRecordCountRequested_ReportsIt()
        {
            AddAccounts(5);
            var query = ByName(2, 1);
            query.PageInfo.ReturnTotalRecordCount = true;

            var result = _engine.Execute(query);

            Assert.That(result.TotalRecordCount, Is.EqualTo(5));
            Assert.That(result.TotalRecordCountLimitExceeded, Is.False);
        }

        [Test]
        public void Execute_WhenMoreThan5000Rows_ReturnsTheFirst5000AndCapsTheTotal()
        {
            AddAccounts(5003);
            var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name") };
            query.PageInfo.ReturnTotalRecordCount = true;

            var result = _engine.Execute(query);

            Assert.That(result.Entities, Has.Count.EqualTo(5000));
            Assert.That(result.MoreRecords, Is.True);
            Assert.That(result.PagingCookie, Does.StartWith("<cookie page=\"1\">"));
            Assert.That(result.TotalRecordCount, Is.EqualTo(5000));
            Assert.That(result.TotalRecordCountLimitExceeded, Is.True);
        }

        [Test]
        public void Execute_WhenDistinct_ReturnsUniqueRowsWithoutPrimaryKey()
        {
            _source.Add("account", ("name", "Same"), ("numberofemployees", 1));
            _source.Add("account", ("name", "same"), ("numberofemployees", 1));
            _source.Add("account", ("name", "Other"), ("numberofemployees", 1));
            var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name", "numberofemployees"), Distinct = true };
            query.AddOrder("name", OrderType.Ascending);

            var rows = _engine.Execute(query).Entities;

            Assert.That(rows.Select(r => r["name"]), Is.EqualTo(new[] { "Other", "Same" }));
            Assert.That(rows.All(r => r.Id == Guid.Empty && !r.Contains("accountid")), Is.True);
        }

        [Test]
        public void Execute_WhenNoLock_IsAccepted()
        {
            AddAccounts(2);

            Assert.That(_engine.Execute(new QueryExpression("account") { NoLock = true }).Entities, Has.Count.EqualTo(2));
        }

        [Test]
        public void Execute_WhenPagingCookieCreated_MatchesDataversesShape()
        {
            AddAccounts(2);

            var cookie = _engine.Execute(new QueryExpression("account") { PageInfo = new PagingInfo { Count = 1, PageNumber = 1 } }).PagingCookie;

            Assert.That(cookie, Does.Match("^<cookie page=\"1\"><accountid last=\"\\{[0-9A-F-]{36}\\}\" first=\"\\{[0-9A-F-]{36}\\}\" /></cookie>$"));
        }
    }
}
