using System;
using System.Linq;
using CrmPlugins.Emulator;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;
using NUnit.Framework;

namespace DealRisk.Plugins.Tests.Scenarios
{
    /// <summary>The risk history, written asynchronously after each save, through the pipeline with the steps from Solution/.</summary>
    public class RiskHistoryScenarios
    {
        private SalesOrg _org = null!;

        [SetUp]
        public void SetUp() => _org = new SalesOrg();

        private Entity[] History(Guid deal)
        {
            _org.Org.RunAsyncOperations();
            return _org.Org.All(RiskHistory.EntityName)
                .Where(h => h.GetAttributeValue<EntityReference>(RiskHistory.OpportunityId).Id == deal)
                .OrderBy(h => h.GetAttributeValue<long>(RiskHistory.SourceVersion)).ToArray();
        }

        [Test]
        public void Save_IsNotSlowedByHistory_TheRowIsWrittenByTheAsyncJob()
        {
            var id = _org.CreateDeal();

            Assert.That(_org.Org.All(RiskHistory.EntityName), Is.Empty, "nothing is written in the rep's transaction");
            var rows = History(id);
            Assert.That(rows, Has.Length.EqualTo(1));
            Assert.That(SalesOrg.Level(rows[0], RiskHistory.OverallRisk), Is.EqualTo(RiskLevel.Low));
            Assert.That(rows[0].GetAttributeValue<EntityReference>(RiskHistory.ChangedBy).Id, Is.EqualTo(_org.Rep));
        }

        [Test]
        public void OneRowPerRealChange_NoneForSavesThatLeaveTheVerdictAsItWas()
        {
            var id = _org.CreateDeal();
            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.CloseProbability] = 65 });
            _org.AddRequirement(id, "SAP integration", RequirementPriority.MustHave, RequirementFit.NotSupported);
            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.CloseProbability] = 70 });

            var rows = History(id);

            Assert.That(rows.Select(r => SalesOrg.Level(r, RiskHistory.OverallRisk)), Is.EqualTo(new RiskLevel?[] { RiskLevel.Low, RiskLevel.Critical }));
            Assert.That(rows[1].GetAttributeValue<string>(RiskHistory.FindingCodes), Is.EqualTo("MARGIN_FROM_AMOUNT,MUST_HAVE_NOT_SUPPORTED"));
            Assert.That(rows[1].GetAttributeValue<string>(RiskHistory.Trigger), Does.Contain("a product line, requirement or allocation"));
        }

        [Test]
        public void RetriedJob_DoesNotDuplicateTheRow()
        {
            var id = _org.CreateDeal();
            _org.Org.FailWhen(call => call.FromPlugin && call.MessageName == "Create" && call.Request["Target"] is Entity e && e.LogicalName == RiskHistory.EntityName);

            _org.Org.RunAsyncOperations();
            Assert.That(_org.Org.AsyncOperations.Single().Status, Is.EqualTo(AsyncOperationStatus.Failed));
            _org.Org.RetryFailedAsyncOperations();
            _org.Org.RetryFailedAsyncOperations();

            Assert.That(History(id), Has.Length.EqualTo(1));
        }

        [Test]
        public void Close_RecordsOutcomeRevenueMarginAndEveryFindingEverCarried()
        {
            var id = _org.CreateDeal();
            var requirement = _org.AddRequirement(id, "Custom portal", RequirementPriority.MustHave, RequirementFit.Customisation, hours: 60m);
            _org.RepService.Update(new Entity(Requirement.EntityName, requirement) { [Requirement.Quoted] = true });

            _org.RepService.Execute(_org.Win(id));

            var rows = History(id);
            var close = rows.Last();
            Assert.That(close.GetAttributeValue<OptionSetValue>(RiskHistory.Kind).Value, Is.EqualTo(RiskHistory.KindClose));
            Assert.That(close.GetAttributeValue<OptionSetValue>(RiskHistory.Outcome).Value, Is.EqualTo(RiskHistory.OutcomeWon));
            Assert.That(close.GetAttributeValue<Money>(RiskHistory.ActualRevenue).Value, Is.EqualTo(100_000m));
            Assert.That(close.GetAttributeValue<decimal?>(RiskHistory.MarginPercentAtClose), Is.EqualTo(95m));
            Assert.That(close.GetAttributeValue<string>(RiskHistory.FindingsEverCarried), Is.EqualTo("MARGIN_FROM_AMOUNT,UNQUOTED_EFFORT"));
        }

        [Test]
        public void Close_OfADealInAnotherCurrency_KeepsTheRevenueInThatCurrency_WithItsBaseValue()
        {
            var euro = new Guid("44444444-0000-0000-0000-0000000000e1");
            _org.Org.Seed(new Entity("transactioncurrency", euro) { ["isocurrencycode"] = "EUR", ["currencyname"] = "Euro", ["exchangerate"] = 0.8m, ["currencyprecision"] = 2 });
            var id = _org.CreateDeal(more: d => d[Opportunity.TransactionCurrencyId] = new EntityReference("transactioncurrency", euro));

            _org.RepService.Execute(_org.Win(id));

            var close = History(id).Last();
            Assert.That(close.GetAttributeValue<EntityReference>(Opportunity.TransactionCurrencyId)?.Id, Is.EqualTo(euro));
            Assert.That(close.GetAttributeValue<Money>(RiskHistory.ActualRevenue).Value, Is.EqualTo(100_000m), "in euros, as the deal");
            Assert.That(close.GetAttributeValue<Money>(RiskHistory.ActualRevenue + "_base").Value, Is.EqualTo(125_000m), "100,000 EUR at 0.8 to the base currency");
        }
    }
}
