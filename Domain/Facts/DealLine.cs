namespace DealRisk.Risk
{
    /// <summary>A product line of the deal, in base currency.</summary>
    public sealed class DealLine
    {
        /// <summary>The product's name (or the write-in description).</summary>
        public string ProductName { get; set; } = "";

        public decimal? Quantity { get; set; }

        /// <summary>The line amount before discounts (price × quantity).</summary>
        public decimal? GrossAmount { get; set; }

        /// <summary>The line amount after discounts, tax included (Dataverse's extended amount = base amount − manual
        /// discount − volume discount + tax).</summary>
        public decimal? NetAmount { get; set; }

        /// <summary>The tax on the line (in <see cref="NetAmount"/>); revenue is the net amount less the tax.</summary>
        public decimal? Tax { get; set; }

        /// <summary>What the customer pays us for the line, net of tax and of the line's discounts.</summary>
        public decimal Revenue => (NetAmount ?? GrossAmount ?? 0m) - (NetAmount != null ? Tax ?? 0m : 0m);

        /// <summary>The product's cost per unit; null when the product has no cost recorded.</summary>
        public decimal? UnitCost { get; set; }

        /// <summary>True when the line points to a product that no longer exists.</summary>
        public bool ProductMissing { get; set; }

        /// <summary>True for a write-in line (no catalogue product): its cost is unknown.</summary>
        public bool IsWriteIn { get; set; }

        /// <summary>Delivery hours one unit of the product needs, and the role that delivers them.</summary>
        public decimal? DeliveryHoursPerUnit { get; set; }

        public string? DeliveryRole { get; set; }
    }
}
