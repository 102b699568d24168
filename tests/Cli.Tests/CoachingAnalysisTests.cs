using System;
using System.Linq;
using DealRisk.Cli.Demo;
using DealRisk.Cli.Reporting;
using DealRisk.Plugins.Schema;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using NUnit.Framework;

namespace DealRisk.Cli.Tests
{
    /// <summary>Coaching per manager and per rep per quarter beside the same people's closed deals: by hand, then on the demo's sample org.</summary>
    [TestFixture]
    public sealed class CoachingAnalysisTests
    {
        private static readonly DateTime Feb = new(2026, 2, 10, 0, 0, 0, DateTimeKind.Utc);
        private static readonly DateTime May = new(2026, 5, 10, 0, 0, 0, DateTimeKind.Utc);

        private static ClosedDeal Deal(string owner, string manager, bool won, decimal value, DateTime on, int slips = 0) =>
            new($"{owner} {value}", won, value, 20m, 10, "Low", Array.Empty<string>(), on) { Owner = owner, OwnerManager = manager, SlipCount = slips };

        [Test]
        public void Figures_AddUpEachPersonsQuarter_AndKeepTheUncoachedToCompareWith()
        {
            var sessions = new[]
            {
                new CoachingRecord("Mia", "Rob", Feb, 45, "Coaching session"), new CoachingRecord("Mia", "Rob", Feb.AddDays(7), 20, CoachingAnalysis.PreBrief),
                new CoachingRecord("Mia", "Rob", Feb.AddDays(8), null, CoachingAnalysis.Debrief), new CoachingRecord("Mia", "Rita", May, 30, CoachingAnalysis.DealReview),
            };
            var deals = new[]
            {
                Deal("Rob", "Mia", true, 50_000m, Feb.AddDays(20)), Deal("Rob", "Mia", false, 30_000m, Feb.AddDays(30), slips: 2),
                Deal("Rita", "Mia", false, 40_000m, Feb.AddDays(10), slips: 1), Deal("Sue", "Sam", true, 10_000m, May),
            };

            var figures = CoachingAnalysis.Figures(sessions, deals);

            // Mia in Q1: 3 sessions, 65 minutes recorded = 1.1 h, one without a duration; her reps closed 3 (Rob 2, Rita 1), won 1, lost 70,000; 2 slipped (3 moves).
            var miaQ1 = figures.Single(f => f.Role == "Manager" && f.Person == "Mia" && f.Quarter == "2026 Q1");
            Assert.That((miaQ1.Sessions, miaQ1.Hours, miaQ1.SessionsWithoutDuration, miaQ1.PreBriefs, miaQ1.Debriefs), Is.EqualTo((3, 1.1m, 1, 1, 1)));
            Assert.That((miaQ1.Closed, miaQ1.Won, miaQ1.LostValue, miaQ1.Slipped, miaQ1.Slips), Is.EqualTo((3, 1, 70_000m, 2, 3)));
            Assert.That(miaQ1.IsSmallSample, Is.True, "3 closed deals");
            var miaQ2 = figures.Single(f => f.Role == "Manager" && f.Person == "Mia" && f.Quarter == "2026 Q2");
            Assert.That((miaQ2.Sessions, miaQ2.DealReviews, miaQ2.Closed), Is.EqualTo((1, 1, 0)));
            // Sue was never coached; her quarter is there with its deal, and so is Sam's.
            var sue = figures.Single(f => f.Role == "Rep" && f.Person == "Sue");
            Assert.That((sue.Sessions, sue.Hours, sue.Closed, sue.Won), Is.EqualTo((0, 0m, 1, 1)));
            Assert.That(figures.Select(f => (f.Role, f.Person)).Distinct(), Is.EquivalentTo(new[] { ("Manager", "Mia"), ("Manager", "Sam"), ("Rep", "Rob"), ("Rep", "Rita"), ("Rep", "Sue") }));
        }

        [Test]
        public void SampleOrg_RecordsCoaching_AndTheReportCountsItFromTheRows()
        {
            var sample = new SampleOrg(SampleOrg.FindSolutionFolder()).Replay();
            var service = sample.Org.GetOrganizationService();
            var rows = service.RetrieveMultiple(new QueryExpression(CoachingSession.EntityName) { ColumnSet = new ColumnSet(true) }).Entities;

            var report = ReportBuilder.Build(sample.Org, "t", "t");

            // Mia's sessions in 2026 Q1, worked out from the rows: recorded by her, held January to March.
            var mine = rows.Where(r => r.GetAttributeValue<EntityReference>("createdby")?.Id == SampleOrg.Mia && r.GetAttributeValue<DateTime>(CoachingSession.HeldOn).Month <= 3).ToList();
            var mia = report.Coaching.Single(c => c.Role == "Manager" && c.Person == "Mia Moreno" && c.Quarter == "2026 Q1");
            Assert.That(mine, Is.Not.Empty);
            Assert.That(mia.Sessions, Is.EqualTo(mine.Count));
            Assert.That(mia.Hours, Is.EqualTo(decimal.Round(mine.Sum(r => r.GetAttributeValue<int?>(CoachingSession.DurationMinutes) ?? 0) / 60m, 1)));
            Assert.That(mia.PreBriefs, Is.EqualTo(mine.Count(r => r.GetAttributeValue<OptionSetValue>(CoachingSession.Kind).Value == CoachingSession.KindPreBrief)).And.GreaterThan(0));
            Assert.That(rows.Any(r => r.GetAttributeValue<string>(CoachingSession.Subject).StartsWith("Coached the rep:", StringComparison.Ordinal)), Is.True, "alert responses logged coaching too");
            Assert.That(report.Coaching.Where(c => c.Role == "Rep").Select(c => c.Person).Distinct(), Does.Contain("Sue Suzuki").And.Contain("Rob Reyes"));
        }
    }
}
