using System;
using System.Linq;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;
using NUnit.Framework;

namespace DealRisk.Plugins.Tests.Scenarios
{
    /// <summary>Service calls per execution, by message, through the emulator's counting service: fixed whatever the size of the deal.</summary>
    public class CallCountScenarios
    {
        private SalesOrg _org = null!;

        [SetUp]
        public void SetUp() => _org = new SalesOrg();

        private string CallsOfLast<TPlugin>() => _org.Org.Executions.Last(e => e.PluginType == typeof(TPlugin)).Calls.ToString();

        [TestCase(1)]
        [TestCase(10)]
        [TestCase(100)]
        public void ChildRowChange_CostsOneUpdate_AndTheSameEvaluation_WhateverTheNumberOfRequirements(int requirements)
        {
            var id = _org.CreateDeal();
            for (var i = 0; i < requirements; i++) _org.AddRequirement(id, "R" + i, RequirementPriority.ShouldHave, RequirementFit.Standard, hours: 1m, quoted: true);

            var line = _org.AddLine(id, _org.Licence, 1, 1_000m);

            var child = _org.Org.Executions.Last(e => e.PluginType == typeof(ChildRowRiskPlugin));
            Assert.That(child.Calls.ToString(), Is.EqualTo("Update=1"));
            // A licence needs no delivery hours: the deal's posting is unchanged, so nothing is posted to the demand ledger.
            Assert.That(CallsOfLast<OpportunityRiskPlugin>(), Is.EqualTo("RetrieveMultiple=8"));
            Assert.That(line, Is.Not.EqualTo(Guid.Empty));
        }

        [TestCase(1)]
        [TestCase(100)]
        public void WinGate_CostsOneRetrieve(int lines)
        {
            var id = _org.CreateDeal();
            for (var i = 0; i < lines; i++) _org.AddLine(id, _org.Licence, 1, 10_000m);

            _org.RepService.Execute(_org.Win(id));

            Assert.That(CallsOfLast<WinGatePlugin>(), Is.EqualTo("Retrieve=1"));
        }

        [TestCase(1)]
        [TestCase(10)]
        [TestCase(100)]
        [TestCase(500)]
        public void Evaluation_CostsTheSame_ForLinesAndRequirements(int size)
        {
            var id = _org.CreateDeal();
            _org.Org.Seed(Enumerable.Range(0, size).SelectMany(i => new[]
            {
                new Entity(OpportunityProduct.EntityName, Guid.NewGuid())
                {
                    [OpportunityProduct.OpportunityId] = new EntityReference(Opportunity.EntityName, id), [OpportunityProduct.ProductId] = new EntityReference(Product.EntityName, _org.ImplementationPack),
                    [OpportunityProduct.Quantity] = 1m, ["priceperunit"] = new Money(5_000m), ["baseamount"] = new Money(5_000m), ["extendedamount"] = new Money(5_000m),
                },
                new Entity(Requirement.EntityName, Guid.NewGuid())
                {
                    [Requirement.OpportunityId] = new EntityReference(Opportunity.EntityName, id), [Requirement.Name] = "R" + i,
                    [Requirement.Fit] = new OptionSetValue(OptionSets.FitValue(RequirementFit.Configuration)), [Requirement.EffortHours] = 2m,
                    [Requirement.Role] = new OptionSetValue(OptionSets.Prefix), [Requirement.Quoted] = false,
                },
            }));

            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.CloseProbability] = 55 });

            var evaluation = _org.Org.Executions.Last(e => e.PluginType == typeof(OpportunityRiskPlugin));
            // Eight reads (the last the demand ledger's one aggregate) and one CreateMultiple: the probability moved the deal's
            // hours in the ledger, whatever the number of lines and requirements.
            Assert.That(evaluation.Calls.ToString(), Is.EqualTo("CreateMultiple=1, RetrieveMultiple=8"));
            Assert.That(_org.Deal(id).GetAttributeValue<decimal?>(Opportunity.UnquotedEffortHours), Is.EqualTo(2m * size), "every requirement was read");
        }

        [Test]
        public void AlertResponse_CostsOneReadPerManagementLevelAtMost()
        {
            var id = _org.CreateDeal();
            var alert = _org.SeedOpenAlert(id, _org.Manager);

            _org.ManagerService.Update(new Entity(RiskAlert.EntityName, alert) { [RiskAlert.Response] = new OptionSetValue(OptionSets.ResponseValue(AlertResponse.RescopeOrRequote)) });

            Assert.That(CallsOfLast<AlertResponsePlugin>(), Is.EqualTo(""), "the recipient answers: no read (the pre-image has all it needs)");
        }

        [Test]
        public void AlertResponseThatWasCoaching_CostsOneReadOfTheDealAndOneCreate()
        {
            var alert = _org.SeedOpenAlert(_org.CreateDeal(), _org.Manager);

            _org.ManagerService.Update(new Entity(RiskAlert.EntityName, alert) { [RiskAlert.Response] = new OptionSetValue(OptionSets.ResponseValue(AlertResponse.CoachedRep)), [RiskAlert.ResponseMinutes] = 30 });

            Assert.That(CallsOfLast<AlertResponsePlugin>(), Is.EqualTo("Create=1, Retrieve=1"), "the deal's owner, then the coaching session");
        }

        [Test]
        public void CreatingADeal_CostsOneQuery()
        {
            // A new deal has no lines, requirements or allocations, so no delivery demand: only the policy is read.
            _org.CreateDeal();
            Assert.That(CallsOfLast<OpportunityRiskPlugin>(), Is.EqualTo("RetrieveMultiple=1"));
        }
    }
}
