using System;

namespace DealRisk.Risk
{
    /// <summary>The forecast values of a deal at one moment (before or after a change).</summary>
    public sealed class ForecastSnapshot
    {
        public decimal? Amount { get; set; }

        public DateTime? CloseDate { get; set; }

        /// <summary>Sales stage (opportunity salesstage: 0 Qualify, 1 Develop, 2 Propose, 3 Close).</summary>
        public int? SalesStage { get; set; }

        public int? Probability { get; set; }

        /// <summary>Forecast category rank: higher is more committed (Omitted 0, Pipeline 1, Best case 2, Committed 3).</summary>
        public int? ForecastRank { get; set; }

        public decimal? MarginPercent { get; set; }

        /// <summary>True when the margin was estimated from the opportunity's amount (no product lines): not comparable with a margin from lines.</summary>
        public bool MarginFromAmount { get; set; }
    }
}
