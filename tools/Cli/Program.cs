using System;
using System.IO;
using System.CommandLine;
using System.CommandLine.Invocation;

namespace DealRisk.Cli
{
    public static class Cli
    {
        /// <summary>Set to print the stack trace of an unexpected fault (for a bug report) instead of its one line.</summary>
        public const string TraceVariable = "DEALRISK_TRACE";

        public static int Main(string[] args)
        {
            // Server text and admins' data reach the terminal: no escape sequence or control character gets through.
            var (output, error) = (Console.Out, Console.Error);
            Console.SetOut(new ConsoleText.Writer(output));
            Console.SetError(new ConsoleText.Writer(error));
            try
            {
                return Invoke(args);
            }
            finally
            {
                Console.Out.Flush();
                Console.Error.Flush();
                Console.SetOut(output);
                Console.SetError(error);
            }
        }

        private static int Invoke(string[] args)
        {
            var root = new RootCommand("Deal Risk for Dynamics 365: judge deals for margin, resources, requirement fit and forecast changes. With no command, runs the demo.");
            var demo = DemoCommand.Create();
            root.Subcommands.Add(demo);
            root.Subcommands.Add(EvaluateCommand.Create());
            root.Subcommands.Add(GenerateCommand.Create());
            root.Subcommands.Add(OutcomesCommand.Create());
            root.Subcommands.Add(PackCommand.Create());
            root.Subcommands.Add(Live.LiveCommands.Connect());
            root.Subcommands.Add(Live.LiveCommands.Status());
            root.Subcommands.Add(Live.LiveCommands.Deploy());
            root.Subcommands.Add(Live.LiveCommands.Recalculate());
            root.Subcommands.Add(Live.SweepCommand.Create());
            root.Subcommands.Add(Live.LedgerCommand.Create());
            // No command: the demo, with its defaults.
            foreach (var option in demo.Options) root.Options.Add(option);
            root.Action = demo.Action;
            var parse = root.Parse(args);
            if (parse.Action is ParseErrorAction)
            {
                // System.CommandLine exits 1 on a usage error; README (and scripts) give bad arguments 2.
                foreach (var problem in parse.Errors) Console.Error.WriteLine("error: " + problem.Message);
                Console.Error.WriteLine($"See: dealrisk {(parse.CommandResult.Command == root ? "" : parse.CommandResult.Command.Name + " ")}--help");
                return ExitCodes.BadInput;
            }

            try
            {
                return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
            }
            catch (Exception ex) when (Environment.GetEnvironmentVariable(TraceVariable) is not ("1" or "true"))
            {
                // A fault nobody foresaw is still one line and exit 1, never a stack trace on an admin's screen.
                Console.Error.WriteLine($"error: unexpected {ex.GetType().Name}: {ConsoleText.OneLine(ex.Message)} (set {TraceVariable}=1 for the details of a bug report)");
                return ExitCodes.Failed;
            }
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
                Console.Error.WriteLine("error: " + ConsoleText.OneLine(ex.Message));
                return ExitCodes.BadInput;
            }
        }
    }
}
