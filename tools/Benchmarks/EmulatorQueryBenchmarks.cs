using System;
using System.Linq;
using BenchmarkDotNet.Attributes;
using CrmPlugins.Emulator;
using CrmPlugins.Emulator.Query;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace CrmPlugins.Benchmarks
{
    /// <summary>
    /// The emulator's organization service over 10,000 and 100,000 rows: retrieve by id, a query with an equality
    /// filter on an indexed column (should not scan), a filtered query that must scan, and an aggregate of product lines
    /// through filtered links to their product and deal (the shape of the risk plugin's demand query), beside the same
    /// aggregate on the engine's reference path (every line read and joined on its own: the engine before it narrowed
    /// through links), so that before and after come from one run.
    /// </summary>
    [MemoryDiagnoser]
    public class EmulatorQueryBenchmarks
    {
        private IOrganizationService _service = null!;
        private Guid _someId;
        private Guid _someOwner;
        private QueryEngine _reference = null!;
        private FetchExpression _demand = null!;

        [Params(10_000, 100_000)]
        public int Rows { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            var org = new XrmOrganization { UtcNow = new DateTime(2026, 11, 2, 0, 0, 0, DateTimeKind.Utc) };
            var owners = Enumerable.Range(0, 100).Select(_ => Guid.NewGuid()).ToArray();
            var random = new Random(7);
            var deals = Enumerable.Range(0, Rows).Select(i => new Entity("opportunity", Guid.NewGuid())
            {
                ["name"] = "Deal " + i,
                ["ownerid"] = new EntityReference("systemuser", owners[i % owners.Length]),
                ["closeprobability"] = random.Next(0, 101),
                ["estimatedvalue"] = new Money(random.Next(1_000, 1_000_000)),
                ["statecode"] = new OptionSetValue(i % 10 == 0 ? 1 : 0),
                ["estimatedclosedate"] = org.UtcNow.Date.AddDays(i % 365),
            }).ToList();
            org.Seed(deals);
            // One line per deal; a quarter of the products need delivery hours.
            var products = Enumerable.Range(0, 20).Select(i => new Entity("product", Guid.NewGuid())
            {
                ["name"] = "P" + i,
                ["dr_deliveryrole"] = i % 4 == 0 ? new OptionSetValue(100_000_000 + i % 3) : null,
                ["dr_deliveryhoursperunit"] = i % 4 == 0 ? 8m : null,
            }).ToList();
            org.Seed(products);
            org.Seed(deals.Select((deal, i) => new Entity("opportunityproduct", Guid.NewGuid())
            {
                ["opportunityid"] = deal.ToEntityReference(),
                ["productid"] = products[i % products.Count].ToEntityReference(),
                ["quantity"] = 1m + i % 3,
            }));
            _demand = new FetchExpression(DemandFetch(org.UtcNow, deals[0].Id));
            _reference = new QueryEngine(org.Rows) { UseReferencePath = true };
            _service = org.GetOrganizationService();
            _someId = org.All("opportunity")[Rows / 2].Id;
            _someOwner = owners[42];
            // Build the indexes outside the measurement, as a long-running org would have them.
            EqualityFilter();
            AggregateThroughLinks();
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

        /// <summary>Hours of delivery per role and close month of open deals closing in the next 90 days, through filtered links.</summary>
        [Benchmark]
        public int AggregateThroughLinks() => _service.RetrieveMultiple(_demand).Entities.Count;

        /// <summary>The same aggregate on the engine's reference path (the engine alone, without the pipeline).</summary>
        [Benchmark]
        public int AggregateThroughLinksReferencePath() => _reference.Execute(_demand).Entities.Count;

        private static string DemandFetch(DateTime now, Guid saved) =>
            "<fetch aggregate='true'><entity name='opportunityproduct'>" +
            "<attribute name='quantity' aggregate='sum' alias='quantity'/>" +
            $"<filter><condition attribute='quantity' operator='gt' value='0'/><condition attribute='opportunityid' operator='not-in'><value>{saved:D}</value></condition></filter>" +
            "<link-entity name='product' from='productid' to='productid' link-type='inner' alias='product'>" +
            "<attribute name='dr_deliveryrole' groupby='true' alias='role'/>" +
            "<filter><condition attribute='dr_deliveryrole' operator='not-null'/><condition attribute='dr_deliveryhoursperunit' operator='gt' value='0'/></filter>" +
            "</link-entity>" +
            "<link-entity name='opportunity' from='opportunityid' to='opportunityid' link-type='inner' alias='deal'>" +
            "<attribute name='estimatedclosedate' groupby='true' dategrouping='year' alias='year'/>" +
            "<attribute name='estimatedclosedate' groupby='true' dategrouping='month' alias='month'/>" +
            "<filter><condition attribute='statecode' operator='eq' value='0'/>" +
            $"<condition attribute='estimatedclosedate' operator='ge' value='{now:yyyy-MM-dd}'/><condition attribute='estimatedclosedate' operator='lt' value='{now.AddDays(90):yyyy-MM-dd}'/></filter>" +
            "</link-entity></entity></fetch>";
    }
}
