using System;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;
using CrmPlugins.Emulator;
using CrmPlugins.Emulator.Pipeline;
using DealRisk.Plugins;
using DealRisk.Plugins.Schema;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace CrmPlugins.Benchmarks
{
    /// <summary>
    /// A whole save through the emulator's pipeline with the registration from Solution/ (OpportunityRiskPlugin in
    /// PreOperation: its six set-based queries, the domain, the write), for a deal of 5 and of 500 product lines; and,
    /// beside it, how the deal's lines are read: the suite's one set-based query against a naive read of the lines
    /// followed by one Retrieve per line's product, so the ratio is visible.
    /// </summary>
    [MemoryDiagnoser]
    public class PluginExecutionBenchmarks
    {
        private XrmOrganization _org = null!;
        private IOrganizationService _rep = null!;
        private IOrganizationService _system = null!;
        private Guid _deal;
        private int _tick;

        [Params(5, 500)]
        public int Lines { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            _org = new XrmOrganization { UtcNow = new DateTime(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc) };
            _org.ImportSolution(BenchmarkOrg.SolutionFolder(), typeof(OpportunityRiskPlugin).Assembly);
            var rep = Guid.NewGuid();
            _org.Seed(new Entity(SystemUser.EntityName, rep) { [SystemUser.FullName] = "Rob Rep", [SystemUser.BusinessUnitId] = new EntityReference("businessunit", _org.RootBusinessUnitId) });
            var products = Enumerable.Range(0, 20).Select(i => new Entity(Product.EntityName, Guid.NewGuid()) { [Product.Name] = "P" + i, ["currentcost"] = new Money(100m + i) }).ToList();
            _org.Seed(products);
            _deal = Guid.NewGuid();
            _org.Seed(new Entity(Opportunity.EntityName, _deal)
            {
                [Opportunity.Name] = "Benchmark deal", [Opportunity.EstimatedValue] = new Money(1_000_000m), [Opportunity.EstimatedCloseDate] = _org.UtcNow.AddDays(60),
                [Opportunity.OwnerId] = new EntityReference(SystemUser.EntityName, rep), [Opportunity.StateCode] = new OptionSetValue(0),
            });
            _org.Seed(Enumerable.Range(0, Lines).Select(i => new Entity(OpportunityProduct.EntityName, Guid.NewGuid())
            {
                [OpportunityProduct.OpportunityId] = new EntityReference(Opportunity.EntityName, _deal),
                [OpportunityProduct.ProductId] = products[i % products.Count].ToEntityReference(),
                [OpportunityProduct.Quantity] = 2m, ["priceperunit"] = new Money(500m), ["baseamount"] = new Money(1_000m), ["extendedamount"] = new Money(1_000m),
            }));
            _rep = _org.GetOrganizationService(rep);
            _system = _org.GetOrganizationService();
        }

        /// <summary>A rep's save that the suite judges: the whole pipeline, the plugin and its queries.</summary>
        [Benchmark]
        public void SaveThroughThePipeline() =>
            _rep.Update(new Entity(Opportunity.EntityName, _deal) { [Opportunity.CloseProbability] = 40 + (_tick++ % 50) });

        /// <summary>The suite's read of the lines: one query with the products linked in.</summary>
        [Benchmark(Baseline = true)]
        public int ReadLinesSetBased() => new RiskFactsReader(_system).Lines(new[] { _deal }).Sum(g => g.Count());

        /// <summary>What the suite avoids: the lines, then one Retrieve per line for its product's cost.</summary>
        [Benchmark]
        public int ReadLinesNaively()
        {
            var query = new QueryExpression(OpportunityProduct.EntityName) { ColumnSet = new ColumnSet(OpportunityProduct.ProductId, OpportunityProduct.Quantity) };
            query.Criteria.AddCondition(OpportunityProduct.OpportunityId, ConditionOperator.Equal, _deal);
            var count = 0;
            foreach (var line in _system.RetrieveMultiple(query).Entities)
            {
                _system.Retrieve(Product.EntityName, line.GetAttributeValue<EntityReference>(OpportunityProduct.ProductId).Id, new ColumnSet("currentcost", Product.Name));
                count++;
            }

            return count;
        }
    }
}
