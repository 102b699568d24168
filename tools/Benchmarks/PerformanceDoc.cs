using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;

namespace CrmPlugins.Benchmarks
{
    /// <summary>
    /// Writes the figures of one run into docs/performance.md, between its markers, so the doc always shows one run
    /// of one machine: BenchmarkDotNet's GitHub tables (with the machine and runtime it reports) for each class.
    /// </summary>
    public static class PerformanceDoc
    {
        public const string Begin = "<!-- benchmarks:begin (written by tools/Benchmarks --doc; do not edit by hand) -->";
        public const string End = "<!-- benchmarks:end -->";

        /// <summary>
        /// Why the figures could not be written into <paramref name="path"/> (no such file, no section between the markers),
        /// or null: asked before the run, so a wrong path fails in a second rather than after the benchmarks' minutes.
        /// </summary>
        public static string? Problem(string path)
        {
            if (!File.Exists(path)) return $"{path}: no such file to write the figures into (--doc takes the existing docs/performance.md).";
            var doc = File.ReadAllText(path);
            var from = doc.IndexOf(Begin, StringComparison.Ordinal);
            var to = doc.IndexOf(End, StringComparison.Ordinal);
            return from < 0 || to < from ? $"{path} has no '{Begin}' ... '{End}' section to write the figures into." : null;
        }

        public static void Write(string path, IReadOnlyList<Summary> summaries, string command)
        {
            if (Problem(path) is { } problem) throw new InvalidOperationException(problem);
            var doc = File.ReadAllText(path);
            var from = doc.IndexOf(Begin, StringComparison.Ordinal);
            var to = doc.IndexOf(End, StringComparison.Ordinal);

            var text = new StringBuilder();
            text.AppendLine(Begin);
            text.AppendLine();
            text.AppendLine($"Run on {DateTime.UtcNow:yyyy-MM-dd} with `{command}`.");
            var first = true;
            foreach (var summary in summaries.OrderBy(s => s.Title, StringComparer.Ordinal))
            {
                var logger = new AccumulationLogger();
                MarkdownExporter.GitHub.ExportToLog(summary, logger);
                var lines = logger.GetLog().Replace("\r", "").Split('\n').ToList();
                // The environment block (machine, OS, runtime, job) is the same for every class of one run: shown once.
                var table = lines.SkipWhile(l => !l.StartsWith("```", StringComparison.Ordinal)).ToList();
                var fence = table.FindIndex(1, l => l.StartsWith("```", StringComparison.Ordinal));
                if (first && fence > 0)
                {
                    text.AppendLine();
                    text.AppendLine("The machine, runtime and job, as BenchmarkDotNet reports them:");
                    text.AppendLine();
                    text.AppendLine(string.Join("\n", table.Take(fence + 1)));
                }

                first = false;
                text.AppendLine();
                text.AppendLine("#### " + summary.BenchmarksCases.First().Descriptor.Type.Name);
                text.AppendLine();
                text.AppendLine(string.Join("\n", table.Skip(fence + 1).Where(l => l.StartsWith("|", StringComparison.Ordinal))));
            }

            text.AppendLine();
            text.Append(End);
            File.WriteAllText(path, doc.Substring(0, from) + text + doc.Substring(to + End.Length));
        }
    }
}
