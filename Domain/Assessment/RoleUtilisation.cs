using System;

namespace DealRisk.Risk
{
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

        private decimal? _percent;
        private bool _percentKnown;

        /// <summary>Demand as a percentage of capacity; null when the role has no capacity at all.</summary>
        public decimal? Percent
        {
            get
            {
                // Worked out once: the resource check compares it month by month, and a fix search does so for many changes.
                if (!_percentKnown)
                {
                    _percent = CapacityHours <= 0 ? (decimal?)null : decimal.Round((DealHours + OtherHours) / CapacityHours * 100m, 1);
                    _percentKnown = true;
                }

                return _percent;
            }
        }
    }
}
