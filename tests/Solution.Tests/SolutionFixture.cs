using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CrmPlugins.SolutionModel;
using NUnit.Framework;

namespace CrmPlugins.Solution.Tests
{
    /// <summary>Where the repository, its Solution/ and the built net462 assemblies are, and temporary copies to break.</summary>
    internal static class Repo
    {
        public static string SolutionFolder =>
            SolutionSource.FindInRepository() ?? throw new InvalidOperationException("CrmPlugins.sln not found above the test folder.");

        public static string Root => Path.GetDirectoryName(SolutionFolder)!;

        /// <summary>bin/&lt;Configuration&gt;/net10.0/ of this test assembly: the same configuration built the net462 assemblies.</summary>
        public static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

        public static IReadOnlyDictionary<string, string> BuiltAssemblies => new Dictionary<string, string>
        {
            ["DealRisk.Plugins"] = Path.Combine(Root, "Plugins", "bin", Configuration, "net462", "DealRisk.Plugins.dll"),
            ["DealRisk.WorkflowActivities"] = Path.Combine(Root, "WorkflowActivities", "bin", Configuration, "net462", "DealRisk.WorkflowActivities.dll"),
        };

        public static IReadOnlyList<AssemblyInspector> Inspected => BuiltAssemblies.Values.Select(AssemblyInspector.Read).ToList();

        /// <summary>../shared/reference/schemas beside the repository; the test is ignored (with the reason) when it is absent.</summary>
        public static string Schemas
        {
            get
            {
                var dir = Path.GetFullPath(Path.Combine(Root, "..", "shared", "reference", "schemas"));
                if (!File.Exists(Path.Combine(dir, "CustomizationsSolution.xsd")))
                    Assert.Ignore($"Microsoft's solution schemas are not at {dir} (../shared is not beside this clone): the schema check needs them.");
                return dir;
            }
        }
    }

    /// <summary>A copy of Solution/ in a temporary folder, to break one thing in.</summary>
    internal sealed class BrokenSolution : IDisposable
    {
        private BrokenSolution()
        {
            Folder = Directory.CreateTempSubdirectory("dealrisk-solution-").FullName;
            foreach (var file in Directory.EnumerateFiles(Repo.SolutionFolder, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(Folder, Path.GetRelativePath(Repo.SolutionFolder, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
        }

        public string Folder { get; }

        public static BrokenSolution Copy() => new();

        /// <summary>Replaces text in the one file matching <paramref name="pattern"/> under <paramref name="sub"/> that contains <paramref name="find"/>.</summary>
        public BrokenSolution Replace(string sub, string pattern, string find, string replacement)
        {
            var file = Directory.EnumerateFiles(Path.Combine(Folder, sub), pattern, SearchOption.AllDirectories).Single(f => File.ReadAllText(f).Contains(find));
            File.WriteAllText(file, File.ReadAllText(file).Replace(find, replacement));
            return this;
        }

        public IReadOnlyList<string> Problems() => SolutionValidator.Validate(SolutionSource.Load(Folder), Repo.Inspected);

        public void Dispose() => Directory.Delete(Folder, recursive: true);
    }
}
