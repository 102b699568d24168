using System;
using System.Collections.Generic;
using System.Linq;
using DealRisk.Risk;
using NUnit.Framework;

namespace DealRisk.Plugins.Tests.Risk
{
    /// <summary>
    /// A deal's posting to the demand ledger, by the domain alone: the text kept on the deal, and the change rows a
    /// judgement posts (what the ledger must gain or lose to hold the deal as it is now).
    /// </summary>
    [TestFixture]
    public sealed class DemandPostingTests
    {
        private static readonly DateTime Close = new(2027, 3, 15);

        private static DemandPosting Posting(decimal weight, DateTime? day, params (string Role, decimal Hours)[] hours) =>
            new(weight, day, hours.Select(h => new KeyValuePair<string, decimal>(h.Role, h.Hours)));

        [Test]
        public void Format_ThenTryParse_GivesTheSamePosting_WithAndWithoutADay()
        {
            foreach (var posting in new[] { Posting(0.6m, Close, ("Developer", 120m), ("Project Manager", 12.5m)), Posting(1m, null, ("Architect", 40m)) })
            {
                Assert.That(DemandPosting.TryParse(posting.Format(), out var read), Is.True, posting.Format());
                Assert.That(read.Format(), Is.EqualTo(posting.Format()));
                Assert.That(read.Day, Is.EqualTo(posting.Day));
                Assert.That(read.Entries().Select(e => (e.Role, e.Day, e.WeightedHours)), Is.EqualTo(posting.Entries().Select(e => (e.Role, e.Day, e.WeightedHours))));
            }

            Assert.That(Posting(0.6m, Close, ("Developer", 120m), ("Project Manager", 12.5m)).Format(), Is.EqualTo("v1;w=0.6;d=2027-03-15;Developer=120;Project%20Manager=12.5"));
        }

        [Test]
        public void TryParse_OfTextItDidNotWrite_IsRefused_AndEmptyTextIsNone()
        {
            Assert.That(DemandPosting.TryParse("Developer: lots", out _), Is.False);
            Assert.That(DemandPosting.TryParse("v1;w=zero;d=;Developer=1", out _), Is.False);
            Assert.That(DemandPosting.TryParse("v1;w=1;d=15/03/2027;Developer=1", out _), Is.False);
            Assert.That(DemandPosting.TryParse(null, out var none), Is.True);
            Assert.That(none.IsEmpty, Is.True);
        }

        [Test]
        public void Changes_WhenTheCloseDateMoves_TakeTheHoursFromTheOldDay_AndAddThemOnTheNew()
        {
            var before = Posting(0.5m, Close, ("Developer", 100m));
            var after = Posting(0.5m, Close.AddDays(30), ("Developer", 100m));

            var changes = DemandPosting.Changes(before, after);

            Assert.That(changes.Select(c => (c.Role, c.Day, c.WeightedHours)), Is.EqualTo(new (string, DateTime?, decimal)[]
            {
                ("Developer", Close, -50m),
                ("Developer", Close.AddDays(30), 50m),
            }));
        }

        [Test]
        public void Changes_WhenOnlyTheProbabilityRises_PostTheDifferenceOfEachRole()
        {
            var changes = DemandPosting.Changes(Posting(0.2m, Close, ("Developer", 100m), ("Architect", 10m)), Posting(0.6m, Close, ("developer", 100m), ("Architect", 10m)));

            Assert.That(changes.Select(c => (c.Role, c.WeightedHours)), Is.EqualTo(new[] { ("Architect", 4m), ("developer", 40m) }));
        }

        [Test]
        public void Changes_OfAnUnchangedDeal_AreNone_AndOfAClosedOne_TakeEverythingAway()
        {
            var posting = Posting(0.7m, null, ("Developer", 33.3m));

            Assert.That(DemandPosting.Changes(posting, Posting(0.7m, null, ("Developer", 33.3m))), Is.Empty);
            Assert.That(DemandPosting.Changes(posting, DemandPosting.None).Select(c => (c.Role, c.Day, c.WeightedHours)),
                Is.EqualTo(new (string, DateTime?, decimal)[] { ("Developer", null, -23.31m) }));
        }

        [Test]
        public void Entries_AsClaims_WeighTheSameAsThePostingsOwnClaims()
        {
            var today = new DateTime(2026, 12, 1);
            var posting = Posting(0.35m, null, ("Developer", 120m), ("Tester", 7.25m));
            var windowDays = 90;

            var fromEntries = new DemandTotals(windowDays).Add(posting.Entries().Select(e => e.AsClaim(today))).ToDemand();
            var fromClaims = new DemandTotals(windowDays).Add(posting.Claims(today)).ToDemand();

            Assert.That(fromEntries.Select(d => (d.Role, d.Month, d.Hours)), Is.EqualTo(fromClaims.Select(d => (d.Role, d.Month, d.Hours))));
            Assert.That(fromEntries, Is.Not.Empty);
        }
    }
}
