using System;
using System.Collections.Generic;
using System.Linq;
using DealRisk.Risk;
using NUnit.Framework;

namespace DealRisk.Plugins.Tests.Risk
{
    /// <summary>
    /// The won deals' median days per stage worked out from history rows, by the domain alone (WonStageScenarios builds
    /// the history through the pipeline and runs the sweep).
    /// </summary>
    [TestFixture]
    public sealed class WonStageMediansTests
    {
        private static readonly DateTime Start = new(2026, 1, 5, 9, 0, 0, DateTimeKind.Utc);

        /// <summary>A won deal's history: one row per stage entered (day offsets from <see cref="Start"/>), then the close row.</summary>
        private static IReadOnlyCollection<StageHistoryRow> Won(int closedOnDay, params (int Stage, int Day)[] entries)
        {
            var rows = entries.Select(e => new StageHistoryRow(Start.AddDays(e.Day).AddMinutes(5), e.Stage, Start.AddDays(e.Day))).ToList();
            var last = entries.Last();
            rows.Add(new StageHistoryRow(Start.AddDays(closedOnDay), last.Stage, Start.AddDays(last.Day), isClose: true, won: true));
            return rows;
        }

        [Test]
        public void Compute_OddAndEvenCounts_GiveTheMiddleDays_AndTheCount()
        {
            var medians = WonStageMedians.Compute(new[]
            {
                Won(30, (0, 0), (1, 10)), // Qualify 10, Develop 20
                Won(40, (0, 0), (1, 4)),  // Qualify 4, Develop 36
                Won(21, (0, 0), (1, 7)),  // Qualify 7, Develop 14
                Won(12, (1, 0)),          // created in Develop: Develop 12, no Qualify sample
            });

            // Qualify: 4, 7, 10 -> 7 (3 deals). Develop: 12, 14, 20, 36 -> (14 + 20) / 2 = 17 (4 deals).
            Assert.That(StageBenchmark.Write(medians.ByStage), Is.EqualTo("Qualify=7 (3); Develop=17 (4)"));
            Assert.That(medians.Counted, Is.EqualTo(4));
            Assert.That(medians.CountedOut, Is.EqualTo(0));
        }

        [Test]
        public void Compute_ASkippedStage_GivesNoSample_AndAStageVisitedTwice_CountsBothStays()
        {
            var medians = WonStageMedians.Compute(new[]
            {
                Won(20, (0, 0), (2, 5)),            // Qualify 5, straight to Propose 15
                Won(30, (1, 0), (2, 4), (1, 10)),   // Develop 4, Propose 6, back in Develop 20: Develop 24
            });

            Assert.That(medians.ByStage.Keys, Is.EquivalentTo(new[] { 0, 1, 2 }));
            Assert.That(medians.ByStage[1].MedianDays, Is.EqualTo(24));
            Assert.That(medians.ByStage[1].DealCount, Is.EqualTo(1), "the deal that skipped Develop is not a sample of it");
            Assert.That(medians.ByStage[2].DealCount, Is.EqualTo(2));
            Assert.That(medians.ByStage[2].MedianDays, Is.EqualTo(11), "(6 + 15) / 2, a half rounded up");
        }

        [Test]
        public void Compute_DealsTheHistoryCannotDescribe_AreCountedOut_WithTheReason()
        {
            var reopened = Won(30, (0, 0), (1, 10)).ToList();
            reopened.Add(new StageHistoryRow(Start.AddDays(35), 1, Start.AddDays(10)));
            reopened.Add(new StageHistoryRow(Start.AddDays(40), 1, Start.AddDays(10), isClose: true, won: true));
            var beforeStages = new[] { new StageHistoryRow(Start, null, null), new StageHistoryRow(Start.AddDays(9), 1, Start.AddDays(3), isClose: true, won: true) };

            var medians = WonStageMedians.Compute(new[] { Won(30, (0, 0), (1, 10)), reopened, Array.Empty<StageHistoryRow>(), beforeStages });

            Assert.That(medians.Counted, Is.EqualTo(1));
            Assert.That(medians.Describe(), Is.EqualTo("1 won deal(s) counted, 3 counted out (1 with no history, 1 reopened, 1 with history from before stages were recorded)"));
            Assert.That(StageBenchmark.Write(medians.ByStage), Is.EqualTo("Qualify=10 (1); Develop=20 (1)"));
        }

        [Test]
        public void Read_WhatWriteWrote_GivesTheSameBenchmarks_AndATypedPartThatCannotBeRead_IsNamed()
        {
            var problems = new List<string>();

            var read = StageBenchmark.Read("Qualify=12 (40); develop = 20 (31); Propose=soon; 3=7 (5); 6=9 (5)", problems);

            Assert.That(StageBenchmark.Write(read), Is.EqualTo("Qualify=12 (40); Develop=20 (31); Close=7 (5); 6=9 (5)"), "a stage the org added keeps its number");
            Assert.That(StageBenchmark.Read(StageBenchmark.Write(read)).Keys, Is.EquivalentTo(new[] { 0, 1, 3, 6 }));
            Assert.That(problems, Is.EqualTo(new[] { "the won deals' stage days 'Propose=soon' are not 'Stage=days (deals)' with a known stage; that part is ignored" }));
        }
    }
}
