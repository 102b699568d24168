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

        /// <summary>The line amount after discounts (extended amount): the revenue of the line.</summary>
        public decimal? NetAmount { get; set; }

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
