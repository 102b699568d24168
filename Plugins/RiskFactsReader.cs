using System;
using System.Collections.Generic;
using System.Linq;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace DealRisk.Plugins
{
    /// <summary>
    /// Gathers the facts of one or many deals with a fixed number of set-based queries (policy, lines with their
    /// products, requirements, allocations, capacity, other deals' demand as one aggregate of the demand ledger),
    /// whatever the number of deals, lines or requirements, or of deals in the org. Reads run as SYSTEM: reps may not
    /// see product cost.
    /// </summary>
    public sealed class RiskFactsReader
    {
        private const int PageSize = 5000;
        private readonly IOrganizationService _service;

        public RiskFactsReader(IOrganizationService systemService)
        {
            _service = systemService;
        }

        /// <summary>Every active policy row (a handful per organization).</summary>
        public IReadOnlyList<Entity> Policies()
        {
            var query = new QueryExpression(RiskPolicyTable.EntityName)
            {
                ColumnSet = new ColumnSet(PolicyReader.Columns),
                NoLock = true,
            };
            query.Criteria.AddCondition(RiskPolicyTable.StateCode, ConditionOperator.Equal, 0);
            return RetrieveAll(query);
        }

        /// <summary>Product lines of the deals, with the product's name, cost and delivery effort.</summary>
        public ILookup<Guid, DealLine> Lines(IReadOnlyCollection<Guid> opportunityIds)
        {
            if (opportunityIds.Count == 0) return Empty<DealLine>();
            var query = new QueryExpression(OpportunityProduct.EntityName)
            {
                ColumnSet = new ColumnSet(OpportunityProduct.OpportunityId, OpportunityProduct.ProductId, OpportunityProduct.ProductDescription,
                    OpportunityProduct.IsProductOverridden, OpportunityProduct.Quantity, OpportunityProduct.BaseAmountBase, OpportunityProduct.ExtendedAmountBase, OpportunityProduct.TaxBase),
                NoLock = true,
            };
            query.Criteria.AddCondition(OpportunityProduct.OpportunityId, ConditionOperator.In, opportunityIds.Cast<object>().ToArray());
            var product = query.AddLink(Product.EntityName, OpportunityProduct.ProductId, Product.Id, JoinOperator.LeftOuter);
            product.EntityAlias = "product";
            product.Columns = new ColumnSet(Product.Id, Product.Name, Product.CurrentCostBase, Product.DeliveryHoursPerUnit, Product.DeliveryRole);
            query.AddOrder(OpportunityProduct.Id, OrderType.Ascending);

            return RetrieveAll(query).ToLookup(
                row => row.GetAttributeValue<EntityReference>(OpportunityProduct.OpportunityId).Id,
                row =>
                {
                    var productRef = row.GetAttributeValue<EntityReference>(OpportunityProduct.ProductId);
                    var writeIn = row.GetAttributeValue<bool?>(OpportunityProduct.IsProductOverridden) == true || productRef == null;
                    var productFound = Aliased<Guid?>(row, "product." + Product.Id) != null;
                    return new DealLine
                    {
                        ProductName = Aliased<string>(row, "product." + Product.Name) ?? productRef?.Name ?? row.GetAttributeValue<string>(OpportunityProduct.ProductDescription) ?? "(unnamed product)",
                        Quantity = row.GetAttributeValue<decimal?>(OpportunityProduct.Quantity),
                        GrossAmount = row.GetAttributeValue<Money>(OpportunityProduct.BaseAmountBase)?.Value,
                        NetAmount = row.GetAttributeValue<Money>(OpportunityProduct.ExtendedAmountBase)?.Value,
                        Tax = row.GetAttributeValue<Money>(OpportunityProduct.TaxBase)?.Value,
                        IsWriteIn = writeIn,
                        ProductMissing = !writeIn && !productFound,
                        UnitCost = Aliased<Money>(row, "product." + Product.CurrentCostBase)?.Value,
                        DeliveryHoursPerUnit = Aliased<decimal?>(row, "product." + Product.DeliveryHoursPerUnit),
                        DeliveryRole = OptionSets.RoleName(Aliased<OptionSetValue>(row, "product." + Product.DeliveryRole)?.Value),
                    };
                });
        }

        public ILookup<Guid, DealRequirement> Requirements(IReadOnlyCollection<Guid> opportunityIds)
        {
            if (opportunityIds.Count == 0) return Empty<DealRequirement>();
            var query = new QueryExpression(Requirement.EntityName)
            {
                ColumnSet = new ColumnSet(Requirement.OpportunityId, Requirement.Name, Requirement.Priority, Requirement.Fit, Requirement.EffortHours, Requirement.Role, Requirement.Quoted),
                NoLock = true,
            };
            query.Criteria.AddCondition(Requirement.OpportunityId, ConditionOperator.In, opportunityIds.Cast<object>().ToArray());
            query.Criteria.AddCondition("statecode", ConditionOperator.Equal, 0);
            query.AddOrder(Requirement.Name, OrderType.Ascending);
            return RetrieveAll(query).ToLookup(
                row => row.GetAttributeValue<EntityReference>(Requirement.OpportunityId).Id,
                row => new DealRequirement
                {
                    Name = row.GetAttributeValue<string>(Requirement.Name) ?? "(unnamed requirement)",
                    Priority = OptionSets.PriorityOf(row.GetAttributeValue<OptionSetValue>(Requirement.Priority)?.Value),
                    Fit = OptionSets.FitOf(row.GetAttributeValue<OptionSetValue>(Requirement.Fit)?.Value),
                    EffortHours = row.GetAttributeValue<decimal?>(Requirement.EffortHours),
                    Role = OptionSets.RoleName(row.GetAttributeValue<OptionSetValue>(Requirement.Role)?.Value),
                    Quoted = row.GetAttributeValue<bool?>(Requirement.Quoted) == true,
                });
        }

        public ILookup<Guid, DealAllocation> Allocations(IReadOnlyCollection<Guid> opportunityIds)
        {
            if (opportunityIds.Count == 0) return Empty<DealAllocation>();
            var query = new QueryExpression(ResourceAllocation.EntityName)
            {
                ColumnSet = new ColumnSet(ResourceAllocation.OpportunityId, ResourceAllocation.Role, ResourceAllocation.Hours, ResourceAllocation.UserId, ResourceAllocation.TeamId),
                NoLock = true,
            };
            query.Criteria.AddCondition(ResourceAllocation.OpportunityId, ConditionOperator.In, opportunityIds.Cast<object>().ToArray());
            query.Criteria.AddCondition("statecode", ConditionOperator.Equal, 0);
            return RetrieveAll(query).ToLookup(
                row => row.GetAttributeValue<EntityReference>(ResourceAllocation.OpportunityId).Id,
                row => new DealAllocation
                {
                    Role = OptionSets.RoleName(row.GetAttributeValue<OptionSetValue>(ResourceAllocation.Role)?.Value) ?? "",
                    Hours = row.GetAttributeValue<decimal?>(ResourceAllocation.Hours) ?? 0m,
                    Named = row.GetAttributeValue<EntityReference>(ResourceAllocation.UserId) != null || row.GetAttributeValue<EntityReference>(ResourceAllocation.TeamId) != null,
                });
        }

        /// <summary>Capacity per role and month from <paramref name="from"/> to <paramref name="to"/>.</summary>
        public IReadOnlyList<RoleCapacity> Capacity(DateTime from, DateTime to)
        {
            var query = new QueryExpression(Schema.Capacity.EntityName)
            {
                ColumnSet = new ColumnSet(Schema.Capacity.Role, Schema.Capacity.Month, Schema.Capacity.Hours),
                NoLock = true,
            };
            query.Criteria.AddCondition(Schema.Capacity.Month, ConditionOperator.GreaterEqual, new DateTime(from.Year, from.Month, 1));
            query.Criteria.AddCondition(Schema.Capacity.Month, ConditionOperator.LessThan, to);
            query.Criteria.AddCondition("statecode", ConditionOperator.Equal, 0);
            return RetrieveAll(query)
                .Where(r => r.GetAttributeValue<OptionSetValue>(Schema.Capacity.Role) != null && r.GetAttributeValue<DateTime?>(Schema.Capacity.Month) != null)
                .Select(r => new RoleCapacity(
                    OptionSets.RoleName(r.GetAttributeValue<OptionSetValue>(Schema.Capacity.Role).Value)!,
                    r.GetAttributeValue<DateTime>(Schema.Capacity.Month),
                    r.GetAttributeValue<decimal?>(Schema.Capacity.Hours) ?? 0m))
                .ToList();
        }

        /// <summary>
        /// The first day whose demand can reach a judgement from <paramref name="from"/>: a deal whose delivery starts up to a
        /// window before the first judged month still delivers in it.
        /// </summary>
        public static DateTime DemandSince(DateTime from, int windowDays) =>
            Dates.AddDays(new DateTime(from.Year, from.Month, 1, 0, 0, 0, from.Kind), -Math.Max(1, windowDays));

        /// <summary>Whether a ledger row of <paramref name="day"/> is one <see cref="LedgerDemand"/> reads for [since, to).</summary>
        public static bool InDemandWindow(DateTime? day, DateTime since, DateTime to) => day == null || (day.Value >= since && day.Value < to);

        /// <summary>
        /// What the demand ledger (<see cref="DemandEntryTable"/>) holds of the delivery roles for deliveries starting in
        /// [<paramref name="since"/>, <paramref name="to"/>) or on the day it is read (rows without a day): ONE FetchXML
        /// aggregate summing the active rows' weighted hours per role and day. Its size is the window's (roles × days),
        /// whatever the number of deals in the org; the daily sweep folds each (role, day) into one row, so the rows it
        /// visits stay near that too. Each group is already weighted: a claim at weight 1 from its day (today when none).
        /// </summary>
        public IReadOnlyList<DemandClaim> LedgerDemand(DateTime since, DateTime to, DateTime now)
        {
            IReadOnlyList<Entity> groups;
            try
            {
                groups = Aggregate(LedgerFetch(since, to));
            }
            catch (System.ServiceModel.FaultException<OrganizationServiceFault> fault)
                when (InTransaction && fault.Detail?.ErrorCode == PlatformErrors.AggregateQueryRecordLimit)
            {
                // Inside a transaction the refused call has already ended it (a retry cannot save the save): the person
                // saving learns why and whom to tell. The code stays the platform's.
                throw new InvalidPluginExecutionException(OperationStatus.Failed, PlatformErrors.AggregateQueryRecordLimit,
                    "Deal Risk cannot weigh the other deals' demand for delivery people: the demand ledger holds more rows in this " +
                    "deal's delivery window than Dataverse sums in one query (AggregateQueryRecordLimit); the daily sweep folds them " +
                    "into one row per role and day, so this passes once it has run. Your changes were not saved. Tell your " +
                    "administrator (Deal Risk's docs/performance.md, \"The demand ledger\").");
            }

            var claims = new List<DemandClaim>();
            foreach (var group in groups)
            {
                var role = OptionSets.RoleName(Aliased<OptionSetValue>(group, "role")?.Value);
                if (role == null) continue;
                claims.Add(new DemandEntry(role, Day(group, "day"), Aliased<decimal?>(group, "hours") ?? 0m).AsClaim(now));
            }

            return claims;
        }

        /// <summary>
        /// Whether <see cref="LedgerDemand"/> runs inside a database transaction (a synchronous step's PreOperation): there a
        /// refused aggregate ends the transaction even when the fault is caught
        /// (https://learn.microsoft.com/power-apps/developer/data-platform/troubleshoot-plug-in#transaction-errors), so the
        /// refusal is turned into a sentence for the person saving.
        /// </summary>
        public bool InTransaction { get; set; }

        /// <summary>The day a group's date falls on, from its year, month and day groupings (UTC).</summary>
        private static DateTime? Day(Entity row, string prefix)
        {
            var y = Aliased<int?>(row, prefix + "year");
            var m = Aliased<int?>(row, prefix + "month");
            var d = Aliased<int?>(row, prefix + "day");
            return y is int year && m is int month && d is int day ? new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc) : (DateTime?)null;
        }

        private static string LedgerFetch(DateTime since, DateTime to) =>
            "<fetch aggregate='true'>" +
            $"<entity name='{DemandEntryTable.EntityName}'>" +
            $"<attribute name='{DemandEntryTable.WeightedHours}' aggregate='sum' alias='hours'/>" +
            $"<attribute name='{DemandEntryTable.Role}' groupby='true' alias='role'/>" +
            $"<attribute name='{DemandEntryTable.Day}' groupby='true' dategrouping='year' usertimezone='false' alias='dayyear'/>" +
            $"<attribute name='{DemandEntryTable.Day}' groupby='true' dategrouping='month' usertimezone='false' alias='daymonth'/>" +
            $"<attribute name='{DemandEntryTable.Day}' groupby='true' dategrouping='day' usertimezone='false' alias='dayday'/>" +
            "<filter>" +
            $"<condition attribute='{DemandEntryTable.StateCode}' operator='eq' value='0'/>" +
            $"<condition attribute='{DemandEntryTable.Role}' operator='not-null'/>" +
            "<filter type='or'>" +
            $"<condition attribute='{DemandEntryTable.Day}' operator='null'/>" +
            $"<filter><condition attribute='{DemandEntryTable.Day}' operator='ge' value='{Iso(since)}'/>" +
            $"<condition attribute='{DemandEntryTable.Day}' operator='lt' value='{Iso(to)}'/></filter>" +
            "</filter></filter>" +
            "</entity></fetch>";

        private static string Iso(DateTime value) => value.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>An aggregate's groups, page by page (its size is the window's, so one page in practice).</summary>
        private IReadOnlyList<Entity> Aggregate(string fetchXml)
        {
            var rows = new List<Entity>();
            for (var page = 1; ; page++)
            {
                var paged = fetchXml.Replace("<fetch aggregate='true'>", $"<fetch aggregate='true' count='{PageSize}' page='{page}'>");
                var result = _service.RetrieveMultiple(new FetchExpression(paged));
                rows.AddRange(result.Entities);
                if (!result.MoreRecords) return rows;
            }
        }

        /// <summary>The exchange rate of a currency (1 for an unknown currency, with the base currency's rate of 1).</summary>
        public decimal ExchangeRate(Guid currencyId)
        {
            // A batch of deals shares a handful of currencies: each is read once per execution, not once per deal.
            if (_rates.TryGetValue(currencyId, out var known)) return known;
            var currency = _service.Retrieve(TransactionCurrency.EntityName, currencyId, new ColumnSet(TransactionCurrency.ExchangeRate));
            var rate = currency.GetAttributeValue<decimal?>(TransactionCurrency.ExchangeRate);
            return _rates[currencyId] = rate is decimal r && r > 0m ? r : 1m;
        }

        private readonly Dictionary<Guid, decimal> _rates = new Dictionary<Guid, decimal>();

        private IReadOnlyList<Entity> RetrieveAll(QueryExpression query) => RetrieveAll(_service, query);

        /// <summary>Every row of <paramref name="query"/>, page by page with the paging cookie (5,000 rows a page).</summary>
        internal static IReadOnlyList<Entity> RetrieveAll(IOrganizationService service, QueryExpression query)
        {
            query.PageInfo = new PagingInfo { Count = PageSize, PageNumber = 1 };
            var rows = new List<Entity>();
            while (true)
            {
                var page = service.RetrieveMultiple(query);
                rows.AddRange(page.Entities);
                if (!page.MoreRecords) return rows;
                query.PageInfo.PageNumber++;
                query.PageInfo.PagingCookie = page.PagingCookie;
            }
        }

        /// <summary>A linked or aggregated column's value, when the row holds it with the expected type.</summary>
        internal static T? Aliased<T>(Entity row, string alias) =>
            row.Attributes.TryGetValue(alias, out var value) && value is AliasedValue aliased && aliased.Value is T typed ? typed : default;

        private static ILookup<Guid, T> Empty<T>() => Array.Empty<KeyValuePair<Guid, T>>().ToLookup(p => p.Key, p => p.Value);
    }
}
