using System;
using System.Collections.Generic;
using System.Linq;
using CrmPlugins.Emulator;
using DealRisk.Plugins.Ledger;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;

namespace DealRisk.Plugins.Tests.Ledger
{
    /// <summary>
    /// Seeds deals outside the pipeline (as <see cref="XrmOrganization.Seed(IEnumerable{Entity})"/> does) with the demand
    /// ledger holding them, as if each had been judged once: the deal carries its open posting's text and the ledger one
    /// row per role of its holding (open: weighted from its close date; won: in full from its actual close date; lost:
    /// none). What the rebuild Custom API does for a live org; here for arranging a test quickly.
    /// </summary>
    internal static class LedgerSeed
    {
        public static void Seed(XrmOrganization org, params Entity[] rows) => Seed(org, (IEnumerable<Entity>)rows);

        public static void Seed(XrmOrganization org, IEnumerable<Entity> rows)
        {
            var list = rows.ToList();
            org.Seed(list.Concat(Post(org, list)).ToList());
        }

        /// <summary>
        /// As <see cref="Seed(XrmOrganization, IEnumerable{Entity})"/>, with the ledger as the daily sweep's fold leaves it:
        /// one row per role and day holding the sum of the deals' entries, however many deals there are.
        /// </summary>
        public static void SeedFolded(XrmOrganization org, IEnumerable<Entity> rows)
        {
            var list = rows.ToList();
            var folded = Post(org, list).Select(DemandLedger.Entry).Cast<DemandEntry>()
                .GroupBy(e => (e.Role, e.Day))
                .Select(g => DemandLedger.Row(new DemandEntry(g.Key.Role, g.Key.Day, g.Sum(e => e.WeightedHours))))
                .Cast<Entity>();
            org.Seed(list.Concat(folded).ToList());
        }

        /// <summary>Sets each deal's posted text among <paramref name="rows"/> and returns the ledger rows that hold them.</summary>
        public static IReadOnlyList<Entity> Post(XrmOrganization org, IReadOnlyList<Entity> rows)
        {
            Entity? ProductOf(Guid id) => rows.FirstOrDefault(r => r.LogicalName == Product.EntityName && r.Id == id) ?? org.Get(Product.EntityName, id);
            var lines = rows.Where(r => r.LogicalName == OpportunityProduct.EntityName).ToLookup(r => r.GetAttributeValue<EntityReference>(OpportunityProduct.OpportunityId).Id, r =>
            {
                var product = r.GetAttributeValue<EntityReference>(OpportunityProduct.ProductId) is EntityReference p ? ProductOf(p.Id) : null;
                return new DealLine
                {
                    Quantity = r.GetAttributeValue<decimal?>(OpportunityProduct.Quantity),
                    DeliveryRole = OptionSets.RoleName(product?.GetAttributeValue<OptionSetValue>(Product.DeliveryRole)?.Value),
                    DeliveryHoursPerUnit = product?.GetAttributeValue<decimal?>(Product.DeliveryHoursPerUnit),
                };
            });
            var requirements = rows.Where(r => r.LogicalName == Requirement.EntityName && (r.GetAttributeValue<OptionSetValue>("statecode")?.Value ?? 0) == 0)
                .ToLookup(r => r.GetAttributeValue<EntityReference>(Requirement.OpportunityId).Id, r => new DealRequirement
                {
                    Fit = OptionSets.FitOf(r.GetAttributeValue<OptionSetValue>(Requirement.Fit)?.Value),
                    EffortHours = r.GetAttributeValue<decimal?>(Requirement.EffortHours),
                    Role = OptionSets.RoleName(r.GetAttributeValue<OptionSetValue>(Requirement.Role)?.Value),
                });

            var ledger = new List<Entity>();
            foreach (var deal in rows.Where(r => r.LogicalName == Opportunity.EntityName))
            {
                var open = DemandLedger.Open(deal.GetAttributeValue<int?>(Opportunity.CloseProbability), deal.GetAttributeValue<DateTime?>(Opportunity.EstimatedCloseDate),
                    DeliveryDemand.ByRole(lines[deal.Id], requirements[deal.Id]));
                var text = open.Format();
                deal[Opportunity.DemandPosted] = text.Length == 0 ? null : text;
                DemandLedger.TryHolding(deal.GetAttributeValue<OptionSetValue>(Opportunity.StateCode)?.Value, deal.GetAttributeValue<DateTime?>(Opportunity.ActualCloseDate), text, out var holding);
                ledger.AddRange(holding.Entries().Select(DemandLedger.Row).Where(r => r != null).Cast<Entity>());
            }

            return ledger;
        }

        /// <summary>The ledger's active rows summed per role and day, as the ledger read sees them.</summary>
        public static IReadOnlyDictionary<(string Role, DateTime? Day), decimal> Sums(XrmOrganization org) =>
            org.All(DemandEntryTable.EntityName)
                .Where(r => (r.GetAttributeValue<OptionSetValue>(DemandEntryTable.StateCode)?.Value ?? 0) == 0)
                .Select(DemandLedger.Entry).Where(e => e != null).Cast<DemandEntry>()
                .GroupBy(e => (e.Role, e.Day)).Select(g => (g.Key, Sum: g.Sum(e => e.WeightedHours))).Where(x => x.Sum != 0m)
                .ToDictionary(x => x.Key, x => x.Sum);
    }
}
