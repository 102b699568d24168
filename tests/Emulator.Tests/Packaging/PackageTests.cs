using System;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection;
using System.Xml.Linq;
using NUnit.Framework;

namespace CrmPlugins.Emulator.Tests.Packaging
{
    /// <summary>The emulator is a NuGet package another team can try: its README as the package readme, MIT licensed.</summary>
    public class PackageTests
    {
        [Test]
        public void Pack_TheEmulator_CarriesItsAssemblyReadmeAndLicense()
        {
            var root = RepositoryRoot();
            var output = Path.Combine(Path.GetTempPath(), "emulator-pack-" + Guid.NewGuid().ToString("N"));
            try
            {
                // --no-build: the test run has just built the emulator in this configuration; packing is then a few seconds.
                var configuration = typeof(PackageTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
                var (exit, log) = Run(root, "pack", "tools/Emulator/CrmPlugins.Emulator.csproj", "-c", configuration, "--no-build", "--no-restore", "-o", output);
                Assert.That(exit, Is.EqualTo(0), log);

                var package = Directory.GetFiles(output, "CrmPlugins.Emulator.*.nupkg").Single();
                using var zip = ZipFile.OpenRead(package);
                Assert.That(zip.Entries.Select(e => e.FullName), Does.Contain("lib/net10.0/CrmPlugins.Emulator.dll").And.Contain("README.md"));
                using (var readme = new StreamReader(zip.GetEntry("README.md")!.Open()))
                    Assert.That(readme.ReadToEnd(), Is.EqualTo(File.ReadAllText(Path.Combine(root, "tools", "Emulator", "README.md"))));
                XElement nuspec;
                using (var stream = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open()) nuspec = XDocument.Load(stream).Root!;
                var ns = nuspec.Name.Namespace;
                var metadata = nuspec.Element(ns + "metadata")!;
                Assert.That(metadata.Element(ns + "license")?.Value, Is.EqualTo("MIT"));
                Assert.That(metadata.Element(ns + "readme")?.Value, Is.EqualTo("README.md"));
                Assert.That(metadata.Element(ns + "description")?.Value, Is.Not.Empty);
                Assert.That(File.ReadAllText(Path.Combine(root, "LICENSE")), Does.StartWith("MIT License"));
            }
            finally
            {
                if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
            }
        }

        private static string RepositoryRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "CrmPlugins.sln"))) return dir.FullName;
            throw new DirectoryNotFoundException("CrmPlugins.sln is in no folder above " + AppContext.BaseDirectory);
        }

        private static (int Exit, string Log) Run(string workingDirectory, params string[] arguments)
        {
            // dotnet test sets DOTNET_HOST_PATH to the dotnet running it.
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var a in arguments) start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout.Result + stderr);
        }
    }
}
