using System;

namespace DealRisk.Risk
{
    /// <summary>
    /// Date arithmetic that never throws at the ends of the calendar. Dataverse stores any date from 1753-01-01 to
    /// 9999-12-31, so a close date late in 9999 plus a delivery window runs past <see cref="DateTime.MaxValue"/>: such
    /// sums stop at the end of the calendar instead of failing the save.
    /// </summary>
    public static class Dates
    {
        /// <summary><paramref name="date"/> plus <paramref name="days"/>, held within <see cref="DateTime.MinValue"/> and <see cref="DateTime.MaxValue"/>.</summary>
        public static DateTime AddDays(DateTime date, int days)
        {
            var ticks = (decimal)date.Ticks + (decimal)days * TimeSpan.TicksPerDay;
            if (ticks >= DateTime.MaxValue.Ticks) return DateTime.SpecifyKind(DateTime.MaxValue, date.Kind);
            if (ticks <= DateTime.MinValue.Ticks) return DateTime.SpecifyKind(DateTime.MinValue, date.Kind);
            return date.AddTicks((long)((decimal)days * TimeSpan.TicksPerDay));
        }

        /// <summary>The first day of the month after <paramref name="month"/>'s, or <see cref="DateTime.MaxValue"/> after December 9999.</summary>
        public static DateTime NextMonth(DateTime month) =>
            month.Year == DateTime.MaxValue.Year && month.Month == 12 ? DateTime.MaxValue : new DateTime(month.Year, month.Month, 1).AddMonths(1);

        /// <summary>A sum of day counts that stays an int (a slip of 8,000 years added to a stored total never overflows).</summary>
        public static int AddCounts(int a, int b) => (int)Math.Max(int.MinValue, Math.Min(int.MaxValue, (long)a + b));
    }
}
