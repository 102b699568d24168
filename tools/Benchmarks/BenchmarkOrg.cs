using System;
using System.Collections.Generic;
using System.Linq;
using CrmPlugins.Emulator;
using DealRisk.Plugins;
using DealRisk.Plugins.Schema;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Benchmarks
{
    /// <summary>An emulated org with the suite imported from Solution/, a rep, products and capacity: what the save
    /// benchmarks start from.</summary>
    internal sealed class BenchmarkOrg
    {
        public static readonly DateTime Today = new(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc);

        public BenchmarkOrg()
        {
            // Only the latest records: a benchmark runs thousands of saves, and every record kept would weigh on the figures.
            Org = new XrmOrganization { UtcNow = Today, ExecutionRecordLimit = 100 };
            Org.ImportSolution(SolutionFolder(), typeof(OpportunityRiskPlugin).Assembly);
            Rep = Guid.NewGuid();
            Org.Seed(new Entity(SystemUser.EntityName, Rep) { [SystemUser.FullName] = "Rob Rep", [SystemUser.BusinessUnitId] = new EntityReference("businessunit", Org.RootBusinessUnitId) });
            Products = Enumerable.Range(0, 20).Select(i => new Entity(Product.EntityName, Guid.NewGuid())
            {
                [Product.Name] = "P" + i, ["currentcost"] = new Money(100m + i),
                [Product.DeliveryHoursPerUnit] = i % 4 == 0 ? 8m : null, [Product.DeliveryRole] = i % 4 == 0 ? new OptionSetValue(OptionSets.Prefix) : null,
            }).ToList();
            Org.Seed(Products);
            for (var m = 0; m < 12; m++)
                Org.Seed(new Entity(Capacity.EntityName)
                {
                    [Capacity.Name] = "Consultants", [Capacity.Role] = new OptionSetValue(OptionSets.Prefix),
                    [Capacity.Month] = new DateTime(2026, 11, 1).AddMonths(m), [Capacity.Hours] = 3_200m,
                });
            RepService = Org.GetOrganizationService(Rep);
        }

        public XrmOrganization Org { get; }

        public Guid Rep { get; }

        public IReadOnlyList<Entity> Products { get; }

        public IOrganizationService RepService { get; }

        /// <summary>Seeds an open deal of the rep with <paramref name="lines"/> lines and <paramref name="allocations"/> allocations; returns its id.</summary>
        public Guid SeedDeal(int lines, int allocations = 0, int closeInDays = 60)
        {
            var deal = Guid.NewGuid();
            var rows = new List<Entity>
            {
                new(Opportunity.EntityName, deal)
                {
                    [Opportunity.Name] = "Deal", [Opportunity.EstimatedValue] = new Money(100_000m), [Opportunity.EstimatedCloseDate] = Today.AddDays(closeInDays),
                    [Opportunity.OwnerId] = new EntityReference(SystemUser.EntityName, Rep), [Opportunity.StateCode] = new OptionSetValue(0), [Opportunity.CloseProbability] = 50,
                },
            };
            rows.AddRange(Enumerable.Range(0, lines).Select(i => Line(deal, i)));
            rows.AddRange(Enumerable.Range(0, allocations).Select(_ => new Entity(ResourceAllocation.EntityName, Guid.NewGuid())
            {
                [ResourceAllocation.OpportunityId] = new EntityReference(Opportunity.EntityName, deal), [ResourceAllocation.Role] = new OptionSetValue(OptionSets.Prefix),
                [ResourceAllocation.Hours] = 40m, [ResourceAllocation.Start] = Today.AddDays(closeInDays + 7),
            }));
            Org.Seed(rows);
            return deal;
        }

        /// <summary>
        /// Builds the demand ledger for the deals seeded so far, as `evaluate` does (the Custom API dr_RebuildDemandLedger,
        /// page by page): seeded deals bypass the risk step, so without it the ledger would hold none of them and a save
        /// would be measured against an empty ledger. Returns the deals read.
        /// </summary>
        public int RebuildLedger() => DealRisk.Cli.Evaluate.EvaluateLedger.Rebuild(Org, _ => { }).Deals;

        /// <summary>A line of the deal as the platform stores it (amounts computed).</summary>
        public Entity Line(Guid deal, int i) => new(OpportunityProduct.EntityName, Guid.NewGuid())
        {
            [OpportunityProduct.OpportunityId] = new EntityReference(Opportunity.EntityName, deal),
            [OpportunityProduct.ProductId] = Products[i % Products.Count].ToEntityReference(),
            [OpportunityProduct.Quantity] = 2m, ["priceperunit"] = new Money(500m), ["baseamount"] = new Money(1_000m), ["extendedamount"] = new Money(1_000m),
        };

        public static string SolutionFolder() =>
            CrmPlugins.SolutionModel.SolutionSource.FindInRepository() ?? throw new InvalidOperationException("Run the benchmarks from the repository (Solution/ is read from it).");
    }
}
