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
    /// A page of a query in primary key order whose main rows come from an index (an In of many lookups, as the demand ledger
    /// reads the lines of 1,000 deals a page): the rows the index finds are read in key order from the page's start and joined a
    /// chunk at a time until the page is full, instead of every row joined and sorted for every page. The answers must be the
    /// reference path's (every row of the index joined, sorted and cut) page after page, on generated orgs and queries, with
    /// rows deleted and inserted between pages; the columns of each row come in the same order too.
    /// </summary>
    [TestFixture]
    public class IndexedPageTests
    {
        private static IEnumerable<int> Seeds() => Enumerable.Range(1, 8);

        [TestCaseSource(nameof(Seeds))]
        public void PagedRead_ThroughAnInIndex_GivesTheReferenceRows_PageAfterPage(int seed)
        {
            var random = new Random(seed);
            var pagesRead = 0;
            var org = Org(random, out var accounts, out var contacts);
            var service = org.GetOrganizationService();
            foreach (var (name, build) in Queries)
            {
                var query = build(random, accounts, contacts);
                var change = random.Next(2) == 0;
                var topCount = query.TopCount != null;
                if (!topCount) query.PageInfo = new PagingInfo { Count = random.Next(10, 40), PageNumber = 1 };
                for (var n = 1; n <= 40; n++)
                {
                    var expected = Describe(new QueryEngine(org.Rows) { UseReferencePath = true }.Execute(query));
                    var page = new QueryEngine(org.Rows).Execute(query);
                    Assert.That(Describe(page), Is.EqualTo(expected), $"seed {seed}, {name}, page {n}, rows changed between pages: {change}");
                    pagesRead++;
                    if (page.Entities.Count == 0 || (!topCount && !page.MoreRecords)) break;
                    if (change) Change(service, random, accounts, contacts, page);
                    if (topCount)
                    {
                        // The next rows after (or from) the last one read, as the ledger rebuild reads its deals.
                        var key = query.Criteria.Conditions.Single(c => c.AttributeName == "contactid");
                        key.Operator = random.Next(2) == 0 ? ConditionOperator.GreaterThan : ConditionOperator.GreaterEqual;
                        key.Values[0] = page.Entities[^1].Id;
                        continue;
                    }

                    query.PageInfo.PageNumber++;
                    query.PageInfo.PagingCookie = page.PagingCookie;
                }
            }

            Assert.That(pagesRead, Is.GreaterThan(Queries.Length * 3), "the queries must take several pages");
        }

        [Test]
        public void FirstPage_ThroughAnInIndex_JoinsOnlyTheRowsUpToThePagesEnd()
        {
            var org = Org(new Random(3), out var accounts, out _);
            var counting = new LinkCounter(org.Rows);
            var query = new QueryExpression("contact") { ColumnSet = new ColumnSet("lastname"), PageInfo = new PagingInfo { Count = 50, PageNumber = 1 } };
            query.Criteria.AddCondition("parentcustomerid", ConditionOperator.In, accounts.Take(60).Cast<object>().ToArray());
            var visits = query.AddLink("new_visit", "contactid", "new_contactid", JoinOperator.LeftOuter);
            visits.Columns = new ColumnSet("new_day");
            var candidates = new QueryEngine(org.Rows) { UseReferencePath = true }.Execute(
                new QueryExpression("contact") { ColumnSet = new ColumnSet(false), Criteria = query.Criteria }).Entities.Count;

            var page = new QueryEngine(counting).Execute(query);
            var reference = new QueryEngine(counting) { UseReferencePath = true };
            counting.Lookups = 0;
            reference.Execute(query);
            var referenceLookups = counting.Lookups;
            counting.Lookups = 0;
            new QueryEngine(counting).Execute(query);

            Assert.That(page.Entities, Has.Count.EqualTo(50));
            Assert.That(candidates, Is.GreaterThan(400), "the index must find many more rows than a page");
            Assert.That(referenceLookups, Is.EqualTo(candidates), "the reference path joins every row the index finds");
            // One chunk of at least 256 rows in key order holds the page and the row after it.
            Assert.That(counting.Lookups, Is.InRange(51, 256));
        }

        /// <summary>The row's columns in their order, then the whole answer as the equivalence tests describe it.</summary>
        private static string Describe(EntityCollection page) =>
            string.Join("\n", page.Entities.Select(e => string.Join(",", e.Attributes.Keys))) + "\n" + OptimisedPathEquivalenceTests.Describe(page);

        /// <summary>Queries in key order whose main rows come from an In index: the demand ledger's read and variations of it.</summary>
        private static readonly (string Name, Func<Random, List<Guid>, List<Guid>, QueryExpression> Build)[] Queries =
        {
            ("the ledger's read: lines of some deals with an outer link to their product", (r, accounts, contacts) =>
            {
                var q = new QueryExpression("contact") { ColumnSet = new ColumnSet("parentcustomerid", "lastname") };
                q.Criteria.AddCondition("parentcustomerid", ConditionOperator.In, Some(r, accounts));
                var account = q.AddLink("account", "parentcustomerid", "accountid", JoinOperator.LeftOuter);
                account.EntityAlias = "a";
                account.Columns = new ColumnSet("name", "numberofemployees");
                q.AddOrder("contactid", OrderType.Ascending);
                return q;
            }),
            ("an outer 1:N link, several rows per contact, the default order", (r, accounts, contacts) =>
            {
                var q = new QueryExpression("contact") { ColumnSet = new ColumnSet("lastname") };
                q.Criteria.AddCondition("parentcustomerid", ConditionOperator.In, Some(r, accounts));
                var visits = q.AddLink("new_visit", "contactid", "new_contactid", JoinOperator.LeftOuter);
                visits.EntityAlias = "v";
                visits.Columns = new ColumnSet("new_day");
                return q;
            }),
            ("an inner link with criteria and criteria on the main rows, all columns", (r, accounts, contacts) =>
            {
                var q = new QueryExpression("contact") { ColumnSet = new ColumnSet(true) };
                q.Criteria.AddCondition("parentcustomerid", ConditionOperator.In, Some(r, accounts));
                q.Criteria.AddCondition("lastname", ConditionOperator.NotLike, "%7");
                var account = q.AddLink("account", "parentcustomerid", "accountid", JoinOperator.Inner);
                account.Columns = new ColumnSet("name");
                account.LinkCriteria.AddCondition("numberofemployees", ConditionOperator.LessThan, 700);
                return q;
            }),
            ("a semi join and the key as a column", (r, accounts, contacts) =>
            {
                var q = new QueryExpression("contact") { ColumnSet = new ColumnSet("contactid", "lastname") };
                q.Criteria.AddCondition("parentcustomerid", ConditionOperator.In, Some(r, accounts));
                var visits = q.AddLink("new_visit", "contactid", "new_contactid", JoinOperator.Exists);
                visits.LinkCriteria.AddCondition("new_day", ConditionOperator.GreaterThan, 10);
                return q;
            }),
            ("the first rows after a key, then after (or from) the last row read", (r, accounts, contacts) =>
            {
                var q = new QueryExpression("contact") { ColumnSet = new ColumnSet("lastname"), TopCount = r.Next(5, 40) };
                q.Criteria.AddCondition("parentcustomerid", ConditionOperator.In, Some(r, accounts));
                q.Criteria.AddCondition("contactid", r.Next(2) == 0 ? ConditionOperator.GreaterThan : ConditionOperator.GreaterEqual, RandomKey(r));
                q.AddOrder("contactid", OrderType.Ascending);
                return q;
            }),
        };

        /// <summary>Some of the accounts (15 to 40), with a repeated one, one given as text and one that does not exist.</summary>
        private static object[] Some(Random random, List<Guid> accounts)
        {
            var values = accounts.OrderBy(_ => random.Next()).Take(random.Next(15, 40)).Cast<object>().ToList();
            values.Add(values[0]);
            values[1] = ((Guid)values[1]).ToString("D");
            values.Add(RandomKey(random));
            return values.ToArray();
        }

        private static Guid RandomKey(Random random)
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            return new Guid(bytes);
        }

        /// <summary>Between pages: deletes the page's last row (its cookie's row) or another, and creates contacts of the accounts anywhere in key order.</summary>
        private static void Change(IOrganizationService service, Random random, List<Guid> accounts, List<Guid> contacts, EntityCollection page)
        {
            if (page.Entities.Count == 0) return;
            var last = page.Entities[^1].Id;
            if (random.Next(2) == 0 && contacts.Remove(last)) service.Delete("contact", last);
            var other = page.Entities[random.Next(page.Entities.Count)].Id;
            if (random.Next(3) == 0 && contacts.Remove(other)) service.Delete("contact", other);
            for (var i = 0; i < 4; i++)
            {
                var id = service.Create(new Entity("contact", RandomKey(random)) { ["lastname"] = "inserted " + i, ["parentcustomerid"] = new EntityReference("account", accounts[random.Next(accounts.Count)]) });
                contacts.Add(id);
            }
        }

        /// <summary>
        /// 1,200 accounts and 12,000 contacts (most with an account, about ten each), and visits of some contacts (none, one or
        /// several): the In of a page finds many fewer rows than the table holds, so the index is read rather than the key order.
        /// </summary>
        private static XrmOrganization Org(Random random, out List<Guid> accounts, out List<Guid> contacts)
        {
            var org = new XrmOrganization();
            var rows = new List<Entity>();
            accounts = new List<Guid>();
            contacts = new List<Guid>();
            for (var i = 0; i < 1_200; i++)
            {
                var account = new Entity("account", RandomKey(random)) { ["name"] = "Account " + i };
                if (random.Next(6) > 0) account["numberofemployees"] = random.Next(1_000);
                rows.Add(account);
                accounts.Add(account.Id);
            }

            for (var i = 0; i < 12_000; i++)
            {
                var contact = new Entity("contact", RandomKey(random)) { ["lastname"] = "Contact " + i };
                if (random.Next(20) > 0) contact["parentcustomerid"] = new EntityReference("account", accounts[random.Next(accounts.Count)]);
                rows.Add(contact);
                contacts.Add(contact.Id);
                for (var v = random.Next(-2, 3); v > 0; v--)
                    rows.Add(new Entity("new_visit", RandomKey(random)) { ["new_contactid"] = new EntityReference("contact", contact.Id), ["new_day"] = random.Next(30) });
            }

            org.Seed(rows);
            return org;
        }

        /// <summary>The organization's rows, counting the index lookups of the visits table (one per contact a join reads).</summary>
        private sealed class LinkCounter : ForwardingRowSource
        {
            public LinkCounter(IRowSource inner) : base(inner) { }

            public int Lookups { get; set; }

            public override IReadOnlyCollection<Entity> RowsWhere(string table, string column, object value)
            {
                if (table == "new_visit") Lookups++;
                return base.RowsWhere(table, column, value);
            }
        }
    }
}
