using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CrmPlugins.SolutionModel;
using NUnit.Framework;

namespace CrmPlugins.Solution.Tests
{
    /// <summary>Where the repository, its Solution/, the built net462 assemblies and Microsoft's schemas are.</summary>
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

        public static AssemblyInspector Plugins => AssemblyInspector.Read(BuiltAssemblies["DealRisk.Plugins"]);

        public static AssemblyInspector WorkflowActivities => AssemblyInspector.Read(BuiltAssemblies["DealRisk.WorkflowActivities"]);

        public static IReadOnlyList<AssemblyInspector> Inspected => BuiltAssemblies.Values.Select(AssemblyInspector.Read).ToList();

        /// <summary>../shared/reference/schemas beside the repository; the test is ignored (with the reason) when it is absent.</summary>
        public static string Schemas
        {
            get
            {
                var dir = Path.GetFullPath(Path.Combine(Root, "..", "shared", "reference", "schemas"));
                if (!File.Exists(Path.Combine(dir, "CustomizationsSolution.xsd")) || !File.Exists(Path.Combine(dir, "xmllint", "CustomizationsSolution.xsd")))
                    Assert.Ignore($"Microsoft's solution schemas are not at {dir} (../shared is not beside this clone): the schema check needs them.");
                return dir;
            }
        }

        /// <summary>The xmllint executable on PATH, or null when libxml2-utils is not installed.</summary>
        public static string? Xmllint =>
            (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .SelectMany(dir => new[] { Path.Combine(dir, "xmllint"), Path.Combine(dir, "xmllint.exe") })
                .FirstOrDefault(File.Exists);
    }
}
