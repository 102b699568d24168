using System;
using System.Collections.Generic;
using System.Linq;
using DealRisk.Risk;
using NUnit.Framework;

namespace DealRisk.Plugins.Tests.Risk
{
    /// <summary>
    /// Reading a sum of demand totals without copying them (what a batch does per deal: the org's other deals, the batch's
    /// deals before it less its own id's, those after it) gives what copying and adding them into one total gives: the same
    /// roles (as first spelled), months, order and hours, to the last digit and trailing zero.
    /// </summary>
    [TestFixture]
    public sealed class DemandTotalsSumTests
    {
        private static readonly string[] Roles = { "Developer", "developer ", "Architect", "Project Manager", "ARCHITECT" };

        [Test]
        public void ToDemandOfParts_OnGeneratedTotals_IsWhatCopyingAndAddingGives()
        {
            var random = new Random(2311);
            for (var run = 0; run < 300; run++)
            {
                var window = random.Next(1, 200);
                var org = Totals(random, window, random.Next(0, 6));
                var before = Totals(random, window, random.Next(0, 6));
                var after = Totals(random, window, random.Next(0, 6));
                // A deal's own holding is part of the running totals it is taken from.
                var ownBefore = random.Next(2) == 0 ? null : Totals(random, window, random.Next(1, 3));
                var ownAfter = random.Next(2) == 0 ? null : Totals(random, window, random.Next(1, 3));
                if (ownBefore != null) before.Add(ownBefore);
                if (ownAfter != null) after.Add(ownAfter);

                var copied = org.Copy()
                    .Add(ownBefore == null ? before.Copy() : before.Copy().Subtract(ownBefore))
                    .Add(ownAfter == null ? after.Copy() : after.Copy().Subtract(ownAfter))
                    .ToDemand();
                var read = org.ToDemand(new DemandPart(before, ownBefore), new DemandPart(after, ownAfter));

                Assert.That(Lines(read), Is.EqualTo(Lines(copied)), $"run {run}");
            }
        }

        [Test]
        public void ToDemandOfParts_OfAnotherWindowLength_IsRefused()
        {
            Assert.Throws<ArgumentException>(() => new DemandTotals(30).ToDemand(new DemandPart(new DemandTotals(60))));
        }

        private static DemandTotals Totals(Random random, int window, int claims)
        {
            var list = new List<DemandClaim>();
            for (var i = 0; i < claims; i++)
            {
                // Hours and weights of few decimals, some with trailing zeros (the scale must come out as copying gives it).
                var hours = random.Next(0, 4000) / (random.Next(2) == 0 ? 10m : 100m);
                var weight = random.Next(0, 101) / 100m;
                var start = new DateTime(2026, 1, 1).AddDays(random.Next(0, 500));
                list.Add(new DemandClaim(Roles[random.Next(Roles.Length)], weight, start, hours));
            }

            return new DemandTotals(window).Add(list);
        }

        private static IEnumerable<string> Lines(IEnumerable<RoleDemand> demand) =>
            demand.Select(d => $"{d.Role}|{d.Month:yyyy-MM}|{d.Hours.ToString(System.Globalization.CultureInfo.InvariantCulture)}").ToList();
    }
}
