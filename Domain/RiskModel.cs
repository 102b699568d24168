using System;
using System.Collections.Generic;

namespace DealRisk.Risk
{
    /// <summary>How bad a finding, a check or a deal is. Unknown: the data does not allow a judgement.</summary>
    public enum RiskLevel
    {
        Unknown = 0,
        Low = 1,
        Medium = 2,
        High = 3,
        Critical = 4,
    }

    /// <summary>The four questions the suite asks of a deal.</summary>
    public enum RiskCheck
    {
        Margin,
        Resource,
        Fit,
        Forecast,
    }

    public enum RequirementPriority
    {
        MustHave,
        ShouldHave,
        NiceToHave,
    }

    public enum RequirementFit
    {
        Standard,
        Configuration,
        Customisation,
        NotSupported,
        Unknown,
    }

    /// <summary>One thing wrong with a deal: which check found it, a stable code, how bad, and a sentence for a person.</summary>
    public sealed class RiskFinding
    {
        public RiskFinding(RiskCheck check, string code, RiskLevel level, string reason)
        {
            Check = check;
            Code = code;
            Level = level;
            Reason = reason;
        }

        public RiskCheck Check { get; }

        /// <summary>A stable code (e.g. MARGIN_BELOW_FLOOR) for history and analysis.</summary>
        public string Code { get; }

        public RiskLevel Level { get; }

        /// <summary>The plain-language reason, with the numbers and the threshold.</summary>
        public string Reason { get; }

        public override string ToString() => $"{Level}: {Reason}";
    }

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

    /// <summary>A customer requirement recorded on the deal.</summary>
    public sealed class DealRequirement
    {
        public string Name { get; set; } = "";

        public RequirementPriority Priority { get; set; } = RequirementPriority.ShouldHave;

        public RequirementFit Fit { get; set; } = RequirementFit.Unknown;

        public decimal? EffortHours { get; set; }

        public string? Role { get; set; }

        public bool Quoted { get; set; }
    }

    /// <summary>Hours of a role allocated to the deal; Named when a person or team is attached.</summary>
    public sealed class DealAllocation
    {
        public string Role { get; set; } = "";

        public decimal Hours { get; set; }

        public bool Named { get; set; }
    }

    /// <summary>Hours of a delivery role in a month (the first day of the month).</summary>
    public abstract class RoleMonthHours
    {
        protected RoleMonthHours(string role, DateTime month, decimal hours)
        {
            Role = role;
            Month = new DateTime(month.Year, month.Month, 1);
            Hours = hours;
        }

        public string Role { get; }

        public DateTime Month { get; }

        public decimal Hours { get; }
    }

    /// <summary>Capacity of a role in a month.</summary>
    public sealed class RoleCapacity : RoleMonthHours
    {
        public RoleCapacity(string role, DateTime month, decimal hours) : base(role, month, hours) { }
    }

    /// <summary>Hours of a role other deals already claim in a month (weighted by their probability, or in full when won).</summary>
    public sealed class RoleDemand : RoleMonthHours
    {
        public RoleDemand(string role, DateTime month, decimal hours) : base(role, month, hours) { }

        /// <summary>Spreads hours evenly over the days of a delivery window, one demand per month it touches.</summary>
        public static IEnumerable<RoleDemand> Spread(string role, decimal hours, DateTime start, int windowDays)
        {
            foreach (var slice in DeliveryWindow.Months(start.Date, Dates.AddDays(start.Date, Math.Max(1, windowDays))))
                yield return new RoleDemand(role, slice.Key, hours * slice.Value);
        }
    }

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

    /// <summary>A change of the forecast detected on a save: a leading indicator, recorded with its date.</summary>
    public sealed class ForecastChange
    {
        public ForecastChange(DateTime on, string code, RiskLevel level, string text)
        {
            On = on.Date;
            Code = code;
            Level = level;
            Text = text;
        }

        public DateTime On { get; }

        public string Code { get; }

        public RiskLevel Level { get; }

        public string Text { get; }
    }

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
    }

    /// <summary>Demand against capacity of one role in one month.</summary>
    public sealed class RoleUtilisation
    {
        public RoleUtilisation(string role, DateTime month, decimal dealHours, decimal otherHours, decimal capacityHours)
        {
            Role = role;
            Month = month;
            DealHours = dealHours;
            OtherHours = otherHours;
            CapacityHours = capacityHours;
        }

        public string Role { get; }

        public DateTime Month { get; }

        public decimal DealHours { get; }

        public decimal OtherHours { get; }

        public decimal CapacityHours { get; }

        /// <summary>Demand as a percentage of capacity; null when the role has no capacity at all.</summary>
        public decimal? Percent => CapacityHours <= 0 ? (decimal?)null : decimal.Round((DealHours + OtherHours) / CapacityHours * 100m, 1);
    }
}

namespace DealRisk.Risk
{
    /// <summary>The months a delivery window touches, with the share of its days in each.</summary>
    public static class DeliveryWindow
    {
        public static IEnumerable<KeyValuePair<DateTime, decimal>> Months(DateTime start, DateTime end)
        {
            var total = (decimal)(end - start).TotalDays;
            if (total <= 0m) yield break;
            for (var month = new DateTime(start.Year, start.Month, 1); month < end; month = Dates.NextMonth(month))
            {
                var next = Dates.NextMonth(month);
                var from = month < start ? start : month;
                var to = next > end ? end : next;
                var days = (decimal)(to - from).TotalDays;
                if (days > 0m) yield return new KeyValuePair<DateTime, decimal>(month, days / total);
                if (next == DateTime.MaxValue) yield break;
            }
        }
    }
}
