using System;

namespace CrmPlugins.Emulator.Query
{
    /// <summary>A half-open range of UTC instants: From &lt;= value &lt; To.</summary>
    internal readonly struct DateWindow
    {
        public DateWindow(DateTime from, DateTime to)
        {
            From = from;
            To = to;
        }

        public DateTime From { get; }

        public DateTime To { get; }

        public bool Contains(DateTime value) => value >= From && value < To;

        public static DateWindow Before(DateTime to) => new DateWindow(DateTime.MinValue, to);

        public static DateWindow Since(DateTime from) => new DateWindow(from, DateTime.MaxValue);
    }

    /// <summary>
    /// The ranges of Dataverse's relative date operators, computed from the organization's clock.
    /// The emulated user's time zone is UTC; weeks start on Sunday (en-US); the fiscal year starts on the first
    /// day of <see cref="IRowSource.FiscalYearStartMonth"/>, is named after the calendar year it starts in, and
    /// its fiscal periods are quarters.
    /// </summary>
    internal sealed class DateWindows
    {
        private readonly DateTime _now;
        private readonly DateTime _today;
        private readonly int _fiscalStartMonth;

        public DateWindows(DateTime utcNow, int fiscalYearStartMonth)
        {
            _now = QueryValues.ToUtc(utcNow);
            _today = _now.Date;
            _fiscalStartMonth = fiscalYearStartMonth is >= 1 and <= 12 ? fiscalYearStartMonth : 1;
        }

        public DateTime Now => _now;

        private DateTime EndOfNow => _now.AddTicks(1);

        private DateTime WeekStart => _today.AddDays(-(int)_today.DayOfWeek);

        private DateTime MonthStart => new DateTime(_today.Year, _today.Month, 1, 0, 0, 0, DateTimeKind.Utc);

        private DateTime YearStart => new DateTime(_today.Year, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        public DateWindow Today => new DateWindow(_today, _today.AddDays(1));

        public DateWindow Yesterday => new DateWindow(_today.AddDays(-1), _today);

        public DateWindow Tomorrow => new DateWindow(_today.AddDays(1), _today.AddDays(2));

        /// <summary>From the start of the day seven days ago up to now.</summary>
        public DateWindow Last7Days => new DateWindow(_today.AddDays(-7), EndOfNow);

        /// <summary>From now to the end of the seventh day from today.</summary>
        public DateWindow Next7Days => new DateWindow(_now, _today.AddDays(8));

        public DateWindow LastWeek => new DateWindow(WeekStart.AddDays(-7), WeekStart);

        public DateWindow ThisWeek => new DateWindow(WeekStart, WeekStart.AddDays(7));

        public DateWindow NextWeek => new DateWindow(WeekStart.AddDays(7), WeekStart.AddDays(14));

        public DateWindow LastMonth => new DateWindow(MonthStart.AddMonths(-1), MonthStart);

        public DateWindow ThisMonth => new DateWindow(MonthStart, MonthStart.AddMonths(1));

        public DateWindow NextMonth => new DateWindow(MonthStart.AddMonths(1), MonthStart.AddMonths(2));

        public DateWindow LastYear => new DateWindow(YearStart.AddYears(-1), YearStart);

        public DateWindow ThisYear => new DateWindow(YearStart, YearStart.AddYears(1));

        public DateWindow NextYear => new DateWindow(YearStart.AddYears(1), YearStart.AddYears(2));

        public DateWindow LastXHours(int x) => new DateWindow(_now.AddHours(-x), EndOfNow);

        public DateWindow NextXHours(int x) => new DateWindow(_now, _now.AddHours(x).AddTicks(1));

        /// <summary>From the start of the day X days ago up to now.</summary>
        public DateWindow LastXDays(int x) => new DateWindow(_today.AddDays(-x), EndOfNow);

        /// <summary>From now to the end of the day X days from today.</summary>
        public DateWindow NextXDays(int x) => new DateWindow(_now, _today.AddDays(x + 1));

        public DateWindow LastXWeeks(int x) => LastXDays(7 * x);

        public DateWindow NextXWeeks(int x) => NextXDays(7 * x);

        public DateWindow LastXMonths(int x) => new DateWindow(_today.AddMonths(-x), EndOfNow);

        public DateWindow NextXMonths(int x) => new DateWindow(_now, _today.AddMonths(x).AddDays(1));

        public DateWindow LastXYears(int x) => new DateWindow(_today.AddYears(-x), EndOfNow);

        public DateWindow NextXYears(int x) => new DateWindow(_now, _today.AddYears(x).AddDays(1));

        public DateWindow OlderThanXMinutes(int x) => DateWindow.Before(_now.AddMinutes(-x));

        public DateWindow OlderThanXHours(int x) => DateWindow.Before(_now.AddHours(-x));

        /// <summary>Before the start of the day X days ago.</summary>
        public DateWindow OlderThanXDays(int x) => DateWindow.Before(_today.AddDays(-x));

        public DateWindow OlderThanXWeeks(int x) => DateWindow.Before(_today.AddDays(-7 * x));

        public DateWindow OlderThanXMonths(int x) => DateWindow.Before(_today.AddMonths(-x));

        public DateWindow OlderThanXYears(int x) => DateWindow.Before(_today.AddYears(-x));

        public static DateWindow On(DateTime day) => new DateWindow(day.Date, day.Date.AddDays(1));

        public static DateWindow OnOrBefore(DateTime day) => DateWindow.Before(day.Date.AddDays(1));

        public static DateWindow OnOrAfter(DateTime day) => DateWindow.Since(day.Date);

        /// <summary>The fiscal year (named by its start year) a date falls in.</summary>
        public int FiscalYearOf(DateTime value) => value.Month >= _fiscalStartMonth ? value.Year : value.Year - 1;

        /// <summary>The fiscal period (quarter, 1-4) a date falls in.</summary>
        public int FiscalPeriodOf(DateTime value) => ((value.Month - _fiscalStartMonth + 12) % 12 / 3) + 1;

        public DateTime FiscalYearStart(int fiscalYear) => new DateTime(fiscalYear, _fiscalStartMonth, 1, 0, 0, 0, DateTimeKind.Utc);

        public DateWindow FiscalYear(int fiscalYear) => new DateWindow(FiscalYearStart(fiscalYear), FiscalYearStart(fiscalYear).AddYears(1));

        public DateWindow FiscalPeriod(int period, int fiscalYear)
        {
            var start = FiscalYearStart(fiscalYear).AddMonths(3 * (period - 1));
            return new DateWindow(start, start.AddMonths(3));
        }

        public DateWindow ThisFiscalYear => FiscalYear(FiscalYearOf(_now));

        public DateWindow LastFiscalYear => FiscalYear(FiscalYearOf(_now) - 1);

        public DateWindow NextFiscalYear => FiscalYear(FiscalYearOf(_now) + 1);

        public DateWindow ThisFiscalPeriod => FiscalPeriod(FiscalPeriodOf(_now), FiscalYearOf(_now));

        public DateWindow LastFiscalPeriod => Shift(ThisFiscalPeriod, -3);

        public DateWindow NextFiscalPeriod => Shift(ThisFiscalPeriod, 3);

        private static DateWindow Shift(DateWindow window, int months) => new DateWindow(window.From.AddMonths(months), window.To.AddMonths(months));
    }
}
