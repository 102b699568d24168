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
    /// products, requirements, allocations, capacity, other deals' demand as two aggregates over the delivery window),
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

        /// <summary>
        /// Whether an aggregate Dataverse refuses for its size may be summed again in halves of its span. Only outside a
        /// database transaction: inside one (a synchronous step's PreOperation), a refused call ends the transaction even when
        /// the fault is caught, so the save fails whatever follows
        /// (https://learn.microsoft.com/power-apps/developer/data-platform/troubleshoot-plug-in#transaction-errors).
        /// </summary>
        public bool SplitRefusedAggregates { get; set; } = true;

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
        /// What other deals claim of the delivery roles in a window: their requirement effort and their products' delivery
        /// hours × quantity (whether or not anyone is allocated yet), from open deals weighted by their probability and
        /// from won deals in full, each from its close date. Two FetchXML aggregates (requirements, product lines), each
        /// summing hours per role, deal state, probability and close day of the deals whose delivery can touch
        /// [<paramref name="from"/>, <paramref name="to"/>): the result's size is bounded by the window (roles × days ×
        /// probabilities; products also by their hours per unit), not by the number of deals in the org.
        /// </summary>
        public IReadOnlyList<DemandClaim> OtherDemand(IReadOnlyCollection<Guid> excludedOpportunityIds, DateTime from, DateTime to, DateTime now, int windowDays)
        {
            var claims = new List<DemandClaim>();
            // A deal closing up to a window before the first judged month still delivers in it.
            var since = Dates.AddDays(new DateTime(from.Year, from.Month, 1, 0, 0, 0, from.Kind), -Math.Max(1, windowDays));
            foreach (var row in AggregateByCloseDate((s, t, undated) => RequirementDemandFetch(excludedOpportunityIds, s, t, undated), since, to, true))
            {
                var role = OptionSets.RoleName(Aliased<OptionSetValue>(row, "role")?.Value);
                var hours = Aliased<decimal?>(row, "hours") ?? 0m;
                if (role != null && hours > 0m) claims.Add(Claim(row, role, hours, now));
            }

            foreach (var row in AggregateByCloseDate((s, t, undated) => ProductDemandFetch(excludedOpportunityIds, s, t, undated), since, to, true))
            {
                var role = OptionSets.RoleName(Aliased<OptionSetValue>(row, "role")?.Value);
                var hours = (Aliased<decimal?>(row, "quantity") ?? 0m) * (Aliased<decimal?>(row, "hoursperunit") ?? 0m);
                if (role != null && hours > 0m) claims.Add(Claim(row, role, hours, now));
            }

            return claims;
        }

        private static DemandClaim Claim(Entity row, string role, decimal hours, DateTime now)
        {
            var won = Aliased<OptionSetValue>(row, "state")?.Value == OpportunityState.Won;
            var start = (won ? Day(row, "actual") : Day(row, "close")) ?? now.Date;
            return new DemandClaim(role, won ? 1m : DeliveryDemand.WeightOf(Aliased<int?>(row, "probability")), start, hours);
        }

        /// <summary>The day a group's date falls on, from its year, month and day groupings (UTC).</summary>
        private static DateTime? Day(Entity row, string prefix)
        {
            var y = Aliased<int?>(row, prefix + "year");
            var m = Aliased<int?>(row, prefix + "month");
            var d = Aliased<int?>(row, prefix + "day");
            return y is int year && m is int month && d is int day ? new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc) : (DateTime?)null;
        }

        /// <summary>
        /// An aggregate over the deals closing in [since, to). Where the organization holds more rows there than its
        /// AggregateQueryRecordLimit (50,000 online), Dataverse refuses the aggregate. Outside a transaction (the report, a
        /// read of a live org) the span is then halved and each half summed on its own (deals without a close date in the
        /// first half only, so none counts twice). Inside one (<see cref="SplitRefusedAggregates"/> false) the refusal has
        /// already ended the transaction, so it is not caught: the save fails with Dataverse's fault (docs/performance.md,
        /// "Orgs past the aggregate limit").
        /// </summary>
        private IReadOnlyList<Entity> AggregateByCloseDate(Func<DateTime, DateTime, bool, string> fetch, DateTime since, DateTime to, bool undated)
        {
            try
            {
                return Aggregate(fetch(since, to, undated));
            }
            catch (System.ServiceModel.FaultException<OrganizationServiceFault> fault)
                when (SplitRefusedAggregates && fault.Detail?.ErrorCode == PlatformErrors.AggregateQueryRecordLimit && (to - since).TotalDays >= 2)
            {
                var middle = since.AddDays(Math.Floor((to - since).TotalDays / 2));
                return AggregateByCloseDate(fetch, since, middle, undated).Concat(AggregateByCloseDate(fetch, middle, to, false)).ToList();
            }
            catch (System.ServiceModel.FaultException<OrganizationServiceFault> fault)
                when (!SplitRefusedAggregates && fault.Detail?.ErrorCode == PlatformErrors.AggregateQueryRecordLimit)
            {
                // The save is lost with the transaction; the person saving learns why, and whom to tell. The code stays the platform's.
                throw new InvalidPluginExecutionException(OperationStatus.Failed, PlatformErrors.AggregateQueryRecordLimit,
                    "Deal Risk cannot weigh the other deals' demand for delivery people: the open deals closing in this deal's delivery " +
                    "window hold more product lines and requirements than Dataverse sums in one query (AggregateQueryRecordLimit). Your " +
                    "changes were not saved. Tell your administrator (Deal Risk's docs/performance.md, \"Orgs past the aggregate limit\").");
            }
        }

        private static string RequirementDemandFetch(IReadOnlyCollection<Guid> excluded, DateTime since, DateTime to, bool undated) =>
            "<fetch aggregate='true'>" +
            $"<entity name='{Requirement.EntityName}'>" +
            $"<attribute name='{Requirement.EffortHours}' aggregate='sum' alias='hours'/>" +
            $"<attribute name='{Requirement.Role}' groupby='true' alias='role'/>" +
            "<filter>" +
            "<condition attribute='statecode' operator='eq' value='0'/>" +
            $"<condition attribute='{Requirement.Role}' operator='not-null'/>" +
            $"<condition attribute='{Requirement.EffortHours}' operator='gt' value='0'/>" +
            $"<filter type='or'><condition attribute='{Requirement.Fit}' operator='null'/>" +
            $"<condition attribute='{Requirement.Fit}' operator='ne' value='{OptionSets.FitValue(RequirementFit.NotSupported)}'/></filter>" +
            NotIn(Requirement.OpportunityId, excluded) +
            "</filter>" +
            DealLink(Requirement.OpportunityId, since, to, undated) +
            "</entity></fetch>";

        private static string ProductDemandFetch(IReadOnlyCollection<Guid> excluded, DateTime since, DateTime to, bool undated) =>
            "<fetch aggregate='true'>" +
            $"<entity name='{OpportunityProduct.EntityName}'>" +
            $"<attribute name='{OpportunityProduct.Quantity}' aggregate='sum' alias='quantity'/>" +
            $"<filter><condition attribute='{OpportunityProduct.Quantity}' operator='gt' value='0'/>{NotIn(OpportunityProduct.OpportunityId, excluded)}</filter>" +
            $"<link-entity name='{Product.EntityName}' from='{Product.Id}' to='{OpportunityProduct.ProductId}' link-type='inner' alias='product'>" +
            $"<attribute name='{Product.DeliveryRole}' groupby='true' alias='role'/>" +
            $"<attribute name='{Product.DeliveryHoursPerUnit}' groupby='true' alias='hoursperunit'/>" +
            $"<filter><condition attribute='{Product.DeliveryRole}' operator='not-null'/><condition attribute='{Product.DeliveryHoursPerUnit}' operator='gt' value='0'/></filter>" +
            "</link-entity>" +
            DealLink(OpportunityProduct.OpportunityId, since, to, undated) +
            "</entity></fetch>";

        /// <summary>
        /// The deal of a demand row, grouped by what weights and places its demand: state, probability and the close day
        /// (estimated for open deals, actual for won ones; grouped in UTC). Open deals closing in the window (or with no
        /// close date: they start today) and won deals closed in it; lost deals claim nothing.
        /// </summary>
        private static string DealLink(string from, DateTime since, DateTime to, bool undated)
        {
            string Day(string column, string prefix) =>
                $"<attribute name='{column}' groupby='true' dategrouping='year' usertimezone='false' alias='{prefix}year'/>" +
                $"<attribute name='{column}' groupby='true' dategrouping='month' usertimezone='false' alias='{prefix}month'/>" +
                $"<attribute name='{column}' groupby='true' dategrouping='day' usertimezone='false' alias='{prefix}day'/>";
            return $"<link-entity name='{Opportunity.EntityName}' from='{Opportunity.Id}' to='{from}' link-type='inner' alias='deal'>" +
                   $"<attribute name='{Opportunity.StateCode}' groupby='true' alias='state'/>" +
                   $"<attribute name='{Opportunity.CloseProbability}' groupby='true' alias='probability'/>" +
                   Day(Opportunity.EstimatedCloseDate, "close") + Day(Opportunity.ActualCloseDate, "actual") +
                   "<filter type='or'>" +
                   $"<filter><condition attribute='{Opportunity.StateCode}' operator='eq' value='{OpportunityState.Open}'/>" +
                   "<filter type='or'>" + (undated ? $"<condition attribute='{Opportunity.EstimatedCloseDate}' operator='null'/>" : "") +
                   $"<filter><condition attribute='{Opportunity.EstimatedCloseDate}' operator='ge' value='{Iso(since)}'/>" +
                   $"<condition attribute='{Opportunity.EstimatedCloseDate}' operator='lt' value='{Iso(to)}'/></filter></filter></filter>" +
                   $"<filter><condition attribute='{Opportunity.StateCode}' operator='eq' value='{OpportunityState.Won}'/>" +
                   $"<condition attribute='{Opportunity.ActualCloseDate}' operator='ge' value='{Iso(since)}'/>" +
                   $"<condition attribute='{Opportunity.ActualCloseDate}' operator='lt' value='{Iso(to)}'/></filter>" +
                   "</filter></link-entity>";
        }

        private static string NotIn(string column, IReadOnlyCollection<Guid> ids) =>
            ids.Count == 0 ? "" : $"<condition attribute='{column}' operator='not-in'>" + string.Concat(ids.Select(id => "<value>" + id.ToString("D") + "</value>")) + "</condition>";

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

        private IReadOnlyList<Entity> RetrieveAll(QueryExpression query)
        {
            query.PageInfo = new PagingInfo { Count = PageSize, PageNumber = 1 };
            var rows = new List<Entity>();
            while (true)
            {
                var page = _service.RetrieveMultiple(query);
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
