using System;
using System.Collections.Generic;
using System.Linq;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;
using NUnit.Framework;

namespace DealRisk.Plugins.Tests.Scenarios
{
    /// <summary>
    /// Other deals' demand (issue 23): read with two aggregates bounded by the delivery window, so a save costs the same
    /// queries in an empty org and beside thousands of open deals, and a batch judges each deal exactly as saving the deals
    /// one by one in the batch's order would.
    /// </summary>
    public class OtherDemandScenarios
    {
        private const int Consultant = OptionSets.Prefix;

        /// <summary>Seeds <paramref name="count"/> open deals, each needing 10 h of consultants (requirement) and one
        /// implementation pack (40 h), closing on one of 30 days from 2027-01-01 at 20, 50 or 80 %.</summary>
        private static void SeedOpenDeals(SalesOrg org, int count)
        {
            var rows = new List<Entity>();
            for (var i = 0; i < count; i++)
            {
                var id = Guid.NewGuid();
                var deal = new EntityReference(Opportunity.EntityName, id);
                rows.Add(new Entity(Opportunity.EntityName, id)
                {
                    [Opportunity.Name] = "Other " + i, [Opportunity.EstimatedValue] = new Money(50_000m),
                    [Opportunity.EstimatedCloseDate] = new DateTime(2027, 1, 1).AddDays(i % 30), [Opportunity.CloseProbability] = new[] { 20, 50, 80 }[i % 3],
                    [Opportunity.SalesStage] = new OptionSetValue(1),
                });
                rows.Add(new Entity(Requirement.EntityName, Guid.NewGuid())
                {
                    [Requirement.OpportunityId] = deal, [Requirement.Name] = "Workshops", [Requirement.EffortHours] = 10m,
                    [Requirement.Role] = new OptionSetValue(Consultant), [Requirement.Fit] = new OptionSetValue(OptionSets.FitValue(RequirementFit.Standard)),
                });
                rows.Add(new Entity(OpportunityProduct.EntityName, Guid.NewGuid())
                {
                    [OpportunityProduct.OpportunityId] = deal, [OpportunityProduct.ProductId] = new EntityReference(Product.EntityName, org.ImplementationPack),
                    [OpportunityProduct.Quantity] = 1m, ["priceperunit"] = new Money(5_000m),
                });
            }

            org.Org.Seed(rows);
        }

        private static string SaveOfADealWithDeliveryDemand(SalesOrg org)
        {
            var id = org.CreateDeal(closeInDays: 60);
            org.AddLine(id, org.ImplementationPack, 1, 10_000m);
            org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.CloseProbability] = 70 });
            return org.Org.Executions.Last(e => e.PluginType == typeof(OpportunityRiskPlugin)).Calls.ToString();
        }

        [Test]
        public void ASave_CostsTheSameQueries_InAnEmptyOrg_AndBesideThreeThousandOpenDeals()
        {
            // Policy, lines, requirements, allocations, capacity, and the two demand aggregates.
            var empty = new SalesOrg();
            var busy = new SalesOrg();
            SeedOpenDeals(busy, 3_000);

            Assert.That(SaveOfADealWithDeliveryDemand(empty), Is.EqualTo("RetrieveMultiple=9"));
            Assert.That(SaveOfADealWithDeliveryDemand(busy), Is.EqualTo("RetrieveMultiple=9"));
        }

        [Test]
        public void OtherDemand_ReadsRowsBoundedByTheWindow_NotByTheDeals()
        {
            // 3,000 deals close on 30 days at 3 probabilities (each day one probability: i % 30 and i % 3 agree), one role:
            // at most 30 groups per aggregate, whatever the number of deals. Their hours: 3,000 × (10 + 40) h, weighted
            // by 20, 50 and 80 % a thousand deals each: 1,000 × 50 × (0.2 + 0.5 + 0.8) = 75,000 h.
            var org = new SalesOrg();
            SeedOpenDeals(org, 3_000);
            var counting = new RowCountingService(org.Org.GetOrganizationService());

            var claims = new RiskFactsReader(counting).OtherDemand(Array.Empty<Guid>(), new DateTime(2027, 1, 1), new DateTime(2027, 6, 1), SalesOrg.Today, 90);

            Assert.That(counting.Queries, Is.EqualTo(2));
            Assert.That(counting.Rows, Is.LessThanOrEqualTo(60), "two aggregates of at most 30 groups");
            Assert.That(claims.Sum(c => c.Hours * c.Weight), Is.EqualTo(75_000m));
        }

        [Test]
        public void OtherDemand_OverMoreRowsThanTheAggregateLimit_IsSummedInHalvesOfTheWindow_WithNothingCountedTwice()
        {
            // Dataverse refuses an aggregate over more rows than AggregateQueryRecordLimit (50,000 by default; FetchXML's
            // aggregatelimit lowers it: https://learn.microsoft.com/power-apps/developer/data-platform/fetchxml/aggregate-data#limitations).
            // The same 3,000 deals as above against a limit of 1,000 rows: the close-date span is halved until each part
            // fits, and the total is still 75,000 h (a save in a large org must not fail on it, nor count a deal twice).
            var org = new SalesOrg();
            SeedOpenDeals(org, 3_000);
            var limited = new RowCountingService(org.Org.GetOrganizationService(), aggregateLimit: 1_000);

            var claims = new RiskFactsReader(limited).OtherDemand(Array.Empty<Guid>(), new DateTime(2027, 1, 1), new DateTime(2027, 6, 1), SalesOrg.Today, 90);

            Assert.That(claims.Sum(c => c.Hours * c.Weight), Is.EqualTo(75_000m));
            Assert.That(limited.Queries, Is.GreaterThan(2), "the refused aggregates were split");
        }

        [Test]
        public void Save_InAnOrgPastTheAggregateLimit_IsRefusedWithDataversesFault_AndTheAggregateIsNotSplitInsideTheTransaction()
        {
            // Inside the save's transaction a refused call ends the transaction even if the plugin catches it
            // (https://learn.microsoft.com/power-apps/developer/data-platform/troubleshoot-plug-in#transaction-errors), so the
            // risk step must not try halves there as the report's reader does outside one: the 3,000 other deals' rows against a
            // limit of 1,000 refuse the save with the aggregate's own fault, after one refused aggregate and no more.
            var org = new SalesOrg();
            var id = org.CreateDeal(closeInDays: 60);
            org.AddLine(id, org.ImplementationPack, 1, 10_000m);
            SeedOpenDeals(org, 3_000);
            org.Org.AggregateQueryRecordLimit = 1_000;

            var fault = Assert.Throws<System.ServiceModel.FaultException<OrganizationServiceFault>>(() =>
                org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.CloseProbability] = 70 }))!;

            Assert.That(fault.Detail.ErrorCode, Is.EqualTo(unchecked((int)0x8004E023)), "the platform's code: AggregateQueryRecordLimit exceeded");
            Assert.That(fault.Detail.Message, Does.StartWith("Deal Risk cannot weigh the other deals' demand for delivery people").And.Contains("Your changes were not saved"));
            var aggregates = org.Org.Executions.Last(e => e.PluginType == typeof(OpportunityRiskPlugin)).Calls.ToString();
            Assert.That(aggregates, Is.EqualTo("RetrieveMultiple=8"), "policy, lines, requirements, activity, bar, allocations, capacity and the one refused aggregate");
        }

        [Test]
        public void CreatingADealWithNoLines_CostsOneQuery_UpdatingOneWithoutDeliveryDemand_Five_WithIt_Nine()
        {
            var org = new SalesOrg();
            var id = org.CreateDeal();
            Assert.That(org.Org.Executions.Last(e => e.PluginType == typeof(OpportunityRiskPlugin)).Calls.ToString(), Is.EqualTo("RetrieveMultiple=1"), "the policy");

            org.AddLine(id, org.Licence, 1, 1_000m);
            Assert.That(org.Org.Executions.Last(e => e.PluginType == typeof(OpportunityRiskPlugin)).Calls.ToString(), Is.EqualTo("RetrieveMultiple=5"), "policy, lines, requirements, customer activity, process bar");

            org.AddLine(id, org.ImplementationPack, 1, 10_000m);
            Assert.That(org.Org.Executions.Last(e => e.PluginType == typeof(OpportunityRiskPlugin)).Calls.ToString(), Is.EqualTo("RetrieveMultiple=9"),
                "and allocations, capacity, the two demand aggregates");
        }

        /// <summary>One deal of a generated batch: its demand and the change the batch makes to it.</summary>
        public sealed record BatchDeal(int ClosesInDays, int Probability, int Hours, int Packs, int NewClosesInDays, int NewProbability);

        private static readonly Guid[] Ids = Enumerable.Range(1, 8).Select(i => new Guid($"30000000-0000-0000-0000-{i:D12}")).ToArray();

        private static SalesOrg OrgWith(IReadOnlyList<BatchDeal> deals, bool withADealOutsideTheBatch = true)
        {
            var org = new SalesOrg();
            // One deal outside the batch shares the consultants.
            if (withADealOutsideTheBatch) SeedOpenDeals(org, 1);
            for (var i = 0; i < deals.Count; i++)
            {
                var d = deals[i];
                var deal = new EntityReference(Opportunity.EntityName, Ids[i]);
                org.Org.Seed(new Entity(Opportunity.EntityName, Ids[i])
                {
                    [Opportunity.Name] = "Batch " + i, [Opportunity.EstimatedValue] = new Money(100_000m),
                    [Opportunity.EstimatedCloseDate] = SalesOrg.Today.Date.AddDays(d.ClosesInDays), [Opportunity.CloseProbability] = d.Probability,
                    [Opportunity.SalesStage] = new OptionSetValue(1),
                });
                if (d.Hours > 0)
                    org.Org.Seed(new Entity(Requirement.EntityName, Guid.NewGuid())
                    {
                        [Requirement.OpportunityId] = deal, [Requirement.Name] = "Build", [Requirement.EffortHours] = (decimal)d.Hours,
                        [Requirement.Role] = new OptionSetValue(Consultant), [Requirement.Fit] = new OptionSetValue(OptionSets.FitValue(RequirementFit.Standard)),
                    });
                if (d.Packs > 0)
                    org.Org.Seed(new Entity(OpportunityProduct.EntityName, Guid.NewGuid())
                    {
                        [OpportunityProduct.OpportunityId] = deal, [OpportunityProduct.ProductId] = new EntityReference(Product.EntityName, org.ImplementationPack),
                        [OpportunityProduct.Quantity] = (decimal)d.Packs, ["priceperunit"] = new Money(10_000m),
                    });
            }

            return org;
        }

        private static Entity Change(BatchDeal d, int i) => new(Opportunity.EntityName, Ids[i])
        {
            [Opportunity.EstimatedCloseDate] = SalesOrg.Today.Date.AddDays(d.NewClosesInDays), [Opportunity.CloseProbability] = d.NewProbability,
        };

        private static readonly string[] Verdict =
        {
            Opportunity.OverallRisk, Opportunity.ResourceRisk, Opportunity.PeakUtilisation, Opportunity.RiskScore, Opportunity.RiskReasons, Opportunity.RiskFindingCodes,
        };

        private static string VerdictOf(SalesOrg org, int i)
        {
            var deal = org.Deal(Ids[i]);
            return string.Join(" | ", Verdict.Select(c => deal.Attributes.TryGetValue(c, out var v) ? v is OptionSetValue o ? o.Value.ToString() : Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) : "-"));
        }

        [Test]
        public void ABatch_JudgesEachDeal_ExactlyAsSavingThemOneByOne()
        {
            var deal =
                from closes in Gen.Choose(-10, 120)
                from probability in Gen.Choose(0, 100)
                from hours in Gen.Elements(0, 40, 150, 400)
                from packs in Gen.Choose(0, 6)
                from newCloses in Gen.Choose(-10, 120)
                from newProbability in Gen.Choose(0, 100)
                select new BatchDeal(closes, probability, hours, packs, newCloses, newProbability);
            var batch = Gen.Choose(2, Ids.Length).SelectMany(n => Gen.ArrayOf(deal, n));

            Prop.ForAll(batch.ToArbitrary(), deals =>
            {
                var bulk = OrgWith(deals);
                bulk.RepService.Execute(new UpdateMultipleRequest
                {
                    Targets = new EntityCollection(deals.Select(Change).ToList()) { EntityName = Opportunity.EntityName },
                });
                var single = OrgWith(deals);
                for (var i = 0; i < deals.Length; i++) single.RepService.Update(Change(deals[i], i));

                for (var i = 0; i < deals.Length; i++)
                    Assert.That(VerdictOf(bulk, i), Is.EqualTo(VerdictOf(single, i)), $"deal {i} of {deals.Length}");
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(25));
        }

        [Test]
        public void ABatchOfTwoDeals_CountsEachOthersDemand()
        {
            // Both close 2027-01-01 at 80 % with 4 implementation packs (160 consultant hours); capacity 320 h a month.
            // Saved in a batch, the first sees the second as stored (80 %: 128 h weighted), the second sees the first as
            // saved: January 160 × 31/90 = 55.1 h own + 128 × 31/90 = 44.1 h other -> 31 % of 320 h.
            var deals = new[] { new BatchDeal(60, 80, 0, 4, 60, 80), new BatchDeal(60, 80, 0, 4, 60, 80) };
            var org = OrgWith(deals, withADealOutsideTheBatch: false);

            org.RepService.Execute(new UpdateMultipleRequest
            {
                Targets = new EntityCollection(deals.Select(Change).ToList()) { EntityName = Opportunity.EntityName },
            });

            Assert.That(org.Deal(Ids[0]).GetAttributeValue<decimal?>(Opportunity.PeakUtilisation), Is.EqualTo(31m));
            Assert.That(org.Deal(Ids[1]).GetAttributeValue<decimal?>(Opportunity.PeakUtilisation), Is.EqualTo(31m));
        }

        /// <summary>Counts the queries and the rows they return.</summary>
        private sealed class RowCountingService : IOrganizationService
        {
            private readonly IOrganizationService _inner;

            private readonly int? _aggregateLimit;

            /// <param name="aggregateLimit">Sends every aggregate with FetchXML's aggregatelimit lowered to this, so the
            /// emulator refuses it as Dataverse refuses an aggregate over more rows than the organization's limit.</param>
            public RowCountingService(IOrganizationService inner, int? aggregateLimit = null)
            {
                _inner = inner;
                _aggregateLimit = aggregateLimit;
            }

            public int Queries { get; private set; }

            public int Rows { get; private set; }

            public EntityCollection RetrieveMultiple(QueryBase query)
            {
                if (_aggregateLimit is int limit && query is FetchExpression fetch)
                    query = new FetchExpression(fetch.Query.Replace("<fetch aggregate='true'", $"<fetch aggregatelimit='{limit}' aggregate='true'"));
                var result = _inner.RetrieveMultiple(query);
                Queries++;
                Rows += result.Entities.Count;
                return result;
            }

            public Guid Create(Entity entity) => _inner.Create(entity);
            public Entity Retrieve(string entityName, Guid id, ColumnSet columnSet) => _inner.Retrieve(entityName, id, columnSet);
            public void Update(Entity entity) => _inner.Update(entity);
            public void Delete(string entityName, Guid id) => _inner.Delete(entityName, id);
            public OrganizationResponse Execute(OrganizationRequest request) => _inner.Execute(request);
            public void Associate(string entityName, Guid entityId, Relationship relationship, EntityReferenceCollection relatedEntities) => _inner.Associate(entityName, entityId, relationship, relatedEntities);
            public void Disassociate(string entityName, Guid entityId, Relationship relationship, EntityReferenceCollection relatedEntities) => _inner.Disassociate(entityName, entityId, relationship, relatedEntities);
        }
    }
}
