using System;
using System.IO;

namespace DealRisk.Cli.Tests
{
    /// <summary>Runs the command line in process, as a user types it, and gives its exit code and what it wrote.</summary>
    internal static class CliRun
    {
        public static (int Exit, string Out, string Error) Run(params string[] args)
        {
            var output = new StringWriter();
            var error = new StringWriter();
            var (o, e) = (Console.Out, Console.Error);
            Console.SetOut(output);
            Console.SetError(error);
            try
            {
                return (Cli.Main(args), output.ToString(), error.ToString());
            }
            finally
            {
                Console.SetOut(o);
                Console.SetError(e);
            }
        }
    }
}
