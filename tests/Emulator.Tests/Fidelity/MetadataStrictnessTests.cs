using System;
using System.ServiceModel;
using CrmPlugins.SolutionModel;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using NUnit.Framework;

namespace CrmPlugins.Emulator.Tests.Fidelity
{
    /// <summary>
    /// Once the solution is imported, the tables the suite touches are declared, ours from Solution/ and Microsoft's standard
    /// ones with their standard columns (names from the table reference, e.g.
    /// https://learn.microsoft.com/dynamics365/sales/developer/entities/opportunity), so a column the table does not have fails
    /// as Dataverse fails it: 0x80041103 QueryBuilderNoAttribute "'opportunity' entity doesn't contain attribute with Name = 'x'
    /// and NameMapping = 'Logical'." (https://learn.microsoft.com/power-apps/developer/data-platform/reference/web-service-error-codes).
    /// FakeXrmEasy stores such columns silently unless its metadata is initialised (jordimontana82/fake-xrm-easy issue 463).
    /// </summary>
    public class MetadataStrictnessTests
    {
        private XrmOrganization _org = null!;
        private IOrganizationService _service = null!;

        [SetUp]
        public void SetUp()
        {
            var folder = SolutionSource.FindInRepository();
            if (folder == null) Assert.Ignore("The repository's Solution/ folder is not above the test folder.");
            _org = new XrmOrganization();
            SolutionImport.DeclareTables(_org, SolutionSource.Load(folder!));
            _service = _org.GetOrganizationService();
        }

        [TestCase("opportunity")]
        [TestCase("opportunityproduct")]
        [TestCase("product")]
        [TestCase("systemuser")]
        [TestCase("team")]
        [TestCase("businessunit")]
        [TestCase("transactioncurrency")]
        [TestCase("opportunityclose")]
        [TestCase("appnotification")]
        [TestCase("dr_riskpolicy")]
        [TestCase("dr_riskhistory")]
        public void ImportSolution_DeclaresEveryTableTheSuiteTouches_WithItsColumns(string table)
        {
            Assert.That(_org.Metadata.IsDeclared(table) && _org.Metadata.Table(table).HasDeclaredColumns, Is.True);
        }

        [Test]
        public void Create_WithAColumnTheStandardTableDoesNotHave_FailsWithQueryBuilderNoAttribute()
        {
            var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() =>
                _service.Create(new Entity("opportunity") { ["name"] = "Contoso", ["estimatedvalu"] = new Money(10m) }))!;

            Assert.That(fault.Detail.ErrorCode, Is.EqualTo(unchecked((int)0x80041103)));
            Assert.That(fault.Detail.Message, Is.EqualTo("'opportunity' entity doesn't contain attribute with Name = 'estimatedvalu' and NameMapping = 'Logical'."));
            Assert.That(_org.All("opportunity"), Is.Empty, "nothing is stored silently");
        }

        [Test]
        public void Update_WithAMistypedSolutionColumn_Fails()
        {
            var id = _service.Create(new Entity("opportunity") { ["name"] = "Contoso", ["estimatedvalue"] = new Money(10m), ["dr_riskscore"] = 5 });

            var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() => _service.Update(new Entity("opportunity", id) { ["dr_riskscor"] = 7 }))!;

            Assert.That(fault.Detail.ErrorCode, Is.EqualTo(unchecked((int)0x80041103)));
        }

        [Test]
        public void Create_OnAStandardTableWithItsStandardAndSystemColumns_IsStored()
        {
            var id = _service.Create(new Entity("product") { ["name"] = "Licence", ["productnumber"] = "L-1", ["currentcost"] = new Money(400m) });

            var row = _service.Retrieve("product", id, new ColumnSet("name", "currentcost", "currentcost_base", "createdon"));

            Assert.That((row["name"], row.GetAttributeValue<Money>("currentcost_base").Value), Is.EqualTo(("Licence", 400m)));
        }

        [Test]
        public void RetrieveMultiple_NamingAColumnTheTableDoesNotHave_Fails()
        {
            var query = new QueryExpression("systemuser") { ColumnSet = new ColumnSet("fullname", "nickname") };

            var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() => _service.RetrieveMultiple(query))!;

            Assert.That(fault.Detail.ErrorCode, Is.EqualTo(unchecked((int)0x80041103)));
        }

        [Test]
        public void Create_WithAValueOfTheWrongTypeOnAStandardColumn_Fails()
        {
            Assert.Throws<FaultException<OrganizationServiceFault>>(() =>
                _service.Create(new Entity("opportunity") { ["name"] = "Contoso", ["closeprobability"] = "high" }));
        }
    }
}
