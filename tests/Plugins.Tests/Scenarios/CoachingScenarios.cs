using System;
using System.Linq;
using System.ServiceModel;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using NUnit.Framework;

namespace DealRisk.Plugins.Tests.Scenarios
{
    /// <summary>
    /// Coaching recorded where managers work, through the pipeline with the solution's roles enforced: a manager records a
    /// coaching session, pre-brief, debrief or deal review for a rep of their team (owned by the rep, so the rep sees it);
    /// a rep reads their own and records none; a manager outside the rep's business units reaches none; answering an alert
    /// with "Coached the rep" or "Held a deal review" records the session with the time it took.
    /// </summary>
    [TestFixture]
    public sealed class CoachingScenarios
    {
        private SalesOrg _org = null!;

        [SetUp]
        public void SecuredOrg() => _org = new SalesOrg().WithRolesEnforced();

        private static string Refusal(TestDelegate action) => Assert.Throws<FaultException<OrganizationServiceFault>>(action)!.Detail.Message;

        private Entity Session(int kind, int minutes, Guid? deal = null) => new(CoachingSession.EntityName)
        {
            [CoachingSession.Subject] = "Pre-brief before the Contoso steering meeting",
            [CoachingSession.Kind] = new OptionSetValue(kind),
            [CoachingSession.DurationMinutes] = minutes,
            [CoachingSession.HeldOn] = SalesOrg.Today,
            [CoachingSession.RepId] = new EntityReference(SystemUser.EntityName, _org.Rep),
            [CoachingSession.OwnerId] = new EntityReference(SystemUser.EntityName, _org.Rep),
            [CoachingSession.OpportunityId] = deal is Guid d ? new EntityReference(Opportunity.EntityName, d) : null,
        };

        [Test]
        public void Manager_RecordsAPreBriefForTheirRep_AndTheRepSeesIt()
        {
            var deal = _org.CreateDeal();

            var id = _org.ManagerService.Create(Session(CoachingSession.KindPreBrief, 30, deal));

            var seen = _org.RepService.Retrieve(CoachingSession.EntityName, id, new ColumnSet(CoachingSession.Kind, CoachingSession.DurationMinutes, CoachingSession.OpportunityId));
            Assert.That(seen.GetAttributeValue<OptionSetValue>(CoachingSession.Kind).Value, Is.EqualTo(CoachingSession.KindPreBrief));
            Assert.That(seen.GetAttributeValue<int>(CoachingSession.DurationMinutes), Is.EqualTo(30));
            Assert.That(seen.GetAttributeValue<EntityReference>(CoachingSession.OpportunityId).Id, Is.EqualTo(deal));
        }

        [Test]
        public void Rep_CannotRecordCoaching()
        {
            var message = Refusal(() => _org.RepService.Create(Session(CoachingSession.KindCoaching, 60)));

            Assert.That(message, Does.Contain("is missing prvCreatedr_coachingsession privilege"));
        }

        [Test]
        public void Rep_DoesNotSeeAnotherRepsCoaching()
        {
            var other = Guid.Parse("10000000-0000-0000-0000-0000000000c2");
            _org.Org.Seed(new Entity(SystemUser.EntityName, other) { [SystemUser.FullName] = "Ria Rep", [SystemUser.BusinessUnitId] = new EntityReference("businessunit", _org.Org.RootBusinessUnitId), [SystemUser.ParentSystemUserId] = new EntityReference(SystemUser.EntityName, _org.Manager) });
            var theirs = Session(CoachingSession.KindCoaching, 45);
            theirs[CoachingSession.RepId] = theirs[CoachingSession.OwnerId] = new EntityReference(SystemUser.EntityName, other);
            var id = _org.ManagerService.Create(theirs);

            var message = Refusal(() => _org.RepService.Retrieve(CoachingSession.EntityName, id, new ColumnSet(CoachingSession.Subject)));

            Assert.That(message, Does.Contain("its privilege reaches Basic rows"));
        }

        [Test]
        public void Manager_OutsideTheRepsBusinessUnits_ReachesNoneOfTheirCoaching()
        {
            var sales = Guid.NewGuid();
            var services = Guid.NewGuid();
            var root = new EntityReference("businessunit", _org.Org.RootBusinessUnitId);
            _org.Org.Seed(
                new Entity("businessunit", sales) { ["name"] = "Sales", ["parentbusinessunitid"] = root },
                new Entity("businessunit", services) { ["name"] = "Services", ["parentbusinessunitid"] = root });
            var id = _org.ManagerService.Create(Session(CoachingSession.KindDebrief, 20));
            _org.Org.GetOrganizationService().Update(new Entity(SystemUser.EntityName, _org.Rep) { [SystemUser.BusinessUnitId] = new EntityReference("businessunit", services) });
            _org.Org.GetOrganizationService().Update(new Entity(SystemUser.EntityName, _org.Manager) { [SystemUser.BusinessUnitId] = new EntityReference("businessunit", sales) });
            _org.Org.GetOrganizationService().Update(new Entity(CoachingSession.EntityName, id) { ["owningbusinessunit"] = new EntityReference("businessunit", services) });

            var message = Refusal(() => _org.ManagerService.Update(new Entity(CoachingSession.EntityName, id) { [CoachingSession.DurationMinutes] = 25 }));

            Assert.That(message, Does.Contain("its privilege reaches Deep rows"));
        }

        [Test]
        public void AlertAnsweredCoachedTheRep_RecordsACoachingSessionWithTheTimeSpent_OwnedByTheRep()
        {
            var deal = _org.CreateDeal("Fabrikam renewal");
            var alert = _org.SeedOpenAlert(deal, _org.Manager);

            _org.ManagerService.Update(new Entity(RiskAlert.EntityName, alert)
            {
                [RiskAlert.Response] = new OptionSetValue(OptionSets.ResponseValue(AlertResponse.CoachedRep)),
                [RiskAlert.ResponseMinutes] = 45,
                [RiskAlert.ResponseNote] = "Walked through the margin with Rob; he re-prices the services.",
            });

            var session = _org.Org.GetOrganizationService().RetrieveMultiple(new QueryExpression(CoachingSession.EntityName) { ColumnSet = new ColumnSet(true) }).Entities.Single();
            Assert.That(session.GetAttributeValue<OptionSetValue>(CoachingSession.Kind).Value, Is.EqualTo(CoachingSession.KindCoaching));
            Assert.That(session.GetAttributeValue<int>(CoachingSession.DurationMinutes), Is.EqualTo(45));
            Assert.That(session.GetAttributeValue<EntityReference>(CoachingSession.OwnerId).Id, Is.EqualTo(_org.Rep));
            Assert.That(session.GetAttributeValue<EntityReference>(CoachingSession.RepId).Id, Is.EqualTo(_org.Rep));
            Assert.That(session.GetAttributeValue<EntityReference>(CoachingSession.OpportunityId).Id, Is.EqualTo(deal));
            Assert.That(session.GetAttributeValue<EntityReference>("createdby")?.Id, Is.EqualTo(_org.Manager), "recorded in the manager's own name");
            Assert.That(session.GetAttributeValue<string>(CoachingSession.Subject), Is.EqualTo("Coached the rep: Fabrikam renewal"));
        }

        [TestCase(AlertResponse.DealReview, CoachingSession.KindDealReview, 1)]
        [TestCase(AlertResponse.AcceptedRisk, 0, 0)]
        [TestCase(AlertResponse.RescopeOrRequote, 0, 0)]
        public void AlertResponse_RecordsCoachingOnlyWhenItWasTimeWithTheRep(AlertResponse response, int kind, int sessions)
        {
            var deal = _org.CreateDeal();
            var alert = _org.SeedOpenAlert(deal, _org.Manager);

            _org.ManagerService.Update(new Entity(RiskAlert.EntityName, alert) { [RiskAlert.Response] = new OptionSetValue(OptionSets.ResponseValue(response)) });

            var recorded = _org.Org.GetOrganizationService().RetrieveMultiple(new QueryExpression(CoachingSession.EntityName) { ColumnSet = new ColumnSet(CoachingSession.Kind, CoachingSession.DurationMinutes) }).Entities;
            Assert.That(recorded.Count, Is.EqualTo(sessions));
            if (sessions == 1)
            {
                Assert.That(recorded[0].GetAttributeValue<OptionSetValue>(CoachingSession.Kind).Value, Is.EqualTo(kind));
                Assert.That(recorded[0].Contains(CoachingSession.DurationMinutes), Is.False, "no time given, none made up");
            }
        }

        [Test]
        public void AlertAnsweredByAManagerWithoutTheRightToRecordCoaching_IsRefusedWhole()
        {
            // A manager whose role lacks the coaching privileges cannot have the suite record coaching in their name.
            var deal = _org.CreateDeal();
            var alert = _org.SeedOpenAlert(deal, _org.Manager);
            _org.Org.Security.DefineRole("Alert answerer", new[] { ("prvReaddr_RiskAlert", "Deep"), ("prvWritedr_RiskAlert", "Deep"), ("prvReaddr_RiskHistory", "Global") });
            var answerer = Guid.Parse("10000000-0000-0000-0000-0000000000a5");
            _org.Org.Seed(new Entity(SystemUser.EntityName, answerer) { [SystemUser.FullName] = "Ann Answerer", [SystemUser.BusinessUnitId] = new EntityReference("businessunit", _org.Org.RootBusinessUnitId) });
            _org.Org.GetOrganizationService().Update(new Entity(SystemUser.EntityName, _org.Manager) { [SystemUser.ParentSystemUserId] = new EntityReference(SystemUser.EntityName, answerer) });
            _org.Org.Security.AssignRole(answerer, "Alert answerer");

            var message = Refusal(() => _org.Org.GetOrganizationService(answerer).Update(new Entity(RiskAlert.EntityName, alert) { [RiskAlert.Response] = new OptionSetValue(OptionSets.ResponseValue(AlertResponse.CoachedRep)) }));

            Assert.That(message, Does.Contain("prvCreatedr_coachingsession"));
            Assert.That(_org.Org.GetOrganizationService().Retrieve(RiskAlert.EntityName, alert, new ColumnSet(RiskAlert.Response)).Contains(RiskAlert.Response), Is.False, "the response rolled back with it");
        }
    }
}
