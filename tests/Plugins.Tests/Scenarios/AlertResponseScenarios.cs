using System;
using System.ServiceModel;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;
using NUnit.Framework;

namespace DealRisk.Plugins.Tests.Scenarios
{
    /// <summary>A manager records what they did about an alert; only the recipient or someone above them may.</summary>
    [TestFixture]
    public sealed class AlertResponseScenarios
    {
        private static readonly Guid Vp = new("10000000-0000-0000-0000-0000000000f1");
        private SalesOrg _org = null!;
        private Guid _deal;
        private Guid _alert;

        [SetUp]
        public void AnOpenAlertToTheRepsManager()
        {
            _org = new SalesOrg();
            _org.Org.Seed(new Entity(SystemUser.EntityName, Vp) { [SystemUser.FullName] = "Vera VP" });
            _org.Org.GetOrganizationService().Update(new Entity(SystemUser.EntityName, _org.Manager) { [SystemUser.ParentSystemUserId] = new EntityReference(SystemUser.EntityName, Vp) });
            _deal = _org.CreateDeal();
            _org.AddRequirement(_deal, "Offline mobile inspections", RequirementPriority.MustHave, RequirementFit.NotSupported);
            _alert = _org.SeedOpenAlert(_deal, _org.Manager);
        }

        private void Respond(Guid user, AlertResponse response, string? note = null, Action<Entity>? more = null)
        {
            var update = new Entity(RiskAlert.EntityName, _alert)
            {
                [RiskAlert.Response] = new OptionSetValue(OptionSets.ResponseValue(response)),
                [RiskAlert.ResponseNote] = note,
            };
            more?.Invoke(update);
            _org.Org.GetOrganizationService(user).Update(update);
        }

        private Entity Alert => _org.Org.Get(RiskAlert.EntityName, _alert)!;

        private static AlertStatus Status(Entity alert) => OptionSets.AlertStatusOf(alert.GetAttributeValue<OptionSetValue>(RiskAlert.Status)?.Value);

        [Test]
        public void Respond_ByTheRecipient_AcknowledgesAndRecordsWhoAndWhen()
        {
            Respond(_org.Manager, AlertResponse.CoachedRep, "Walked Rob through the gap; he will ask product about offline mode.");

            var alert = Alert;
            Assert.Multiple(() =>
            {
                Assert.That(Status(alert), Is.EqualTo(AlertStatus.Acknowledged));
                Assert.That(alert.GetAttributeValue<EntityReference>(RiskAlert.RespondedBy).Id, Is.EqualTo(_org.Manager));
                Assert.That(alert.GetAttributeValue<DateTime?>(RiskAlert.RespondedOn), Is.EqualTo(SalesOrg.Today));
                Assert.That(alert.GetAttributeValue<DateTime?>(RiskAlert.AcknowledgedOn), Is.EqualTo(SalesOrg.Today));
            });
        }

        [Test]
        public void Respond_ByAManagerAboveTheRecipient_IsAllowed()
        {
            Respond(Vp, AlertResponse.DealReview, "Deal review on Friday.");

            Assert.That(Alert.GetAttributeValue<EntityReference>(RiskAlert.RespondedBy).Id, Is.EqualTo(Vp));
        }

        [Test]
        public void Respond_BySomeoneElse_IsRefusedAndNothingChanges()
        {
            var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() => Respond(_org.Rep, AlertResponse.Dismissed, "Not a real risk"))!;

            Assert.That(fault.Detail.Message, Is.EqualTo("Only the alert's recipient (Mia Manager) or a manager above them can respond to this alert."));
            Assert.That(Alert.GetAttributeValue<OptionSetValue>(RiskAlert.Response), Is.Null);
            Assert.That(Status(Alert), Is.EqualTo(AlertStatus.Open));
        }

        [Test]
        public void Dismiss_WithoutANote_IsRefused_WithANote_ResolvesTheAlert()
        {
            var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() => Respond(_org.Manager, AlertResponse.Dismissed))!;
            Assert.That(fault.Detail.Message, Does.Contain("Say why you dismiss this alert"));

            Respond(_org.Manager, AlertResponse.Dismissed, "Customer dropped the offline requirement.");

            Assert.That(Status(Alert), Is.EqualTo(AlertStatus.Resolved));
            Assert.That(Alert.GetAttributeValue<string>(RiskAlert.Resolution), Is.EqualTo("Dismissed: Customer dropped the offline requirement."));
        }

        [Test]
        public void AcceptTheRisk_ApprovesItOnTheDeal_InTheManagersName()
        {
            Respond(_org.Manager, AlertResponse.AcceptedRisk, "Known gap, priced in.");

            var deal = _org.Deal(_deal);
            Assert.That(deal.GetAttributeValue<EntityReference>(Opportunity.RiskApprovedBy).Id, Is.EqualTo(_org.Manager));
            Assert.That(deal.GetAttributeValue<DateTime?>(Opportunity.RiskApprovedOn), Is.EqualTo(SalesOrg.Today));
            Assert.DoesNotThrow(() => _org.RepService.Execute(_org.Win(_deal)), "the approved deal can be won");
        }

        [Test]
        public void AcceptTheRisk_OnADealTheManagerOwns_IsRefusedByTheApprovalRules()
        {
            _org.Org.GetOrganizationService().Update(new Entity(Opportunity.EntityName, _deal) { [Opportunity.OwnerId] = new EntityReference(SystemUser.EntityName, _org.Manager) });

            var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() => Respond(_org.Manager, AlertResponse.AcceptedRisk))!;

            Assert.That(fault.Detail.Message, Does.Contain("You cannot approve the risk on a deal you own"));
            Assert.That(Alert.GetAttributeValue<OptionSetValue>(RiskAlert.Response), Is.Null, "the response rolled back with the approval");
        }

        [Test]
        public void Respond_CannotBeRecordedInSomeoneElsesName()
        {
            Respond(_org.Manager, AlertResponse.RescopeOrRequote, "Re-quote with the offline add-on.", e =>
            {
                e[RiskAlert.RespondedBy] = new EntityReference(SystemUser.EntityName, Vp);
                e[RiskAlert.RespondedOn] = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            });

            Assert.That(Alert.GetAttributeValue<EntityReference>(RiskAlert.RespondedBy).Id, Is.EqualTo(_org.Manager));
            Assert.That(Alert.GetAttributeValue<DateTime?>(RiskAlert.RespondedOn), Is.EqualTo(SalesOrg.Today));
        }
    }
}
