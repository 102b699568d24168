using System;
using System.Linq;
using System.ServiceModel;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Crm.Sdk.Messages;
using Microsoft.Xrm.Sdk;
using NUnit.Framework;

namespace DealRisk.Plugins.Tests.Scenarios
{
    /// <summary>
    /// Every way a deal is closed, through the registration that ships. Microsoft documents Win and Lose
    /// (WinOpportunityRequest / LoseOpportunityRequest: an opportunityclose activity and the new status;
    /// learn.microsoft.com/dotnet/api/microsoft.crm.sdk.messages.winopportunityrequest), SetState as the deprecated twin of
    /// an Update of statecode (learn.microsoft.com/power-apps/developer/data-platform/special-update-operation-behavior),
    /// but not whether Win and Lose run the steps registered on Update. So the gate and the close history are registered
    /// on Win (and Lose) themselves, and each scenario runs with the emulator running Update steps for a close and without.
    /// </summary>
    [TestFixture(true)]
    [TestFixture(false)]
    public class CloseScenarios
    {
        private readonly bool _closeRunsUpdateSteps;
        private SalesOrg _org = null!;

        public CloseScenarios(bool closeRunsUpdateSteps) => _closeRunsUpdateSteps = closeRunsUpdateSteps;

        [SetUp]
        public void SetUp()
        {
            _org = new SalesOrg();
            _org.Org.ClosingOpportunityRunsUpdateSteps = _closeRunsUpdateSteps;
        }

        private Guid CriticalDeal()
        {
            var id = _org.CreateDeal();
            _org.AddRequirement(id, "SAP integration", RequirementPriority.MustHave, RequirementFit.NotSupported);
            Assert.That(SalesOrg.Level(_org.Deal(id), Opportunity.OverallRisk), Is.EqualTo(RiskLevel.Critical));
            return id;
        }

        private void Approve(Guid id) =>
            _org.ManagerService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.RiskApprovedBy] = new EntityReference(SystemUser.EntityName, _org.Manager) });

        private OrganizationRequest Lose(Guid deal) => new LoseOpportunityRequest
        {
            OpportunityClose = new Entity("opportunityclose") { ["opportunityid"] = new EntityReference(Opportunity.EntityName, deal) },
            Status = new OptionSetValue(4),
        };

        private int State(Guid id) => _org.Deal(id).GetAttributeValue<OptionSetValue>(Opportunity.StateCode).Value;

        private Entity[] CloseRows(Guid id)
        {
            _org.Org.RunAsyncOperations();
            return _org.Org.All(RiskHistory.EntityName)
                .Where(r => r.GetAttributeValue<EntityReference>(RiskHistory.OpportunityId).Id == id && r.GetAttributeValue<OptionSetValue>(RiskHistory.Kind).Value == RiskHistory.KindClose)
                .ToArray();
        }

        [Test]
        public void Win_OfACriticalDeal_IsRefused_UntilAManagerApproves()
        {
            var id = CriticalDeal();

            var refusal = Assert.Throws<FaultException<OrganizationServiceFault>>(() => _org.RepService.Execute(_org.Win(id)))!;
            Assert.That(refusal.Detail.Message, Does.StartWith("This deal cannot be closed as won yet"));
            Assert.That(State(id), Is.EqualTo(OpportunityState.Open));
            Assert.That(_org.Org.Executions.Where(e => e.PluginType == typeof(WinGatePlugin)).Select(e => e.MessageName), Has.Member("Win"),
                "the gate ran on Win itself");

            Approve(id);
            _org.RepService.Execute(_org.Win(id));
            Assert.That(State(id), Is.EqualTo(OpportunityState.Won));
        }

        [Test]
        public void SetState_ToWon_OfACriticalDeal_IsRefused()
        {
            var id = CriticalDeal();

            var refusal = Assert.Throws<FaultException<OrganizationServiceFault>>(() => _org.RepService.Execute(new SetStateRequest
            {
                EntityMoniker = new EntityReference(Opportunity.EntityName, id), State = new OptionSetValue(OpportunityState.Won), Status = new OptionSetValue(3),
            }))!;

            Assert.That(refusal.Detail.Message, Does.StartWith("This deal cannot be closed as won yet"));
            Assert.That(State(id), Is.EqualTo(OpportunityState.Open));
            Assert.That(_org.Org.Executions.Where(e => e.PluginType == typeof(WinGatePlugin)).Select(e => e.MessageName), Has.Member("SetState"));
        }

        [Test]
        public void Update_OfStatecodeToWon_OfACriticalDeal_IsRefused()
        {
            var id = CriticalDeal();

            var refusal = Assert.Throws<FaultException<OrganizationServiceFault>>(() => _org.RepService.Update(new Entity(Opportunity.EntityName, id)
            {
                [Opportunity.StateCode] = new OptionSetValue(OpportunityState.Won), [Opportunity.StatusCode] = new OptionSetValue(3),
            }))!;

            Assert.That(refusal.Detail.Message, Does.StartWith("This deal cannot be closed as won yet"));
            Assert.That(State(id), Is.EqualTo(OpportunityState.Open));
        }

        [Test]
        public void Lose_OfACriticalDeal_IsNotGated()
        {
            var id = CriticalDeal();

            _org.RepService.Execute(Lose(id));

            Assert.That(State(id), Is.EqualTo(OpportunityState.Lost));
        }

        [Test]
        public void Win_LeavesExactlyOneCloseRow()
        {
            var id = _org.CreateDeal();

            _org.RepService.Execute(_org.Win(id));

            var row = CloseRows(id).Single();
            Assert.That(row.GetAttributeValue<OptionSetValue>(RiskHistory.Outcome).Value, Is.EqualTo(RiskHistory.OutcomeWon));
            Assert.That(row.GetAttributeValue<Money>(RiskHistory.ActualRevenue).Value, Is.EqualTo(100_000m));
        }

        [Test]
        public void Lose_LeavesExactlyOneCloseRow()
        {
            var id = _org.CreateDeal();

            _org.RepService.Execute(Lose(id));

            var row = CloseRows(id).Single();
            Assert.That(row.GetAttributeValue<OptionSetValue>(RiskHistory.Outcome).Value, Is.EqualTo(RiskHistory.OutcomeLost));
        }

        [Test]
        public void Approval_GivenForOneRisk_IsWithdrawn_WhenAWorseRiskIsFound()
        {
            var id = CriticalDeal();
            Approve(id);
            var approvedScore = _org.Deal(id).GetAttributeValue<int>(Opportunity.RiskScore);

            _org.AddRequirement(id, "Mainframe link", RequirementPriority.MustHave, RequirementFit.NotSupported);

            var deal = _org.Deal(id);
            Assert.That(deal.GetAttributeValue<int>(Opportunity.RiskScore), Is.GreaterThan(approvedScore), "the second unsupported must-have makes it worse");
            Assert.That(deal.GetAttributeValue<EntityReference>(Opportunity.RiskApprovedBy), Is.Null, "the approval covered the lesser risk only");
            Assert.That(deal.GetAttributeValue<DateTime?>(Opportunity.RiskApprovedOn), Is.Null);
            Assert.Throws<FaultException<OrganizationServiceFault>>(() => _org.RepService.Execute(_org.Win(id)));
            Assert.That(State(id), Is.EqualTo(OpportunityState.Open));
        }

        [Test]
        public void Approval_Stands_WhenTheRiskDoesNotGetWorse()
        {
            var id = CriticalDeal();
            Approve(id);

            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.CloseProbability] = 70 });

            Assert.That(_org.Deal(id).GetAttributeValue<EntityReference>(Opportunity.RiskApprovedBy)?.Id, Is.EqualTo(_org.Manager));
            _org.RepService.Execute(_org.Win(id));
            Assert.That(State(id), Is.EqualTo(OpportunityState.Won));
        }
    }
}
