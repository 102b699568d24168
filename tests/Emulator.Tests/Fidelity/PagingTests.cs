using System;
using System.Linq;
using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using NUnit.Framework;

namespace CrmPlugins.Emulator.Tests.Fidelity
{
    /// <summary>
    /// Paging as Microsoft documents it in "Page results using FetchXml"
    /// (https://learn.microsoft.com/power-apps/developer/data-platform/fetchxml/page-results) and "Page large result sets with
    /// QueryExpression" (https://learn.microsoft.com/power-apps/developer/data-platform/org-service/page-large-result-sets-with-queryexpression):
    /// the default and maximum page size is 5,000 rows; simple paging can't return a data set larger than 50,000 records;
    /// a paging cookie carries the keys of the page's last row and the next page starts after it; a cookie for a page that is
    /// not the previous one is ignored. Users reported FakeXrmEasy returning everything (jordimontana82/fake-xrm-easy issue 195)
    /// and ignoring cookies (DynamicsValue/fake-xrm-easy issue 209).
    /// </summary>
    public class PagingTests
    {
        private XrmOrganization _org = null!;
        private IOrganizationService _service = null!;

        [SetUp]
        public void SetUp()
        {
            _org = new XrmOrganization();
            _service = _org.GetOrganizationService();
        }

        private void SeedContacts(int count) =>
            _org.Seed(Enumerable.Range(0, count).Select(i => new Entity("contact", Id(i)) { ["lastname"] = "c" + i }).ToArray());

        /// <summary>Ids in the order SQL Server sorts uniqueidentifier (its last six bytes first), so row i sorts i-th.</summary>
        private static Guid Id(int i) => new($"00000000-0000-0000-0000-{i + 1:D12}");

        [Test]
        public void RetrieveMultiple_WithoutPaging_ReturnsAtMost5000RowsWithMoreRecordsAndACookie()
        {
            SeedContacts(5_001);

            var page = _service.RetrieveMultiple(new QueryExpression("contact") { ColumnSet = new ColumnSet("lastname") });

            Assert.That((page.Entities.Count, page.MoreRecords, string.IsNullOrEmpty(page.PagingCookie)), Is.EqualTo((5_000, true, false)));
        }

        [Test]
        public void RetrieveMultiple_AskingForMoreThan5000PerPage_StillGetsAPageOf5000()
        {
            SeedContacts(5_003);
            var query = new QueryExpression("contact") { ColumnSet = new ColumnSet("lastname"), PageInfo = new PagingInfo { Count = 10_000, PageNumber = 1 } };

            var page = _service.RetrieveMultiple(query);

            Assert.That((page.Entities.Count, page.MoreRecords), Is.EqualTo((5_000, true)));
        }

        [Test]
        public void FetchXml_CountAbove5000_StillGetsAPageOf5000()
        {
            SeedContacts(5_002);

            var page = _service.RetrieveMultiple(new FetchExpression("<fetch count='6000'><entity name='contact'><attribute name='lastname' /></entity></fetch>"));

            Assert.That((page.Entities.Count, page.MoreRecords), Is.EqualTo((5_000, true)));
        }

        [Test]
        public void NextPage_WithTheCookie_StartsAfterTheCookiesLastRow_NotAtAnOffset()
        {
            SeedContacts(6);
            var query = new QueryExpression("contact") { ColumnSet = new ColumnSet("lastname"), PageInfo = new PagingInfo { Count = 3, PageNumber = 1 } };
            var first = _service.RetrieveMultiple(query);
            // A row that sorts before the first page's last row arrives between the two requests: an offset would
            // return the old page's last row again; the cookie does not.
            _org.Seed(new Entity("contact", new Guid("00000000-0000-0000-0001-000000000000")) { ["lastname"] = "newcomer" });

            query.PageInfo.PageNumber = 2;
            query.PageInfo.PagingCookie = first.PagingCookie;
            var second = _service.RetrieveMultiple(query);

            Assert.That(first.Entities.Select(e => e.Id), Is.EqualTo(new[] { Id(0), Id(1), Id(2) }));
            Assert.That(second.Entities.Select(e => e.Id), Is.EqualTo(new[] { Id(3), Id(4), Id(5) }));
            Assert.That(second.MoreRecords, Is.False);
        }

        [Test]
        public void NextPage_WhenTheCookiesRowWasDeleted_StillStartsAfterItsKey()
        {
            SeedContacts(6);
            var query = new QueryExpression("contact") { ColumnSet = new ColumnSet("lastname"), PageInfo = new PagingInfo { Count = 3, PageNumber = 1 } };
            var first = _service.RetrieveMultiple(query);
            _service.Delete("contact", Id(2));

            query.PageInfo.PageNumber = 2;
            query.PageInfo.PagingCookie = first.PagingCookie;
            var second = _service.RetrieveMultiple(query);

            Assert.That(second.Entities.Select(e => e.Id), Is.EqualTo(new[] { Id(3), Id(4), Id(5) }));
        }

        [Test]
        public void FetchXml_NextPage_WithTheCookie_StartsAfterTheCookiesLastRow()
        {
            SeedContacts(6);
            var first = _service.RetrieveMultiple(new FetchExpression("<fetch count='3' page='1'><entity name='contact'><attribute name='lastname' /></entity></fetch>"));
            _org.Seed(new Entity("contact", new Guid("00000000-0000-0000-0001-000000000000")) { ["lastname"] = "newcomer" });

            var cookie = System.Security.SecurityElement.Escape(first.PagingCookie);
            var second = _service.RetrieveMultiple(new FetchExpression(
                $"<fetch count='3' page='2' paging-cookie='{cookie}'><entity name='contact'><attribute name='lastname' /></entity></fetch>"));

            Assert.That(second.Entities.Select(e => e.Id), Is.EqualTo(new[] { Id(3), Id(4), Id(5) }));
        }

        [Test]
        public void SimplePaging_PastThe50000thRow_RequiresAPagingCookie()
        {
            SeedContacts(3);
            var query = new QueryExpression("contact") { ColumnSet = new ColumnSet("lastname"), PageInfo = new PagingInfo { Count = 5_000, PageNumber = 11 } };

            var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() => _service.RetrieveMultiple(query))!;

            Assert.That(fault.Detail.Message, Is.EqualTo("Paging cookie is required when trying to retrieve a set of records on any high pages."));
            query.PageInfo.PageNumber = 10;
            Assert.That(_service.RetrieveMultiple(query).Entities, Is.Empty, "page 10 of 5,000 ends at the 50,000th row, which simple paging still reaches");
        }

        [Test]
        public void FetchXml_WithNoAttributeElement_ReturnsAllColumns()
        {
            _service.Create(new Entity("contact") { ["lastname"] = "Adams", ["firstname"] = "Ann", ["jobtitle"] = "Buyer" });

            var row = _service.RetrieveMultiple(new FetchExpression("<fetch><entity name='contact' /></fetch>")).Entities.Single();
            var none = _service.RetrieveMultiple(new FetchExpression("<fetch><entity name='contact'><no-attrs /></entity></fetch>")).Entities.Single();

            Assert.That(new[] { "lastname", "firstname", "jobtitle", "createdon", "ownerid" }.All(row.Contains), Is.True);
            Assert.That(none.Contains("lastname"), Is.False);
        }

        [Test]
        public void FetchXml_WithAnUnknownElement_FailsWithAClearFault()
        {
            var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() =>
                _service.RetrieveMultiple(new FetchExpression("<fetch><entity name='contact'><columns /></entity></fetch>")))!;

            Assert.That(fault.Detail.Message, Does.Contain("columns"));
        }
    }
}
