using System;
using System.Collections.Generic;

namespace DealRisk.Risk
{
    /// <summary>Everything the suite knows about a deal when it judges it. No SDK types: the plugin adapters fill it.</summary>
    public sealed class DealFacts
    {
        public string Name { get; set; } = "";

        /// <summary>The moment of the evaluation (the platform's clock).</summary>
        public DateTime Today { get; set; }

        public bool IsClosed { get; set; }

        /// <summary>The forecast values after the change being saved.</summary>
        public ForecastSnapshot Current { get; set; } = new ForecastSnapshot();

        /// <summary>The forecast values before the change (null on create).</summary>
        public ForecastSnapshot? Previous { get; set; }

        public decimal? EstimatedCostOfSale { get; set; }

        /// <summary>The discount on the whole opportunity (its discountamount, base currency), deducted from the lines' revenue.</summary>
        public decimal? DealDiscountAmount { get; set; }

        /// <summary>The discount rate on the whole opportunity (its discountpercentage), applied to the lines' revenue before the amount.</summary>
        public decimal? DealDiscountPercent { get; set; }

        public IList<DealLine> Lines { get; set; } = new List<DealLine>();

        public IList<DealRequirement> Requirements { get; set; } = new List<DealRequirement>();

        public IList<DealAllocation> Allocations { get; set; } = new List<DealAllocation>();

        public IList<RoleCapacity> Capacity { get; set; } = new List<RoleCapacity>();

        public IList<RoleDemand> OtherDemand { get; set; } = new List<RoleDemand>();

        /// <summary>Close-date slips recorded before this change.</summary>
        public int PriorSlipCount { get; set; }

        public int PriorSlipDays { get; set; }

        /// <summary>
        /// The largest margin percentage (either sign) the deal keeps where it is stored: a margin beyond it is stored at
        /// the limit, so a margin is compared with the previous one at that limit too (else every save of such a deal would
        /// record a drop from the stored value to the real one).
        /// </summary>
        public decimal StoredMarginPercentLimit { get; set; } = decimal.MaxValue;

        /// <summary>Forecast changes recorded before this change (from the deal's change log).</summary>
        public IList<ForecastChange> RecordedChanges { get; set; } = new List<ForecastChange>();

        // What time changes (read by the save and by the daily sweep alike, so the two give the same verdict).

        /// <summary>When the deal was created: the start of its stage and of its silence when nothing later is known.</summary>
        public DateTime? CreatedOn { get; set; }

        /// <summary>When the deal entered its current sales stage (null: not known, the stall finding is not judged).</summary>
        public DateTime? StageEnteredOn { get; set; }

        /// <summary>Whether the deal's completed customer activities were read (false: the inactivity finding is not judged).</summary>
        public bool ActivitiesKnown { get; set; }

        /// <summary>When the last customer activity regarding the deal was completed; null when there was none.</summary>
        public DateTime? LastCustomerActivityOn { get; set; }

        /// <summary>What the last activity was ("phone call", "appointment", "email", "task").</summary>
        public string? LastCustomerActivityKind { get; set; }

        /// <summary>The Opportunity Sales Process facts the rep has recorded (gate keys, <see cref="StageGate"/>); null: not read.</summary>
        public ISet<string>? PassedGates { get; set; }

        /// <summary>The org's won deals' median days per sales stage, from the risk history (empty: no benchmark).</summary>
        public IDictionary<int, StageBenchmark> WonStageDays { get; set; } = new Dictionary<int, StageBenchmark>();
    }
}
