using System;
using System.Collections.Generic;

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
