using System;
using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Running;
using NUnit.Framework;

namespace CrmPlugins.Benchmarks.Tests
{
    /// <summary>
    /// Every benchmark still runs (the short, in-process mode of tools/Benchmarks: one invocation each). Timings are
    /// not asserted here: speed is measured by the full run, whose figures are in docs/performance.md.
    /// </summary>
    public class ShortRunTests
    {
        public static IEnumerable<Type> BenchmarkTypes() =>
            typeof(Program).Assembly.GetTypes().Where(t => t.GetMethods().Any(m => m.GetCustomAttributes(typeof(BenchmarkDotNet.Attributes.BenchmarkAttribute), false).Any()));

        [Test]
        public void ShortRun_OfEvaluateAtScale_TakesTheSmallestSizeOnly_AndTheFullRunEverySize()
        {
            int[] Sizes(BenchmarkDotNet.Configs.IConfig config) => BenchmarkConverter.TypeToBenchmarks(typeof(EvaluateScaleBenchmarks), config).BenchmarksCases
                .Where(c => config.GetFilters().All(f => f.Predicate(c))).Select(c => (int)c.Parameters["Deals"]).Distinct().OrderBy(d => d).ToArray();

            Assert.That(Sizes(Program.ShortRunConfig()), Is.EqualTo(new[] { 1_000 }), "a 100,000-deal run takes minutes: not in the test suite");
            Assert.That(Sizes(Program.DocRunConfig()), Is.EqualTo(new[] { 1_000, 10_000, 100_000 }), "the doc run measures all three in one run");
        }

        [Test]
        public void DocRun_MeasuresWithTheCollectorDealriskShipsWith()
        {
            static System.Text.Json.JsonElement Settings(string runtimeConfig) => System.Text.Json.JsonDocument
                .Parse(System.IO.File.ReadAllText(System.IO.Path.Combine(AppContext.BaseDirectory, runtimeConfig))).RootElement
                .GetProperty("runtimeOptions").GetProperty("configProperties");
            var shipped = Settings("dealrisk.runtimeconfig.json");
            // In process, a job runs with its host's collector: the benchmark host must be set as the tool is.
            var host = Settings("CrmPlugins.Benchmarks.runtimeconfig.json");
            var job = Program.DocRunConfig().GetJobs().Single();

            foreach (var (name, setting) in new[] { ("server", "System.GC.Server"), ("background", "System.GC.Concurrent") })
            {
                var value = shipped.GetProperty(setting).GetBoolean();
                Assert.That(host.GetProperty(setting).GetBoolean(), Is.EqualTo(value), $"the benchmark host's {name} collector");
                Assert.That(name == "server" ? job.Environment.Gc.Server : job.Environment.Gc.Concurrent, Is.EqualTo(value), $"the doc job's {name} collector");
            }
        }

        [Test]
        public void DocRun_IntoAFileThatIsNotThere_FailsAtOnceWithOneLine()
        {
            var error = new System.IO.StringWriter();
            var before = Console.Error;
            Console.SetError(error);
            int exit;
            try
            {
                exit = Program.Main(new[] { "--doc", "/nonexistent/performance.md" });
            }
            finally
            {
                Console.SetError(before);
            }

            Assert.That(exit, Is.EqualTo(2));
            Assert.That(error.ToString().Trim(), Does.StartWith("/nonexistent/performance.md: no such file").And.Not.Contain("\n"));
        }

        [TestCaseSource(nameof(BenchmarkTypes))]
        public void Benchmark_StillRuns(Type benchmarks)
        {
            var summary = BenchmarkRunner.Run(benchmarks, Program.ShortRunConfig());

            Assert.That(summary.HasCriticalValidationErrors, Is.False, string.Join("\n", summary.ValidationErrors.Select(e => e.Message)));
            Assert.That(summary.Reports, Is.Not.Empty);
            Assert.That(summary.Reports.Where(r => !r.Success).Select(r => r.BenchmarkCase.DisplayInfo), Is.Empty);
        }
    }
}
