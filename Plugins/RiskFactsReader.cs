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
    /// products, requirements, allocations, capacity, other deals' allocations), whatever the number of deals,
    /// lines or requirements. Reads run as SYSTEM: reps may not see product cost.
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
                    OpportunityProduct.IsProductOverridden, OpportunityProduct.Quantity, OpportunityProduct.BaseAmountBase, OpportunityProduct.ExtendedAmountBase),
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
        /// What other deals already claim: allocations of open deals weighted by their probability, and of won
        /// deals still inside their delivery window in full, spread over each deal's delivery window.
        /// </summary>
        public IReadOnlyList<RoleDemand> OtherDemand(IReadOnlyCollection<Guid> excludedOpportunityIds, DateTime now, int windowDays)
        {
            var query = new QueryExpression(ResourceAllocation.EntityName)
            {
                ColumnSet = new ColumnSet(ResourceAllocation.OpportunityId, ResourceAllocation.Role, ResourceAllocation.Hours, ResourceAllocation.Start),
                NoLock = true,
            };
            query.Criteria.AddCondition("statecode", ConditionOperator.Equal, 0);
            if (excludedOpportunityIds.Count > 0)
                query.Criteria.AddCondition(ResourceAllocation.OpportunityId, ConditionOperator.NotIn, excludedOpportunityIds.Cast<object>().ToArray());
            var deal = query.AddLink(Opportunity.EntityName, ResourceAllocation.OpportunityId, Opportunity.Id, JoinOperator.Inner);
            deal.EntityAlias = "deal";
            deal.Columns = new ColumnSet(Opportunity.StateCode, Opportunity.CloseProbability, Opportunity.EstimatedCloseDate, Opportunity.ActualCloseDate);
            var open = new FilterExpression(LogicalOperator.And);
            open.AddCondition(Opportunity.StateCode, ConditionOperator.Equal, OpportunityState.Open);
            var wonNotDelivered = new FilterExpression(LogicalOperator.And);
            wonNotDelivered.AddCondition(Opportunity.StateCode, ConditionOperator.Equal, OpportunityState.Won);
            wonNotDelivered.AddCondition(Opportunity.ActualCloseDate, ConditionOperator.GreaterEqual, Dates.AddDays(now.Date, -windowDays));
            deal.LinkCriteria = new FilterExpression(LogicalOperator.Or);
            deal.LinkCriteria.AddFilter(open);
            deal.LinkCriteria.AddFilter(wonNotDelivered);

            var demand = new List<RoleDemand>();
            foreach (var row in RetrieveAll(query))
            {
                var role = OptionSets.RoleName(row.GetAttributeValue<OptionSetValue>(ResourceAllocation.Role)?.Value);
                var hours = row.GetAttributeValue<decimal?>(ResourceAllocation.Hours) ?? 0m;
                if (role == null || hours <= 0m) continue;
                var won = Aliased<OptionSetValue>(row, "deal." + Opportunity.StateCode)?.Value == OpportunityState.Won;
                var weight = won ? 1m : Math.Min(100, Math.Max(0, Aliased<int?>(row, "deal." + Opportunity.CloseProbability) ?? 0)) / 100m;
                var start = row.GetAttributeValue<DateTime?>(ResourceAllocation.Start)
                    ?? (won ? Aliased<DateTime?>(row, "deal." + Opportunity.ActualCloseDate) : Aliased<DateTime?>(row, "deal." + Opportunity.EstimatedCloseDate))
                    ?? now;
                demand.AddRange(RoleDemand.Spread(role, hours * weight, start, windowDays));
            }

            return demand;
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

        private static T? Aliased<T>(Entity row, string alias) =>
            row.Attributes.TryGetValue(alias, out var value) && value is AliasedValue aliased && aliased.Value is T typed ? typed : default;

        private static ILookup<Guid, T> Empty<T>() => Array.Empty<KeyValuePair<Guid, T>>().ToLookup(p => p.Key, p => p.Value);
    }
}
