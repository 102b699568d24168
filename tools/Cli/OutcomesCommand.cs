using System;
using System.CommandLine;
using System.IO;
using DealRisk.Cli.Reporting;

namespace DealRisk.Cli
{
    /// <summary>dealrisk outcomes: which findings preceded lost deals, whether the thresholds separate good deals from bad, and what managers did.</summary>
    public static class OutcomesCommand
    {
        public static Command Create()
        {
            var data = new Option<string?>("--data", "-d") { Description = "An export with closed deals and their risk history (docs/evaluate-data.md); default: the sample org." };
            var output = new Option<string>("--output", "-o") { Description = "Folder for the HTML report (its Outcomes section holds the same figures).", DefaultValueFactory = _ => "out" };
            var asOf = new Option<string?>("--as-of") { Description = "With --data: judge open deals as of this date (yyyy-MM-dd)." };
            var orphans = EvaluateCommand.OrphansOption();
            var command = new Command("outcomes", "The outcome analysis over closed deals: win rate, value lost and realised margin by risk at close and by finding (with counts), the threshold check with suggestions, and manager follow-through.")
            {
                data, output, asOf, orphans,
            };
            command.SetAction(parse => Cli.Run(() =>
            {
                var evaluated = parse.GetValue(data) is { } file ? EvaluateCommand.Run(file, parse.GetValue(output)!, parse.GetValue(asOf), TextWriter.Null, parse.GetValue(orphans)) : null;
                if (evaluated is { Orphans: > 0 } e)
                    Console.Error.WriteLine($"warning: {e.Orphans} row(s) point at rows the data does not hold and are left out (`dealrisk evaluate --data ... --orphans warn` lists them).");
                var report = evaluated?.Report ?? DemoCommand.Run(parse.GetValue(output)!, pack: false, TextWriter.Null).Report;
                ConsoleReport.WriteOutcomes(report, Console.Out);
                Console.Out.WriteLine();
                Console.Out.WriteLine("Report:   " + Path.GetFullPath(Path.Combine(parse.GetValue(output)!, "deal-risk-report.html")));
                return evaluated is { Orphans: > 0 } ? ExitCodes.Failed : ExitCodes.Ok;
            }));
            return command;
        }
    }
}
