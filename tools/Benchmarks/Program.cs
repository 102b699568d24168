using System;
using System.Linq;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace CrmPlugins.Benchmarks
{
    /// <summary>
    /// Runs the benchmarks. Full run: <c>dotnet run -c Release --project tools/Benchmarks</c> (add
    /// <c>--filter *Query*</c> to pick). <c>--short</c> runs every benchmark once, in process, to check they still
    /// run (what the test suite does); its timings mean nothing. <c>--doc docs/performance.md</c> runs the short job
    /// (<see cref="DocRunConfig"/>) and writes the run's tables into the doc (see <see cref="PerformanceDoc"/>).
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            var shortRun = args.Contains("--short");
            var docAt = Array.IndexOf(args, "--doc");
            var doc = docAt >= 0 && docAt + 1 < args.Length ? args[docAt + 1] : null;
            var rest = args.Where((a, i) => a != "--short" && (docAt < 0 || (i != docAt && i != docAt + 1))).ToArray();
            if (doc != null && PerformanceDoc.Problem(doc) is { } problem)
            {
                Console.Error.WriteLine(problem);
                return 2;
            }

            IConfig config = DefaultConfig.Instance;
            if (shortRun)
                config = ShortRunConfig();
            else if (doc != null)
                config = DocRunConfig();
            var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest.Length == 0 || rest.All(a => a != "--filter") ? rest.Concat(new[] { "--filter", "*" }).ToArray() : rest, config).ToList();
            if (doc != null) PerformanceDoc.Write(doc, summaries, "dotnet run -c Release --project tools/Benchmarks -- " + string.Join(" ", args));
            return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
        }

        /// <summary>
        /// BenchmarkDotNet's short job (3 warm-up and 3 measured iterations, each of as many invocations as its pilot
        /// asks), in process: the default toolchain builds a project per run, which on a busy 2-core machine outlasts
        /// its two-minute build timeout. The in-process toolchain stops a benchmark after 5 minutes by default; evaluate of
        /// 100,000 deals runs about 2, more after the smaller sizes in the same process: 20 minutes leaves it room. The
        /// collector is the one dealrisk ships with (server, not background; the project sets it, as the tool's does, since
        /// an in-process job runs with its host's): BenchmarkDotNet refuses the job if the host runs another.
        /// </summary>
        public static IConfig DocRunConfig() =>
            DefaultConfig.Instance.AddJob(Job.ShortRun.WithGcServer(true).WithGcConcurrent(false)
                .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(20), logOutput: true)).WithId("ShortRun-InProcess"));

        /// <summary>One in-process invocation of each benchmark: proves they run, measures nothing.</summary>
        public static IConfig ShortRunConfig() =>
            DefaultConfig.Instance
                .AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance).WithId("short"))
                .AddFilter(new SimpleFilter(SmallestOfSlowParams))
                .WithOptions(ConfigOptions.DisableOptimizationsValidator);

        /// <summary>False for a case of a <see cref="ShortRunSmallestOnlyAttribute"/> class with a parameter above its smallest value.</summary>
        public static bool SmallestOfSlowParams(BenchmarkCase benchmark)
        {
            if (!Attribute.IsDefined(benchmark.Descriptor.Type, typeof(ShortRunSmallestOnlyAttribute))) return true;
            foreach (var parameter in benchmark.Parameters.Items)
            {
                var values = benchmark.Descriptor.Type.GetProperty(parameter.Name)?.GetCustomAttributes(typeof(ParamsAttribute), true).OfType<ParamsAttribute>().FirstOrDefault()?.Values;
                if (values != null && values.OfType<IComparable>().Min() is { } smallest && smallest.CompareTo(parameter.Value) != 0) return false;
            }

            return true;
        }
    }
}
