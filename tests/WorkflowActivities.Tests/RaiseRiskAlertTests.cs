using System;
using System.Linq;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;
using NUnit.Framework;

namespace DealRisk.WorkflowActivities.Tests
{
    public class RaiseRiskAlertTests
    {
        private AlertOrg _org = null!;

        [SetUp]
        public void SetUp() => _org = new AlertOrg();

        [Test]
        public void Raise_ForAHighRiskDeal_AlertsTheOwnersManagerWithANotification()
        {
            var deal = _org.Deal(RiskLevel.High);

            var run = _org.Raise(deal);

            Assert.That(run.Outputs["AlertCreated"], Is.EqualTo(true));
            Assert.That(((EntityReference)run.Outputs["Recipient"]!).Id, Is.EqualTo(_org.Manager));
            var alert = _org.Alerts(deal).Single();
            Assert.That(OptionSets.AlertStatusOf(alert.GetAttributeValue<OptionSetValue>(RiskAlert.Status).Value), Is.EqualTo(AlertStatus.Open));
            Assert.That(alert.GetAttributeValue<string>(RiskAlert.Reasons), Does.Contain("Margin 12%"));
            Assert.That(alert.GetAttributeValue<EntityReference>(RiskAlert.OwnerId).Id, Is.EqualTo(_org.Manager), "owned by the recipient, who can see and answer it");
            var note = _org.NotificationsFor(_org.Manager).Single();
            Assert.That(note.GetAttributeValue<string>(AppNotification.Title), Is.EqualTo("High deal risk: Contoso CRM rollout"));
            Assert.That(note.GetAttributeValue<string>(AppNotification.Data), Does.Contain("etn=opportunity&id=" + deal));
        }

        [Test]
        public void Raise_ForADealWithTheLongestName_CutsTheAlertsNameToFitItsColumn()
        {
            // opportunity.name holds 300 characters and so does dr_riskalert.dr_name (Solution/): "Critical risk: " + the name
            // would not fit, and the emulator refuses it as Dataverse does (0x80044331).
            var name = "Contoso " + string.Concat(Enumerable.Repeat("😀 rollout ", 26)) + "ending";
            var deal = _org.Deal(RiskLevel.Critical);
            _org.Org.GetOrganizationService().Update(new Entity(Opportunity.EntityName, deal) { [Opportunity.Name] = name });

            var run = _org.Raise(deal);

            Assert.That(run.Outputs["AlertCreated"], Is.EqualTo(true));
            var alertName = _org.Alerts(deal).Single().GetAttributeValue<string>(RiskAlert.Name);
            Assert.That(alertName.Length, Is.LessThanOrEqualTo(300));
            Assert.That(alertName, Does.StartWith("Critical risk: Contoso").And.EndWith("…"));
        }

        [Test]
        public void Raise_BelowTheAlertLevel_DoesNothingAndSaysWhy()
        {
            var deal = _org.Deal(RiskLevel.Medium);

            var run = _org.Raise(deal);

            Assert.That(run.Outputs["AlertCreated"], Is.EqualTo(false));
            Assert.That(run.Outputs["Result"], Is.EqualTo("Overall risk Medium is below the alert level High."));
            Assert.That(_org.Alerts(deal), Is.Empty);
        }

        [Test]
        public void Raise_Again_AtTheSameLevel_RefreshesWithoutANewNotification()
        {
            var deal = _org.Deal(RiskLevel.High);
            _org.Raise(deal);

            var again = _org.Raise(deal);

            Assert.That(again.Outputs["AlertCreated"], Is.EqualTo(false));
            Assert.That(_org.Alerts(deal), Has.Count.EqualTo(1));
            Assert.That(_org.NotificationsFor(_org.Manager), Has.Count.EqualTo(1));
        }

        [Test]
        public void Raise_WhenTheLevelRises_UpdatesTheAlertAndNotifiesAgain()
        {
            var deal = _org.Deal(RiskLevel.High);
            _org.Raise(deal);
            _org.SetLevel(deal, RiskLevel.Critical);

            _org.Raise(deal);

            var alert = _org.Alerts(deal).Single();
            Assert.That(OptionSets.RiskLevelOf(alert.GetAttributeValue<OptionSetValue>(RiskAlert.Level).Value), Is.EqualTo(RiskLevel.Critical));
            Assert.That(_org.NotificationsFor(_org.Manager).Select(n => n.GetAttributeValue<string>(AppNotification.Title)),
                Is.EquivalentTo(new[] { "High deal risk: Contoso CRM rollout", "Deal risk rose to Critical: Contoso CRM rollout" }));
        }

        [Test]
        public void Raise_WhenTheRiskFalls_ResolvesTheOpenAlert()
        {
            var deal = _org.Deal(RiskLevel.High);
            _org.Raise(deal);
            _org.SetLevel(deal, RiskLevel.Low);

            var run = _org.Raise(deal);

            var alert = _org.Alerts(deal).Single();
            Assert.That(OptionSets.AlertStatusOf(alert.GetAttributeValue<OptionSetValue>(RiskAlert.Status).Value), Is.EqualTo(AlertStatus.Resolved));
            Assert.That(alert.GetAttributeValue<DateTime?>(RiskAlert.ResolvedOn), Is.EqualTo(AlertOrg.Now));
            Assert.That(run.Outputs["Result"], Is.EqualTo("Resolved: Overall risk fell to Low, below the alert level High."));
        }

        [Test]
        public void Raise_WhenTheDealClosed_ResolvesAndNeverAlertsAgain()
        {
            var deal = _org.Deal(RiskLevel.High);
            _org.Raise(deal);
            _org.Org.GetOrganizationService().Update(new Entity(Opportunity.EntityName, deal) { [Opportunity.StateCode] = new OptionSetValue(OpportunityState.Won) });

            _org.Raise(deal);
            _org.Raise(deal);

            Assert.That(_org.Alerts(deal).Single().GetAttributeValue<string>(RiskAlert.Resolution), Is.EqualTo("The deal closed."));
        }

        [Test]
        public void Raise_ForATeamOwnedDeal_AlertsTheTeamsAdministrator()
        {
            var deal = _org.Deal(RiskLevel.Critical, _org.Team, DealRisk.Plugins.Schema.Team.EntityName);

            var run = _org.Raise(deal);

            Assert.That(((EntityReference)run.Outputs["Recipient"]!).Id, Is.EqualTo(_org.Manager));
        }

        [Test]
        public void Raise_WhenTheManagerIsDisabled_GoesOneLevelUp()
        {
            _org.Org.GetOrganizationService().Update(new Entity(SystemUser.EntityName, _org.Manager) { [SystemUser.IsDisabled] = true });
            var deal = _org.Deal(RiskLevel.High);

            var run = _org.Raise(deal);

            Assert.That(((EntityReference)run.Outputs["Recipient"]!).Id, Is.EqualTo(_org.Vp));
        }

        [Test]
        public void Raise_WithNoManagerAndNoEscalationTarget_SaysSoWithoutFailing()
        {
            var deal = _org.Deal(RiskLevel.High, _org.Loner);

            var run = _org.Raise(deal);

            Assert.That(run.Outputs["AlertCreated"], Is.EqualTo(false));
            Assert.That((string)run.Outputs["Result"]!, Does.Contain("no active manager").And.Contain("built-in defaults"));
            Assert.That(_org.Alerts(deal), Is.Empty);
        }

        [Test]
        public void Raise_WithNoManager_FallsBackToThePolicysEscalationUser()
        {
            _org.Org.GetOrganizationService().Create(new Entity(RiskPolicyTable.EntityName)
            {
                [RiskPolicyTable.Name] = "Default",
                [RiskPolicyTable.EscalationUserId] = new EntityReference(SystemUser.EntityName, _org.Vp),
            });
            var deal = _org.Deal(RiskLevel.High, _org.Loner);

            var run = _org.Raise(deal);

            Assert.That(((EntityReference)run.Outputs["Recipient"]!).Id, Is.EqualTo(_org.Vp));
        }

        [Test]
        public void Raise_ForADeletedDeal_ReportsItWithoutFailing()
        {
            var run = _org.Raise(Guid.NewGuid());

            Assert.That(run.Outputs["AlertCreated"], Is.EqualTo(false));
            Assert.That(run.Outputs["Result"], Is.EqualTo("The opportunity no longer exists: no alert."));
        }

        [Test]
        public void Raise_HonoursTheMinimumLevelInput()
        {
            var deal = _org.Deal(RiskLevel.High);
            var run = _org.Raise(deal, minimum: RiskLevel.Critical);
            Assert.That(run.Outputs["AlertCreated"], Is.EqualTo(false));
        }

        [Test]
        public void Escalate_AfterTheLimit_GoesToTheManagersManager_OncePerLevel()
        {
            var deal = _org.Deal(RiskLevel.High);
            var alert = ((EntityReference)_org.Raise(deal).Outputs["Alert"]!).Id;

            var early = _org.Escalate(alert);
            _org.Org.UtcNow = AlertOrg.Now.AddHours(49);
            var late = _org.Escalate(alert);
            var again = _org.Escalate(alert);

            Assert.That(early.Outputs["Escalated"], Is.EqualTo(false));
            Assert.That(late.Outputs["Escalated"], Is.EqualTo(true));
            Assert.That(((EntityReference)late.Outputs["EscalatedTo"]!).Id, Is.EqualTo(_org.Vp));
            Assert.That(again.Outputs["Escalated"], Is.EqualTo(false), "the next level waits another 48 hours");
            var stored = _org.Alerts(deal).Single();
            Assert.That(stored.GetAttributeValue<int>(RiskAlert.EscalationLevel), Is.EqualTo(1));
            Assert.That(stored.GetAttributeValue<EntityReference>(RiskAlert.RecipientId).Id, Is.EqualTo(_org.Vp));
            Assert.That(stored.GetAttributeValue<EntityReference>(RiskAlert.OwnerId).Id, Is.EqualTo(_org.Vp), "the escalated alert is the VP's to answer");
            Assert.That(_org.NotificationsFor(_org.Vp), Has.Count.EqualTo(1));
        }

        [Test]
        public void Escalate_AnAcknowledgedAlert_DoesNothing()
        {
            var deal = _org.Deal(RiskLevel.High);
            var alert = ((EntityReference)_org.Raise(deal).Outputs["Alert"]!).Id;
            _org.Org.GetOrganizationService().Update(new Entity(RiskAlert.EntityName, alert) { [RiskAlert.Status] = new OptionSetValue(OptionSets.AlertStatusValue(AlertStatus.Acknowledged)) });
            _org.Org.UtcNow = AlertOrg.Now.AddDays(10);

            Assert.That(_org.Escalate(alert).Outputs["Escalated"], Is.EqualTo(false));
        }

        [Test]
        public void ReadVerdict_ReturnsTheLevelsScoreAndReasons()
        {
            var deal = _org.Deal(RiskLevel.Critical);

            var run = _org.Org.ExecuteCodeActivity<ReadRiskVerdict>(new System.Collections.Generic.Dictionary<string, object?> { ["Opportunity"] = new EntityReference(Opportunity.EntityName, deal) });

            Assert.That(run.Outputs["OverallRisk"], Is.EqualTo("Critical"));
            Assert.That(run.Outputs["Score"], Is.EqualTo(60));
            Assert.That(run.Outputs["TopReason"], Is.EqualTo("Critical: Margin 12% is below the 15% floor."));
            Assert.That(run.Outputs["Found"], Is.EqualTo(true));
        }
    }
}

namespace DealRisk.WorkflowActivities.Tests
{
    using NUnit.Framework;
    using DealRisk.Risk;

    /// <summary>Service calls of each activity, by message: fixed, whatever the deal.</summary>
    public class ActivityCallCountTests
    {
        [Test]
        public void Raise_NewAlert_Calls()
        {
            var org = new AlertOrg();
            var run = org.Raise(org.Deal(RiskLevel.High));
            Assert.That(run.Calls.ToString(), Is.EqualTo("Create=2, Retrieve=2, RetrieveMultiple=3"));
        }

        [Test]
        public void Escalate_Calls()
        {
            var org = new AlertOrg();
            var alert = ((EntityReference)org.Raise(org.Deal(RiskLevel.High)).Outputs["Alert"]!).Id;
            org.Org.UtcNow = AlertOrg.Now.AddHours(49);
            Assert.That(org.Escalate(alert).Calls.ToString(), Is.EqualTo("Create=1, Retrieve=2, RetrieveMultiple=3, Update=1"));
        }

        [Test]
        public void ReadVerdict_Calls()
        {
            var org = new AlertOrg();
            var deal = org.Deal(RiskLevel.High);
            var run = org.Org.ExecuteCodeActivity<ReadRiskVerdict>(new System.Collections.Generic.Dictionary<string, object?> { ["Opportunity"] = new EntityReference("opportunity", deal) },
                new CrmPlugins.Emulator.Pipeline.WorkflowContext { UserId = org.Manager });
            Assert.That(run.Calls.ToString(), Is.EqualTo("RetrieveMultiple=1"));
        }

        [Test]
        public void Raise_Repeat_Calls()
        {
            var org = new AlertOrg();
            var deal = org.Deal(RiskLevel.High);
            org.Raise(deal);
            Assert.That(org.Raise(deal).Calls.ToString(), Is.EqualTo("RetrieveMultiple=3, Update=1"));
        }
    }
}
