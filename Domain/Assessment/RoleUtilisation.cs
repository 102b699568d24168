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

        /// <summary>One whose <see cref="Percent"/> the resource check has already worked out (<see cref="PercentOf"/> of the same hours).</summary>
        internal RoleUtilisation(string role, DateTime month, decimal dealHours, decimal otherHours, decimal capacityHours, decimal? percent)
            : this(role, month, dealHours, otherHours, capacityHours)
        {
            _percent = percent;
            _percentKnown = true;
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
                    _percent = PercentOf(DealHours, OtherHours, CapacityHours);
                    _percentKnown = true;
                }

                return _percent;
            }
        }

        /// <summary>
        /// The figure <see cref="Percent"/> shows for these hours, without a row to hold them: what the fix search asks of
        /// every capacity it tries (is the month over the limit then?).
        /// </summary>
        internal static decimal? PercentOf(decimal dealHours, decimal otherHours, decimal capacityHours) =>
            capacityHours <= 0 ? (decimal?)null : decimal.Round((dealHours + otherHours) / capacityHours * 100m, 1);
    }
}
