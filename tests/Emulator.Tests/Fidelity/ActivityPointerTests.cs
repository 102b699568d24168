using System;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using NUnit.Framework;

namespace CrmPlugins.Emulator.Tests.Fidelity
{
    /// <summary>
    /// The Activity table (activitypointer) holds every activity of every activity table, keyed by activityid, with the
    /// read-only string column activitytypecode naming the kind; it offers Retrieve and RetrieveMultiple, so one query reads
    /// activities of every type at once (https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/activitypointer:
    /// PrimaryIdAttribute activityid, messages Retrieve/RetrieveMultiple/Rollup, activitytypecode "Type of activity", read-only).
    /// </summary>
    public class ActivityPointerTests
    {
        private static readonly DateTime Now = new(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc);
        private XrmOrganization _org = null!;
        private IOrganizationService _service = null!;
        private EntityReference _account = null!;

        [SetUp]
        public void SetUp()
        {
            _org = new XrmOrganization { UtcNow = Now };
            _service = _org.GetOrganizationService();
            _account = new EntityReference("account", _service.Create(new Entity("account") { ["name"] = "Contoso" }));
        }

        private Guid Activity(string table, DateTime end, EntityReference regarding) =>
            _service.Create(new Entity(table) { ["subject"] = table, ["regardingobjectid"] = regarding, ["actualend"] = end });

        [Test]
        public void RetrieveMultiple_OnActivityPointer_ReturnsTheActivitiesOfEveryTable_WithTheirType()
        {
            var call = Activity("phonecall", Now.AddDays(-3), _account);
            var task = Activity("task", Now.AddDays(-1), _account);

            var rows = _service.RetrieveMultiple(new QueryExpression("activitypointer") { ColumnSet = new ColumnSet("activityid", "activitytypecode", "subject") }).Entities;

            Assert.That(rows.Select(r => (r.Id, r.GetAttributeValue<string>("activitytypecode"))), Is.EquivalentTo(new[] { (call, "phonecall"), (task, "task") }));
            Assert.That(rows.All(r => r.LogicalName == "activitypointer"));
        }

        [Test]
        public void AggregateOnActivityPointer_GivesTheLatestActivityPerRegardingRowAndType_InOneQuery()
        {
            var other = new EntityReference("account", _service.Create(new Entity("account") { ["name"] = "Fabrikam" }));
            Activity("phonecall", Now.AddDays(-9), _account);
            Activity("phonecall", Now.AddDays(-2), _account);
            Activity("email", Now.AddDays(-5), _account);
            Activity("task", Now.AddDays(-1), other);

            var fetch = "<fetch aggregate='true'><entity name='activitypointer'>" +
                        "<attribute name='actualend' alias='last' aggregate='max' />" +
                        "<attribute name='regardingobjectid' alias='about' groupby='true' />" +
                        "<attribute name='activitytypecode' alias='kind' groupby='true' />" +
                        $"<filter><condition attribute='regardingobjectid' operator='in'><value>{_account.Id}</value></condition></filter>" +
                        "</entity></fetch>";
            var rows = _service.RetrieveMultiple(new FetchExpression(fetch)).Entities;

            Assert.That(rows.Select(r => ((string)r.GetAttributeValue<AliasedValue>("kind").Value, (DateTime)r.GetAttributeValue<AliasedValue>("last").Value)),
                Is.EquivalentTo(new[] { ("phonecall", Now.AddDays(-2)), ("email", Now.AddDays(-5)) }));
        }

        [Test]
        public void ConditionsOnActivityPointer_ByTypeAndByRegardingRow_FindTheSameActivitiesAsTheirTables()
        {
            var other = new EntityReference("account", _service.Create(new Entity("account") { ["name"] = "Fabrikam" }));
            var call = Activity("phonecall", Now.AddDays(-3), _account);
            var email = Activity("email", Now.AddDays(-2), _account);
            var task = Activity("task", Now.AddDays(-1), other);

            Guid[] Ids(string attribute, params object[] values)
            {
                var query = new QueryExpression("activitypointer") { ColumnSet = new ColumnSet("activityid") };
                query.Criteria.AddCondition(attribute, ConditionOperator.In, values);
                return _service.RetrieveMultiple(query).Entities.Select(r => r.Id).ToArray();
            }

            Assert.That(Ids("activitytypecode", "phonecall", "email"), Is.EquivalentTo(new[] { call, email }));
            Assert.That(Ids("activitytypecode", "PhoneCall"), Is.EquivalentTo(new[] { call }), "text compared as Dataverse compares it, case-insensitively");
            Assert.That(Ids("regardingobjectid", _account.Id, other.Id), Is.EquivalentTo(new[] { call, email, task }));
            Assert.That(Ids("regardingobjectid", other.Id), Is.EquivalentTo(new[] { task }));
        }

        [Test]
        public void ActivityPointer_IsAViewOfTheActivities_ItsRowsAreNotTheStoresOwn()
        {
            var call = Activity("phonecall", Now.AddDays(-3), _account);
            var row = _service.RetrieveMultiple(new QueryExpression("activitypointer") { ColumnSet = new ColumnSet(true) }).Entities.Single();

            row["subject"] = "changed by the caller";

            Assert.That(_service.Retrieve("phonecall", call, new ColumnSet("subject")).GetAttributeValue<string>("subject"), Is.EqualTo("phonecall"));
        }
    }
}
