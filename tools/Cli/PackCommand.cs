using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using System.Linq;
using CrmPlugins.SolutionModel;

namespace DealRisk.Cli
{
    /// <summary>dealrisk pack: build the net462 assemblies, validate the solution against them, write both zips.</summary>
    public static class PackCommand
    {
        private static readonly (string Project, string Assembly)[] Deployables =
        {
            ("Plugins/DealRisk.Plugins.csproj", "DealRisk.Plugins"),
            ("WorkflowActivities/DealRisk.WorkflowActivities.csproj", "DealRisk.WorkflowActivities"),
        };

        public static Command Create()
        {
            var solution = new Option<string?>("--solution") { Description = "The unpacked solution folder (default: Solution/ of the repository)." };
            var output = new Option<string>("--output", "-o") { Description = "Where to write the zips.", DefaultValueFactory = _ => "out" };
            var configuration = new Option<string>("--configuration", "-c") { Description = "Build configuration of the assemblies.", DefaultValueFactory = _ => "Release" };
            var noBuild = new Option<bool>("--no-build") { Description = "Use the assemblies already built (bin/<configuration>/net462) instead of building them." };
            var assemblies = new Option<string[]>("--assembly") { Description = "A built assembly to pack instead of building it (repeatable). Implies --no-build for it.", AllowMultipleArgumentsPerToken = true };
            var command = new Command("pack", "Build the net462 plugin and workflow assemblies, check the solution against them, and write DealRisk_<version>.zip and DealRisk_<version>_managed.zip.")
            {
                solution, output, configuration, noBuild, assemblies,
            };
            command.SetAction(parse => Cli.Run(() =>
            {
                var result = Run(parse.GetValue(solution), parse.GetValue(output)!, parse.GetValue(configuration)!, parse.GetValue(noBuild), parse.GetValue(assemblies) ?? Array.Empty<string>(), Console.Out);
                return result.Problems.Count == 0 ? ExitCodes.Ok : ExitCodes.Failed;
            }));
            return command;
        }

        public sealed record Outcome(PackResult? Zips, IReadOnlyList<string> Problems);

        public static Outcome Run(string? solutionFolder, string output, string configuration, bool noBuild, IReadOnlyList<string> givenAssemblies, TextWriter log,
            EnvironmentMessages? messages = null)
        {
            var folder = Repo.SolutionFolder(solutionFolder);
            SolutionSource source;
            try
            {
                source = SolutionSource.Load(folder);
            }
            catch (SolutionFormatException ex)
            {
                throw new CliException(ExitCodes.BadInput, "The solution cannot be read: " + ex.Message);
            }

            var files = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var given in givenAssemblies)
            {
                if (!File.Exists(given)) throw new CliException(ExitCodes.BadInput, $"--assembly {given}: the file does not exist.");
                files[Path.GetFileNameWithoutExtension(given)] = Path.GetFullPath(given);
            }

            var root = Repo.FindRoot();
            foreach (var (project, name) in Deployables.Where(d => !files.ContainsKey(d.Assembly)))
            {
                if (root == null) throw new CliException(ExitCodes.BadInput, $"Cannot find {project}: run from the repository or pass --assembly for {name}.");
                var projectPath = Path.Combine(root, project);
                if (!noBuild) Build(projectPath, configuration, log);
                files[name] = Path.Combine(Path.GetDirectoryName(projectPath)!, "bin", configuration, "net462", name + ".dll");
                if (!File.Exists(files[name])) throw new CliException(ExitCodes.BuildFailed, $"{files[name]} does not exist: build {project} for net462 first (or drop --no-build).");
            }

            log.WriteLine($"Checking {Path.GetRelativePath(Directory.GetCurrentDirectory(), folder)} against {string.Join(", ", files.Keys.OrderBy(k => k, StringComparer.Ordinal))}...");
            var inspected = files.Values.Select(Inspect).ToList();
            var problems = SolutionValidator.Validate(source, inspected);
            if (problems.Count > 0)
            {
                log.WriteLine($"The solution has {problems.Count} problem(s); nothing was packed:");
                foreach (var p in problems) log.WriteLine("  - " + p);
                return new Outcome(null, problems);
            }

            var zips = SolutionPacker.Pack(source, files, Path.GetFullPath(output), messages);
            foreach (var note in zips.Notes) log.WriteLine("  note: " + note);
            log.WriteLine($"Packed {source.Manifest.UniqueName} {source.Manifest.Version}: {source.Tables.Count} tables, {source.OptionSets.Count} option sets, {zips.StepsShipped} steps" +
                (zips.StepsShipped < source.Steps.Count ? $" ({source.Steps.Count - zips.StepsShipped} of the source's {source.Steps.Count} left for deploy)" : "") + $", {source.Workflows.Count} workflow(s).");
            log.WriteLine("  unmanaged: " + zips.UnmanagedZip);
            log.WriteLine("  managed:   " + zips.ManagedZip);
            return new Outcome(zips, problems);
        }

        private static AssemblyInspector Inspect(string file)
        {
            try
            {
                return AssemblyInspector.Read(file);
            }
            catch (Exception ex) when (ex is BadImageFormatException or InvalidOperationException or System.Reflection.Metadata.ImageFormatLimitationException)
            {
                throw new CliException(ExitCodes.BadInput, $"{file}: not a .NET assembly ({ConsoleText.OneLine(ex.Message)}); --assembly takes the built DealRisk.Plugins.dll or DealRisk.WorkflowActivities.dll (net462).");
            }
        }

        private static void Build(string project, string configuration, TextWriter log)
        {
            log.WriteLine($"Building {Path.GetFileName(project)} (net462, {configuration})...");
            var psi = new ProcessStartInfo("dotnet", new[] { "build", project, "-c", configuration, "-f", "net462", "-nologo", "-v", "q", "-clp:ErrorsOnly" })
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(psi) ?? throw new CliException(ExitCodes.BuildFailed, "Could not start dotnet.");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new CliException(ExitCodes.BuildFailed, $"Building {Path.GetFileName(project)} failed:{Environment.NewLine}{stdout.Result}{stderr.Result}".TrimEnd());
        }
    }
}
