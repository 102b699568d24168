using System;
using System.CommandLine;
using System.IO;
using CrmPlugins.Report;
using DealRisk.Cli.Demo;
using DealRisk.Cli.Reporting;

namespace DealRisk.Cli
{
    /// <summary>dealrisk demo: the suite at work on the embedded sample org.</summary>
    public static class DemoCommand
    {
        public sealed record Outcome(SampleOrg Sample, RiskReport Report, string ReportPath, PackCommand.Outcome? Pack);

        public static Command Create()
        {
            var output = new Option<string>("--output", "-o") { Description = "Folder for the HTML report and the solution zips.", DefaultValueFactory = _ => "out" };
            var noPack = new Option<bool>("--no-pack") { Description = "Do not write the solution zips." };
            var command = new Command("demo", "Build the sample org, replay a quarter of rep actions through the pipeline, show the verdicts, alerts and forecast changes, and write the HTML report and the solution zips.")
            {
                output, noPack,
            };
            command.SetAction(parse => Cli.Run(() =>
            {
                var outcome = Run(parse.GetValue(output)!, !parse.GetValue(noPack), Console.Out);
                return outcome.Pack is { Problems.Count: > 0 } ? ExitCodes.Failed : ExitCodes.Ok;
            }));
            return command;
        }

        public static Outcome Run(string output, bool pack, TextWriter log)
        {
            var solution = SampleOrg.FindSolutionFolder();
            log.WriteLine($"Deal Risk demo: importing {solution} into the emulator and replaying the quarter...");
            var sample = new SampleOrg(solution, step => log.WriteLine("- " + step)).Replay();
            foreach (var refusal in sample.Refusals) log.WriteLine($"  The platform refused to win {refusal.Deal}: \"{refusal.Message}\"");
            var report = ReportBuilder.Build(sample.Org, "Deal Risk: sample org (Contoso)", "dealrisk demo: embedded sample org, replayed through the plugin pipeline", SampleOrg.Start);
            var reportPath = ConsoleReport.Publish(report, output, log);
            PackCommand.Outcome? packed = null;
            if (pack)
            {
                try
                {
                    packed = PackCommand.Run(null, output, BuiltConfiguration(), noBuild: true, Array.Empty<string>(), log);
                }
                catch (CliException ex) when (ex.ExitCode == ExitCodes.BuildFailed || ex.ExitCode == ExitCodes.BadInput)
                {
                    log.WriteLine("Solution zips not written: " + ex.Message + " Run `dealrisk pack` to build and pack.");
                }
            }

            return new Outcome(sample, report, reportPath, packed);
        }

        /// <summary>The configuration the tool itself was built in (bin/&lt;configuration&gt;/net10.0/), so pack finds the matching net462 builds.</summary>
        private static string BuiltConfiguration()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            return dir.Parent?.Name is { Length: > 0 } c && dir.Parent.Parent?.Name == "bin" ? c : "Release";
        }
    }
}
