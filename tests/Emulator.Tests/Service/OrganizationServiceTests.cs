using System;
using System.Linq;
using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using NUnit.Framework;

namespace CrmPlugins.Emulator.Tests.Service
{
    public class OrganizationServiceTests
    {
        private static readonly DateTime Now = new(2026, 11, 2, 9, 30, 0, DateTimeKind.Utc);
        private XrmOrganization _org = null!;
        private IOrganizationService _service = null!;

        [SetUp]
        public void SetUp()
        {
            _org = new XrmOrganization { UtcNow = Now };
            _service = _org.GetOrganizationService();
        }

        [Test]
        public void Create_WithoutId_AssignsIdAndFillsPlatformColumns()
        {
            var id = _service.Create(new Entity("account") { ["name"] = "Contoso" });

            var row = _org.Get("account", id)!;
            Assert.Multiple(() =>
            {
                Assert.That(id, Is.Not.EqualTo(Guid.Empty));
                Assert.That(row["accountid"], Is.EqualTo(id));
                Assert.That(row["createdon"], Is.EqualTo(Now));
                Assert.That(row["modifiedon"], Is.EqualTo(Now));
                Assert.That(row.GetAttributeValue<EntityReference>("createdby").Id, Is.EqualTo(_org.AdministratorId));
                Assert.That(row.GetAttributeValue<EntityReference>("modifiedby").Id, Is.EqualTo(_org.AdministratorId));
                Assert.That(row.GetAttributeValue<EntityReference>("ownerid"), Is.EqualTo(new EntityReference("systemuser", _org.AdministratorId)));
                Assert.That(row.GetAttributeValue<EntityReference>("owningbusinessunit").Id, Is.EqualTo(_org.RootBusinessUnitId));
                Assert.That(row.GetAttributeValue<OptionSetValue>("statecode"), Is.EqualTo(new OptionSetValue(0)));
                Assert.That(row.GetAttributeValue<OptionSetValue>("statuscode"), Is.EqualTo(new OptionSetValue(1)));
            });
        }

        [Test]
        public void Create_WithGivenId_KeepsIt()
        {
            var id = Guid.NewGuid();
            Assert.That(_service.Create(new Entity("account", id)), Is.EqualTo(id));
        }

        [Test]
        public void Create_WithDuplicateId_FaultsWithDuplicateRecord()
        {
            var id = _service.Create(new Entity("account"));

            var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() => _service.Create(new Entity("account", id)))!;
            Assert.That(fault.Detail.ErrorCode, Is.EqualTo(ErrorCodes.DuplicateRecord));
        }

        [Test]
        public void Create_DoesNotChangeTheCallersEntity()
        {
            var account = new Entity("account") { ["name"] = "Contoso" };
            _service.Create(account);
            Assert.That(account.Id, Is.EqualTo(Guid.Empty));
            Assert.That(account.Attributes.Keys, Is.EquivalentTo(new[] { "name" }));
        }

        [Test]
        public void Retrieve_ReturnsOnlyRequestedNonNullColumnsAndTheId()
        {
            var id = _service.Create(new Entity("account") { ["name"] = "Contoso", ["telephone1"] = null, ["revenue"] = new Money(10m) });

            var row = _service.Retrieve("account", id, new ColumnSet("name", "telephone1"));

            Assert.That(row.Id, Is.EqualTo(id));
            Assert.That(row.Attributes.Keys, Is.EquivalentTo(new[] { "name", "accountid" }));
        }

        [Test]
        public void Retrieve_Missing_FaultsWithObjectDoesNotExist()
        {
            var id = Guid.NewGuid();
            var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() => _service.Retrieve("account", id, new ColumnSet(true)))!;
            Assert.That(fault.Detail.ErrorCode, Is.EqualTo(ErrorCodes.ObjectDoesNotExist));
            Assert.That(fault.Detail.Message, Is.EqualTo($"account With Id = {id} Does Not Exist"));
        }

        [Test]
        public void Retrieve_ReturnsACopy_NotTheStoredRow()
        {
            var contactId = _service.Create(new Entity("contact") { ["lastname"] = "Adams" });
            var id = _service.Create(new Entity("account") { ["name"] = "Contoso", ["primarycontactid"] = new EntityReference("contact", contactId) });

            var first = _service.Retrieve("account", id, new ColumnSet(true));
            first["name"] = "changed";
            first.GetAttributeValue<EntityReference>("primarycontactid").Id = Guid.Empty;

            var second = _service.Retrieve("account", id, new ColumnSet(true));
            Assert.That(second["name"], Is.EqualTo("Contoso"));
            Assert.That(second.GetAttributeValue<EntityReference>("primarycontactid").Id, Is.Not.EqualTo(Guid.Empty));
            Assert.That(second.GetAttributeValue<EntityReference>("primarycontactid").LogicalName, Is.EqualTo("contact"));
        }

        [Test]
        public void Update_MergesColumnsAndStampsModifiedOn()
        {
            var id = _service.Create(new Entity("account") { ["name"] = "Contoso", ["telephone1"] = "555" });
            _org.UtcNow = Now.AddHours(1);

            _service.Update(new Entity("account", id) { ["telephone1"] = "777" });

            var row = _org.Get("account", id)!;
            Assert.That(row["name"], Is.EqualTo("Contoso"));
            Assert.That(row["telephone1"], Is.EqualTo("777"));
            Assert.That(row["modifiedon"], Is.EqualTo(Now.AddHours(1)));
            Assert.That(row["createdon"], Is.EqualTo(Now));
        }

        [Test]
        public void Update_Missing_FaultsWithObjectDoesNotExist()
        {
            var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() => _service.Update(new Entity("account", Guid.NewGuid()) { ["name"] = "x" }))!;
            Assert.That(fault.Detail.ErrorCode, Is.EqualTo(ErrorCodes.ObjectDoesNotExist));
        }

        [Test]
        public void Delete_RemovesTheRow_AndAMissingRowFaults()
        {
            var id = _service.Create(new Entity("account"));
            _service.Delete("account", id);
            Assert.That(_org.Get("account", id), Is.Null);
            Assert.Throws<FaultException<OrganizationServiceFault>>(() => _service.Delete("account", id));
        }

        [Test]
        public void Money_GetsBaseAmountFromTheRowsExchangeRate()
        {
            var euro = Guid.NewGuid();
            _org.Seed(new Entity("transactioncurrency", euro) { ["isocurrencycode"] = "EUR", ["exchangerate"] = 0.8m });

            var id = _service.Create(new Entity("opportunity")
            {
                ["estimatedvalue"] = new Money(1000m),
                ["transactioncurrencyid"] = new EntityReference("transactioncurrency", euro),
            });

            var row = _org.Get("opportunity", id)!;
            Assert.That(row.GetAttributeValue<Money>("estimatedvalue_base").Value, Is.EqualTo(1250m));
            Assert.That(row.GetAttributeValue<decimal>("exchangerate"), Is.EqualTo(0.8m));
        }

        [Test]
        public void Money_WithoutCurrency_UsesTheBaseCurrency()
        {
            var id = _service.Create(new Entity("opportunity") { ["estimatedvalue"] = new Money(42m) });
            var row = _org.Get("opportunity", id)!;
            Assert.That(row.GetAttributeValue<EntityReference>("transactioncurrencyid").Id, Is.EqualTo(_org.BaseCurrencyId));
            Assert.That(row.GetAttributeValue<Money>("estimatedvalue_base").Value, Is.EqualTo(42m));
        }

        [Test]
        public void Money_WithUnknownCurrency_Faults()
        {
            var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() => _service.Create(new Entity("opportunity")
            {
                ["estimatedvalue"] = new Money(42m),
                ["transactioncurrencyid"] = new EntityReference("transactioncurrency", Guid.NewGuid()),
            }))!;
            Assert.That(fault.Detail.ErrorCode, Is.EqualTo(ErrorCodes.ObjectDoesNotExist));
        }

        [Test]
        public void DeclaredTable_RejectsUnknownColumnsAndWrongTypes()
        {
            _org.Metadata.Declare(new TableMetadata("dr_requirement").WithColumn("dr_name", ColumnType.String).WithColumn("dr_effort", ColumnType.Decimal));

            var unknown = Assert.Throws<FaultException<OrganizationServiceFault>>(() => _service.Create(new Entity("dr_requirement") { ["dr_nmae"] = "typo" }))!;
            var wrongType = Assert.Throws<FaultException<OrganizationServiceFault>>(() => _service.Create(new Entity("dr_requirement") { ["dr_effort"] = "ten" }))!;

            Assert.That(unknown.Detail.ErrorCode, Is.EqualTo(ErrorCodes.QueryBuilderNoAttribute));
            Assert.That(unknown.Detail.Message, Does.Contain("dr_nmae"));
            Assert.That(wrongType.Detail.ErrorCode, Is.EqualTo(ErrorCodes.InvalidArgument));
            Assert.That(_service.Create(new Entity("dr_requirement") { ["dr_name"] = "ok", ["dr_effort"] = 10m }), Is.Not.EqualTo(Guid.Empty));
        }

        [Test]
        public void AssociateAndDisassociate_ManyToMany_WriteAndRemoveIntersectRows()
        {
            _org.Metadata.Declare(RelationshipMetadata.ManyToMany("dr_opportunity_contact", "dr_opportunity_contact", "opportunity", "opportunityid", "contact", "contactid"));
            var opportunity = _service.Create(new Entity("opportunity"));
            var contact = _service.Create(new Entity("contact"));
            var relationship = new Relationship("dr_opportunity_contact");

            _service.Associate("opportunity", opportunity, relationship, new EntityReferenceCollection { new EntityReference("contact", contact) });
            var links = _org.All("dr_opportunity_contact");
            _service.Disassociate("opportunity", opportunity, relationship, new EntityReferenceCollection { new EntityReference("contact", contact) });

            Assert.That(links, Has.Count.EqualTo(1));
            Assert.That(links[0]["opportunityid"], Is.EqualTo(opportunity));
            Assert.That(links[0]["contactid"], Is.EqualTo(contact));
            Assert.That(_org.All("dr_opportunity_contact"), Is.Empty);
        }

        [Test]
        public void Associate_OneToMany_SetsTheLookup()
        {
            _org.Metadata.Declare(RelationshipMetadata.OneToMany("contact_customer_accounts", "account", "contact", "parentcustomerid"));
            var account = _service.Create(new Entity("account"));
            var contact = _service.Create(new Entity("contact"));

            _service.Associate("account", account, new Relationship("contact_customer_accounts"), new EntityReferenceCollection { new EntityReference("contact", contact) });

            Assert.That(_org.Get("contact", contact)!.GetAttributeValue<EntityReference>("parentcustomerid"), Is.EqualTo(new EntityReference("account", account)));
        }

        [Test]
        public void Associate_UnknownRelationship_Faults()
        {
            var account = _service.Create(new Entity("account"));
            Assert.Throws<FaultException<OrganizationServiceFault>>(() =>
                _service.Associate("account", account, new Relationship("nope"), new EntityReferenceCollection()));
        }

        [Test]
        public void Execute_UnknownMessage_FaultsClearly()
        {
            var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() => _service.Execute(new OrganizationRequest("PublishAllXml")))!;
            Assert.That(fault.Detail.Message, Does.Contain("PublishAllXml"));
        }

        [Test]
        public void Calls_AreCountedByMessage()
        {
            var id = _service.Create(new Entity("account"));
            _service.Retrieve("account", id, new ColumnSet("name"));
            _service.Retrieve("account", id, new ColumnSet("name"));

            Assert.That(_org.Calls["Create"], Is.EqualTo(1));
            Assert.That(_org.Calls["Retrieve"], Is.EqualTo(2));
            Assert.That(_org.Calls.Total, Is.EqualTo(3));
        }

        [Test]
        public void FailNthCall_FailsExactlyThatCall()
        {
            _org.FailNthCall(2);
            _service.Create(new Entity("account"));
            Assert.Throws<FaultException<OrganizationServiceFault>>(() => _service.Create(new Entity("account")));
            _service.Create(new Entity("account"));
            Assert.That(_org.All("account"), Has.Count.EqualTo(2));
        }

        [Test]
        public void Snapshot_IsADeepCopy()
        {
            var id = _service.Create(new Entity("account") { ["name"] = "Contoso" });
            var before = _org.Snapshot();
            _service.Update(new Entity("account", id) { ["name"] = "Fabrikam" });
            Assert.That(before[("account", id)]["name"], Is.EqualTo("Contoso"));
        }
    }
}
