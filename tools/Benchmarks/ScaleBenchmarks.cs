using System;
using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Attributes;
using DealRisk.Plugins.Schema;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;

namespace CrmPlugins.Benchmarks
{
    /// <summary>
    /// What a save costs as the org grows: a rep's save of a 5-line deal in an empty org and beside 30,000 other open
    /// deals (each with two lines and an allocation in the delivery window, held in the demand ledger as the rebuild
    /// leaves it: one folded row per role and day), both in one run so the ratio is of one machine at one time.
    /// </summary>
    [MemoryDiagnoser]
    public class OrgSizeBenchmarks
    {
        private BenchmarkOrg _org = null!;
        private Guid _deal;
        private int _tick;

        [Params(0, 30_000)]
        public int OtherOpenDeals { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            _org = new BenchmarkOrg();
            for (var i = 0; i < OtherOpenDeals; i++) _org.SeedDeal(lines: 2, allocations: 1, closeInDays: 20 + i % 90);
            _deal = _org.SeedDeal(lines: 5);
            _org.RebuildLedger();
        }

        /// <summary>A rep's update of an input (the probability): the whole pipeline, the risk step and its queries.</summary>
        [Benchmark]
        public void SaveAFiveLineDeal() =>
            _org.RepService.Update(new Entity(Opportunity.EntityName, _deal) { [Opportunity.CloseProbability] = 40 + (_tick++ % 50) });
    }

    /// <summary>
    /// A batch of 1,000 product lines across 10 deals in one UpdateMultiple (each line's quantity changes, so every line
    /// is an input): the child step asks the 10 deals with one UpdateMultiple, and the risk step judges them once.
    /// </summary>
    [MemoryDiagnoser]
    public class ChildRowBatchBenchmarks
    {
        private BenchmarkOrg _org = null!;
        private List<Guid> _lines = null!;
        private int _tick;

        [GlobalSetup]
        public void Setup()
        {
            _org = new BenchmarkOrg();
            var deals = Enumerable.Range(0, 10).Select(_ => _org.SeedDeal(lines: 0)).ToList();
            var lines = Enumerable.Range(0, 1_000).Select(i => _org.Line(deals[i % 10], i)).ToList();
            _org.Org.Seed(lines);
            _lines = lines.Select(l => l.Id).ToList();
            _org.RebuildLedger();
        }

        [Benchmark]
        public void UpdateAThousandLinesAcrossTenDeals()
        {
            var quantity = 1m + (_tick++ % 5);
            _org.RepService.Execute(new UpdateMultipleRequest
            {
                Targets = new EntityCollection(_lines.Select(id => new Entity(OpportunityProduct.EntityName, id) { [OpportunityProduct.Quantity] = quantity }).ToList())
                    { EntityName = OpportunityProduct.EntityName },
            });
        }
    }

    /// <summary>
    /// One UpdateMultiple of <see cref="Deals"/> open deals, each with delivery demand (two lines of a product with delivery
    /// hours), each save moving its probability: every deal of the batch counts the others' demand. Linear in the batch when
    /// the time per deal stays flat from 100 to 1,000 (issue 23: a batch of 500 used to take about 40 s).
    /// </summary>
    [MemoryDiagnoser]
    public class DealBatchBenchmarks
    {
        private BenchmarkOrg _org = null!;
        private List<Guid> _deals = null!;
        private int _tick;

        [Params(100, 1_000)]
        public int Deals { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            _org = new BenchmarkOrg();
            _deals = Enumerable.Range(0, Deals).Select(i => _org.SeedDeal(lines: 2, closeInDays: 30 + i % 90)).ToList();
            _org.RebuildLedger();
        }

        [Benchmark]
        public void UpdateEveryDealInOneBatch()
        {
            var probability = 40 + (_tick++ % 5) * 10;
            _org.RepService.Execute(new UpdateMultipleRequest
            {
                Targets = new EntityCollection(_deals.Select(id => new Entity(Opportunity.EntityName, id) { [Opportunity.CloseProbability] = probability }).ToList())
                    { EntityName = Opportunity.EntityName },
            });
        }
    }

    /// <summary>A save that leaves the verdict as it was (the same probability again): judged, but no verdict column is
    /// written and no system job queued; beside a save that changes an input.</summary>
    [MemoryDiagnoser]
    public class UnchangedSaveBenchmarks
    {
        private BenchmarkOrg _org = null!;
        private Guid _deal;

        [GlobalSetup]
        public void Setup()
        {
            _org = new BenchmarkOrg();
            _deal = _org.SeedDeal(lines: 5);
            _org.RebuildLedger();
            _org.RepService.Update(new Entity(Opportunity.EntityName, _deal) { [Opportunity.CloseProbability] = 60 });
            _org.Org.RunAsyncOperations();
        }

        [Benchmark]
        public int SaveWithNoChange()
        {
            _org.RepService.Update(new Entity(Opportunity.EntityName, _deal) { [Opportunity.CloseProbability] = 60 });
            return _org.Org.RunAsyncOperations();
        }
    }
}
