using System;
using System.IO;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using DealRisk.Cli;
using DealRisk.Cli.Generate;

namespace CrmPlugins.Benchmarks
{
    /// <summary>
    /// <c>dealrisk evaluate --data</c> of a generated org (the files <c>dealrisk generate</c> writes: open deals with ten
    /// lines each, requirements, allocations, users, products, capacity) at 1,000, 10,000 and 100,000 deals in one run:
    /// load, orphan check, seed, the demand ledger rebuilt from the deals, every deal judged through the pipeline in batches with its history and alert jobs, and
    /// the report. Linear when the time per deal stays flat across the three (issue 23's goal: 100,000 deals and a
    /// million lines under 2 minutes and 4 GB). One cold invocation per size: a run at 100,000 takes minutes, and what
    /// it measures is a whole command, not a loop. The short run of the test suite takes the smallest size only.
    /// </summary>
    [MemoryDiagnoser]
    [OneColdRun]
    [ShortRunSmallestOnly]
    public class EvaluateScaleBenchmarks
    {
        private static readonly DateTime Start = new(2026, 12, 1);
        private string _folder = null!;

        [Params(1_000, 10_000, 100_000)]
        public int Deals { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            _folder = Path.Combine(Path.GetTempPath(), $"dealrisk-evaluate-{Deals}-{Environment.ProcessId}");
            new DataGenerator(seed: 1, Start).Write(Path.Combine(_folder, "data"), Deals, linesPerDeal: 10);
        }

        [GlobalCleanup]
        public void Cleanup()
        {
            if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
        }

        /// <summary>The whole command; returns the deals judged so that a run that judged none is seen.</summary>
        [Benchmark]
        public int EvaluateTheData()
        {
            var outcome = EvaluateCommand.Run(Path.Combine(_folder, "data"), Path.Combine(_folder, "out"), Start.ToString("yyyy-MM-dd"), TextWriter.Null);
            if (outcome.Evaluated != Deals) throw new InvalidOperationException($"{outcome.Evaluated} of {Deals} deals judged ({outcome.Failed} failed).");
            // The ledger is rebuilt from the data before judging (its own phase): every generated deal is open, so read.
            if (outcome.Ledger?.Deals != Deals) throw new InvalidOperationException($"the demand ledger was built from {outcome.Ledger?.Deals} of {Deals} deals.");
            return outcome.Evaluated;
        }
    }

    /// <summary>
    /// Every job of the class (the doc run's short job, the default one) measures one cold invocation: for a whole
    /// command that takes minutes, warm-ups and repeated iterations would take an hour and tell nothing more.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class)]
    public sealed class OneColdRunAttribute : JobMutatorConfigBaseAttribute
    {
        public OneColdRunAttribute()
            : base(new Job().WithStrategy(RunStrategy.ColdStart).WithLaunchCount(1).WithWarmupCount(0).WithIterationCount(1))
        {
        }
    }

    /// <summary>
    /// On a benchmark class whose larger sizes take minutes: the short run (<c>--short</c>, and the test suite, which
    /// proves each benchmark still runs) takes the smallest value of each of its parameters only.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class)]
    public sealed class ShortRunSmallestOnlyAttribute : Attribute
    {
    }
}
