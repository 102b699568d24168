using System;
using System.IO;
using System.CommandLine;

namespace DealRisk.Cli
{
    public static class Cli
    {
        public static int Main(string[] args)
        {
            var root = new RootCommand("Deal Risk for Dynamics 365: judge deals for margin, resources, requirement fit and forecast changes. With no command, runs the demo.");
            var demo = DemoCommand.Create();
            root.Subcommands.Add(demo);
            root.Subcommands.Add(EvaluateCommand.Create());
            root.Subcommands.Add(OutcomesCommand.Create());
            root.Subcommands.Add(PackCommand.Create());
            root.Subcommands.Add(Live.LiveCommands.Connect());
            root.Subcommands.Add(Live.LiveCommands.Status());
            root.Subcommands.Add(Live.LiveCommands.Deploy());
            root.Subcommands.Add(Live.LiveCommands.Recalculate());
            // No command: the demo, with its defaults.
            foreach (var option in demo.Options) root.Options.Add(option);
            root.Action = demo.Action;
            return root.Parse(args).Invoke();
        }

        /// <summary>Runs a command's work and turns expected failures into one line on stderr and an exit code.</summary>
        internal static int Run(Func<int> work)
        {
            try
            {
                return work();
            }
            catch (CliException ex)
            {
                Console.Error.WriteLine("error: " + ex.Message);
                return ex.ExitCode;
            }
            catch (Exception ex) when (ex is CrmPlugins.SolutionModel.SolutionFormatException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine("error: " + ex.Message);
                return ExitCodes.BadInput;
            }
        }
    }
}
