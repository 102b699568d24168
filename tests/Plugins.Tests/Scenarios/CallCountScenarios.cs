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
            Assert.That(CallsOfLast<OpportunityRiskPlugin>(), Is.EqualTo("RetrieveMultiple=6"));
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

        [Test]
        public void CreatingADeal_CostsThreeQueries()
        {
            _org.CreateDeal();
            Assert.That(CallsOfLast<OpportunityRiskPlugin>(), Is.EqualTo("RetrieveMultiple=3"));
        }
    }
}
