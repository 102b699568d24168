using System;
using System.Collections.Generic;
using System.Data.SqlTypes;
using System.Linq;
using CrmPlugins.Emulator.Query;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;
using NUnit.Framework;

namespace CrmPlugins.Emulator.Tests.Query
{
    /// <summary>
    /// Reads by primary key seek: a page by paging cookie, or a TopCount after a key, of a query in the default order (the
    /// primary key) reads the main rows from its start in key order through the store's ordered index of the key, and stops
    /// once it has the page. The answers must be the reference path's (the whole table read, sorted and cut) page after page,
    /// whatever is deleted and inserted between pages, and the rows a page visits must not grow with the table.
    /// </summary>
    [TestFixture]
    public class PrimaryKeySeekTests
    {
        [Test]
        public void SqlGuidKey_OrdersIdsAsSqlServersUniqueidentifierDoes()
        {
            // System.Data.SqlTypes.SqlGuid is Microsoft's implementation of SQL Server's uniqueidentifier comparison.
            var random = new Random(23);
            var ids = Enumerable.Range(0, 2_000).Select(_ =>
            {
                var bytes = new byte[16];
                random.NextBytes(bytes);
                // Ids that differ in one byte only, so every byte's place in the order is tested.
                if (random.Next(4) == 0) Array.Clear(bytes, 0, 16 - random.Next(1, 16));
                return new Guid(bytes);
            }).ToList();

            var bySqlGuid = ids.OrderBy(id => new SqlGuid(id)).ToList();
            var byKey = ids.OrderBy(id => new SqlGuidKey(id)).ToList();

            Assert.That(byKey, Is.EqualTo(bySqlGuid));
        }

        [TestCase(false, TestName = "PagedRead_WithCookie_GivesTheReferenceRows_PageAfterPage")]
        [TestCase(true, TestName = "PagedRead_WithCookie_GivesTheReferenceRows_WhenRowsAreDeletedAndInsertedBetweenPages")]
        public void PagedRead_WithCookie_GivesTheReferenceRows(bool changeBetweenPages)
        {
            foreach (var (name, build) in PagedQueries)
            {
                var org = Org(seed: 5, out var accounts);
                var service = org.GetOrganizationService();
                var random = new Random(11);
                var query = build();
                query.PageInfo = new PagingInfo { Count = 40, PageNumber = 1 };
                var pages = 0;
                var rows = 0;
                while (true)
                {
                    var expected = OptimisedPathEquivalenceTests.Describe(new QueryEngine(org.Rows) { UseReferencePath = true }.Execute(query));
                    var page = new QueryEngine(org.Rows).Execute(query);
                    Assert.That(OptimisedPathEquivalenceTests.Describe(page), Is.EqualTo(expected), $"{name}, page {query.PageInfo.PageNumber}");
                    pages++;
                    rows += page.Entities.Count;
                    if (!page.MoreRecords) break;
                    if (changeBetweenPages) Change(service, random, accounts, page);
                    query.PageInfo.PageNumber++;
                    query.PageInfo.PagingCookie = page.PagingCookie;
                }

                Assert.That(pages, Is.GreaterThan(3), $"{name}: the query must take several pages");
                Assert.That(rows, Is.GreaterThan(100), name);
            }
        }

        [Test]
        public void PagedRead_WhenTheCookiesRowIsDeleted_StartsAfterItsKeyAsTheReferenceDoes()
        {
            var org = Org(seed: 8, out _);
            var service = org.GetOrganizationService();
            // An order on the key itself as well as the default: both must page from the cookie's key.
            foreach (var ordered in new[] { false, true })
            {
                var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name"), PageInfo = new PagingInfo { Count = 25, PageNumber = 1 } };
                if (ordered) query.AddOrder("accountid", OrderType.Ascending);
                var first = new QueryEngine(org.Rows).Execute(query);
                service.Delete("account", first.Entities[^1].Id);
                query.PageInfo.PageNumber = 2;
                query.PageInfo.PagingCookie = first.PagingCookie;

                var second = new QueryEngine(org.Rows).Execute(query);
                var expected = new QueryEngine(org.Rows) { UseReferencePath = true }.Execute(query);

                Assert.That(OptimisedPathEquivalenceTests.Describe(second), Is.EqualTo(OptimisedPathEquivalenceTests.Describe(expected)));
                Assert.That(SqlGuidKey.Compare(second.Entities[0].Id, first.Entities[^1].Id), Is.GreaterThan(0), "the page starts after the deleted row's key");
                Assert.That(second.Entities.Select(e => e.Id).Intersect(first.Entities.Select(e => e.Id)), Is.Empty, "no row of the first page comes again");
            }
        }

        [Test]
        public void GreaterThanId_WithTopCountAndOrderById_GivesTheReferenceRows()
        {
            // The demand ledger rebuild's page: deals after the last one read, open or recently won, the first n by id.
            var org = Org(seed: 3, out _);
            var service = org.GetOrganizationService();
            var random = new Random(4);
            Guid? after = null;
            var read = 0;
            for (var page = 0; page < 100; page++)
            {
                var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name", "statecode"), TopCount = 30 };
                if (after is Guid id) query.Criteria.AddCondition("accountid", page % 2 == 0 ? ConditionOperator.GreaterThan : ConditionOperator.GreaterEqual, id);
                var which = query.Criteria.AddFilter(LogicalOperator.Or);
                which.AddCondition("statecode", ConditionOperator.Equal, 0);
                which.AddCondition("numberofemployees", ConditionOperator.GreaterThan, 500);
                query.AddOrder("accountid", OrderType.Ascending);

                var expected = new QueryEngine(org.Rows) { UseReferencePath = true }.Execute(query);
                var actual = new QueryEngine(org.Rows).Execute(query);

                Assert.That(OptimisedPathEquivalenceTests.Describe(actual), Is.EqualTo(OptimisedPathEquivalenceTests.Describe(expected)), $"page {page}");
                if (actual.Entities.Count == 0) break;
                read += actual.Entities.Count;
                after = actual.Entities[^1].Id;
                // A new row before the next start and one after it, between pages.
                service.Create(new Entity("account") { ["name"] = "new " + page, ["statecode"] = new OptionSetValue(random.Next(2)) });
            }

            Assert.That(read, Is.GreaterThan(150));
        }

        [Test]
        public void KeyOrder_AfterARolledBackTransaction_HoldsNeitherTheRolledBackRowNorLosesTheDeletedOne()
        {
            var org = Org(seed: 2, out var accounts);
            var service = org.GetOrganizationService();
            var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name"), PageInfo = new PagingInfo { Count = 5_000, PageNumber = 1 } };
            // The key index is built on the first read; the transaction's writes and their undoing must keep it.
            var before = new QueryEngine(org.Rows).Execute(query).Entities.Select(e => e.Id).ToList();
            var added = Guid.NewGuid();
            var request = new ExecuteTransactionRequest
            {
                Requests = new OrganizationRequestCollection
                {
                    new CreateRequest { Target = new Entity("account", added) { ["name"] = "rolled back" } },
                    new DeleteRequest { Target = new EntityReference("account", accounts[7]) },
                    new UpdateRequest { Target = new Entity("account", Guid.NewGuid()) { ["name"] = "missing" } },
                },
            };

            Assert.That(() => service.Execute(request), Throws.Exception);
            var after = new QueryEngine(org.Rows).Execute(query);
            var reference = new QueryEngine(org.Rows) { UseReferencePath = true }.Execute(query);

            Assert.That(after.Entities.Select(e => e.Id), Is.EqualTo(before));
            Assert.That(OptimisedPathEquivalenceTests.Describe(after), Is.EqualTo(OptimisedPathEquivalenceTests.Describe(reference)));
        }

        [Test]
        public void PagedRead_WithCookie_VisitsOnlyThePage()
        {
            var small = VisitedByThirdPage(20_000, reference: false);
            var large = VisitedByThirdPage(80_000, reference: false);

            // A 5,000-row page and its one extra row (MoreRecords), in one chunk: the same however large the table.
            Assert.That(small, Is.InRange(5_001, 5_300));
            Assert.That(large, Is.EqualTo(small));
        }

        [Test]
        public void PagedRead_OnTheReferencePath_VisitsTheWholeTable()
        {
            // The counter measures what it claims: the reference path reads every row for every page.
            Assert.That(VisitedByThirdPage(20_000, reference: true), Is.GreaterThanOrEqualTo(20_000));
        }

        [Test]
        public void TopCountAfterAKey_VisitsAboutTheRowsItReturns()
        {
            var org = new XrmOrganization();
            org.Seed(Enumerable.Range(0, 40_000).Select(i => new Entity("account", Guid.NewGuid()) { ["name"] = "a" + i, ["statecode"] = new OptionSetValue(i % 4 == 0 ? 1 : 0) }));
            var counting = new CountingRowSource(org.Rows);
            var engine = new QueryEngine(counting);
            var all = new QueryEngine(org.Rows).Execute(new QueryExpression("account") { ColumnSet = new ColumnSet(false) });
            var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name"), TopCount = 1_000 };
            query.Criteria.AddCondition("accountid", ConditionOperator.GreaterThan, all.Entities[2_500].Id);
            query.Criteria.AddCondition("statecode", ConditionOperator.Equal, 0);
            query.AddOrder("accountid", OrderType.Ascending);

            engine.Execute(query);
            counting.Visited = 0;
            var page = engine.Execute(query);

            Assert.That(page.Entities, Has.Count.EqualTo(1_000));
            // Three in four rows are open: about 1,333 rows walked for 1,000, not the 37,500 after the key nor the 30,000 open ones.
            Assert.That(counting.Visited, Is.LessThan(2_000));
        }

        private static long VisitedByThirdPage(int rows, bool reference)
        {
            var org = new XrmOrganization();
            org.Seed(Enumerable.Range(0, rows).Select(i => new Entity("contact", Guid.NewGuid()) { ["lastname"] = "c" + i }));
            var counting = new CountingRowSource(org.Rows);
            var engine = new QueryEngine(counting) { UseReferencePath = reference };
            var query = new QueryExpression("contact") { ColumnSet = new ColumnSet("lastname"), PageInfo = new PagingInfo { Count = 5_000, PageNumber = 1 } };
            EntityCollection page = null!;
            for (var n = 1; n <= 3; n++)
            {
                if (n == 3) counting.Visited = 0;
                page = engine.Execute(query);
                query.PageInfo.PageNumber++;
                query.PageInfo.PagingCookie = page.PagingCookie;
            }

            Assert.That(page.Entities, Has.Count.EqualTo(5_000));
            return counting.Visited;
        }

        /// <summary>Queries read page by page: criteria, an index candidate, an inner and an outer link (1:N, several rows per account).</summary>
        private static readonly (string Name, Func<QueryExpression> Build)[] PagedQueries =
        {
            ("criteria", () =>
            {
                var q = new QueryExpression("account") { ColumnSet = new ColumnSet("name", "numberofemployees") };
                q.Criteria.AddCondition("numberofemployees", ConditionOperator.GreaterThan, 100);
                return q;
            }),
            ("an Equal index candidate", () =>
            {
                var q = new QueryExpression("account") { ColumnSet = new ColumnSet("name") };
                q.Criteria.AddCondition("statecode", ConditionOperator.Equal, 0);
                return q;
            }),
            ("an inner link with criteria", () =>
            {
                var q = new QueryExpression("contact") { ColumnSet = new ColumnSet("lastname") };
                var account = q.AddLink("account", "parentcustomerid", "accountid", JoinOperator.Inner);
                account.EntityAlias = "a";
                account.Columns = new ColumnSet("name");
                account.LinkCriteria.AddCondition("numberofemployees", ConditionOperator.LessThan, 800);
                return q;
            }),
            ("an outer 1:N link", () =>
            {
                var q = new QueryExpression("account") { ColumnSet = new ColumnSet("name") };
                var contacts = q.AddLink("contact", "accountid", "parentcustomerid", JoinOperator.LeftOuter);
                contacts.EntityAlias = "c";
                contacts.Columns = new ColumnSet("lastname");
                q.AddOrder("accountid", OrderType.Ascending);
                return q;
            }),
            ("criteria on a link's column", () =>
            {
                var q = new QueryExpression("contact") { ColumnSet = new ColumnSet("lastname") };
                var account = q.AddLink("account", "parentcustomerid", "accountid", JoinOperator.LeftOuter);
                account.EntityAlias = "a";
                var either = q.Criteria.AddFilter(LogicalOperator.Or);
                either.AddCondition("a", "numberofemployees", ConditionOperator.GreaterThan, 300);
                either.AddCondition("lastname", ConditionOperator.Like, "%1%");
                return q;
            }),
        };

        /// <summary>Between pages: deletes the page's last row (its cookie's row) or another, and creates rows anywhere in key order.</summary>
        private static void Change(IOrganizationService service, Random random, List<Guid> accounts, EntityCollection page)
        {
            void Delete(Entity row)
            {
                service.Delete(row.LogicalName, row.Id);
                // New contacts point only at accounts that exist: the platform refuses a lookup to a missing row.
                accounts.Remove(row.Id);
            }

            var last = page.Entities[^1];
            if (random.Next(2) == 0) Delete(last);
            var other = page.Entities[random.Next(page.Entities.Count)];
            if (other.Id != last.Id && random.Next(3) == 0) Delete(other);
            for (var i = 0; i < 3; i++)
            {
                var id = service.Create(new Entity("account") { ["name"] = "inserted", ["statecode"] = new OptionSetValue(0), ["numberofemployees"] = random.Next(1_000) });
                accounts.Add(id);
                service.Create(new Entity("contact") { ["lastname"] = "inserted " + i, ["parentcustomerid"] = new EntityReference("account", accounts[random.Next(accounts.Count)]) });
            }
        }

        /// <summary>400 accounts (some inactive) and 900 contacts (some without an account, most accounts with several).</summary>
        private static XrmOrganization Org(int seed, out List<Guid> accounts)
        {
            var random = new Random(seed);
            var org = new XrmOrganization();
            var rows = new List<Entity>();
            accounts = new List<Guid>();
            for (var i = 0; i < 400; i++)
            {
                var account = new Entity("account", Guid.NewGuid()) { ["name"] = "Account " + i, ["statecode"] = new OptionSetValue(random.Next(5) == 0 ? 1 : 0) };
                if (random.Next(6) > 0) account["numberofemployees"] = random.Next(1_000);
                rows.Add(account);
                accounts.Add(account.Id);
            }

            for (var i = 0; i < 900; i++)
            {
                var contact = new Entity("contact", Guid.NewGuid()) { ["lastname"] = "Contact " + i };
                if (random.Next(10) > 0) contact["parentcustomerid"] = new EntityReference("account", accounts[random.Next(accounts.Count)]);
                rows.Add(contact);
            }

            org.Seed(rows);
            return org;
        }

        /// <summary>The organization's rows, counting every row the engine enumerates (from the table, an index or the key order).</summary>
        private sealed class CountingRowSource : ForwardingRowSource
        {
            public CountingRowSource(IRowSource inner) : base(inner) { }

            public long Visited { get; set; }

            public override IReadOnlyCollection<Entity> Rows(string table) => new Counted(Inner.Rows(table), this);

            public override IReadOnlyCollection<Entity> RowsWhere(string table, string column, object value) => new Counted(Inner.RowsWhere(table, column, value), this);

            public override IEnumerable<Entity> RowsByPrimaryKey(string table, Guid? after, bool inclusive)
            {
                foreach (var row in Inner.RowsByPrimaryKey(table, after, inclusive))
                {
                    Visited++;
                    yield return row;
                }
            }

            public override Entity? RowById(string table, Guid id)
            {
                Visited++;
                return Inner.RowById(table, id);
            }

            private sealed class Counted : IReadOnlyCollection<Entity>
            {
                private readonly IReadOnlyCollection<Entity> _rows;
                private readonly CountingRowSource _owner;

                public Counted(IReadOnlyCollection<Entity> rows, CountingRowSource owner)
                {
                    _rows = rows;
                    _owner = owner;
                }

                public int Count => _rows.Count;

                public IEnumerator<Entity> GetEnumerator()
                {
                    foreach (var row in _rows)
                    {
                        _owner.Visited++;
                        yield return row;
                    }
                }

                System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
            }
        }
    }
}
