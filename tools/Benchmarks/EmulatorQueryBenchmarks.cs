using System;
using System.Linq;
using BenchmarkDotNet.Attributes;
using CrmPlugins.Emulator;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace CrmPlugins.Benchmarks
{
    /// <summary>
    /// The emulator's organization service over 10,000 and 100,000 rows: retrieve by id, a query with an equality
    /// filter on an indexed column (should not scan), and a filtered query that must scan.
    /// </summary>
    [MemoryDiagnoser]
    public class EmulatorQueryBenchmarks
    {
        private IOrganizationService _service = null!;
        private Guid _someId;
        private Guid _someOwner;

        [Params(10_000, 100_000)]
        public int Rows { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            var org = new XrmOrganization { UtcNow = new DateTime(2026, 11, 2, 0, 0, 0, DateTimeKind.Utc) };
            var owners = Enumerable.Range(0, 100).Select(_ => Guid.NewGuid()).ToArray();
            var random = new Random(7);
            org.Seed(Enumerable.Range(0, Rows).Select(i => new Entity("opportunity", Guid.NewGuid())
            {
                ["name"] = "Deal " + i,
                ["ownerid"] = new EntityReference("systemuser", owners[i % owners.Length]),
                ["closeprobability"] = random.Next(0, 101),
                ["estimatedvalue"] = new Money(random.Next(1_000, 1_000_000)),
            }));
            _service = org.GetOrganizationService();
            _someId = org.All("opportunity")[Rows / 2].Id;
            _someOwner = owners[42];
            // Build the owner index outside the measurement, as a long-running org would have it.
            EqualityFilter();
        }

        [Benchmark]
        public Entity RetrieveById() => _service.Retrieve("opportunity", _someId, new ColumnSet("name", "estimatedvalue"));

        [Benchmark]
        public int EqualityFilter()
        {
            var query = new QueryExpression("opportunity") { ColumnSet = new ColumnSet("name") };
            query.Criteria.AddCondition("ownerid", ConditionOperator.Equal, _someOwner);
            return _service.RetrieveMultiple(query).Entities.Count;
        }

        [Benchmark]
        public int FilteredScan()
        {
            var query = new QueryExpression("opportunity") { ColumnSet = new ColumnSet("name", "estimatedvalue"), TopCount = 50 };
            query.Criteria.AddCondition("closeprobability", ConditionOperator.GreaterEqual, 90);
            query.Criteria.AddCondition("name", ConditionOperator.Like, "Deal 1%");
            query.AddOrder("estimatedvalue", OrderType.Descending);
            return _service.RetrieveMultiple(query).Entities.Count;
        }
    }
}
