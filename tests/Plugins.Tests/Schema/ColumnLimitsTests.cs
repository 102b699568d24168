using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using CrmPlugins.SolutionModel;
using DealRisk.Plugins.Schema;
using DealRisk.Plugins.Tests.Scenarios;
using NUnit.Framework;

namespace DealRisk.Plugins.Tests.Schema
{
    /// <summary>
    /// The column limits the plugins and activities truncate and clamp to (Plugins/Schema/ColumnLimits.cs) are the ones
    /// Solution/ declares: plugins cannot read the solution at run time, so this comparison is what keeps them one.
    /// </summary>
    public class ColumnLimitsTests
    {
        private static readonly SolutionSource Solution = SolutionSource.Load(SalesOrg.SolutionFolder);

        private static IEnumerable<object> Limits() => typeof(ColumnLimits).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(TextLimit) || f.FieldType == typeof(NumberLimit)).Select(f => f.GetValue(null)!);

        private static ColumnDefinition Column(string table, string column) =>
            Solution.Table(table)?.Column(column) ?? throw new AssertionException($"Solution/ has no column {table}.{column}.");

        [Test]
        public void EveryTextLimit_IsTheMaxLengthTheSolutionDeclares()
        {
            var text = Limits().OfType<TextLimit>().ToList();
            Assert.That(text, Is.Not.Empty);
            foreach (var limit in text)
                Assert.That(limit.MaxLength, Is.EqualTo(Column(limit.Table, limit.Column).MaxLength), $"{limit.Table}.{limit.Column}");
        }

        [Test]
        public void EveryNumberLimit_IsTheRangeAndPrecisionTheSolutionDeclares()
        {
            foreach (var limit in Limits().OfType<NumberLimit>())
            {
                var column = Column(limit.Table, limit.Column);
                Assert.That((limit.Min, limit.Max, limit.Precision), Is.EqualTo((column.MinValue, column.MaxValue, column.Precision ?? 0)), $"{limit.Table}.{limit.Column}");
            }
        }

        [TestCase(Opportunity.EntityName)]
        [TestCase(RiskHistory.EntityName)]
        [TestCase(RiskAlert.EntityName)]
        public void EveryLimitedColumnTheSuiteWrites_HasALimitHere(string table)
        {
            var known = Limits().Select(l => l is TextLimit t ? (t.Table, t.Column) : (((NumberLimit)l).Table, ((NumberLimit)l).Column)).ToHashSet();
            var written = Solution.Table(table)!.Columns
                .Where(c => c.LogicalName.StartsWith("dr_", StringComparison.Ordinal) && (c.MaxLength != null || c.MinValue != null))
                // A user's input (cost of sale) is not the suite's to write; the source version copies the row's
                // versionnumber, itself a bigint the platform keeps within the column's range.
                .Where(c => c.LogicalName is not (Opportunity.EstimatedCostOfSale or RiskHistory.SourceVersion))
                .Select(c => (table, c.LogicalName)).ToList();
            Assert.That(written.Where(c => !known.Contains(c)), Is.Empty, "columns with limits the suite writes but ColumnLimits does not know");
        }

        [Test]
        public void Fit_CutsOnACharacterBoundaryWithAnEllipsis()
        {
            var limit = new TextLimit("t", "c", 5);
            Assert.That(limit.Fit("abcdef"), Is.EqualTo("abcd…"));
            Assert.That(limit.Fit("abc😀x"), Is.EqualTo("abc…"), "a surrogate pair is never split");
            Assert.That(limit.Fit("abcde"), Is.EqualTo("abcde"));
            Assert.That(new TextLimit("t", "c", 7).FitList(new[] { "AAA", "BBB", "CCC" }), Is.EqualTo("AAA,BBB"));
            Assert.That(new TextLimit("t", "c", 7).FitLastLines(new[] { "one", "two", "six" }), Is.EqualTo("two\nsix"));
        }
    }
}
