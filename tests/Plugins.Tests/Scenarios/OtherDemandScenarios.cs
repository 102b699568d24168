using System;
using System.Collections.Generic;
using System.Linq;
using DealRisk.Plugins.Ledger;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;
using DealRisk.Plugins.Tests.Ledger;
using NUnit.Framework;

namespace DealRisk.Plugins.Tests.Scenarios
{
    /// <summary>
    /// Other deals' demand (issue 23): read from the demand ledger with one aggregate bounded by the delivery window, so a
    /// save costs the same queries and reads the same ledger rows in an empty org and beside thousands of open deals (once
    /// the daily sweep has folded the ledger), and a batch judges each deal exactly as saving the deals one by one in the
    /// batch's order would.
    /// </summary>
    public class OtherDemandScenarios
    {
        private const int Consultant = OptionSets.Prefix;

        /// <summary>Seeds <paramref name="count"/> open deals, each needing 10 h of consultants (requirement) and one
        /// implementation pack (40 h), closing on one of 30 days from 2027-01-01 at 20, 50 or 80 %, with the demand ledger
        /// holding them as the rebuild (dr_RebuildDemandLedger) leaves it: one row per role and day.</summary>
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
            LedgerRebuild.Run(org.Org);
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
            // Policy, lines, requirements, customer activity, process bar, allocations, capacity, and the one ledger aggregate.
            var empty = new SalesOrg();
            var busy = new SalesOrg();
            SeedOpenDeals(busy, 3_000);

            Assert.That(SaveOfADealWithDeliveryDemand(empty), Is.EqualTo("CreateMultiple=1, RetrieveMultiple=8"), "and the CreateMultiple of its change rows");
            Assert.That(SaveOfADealWithDeliveryDemand(busy), Is.EqualTo("CreateMultiple=1, RetrieveMultiple=8"));
        }

        [Test]
        public void TheLedgerRead_VisitsTheSameRows_BesideThirtyAndBesideThreeThousandFoldedOpenDeals()
        {
            // The ledger after the daily sweep's fold: one row per role and day, whatever the number of deals. 30 deals and
            // 3,000 deals closing on the same 30 days are 30 rows either way. The plugin's own ledger aggregate is run again
            // through the emulator's query engine over a row source that counts every row it reads (scans and index hits).
            var few = new SalesOrg();
            var many = new SalesOrg();
            SeedOpenDeals(few, 30);
            SeedOpenDeals(many, 3_000);

            var (fewRows, fewGroups) = LedgerReadOf(few);
            var (manyRows, manyGroups) = LedgerReadOf(many);
            TestContext.Out.WriteLine($"ledger read: {fewRows} rows visited beside 30 deals, {manyRows} beside 3,000");

            Assert.That(manyGroups, Is.EqualTo(30), "one group per close day");
            Assert.That(fewGroups, Is.EqualTo(30));
            Assert.That(manyRows, Is.EqualTo(fewRows), "a hundred times the deals, the same rows read");
            Assert.That(manyRows, Is.LessThanOrEqualTo(2 * 30), "the folded rows, and no row per deal");
        }

        private static (long RowsVisited, int Groups) LedgerReadOf(SalesOrg org)
        {
            var recording = new RowCountingService(org.Org.GetOrganizationService());
            new RiskFactsReader(recording).LedgerDemand(new DateTime(2026, 9, 1), new DateTime(2027, 6, 1), SalesOrg.Today);
            var fetch = recording.LastQuery!;
            var counting = new CountingRowSource(org.Org.Rows);
            var engine = new CrmPlugins.Emulator.Query.QueryEngine(counting);
            engine.Execute(fetch); // indexes are built on first use, as the store keeps them afterwards: count the second run
            counting.Visited = 0;
            var groups = engine.Execute(fetch).Entities.Count;
            return (counting.Visited, groups);
        }

        [Test]
        public void LedgerDemand_SumsTheLedgerPerRoleAndDay_ToWhatTheReferenceReadsFromTheRows()
        {
            // 3,000 deals close on 30 days at 3 probabilities (each day one probability: i % 30 and i % 3 agree), one role:
            // 30 groups. Their hours: 3,000 × (10 + 40) h, weighted by 20, 50 and 80 % a thousand deals each:
            // 1,000 × 50 × (0.2 + 0.5 + 0.8) = 75,000 h; the two-aggregate reference over the rows reads the same.
            var org = new SalesOrg();
            SeedOpenDeals(org, 3_000);
            var counting = new RowCountingService(org.Org.GetOrganizationService());
            var from = new DateTime(2027, 1, 1);
            var to = new DateTime(2027, 6, 1);

            var claims = new RiskFactsReader(counting).LedgerDemand(RiskFactsReader.DemandSince(from, 90), to, SalesOrg.Today);
            var reference = new LiveDemandReference(org.Org.GetOrganizationService()).OtherDemand(Array.Empty<Guid>(), from, to, SalesOrg.Today, 90);

            Assert.That(counting.Queries, Is.EqualTo(1));
            Assert.That(counting.Rows, Is.EqualTo(30), "one group per role and day");
            Assert.That(claims.Sum(c => c.Hours * c.Weight), Is.EqualTo(75_000m));
            Assert.That(DeliveryDemand.Spread(claims, 90).Select(d => (d.Role, d.Month, d.Hours)),
                Is.EquivalentTo(DeliveryDemand.Spread(reference, 90).Select(d => (d.Role, d.Month, d.Hours))));
        }

        [Test]
        public void Save_WhenTheLedgerIsPastTheAggregateLimit_IsRefusedWithDataversesFault_SayingTheSweepFoldsIt()
        {
            // Inside the save's transaction a refused call ends the transaction even if the plugin catches it
            // (https://learn.microsoft.com/power-apps/developer/data-platform/troubleshoot-plug-in#transaction-errors). The
            // ledger past the limit is unlikely (the daily sweep folds it into a row per role and day), but a save then fails
            // with the aggregate's own code and a sentence, after the one refused aggregate and no more.
            var org = new SalesOrg();
            var id = org.CreateDeal(closeInDays: 60);
            org.AddLine(id, org.ImplementationPack, 1, 10_000m);
            SeedOpenDeals(org, 3_000);
            // A busy day's change rows, not folded yet: 1,200 in the window, past the limit this org is given.
            org.Org.Seed(Enumerable.Range(0, 1_200).Select(i => DemandLedger.Row(new DemandEntry("Consultant", new DateTime(2027, 1, 10), i % 2 == 0 ? 1m : -1m))!).ToList());
            org.Org.AggregateQueryRecordLimit = 1_000;

            var fault = Assert.Throws<System.ServiceModel.FaultException<OrganizationServiceFault>>(() =>
                org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.CloseProbability] = 70 }))!;

            Assert.That(fault.Detail.ErrorCode, Is.EqualTo(unchecked((int)0x8004E023)), "the platform's code: AggregateQueryRecordLimit exceeded");
            Assert.That(fault.Detail.Message, Does.StartWith("Deal Risk cannot weigh the other deals' demand for delivery people")
                .And.Contains("the daily sweep folds them").And.Contains("Your changes were not saved"));
            var calls = org.Org.Executions.Last(e => e.PluginType == typeof(OpportunityRiskPlugin)).Calls.ToString();
            Assert.That(calls, Is.EqualTo("RetrieveMultiple=8"), "policy, lines, requirements, activity, bar, allocations, capacity and the one refused aggregate");
        }

        [Test]
        public void CreatingADealWithNoLines_CostsOneQuery_UpdatingOneWithoutDeliveryDemand_Five_WithIt_Eight()
        {
            var org = new SalesOrg();
            var id = org.CreateDeal();
            Assert.That(org.Org.Executions.Last(e => e.PluginType == typeof(OpportunityRiskPlugin)).Calls.ToString(), Is.EqualTo("RetrieveMultiple=1"), "the policy");

            org.AddLine(id, org.Licence, 1, 1_000m);
            Assert.That(org.Org.Executions.Last(e => e.PluginType == typeof(OpportunityRiskPlugin)).Calls.ToString(), Is.EqualTo("RetrieveMultiple=5"), "policy, lines, requirements, customer activity, process bar");

            org.AddLine(id, org.ImplementationPack, 1, 10_000m);
            Assert.That(org.Org.Executions.Last(e => e.PluginType == typeof(OpportunityRiskPlugin)).Calls.ToString(), Is.EqualTo("CreateMultiple=1, RetrieveMultiple=8"),
                "and allocations, capacity, the ledger aggregate; and the CreateMultiple of the change rows");
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
                var rows = new List<Entity>
                {
                    new(Opportunity.EntityName, Ids[i])
                    {
                        [Opportunity.Name] = "Batch " + i, [Opportunity.EstimatedValue] = new Money(100_000m),
                        [Opportunity.EstimatedCloseDate] = SalesOrg.Today.Date.AddDays(d.ClosesInDays), [Opportunity.CloseProbability] = d.Probability,
                        [Opportunity.SalesStage] = new OptionSetValue(1),
                    },
                };
                if (d.Hours > 0)
                    rows.Add(new Entity(Requirement.EntityName, Guid.NewGuid())
                    {
                        [Requirement.OpportunityId] = deal, [Requirement.Name] = "Build", [Requirement.EffortHours] = (decimal)d.Hours,
                        [Requirement.Role] = new OptionSetValue(Consultant), [Requirement.Fit] = new OptionSetValue(OptionSets.FitValue(RequirementFit.Standard)),
                    });
                if (d.Packs > 0)
                    rows.Add(new Entity(OpportunityProduct.EntityName, Guid.NewGuid())
                    {
                        [OpportunityProduct.OpportunityId] = deal, [OpportunityProduct.ProductId] = new EntityReference(Product.EntityName, org.ImplementationPack),
                        [OpportunityProduct.Quantity] = (decimal)d.Packs, ["priceperunit"] = new Money(10_000m),
                    });
                org.Org.Seed(rows);
            }

            // The batch's deals as judged once before: the ledger holds them, and the batch posts their changes.
            LedgerRebuild.Run(org.Org);

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

        /// <summary>Counts the queries and the rows they return, and keeps the last query.</summary>
        private sealed class RowCountingService : IOrganizationService
        {
            private readonly IOrganizationService _inner;

            public RowCountingService(IOrganizationService inner) => _inner = inner;

            public int Queries { get; private set; }

            public int Rows { get; private set; }

            public QueryBase? LastQuery { get; private set; }

            public EntityCollection RetrieveMultiple(QueryBase query)
            {
                LastQuery = query;
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
