using System;
using System.Collections.Generic;

namespace DealRisk.Risk
{
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
}
