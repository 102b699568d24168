using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using CrmPlugins.Emulator.Query;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using NUnit.Framework;

namespace CrmPlugins.Emulator.Tests.Query
{
    /// <summary>
    /// A rough timing of the engine (not an assertion; BenchmarkDotNet comes later). Run with
    /// <c>dotnet test tests/Emulator.Tests -c Release --filter "FullyQualifiedName~QuerySpeedMeasurement"</c>.
    /// </summary>
    [TestFixture]
    [Explicit("Measurement: prints timings, asserts nothing about them.")]
    [Category("Measurement")]
    public class QuerySpeedMeasurement
    {
        [TestCase(10_000)]
        [TestCase(100_000)]
        public void Measure(int rows)
        {
            var source = new InMemoryRowSource();
            var owners = Enumerable.Range(0, 50).Select(_ => Guid.NewGuid()).ToArray();
            for (var i = 0; i < rows; i++)
            {
                source.Add("account",
                    ("name", "Account " + i.ToString("D6")),
                    ("accountnumber", "AN-" + i.ToString("D6")),
                    ("numberofemployees", i % 1000),
                    ("revenue", new Money(i)),
                    ("statecode", new OptionSetValue(i % 2)),
                    ("ownerid", new EntityReference("systemuser", owners[i % owners.Length])),
                    ("createdon", new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(i)));
            }

            var engine = new QueryEngine(source);
            var random = new Random(1);

            QueryExpression ByEquality()
            {
                var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name", "revenue") };
                query.Criteria.AddCondition("accountnumber", ConditionOperator.Equal, "AN-" + random.Next(rows).ToString("D6"));
                return query;
            }

            QueryExpression Filtered()
            {
                var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name", "revenue", "ownerid") };
                query.Criteria.AddCondition("numberofemployees", ConditionOperator.Between, 100, 120);
                query.Criteria.AddCondition("name", ConditionOperator.Like, "Account 0%");
                query.AddOrder("revenue", OrderType.Descending);
                query.PageInfo = new PagingInfo { Count = 50, PageNumber = 1 };
                return query;
            }

            QueryExpression Unfiltered()
            {
                var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name") };
                query.PageInfo = new PagingInfo { Count = 50, PageNumber = 1 };
                return query;
            }

            var equality = Time(engine, ByEquality, 200);
            var filtered = Time(engine, Filtered, 20);
            var unfiltered = Time(engine, Unfiltered, 20);
            var joined = Time(engine, () =>
            {
                var fetch = "<fetch aggregate='true'><entity name='account'><attribute name='revenue' alias='total' aggregate='sum' />"
                    + "<attribute name='ownerid' alias='owner' groupby='true' />"
                    + "<filter><condition attribute='statecode' operator='eq' value='0' /><condition attribute='numberofemployees' operator='lt' value='50' /></filter>"
                    + "</entity></fetch>";
                return new FetchExpression(fetch);
            }, 20);

            TestContext.Progress.WriteLine(
                $"{rows,7:N0} rows: equality (index) median {equality:F3} ms; filtered scan + sort + page median {filtered:F2} ms; "
                + $"unfiltered page 1 (primary-key order) median {unfiltered:F2} ms; fetch aggregate over an indexed equality median {joined:F2} ms");
        }

        private static double Time(QueryEngine engine, Func<QueryBase> query, int runs)
        {
            engine.Execute(query());
            engine.Execute(query());
            var times = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var q = query();
                var watch = Stopwatch.StartNew();
                engine.Execute(q);
                watch.Stop();
                times.Add(watch.Elapsed.TotalMilliseconds);
            }

            times.Sort();
            return times[times.Count / 2];
        }
    }
}
