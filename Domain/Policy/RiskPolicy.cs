namespace DealRisk.Risk
{
    /// <summary>
    /// Every threshold the checks use. The plugins read it from the dr_riskpolicy table (the narrowest
    /// matching scope wins); with no policy row the built-in defaults below apply and the trace says so.
    /// </summary>
    public sealed class RiskPolicy
    {
        /// <summary>Where the values came from: the policy row's name, or "built-in defaults".</summary>
        public string Source { get; set; } = BuiltInSource;

        public const string BuiltInSource = "built-in defaults";

        /// <summary>Margin below this percentage of revenue is High risk.</summary>
        public decimal MarginWarningPercent { get; set; } = 25m;

        /// <summary>Margin below this percentage of revenue is Critical.</summary>
        public decimal MarginCriticalPercent { get; set; } = 15m;

        /// <summary>A line discounted more than this percentage is Medium risk.</summary>
        public decimal MaxDiscountPercent { get; set; } = 20m;

        /// <summary>Sales commission as a percentage of revenue, counted as cost of sale.</summary>
        public decimal CommissionPercent { get; set; } = 5m;

        /// <summary>Cost of one hour of delivery effort (base currency), every role alike: for unquoted effort, and for the
        /// delivery hours of quoted products when <see cref="ProductCostIncludesDelivery"/> is off.</summary>
        public decimal HourlyCost { get; set; } = 95m;

        /// <summary>True when a product's cost already includes its delivery; false: its delivery hours per unit × quantity
        /// cost <see cref="HourlyCost"/> each on top of the product cost.</summary>
        public bool ProductCostIncludesDelivery { get; set; } = true;

        /// <summary>Unquoted configuration/customisation effort above these hours is Medium / High risk.</summary>
        public decimal UnquotedEffortWarningHours { get; set; } = 40m;

        public decimal UnquotedEffortCriticalHours { get; set; } = 160m;

        /// <summary>Sales stage from which must-haves still unassessed are a risk (2 = Propose).</summary>
        public int LateSalesStage { get; set; } = 2;

        /// <summary>Deals closing within this many days must have their delivery roles allocated to named people or teams.</summary>
        public int AllocationLeadDays { get; set; } = 30;

        /// <summary>Delivery happens in this many days after the close date.</summary>
        public int DeliveryWindowDays { get; set; } = 90;

        /// <summary>Role demand above these percentages of capacity is Medium / High risk.</summary>
        public decimal UtilisationWarningPercent { get; set; } = 85m;

        public decimal UtilisationCriticalPercent { get; set; } = 100m;

        /// <summary>This many close-date slips make forecast risk Medium / High.</summary>
        public int SlipWarningCount { get; set; } = 2;

        public int SlipCriticalCount { get; set; } = 3;

        /// <summary>A single slip of more than this many days is Medium risk, whatever the count.</summary>
        public int SlipLongDays { get; set; } = 30;

        /// <summary>The level of a slip that moves the close date out of its calendar quarter (a forecast miss).</summary>
        public RiskLevel SlipOutOfQuarterLevel { get; set; } = RiskLevel.High;

        /// <summary>Facts missing (no product lines, a product without cost, no close date, no revenue) on a deal closing
        /// within this many days, or at or after <see cref="LateSalesStage"/>, are Medium risk.</summary>
        public int MissingFactsDays { get; set; } = 30;

        /// <summary>The level of missing facts on a deal both at or after the late stage and closing within
        /// <see cref="MissingFactsDays"/>: at or above <see cref="AlertLevel"/> the manager is alerted.</summary>
        public RiskLevel MissingFactsLateLevel { get; set; } = RiskLevel.High;

        /// <summary>An amount drop of this percentage or more is Medium risk (twice as much: High).</summary>
        public decimal AmountDropWarningPercent { get; set; } = 20m;

        /// <summary>A margin drop of this many percentage points or more is Medium risk.</summary>
        public decimal MarginDropWarningPoints { get; set; } = 10m;

        /// <summary>A probability cut of this many points or more is Medium risk.</summary>
        public int ProbabilityCutWarningPoints { get; set; } = 20;

        /// <summary>Forecast changes older than this many days no longer count toward forecast risk (they stay in the log).</summary>
        public int ForecastLookbackDays { get; set; } = 30;

        /// <summary>The overall level from which managers are alerted.</summary>
        public RiskLevel AlertLevel { get; set; } = RiskLevel.High;

        /// <summary>Alerts not acknowledged after this many hours go one level up the management chain.</summary>
        public int EscalationHours { get; set; } = 48;

        /// <summary>Who gets an alert when the deal's owner has no manager (a user, or a team's administrator).</summary>
        public System.Guid? EscalationUserId { get; set; }

        public System.Guid? EscalationTeamId { get; set; }

        /// <summary>The thresholds of the findings time creates (a past close date, silence, stalls, stage gates).</summary>
        public TimePolicy Time { get; set; } = new TimePolicy();

        /// <summary>The built-in defaults.</summary>
        public static RiskPolicy Default() => new RiskPolicy();

        /// <summary>Problems that make the policy unusable as it is (each a sentence for an admin); empty when sound.</summary>
        public System.Collections.Generic.IList<string> Problems()
        {
            var problems = new System.Collections.Generic.List<string>();
            if (MarginCriticalPercent > MarginWarningPercent) problems.Add($"the critical margin floor ({MarginCriticalPercent}%) is above the warning floor ({MarginWarningPercent}%)");
            if (UnquotedEffortCriticalHours < UnquotedEffortWarningHours) problems.Add("the critical unquoted-effort hours are below the warning hours");
            if (UtilisationCriticalPercent < UtilisationWarningPercent) problems.Add("the critical utilisation is below the warning utilisation");
            if (SlipCriticalCount < SlipWarningCount) problems.Add("the critical slip count is below the warning slip count");
            if (HourlyCost < 0 || CommissionPercent < 0 || MaxDiscountPercent < 0) problems.Add("hourly cost, commission and maximum discount cannot be negative");
            if (DeliveryWindowDays <= 0) problems.Add("the delivery window must be at least one day");
            if (SlipLongDays < 0 || MissingFactsDays < 0) problems.Add("the long-slip days and missing-facts days cannot be negative");
            foreach (var problem in Time.Problems) problems.Add(problem);
            return problems;
        }
    }
}
