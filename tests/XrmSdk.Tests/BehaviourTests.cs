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
    /// <summary>The stand-in behaves as Microsoft's SDK where a plugin or test can observe it.</summary>
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

        [Test]
        public void ToEntityReference_CarriesNameAndId_AndNeedsALogicalName()
        {
            var id = Guid.NewGuid();
            Assert.That(new Entity("account", id).ToEntityReference(), Is.EqualTo(new EntityReference("account", id)));
            Assert.Throws<NotSupportedException>(() => new Entity().ToEntityReference());
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

        [Test]
        public void LogicalName_CannotBeChangedOnceSet()
        {
            var e = new Entity("account");
            Assert.Throws<NotSupportedException>(() => e.LogicalName = "contact");
            e.LogicalName = "account";
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

        [Test]
        public void AddLink_LinksFromTheQuerysTable()
        {
            var q = new QueryExpression("contact");
            var link = q.AddLink("account", "parentcustomerid", "accountid");
            var nested = link.AddLink("systemuser", "ownerid", "systemuserid", JoinOperator.LeftOuter);
            Assert.That((link.LinkFromEntityName, link.LinkToEntityName, link.JoinOperator), Is.EqualTo(("contact", "account", JoinOperator.Inner)));
            Assert.That(nested.LinkFromEntityName, Is.EqualTo("account"));
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
