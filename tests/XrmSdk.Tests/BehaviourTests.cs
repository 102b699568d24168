using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Crm.Sdk.Messages;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Client;
using Microsoft.Xrm.Sdk.Extensions;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;
using NUnit.Framework;

namespace CrmPlugins.XrmSdk.Tests
{
    /// <summary>
    /// The stand-in behaves as Microsoft's SDK where a plugin or test can observe it. These tests run on Microsoft's own
    /// DLLs too (-p:XrmSdkDir=..., README "Building against Microsoft's SDK"), and pass there: where the documentation is
    /// silent, what they pin was read from Microsoft.Xrm.Sdk 9.0.2.56 (Microsoft.CrmSdk.CoreAssemblies, sha256 in
    /// ../shared/reference/sdk-api/README.md) running on .NET 10.
    /// </summary>
    public class BehaviourTests
    {
        [EntityLogicalName("account")]
        public sealed class Account : Entity
        {
            public Account() : base("account") { }
        }

        [Test]
        public void Indexer_OnAMissingAttribute_ThrowsKeyNotFound() =>
            Assert.Throws<KeyNotFoundException>(() => _ = new Entity("account")["name"]);

        [Test]
        public void GetAttributeValue_OfMissingOrNull_IsTheDefault()
        {
            var e = new Entity("account") { ["revenue"] = null };
            Assert.That(e.GetAttributeValue<int>("numberofemployees"), Is.Zero);
            Assert.That(e.GetAttributeValue<Money>("revenue"), Is.Null);
            Assert.That(e.GetAttributeValue<int?>("numberofemployees"), Is.Null);
        }

        [Test]
        public void GetAttributeValue_OfAnotherType_ThrowsInvalidCast() =>
            Assert.Throws<InvalidCastException>(() => new Entity("account") { ["name"] = "x" }.GetAttributeValue<int>("name"));

        [Test]
        public void Contains_IsTrueForAPresentNullColumn()
        {
            var e = new Entity("account") { ["fax"] = null };
            Assert.That(e.Contains("fax"), Is.True);
            Assert.That(e.Contains("name"), Is.False);
        }

        [Test]
        public void TryGetAttributeValue_ChecksPresenceAndType()
        {
            var e = new Entity("account") { ["name"] = "Contoso" };
            Assert.That(e.TryGetAttributeValue("name", out string name), Is.True);
            Assert.That(name, Is.EqualTo("Contoso"));
            Assert.That(e.TryGetAttributeValue("name", out int _), Is.False);
            Assert.That(e.TryGetAttributeValue("fax", out string _), Is.False);
        }

        // https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.entity.toentityreference ("an entity reference for this
        // entity instance"); what it copies was read from Microsoft's 9.0.2.56: logical name, id and row version only.
        [Test]
        public void ToEntityReference_CarriesLogicalNameIdAndRowVersion_NotKeysOrName()
        {
            var id = Guid.NewGuid();
            var entity = new Entity("account", id) { RowVersion = "7", ["name"] = "Contoso" };
            entity.KeyAttributes["accountnumber"] = "A-1";

            var reference = entity.ToEntityReference();

            Assert.That((reference.LogicalName, reference.Id, reference.RowVersion, reference.Name), Is.EqualTo(("account", id, "7", (string?)null)));
            Assert.That(reference.KeyAttributes, Is.Empty);
        }

        [Test]
        public void ToEntityReference_WithoutALogicalName_IsAReferenceWithNone()
        {
            var reference = new Entity().ToEntityReference();

            Assert.That((reference.LogicalName, reference.Id), Is.EqualTo(((string?)null, Guid.Empty)));
        }

        [Test]
        public void ToEntity_OfEntity_IsAShallowCopySharingTheAttributes()
        {
            var e = new Entity("account", Guid.NewGuid()) { ["name"] = "Contoso" };
            var copy = e.ToEntity<Entity>();
            copy["name"] = "changed";
            Assert.That(copy, Is.Not.SameAs(e));
            Assert.That(e["name"], Is.EqualTo("changed"));
        }

        [Test]
        public void ToEntity_OfAnEarlyBoundClass_ChecksTheLogicalName()
        {
            var account = new Entity("account", Guid.NewGuid()) { ["name"] = "Contoso" }.ToEntity<Account>();
            Assert.That(account["name"], Is.EqualTo("Contoso"));
            Assert.Throws<NotSupportedException>(() => new Entity("contact").ToEntity<Account>());
        }

        // https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.entity.logicalname: "Gets or sets the logical name";
        // Microsoft's setter takes another name without complaint.
        [Test]
        public void LogicalName_CanBeSetAgainToAnotherName()
        {
            var e = new Entity("account");

            e.LogicalName = "contact";

            Assert.That(e.LogicalName, Is.EqualTo("contact"));
        }

        [Test]
        public void Collections_AreCreatedOnFirstUse()
        {
            var e = new Entity("account");
            Assert.That(e.FormattedValues, Is.Not.Null);
            Assert.That(e.KeyAttributes, Is.Empty);
            Assert.That(e.RelatedEntities, Is.Empty);
            Assert.That(e.FormattedValues.Contains("statecode"), Is.False);
        }

        [Test]
        public void EmptyCollections_ReadAsEmpty_AndTheirKeysSeeLaterWrites()
        {
            var entity = new Entity("account");
            var formatted = entity.FormattedValues;

            Assert.That(formatted.Count, Is.Zero);
            Assert.That(formatted.TryGetValue("name", out _), Is.False);
            Assert.That(formatted.Contains("name"), Is.False);
            Assert.That(formatted.Remove("name"), Is.False);
            Assert.That(formatted.ToList(), Is.Empty);
            Assert.Throws<KeyNotFoundException>(() => _ = formatted["name"]);
            Assert.Throws<ArgumentNullException>(() => formatted.TryGetValue(null!, out _));
            var keys = entity.KeyAttributes.Keys;
            entity.KeyAttributes["accountnumber"] = "A-1";
            Assert.That(keys, Is.EqualTo(new[] { "accountnumber" }), "Keys is a live view of the collection");
            entity.Attributes.AddRange(new List<KeyValuePair<string, object>> { new("name", "Alpine"), new("revenue", new Money(1m)) });
            Assert.That(entity.Attributes.Select(a => a.Key), Is.EqualTo(new[] { "name", "revenue" }));
            Assert.Throws<ArgumentException>(() => entity.Attributes.AddRange(new List<KeyValuePair<string, object>> { new("name", "again") }));
        }

        [Test]
        public void Entity_ExposesOnlyWhatMicrosoftsEntityExposes()
        {
            var type = typeof(Entity);
            // asmcheck's listings do not say public or protected; Microsoft's reference does.
            Assert.That(type.GetMethod("SetAttributeValue", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!.IsFamily, Is.True);
            Assert.That(type.GetMethod("GetFormattedAttributeValue", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!.IsFamily, Is.True);
            Assert.That(type.GetMethod("GetAttributeValue")!.IsVirtual, Is.True);
        }

        [Test]
        public void ValueTypes_AreEqualByValue()
        {
            var id = Guid.NewGuid();
            Assert.That(new Money(5m), Is.EqualTo(new Money(5m)));
            Assert.That(new Money(5m).GetHashCode(), Is.EqualTo(new Money(5m).GetHashCode()));
            Assert.That(new OptionSetValue(1), Is.EqualTo(new OptionSetValue(1)));
            Assert.That(new OptionSetValue(1), Is.Not.EqualTo(new OptionSetValue(2)));
            Assert.That(new EntityReference("account", id) { Name = "a" }, Is.EqualTo(new EntityReference("account", id) { Name = "b" }));
            Assert.That(new EntityReference("account", id), Is.Not.EqualTo(new EntityReference("contact", id)));
            Assert.That(new Relationship("r") { PrimaryEntityRole = EntityRole.Referenced }, Is.Not.EqualTo(new Relationship("r")));
        }

        [Test]
        public void AttributeCollection_IsCaseSensitive_AndRejectsADuplicateAdd()
        {
            var attributes = new AttributeCollection { { "name", "a" } };
            Assert.That(attributes.Contains("Name"), Is.False);
            Assert.Throws<ArgumentException>(() => attributes.Add("name", "b"));
        }

        [Test]
        public void ParameterCollection_TypedReads()
        {
            var p = new ParameterCollection { ["Target"] = new Entity("account") };
            p.AddOrUpdateIfNotNull("Skip", null);
            Assert.That(p.TryGetValue("Target", out Entity target), Is.True);
            Assert.That(target.LogicalName, Is.EqualTo("account"));
            Assert.That(p.TryGetValue("Target", out EntityReference _), Is.False);
            Assert.That(p.Contains("Skip"), Is.False);
        }

        [Test]
        public void DataCollection_AddRangeAndToArray()
        {
            var columns = new ColumnSet("a");
            columns.Columns.AddRange("b", "c");
            columns.AddColumns("d");
            Assert.That(columns.Columns.ToArray(), Is.EqualTo(new[] { "a", "b", "c", "d" }));
        }

        [Test]
        public void QueryExpression_HasTheSdksDefaults()
        {
            var q = new QueryExpression("account");
            Assert.That(q.Criteria.FilterOperator, Is.EqualTo(LogicalOperator.And));
            Assert.That(q.ColumnSet.AllColumns, Is.False);
            Assert.That(q.ColumnSet.Columns, Is.Empty);
            Assert.That(q.PageInfo, Is.Not.Null);
            Assert.That(q.TopCount, Is.Null);
        }

        [Test]
        public void Conditions_KeepTheirValues()
        {
            var filter = new FilterExpression();
            filter.AddCondition("statecode", ConditionOperator.In, 0, 1);
            filter.AddCondition(new ConditionExpression("name", ConditionOperator.Null));
            var child = filter.AddFilter(LogicalOperator.Or);
            Assert.That(filter.Conditions[0].Values, Is.EqualTo(new object[] { 0, 1 }));
            Assert.That(filter.Conditions[1].Values, Is.Empty);
            Assert.That(new ConditionExpression("x", ConditionOperator.In, (System.Collections.ICollection)new[] { 1, 2 }).Values, Is.EqualTo(new object[] { 1, 2 }));
            Assert.That(filter.Filters.Single(), Is.SameAs(child));
        }

        // https://learn.microsoft.com/power-apps/developer/data-platform/org-service/queryexpression/join-tables asks a
        // nested link's LinkFromEntityName to be its parent's LinkToEntityName, but Microsoft's LinkEntity.AddLink (9.0.2.56)
        // copies the parent's own LinkFromEntityName, and queries built that way run in Dataverse: the emulator takes both
        // (tests/Emulator.Tests/Query/LinkEntityTests.cs).
        [Test]
        public void AddLink_LinksFromTheQuerysTable_AndANestedAddLink_FromTheParentsFromTable()
        {
            var q = new QueryExpression("contact");
            var link = q.AddLink("account", "parentcustomerid", "accountid");
            var nested = link.AddLink("systemuser", "ownerid", "systemuserid", JoinOperator.LeftOuter);
            Assert.That((link.LinkFromEntityName, link.LinkToEntityName, link.JoinOperator), Is.EqualTo(("contact", "account", JoinOperator.Inner)));
            Assert.That((nested.LinkFromEntityName, nested.LinkToEntityName, nested.JoinOperator), Is.EqualTo(("contact", "systemuser", JoinOperator.LeftOuter)));
            Assert.That(link.LinkEntities.Single(), Is.SameAs(nested));
        }

        // https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.query.querybyattribute.columnset: a plain get/set
        // [DataMember]; a new QueryByAttribute has neither ColumnSet nor PageInfo (the platform then returns the id only).
        [Test]
        public void QueryByAttribute_LeavesColumnSetAndPageInfoNull()
        {
            var q = new QueryByAttribute("account");

            Assert.That(q.ColumnSet, Is.Null);
            Assert.That(q.PageInfo, Is.Null);
        }

        [Test]
        public void QueryExpression_ColumnSetCriteriaAndPageInfo_SetToNull_StayNull()
        {
            var q = new QueryExpression("account") { ColumnSet = null, Criteria = null, PageInfo = null };

            Assert.That((q.ColumnSet, q.Criteria, q.PageInfo), Is.EqualTo(((ColumnSet?)null, (FilterExpression?)null, (PagingInfo?)null)));
        }

        [Test]
        public void LinkEntity_ColumnsAreNeverNull_ButLinkCriteriaSetToNullStaysNull()
        {
            var link = new LinkEntity { Columns = null, LinkCriteria = null };

            Assert.That(link.Columns, Is.Not.Null);
            Assert.That(link.Columns?.Columns, Is.Empty);
            Assert.That(link.LinkCriteria, Is.Null);
            Assert.That(new LinkEntity().LinkCriteria, Is.Not.Null);
        }

        // https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.query.filterexpression.addcondition: the overloads with
        // compareColumns, where value is "the logical name of a column to compare". The same source must bind to them.
        [Test]
        public void AddCondition_WithCompareColumns_ComparesWithTheOtherColumn()
        {
            var filter = new FilterExpression();

            filter.AddCondition("estimatedvalue", ConditionOperator.GreaterThan, true, "budgetamount");
            filter.AddCondition("opportunity", "actualvalue", ConditionOperator.LessThan, true, "estimatedvalue");

            var (own, linked) = (filter.Conditions[0], filter.Conditions[1]);
            Assert.That((own.AttributeName, own.CompareColumns, own.EntityName), Is.EqualTo(("estimatedvalue", true, (string?)null)));
            Assert.That(own.Values, Is.EqualTo(new object[] { "budgetamount" }));
            Assert.That((linked.EntityName, linked.CompareColumns, linked.Values.Single()), Is.EqualTo(("opportunity", true, (object)"estimatedvalue")));
        }

        // https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.query.queryexpression.addorder
        [Test]
        public void AddOrder_WithAliasAndEntityName_KeepsBoth()
        {
            var q = new QueryExpression("opportunity");

            q.AddOrder("fullname", OrderType.Descending, "owner", "systemuser");

            var order = q.Orders.Single();
            Assert.That((order.AttributeName, order.OrderType, order.Alias, order.EntityName), Is.EqualTo(("fullname", OrderType.Descending, "owner", "systemuser")));
        }

        [Test]
        public void QueryByAttribute_PairsAttributesAndValues()
        {
            var q = new QueryByAttribute("account");
            q.AddAttributeValue("name", "Contoso");
            Assert.That((q.Attributes.Single(), q.Values.Single()), Is.EqualTo(("name", (object)"Contoso")));
        }

        [Test]
        public void InvalidPluginExecutionException_KeepsStatusCodeAndMessage()
        {
            var ex = new InvalidPluginExecutionException(OperationStatus.Retry, 42, "try later", PluginHttpStatusCode.ServiceUnavailable);
            Assert.That((ex.Status, ex.ErrorCode, ex.Message, ex.HttpStatus), Is.EqualTo((OperationStatus.Retry, 42, "try later", PluginHttpStatusCode.ServiceUnavailable)));
            Assert.That(new InvalidPluginExecutionException("x").Status, Is.EqualTo(OperationStatus.Failed));
        }

        // https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.invalidpluginexecutionexception.errorcode ("the numeric
        // code that identifies a specific error condition"): in Microsoft's SDK it is the exception's HResult, so without a
        // code (or with 0) it is Exception's own COR_E_EXCEPTION 0x80131500, never 0.
        [Test]
        public void InvalidPluginExecutionException_ErrorCode_IsTheHResult()
        {
            const int CorEException = unchecked((int)0x80131500);
            Assert.That(new InvalidPluginExecutionException("refused").ErrorCode, Is.EqualTo(CorEException));
            Assert.That(new InvalidPluginExecutionException("refused", new InvalidOperationException("inner")).ErrorCode, Is.EqualTo(CorEException));
            Assert.That(new InvalidPluginExecutionException(OperationStatus.Failed, 0, "refused").ErrorCode, Is.EqualTo(CorEException));
            var coded = new InvalidPluginExecutionException(OperationStatus.Failed, unchecked((int)0x80040265), "refused");
            Assert.That((coded.ErrorCode, coded.HResult), Is.EqualTo((unchecked((int)0x80040265), unchecked((int)0x80040265))));
        }

        // https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.entityreference.equals; with alternate keys Microsoft's
        // compares them too (the same columns and values, in any order), and the hash follows.
        [Test]
        public void EntityReference_Equals_ComparesAlternateKeys()
        {
            var byKey = new EntityReference("account", "accountnumber", "A-1");

            Assert.That(byKey, Is.EqualTo(new EntityReference("account", "accountnumber", "A-1")));
            Assert.That(byKey.GetHashCode(), Is.EqualTo(new EntityReference("account", "accountnumber", "A-1").GetHashCode()));
            Assert.That(byKey, Is.Not.EqualTo(new EntityReference("account", "accountnumber", "A-2")));
            Assert.That(byKey, Is.Not.EqualTo(new EntityReference("account")));
            var twoKeys = new EntityReference("account") { KeyAttributes = { ["a"] = 1, ["b"] = 2 } };
            Assert.That(twoKeys, Is.EqualTo(new EntityReference("account") { KeyAttributes = { ["b"] = 2, ["a"] = 1 } }));
            Assert.That(twoKeys, Is.Not.EqualTo(new EntityReference("account") { KeyAttributes = { ["a"] = 1 } }));
        }

        // https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.entity.getattributevalue
        [TestCase(null)]
        [TestCase("")]
        [TestCase(" ")]
        public void GetAttributeValue_WithoutAName_ThrowsArgumentNull(string? name) =>
            Assert.Throws<ArgumentNullException>(() => new Entity("account").GetAttributeValue<string>(name!));

        [Test]
        public void TryGetAttributeValue_OfANullName_IsFalse() =>
            Assert.That(new Entity("account").TryGetAttributeValue<string>(null!, out _), Is.False);

        // Protected internal in Microsoft's SDK (protected for ParameterCollection): a plugin calling them fails in
        // Dataverse with MethodAccessException, so no code here may.
        [TestCase(typeof(AttributeCollection), typeof(IDictionary<string, object>), true)]
        [TestCase(typeof(KeyAttributeCollection), typeof(IDictionary<string, object>), true)]
        [TestCase(typeof(FormattedValueCollection), typeof(IDictionary<string, string>), true)]
        [TestCase(typeof(EntityImageCollection), typeof(IDictionary<string, Entity>), true)]
        [TestCase(typeof(ParameterCollection), typeof(IDictionary<string, object>), false)]
        public void DictionaryConstructors_AreNotPublic(Type collection, Type dictionary, bool internalToo)
        {
            var constructor = collection.GetConstructor(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic, null, new[] { dictionary }, null);

            Assert.That(constructor, Is.Not.Null, "no non-public constructor taking " + dictionary.Name);
            Assert.That(internalToo ? constructor!.IsFamilyOrAssembly : constructor!.IsFamily, Is.True);
            Assert.That(collection.GetConstructor(new[] { dictionary }), Is.Null);
        }

        [Test]
        public void Messages_NameThemselvesAndKeepTheirParameters()
        {
            var target = new Entity("account");
            var create = new CreateRequest { Target = target };
            Assert.That(create.RequestName, Is.EqualTo("Create"));
            Assert.That(create.Parameters["Target"], Is.SameAs(target));
            Assert.That(new RetrieveRequest().ColumnSet, Is.Null);
            Assert.That(new WinOpportunityRequest().RequestName, Is.EqualTo("WinOpportunity"));
            Assert.That(new UpdateRequest().ConcurrencyBehavior, Is.EqualTo(ConcurrencyBehavior.Default));
            var response = new CreateResponse();
            response.Results["id"] = Guid.Empty;
            Assert.That(response.id, Is.EqualTo(Guid.Empty));
        }

        [Test]
        public void ServiceProviderExtensions_ReadTheProvider()
        {
            var tracing = new Tracer();
            IServiceProvider provider = new Provider(tracing);
            Assert.That(provider.Get<ITracingService>(), Is.SameAs(tracing));
            Assert.That(provider.Get<IOrganizationServiceFactory>(), Is.Null);
        }

        private sealed class Tracer : ITracingService
        {
            public void Trace(string format, params object[] args) { }
        }

        private sealed class Provider : IServiceProvider
        {
            private readonly object _service;
            public Provider(object service) => _service = service;
            public object? GetService(Type serviceType) => serviceType.IsInstanceOfType(_service) ? _service : null;
        }
    }
}
