using System;
using System.Linq;
using CrmPlugins.Emulator;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;
using NUnit.Framework;

namespace DealRisk.Plugins.Tests.Scenarios
{
    /// <summary>
    /// Text the suite builds from a deal (a history row's name and trigger, the verdict's codes) fits the columns it is
    /// written to: the emulator refuses writes beyond Solution/'s MaxLength as Dataverse does, and an asynchronous
    /// history row refused there would be lost.
    /// </summary>
    public class ColumnLimitScenarios
    {
        // opportunity.name holds up to 300 characters; this name uses them all, with characters outside the BMP.
        private static readonly string LongName = "Contoso " + string.Concat(Enumerable.Repeat("😀 rollout ", 26)) + "ending";

        private SalesOrg _org = null!;

        [SetUp]
        public void SetUp() => _org = new SalesOrg();

        private Entity[] History(Guid deal)
        {
            _org.Org.RunAsyncOperations();
            Assert.That(_org.Org.AsyncOperations.Where(a => a.Status == AsyncOperationStatus.Failed).Select(a => a.Message), Is.Empty, "no history job failed");
            return _org.Org.All(RiskHistory.EntityName).Where(h => h.GetAttributeValue<EntityReference>(RiskHistory.OpportunityId).Id == deal)
                .OrderBy(h => h.GetAttributeValue<long>(RiskHistory.SourceVersion)).ToArray();
        }

        [Test]
        public void Save_ChangingManyColumnsAtOnce_KeepsTheHistoryRowWithItsTriggerCutToFit()
        {
            var id = _org.CreateDeal();
            var save = new Entity(Opportunity.EntityName, id)
            {
                [Opportunity.EstimatedCloseDate] = SalesOrg.Today.Date.AddDays(200),
                [Opportunity.CloseProbability] = 10,
                [Opportunity.EstimatedValue] = new Money(10m),
            };
            foreach (var column in new[] { "description", "customerneed", "proposedsolution", "currentsituation", "customerpainpoints", "quotecomments", "qualificationcomments", "stepname", "timeline", "purchasetimeframe", "purchaseprocess", "decisionmaker", "budgetstatus", "need" })
                save[column] = column switch
                {
                    "purchasetimeframe" or "purchaseprocess" or "budgetstatus" or "need" or "timeline" => new OptionSetValue(1),
                    "decisionmaker" => true, // a Yes/No column in Dataverse: text would be refused
                    _ => "x",
                };
            _org.RepService.Update(save);

            var trigger = History(id).Last().GetAttributeValue<string>(RiskHistory.Trigger);
            Assert.That(trigger.Length, Is.LessThanOrEqualTo(200));
            Assert.That(trigger, Does.StartWith("Update: ").And.EndWith("…"));
        }

        [Test]
        public void Close_OfADealWithTheLongestName_KeepsTheCloseRowWithItsNameCutToFit()
        {
            Assert.That(LongName.Length, Is.EqualTo(300));
            var id = _org.CreateDeal(LongName);

            _org.RepService.Execute(_org.Win(id));

            var close = History(id).Last();
            Assert.That(close.GetAttributeValue<OptionSetValue>(RiskHistory.Kind).Value, Is.EqualTo(RiskHistory.KindClose));
            var name = close.GetAttributeValue<string>(RiskHistory.Name);
            Assert.That(name.Length, Is.LessThanOrEqualTo(300));
            Assert.That(name, Does.StartWith("Closed: Contoso").And.EndWith("…"));
            Assert.That(char.IsHighSurrogate(name[^2]), Is.False, "never half a character");
        }
    }
}
