using System;
using CrmPlugins.Emulator.Query;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using NUnit.Framework;
using static CrmPlugins.Emulator.Tests.Query.QueryTestHelpers;

namespace CrmPlugins.Emulator.Tests.Query
{
    [TestFixture]
    public class ColumnTests
    {
        private InMemoryRowSource _source = null!;
        private QueryEngine _engine = null!;
        private Entity _contoso = null!;
        private Guid _contactId;

        [SetUp]
        public void SetUp()
        {
            _source = new InMemoryRowSource();
            _engine = new QueryEngine(_source);
            _contactId = Guid.NewGuid();
            _contoso = _source.Add("account",
                ("name", "Contoso"),
                ("revenue", new Money(1000m)),
                ("industrycode", new OptionSetValue(3)),
                ("primarycontactid", new EntityReference("contact", _contactId) { Name = "Ann" }),
                ("description", null),
                ("numberofemployees", 25));
        }

        [Test]
        public void Execute_WhenColumnsRequested_ReturnsOnlyThoseNonNullColumnsAndTheId()
        {
            var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name", "description") };

            var result = _engine.Execute(query).Entities[0];

            Assert.That(result.Id, Is.EqualTo(_contoso.Id));
            Assert.That(result.LogicalName, Is.EqualTo("account"));
            Assert.That(result.Attributes.Keys, Is.EquivalentTo(new[] { "accountid", "name" }));
            Assert.That(result["accountid"], Is.EqualTo(_contoso.Id));
        }

        [Test]
        public void Execute_WhenColumnSetIsEmpty_ReturnsOnlyThePrimaryKey()
        {
            var result = _engine.Execute(new QueryExpression("account")).Entities[0];

            Assert.That(result.Attributes.Keys, Is.EquivalentTo(new[] { "accountid" }));
            Assert.That(result.Id, Is.EqualTo(_contoso.Id));
        }

        [Test]
        public void Execute_WhenAllColumns_ReturnsEveryNonNullColumn()
        {
            var query = new QueryExpression("account") { ColumnSet = new ColumnSet(true) };

            var result = _engine.Execute(query).Entities[0];

            Assert.That(result.Attributes.Keys,
                Is.EquivalentTo(new[] { "accountid", "name", "revenue", "industrycode", "primarycontactid", "numberofemployees" }));
        }

        [Test]
        public void Execute_WhenAColumnIsAskedForTwiceAndWithAllColumnsOfALink_ReturnsEachOnceInTheOrderFirstSet()
        {
            // A row's columns are gathered before they are added to it: a column named again (the key, a column twice, a link's
            // column in its own list and in all of its columns) keeps its first place, as setting an entity's column keeps it.
            _source.Add(new Entity("contact", _contactId) { ["fullname"] = "Ann Smith", ["jobtitle"] = "Buyer" });
            var extra = new System.Collections.Generic.List<string>();
            for (var i = 0; i < 14; i++)
            {
                _contoso["x" + i] = i;
                extra.Insert(0, "x" + i);
            }

            for (var wide = 0; wide < 2; wide++)
            {
                var columns = new System.Collections.Generic.List<string> { "name", "accountid", "numberofemployees", "name", "revenue" };
                // Past a dozen columns the names are found through a set instead of a scan.
                if (wide == 1) columns.InsertRange(1, extra);
                var expected = new System.Collections.Generic.List<string> { "accountid", "c.fullname", "c.jobtitle", "c.contactid", "name" };
                if (wide == 1) expected.AddRange(extra);
                expected.AddRange(new[] { "numberofemployees", "revenue" });
                var query = new QueryExpression("account") { ColumnSet = new ColumnSet(columns.ToArray()) };
                var link = query.AddLink("contact", "primarycontactid", "contactid");
                link.EntityAlias = "c";
                link.Columns = new ColumnSet(true);

                var result = _engine.Execute(query).Entities[0];

                Assert.That(result.Attributes.Keys, Is.EqualTo(expected), $"wide: {wide}");
                Assert.That(result["name"], Is.EqualTo("Contoso"));
                Assert.That(((AliasedValue)result["c.jobtitle"]).Value, Is.EqualTo("Buyer"));
                Assert.That(result.GetAttributeValue<Money>("revenue").Value, Is.EqualTo(1000m));
            }
        }

        [Test]
        public void Execute_ReturnsCopies_SoChangingAResultLeavesTheStoreUnchanged()
        {
            var query = new QueryExpression("account") { ColumnSet = new ColumnSet(true) };

            var result = _engine.Execute(query).Entities[0];
            ((Money)result["revenue"]).Value = 1m;
            ((OptionSetValue)result["industrycode"]).Value = 99;
            ((EntityReference)result["primarycontactid"]).Name = "changed";
            result["name"] = "changed";

            Assert.That(result, Is.Not.SameAs(_contoso));
            Assert.That(result.Attributes, Is.Not.SameAs(_contoso.Attributes));
            Assert.That(((Money)_contoso["revenue"]).Value, Is.EqualTo(1000m));
            Assert.That(((OptionSetValue)_contoso["industrycode"]).Value, Is.EqualTo(3));
            Assert.That(((EntityReference)_contoso["primarycontactid"]).Name, Is.EqualTo("Ann"));
            Assert.That(_contoso["name"], Is.EqualTo("Contoso"));
        }

        [Test]
        public void Execute_WhenLookupReturned_KeepsLogicalNameIdAndName()
        {
            var query = new QueryExpression("account") { ColumnSet = new ColumnSet("primarycontactid") };

            var reference = (EntityReference)_engine.Execute(query).Entities[0]["primarycontactid"];

            Assert.That(reference.LogicalName, Is.EqualTo("contact"));
            Assert.That(reference.Id, Is.EqualTo(_contactId));
            Assert.That(reference.Name, Is.EqualTo("Ann"));
        }

        [Test]
        public void Execute_ReturnsCollectionNamedAfterTheTableWithoutTotalCount()
        {
            var result = _engine.Execute(new QueryExpression("account"));

            Assert.That(result.EntityName, Is.EqualTo("account"));
            Assert.That(result.TotalRecordCount, Is.EqualTo(-1));
            Assert.That(result.MoreRecords, Is.False);
        }

        [Test]
        public void Execute_WhenColumnUnknownForDeclaredTable_FaultsWithQueryBuilderNoAttribute()
        {
            _source.Declare("account", "name", "revenue");
            var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name", "foo") };

            var fault = Fault(() => _engine.Execute(query));

            Assert.That(fault.ErrorCode, Is.EqualTo(unchecked((int)0x80041103)));
            Assert.That(fault.Message, Is.EqualTo("'account' entity doesn't contain attribute with Name = 'foo' and NameMapping = 'Logical'."));
        }

        [Test]
        public void Execute_WhenConditionColumnUnknownForDeclaredTable_FaultsWithQueryBuilderNoAttribute()
        {
            _source.Declare("account", "name");
            var query = new QueryExpression("account");
            query.Criteria.AddCondition("bar", ConditionOperator.Equal, 1);

            var fault = Fault(() => _engine.Execute(query));

            Assert.That(fault.ErrorCode, Is.EqualTo(QueryFaults.QueryBuilderNoAttribute));
            Assert.That(fault.Message, Does.Contain("Name = 'bar'"));
        }

        [Test]
        public void Execute_WhenOrderColumnUnknownForDeclaredTable_Faults()
        {
            _source.Declare("account", "name");
            var query = new QueryExpression("account");
            query.AddOrder("nope", OrderType.Ascending);

            Assert.That(Fault(() => _engine.Execute(query)).ErrorCode, Is.EqualTo(QueryFaults.QueryBuilderNoAttribute));
        }

        [Test]
        public void Execute_WhenTableHasNoDeclaredColumns_AcceptsAnyColumn()
        {
            var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name", "neverset") };

            var result = _engine.Execute(query).Entities[0];

            Assert.That(result.Contains("neverset"), Is.False);
            Assert.That(result["name"], Is.EqualTo("Contoso"));
        }

        [Test]
        public void Execute_WhenTableUnknown_FaultsWithQueryBuilderNoEntity()
        {
            var fault = Fault(() => _engine.Execute(new QueryExpression("nosuchtable")));

            Assert.That(fault.ErrorCode, Is.EqualTo(unchecked((int)0x80041102)));
            Assert.That(fault.Message, Is.EqualTo("The entity with a name = 'nosuchtable' with namemapping = 'Logical' was not found in the MetadataCache."));
        }

        [Test]
        public void Execute_WhenTableDeclaredButEmpty_ReturnsNoRows()
        {
            _source.Declare("contact", "fullname");

            Assert.That(_engine.Execute(new QueryExpression("contact")).Entities, Is.Empty);
        }

        [Test]
        public void Execute_WhenStoreRowLacksPrimaryKeyColumn_StillReturnsIt()
        {
            var row = new Entity("lead", Guid.NewGuid());
            row["subject"] = "x";
            _source.Add(row);
            row.Attributes.Remove("leadid");

            var result = _engine.Execute(new QueryExpression("lead") { ColumnSet = new ColumnSet("leadid") }).Entities[0];

            Assert.That(result.Id, Is.EqualTo(row.Id));
            Assert.That(result["leadid"], Is.EqualTo(row.Id));
        }

        [Test]
        public void Execute_WhenQueryIsNull_ThrowsArgumentNull()
        {
            Assert.Throws<ArgumentNullException>(() => _engine.Execute(null!));
        }
    }
}
