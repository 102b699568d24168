using System;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace CrmPlugins.Benchmarks
{
    /// <summary>
    /// Runs the benchmarks. Full run: <c>dotnet run -c Release --project tools/Benchmarks</c> (add
    /// <c>--filter *Query*</c> to pick). <c>--short</c> runs every benchmark once, in process, to check they still
    /// run (what the test suite does); its timings mean nothing.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            var shortRun = args.Contains("--short");
            var rest = args.Where(a => a != "--short").ToArray();
            IConfig config = DefaultConfig.Instance;
            if (shortRun)
                config = ShortRunConfig();
            var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest.Length == 0 ? new[] { "--filter", "*" } : rest, config);
            return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
        }

        /// <summary>One in-process invocation of each benchmark: proves they run, measures nothing.</summary>
        public static IConfig ShortRunConfig() =>
            DefaultConfig.Instance
                .AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance).WithId("short"))
                .WithOptions(ConfigOptions.DisableOptimizationsValidator);
    }
}
