using System;
using System.Linq;
using DealRisk.Cli.Reporting;
using NUnit.Framework;

namespace DealRisk.Cli.Tests
{
    /// <summary>The analysis on a hand-built set of closed deals, every figure worked out by hand below.</summary>
    [TestFixture]
    public sealed class OutcomeAnalysisTests
    {
        private static readonly DateTime Q1 = new(2026, 2, 1, 0, 0, 0, DateTimeKind.Utc);

        private static ClosedDeal Deal(string name, bool won, decimal revenue, decimal? margin, string level, params string[] findings) =>
            new(name, won, revenue, margin, level == "Critical" ? 90 : level == "High" ? 60 : 10, level, findings, Q1);

        // 12 closed deals: 7 won, 5 lost.
        //  Won:  A 100k 40%, B 50k 30%, C 50k 20% (High, ROLE_NOT_ALLOCATED), D 100k 35%, E 20k 45%, F 80k 12% (Critical, MARGIN_BELOW_FLOOR), G 100k 28%
        //  Lost: H 60k 8% (Critical, MARGIN_BELOW_FLOOR), I 40k 10% (Critical, MARGIN_BELOW_FLOOR), J 30k 22% (High, ROLE_NOT_ALLOCATED),
        //        K 70k 14% (Critical, MARGIN_BELOW_FLOOR, MUST_HAVE_NOT_SUPPORTED), L 25k 33% (Low)
        private static readonly ClosedDeal[] Deals =
        {
            Deal("A", true, 100_000m, 40m, "Low"), Deal("B", true, 50_000m, 30m, "Low"), Deal("C", true, 50_000m, 20m, "High", "ROLE_NOT_ALLOCATED"),
            Deal("D", true, 100_000m, 35m, "Low"), Deal("E", true, 20_000m, 45m, "Low"), Deal("F", true, 80_000m, 12m, "Critical", "MARGIN_BELOW_FLOOR"),
            Deal("G", true, 100_000m, 28m, "Low"),
            Deal("H", false, 60_000m, 8m, "Critical", "MARGIN_BELOW_FLOOR"), Deal("I", false, 40_000m, 10m, "Critical", "MARGIN_BELOW_FLOOR"),
            Deal("J", false, 30_000m, 22m, "High", "ROLE_NOT_ALLOCATED"), Deal("K", false, 70_000m, 14m, "Critical", "MARGIN_BELOW_FLOOR", "MUST_HAVE_NOT_SUPPORTED"),
            Deal("L", false, 25_000m, 33m, "Low"),
        };

        [Test]
        public void Summary_CountsWinsLossesAndTheRealisedMargin()
        {
            var s = OutcomeAnalysis.Summary(Deals);

            Assert.That((s.Closed, s.Won, s.Lost), Is.EqualTo((12, 7, 5)));
            Assert.That(s.WonRevenue, Is.EqualTo(500_000m));
            Assert.That(s.LostValue, Is.EqualTo(225_000m));
            // (100k*40 + 50k*30 + 50k*20 + 100k*35 + 20k*45 + 80k*12 + 100k*28) / 500k = 14,660,000 / 500,000 = 29.32
            Assert.That(s.RealisedMarginPercent, Is.EqualTo(29.3m));
            Assert.That(OutcomeAnalysis.WinRate(s.Won, s.Closed), Is.EqualTo("7 of 12 (58.3%)"));
        }

        [Test]
        public void Groups_ByRiskAtCloseAndByFinding_WithTheirCounts()
        {
            var groups = OutcomeAnalysis.Groups(Deals);

            var critical = groups.Single(g => g.Dimension == "Overall risk at close" && g.Group == "Critical");
            Assert.That((critical.Won, critical.Lost, critical.LostValue), Is.EqualTo((1, 3, 170_000m)));
            Assert.That(critical.RealisedMarginPercent, Is.EqualTo(12m));
            var low = groups.Single(g => g.Dimension == "Overall risk at close" && g.Group == "Low");
            Assert.That((low.Won, low.Lost), Is.EqualTo((5, 1)));
            var floor = groups.Single(g => g.Dimension == "Finding" && g.Group == "MARGIN_BELOW_FLOOR");
            Assert.That((floor.Won, floor.Lost), Is.EqualTo((1, 3)));
            var clean = groups.Single(g => g.Group == "(no finding)");
            Assert.That((clean.Won, clean.Lost), Is.EqualTo((5, 1)));
            Assert.That(groups.Where(g => g.Dimension == "Finding").First().Group, Is.EqualTo("MUST_HAVE_NOT_SUPPORTED"), "worst loss rate first (1 of 1)");
        }

        [Test]
        public void Bands_AroundTheFloor_CountWinsAndLosses()
        {
            var bands = OutcomeAnalysis.Bands(Deals, new[] { new PolicyThreshold("margin critical floor", "Margin % at close", 15m) })
                .Where(b => b.Current == 15m).ToDictionary(b => b.Band);

            Assert.That((bands["below 10%"].Won, bands["below 10%"].Lost), Is.EqualTo((0, 1)));          // H 8
            Assert.That((bands["10% to 15%"].Won, bands["10% to 15%"].Lost), Is.EqualTo((1, 2)));       // F 12 won; I 10, K 14 lost
            Assert.That((bands["15% to 20%"].Won, bands["15% to 20%"].Lost), Is.EqualTo((0, 0)));
            Assert.That((bands["20% and above"].Won, bands["20% and above"].Lost), Is.EqualTo((6, 2)));  // A B C D E G; J L
        }

        [Test]
        public void Suggestions_SayWhetherTheFloorSeparates_AndNeverClaimOnSmallSamples()
        {
            // At 15%: below 4 deals (F, H, I, K: 3 lost) is under 5: too few.
            var at15 = OutcomeAnalysis.Suggestions(Deals, new[] { new PolicyThreshold("margin critical floor", "Margin % at close", 15m) }).Single();
            Assert.That(at15.Suggestion, Does.StartWith("Too few closed deals to judge the margin critical floor of 15%: 4 closed below 15%, 8 at or above 15%"));

            // At 25%: below 6 (C, F, H, I, J, K: 4 lost) and at or above 6 (A, B, D, E, G, L: 1 lost): 66.7% against 16.7%.
            var at25 = OutcomeAnalysis.Suggestions(Deals, new[] { new PolicyThreshold("margin warning floor", "Margin % at close", 25m) }).Single();
            Assert.That(at25.Suggestion, Does.Contain("separates").And.Contain("4 of 6 deals were lost (66.7%)").And.Contain("1 of 6 (16.7%)"));
        }

        [Test]
        public void Thresholds_WhereMoreIsWorse_AreCheckedFromAbove()
        {
            // Slips at close: A-G (won) 0,0,1,0,0,2,0; H-L (lost) 2,3,2,0,1. At the warning of 2, at or above it are F, H, I, J
            // (3 of 4 lost): fewer than 5, so no claim.
            var slips = new[] { 0, 0, 1, 0, 0, 2, 0, 2, 3, 2, 0, 1 };
            var withSlips = Deals.Select((d, i) => new ClosedDeal(d.Name, d.Won, d.Revenue, d.MarginPercentAtClose, d.RiskScore, d.OverallAtClose, d.FindingsEverCarried, d.ClosedOn) { SlipCount = slips[i] }).ToList();
            var threshold = new PolicyThreshold("close-date slip warning", "Slips at close", 2m, d => d.SlipCount, HigherIsWorse: true, Step: 1m, Unit: "");

            var bands = OutcomeAnalysis.Bands(withSlips, new[] { threshold }).Where(b => b.Current == 2m).ToDictionary(b => b.Band);
            var suggestion = OutcomeAnalysis.Suggestions(withSlips, new[] { threshold }).Single().Suggestion;

            Assert.That((bands["2 to 3"].Won, bands["2 to 3"].Lost), Is.EqualTo((1, 2)));   // F won; H, J lost
            Assert.That((bands["3 and above"].Won, bands["3 and above"].Lost), Is.EqualTo((0, 1))); // I
            Assert.That(suggestion, Does.StartWith("Too few closed deals to judge the close-date slip warning of 2: 4 closed at or above 2, 8 below 2"));
        }

        [Test]
        public void Managers_CompareActedOnWithIgnored_AndLabelWhoLeft()
        {
            var raised = Q1;
            var alerts = new[]
            {
                new AlertFollowThrough("Mia", false, raised, raised.AddHours(4), null, 0, "Coached the rep", true),
                new AlertFollowThrough("Mia", false, raised, raised.AddHours(10), null, 0, "Held a deal review", false),
                new AlertFollowThrough("Mia", false, raised, null, null, 1, null, false),
                new AlertFollowThrough("Leo", true, raised, null, null, 0, null, null),
            };

            var figures = OutcomeAnalysis.Managers(alerts);

            var mia = figures.Single(m => m.Manager == "Mia");
            Assert.That((mia.Received, mia.Acknowledged, mia.Escalated), Is.EqualTo((3, 2, 1)));
            Assert.That(mia.MedianHoursToAcknowledge, Is.EqualTo(7d));
            Assert.That((mia.ActedOnWon, mia.ActedOnLost, mia.IgnoredWon, mia.IgnoredLost), Is.EqualTo((1, 1, 0, 1)));
            Assert.That(mia.ActionsByKind, Is.EquivalentTo(new[] { new System.Collections.Generic.KeyValuePair<string, int>("Coached the rep", 1), new("Held a deal review", 1) }));
            Assert.That(figures.Single(m => m.Manager == "Leo").LeftCompany, Is.True);
        }

        [Test]
        public void ClosedWithoutHistory_IsCountedAndLabelled_NeverDropped()
        {
            var legacy = new ClosedDeal("Old deal", false, 10_000m, null, null, null, Array.Empty<string>(), Q1, HasHistory: false);

            var summary = OutcomeAnalysis.Summary(Deals.Append(legacy).ToList());
            var groups = OutcomeAnalysis.Groups(Deals.Append(legacy).ToList());

            Assert.That(summary.Closed, Is.EqualTo(13));
            Assert.That(summary.ClosedWithoutHistory, Is.EqualTo(1));
            Assert.That(groups.Single(g => g.Group.StartsWith("No history", StringComparison.Ordinal)).Lost, Is.EqualTo(1));
        }
    }
}
