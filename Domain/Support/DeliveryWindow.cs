using System;
using System.Collections.Generic;

namespace DealRisk.Risk
{
    /// <summary>The months a delivery window touches, with the share of its days in each.</summary>
    public static class DeliveryWindow
    {
        /// <summary>
        /// The months from <paramref name="start"/> to <paramref name="end"/> (first days), each with its share of the days, in
        /// order. A list rather than a lazy sequence: the resource check and the fix search walk it once per role.
        /// </summary>
        public static IReadOnlyList<KeyValuePair<DateTime, decimal>> Months(DateTime start, DateTime end)
        {
            if (end <= start) return Array.Empty<KeyValuePair<DateTime, decimal>>();
            var months = new List<KeyValuePair<DateTime, decimal>>(4);
            Months(start, end, months);
            return months;
        }

        /// <summary>
        /// <see cref="Months(DateTime, DateTime)"/> written into <paramref name="months"/>, emptied first: for a caller that
        /// weighs one window after another and keeps none (the fix search, a window per close date it tries).
        /// </summary>
        public static void Months(DateTime start, DateTime end, List<KeyValuePair<DateTime, decimal>> months)
        {
            months.Clear();
            var total = (decimal)(end - start).TotalDays;
            if (total <= 0m) return;
            for (var month = new DateTime(start.Year, start.Month, 1); month < end; month = Dates.NextMonth(month))
            {
                var next = Dates.NextMonth(month);
                var from = month < start ? start : month;
                var to = next > end ? end : next;
                var days = (decimal)(to - from).TotalDays;
                if (days > 0m) months.Add(new KeyValuePair<DateTime, decimal>(month, days / total));
                if (next == DateTime.MaxValue) break;
            }
        }
    }
}
