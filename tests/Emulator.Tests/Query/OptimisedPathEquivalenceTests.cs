using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.ServiceModel;
using System.Text;
using CrmPlugins.Emulator.Query;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using NUnit.Framework;

namespace CrmPlugins.Emulator.Tests.Query
{
    /// <summary>
    /// The engine's optimised path (join matches kept per lookup id, main rows narrowed through a filtered link, aggregates
    /// grouped per linked row) against its reference path (<see cref="QueryEngine.UseReferencePath"/>: the main table read
    /// in order, every row joined and grouped on its own), on generated orgs (fixed seeds) and generated queries: the demand
    /// aggregates the risk plugin sends (NotIn of the saved deals, inner links to the product and the deal with a close-date
    /// window, date groupings), null groups through outer links, ties in the order of groups, min/max over text that differs
    /// only in case, floating-point sums, semi joins, paging, distinct, and the aggregate limit. Both must answer alike:
    /// the same rows, values, types, scales, order, paging cookie and faults.
    /// </summary>
    [TestFixture]
    public class OptimisedPathEquivalenceTests
    {
        private static readonly DateTime Today = new DateTime(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc);

        private static IEnumerable<int> Seeds() => Enumerable.Range(1, 12);

        [TestCaseSource(nameof(Seeds))]
        public void Execute_OnGeneratedOrgsAndQueries_OptimisedPathAnswersAsTheReferencePath(int seed)
        {
            var org = GeneratedOrg.Create(seed);
            var optimised = new QueryEngine(org.Source);
            var reference = new QueryEngine(org.Source) { UseReferencePath = true };
            var random = new Random(seed * 7919);
            var compared = 0;
            var answered = 0;
            foreach (var (name, build) in Queries)
            {
                for (var variant = 0; variant < 6; variant++)
                {
                    var fetch = build(org, random);
                    var expected = Describe(() => reference.Execute(new FetchExpression(fetch)));
                    var actual = Describe(() => optimised.Execute(new FetchExpression(fetch)));
                    Assert.That(actual, Is.EqualTo(expected), $"seed {seed}, query {name}, variant {variant}:\n{fetch}");
                    compared++;
                    if (!expected.StartsWith("fault", StringComparison.Ordinal) && expected.Contains("\n", StringComparison.Ordinal)) answered++;
                }
            }

            // The generator must produce queries that return rows, not only faults or empty pages.
            Assert.That(answered, Is.GreaterThan(compared / 2), "too few of the generated queries returned rows");
        }

        [Test]
        public void Execute_WhenGroupsTieOnTheirOrder_OptimisedPathKeepsTheReferenceOrder()
        {
            // Every product group has the same count: the order of tied groups is the order the rows came in, which the
            // narrowed path must not change.
            var org = GeneratedOrg.Create(99, tiedCounts: true);
            var fetch = "<fetch aggregate='true'><entity name='opportunityproduct'>" +
                        "<attribute name='opportunityproductid' aggregate='count' alias='n'/>" +
                        "<link-entity name='product' from='productid' to='productid' link-type='inner' alias='p'>" +
                        "<attribute name='productid' groupby='true' alias='product'/>" +
                        "<filter><condition attribute='deliveryrole' operator='not-null'/></filter></link-entity>" +
                        "<order alias='n' descending='true'/></entity></fetch>";
            var expected = new QueryEngine(org.Source) { UseReferencePath = true }.Execute(new FetchExpression(fetch));
            var actual = new QueryEngine(org.Source).Execute(new FetchExpression(fetch));

            Assert.That(expected.Entities.Select(e => ((AliasedValue)e["n"]).Value).Distinct().Count(), Is.EqualTo(1), "the groups must tie");
            Assert.That(Describe(actual), Is.EqualTo(Describe(expected)));
        }

        private static readonly (string Name, Func<GeneratedOrg, Random, string> Build)[] Queries =
        {
            ("product demand", (org, r) => ProductDemand(org, r)),
            ("requirement demand", (org, r) => RequirementDemand(org, r)),
            ("null groups through outer links", (org, r) =>
                "<fetch aggregate='true'><entity name='opportunityproduct'>" +
                "<attribute name='opportunityproductid' aggregate='count' alias='n'/><attribute name='quantity' aggregate='sum' alias='q'/>" +
                "<attribute name='quantity' aggregate='avg' alias='a'/>" +
                "<link-entity name='opportunity' from='opportunityid' to='opportunityid' link-type='outer' alias='deal'>" +
                "<attribute name='closeprobability' groupby='true' alias='probability'/></link-entity>" +
                "<link-entity name='product' from='productid' to='productid' link-type='outer' alias='p'>" +
                $"<attribute name='deliveryrole' groupby='true' alias='role'/>{(r.Next(2) == 0 ? "" : "<filter><condition attribute='deliveryrole' operator='not-null'/></filter>")}</link-entity>" +
                "</entity></fetch>"),
            ("groups ordered by a count", (org, r) =>
                "<fetch aggregate='true'><entity name='opportunityproduct'>" +
                "<attribute name='opportunityproductid' aggregate='count' alias='n'/>" +
                $"<filter><condition attribute='quantity' operator='ge' value='{r.Next(0, 3)}'/></filter>" +
                "<link-entity name='product' from='productid' to='productid' link-type='inner' alias='p'>" +
                "<attribute name='name' groupby='true' alias='product'/>" +
                "<filter><condition attribute='deliveryrole' operator='not-null'/></filter></link-entity>" +
                $"<order alias='n' descending='{(r.Next(2) == 0 ? "true" : "false")}'/></entity></fetch>"),
            ("min max avg countcolumn", (org, r) =>
                "<fetch aggregate='true'><entity name='opportunityproduct'>" +
                "<attribute name='quantity' aggregate='avg' alias='avgq'/><attribute name='quantity' aggregate='max' alias='maxq'/>" +
                "<attribute name='priceperunit' aggregate='min' alias='minprice'/>" +
                "<link-entity name='product' from='productid' to='productid' link-type='inner' alias='p'>" +
                "<attribute name='name' aggregate='min' alias='firstname'/><attribute name='name' aggregate='max' alias='lastname'/>" +
                $"<filter><condition attribute='hoursperunit' operator='gt' value='{r.Next(0, 6)}'/></filter></link-entity>" +
                "<link-entity name='opportunity' from='opportunityid' to='opportunityid' link-type='inner' alias='deal'>" +
                "<attribute name='statecode' groupby='true' alias='state'/><attribute name='ownerid' aggregate='countcolumn' distinct='true' alias='owners'/>" +
                "<attribute name='estimatedclosedate' aggregate='max' alias='latest'/></link-entity>" +
                "</entity></fetch>"),
            ("date groupings", (org, r) =>
                "<fetch aggregate='true'><entity name='opportunityproduct'>" +
                "<attribute name='quantity' aggregate='sum' alias='q'/>" +
                "<link-entity name='opportunity' from='opportunityid' to='opportunityid' link-type='inner' alias='deal'>" +
                $"<attribute name='estimatedclosedate' groupby='true' dategrouping='{new[] { "week", "quarter", "fiscal-period", "fiscal-year", "year", "month" }[r.Next(6)]}' alias='period'/>" +
                $"<filter><condition attribute='statecode' operator='eq' value='{r.Next(0, 3)}'/></filter></link-entity>" +
                "<link-entity name='product' from='productid' to='productid' link-type='inner' alias='p'>" +
                "<filter><condition attribute='deliveryrole' operator='not-null'/></filter></link-entity>" +
                "</entity></fetch>"),
            ("floating-point sums", (org, r) =>
                "<fetch aggregate='true'><entity name='opportunityproduct'>" +
                "<attribute name='discount' aggregate='sum' alias='d'/><attribute name='discount' aggregate='avg' alias='ad'/>" +
                "<link-entity name='product' from='productid' to='productid' link-type='inner' alias='p'>" +
                "<attribute name='deliveryrole' groupby='true' alias='role'/>" +
                $"<filter><condition attribute='hoursperunit' operator='ge' value='{r.Next(0, 8)}'/></filter></link-entity>" +
                "</entity></fetch>"),
            ("semi joins", (org, r) =>
                "<fetch aggregate='true'><entity name='opportunityproduct'>" +
                "<attribute name='opportunityproductid' aggregate='count' alias='n'/><attribute name='quantity' aggregate='sum' alias='q'/>" +
                $"<link-entity name='product' from='productid' to='productid' link-type='{new[] { "in", "exists", "any", "matchfirstrowusingcrossapply", "not any" }[r.Next(5)]}'>" +
                "<filter><condition attribute='deliveryrole' operator='not-null'/></filter></link-entity>" +
                "<link-entity name='opportunity' from='opportunityid' to='opportunityid' link-type='inner' alias='deal'>" +
                "<attribute name='statecode' groupby='true' alias='state'/></link-entity>" +
                "</entity></fetch>"),
            ("aggregate limit", (org, r) =>
                $"<fetch aggregate='true' aggregatelimit='{r.Next(5, 80)}'><entity name='opportunityproduct'>" +
                "<attribute name='opportunityproductid' aggregate='count' alias='n'/>" +
                "<link-entity name='product' from='productid' to='productid' link-type='inner' alias='p'>" +
                "<filter><condition attribute='deliveryrole' operator='not-null'/></filter></link-entity>" +
                "</entity></fetch>"),
            ("paged rows through links", (org, r) =>
                $"<fetch count='{r.Next(3, 40)}' page='{r.Next(1, 4)}' returntotalrecordcount='true'><entity name='opportunityproduct'>" +
                "<attribute name='quantity'/><attribute name='opportunityid'/>" +
                $"<order attribute='quantity' descending='{(r.Next(2) == 0 ? "true" : "false")}'/>" +
                "<link-entity name='product' from='productid' to='productid' link-type='inner' alias='p'>" +
                "<attribute name='name'/><filter><condition attribute='deliveryrole' operator='not-null'/></filter></link-entity>" +
                "<link-entity name='opportunity' from='opportunityid' to='opportunityid' link-type='outer' alias='deal'>" +
                "<attribute name='closeprobability'/></link-entity>" +
                "</entity></fetch>"),
            ("distinct rows through a link", (org, r) =>
                "<fetch distinct='true'><entity name='opportunityproduct'>" +
                $"<attribute name='productid'/>{(r.Next(2) == 0 ? "" : "<order attribute='productid'/>")}" +
                "<link-entity name='opportunity' from='opportunityid' to='opportunityid' link-type='inner' alias='deal'>" +
                $"<filter><condition attribute='closeprobability' operator='gt' value='{r.Next(0, 90)}'/></filter></link-entity>" +
                "</entity></fetch>"),
        };

        /// <summary>Other deals' demand of product lines, as the risk plugin asks for it.</summary>
        private static string ProductDemand(GeneratedOrg org, Random r) =>
            "<fetch aggregate='true'><entity name='opportunityproduct'>" +
            "<attribute name='quantity' aggregate='sum' alias='quantity'/>" +
            $"<filter><condition attribute='quantity' operator='gt' value='0'/>{NotIn(org, r, "opportunityid")}</filter>" +
            "<link-entity name='product' from='productid' to='productid' link-type='inner' alias='product'>" +
            "<attribute name='deliveryrole' groupby='true' alias='role'/><attribute name='hoursperunit' groupby='true' alias='hoursperunit'/>" +
            "<filter><condition attribute='deliveryrole' operator='not-null'/><condition attribute='hoursperunit' operator='gt' value='0'/></filter>" +
            "</link-entity>" + DealLink(r) + "</entity></fetch>";

        /// <summary>Other deals' demand of requirements, grouped by a column of the main table.</summary>
        private static string RequirementDemand(GeneratedOrg org, Random r) =>
            "<fetch aggregate='true'><entity name='requirement'>" +
            "<attribute name='effort' aggregate='sum' alias='hours'/><attribute name='role' groupby='true' alias='role'/>" +
            "<filter><condition attribute='statecode' operator='eq' value='0'/><condition attribute='role' operator='not-null'/>" +
            "<condition attribute='effort' operator='gt' value='0'/>" +
            "<filter type='or'><condition attribute='fit' operator='null'/><condition attribute='fit' operator='ne' value='3'/></filter>" +
            NotIn(org, r, "opportunityid") + "</filter>" + DealLink(r) + "</entity></fetch>";

        private static string NotIn(GeneratedOrg org, Random r, string column)
        {
            var count = r.Next(0, 14);
            if (count == 0) return "";
            var ids = Enumerable.Range(0, count).Select(_ => org.Deals[r.Next(org.Deals.Count)]);
            return $"<condition attribute='{column}' operator='not-in'>" + string.Concat(ids.Select(id => $"<value>{id:D}</value>")) + "</condition>";
        }

        private static string DealLink(Random r)
        {
            var since = Today.AddDays(-r.Next(0, 120));
            var to = since.AddDays(r.Next(20, 200));
            var undated = r.Next(2) == 0 ? "<condition attribute='estimatedclosedate' operator='null'/>" : "";
            string Day(string column, string prefix) =>
                $"<attribute name='{column}' groupby='true' dategrouping='year' usertimezone='false' alias='{prefix}year'/>" +
                $"<attribute name='{column}' groupby='true' dategrouping='month' usertimezone='false' alias='{prefix}month'/>" +
                $"<attribute name='{column}' groupby='true' dategrouping='day' usertimezone='false' alias='{prefix}day'/>";
            return "<link-entity name='opportunity' from='opportunityid' to='opportunityid' link-type='inner' alias='deal'>" +
                   "<attribute name='statecode' groupby='true' alias='state'/><attribute name='closeprobability' groupby='true' alias='probability'/>" +
                   Day("estimatedclosedate", "close") + Day("actualclosedate", "actual") +
                   "<filter type='or'><filter><condition attribute='statecode' operator='eq' value='0'/>" +
                   $"<filter type='or'>{undated}<filter><condition attribute='estimatedclosedate' operator='ge' value='{Iso(since)}'/>" +
                   $"<condition attribute='estimatedclosedate' operator='lt' value='{Iso(to)}'/></filter></filter></filter>" +
                   "<filter><condition attribute='statecode' operator='eq' value='1'/>" +
                   $"<condition attribute='actualclosedate' operator='ge' value='{Iso(since)}'/><condition attribute='actualclosedate' operator='lt' value='{Iso(to)}'/></filter>" +
                   "</filter></link-entity>";
        }

        private static string Iso(DateTime value) => value.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

        /// <summary>A query's answer as text: every row, column, value with its type (decimals with their scale, dates with
        /// their kind), formatted value, paging cookie and count; or the fault.</summary>
        internal static string Describe(Func<EntityCollection> run)
        {
            try
            {
                return Describe(run());
            }
            catch (FaultException<OrganizationServiceFault> fault)
            {
                return $"fault {fault.Detail.ErrorCode:X8} {fault.Detail.Message}";
            }
        }

        internal static string Describe(EntityCollection result)
        {
            var text = new StringBuilder();
            text.Append($"more={result.MoreRecords} total={result.TotalRecordCount} exceeded={result.TotalRecordCountLimitExceeded} cookie={result.PagingCookie}");
            foreach (var entity in result.Entities)
            {
                text.Append('\n').Append(entity.LogicalName).Append(' ').Append(entity.Id.ToString("D")).Append(':');
                foreach (var column in entity.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal)) text.Append(' ').Append(column.Key).Append('=').Append(Value(column.Value));
                foreach (var formatted in entity.FormattedValues.OrderBy(f => f.Key, StringComparer.Ordinal)) text.Append(" formatted:").Append(formatted.Key).Append('=').Append(formatted.Value);
            }

            return text.ToString();
        }

        private static string Value(object? value) => value switch
        {
            null => "null",
            AliasedValue aliased => $"aliased({aliased.EntityLogicalName}.{aliased.AttributeLogicalName}, {Value(aliased.Value)})",
            EntityReference reference => $"ref({reference.LogicalName}, {reference.Id:D}, {reference.Name})",
            Money money => $"money({money.Value.ToString(CultureInfo.InvariantCulture)})",
            OptionSetValue option => $"option({option.Value})",
            DateTime date => $"date({date.Ticks}, {date.Kind})",
            double real => $"double({real.ToString("R", CultureInfo.InvariantCulture)})",
            IFormattable formattable => $"{value.GetType().Name}({formattable.ToString(null, CultureInfo.InvariantCulture)})",
            _ => $"{value.GetType().Name}({value})",
        };

        /// <summary>
        /// An org of deals, products, lines and requirements drawn from a seed: deals open, won and lost, with and without
        /// probability and close dates (some dates Unspecified), products with and without a delivery role (names that differ
        /// only in case), lines pointing at missing deals or no product, quantities null, zero and negative, decimals of
        /// different scales, and a floating-point column.
        /// </summary>
        private sealed class GeneratedOrg
        {
            private GeneratedOrg(InMemoryRowSource source)
            {
                Source = source;
            }

            public InMemoryRowSource Source { get; }

            public List<Guid> Deals { get; } = new List<Guid>();

            public static GeneratedOrg Create(int seed, bool tiedCounts = false)
            {
                var random = new Random(seed);
                var source = new InMemoryRowSource { UtcNow = Today, FiscalYearStartMonth = 1 + (seed % 12) };
                var org = new GeneratedOrg(source);
                var owners = Enumerable.Range(0, 4).Select(i => new EntityReference("systemuser", Guid.NewGuid()) { Name = "Owner " + i }).ToArray();
                var names = new[] { "Widget", "WIDGET", "Gadget", "gadget", "Service", "Support", "Hosting", "Training" };
                var products = new List<Entity>();
                for (var i = 0; i < (tiedCounts ? 6 : 12); i++)
                {
                    var product = new Entity("product", Guid.NewGuid()) { ["name"] = names[i % names.Length] };
                    if (tiedCounts || random.Next(3) > 0) product["deliveryrole"] = new OptionSetValue(100 + random.Next(3));
                    if (random.Next(4) > 0) product["hoursperunit"] = random.Next(2) == 0 ? 8m : new[] { 0m, 2.5m, 4.0m, 8.00m }[random.Next(4)];
                    products.Add(source.Add(product));
                }

                var dealCount = tiedCounts ? 6 : 150;
                for (var i = 0; i < dealCount; i++)
                {
                    var deal = new Entity("opportunity", Guid.NewGuid())
                    {
                        ["name"] = "Deal " + i,
                        ["statecode"] = new OptionSetValue(random.Next(10) < 7 ? 0 : random.Next(1, 3)),
                        ["ownerid"] = owners[random.Next(owners.Length)],
                    };
                    if (random.Next(6) > 0) deal["closeprobability"] = random.Next(0, 11) * 10;
                    if (random.Next(8) > 0)
                    {
                        var close = Today.AddDays(random.Next(-150, 250)).AddHours(random.Next(0, 24));
                        deal["estimatedclosedate"] = random.Next(5) == 0 ? DateTime.SpecifyKind(close, DateTimeKind.Unspecified) : close;
                    }

                    if (((OptionSetValue)deal["statecode"]).Value == 1) deal["actualclosedate"] = Today.AddDays(random.Next(-120, 0));
                    org.Deals.Add(source.Add(deal).Id);
                }

                var lineCount = tiedCounts ? 36 : 700;
                for (var i = 0; i < lineCount; i++)
                {
                    var line = new Entity("opportunityproduct", Guid.NewGuid());
                    var dealId = tiedCounts ? org.Deals[i % org.Deals.Count] : random.Next(40) == 0 ? Guid.NewGuid() : org.Deals[random.Next(org.Deals.Count)];
                    line["opportunityid"] = new EntityReference("opportunity", dealId);
                    // Tied orgs meet the products last first, so the table's order and the products' order differ.
                    if (tiedCounts || random.Next(20) > 0) line["productid"] = products[tiedCounts ? products.Count - 1 - (i % products.Count) : random.Next(products.Count)].ToEntityReference();
                    if (random.Next(10) > 0) line["quantity"] = random.Next(4) == 0 ? random.Next(-2, 3) + 0.50m : (decimal)random.Next(0, 6);
                    line["priceperunit"] = new Money(random.Next(1, 50) * 10m);
                    if (random.Next(3) > 0) line["discount"] = random.NextDouble() * 0.3;
                    source.Add(line);
                }

                for (var i = 0; i < (tiedCounts ? 0 : 300); i++)
                {
                    var requirement = new Entity("requirement", Guid.NewGuid())
                    {
                        ["opportunityid"] = new EntityReference("opportunity", org.Deals[random.Next(org.Deals.Count)]),
                        ["statecode"] = new OptionSetValue(random.Next(8) == 0 ? 1 : 0),
                    };
                    if (random.Next(8) > 0) requirement["role"] = new OptionSetValue(100 + random.Next(3));
                    if (random.Next(8) > 0) requirement["effort"] = random.Next(-1, 40) * 1.5m;
                    if (random.Next(2) == 0) requirement["fit"] = new OptionSetValue(random.Next(1, 4));
                    source.Add(requirement);
                }

                return org;
            }
        }
    }
}
