using System;
using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;
using NUnit.Framework;

namespace CrmPlugins.Emulator.Tests.Fidelity
{
    /// <summary>
    /// What Dataverse does with the columns a Create or Update sends:
    /// a lookup to a row that does not exist fails with ObjectDoesNotExist 0x80040217 "{table} With Id = {id} Does Not Exist"
    /// (https://learn.microsoft.com/power-apps/developer/data-platform/reference/web-service-error-codes; FakeXrmEasy accepts it
    /// unless told otherwise: jordimontana82/fake-xrm-easy issue 204, DynamicsValue/fake-xrm-easy issues 88 and 214);
    /// columns that are not IsValidForCreate / IsValidForUpdate (createdon, createdby, modifiedon, modifiedby, versionnumber,
    /// the computed *_base money columns: https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/opportunity)
    /// are ignored, and overriddencreatedon ("Date and time that the record was migrated", valid for create only, same table
    /// reference) sets createdon on create;
    /// a Retrieve by an alternate key that matches nothing fails with "A record with the specified key values does not exist in
    /// {table} entity" (reported from Dataverse in jordimontana82/fake-xrm-easy issue 470 and daryllabar/XrmUnitTest issue 115).
    /// </summary>
    public class WriteValidationTests
    {
        private static readonly DateTime Now = new(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc);
        private XrmOrganization _org = null!;
        private IOrganizationService _service = null!;

        [SetUp]
        public void SetUp()
        {
            _org = new XrmOrganization { UtcNow = Now };
            _service = _org.GetOrganizationService();
        }

        [Test]
        public void Create_WithALookupToAMissingRow_FailsWithObjectDoesNotExist()
        {
            var missing = Guid.NewGuid();

            var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() =>
                _service.Create(new Entity("opportunity") { ["name"] = "Contoso", ["parentaccountid"] = new EntityReference("account", missing) }))!;

            Assert.That(fault.Detail.ErrorCode, Is.EqualTo(unchecked((int)0x80040217)));
            Assert.That(fault.Detail.Message, Is.EqualTo($"account With Id = {missing} Does Not Exist"));
            Assert.That(_org.All("opportunity"), Is.Empty);
        }

        [Test]
        public void Update_WithALookupToAMissingRow_FailsAndLeavesTheRowAsItWas()
        {
            var account = _service.Create(new Entity("account") { ["name"] = "Contoso" });
            var id = _service.Create(new Entity("opportunity") { ["name"] = "Deal", ["parentaccountid"] = new EntityReference("account", account) });

            Assert.Throws<FaultException<OrganizationServiceFault>>(() =>
                _service.Update(new Entity("opportunity", id) { ["parentaccountid"] = new EntityReference("account", Guid.NewGuid()) }));

            Assert.That(_org.Get("opportunity", id)!.GetAttributeValue<EntityReference>("parentaccountid").Id, Is.EqualTo(account));
        }

        [Test]
        public void Create_WithALookupGivenByAlternateKey_PointsToThatRow()
        {
            var account = _service.Create(new Entity("account") { ["name"] = "Contoso", ["accountnumber"] = "A-1" });

            var id = _service.Create(new Entity("opportunity") { ["name"] = "Deal", ["parentaccountid"] = new EntityReference("account", "accountnumber", "A-1") });

            Assert.That(_org.Get("opportunity", id)!.GetAttributeValue<EntityReference>("parentaccountid").Id, Is.EqualTo(account));
        }

        [Test]
        public void Create_WithAuditAndVersionColumns_IgnoresThem()
        {
            var someoneElse = new EntityReference("systemuser", Guid.NewGuid());

            var id = _service.Create(new Entity("account")
            {
                ["name"] = "Contoso",
                ["createdon"] = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc),
                ["modifiedon"] = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc),
                ["createdby"] = someoneElse,
                ["versionnumber"] = 1L,
            });

            var row = _org.Get("account", id)!;
            Assert.That(row.GetAttributeValue<DateTime>("createdon"), Is.EqualTo(Now));
            Assert.That(row.GetAttributeValue<DateTime>("modifiedon"), Is.EqualTo(Now));
            Assert.That(row.GetAttributeValue<EntityReference>("createdby").Id, Is.EqualTo(_org.AdministratorId));
            Assert.That(row.GetAttributeValue<long>("versionnumber"), Is.GreaterThan(1L));
        }

        [Test]
        public void Create_WithOverriddenCreatedOn_SetsCreatedOn()
        {
            var migrated = new DateTime(2019, 5, 1, 8, 0, 0, DateTimeKind.Utc);

            var id = _service.Create(new Entity("account") { ["name"] = "Contoso", ["overriddencreatedon"] = migrated });

            var row = _org.Get("account", id)!;
            Assert.That((row.GetAttributeValue<DateTime>("createdon"), row.GetAttributeValue<DateTime>("overriddencreatedon")), Is.EqualTo((migrated, migrated)));
        }

        [Test]
        public void Update_OfCreatedOnOrOverriddenCreatedOn_IsIgnored()
        {
            var id = _service.Create(new Entity("account") { ["name"] = "Contoso" });

            _service.Update(new Entity("account", id)
            {
                ["name"] = "Contoso Ltd",
                ["createdon"] = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc),
                ["overriddencreatedon"] = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            });

            var row = _org.Get("account", id)!;
            Assert.That((row["name"], row.GetAttributeValue<DateTime>("createdon"), row.Contains("overriddencreatedon")), Is.EqualTo(("Contoso Ltd", Now, false)));
        }

        [Test]
        public void Update_OfABaseMoneyColumn_IsIgnoredAndTheBaseAmountStaysComputed()
        {
            var id = _service.Create(new Entity("opportunity") { ["name"] = "Deal", ["estimatedvalue"] = new Money(1_000m) });

            _service.Update(new Entity("opportunity", id) { ["estimatedvalue_base"] = new Money(5m) });

            Assert.That(_org.Get("opportunity", id)!.GetAttributeValue<Money>("estimatedvalue_base").Value, Is.EqualTo(1_000m));
        }

        [Test]
        public void Retrieve_ByAnAlternateKeyThatMatchesNothing_FailsWithTheNotFoundByKeyFault()
        {
            _service.Create(new Entity("account") { ["name"] = "Contoso", ["accountnumber"] = "A-1" });

            var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() => _service.Execute(new RetrieveRequest
            {
                Target = new EntityReference("account", "accountnumber", "Z-9"),
                ColumnSet = new ColumnSet("name"),
            }))!;

            Assert.That(fault.Detail.ErrorCode, Is.EqualTo(unchecked((int)0x80040217)));
            Assert.That(fault.Detail.Message, Is.EqualTo("A record with the specified key values does not exist in account entity"));
        }

        [Test]
        public void Retrieve_ByAnAlternateKey_ReturnsTheRow()
        {
            var id = _service.Create(new Entity("account") { ["name"] = "Contoso", ["accountnumber"] = "A-1" });

            var response = (RetrieveResponse)_service.Execute(new RetrieveRequest
            {
                Target = new EntityReference("account", "accountnumber", "A-1"),
                ColumnSet = new ColumnSet("name"),
            });

            Assert.That((response.Entity.Id, response.Entity["name"]), Is.EqualTo((id, "Contoso")));
        }
    }
}
