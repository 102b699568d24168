using System;
using System.ServiceModel;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;
using NUnit.Framework;

namespace DealRisk.Plugins.Tests.Scenarios
{
    /// <summary>
    /// The solution's security roles and field security, enforced by the emulator: a rep works the requirements and
    /// allocations of their deals but cannot touch the policy, delete an alert or approve a risk; a manager approves and
    /// answers the alerts they own within their business units.
    /// </summary>
    [TestFixture]
    public sealed class SecurityScenarios
    {
        private SalesOrg _org = null!;
        private Guid _policy;

        [SetUp]
        public void SecuredOrg()
        {
            _org = new SalesOrg();
            _policy = _org.Org.GetOrganizationService().Create(new Entity(RiskPolicyTable.EntityName) { [RiskPolicyTable.Name] = "Default" });
            _org.WithRolesEnforced();
        }

        private static string Refusal(TestDelegate action) => Assert.Throws<FaultException<OrganizationServiceFault>>(action)!.Detail.Message;

        [Test]
        public void Rep_WorksTheRequirementsAndAllocationsOfTheirDeals()
        {
            var deal = _org.CreateDeal();

            Assert.DoesNotThrow(() => _org.AddRequirement(deal, "SSO", RequirementPriority.MustHave, RequirementFit.Standard));
            Assert.DoesNotThrow(() => _org.Allocate(deal, 40m, _org.Rep));
        }

        [Test]
        public void Rep_CannotEditThePolicy()
        {
            var message = Refusal(() => _org.RepService.Update(new Entity(RiskPolicyTable.EntityName, _policy) { [RiskPolicyTable.MarginCriticalPercent] = 0m }));

            Assert.That(message, Does.Contain("is missing prvWritedr_riskpolicy privilege"));
            Assert.DoesNotThrow(() => _org.Org.GetOrganizationService().Update(new Entity(RiskPolicyTable.EntityName, _policy) { [RiskPolicyTable.MarginCriticalPercent] = 12m }), "the administrator can");
        }

        [Test]
        public void Rep_CannotDeleteOrAnswerAnAlert()
        {
            var alert = _org.SeedOpenAlert(_org.CreateDeal(), _org.Manager);

            Assert.That(Refusal(() => _org.RepService.Delete(RiskAlert.EntityName, alert)), Does.Contain("missing prvDeletedr_riskalert"));
            Assert.That(Refusal(() => _org.RepService.Update(new Entity(RiskAlert.EntityName, alert) { [RiskAlert.Status] = new OptionSetValue(OptionSets.AlertStatusValue(AlertStatus.Resolved)) })),
                Does.Contain("missing prvWritedr_riskalert"));
        }

        [Test]
        public void Rep_CannotSetTheApproval_FieldSecurity()
        {
            var deal = _org.CreateDeal();

            var message = Refusal(() => _org.RepService.Update(new Entity(Opportunity.EntityName, deal) { [Opportunity.RiskApprovedBy] = new EntityReference(SystemUser.EntityName, _org.Manager) }));

            Assert.That(message, Does.Contain("secured column 'dr_riskapprovedby'"));
            Assert.That(_org.Deal(deal).GetAttributeValue<EntityReference>(Opportunity.RiskApprovedBy), Is.Null);
        }

        [Test]
        public void Manager_ApprovesAndAnswersTheAlertsTheyOwn()
        {
            var deal = _org.CreateDeal();
            var alert = _org.SeedOpenAlert(deal, _org.Manager);

            _org.ManagerService.Update(new Entity(RiskAlert.EntityName, alert) { [RiskAlert.Response] = new OptionSetValue(OptionSets.ResponseValue(AlertResponse.AcceptedRisk)) });

            Assert.That(_org.Deal(deal).GetAttributeValue<EntityReference>(Opportunity.RiskApprovedBy)?.Id, Is.EqualTo(_org.Manager), "the approval passed field security in the manager's name");
        }

        [Test]
        public void Manager_CannotTouchAlertsOwnedOutsideTheirBusinessUnits()
        {
            var sales = Guid.NewGuid();
            var elsewhere = Guid.NewGuid();
            var root = new EntityReference("businessunit", _org.Org.RootBusinessUnitId);
            _org.Org.Seed(
                new Entity("businessunit", sales) { ["name"] = "Sales", ["parentbusinessunitid"] = root },
                new Entity("businessunit", elsewhere) { ["name"] = "Services", ["parentbusinessunitid"] = root },
                new Entity(SystemUser.EntityName, Guid.Parse("10000000-0000-0000-0000-0000000000e1")) { [SystemUser.FullName] = "Other manager", [SystemUser.BusinessUnitId] = new EntityReference("businessunit", elsewhere) });
            _org.Org.GetOrganizationService().Update(new Entity(SystemUser.EntityName, _org.Manager) { [SystemUser.BusinessUnitId] = new EntityReference("businessunit", sales) });
            var theirs = _org.SeedOpenAlert(_org.CreateDeal(), Guid.Parse("10000000-0000-0000-0000-0000000000e1"));

            var message = Refusal(() => _org.ManagerService.Update(new Entity(RiskAlert.EntityName, theirs) { [RiskAlert.ResponseNote] = "Not mine" }));

            Assert.That(message, Does.Contain("its privilege reaches Deep rows"));
        }
    }
}
