using System;
using System.Linq;
using System.ServiceModel;
using CrmPlugins.Emulator.Pipeline;
using CrmPlugins.SolutionModel;
using Microsoft.Xrm.Sdk;
using NUnit.Framework;

namespace CrmPlugins.Emulator.Tests.Service
{
    /// <summary>
    /// The limits a solution declares on its columns hold in the emulator as in Dataverse: text beyond MaxLength fails with
    /// 0x80044331 and the platform's message ("A validation error occurred.  The length of the 'admin_displayname' attribute
    /// of the 'admin_flow' entity exceeded the maximum allowed length of '250'." with cdsErrorCode 0x80044331, reported from a
    /// real environment in https://github.com/microsoft/coe-starter-kit/issues/5019), numbers outside MinValue..MaxValue fail,
    /// decimals and money keep the column's precision.
    /// </summary>
    public class ColumnLimitTests
    {
        private XrmOrganization _org = null!;
        private IOrganizationService _service = null!;

        [SetUp]
        public void SetUp()
        {
            _org = new XrmOrganization();
            _org.Metadata.Declare(new TableMetadata("new_note", OwnershipType.OrganizationOwned, primaryNameAttribute: "new_name"))
                .WithColumn(new ColumnMetadata("new_name", ColumnType.String) { MaxLength = 10 })
                .WithColumn(new ColumnMetadata("new_body", ColumnType.Memo) { MaxLength = 20 })
                .WithColumn(new ColumnMetadata("new_score", ColumnType.Integer) { MinValue = 0, MaxValue = 100 })
                .WithColumn(new ColumnMetadata("new_ratio", ColumnType.Decimal) { MinValue = -1_000m, MaxValue = 1_000m, Precision = 2 })
                .WithColumn(new ColumnMetadata("new_price", ColumnType.Money) { MinValue = -922_337_203_685_477m, MaxValue = 922_337_203_685_477m, Precision = 2 });
            _service = _org.GetOrganizationService();
        }

        [Test]
        public void Create_WithTextLongerThanMaxLength_FailsWithStringLengthTooLong()
        {
            var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() => _service.Create(new Entity("new_note") { ["new_name"] = new string('x', 11) }))!;

            Assert.That(fault.Detail.ErrorCode, Is.EqualTo(unchecked((int)0x80044331)));
            Assert.That(fault.Detail.Message, Is.EqualTo("A validation error occurred.  The length of the 'new_name' attribute of the 'new_note' entity exceeded the maximum allowed length of '10'."));
            Assert.That(_org.All("new_note"), Is.Empty);
        }

        [Test]
        public void Update_WithMemoLongerThanMaxLength_FailsAndKeepsTheStoredValue()
        {
            var id = _service.Create(new Entity("new_note") { ["new_body"] = new string('y', 20) });

            Assert.Throws<FaultException<OrganizationServiceFault>>(() => _service.Update(new Entity("new_note", id) { ["new_body"] = new string('y', 21) }));

            Assert.That(_org.Get("new_note", id)!["new_body"], Is.EqualTo(new string('y', 20)));
        }

        [TestCase(-1)]
        [TestCase(101)]
        public void Create_WithAWholeNumberOutsideItsRange_Fails(int score) =>
            Assert.That(Assert.Throws<FaultException<OrganizationServiceFault>>(() => _service.Create(new Entity("new_note") { ["new_score"] = score }))!.Detail.Message,
                Does.Contain("'new_score'").And.Contain("outside the valid range"));

        [Test]
        public void Create_AtTheEdgesOfEveryRange_IsStored()
        {
            var id = _service.Create(new Entity("new_note")
            {
                ["new_name"] = new string('x', 10), ["new_score"] = 100, ["new_ratio"] = -1_000m, ["new_price"] = new Money(922_337_203_685_477m),
            });

            Assert.That(_org.Get("new_note", id)!.GetAttributeValue<Money>("new_price").Value, Is.EqualTo(922_337_203_685_477m));
        }

        [Test]
        public void Create_WithMoneyBeyondTheColumnsRange_Fails() =>
            Assert.Throws<FaultException<OrganizationServiceFault>>(() => _service.Create(new Entity("new_note") { ["new_price"] = new Money(922_337_203_685_478m) }));

        [Test]
        public void Create_WithMorePlacesThanThePrecision_StoresTheValueRounded()
        {
            var id = _service.Create(new Entity("new_note") { ["new_ratio"] = 12.3456m, ["new_price"] = new Money(9.999m) });

            var stored = _org.Get("new_note", id)!;
            Assert.That(stored.GetAttributeValue<decimal>("new_ratio"), Is.EqualTo(12.35m));
            Assert.That(stored.GetAttributeValue<Money>("new_price").Value, Is.EqualTo(10.00m));
        }

        [Test]
        public void ImportSolution_GivesTheColumnsTheLimitsTheSolutionDeclares()
        {
            var folder = SolutionSource.FindInRepository();
            if (folder == null) Assert.Ignore("The repository's Solution/ folder is not above the test folder.");
            SolutionImport.DeclareTables(_org, SolutionSource.Load(folder!));

            var trigger = _org.Metadata.Table("dr_riskhistory").Columns["dr_trigger"];
            var score = _org.Metadata.Table("opportunity").Columns["dr_riskscore"];
            Assert.That((trigger.MaxLength, score.MinValue, score.MaxValue), Is.EqualTo(((int?)200, (decimal?)0m, (decimal?)100m)));
            var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() =>
                _service.Create(new Entity("dr_riskhistory") { ["dr_trigger"] = new string('t', 201) }))!;
            Assert.That(fault.Detail.ErrorCode, Is.EqualTo(unchecked((int)0x80044331)));
        }
    }
}
