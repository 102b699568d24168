using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using DealRisk.Cli.Generate;

namespace DealRisk.Cli
{
    /// <summary>dealrisk generate: a made-up org of any size in the format evaluate reads, to try evaluate at scale.</summary>
    public static class GenerateCommand
    {
        public static Command Create()
        {
            var deals = new Option<int>("--deals") { Description = "Open deals to write.", DefaultValueFactory = _ => 1_000 };
            var linesPerDeal = new Option<int>("--lines-per-deal") { Description = "Product lines of each deal.", DefaultValueFactory = _ => 10 };
            var output = new Option<string>("--out", "-o") { Description = "Folder for the <table>.csv files (created; files there of the same names are replaced).", Required = true };
            var seed = new Option<int>("--seed") { Description = "The same seed writes the same files.", DefaultValueFactory = _ => 1 };
            var start = new Option<string>("--start") { Description = "The first close date and capacity month (yyyy-MM-dd); evaluate with --as-of this date.", DefaultValueFactory = _ => "2026-12-01" };
            var command = new Command("generate", "Write a made-up org (open deals, their lines, requirements, allocations, users, products, capacity) as a folder of CSV files that evaluate --data reads: evaluate at the size of a real org.")
            {
                deals, linesPerDeal, output, seed, start,
            };
            command.SetAction(parse => Cli.Run(() =>
            {
                var count = parse.GetValue(deals);
                var lines = parse.GetValue(linesPerDeal);
                if (count < 1) throw new CliException(ExitCodes.BadInput, $"--deals {count}: give at least 1.");
                if (lines < 0) throw new CliException(ExitCodes.BadInput, $"--lines-per-deal {lines}: give 0 or more.");
                if (!DateTime.TryParseExact(parse.GetValue(start), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var first))
                    throw new CliException(ExitCodes.BadInput, $"--start '{parse.GetValue(start)}' is not a date (yyyy-MM-dd).");
                var folder = parse.GetValue(output)!;
                var generator = new DataGenerator(parse.GetValue(seed), first);
                using (var progress = Progress.Start(Console.Error))
                {
                    var phase = progress.Phase("Writing deals", count);
                    generator.Write(folder, count, lines, written => phase.Report(written));
                }

                Console.Out.WriteLine($"Wrote {Path.GetFullPath(folder)}: {string.Join(", ", generator.Counts.Select(c => $"{c.Value:N0} {c.Key}"))}.");
                Console.Out.WriteLine($"Next:     dealrisk evaluate --data {folder} --as-of {first:yyyy-MM-dd}");
                return ExitCodes.Ok;
            }));
            return command;
        }
    }
}
