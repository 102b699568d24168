using System;
using System.IO;

namespace DealRisk.Cli
{
    /// <summary>Finds the repository (the folder holding CrmPlugins.sln) from the current folder or the tool's own.</summary>
    public static class Repo
    {
        public static string? FindRoot() =>
            (CrmPlugins.SolutionModel.SolutionSource.FindInRepository(Directory.GetCurrentDirectory()) ?? CrmPlugins.SolutionModel.SolutionSource.FindInRepository()) is { } solution
                ? Path.GetDirectoryName(solution)
                : null;

        public static string SolutionFolder(string? given)
        {
            if (given != null) return Path.GetFullPath(given);
            var root = FindRoot() ?? throw new CliException(ExitCodes.BadInput, "Cannot find the Solution folder: run from the repository or pass --solution <folder>.");
            return Path.Combine(root, "Solution");
        }
    }

    /// <summary>Exit codes scripts can rely on.</summary>
    public static class ExitCodes
    {
        public const int Ok = 0;
        /// <summary>The work ran and found something wrong (validation problems).</summary>
        public const int Failed = 1;
        /// <summary>Bad arguments or an input file that cannot be read.</summary>
        public const int BadInput = 2;
        /// <summary>Building the assemblies failed.</summary>
        public const int BuildFailed = 3;
    }

    /// <summary>A failure the CLI reports as one clear line and an exit code, never a stack trace.</summary>
    public sealed class CliException : Exception
    {
        public CliException(int exitCode, string message) : base(message) => ExitCode = exitCode;

        public int ExitCode { get; }
    }
}
