using System;
using System.Collections.Generic;
using System.Linq;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace DealRisk.Plugins.Ledger
{
    /// <summary>
    /// The delivery hours per role of a page of deals, as the rebuild posts them. The ledger needs only the numbers the
    /// rule of <see cref="DeliveryDemand.ByRole"/> reads (a line's quantity, its product's delivery hours per unit and
    /// role), not what <see cref="RiskFactsReader.Lines"/> gathers for a judgement (names, amounts, tax, cost): the lines
    /// are read with those three columns only, and the rule stays the domain's, handed lines that carry nothing else.
    /// One query (paged past 5,000 rows), as <see cref="RiskFactsReader.Lines"/>.
    /// </summary>
    public static class LedgerLines
    {
        /// <summary>Each deal's hours per role from its lines and <paramref name="requirements"/>; a deal with neither has none.</summary>
        public static IReadOnlyDictionary<Guid, IEnumerable<KeyValuePair<string, decimal>>> HoursByRole(
            IOrganizationService service, IReadOnlyCollection<Guid> opportunityIds, ILookup<Guid, DealRequirement> requirements)
        {
            var lines = new Dictionary<Guid, List<DealLine>>();
            if (opportunityIds.Count > 0)
            {
                var query = new QueryExpression(OpportunityProduct.EntityName)
                {
                    ColumnSet = new ColumnSet(OpportunityProduct.OpportunityId, OpportunityProduct.Quantity),
                    NoLock = true,
                };
                query.Criteria.AddCondition(OpportunityProduct.OpportunityId, ConditionOperator.In, opportunityIds.Cast<object>().ToArray());
                // Left outer, as the judgement's read: a write-in line or one whose product is gone is read with no product
                // columns, and the rule decides what it adds (nothing, as it has no role).
                var product = query.AddLink(Product.EntityName, OpportunityProduct.ProductId, Product.Id, JoinOperator.LeftOuter);
                product.EntityAlias = "product";
                product.Columns = new ColumnSet(Product.DeliveryHoursPerUnit, Product.DeliveryRole);
                query.AddOrder(OpportunityProduct.Id, OrderType.Ascending);

                foreach (var row in RiskFactsReader.RetrieveAll(service, query))
                {
                    var deal = row.GetAttributeValue<EntityReference>(OpportunityProduct.OpportunityId).Id;
                    if (!lines.TryGetValue(deal, out var ofDeal)) lines.Add(deal, ofDeal = new List<DealLine>());
                    ofDeal.Add(new DealLine
                    {
                        Quantity = row.GetAttributeValue<decimal?>(OpportunityProduct.Quantity),
                        DeliveryHoursPerUnit = RiskFactsReader.Aliased<decimal?>(row, "product." + Product.DeliveryHoursPerUnit),
                        DeliveryRole = OptionSets.RoleName(RiskFactsReader.Aliased<OptionSetValue>(row, "product." + Product.DeliveryRole)?.Value),
                    });
                }
            }

            var hours = new Dictionary<Guid, IEnumerable<KeyValuePair<string, decimal>>>(opportunityIds.Count);
            foreach (var id in opportunityIds)
                hours[id] = DeliveryDemand.ByRole(lines.TryGetValue(id, out var ofDeal) ? ofDeal : Enumerable.Empty<DealLine>(), requirements[id]);
            return hours;
        }
    }
}
