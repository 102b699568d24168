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
    public class LinkEntityTests
    {
        private InMemoryRowSource _source = null!;
        private QueryEngine _engine = null!;
        private Entity _ann = null!;
        private Entity _bob = null!;
        private Entity _user = null!;

        [SetUp]
        public void SetUp()
        {
            _source = new InMemoryRowSource();
            _engine = new QueryEngine(_source);
            _user = _source.Add("systemuser", ("fullname", "Uma User"));
            _ann = _source.Add("contact", ("fullname", "Ann"), ("ownerid", new EntityReference("systemuser", _user.Id)), ("statecode", new OptionSetValue(0)));
            _bob = _source.Add("contact", ("fullname", "Bob"), ("statecode", new OptionSetValue(1)));
            var contoso = _source.Add("account", ("name", "Contoso"), ("primarycontactid", new EntityReference("contact", _ann.Id)));
            var fabrikam = _source.Add("account", ("name", "Fabrikam"), ("primarycontactid", new EntityReference("contact", _bob.Id)));
            _source.Add("account", ("name", "Lonely"));
            _ann["parentcustomerid"] = new EntityReference("account", contoso.Id);
            _bob["parentcustomerid"] = new EntityReference("account", contoso.Id);
            _source.Add("contact", ("fullname", "Cy"), ("parentcustomerid", new EntityReference("account", fabrikam.Id)), ("statecode", new OptionSetValue(0)));
        }

        private static QueryExpression Accounts()
        {
            var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name") };
            query.AddOrder("name", OrderType.Ascending);
            return query;
        }

        [Test]
        public void Execute_WhenLinkEntityHasAlias_ReturnsAliasedValues()
        {
            var query = Accounts();
            var link = query.AddLink("contact", "primarycontactid", "contactid");
            link.EntityAlias = "pc";
            link.Columns = new ColumnSet("fullname", "statecode");

            var rows = _engine.Execute(query).Entities;

            Assert.That(rows.Select(r => r["name"]), Is.EqualTo(new[] { "Contoso", "Fabrikam" }));
            var aliased = (AliasedValue)rows[0]["pc.fullname"];
            Assert.That(aliased.Value, Is.EqualTo("Ann"));
            Assert.That(aliased.EntityLogicalName, Is.EqualTo("contact"));
            Assert.That(aliased.AttributeLogicalName, Is.EqualTo("fullname"));
            Assert.That(((OptionSetValue)Aliased(rows[1], "pc.statecode")!).Value, Is.EqualTo(1));
            Assert.That(Aliased(rows[1], "pc.statecode"), Is.Not.SameAs(_bob["statecode"]));
        }

        [Test]
        public void Execute_WhenLinkEntityHasNoAlias_UsesTableNameWithCounter()
        {
            var query = Accounts();
            query.AddLink("contact", "primarycontactid", "contactid").Columns = new ColumnSet("fullname");
            query.AddLink("systemuser", "ownerid", "systemuserid", JoinOperator.LeftOuter).Columns = new ColumnSet("fullname");
            query.AddLink("contact", "accountid", "parentcustomerid", JoinOperator.LeftOuter).Columns = new ColumnSet("fullname");

            var row = _engine.Execute(query).Entities.First(e => (string)e["name"] == "Fabrikam");

            Assert.That(Aliased(row, "contact1.fullname"), Is.EqualTo("Bob"));
            Assert.That(Aliased(row, "contact2.fullname"), Is.EqualTo("Cy"));
            Assert.That(row.Contains("systemuser1.fullname"), Is.False);
        }

        [Test]
        public void Execute_WhenLinkAsksForAllColumns_ReturnsEachNonNullColumnAliased()
        {
            var query = Accounts();
            query.Criteria.AddCondition("name", ConditionOperator.Equal, "Fabrikam");
            var link = query.AddLink("contact", "primarycontactid", "contactid");
            link.EntityAlias = "pc";
            link.Columns = new ColumnSet(true);

            var row = _engine.Execute(query).Entities.Single();

            Assert.That(row.Attributes.Keys.Where(k => k.StartsWith("pc.", StringComparison.Ordinal)),
                Is.EquivalentTo(new[] { "pc.contactid", "pc.fullname", "pc.statecode", "pc.parentcustomerid" }));
            Assert.That(((EntityReference)Aliased(row, "pc.parentcustomerid")!).LogicalName, Is.EqualTo("account"));
        }

        [Test]
        public void Execute_WhenLeftOuterHasNoMatch_KeepsTheRowWithoutLinkColumns()
        {
            var query = Accounts();
            var link = query.AddLink("contact", "primarycontactid", "contactid", JoinOperator.LeftOuter);
            link.EntityAlias = "pc";
            link.Columns = new ColumnSet("fullname");

            var rows = _engine.Execute(query).Entities;

            Assert.That(rows.Select(r => r["name"]), Is.EqualTo(new[] { "Contoso", "Fabrikam", "Lonely" }));
            Assert.That(rows[2].Attributes.Keys, Is.EquivalentTo(new[] { "accountid", "name" }));
        }

        [Test]
        public void Execute_WhenInnerLinkHasCriteria_DropsRowsWithoutAMatchingLinkedRow()
        {
            var query = Accounts();
            var link = query.AddLink("contact", "primarycontactid", "contactid");
            link.LinkCriteria.AddCondition("statecode", ConditionOperator.Equal, 0);

            Assert.That(Names(_engine.Execute(query)), Is.EqualTo(new[] { "Contoso" }));
        }

        [Test]
        public void Execute_WhenOuterLinkHasCriteria_KeepsEveryRowButOnlyMatchingColumns()
        {
            var query = Accounts();
            var link = query.AddLink("contact", "primarycontactid", "contactid", JoinOperator.LeftOuter);
            link.EntityAlias = "pc";
            link.Columns = new ColumnSet("fullname");
            link.LinkCriteria.AddCondition("statecode", ConditionOperator.Equal, 0);

            var rows = _engine.Execute(query).Entities;

            Assert.That(rows.Select(r => r.Contains("pc.fullname")), Is.EqualTo(new[] { true, false, false }));
        }

        [Test]
        public void Execute_WhenCriteriaNameALinkAlias_FiltersOnTheJoinedRow()
        {
            var query = Accounts();
            query.AddLink("contact", "primarycontactid", "contactid", JoinOperator.LeftOuter).EntityAlias = "pc";
            query.Criteria.AddCondition("pc", "contactid", ConditionOperator.Null);

            Assert.That(Names(_engine.Execute(query)), Is.EqualTo(new[] { "Lonely" }));
        }

        [Test]
        public void Execute_WhenCriteriaOrMixesMainAndLinkColumns_EvaluatesAfterTheJoin()
        {
            var query = Accounts();
            query.AddLink("contact", "primarycontactid", "contactid", JoinOperator.LeftOuter).EntityAlias = "pc";
            var or = query.Criteria.AddFilter(LogicalOperator.Or);
            or.AddCondition("name", ConditionOperator.Equal, "Lonely");
            or.AddCondition("pc", "fullname", ConditionOperator.Equal, "Bob");

            Assert.That(Names(_engine.Execute(query)), Is.EqualTo(new[] { "Fabrikam", "Lonely" }));
        }

        [Test]
        public void Execute_WhenLinksAreNested_JoinsThroughEachLevel()
        {
            var query = Accounts();
            var contact = query.AddLink("contact", "primarycontactid", "contactid");
            contact.EntityAlias = "pc";
            var owner = contact.AddLink("systemuser", "ownerid", "systemuserid");
            owner.EntityAlias = "owner";
            owner.Columns = new ColumnSet("fullname");

            var rows = _engine.Execute(query).Entities;

            Assert.That(rows, Has.Count.EqualTo(1));
            Assert.That(Aliased(rows[0], "owner.fullname"), Is.EqualTo("Uma User"));
            Assert.That(((AliasedValue)rows[0]["owner.fullname"]).EntityLogicalName, Is.EqualTo("systemuser"));
        }

        // Microsoft's LinkEntity.AddLink names the query's table as a nested link's LinkFromEntityName (above); the
        // documentation asks for the parent link's table instead. Both join from the parent link.
        [Test]
        public void Execute_WhenANestedLinkNamesItsParentLinksTable_JoinsFromThatLink()
        {
            var query = Accounts();
            var contact = query.AddLink("contact", "primarycontactid", "contactid");
            contact.EntityAlias = "pc";
            contact.LinkEntities.Add(new LinkEntity("contact", "systemuser", "ownerid", "systemuserid", JoinOperator.Inner)
            {
                EntityAlias = "owner",
                Columns = new ColumnSet("fullname"),
            });

            var rows = _engine.Execute(query).Entities;

            Assert.That(rows.Select(r => Aliased(r, "owner.fullname")), Is.EqualTo(new[] { "Uma User" }));
        }

        [Test]
        public void Execute_WhenLinkIsOneToMany_ReturnsTheParentOncePerChild()
        {
            var query = Accounts();
            var children = query.AddLink("contact", "accountid", "parentcustomerid");
            children.EntityAlias = "c";
            children.Columns = new ColumnSet("fullname");
            children.Orders.Add(new OrderExpression("fullname", OrderType.Descending));

            var rows = _engine.Execute(query).Entities;

            Assert.That(rows.Select(r => r["name"] + "/" + Aliased(r, "c.fullname")), Is.EqualTo(new[] { "Contoso/Bob", "Contoso/Ann", "Fabrikam/Cy" }));
            Assert.That(rows[0].Id, Is.EqualTo(rows[1].Id));
        }

        [Test]
        public void Execute_WhenLinkOrderAndMainOrder_AppliesMainOrdersFirst()
        {
            var query = new QueryExpression("contact") { ColumnSet = new ColumnSet("fullname") };
            var account = query.AddLink("account", "parentcustomerid", "accountid");
            account.EntityAlias = "a";
            account.Orders.Add(new OrderExpression("name", OrderType.Descending));
            query.AddOrder("statecode", OrderType.Ascending);

            var names = Names(_engine.Execute(query), "fullname");

            Assert.That(names, Is.EqualTo(new[] { "Cy", "Ann", "Bob" }));
        }

        [Test]
        public void Execute_WhenOrderNamesALinkEntity_SortsByTheLinkedColumnInItsPlace()
        {
            var query = new QueryExpression("contact") { ColumnSet = new ColumnSet("fullname") };
            query.AddLink("account", "parentcustomerid", "accountid").EntityAlias = "a";
            query.Orders.Add(new OrderExpression("name", OrderType.Descending, null, "a"));
            query.AddOrder("fullname", OrderType.Ascending);

            Assert.That(Names(_engine.Execute(query), "fullname"), Is.EqualTo(new[] { "Cy", "Ann", "Bob" }));
        }

        [Test]
        public void Execute_WhenExistsLink_ReturnsEachParentOnceWithoutLinkColumns()
        {
            var query = Accounts();
            var link = query.AddLink("contact", "accountid", "parentcustomerid", JoinOperator.Exists);
            link.Columns = new ColumnSet("fullname");

            var rows = _engine.Execute(query).Entities;

            Assert.That(rows.Select(r => r["name"]), Is.EqualTo(new[] { "Contoso", "Fabrikam" }));
            Assert.That(rows.All(r => r.Attributes.Count == 2), Is.True);
        }

        [Test]
        public void Execute_WhenAnyAndNotAnyLinks_TestExistenceWithCriteria()
        {
            var any = Accounts();
            any.AddLink("contact", "accountid", "parentcustomerid", JoinOperator.Any).LinkCriteria.AddCondition("statecode", ConditionOperator.Equal, 1);
            var notAny = Accounts();
            notAny.AddLink("contact", "accountid", "parentcustomerid", JoinOperator.NotAny).LinkCriteria.AddCondition("statecode", ConditionOperator.Equal, 1);

            Assert.That(Names(_engine.Execute(any)), Is.EqualTo(new[] { "Contoso" }));
            Assert.That(Names(_engine.Execute(notAny)), Is.EqualTo(new[] { "Fabrikam", "Lonely" }));
        }

        [Test]
        public void Execute_WhenMatchFirstRowUsingCrossApply_ReturnsEachParentOnceWithOneChild()
        {
            var query = Accounts();
            var link = query.AddLink("contact", "accountid", "parentcustomerid", JoinOperator.MatchFirstRowUsingCrossApply);
            link.EntityAlias = "c";
            link.Columns = new ColumnSet("fullname");

            var rows = _engine.Execute(query).Entities;

            Assert.That(rows.Select(r => r["name"]), Is.EqualTo(new[] { "Contoso", "Fabrikam" }));
            Assert.That(rows.All(r => r.Contains("c.fullname")), Is.True);
        }

        [TestCase(JoinOperator.All)]
        [TestCase(JoinOperator.NotAll)]
        [TestCase(JoinOperator.Natural)]
        public void Execute_WhenJoinOperatorIsNotImplemented_ThrowsNotSupportedNamingIt(JoinOperator join)
        {
            var query = Accounts();
            query.AddLink("contact", "accountid", "parentcustomerid", join);

            Assert.That(NotSupported(() => _engine.Execute(query)).Message, Does.Contain($"'{join}'"));
        }

        [Test]
        public void Execute_WhenConditionNamesAnUnknownAlias_Faults()
        {
            var query = Accounts();
            query.Criteria.AddCondition("nobody", "fullname", ConditionOperator.Null);

            Assert.That(Fault(() => _engine.Execute(query)).ErrorCode, Is.EqualTo(QueryFaults.QueryBuilderAliasDoesNotExist));
        }

        [Test]
        public void Execute_WhenTwoLinksShareAnAlias_Faults()
        {
            var query = Accounts();
            query.AddLink("contact", "primarycontactid", "contactid").EntityAlias = "x";
            query.AddLink("contact", "accountid", "parentcustomerid").EntityAlias = "x";

            Assert.That(Fault(() => _engine.Execute(query)).ErrorCode, Is.EqualTo(QueryFaults.QueryBuilderInvalidAlias));
        }

        [Test]
        public void Execute_WhenLinkTableOrColumnIsUnknown_FaultsAsThePlatform()
        {
            var unknownTable = Accounts();
            unknownTable.AddLink("nosuch", "primarycontactid", "nosuchid");
            _source.Declare("contact", "fullname", "parentcustomerid", "ownerid", "statecode");
            var unknownColumn = Accounts();
            unknownColumn.AddLink("contact", "primarycontactid", "contactid").Columns = new ColumnSet("nickname");

            Assert.That(Fault(() => _engine.Execute(unknownTable)).ErrorCode, Is.EqualTo(QueryFaults.QueryBuilderNoEntity));
            var fault = Fault(() => _engine.Execute(unknownColumn));
            Assert.That(fault.ErrorCode, Is.EqualTo(QueryFaults.QueryBuilderNoAttribute));
            Assert.That(fault.Message, Does.StartWith("'contact' entity doesn't contain attribute with Name = 'nickname'"));
        }

        [Test]
        public void Execute_WhenMoreThanFifteenLinks_FaultsWithTheLinkLimit()
        {
            var query = Accounts();
            for (var i = 0; i < 16; i++) query.AddLink("contact", "primarycontactid", "contactid", JoinOperator.LeftOuter);

            var fault = Fault(() => _engine.Execute(query));

            Assert.That(fault.ErrorCode, Is.EqualTo(unchecked((int)0x8004430D)));
            Assert.That(fault.Message, Is.EqualTo("Number of link entities in query exceeded maximum limit."));
        }

        [Test]
        public void Execute_WhenLinkFromEntityNameIsNotTheParent_Faults()
        {
            var query = Accounts();
            query.LinkEntities.Add(new LinkEntity("opportunity", "contact", "primarycontactid", "contactid", JoinOperator.Inner));

            Assert.That(Fault(() => _engine.Execute(query)).Message, Does.Contain("LinkFromEntityName 'opportunity'"));
        }

        [Test]
        public void Execute_WhenLinkJoinsOnLookup_UsesTheIndexNotAScanOfTheLinkedTable()
        {
            var query = Accounts();
            query.AddLink("contact", "primarycontactid", "contactid").Columns = new ColumnSet("fullname");
            _source.ResetCounters();

            _engine.Execute(query);

            Assert.That(_source.RowsEnumerated, Is.EqualTo(3), "only the three accounts are scanned; contacts come from the index");
            Assert.That(_source.RowsWhereCalls, Is.EqualTo(2), "one index lookup per account that has a primary contact");
        }
    }
}
