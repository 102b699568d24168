using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator
{
    /// <summary>
    /// Values the platform computes when a row is saved, beyond audit columns: the amounts of opportunity and
    /// quote product lines (base amount = price per unit × quantity; extended amount = base amount − manual
    /// discount − volume discount + tax), as the pricing engine does for a line with a price.
    /// </summary>
    internal static class PlatformCalculations
    {
        public static void Apply(Entity row)
        {
            if (row.LogicalName is "opportunityproduct" or "quotedetail" or "salesorderdetail" or "invoicedetail")
                PriceLine(row);
        }

        private static void PriceLine(Entity row)
        {
            var price = row.GetAttributeValue<Money>("priceperunit");
            var quantity = row.GetAttributeValue<decimal?>("quantity");
            if (price == null || quantity == null) return;
            var baseAmount = price.Value * quantity.Value;
            var extended = baseAmount
                - (row.GetAttributeValue<Money>("manualdiscountamount")?.Value ?? 0m)
                - (row.GetAttributeValue<Money>("volumediscountamount")?.Value ?? 0m)
                + (row.GetAttributeValue<Money>("tax")?.Value ?? 0m);
            row["baseamount"] = new Money(baseAmount);
            row["extendedamount"] = new Money(extended);
        }
    }
}
