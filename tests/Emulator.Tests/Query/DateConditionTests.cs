using System;
using System.Collections.Generic;
using System.Linq;
using CrmPlugins.Emulator.Query;
using Microsoft.Xrm.Sdk.Query;
using NUnit.Framework;
using static CrmPlugins.Emulator.Tests.Query.QueryTestHelpers;

namespace CrmPlugins.Emulator.Tests.Query
{
    /// <summary>Date operators against a fixed clock: Wednesday 2024-05-15 10:30 UTC (weeks start on Sunday).</summary>
    [TestFixture]
    public class DateConditionTests
    {
        private static readonly Dictionary<string, DateTime> Dates = new Dictionary<string, DateTime>
        {
            ["today-morning"] = Utc(2024, 5, 15, 8),
            ["hour-ago"] = new DateTime(2024, 5, 15, 9, 45, 0, DateTimeKind.Utc),
            ["later-today"] = Utc(2024, 5, 15, 20),
            ["yesterday"] = Utc(2024, 5, 14, 12),
            ["tomorrow"] = Utc(2024, 5, 16, 9),
            ["last-week"] = Utc(2024, 5, 8, 12),
            ["ten-days-ago"] = Utc(2024, 5, 5, 10),
            ["next-week"] = Utc(2024, 5, 21, 12),
            ["last-month"] = Utc(2024, 4, 20, 12),
            ["next-month"] = Utc(2024, 6, 10, 12),
            ["last-year"] = Utc(2023, 7, 1, 12),
            ["next-year"] = Utc(2025, 2, 1, 12),
        };

        private InMemoryRowSource _source = null!;
        private QueryEngine _engine = null!;

        [SetUp]
        public void SetUp()
        {
            _source = new InMemoryRowSource();
            _engine = new QueryEngine(_source);
            foreach (var date in Dates) _source.Add("task", ("subject", date.Key), ("scheduledend", date.Value));
            _source.Add("task", ("subject", "no-date"));
        }

        private static DateTime Utc(int y, int m, int d, int h) => new DateTime(y, m, d, h, 0, 0, DateTimeKind.Utc);

        private static IEnumerable<TestCaseData> Cases()
        {
            var may = new[] { "today-morning", "hour-ago", "later-today", "yesterday", "tomorrow", "last-week", "ten-days-ago", "next-week" };
            var todays = new[] { "today-morning", "hour-ago", "later-today" };
            var pastInLast7 = new[] { "today-morning", "hour-ago", "yesterday", "last-week" };
            yield return Case(ConditionOperator.Today, todays);
            yield return Case(ConditionOperator.Yesterday, new[] { "yesterday" });
            yield return Case(ConditionOperator.Tomorrow, new[] { "tomorrow" });
            yield return Case(ConditionOperator.ThisWeek, new[] { "today-morning", "hour-ago", "later-today", "yesterday", "tomorrow" });
            yield return Case(ConditionOperator.LastWeek, new[] { "last-week", "ten-days-ago" });
            yield return Case(ConditionOperator.NextWeek, new[] { "next-week" });
            yield return Case(ConditionOperator.ThisMonth, may);
            yield return Case(ConditionOperator.LastMonth, new[] { "last-month" });
            yield return Case(ConditionOperator.NextMonth, new[] { "next-month" });
            yield return Case(ConditionOperator.ThisYear, may.Concat(new[] { "last-month", "next-month" }).ToArray());
            yield return Case(ConditionOperator.LastYear, new[] { "last-year" });
            yield return Case(ConditionOperator.NextYear, new[] { "next-year" });
            yield return Case(ConditionOperator.Last7Days, pastInLast7);
            yield return Case(ConditionOperator.Next7Days, new[] { "later-today", "tomorrow", "next-week" });
            yield return Case(ConditionOperator.LastXDays, new[] { "today-morning", "hour-ago", "yesterday" }, 1);
            yield return Case(ConditionOperator.NextXDays, new[] { "later-today", "tomorrow" }, 1);
            yield return Case(ConditionOperator.LastXHours, new[] { "hour-ago" }, 1);
            yield return Case(ConditionOperator.NextXHours, new[] { "later-today" }, 10);
            yield return Case(ConditionOperator.LastXWeeks, pastInLast7, 1);
            yield return Case(ConditionOperator.NextXWeeks, new[] { "later-today", "tomorrow", "next-week" }, 1);
            yield return Case(ConditionOperator.LastXMonths, new[] { "today-morning", "hour-ago", "yesterday", "last-week", "ten-days-ago", "last-month" }, 1);
            yield return Case(ConditionOperator.NextXMonths, new[] { "later-today", "tomorrow", "next-week", "next-month" }, 1);
            yield return Case(ConditionOperator.LastXYears, new[] { "today-morning", "hour-ago", "yesterday", "last-week", "ten-days-ago", "last-month", "last-year" }, 1);
            yield return Case(ConditionOperator.NextXYears, new[] { "later-today", "tomorrow", "next-week", "next-month", "next-year" }, 1);
            yield return Case(ConditionOperator.OlderThanXDays, new[] { "last-year" }, 30);
            yield return Case(ConditionOperator.OlderThanXMonths, new[] { "last-year" }, 1);
            yield return Case(ConditionOperator.OlderThanXWeeks, new[] { "last-month", "last-year" }, 2);
            yield return Case(ConditionOperator.OlderThanXYears, Array.Empty<string>(), 1);
            yield return Case(ConditionOperator.OlderThanXHours, new[] { "today-morning", "yesterday", "last-week", "ten-days-ago", "last-month", "last-year" }, 1);
            yield return Case(ConditionOperator.OlderThanXMinutes, new[] { "today-morning", "hour-ago", "yesterday", "last-week", "ten-days-ago", "last-month", "last-year" }, 30);
            yield return Case(ConditionOperator.On, todays, new DateTime(2024, 5, 15));
            yield return Case(ConditionOperator.On, todays, "2024-05-15");
            yield return Case(ConditionOperator.OnOrBefore, new[] { "yesterday", "last-week", "ten-days-ago", "last-month", "last-year" }, "2024-05-14");
            yield return Case(ConditionOperator.OnOrAfter, new[] { "tomorrow", "next-week", "next-month", "next-year" }, new DateTime(2024, 5, 16));
            yield return Case(ConditionOperator.NotOn, Dates.Keys.Except(todays).ToArray(), new DateTime(2024, 5, 15));
            yield return Case(ConditionOperator.ThisFiscalYear, may.Concat(new[] { "last-month", "next-month" }).ToArray());
            yield return Case(ConditionOperator.ThisFiscalPeriod, may.Concat(new[] { "last-month", "next-month" }).ToArray());
            yield return Case(ConditionOperator.LastFiscalYear, new[] { "last-year" });
            yield return Case(ConditionOperator.NextFiscalYear, new[] { "next-year" });
            yield return Case(ConditionOperator.LastFiscalPeriod, Array.Empty<string>());
            yield return Case(ConditionOperator.InFiscalYear, new[] { "last-year" }, 2023);
            yield return Case(ConditionOperator.InFiscalPeriod, new[] { "last-year" }, 3);
            yield return Case(ConditionOperator.InFiscalPeriodAndYear, new[] { "next-year" }, 1, 2025);
            yield return Case(ConditionOperator.InOrBeforeFiscalPeriodAndYear, new[] { "last-year" }, 3, 2023);
            yield return Case(ConditionOperator.InOrAfterFiscalPeriodAndYear, new[] { "next-year" }, 3, 2024);
        }

        private static TestCaseData Case(ConditionOperator op, string[] expected, params object[] values)
        {
            var shown = values.Length > 0 ? "(" + string.Join(",", values.Select(v => v is DateTime d ? d.ToString("yyyy-MM-dd") : v is string s ? "'" + s + "'" : v.ToString())) + ")" : string.Empty;
            return new TestCaseData(op, values, expected).SetName($"Execute_WhenDateOperator{op}{shown}_ReturnsRowsInItsRange");
        }

        [TestCaseSource(nameof(Cases))]
        public void Execute_WhenDateOperator_ReturnsRowsInItsRange(ConditionOperator op, object[] values, string[] expected)
        {
            var query = new QueryExpression("task") { ColumnSet = new ColumnSet("subject") };
            query.Criteria.AddCondition(new ConditionExpression("scheduledend", op, values));

            Assert.That(Names(_engine.Execute(query), "subject"), Is.EquivalentTo(expected));
        }

        [Test]
        public void Execute_WhenFiscalYearStartsInApril_UsesFiscalYearsNamedByTheirStart()
        {
            _source.FiscalYearStartMonth = 4;

            string?[] Run(ConditionOperator op, params object[] values)
            {
                var query = new QueryExpression("task") { ColumnSet = new ColumnSet("subject") };
                query.Criteria.AddCondition(new ConditionExpression("scheduledend", op, values));
                return Names(_engine.Execute(query), "subject");
            }

            Assert.That(Run(ConditionOperator.LastFiscalYear), Is.EquivalentTo(new[] { "last-year" }));
            Assert.That(Run(ConditionOperator.ThisFiscalPeriod), Is.EquivalentTo(new[]
            {
                "today-morning", "hour-ago", "later-today", "yesterday", "tomorrow", "last-week", "ten-days-ago", "next-week", "last-month", "next-month",
            }));
            Assert.That(Run(ConditionOperator.InFiscalPeriodAndYear, 4, 2024), Is.EquivalentTo(new[] { "next-year" }));
            Assert.That(Run(ConditionOperator.InFiscalPeriod, 2), Is.EquivalentTo(new[] { "last-year" }));
            Assert.That(Run(ConditionOperator.ThisFiscalYear), Has.Member("next-year").And.Not.Member("last-year"));
        }

        [Test]
        public void Execute_WhenFiscalPeriodIsNotAQuarter_ThrowsNotSupported()
        {
            var query = new QueryExpression("task");
            query.Criteria.AddCondition("scheduledend", ConditionOperator.InFiscalPeriod, 7);

            Assert.That(NotSupported(() => _engine.Execute(query)).Message, Does.Contain("fiscal period 7"));
        }

        [Test]
        public void Execute_WhenDateOperatorOnATextColumn_Faults()
        {
            var query = new QueryExpression("task");
            query.Criteria.AddCondition("subject", ConditionOperator.Today);

            Assert.That(Fault(() => _engine.Execute(query)).ErrorCode, Is.EqualTo(QueryFaults.InvalidArgument));
        }

        [Test]
        public void Execute_WhenComparingDates_TreatsLocalAndUnspecifiedValuesAsUtc()
        {
            var query = new QueryExpression("task") { ColumnSet = new ColumnSet("subject") };
            query.Criteria.AddCondition("scheduledend", ConditionOperator.GreaterThan, new DateTime(2025, 1, 1));

            Assert.That(Names(_engine.Execute(query), "subject"), Is.EqualTo(new[] { "next-year" }));
        }
    }
}
