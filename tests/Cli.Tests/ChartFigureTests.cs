using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CrmPlugins.SolutionModel;
using DealRisk.Cli.Demo;
using DealRisk.Plugins.Schema;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using NUnit.Framework;

namespace DealRisk.Cli.Tests
{
    /// <summary>
    /// Each system chart's FetchXML, read from Solution/ as it ships, run in the emulator against the demo's sample org after
    /// its quarter: the figures are those the rows give, worked out here from the rows themselves (plain LINQ over a plain
    /// query), not from the aggregate.
    /// </summary>
    [TestFixture]
    public sealed class ChartFigureTests
    {
        private const int Resolved = OptionSets.Prefix + 2;
        private SampleOrg _sample = null!;
        private IOrganizationService _service = null!;
        private SolutionSource _solution = null!;

        [OneTimeSetUp]
        public void PlayTheQuarter()
        {
            _sample = new SampleOrg(SampleOrg.FindSolutionFolder()).Replay();
            _service = _sample.Org.GetOrganizationService();
            _solution = SolutionSource.Load(SampleOrg.FindSolutionFolder());
        }

        [Test]
        public void OpenPipelineByOverallRisk_CountsAndSumsTheOpenDealsAtEachLevel()
        {
            var expected = Open().GroupBy(o => Level(o, Opportunity.OverallRisk))
                .ToDictionary(g => g.Key, g => (Deals: g.Count(), Revenue: Revenue(g)));

            var figures = Chart("Open pipeline by overall risk").ToDictionary(e => Level(e, "risklevel"), e => (Deals: (int)Value(e, "deals")!, Revenue: ((Money?)Value(e, "revenue"))?.Value));

            TestContext.Out.WriteLine(string.Join("; ", figures.Select(f => $"{f.Key}: {f.Value.Deals} deals, {f.Value.Revenue:N0}")));
            Assert.That(figures, Is.EquivalentTo(expected));
            Assert.That(figures.Count, Is.GreaterThan(1), "the sample's open deals sit at more than one level");
        }

        [Test]
        public void RiskByOwner_CountsEachOwnersOpenDealsByLevel()
        {
            var expected = Open().GroupBy(o => (Owner: o.GetAttributeValue<EntityReference>(Opportunity.OwnerId).Id, Level: Level(o, Opportunity.OverallRisk)))
                .ToDictionary(g => g.Key, g => g.Count());

            var figures = Chart("Risk by owner").ToDictionary(e => (Owner: ((EntityReference)Value(e, "owner")!).Id, Level: Level(e, "risklevel")), e => (int)Value(e, "deals")!);

            Assert.That(figures, Is.EquivalentTo(expected));
            Assert.That(figures.Keys.Select(k => k.Owner).Distinct().Count(), Is.GreaterThan(1));
        }

        [Test]
        public void RevenueFlaggedByFinding_SumsTheFlaggedDealsOnce_UnderTheirFindings()
        {
            var flagged = Open().Where(o => Level(o, Opportunity.OverallRisk) >= OptionSets.Prefix + 3).ToList();
            var expected = flagged.GroupBy(o => o.GetAttributeValue<string>(Opportunity.RiskFindingCodes)).Where(g => Revenue(g) != null)
                .ToDictionary(g => g.Key ?? "", g => Revenue(g)!.Value);

            var figures = Chart("Revenue flagged by finding").ToDictionary(e => (string?)Value(e, "findings") ?? "", e => ((Money)Value(e, "revenue")!).Value);

            Assert.That(figures, Is.EquivalentTo(expected));
            Assert.That(figures.Values.Sum(), Is.EqualTo(flagged.Sum(o => o.GetAttributeValue<Money>(Opportunity.EstimatedValue)?.Value ?? 0m)).And.GreaterThan(0m),
                "every flagged deal counted once");
        }

        [Test]
        public void OpenAlertsByRecipientAndAge_CountsUnresolvedAlertsByRecipientAndWeekRaised()
        {
            // SQL Server's DATEPART(week) with Sunday the first day of the week: .NET's calendar week with the same two rules.
            static int Week(DateTime d) => CultureInfo.InvariantCulture.Calendar.GetWeekOfYear(d, CalendarWeekRule.FirstDay, DayOfWeek.Sunday);
            var open = All(RiskAlert.EntityName, RiskAlert.RecipientId, RiskAlert.RaisedOn, RiskAlert.Status)
                .Where(a => a.GetAttributeValue<OptionSetValue>(RiskAlert.Status) is { } s && s.Value != Resolved).ToList();
            var expected = open.GroupBy(a => (Recipient: a.GetAttributeValue<EntityReference>(RiskAlert.RecipientId)?.Id, Week: Week(a.GetAttributeValue<DateTime>(RiskAlert.RaisedOn))))
                .ToDictionary(g => g.Key, g => g.Count());

            var figures = Chart("Open alerts by recipient and age").ToDictionary(e => (Recipient: ((EntityReference?)Value(e, "recipient"))?.Id, Week: (int)Value(e, "raisedweek")!), e => (int)Value(e, "alerts")!);

            Assert.That(figures, Is.EquivalentTo(expected));
            Assert.That(open, Is.Not.Empty, "the sample leaves alerts open");
        }

        [Test]
        public void VerdictChangesOverTime_CountsThisYearsChangesByMonthAndNewLevel()
        {
            var year = _sample.Org.UtcNow.Year;
            var changes = All(RiskHistory.EntityName, RiskHistory.Kind, RiskHistory.RecordedOn, RiskHistory.OverallRisk)
                .Where(h => h.GetAttributeValue<OptionSetValue>(RiskHistory.Kind)?.Value == RiskHistory.KindChange && h.GetAttributeValue<DateTime>(RiskHistory.RecordedOn).Year == year).ToList();
            var expected = changes.GroupBy(h => (Month: h.GetAttributeValue<DateTime>(RiskHistory.RecordedOn).Month, Level: Level(h, RiskHistory.OverallRisk)))
                .ToDictionary(g => g.Key, g => g.Count());

            var figures = Chart("Verdict changes over time").ToDictionary(e => (Month: (int)Value(e, "month")!, Level: Level(e, "risklevel")), e => (int)Value(e, "changes")!);

            Assert.That(figures, Is.EquivalentTo(expected));
            Assert.That(figures.Keys.Select(k => k.Month).Distinct().Count(), Is.GreaterThan(3), "the history spans the year's months");
        }

        private IReadOnlyList<Entity> Chart(string name)
        {
            var chart = _solution.Tables.SelectMany(t => t.Charts).Single(c => c.Name == name);
            return _service.RetrieveMultiple(new FetchExpression(chart.Fetch.ToString())).Entities;
        }

        private List<Entity> Open() =>
            All(Opportunity.EntityName, Opportunity.StateCode, Opportunity.OverallRisk, Opportunity.EstimatedValue, Opportunity.OwnerId, Opportunity.RiskFindingCodes)
                .Where(o => o.GetAttributeValue<OptionSetValue>(Opportunity.StateCode)?.Value == 0).ToList();

        private List<Entity> All(string table, params string[] columns) =>
            _service.RetrieveMultiple(new QueryExpression(table) { ColumnSet = new ColumnSet(columns) }).Entities.ToList();

        private static object? Value(Entity e, string alias) => e.GetAttributeValue<AliasedValue>(alias)?.Value;

        /// <summary>The choice value, or -1 for a deal not judged yet (no level), so it can key a group.</summary>
        private static int Level(Entity e, string column) => (e.Contains(column) && e[column] is AliasedValue a ? a.Value : e.GetAttributeValue<object>(column)) is OptionSetValue o ? o.Value : -1;

        private static decimal? Revenue(IEnumerable<Entity> deals)
        {
            var values = deals.Select(o => o.GetAttributeValue<Money>(Opportunity.EstimatedValue)?.Value).OfType<decimal>().ToList();
            return values.Count == 0 ? null : values.Sum();
        }
    }
}
