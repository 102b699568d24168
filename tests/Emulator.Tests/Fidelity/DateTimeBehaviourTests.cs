using System;
using System.ServiceModel;
using CrmPlugins.SolutionModel;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using NUnit.Framework;

namespace CrmPlugins.Emulator.Tests.Fidelity
{
    /// <summary>
    /// Date and time columns behave as Microsoft documents in "Configure the behavior and format of the date and time column
    /// using code" (https://learn.microsoft.com/power-apps/developer/data-platform/behavior-format-date-time-attribute):
    /// UserLocal stores UTC and returns UTC, converting a value that is not UTC; DateOnly stores the date with no time;
    /// TimeZoneIndependent stores the value as given; every column supports values from 1/1/1753 12:00 AM. The behaviour
    /// numbers (1 UserLocal, 2 DateOnly, 3 TimeZoneIndependent) are DateTimeBehavior's
    /// (https://learn.microsoft.com/previous-versions/dynamicscrm-2015/crm.7/dn932943(v=crm.7)). Users reported FakeXrmEasy
    /// getting these wrong: jordimontana82/fake-xrm-easy issues 491 (UTC set, not converted) and 458 (DateOnly Kind).
    /// </summary>
    public class DateTimeBehaviourTests
    {
        private XrmOrganization _org = null!;
        private IOrganizationService _service = null!;

        [SetUp]
        public void SetUp()
        {
            _org = new XrmOrganization { UtcNow = new DateTime(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc) };
            _org.Metadata.Declare(new TableMetadata("new_booking", OwnershipType.UserOwned, primaryNameAttribute: "new_name"))
                .WithColumn("new_name", ColumnType.String)
                .WithColumn(new ColumnMetadata("new_start", ColumnType.DateTime) { Behavior = DateTimeBehavior.UserLocal })
                .WithColumn(new ColumnMetadata("new_birthday", ColumnType.DateTime) { Behavior = DateTimeBehavior.DateOnly, Format = DateTimeFormat.DateOnly })
                .WithColumn(new ColumnMetadata("new_checkin", ColumnType.DateTime) { Behavior = DateTimeBehavior.TimeZoneIndependent });
            _service = _org.GetOrganizationService();
        }

        private Entity Saved(Entity row) => _service.Retrieve(row.LogicalName, _service.Create(row), new ColumnSet(true));

        [Test]
        public void Create_UserLocalColumnWithALocalTime_IsStoredAndReturnedAsTheSameInstantInUtc()
        {
            var local = new DateTime(2026, 3, 14, 15, 30, 0, DateTimeKind.Local);

            var value = Saved(new Entity("new_booking") { ["new_start"] = local }).GetAttributeValue<DateTime>("new_start");

            Assert.That((value.Kind, value), Is.EqualTo((DateTimeKind.Utc, local.ToUniversalTime())));
        }

        [Test]
        public void Create_UserLocalColumnWithAnUnspecifiedTime_IsReadInTheUsersZoneAndReturnedAsUtc()
        {
            // The emulated user's time zone is UTC, so the clock time is kept and the value comes back marked UTC.
            var value = Saved(new Entity("new_booking") { ["new_start"] = new DateTime(2026, 3, 14, 15, 30, 0, DateTimeKind.Unspecified) })
                .GetAttributeValue<DateTime>("new_start");

            Assert.That((value.Kind, value.Hour, value.Minute), Is.EqualTo((DateTimeKind.Utc, 15, 30)));
        }

        [Test]
        public void Create_DateOnlyColumnWithATime_DropsTheTime()
        {
            var value = Saved(new Entity("new_booking") { ["new_birthday"] = new DateTime(1990, 6, 1, 23, 45, 0, DateTimeKind.Utc) })
                .GetAttributeValue<DateTime>("new_birthday");

            Assert.That((value, value.Kind), Is.EqualTo((new DateTime(1990, 6, 1), DateTimeKind.Unspecified)));
        }

        [Test]
        public void Update_TimeZoneIndependentColumn_KeepsTheClockTimeAsGiven()
        {
            var id = _service.Create(new Entity("new_booking") { ["new_name"] = "Room 12" });

            _service.Update(new Entity("new_booking", id) { ["new_checkin"] = new DateTime(2026, 7, 1, 14, 0, 0, DateTimeKind.Local) });

            var value = _service.Retrieve("new_booking", id, new ColumnSet("new_checkin")).GetAttributeValue<DateTime>("new_checkin");
            Assert.That((value.Hour, value.Kind), Is.EqualTo((14, DateTimeKind.Unspecified)));
        }

        [Test]
        public void Create_DateBefore1753_FailsWithThePlatformsOutOfRangeFault()
        {
            // The platform's code and message as a real environment answered (github.com/microsoft/coe-starter-kit issue 6417).
            var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() =>
                _service.Create(new Entity("new_booking") { ["new_start"] = DateTime.MinValue }))!;

            Assert.That(fault.Detail.ErrorCode, Is.EqualTo(unchecked((int)0x80040239)));
            Assert.That(fault.Detail.Message, Is.EqualTo(
                "DateTime is less than minumum value supported by CrmDateTime. Actual value: 01/01/0001 00:00:00, Minimum value supported: 01/01/1753 00:00:00"));
        }

        [Test]
        public void Create_DateBefore1753OnAnUndeclaredTable_FailsToo()
        {
            Assert.Throws<FaultException<OrganizationServiceFault>>(() =>
                _service.Create(new Entity("account") { ["name"] = "Contoso", ["new_founded"] = new DateTime(1700, 1, 1) }));
            Assert.DoesNotThrow(() => _service.Create(new Entity("account") { ["name"] = "Contoso", ["new_founded"] = new DateTime(1753, 1, 1) }));
        }

        [TestCase(ConditionOperator.OlderThanXHours)]
        [TestCase(ConditionOperator.OlderThanXMinutes)]
        [TestCase(ConditionOperator.LastXHours)]
        [TestCase(ConditionOperator.NextXHours)]
        public void RetrieveMultiple_HourOrMinuteOperatorOnADateOnlyColumn_IsRefused(ConditionOperator op)
        {
            var query = new QueryExpression("new_booking") { ColumnSet = new ColumnSet("new_name") };
            query.Criteria.AddCondition("new_birthday", op, 3);

            var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() => _service.RetrieveMultiple(query))!;

            Assert.That(fault.Detail.ErrorCode, Is.EqualTo(unchecked((int)0x80041120)));
            Assert.That(fault.Detail.Message, Does.Contain("new_birthday").And.Contain("DateOnly"));
        }

        [Test]
        public void RetrieveMultiple_HourOperatorOnAUserLocalColumn_Runs()
        {
            _service.Create(new Entity("new_booking") { ["new_name"] = "early", ["new_start"] = _org.UtcNow.AddHours(-5) });
            _service.Create(new Entity("new_booking") { ["new_name"] = "recent", ["new_start"] = _org.UtcNow.AddHours(-1) });
            var query = new QueryExpression("new_booking") { ColumnSet = new ColumnSet("new_name") };
            query.Criteria.AddCondition("new_start", ConditionOperator.OlderThanXHours, 3);

            var rows = _service.RetrieveMultiple(query).Entities;

            Assert.That(rows, Has.Count.EqualTo(1));
            Assert.That(rows[0]["new_name"], Is.EqualTo("early"));
        }

        [Test]
        public void ImportSolution_TakesEachDateColumnsBehaviourAndFormatFromEntityXml()
        {
            var folder = SolutionSource.FindInRepository();
            if (folder == null) Assert.Ignore("The repository's Solution/ folder is not above the test folder.");
            SolutionImport.DeclareTables(_org, SolutionSource.Load(folder!));

            // Entity.xml: dr_capacity.dr_month is <Format>date</Format> <Behavior>3</Behavior>; opportunity.dr_riskevaluatedon
            // is <Format>datetime</Format> <Behavior>1</Behavior>.
            var month = _org.Metadata.Table("dr_capacity").Columns["dr_month"];
            var evaluated = _org.Metadata.Table("opportunity").Columns["dr_riskevaluatedon"];
            Assert.That((month.Behavior, month.Format), Is.EqualTo(((DateTimeBehavior?)DateTimeBehavior.TimeZoneIndependent, (DateTimeFormat?)DateTimeFormat.DateOnly)));
            Assert.That((evaluated.Behavior, evaluated.Format), Is.EqualTo(((DateTimeBehavior?)DateTimeBehavior.UserLocal, (DateTimeFormat?)DateTimeFormat.DateAndTime)));
        }
    }
}
