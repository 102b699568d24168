using System;
using System.Linq;
using System.Security;
using CrmPlugins.Emulator.Query;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using NUnit.Framework;
using static CrmPlugins.Emulator.Tests.Query.QueryTestHelpers;

namespace CrmPlugins.Emulator.Tests.Query
{
    [TestFixture]
    public class FetchXmlTests
    {
        private InMemoryRowSource _source = null!;
        private QueryEngine _engine = null!;
        private Entity _ann = null!;

        [SetUp]
        public void SetUp()
        {
            _source = new InMemoryRowSource();
            _engine = new QueryEngine(_source);
            _ann = _source.Add("contact", ("fullname", "Ann"), ("statecode", new OptionSetValue(0)));
            _source.Add("account", ("name", "Contoso"), ("numberofemployees", 10), ("revenue", new Money(100m)),
                ("primarycontactid", new EntityReference("contact", _ann.Id)), ("ownerid", new EntityReference("systemuser", _source.CallerId)),
                ("createdon", new DateTime(2024, 5, 10, 0, 0, 0, DateTimeKind.Utc)), ("creditlimit", new Money(50m)));
            _source.Add("account", ("name", "Fabrikam"), ("numberofemployees", 50), ("revenue", new Money(500m)),
                ("createdon", new DateTime(2023, 1, 10, 0, 0, 0, DateTimeKind.Utc)), ("creditlimit", new Money(900m)));
            _source.Add("account", ("name", "Adventure Works"), ("createdon", new DateTime(2024, 5, 14, 0, 0, 0, DateTimeKind.Utc)));
        }

        private EntityCollection Fetch(string xml) => _engine.Execute(new FetchExpression(xml));

        private string?[] FetchNames(string filter) =>
            Names(Fetch($"<fetch><entity name='account'><attribute name='name' /><order attribute='name' />{filter}</entity></fetch>"));

        [Test]
        public void Execute_WhenFetchHasAttributesAndFilter_ReturnsThoseColumns()
        {
            var result = Fetch(@"
                <fetch version='1.0' output-format='xml-platform' mapping='logical' distinct='false' no-lock='true'>
                  <entity name='account'>
                    <attribute name='name' />
                    <attribute name='revenue' />
                    <filter type='and'>
                      <condition attribute='numberofemployees' operator='ge' value='10' />
                    </filter>
                    <order attribute='name' descending='true' />
                  </entity>
                </fetch>");

            Assert.That(Names(result), Is.EqualTo(new[] { "Fabrikam", "Contoso" }));
            Assert.That(result.Entities[0].Attributes.Keys, Is.EquivalentTo(new[] { "accountid", "name", "revenue" }));
            Assert.That(result.Entities[0]["revenue"], Is.InstanceOf<Money>());
        }

        [Test]
        public void Execute_WhenAllAttributes_ReturnsEveryColumn()
        {
            var entity = Fetch("<fetch><entity name='contact'><all-attributes /></entity></fetch>").Entities.Single();

            Assert.That(entity.Attributes.Keys, Is.EquivalentTo(new[] { "contactid", "fullname", "statecode" }));
        }

        [TestCase("<condition attribute='name' operator='eq' value='contoso' />", new[] { "Contoso" })]
        [TestCase("<condition attribute='name' operator='ne' value='Contoso' />", new[] { "Adventure Works", "Fabrikam" })]
        [TestCase("<condition attribute='numberofemployees' operator='neq' value='10' />", new[] { "Adventure Works", "Fabrikam" })]
        [TestCase("<condition attribute='numberofemployees' operator='gt' value='10' />", new[] { "Fabrikam" })]
        [TestCase("<condition attribute='numberofemployees' operator='lt' value='11' />", new[] { "Contoso" })]
        [TestCase("<condition attribute='numberofemployees' operator='le' value='50' />", new[] { "Contoso", "Fabrikam" })]
        [TestCase("<condition attribute='name' operator='like' value='%o%' />", new[] { "Adventure Works", "Contoso" })]
        [TestCase("<condition attribute='name' operator='not-like' value='%o%' />", new[] { "Fabrikam" })]
        [TestCase("<condition attribute='name' operator='begins-with' value='fab' />", new[] { "Fabrikam" })]
        [TestCase("<condition attribute='name' operator='not-begin-with' value='fab' />", new[] { "Adventure Works", "Contoso" })]
        [TestCase("<condition attribute='name' operator='ends-with' value='SO' />", new[] { "Contoso" })]
        [TestCase("<condition attribute='name' operator='not-end-with' value='so' />", new[] { "Adventure Works", "Fabrikam" })]
        [TestCase("<condition attribute='numberofemployees' operator='in'><value>10</value><value>50</value></condition>", new[] { "Contoso", "Fabrikam" })]
        [TestCase("<condition attribute='numberofemployees' operator='not-in'><value>10</value></condition>", new[] { "Fabrikam" })]
        [TestCase("<condition attribute='numberofemployees' operator='between'><value>5</value><value>10</value></condition>", new[] { "Contoso" })]
        [TestCase("<condition attribute='numberofemployees' operator='not-between'><value>5</value><value>10</value></condition>", new[] { "Fabrikam" })]
        [TestCase("<condition attribute='numberofemployees' operator='null' />", new[] { "Adventure Works" })]
        [TestCase("<condition attribute='numberofemployees' operator='not-null' />", new[] { "Contoso", "Fabrikam" })]
        [TestCase("<condition attribute='ownerid' operator='eq-userid' />", new[] { "Contoso" })]
        [TestCase("<condition attribute='createdon' operator='on' value='2024-05-10' />", new[] { "Contoso" })]
        [TestCase("<condition attribute='createdon' operator='on-or-after' value='2024-05-10' />", new[] { "Adventure Works", "Contoso" })]
        [TestCase("<condition attribute='createdon' operator='on-or-before' value='2024-05-10T00:00:00Z' />", new[] { "Contoso", "Fabrikam" })]
        [TestCase("<condition attribute='createdon' operator='last-x-days' value='3' />", new[] { "Adventure Works" })]
        [TestCase("<condition attribute='createdon' operator='next-x-days' value='3' />", new string[0])]
        [TestCase("<condition attribute='createdon' operator='this-month' />", new[] { "Adventure Works", "Contoso" })]
        [TestCase("<condition attribute='createdon' operator='this-year' />", new[] { "Adventure Works", "Contoso" })]
        [TestCase("<condition attribute='createdon' operator='last-year' />", new[] { "Fabrikam" })]
        [TestCase("<condition attribute='createdon' operator='this-fiscal-year' />", new[] { "Adventure Works", "Contoso" })]
        [TestCase("<condition attribute='createdon' operator='this-fiscal-period' />", new[] { "Adventure Works", "Contoso" })]
        [TestCase("<condition attribute='createdon' operator='in-fiscal-period-and-year'><value>1</value><value>2023</value></condition>", new[] { "Fabrikam" })]
        [TestCase("<condition attribute='primarycontactid' operator='eq' uitype='contact' uiname='Ann' value='{0}' />", new[] { "Contoso" })]
        [TestCase("<condition attribute='revenue' operator='gt' valueof='creditlimit' />", new[] { "Contoso" })]
        public void Execute_WhenFetchConditionOperator_MapsOntoTheSameEvaluator(string condition, string[] expected)
        {
            condition = condition.Replace("{0}", _ann.Id.ToString());

            Assert.That(FetchNames($"<filter>{condition}</filter>"), Is.EqualTo(expected));
        }

        [Test]
        public void Execute_WhenFiltersAreNested_CombinesAndWithOr()
        {
            var names = FetchNames(@"
                <filter type='or'>
                  <condition attribute='name' operator='eq' value='Adventure Works' />
                  <filter type='and'>
                    <condition attribute='numberofemployees' operator='gt' value='5' />
                    <condition attribute='numberofemployees' operator='lt' value='20' />
                  </filter>
                </filter>");

            Assert.That(names, Is.EqualTo(new[] { "Adventure Works", "Contoso" }));
        }

        [Test]
        public void Execute_WhenLinkEntityHasAlias_ReturnsAliasedValuesUnderIt()
        {
            var entity = Fetch(@"
                <fetch>
                  <entity name='account'>
                    <attribute name='name' />
                    <link-entity name='contact' from='contactid' to='primarycontactid' alias='pc' link-type='inner'>
                      <attribute name='fullname' />
                      <attribute name='statecode' alias='contactstate' />
                    </link-entity>
                  </entity>
                </fetch>").Entities.Single();

            Assert.That(Aliased(entity, "pc.fullname"), Is.EqualTo("Ann"));
            Assert.That(((OptionSetValue)Aliased(entity, "contactstate")!).Value, Is.EqualTo(0));
        }

        [Test]
        public void Execute_WhenLinkEntityHasNoAlias_UsesTheGeneratedAlias()
        {
            var entity = Fetch(@"
                <fetch>
                  <entity name='account'>
                    <attribute name='name' />
                    <link-entity name='contact' from='contactid' to='primarycontactid'>
                      <attribute name='fullname' />
                    </link-entity>
                  </entity>
                </fetch>").Entities.Single();

            Assert.That(Aliased(entity, "contact1.fullname"), Is.EqualTo("Ann"));
        }

        [Test]
        public void Execute_WhenOuterLinkAndConditionOnItsAlias_FindsRowsWithoutAMatch()
        {
            var names = FetchNames(@"
                <link-entity name='contact' from='contactid' to='primarycontactid' alias='pc' link-type='outer' />
                <filter><condition entityname='pc' attribute='contactid' operator='null' /></filter>");

            Assert.That(names, Is.EqualTo(new[] { "Adventure Works", "Fabrikam" }));
        }

        [Test]
        public void Execute_WhenLinkEntityHasFilterAndOrder_AppliesThem()
        {
            _source.Add("contact", ("fullname", "Zed"), ("parentcustomerid", new EntityReference("account", Guid.NewGuid())), ("statecode", new OptionSetValue(1)));
            var result = Fetch(@"
                <fetch>
                  <entity name='account'>
                    <attribute name='name' />
                    <link-entity name='contact' from='contactid' to='primarycontactid' alias='pc'>
                      <filter><condition attribute='statecode' operator='eq' value='0' /></filter>
                      <order attribute='fullname' descending='true' />
                    </link-entity>
                  </entity>
                </fetch>");

            Assert.That(Names(result), Is.EqualTo(new[] { "Contoso" }));
        }

        [Test]
        public void Execute_WhenMainAttributeHasAlias_ReturnsAnAliasedValue()
        {
            var entity = Fetch("<fetch><entity name='contact'><attribute name='fullname' alias='who' /></entity></fetch>").Entities.Single();

            Assert.That(Aliased(entity, "who"), Is.EqualTo("Ann"));
            Assert.That(entity.Contains("fullname"), Is.False);
        }

        [Test]
        public void Execute_WhenTopCountPageAndDistinct_AreRead()
        {
            Assert.That(Names(Fetch("<fetch top='1'><entity name='account'><attribute name='name' /><order attribute='name' /></entity></fetch>")),
                Is.EqualTo(new[] { "Adventure Works" }));
            var page = Fetch("<fetch count='1' page='2' returntotalrecordcount='true'><entity name='account'><attribute name='name' /><order attribute='name' /></entity></fetch>");
            Assert.That(Names(page), Is.EqualTo(new[] { "Contoso" }));
            Assert.That(page.MoreRecords, Is.True);
            Assert.That(page.TotalRecordCount, Is.EqualTo(3));
            var distinct = Fetch("<fetch distinct='true'><entity name='account'><attribute name='ownerid' /></entity></fetch>");
            Assert.That(distinct.Entities, Has.Count.EqualTo(2), "one row with the owner, one with no owner (null is a value for DISTINCT)");
        }

        [Test]
        public void Execute_WhenPagingCookieIsPassedBack_ReturnsTheNextPage()
        {
            const string Template = "<fetch count='2' page='{0}' {1}><entity name='account'><attribute name='name' /><order attribute='name' /></entity></fetch>";
            var first = Fetch(string.Format(Template, 1, string.Empty));

            var second = Fetch(string.Format(Template, 2, "paging-cookie='" + SecurityElement.Escape(first.PagingCookie) + "'"));

            Assert.That(Names(first), Is.EqualTo(new[] { "Adventure Works", "Contoso" }));
            Assert.That(Names(second), Is.EqualTo(new[] { "Fabrikam" }));
            Assert.That(second.MoreRecords, Is.False);
        }

        [TestCase("page='1'", "page")]
        [TestCase("count='5'", "count")]
        [TestCase("returntotalrecordcount='true'", "returntotalrecordcount")]
        public void Execute_WhenTopWithPagingAttribute_FaultsAsDataverse(string paging, string name)
        {
            var fault = Fault(() => Fetch($"<fetch top='5' {paging}><entity name='account' /></fetch>"));

            Assert.That(fault.ErrorCode, Is.EqualTo(QueryFaults.InvalidArgument));
            Assert.That(fault.Message, Is.EqualTo($"The top attribute can't be specified with paging attribute {name}"));
        }

        [Test]
        public void Execute_WhenFetchIsMalformed_FaultsWithInvalidXml()
        {
            var fault = Fault(() => Fetch("<fetch><entity name='account'></fetch>"));

            Assert.That(fault.ErrorCode, Is.EqualTo(QueryFaults.InvalidXml));
            Assert.That(fault.Message, Does.StartWith("Invalid XML in the FetchXML"));
        }

        [Test]
        public void Execute_WhenFetchIsEmpty_Faults()
        {
            Assert.That(Fault(() => Fetch(" ")).ErrorCode, Is.EqualTo(QueryFaults.InvalidXml));
        }

        [Test]
        public void Execute_WhenFetchHasAnUnknownElement_FaultsNamingIt()
        {
            var fault = Fault(() => Fetch("<fetch><entity name='account'><colum name='name' /></entity></fetch>"));

            Assert.That(fault.ErrorCode, Is.EqualTo(QueryFaults.QueryBuilderDeserializeInvalidNode));
            Assert.That(fault.Message, Does.Contain("NodeName = colum"));
        }

        [Test]
        public void Execute_WhenFetchHasAnUnknownAttribute_FaultsNamingIt()
        {
            var fault = Fault(() => Fetch("<fetch><entity name='account'><attribute name='name' sortable='1' /></entity></fetch>"));

            Assert.That(fault.ErrorCode, Is.EqualTo(QueryFaults.QueryBuilderDeserializeInvalidNode));
            Assert.That(fault.Message, Does.Contain("'sortable'").And.Contain("'attribute'"));
        }

        [TestCase("<fetch utc-offset='60'><entity name='account' /></fetch>", "utc-offset")]
        [TestCase("<fetch min-active-row-version='true'><entity name='account' /></fetch>", "min-active-row-version")]
        [TestCase("<fetch><entity name='account'><attribute name='accountid' rowaggregate='CountChildren' alias='c' /></entity></fetch>", "rowaggregate")]
        [TestCase("<fetch><entity name='account'><filter><link-entity name='contact' from='contactid' to='primarycontactid' link-type='any' /></filter></entity></fetch>", "link-entity inside a filter")]
        [TestCase("<fetch><entity name='account'><filter><condition attribute='name' operator='under' value='x' /></filter></entity></fetch>", "'Under'")]
        [TestCase("<fetch><entity name='account'><link-entity name='contact' from='contactid' to='primarycontactid' link-type='all' /></entity></fetch>", "'All'")]
        [TestCase("<fetch mapping='internal'><entity name='account' /></fetch>", "mapping='internal'")]
        public void Execute_WhenFetchUsesAFeatureTheEmulatorLacks_ThrowsNotSupportedNamingIt(string fetch, string named)
        {
            Assert.That(NotSupported(() => Fetch(fetch)).Message, Does.Contain(named));
        }

        [Test]
        public void Execute_WhenFetchOperatorIsUnknown_FaultsNamingIt()
        {
            var fault = Fault(() => FetchNames("<filter><condition attribute='name' operator='equals' value='x' /></filter>"));

            Assert.That(fault.ErrorCode, Is.EqualTo(QueryFaults.QueryBuilderInvalidConditionOperator));
            Assert.That(fault.Message, Does.Contain("'equals'"));
        }

        [Test]
        public void Execute_WhenLinkTypeIsUnknown_Faults()
        {
            var fault = Fault(() => Fetch("<fetch><entity name='account'><link-entity name='contact' from='contactid' to='primarycontactid' link-type='left' /></entity></fetch>"));

            Assert.That(fault.ErrorCode, Is.EqualTo(QueryFaults.QueryBuilderInvalidJoinOperator));
        }

        [Test]
        public void Execute_WhenFetchConditionColumnIsUnknown_FaultsAsThePlatform()
        {
            _source.Declare("account", "name", "numberofemployees");

            var fault = Fault(() => FetchNames("<filter><condition attribute='nope' operator='eq' value='1' /></filter>"));

            Assert.That(fault.Message, Is.EqualTo("'account' entity doesn't contain attribute with Name = 'nope' and NameMapping = 'Logical'."));
        }

        [Test]
        public void Execute_WhenAggregateAttributeWithoutAggregateFetch_Faults()
        {
            Assert.That(Fault(() => Fetch("<fetch><entity name='account'><attribute name='name' aggregate='count' alias='n' /></entity></fetch>")).ErrorCode,
                Is.EqualTo(QueryFaults.InvalidArgument));
        }

        [Test]
        public void Execute_WhenNamespaceDeclarationsArePresent_IgnoresThem()
        {
            var result = Fetch("<fetch xmlns:generator='MarkMpn.SQL4CDS'><entity name='contact'><attribute name='fullname' /></entity></fetch>");

            Assert.That(Names(result, "fullname"), Is.EqualTo(new[] { "Ann" }));
        }
    }
}
