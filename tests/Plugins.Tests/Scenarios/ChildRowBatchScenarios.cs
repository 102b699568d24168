using System;
using System.Collections.Generic;
using System.Linq;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using NUnit.Framework;

namespace DealRisk.Plugins.Tests.Scenarios
{
    /// <summary>
    /// A batch of child rows (CreateMultiple / UpdateMultiple carry every row in Targets) costs one evaluation per deal it
    /// touches: the child-row step asks all of them with one UpdateMultiple, which runs the risk step once for the batch
    /// of deals with the queries of one save (learn.microsoft.com/power-apps/developer/data-platform/bulk-operations).
    /// </summary>
    public class ChildRowBatchScenarios
    {
        private static Entity Line(SalesOrg org, Guid deal, int i) => new(OpportunityProduct.EntityName)
        {
            [OpportunityProduct.OpportunityId] = new EntityReference(Opportunity.EntityName, deal),
            [OpportunityProduct.ProductId] = new EntityReference(Product.EntityName, i % 3 == 0 ? org.ImplementationPack : org.Licence),
            [OpportunityProduct.Quantity] = 1m + i % 4,
            ["priceperunit"] = new Money(500m + 10m * (i % 7)),
        };

        private static Guid[] TenDeals(SalesOrg org) => Enumerable.Range(0, 10).Select(d => org.CreateDeal("Deal " + d, amount: 50_000m + 1_000m * d, closeInDays: 30 + d)).ToArray();

        private static void CreateInOneBatch(SalesOrg org, IEnumerable<Entity> rows, string table) =>
            org.RepService.Execute(new CreateMultipleRequest { Targets = new EntityCollection(rows.ToList()) { EntityName = table } });

        [Test]
        public void CreateMultiple_OfAThousandLinesAcrossTenDeals_JudgesEachDealOnce()
        {
            var org = new SalesOrg();
            var deals = TenDeals(org);
            var before = org.Org.Executions.Count;

            CreateInOneBatch(org, Enumerable.Range(0, 1_000).Select(i => Line(org, deals[i % 10], i)), OpportunityProduct.EntityName);

            var since = org.Org.Executions.Skip(before).ToList();
            var child = since.Where(e => e.PluginType == typeof(ChildRowRiskPlugin)).ToList();
            var risk = since.Where(e => e.PluginType == typeof(OpportunityRiskPlugin)).ToList();
            Assert.That(child, Has.Count.EqualTo(1), "one child-row execution for the batch");
            Assert.That(child[0].Calls.ToString(), Is.EqualTo("UpdateMultiple=1"), "the ten deals are asked with one request");
            Assert.That(risk, Has.Count.EqualTo(1), "one risk execution for the ten deals");
            Assert.That(((EntityCollection)risk[0].Context.InputParameters["Targets"]).Entities.Select(e => e.Id), Is.EquivalentTo(deals), "each deal once");
            // One save of one of those deals, now that it has its lines (and so delivery demand), costs the same queries.
            var oneSave = org.Org.Executions.Count;
            org.RepService.Update(new Entity(Opportunity.EntityName, deals[0]) { [Opportunity.CloseProbability] = 61 });
            var queriesOfOneSave = org.Org.Executions.Skip(oneSave).Single(e => e.PluginType == typeof(OpportunityRiskPlugin)).Calls.ToString();
            Assert.That(risk[0].Calls.ToString(), Is.EqualTo(queriesOfOneSave), "the queries of one save");
        }

        [Test]
        public void CreateMultiple_OfLinesAcrossTenDeals_GivesTheVerdictsOfAddingEachDealsLinesAlone()
        {
            // The forecast check compares a save with the one before (a margin drop between two saves is a finding), so
            // the same lines added one row at a time may read differently; what one batch must not change is the verdict
            // of each deal given its lines: the same as a batch holding that deal's lines only. Deals count each other's
            // delivery demand (issue 22) as the demand ledger holds it, which is as each deal was last judged: a deal of the
            // batch sees those before it with their new lines and those after it as judged before the batch. So both orgs
            // judge every deal once more when all have their lines (a recalculation, which changes no input): then each deal
            // sees the others' lines in both.
            var batch = new SalesOrg();
            var alone = new SalesOrg();
            var batchDeals = TenDeals(batch);
            var aloneDeals = TenDeals(alone);
            const int lines = 200;

            CreateInOneBatch(batch, Enumerable.Range(0, lines).Select(i => Line(batch, batchDeals[i % 10], i)), OpportunityProduct.EntityName);
            Recalculate(batch, batchDeals);
            for (var d = 0; d < 10; d++)
                CreateInOneBatch(alone, Enumerable.Range(0, lines).Where(i => i % 10 == d).Select(i => Line(alone, aloneDeals[d], i)), OpportunityProduct.EntityName);
            Recalculate(alone, aloneDeals);

            for (var d = 0; d < 10; d++)
            {
                var fromBatch = batch.Deal(batchDeals[d]);
                var dealAlone = alone.Deal(aloneDeals[d]);
                foreach (var column in Opportunity.Verdict)
                    Assert.That(Plain(fromBatch, column), Is.EqualTo(Plain(dealAlone, column)), $"deal {d}, {column}");
            }
        }

        private static void Recalculate(SalesOrg org, IEnumerable<Guid> deals) =>
            org.RepService.Execute(new UpdateMultipleRequest
            {
                Targets = new EntityCollection(deals.Select(d => new Entity(Opportunity.EntityName, d) { [Opportunity.RiskRecalculationRequestedOn] = org.Org.UtcNow }).ToList()) { EntityName = Opportunity.EntityName },
            });

        [Test]
        public void UpdateMultiple_OfRequirementsOnThreeDeals_JudgesEachDealOnce()
        {
            var org = new SalesOrg();
            var deals = TenDeals(org).Take(3).ToArray();
            var requirements = deals.SelectMany(d => Enumerable.Range(0, 4).Select(i => org.AddRequirement(d, "R" + i, RequirementPriority.ShouldHave, RequirementFit.Configuration, hours: 2m))).ToList();
            var before = org.Org.Executions.Count;

            org.RepService.Execute(new UpdateMultipleRequest
            {
                Targets = new EntityCollection(requirements.Select(r => new Entity(Requirement.EntityName, r) { [Requirement.EffortHours] = 3m }).ToList()) { EntityName = Requirement.EntityName },
            });

            var risk = org.Org.Executions.Skip(before).Where(e => e.PluginType == typeof(OpportunityRiskPlugin)).ToList();
            Assert.That(risk, Has.Count.EqualTo(1));
            Assert.That(((EntityCollection)risk[0].Context.InputParameters["Targets"]).Entities.Select(e => e.Id), Is.EquivalentTo(deals));
            Assert.That(deals.Select(d => org.Deal(d).GetAttributeValue<decimal?>(Opportunity.UnquotedEffortHours)), Has.All.EqualTo(12m), "four requirements of 3 hours, none quoted");
        }

        [Test]
        public void Delete_OfALine_StillReJudgesItsDeal()
        {
            var org = new SalesOrg();
            var deal = org.CreateDeal();
            org.AddLine(deal, org.Licence, 1, 1_000m);
            var marginOfTheFirstLine = org.Deal(deal).GetAttributeValue<Money>(Opportunity.MarginAmount).Value;
            var second = org.AddLine(deal, org.Licence, 1, 3_000m);
            Assume.That(org.Deal(deal).GetAttributeValue<Money>(Opportunity.MarginAmount).Value, Is.Not.EqualTo(marginOfTheFirstLine));
            var before = org.Org.Executions.Count;

            org.RepService.Delete(OpportunityProduct.EntityName, second);

            var since = org.Org.Executions.Skip(before).ToList();
            Assert.That(since.Single(e => e.PluginType == typeof(ChildRowRiskPlugin)).Calls.ToString(), Is.EqualTo("Update=1"));
            Assert.That(since.Count(e => e.PluginType == typeof(OpportunityRiskPlugin)), Is.EqualTo(1));
            Assert.That(org.Deal(deal).GetAttributeValue<Money>(Opportunity.MarginAmount).Value, Is.EqualTo(marginOfTheFirstLine), "the deleted line's margin is gone");
        }

        private static object? Plain(Entity row, string column) => row.Attributes.TryGetValue(column, out var value)
            ? value switch { Money m => m.Value, OptionSetValue o => o.Value, _ => value }
            : null;
    }
}
