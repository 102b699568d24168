using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using NUnit.Framework;

namespace CrmPlugins.XrmSdk.Tests
{
    /// <summary>
    /// Runs ../shared/tools/asmcheck, the shared checker of a stand-in against Microsoft's listings. It is built once
    /// into a temporary folder keyed by the hash of its source, so repeated test runs reuse it.
    /// </summary>
    internal static class AsmCheck
    {
        private static readonly object Gate = new();
        private static string? _dll;

        public static string Listings(string shared) => Path.Combine(shared, "reference", "sdk-api");

        public static IReadOnlyList<string> ListingFiles(string shared) =>
            Directory.GetFiles(Listings(shared), "*.api.txt").OrderBy(f => f, StringComparer.Ordinal).ToList();

        /// <summary>Runs asmcheck with the arguments and returns its exit code and output lines.</summary>
        public static (int ExitCode, IReadOnlyList<string> Lines) Run(string shared, params string[] args)
        {
            var dll = Build(shared);
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(dll);
            foreach (var a in args) start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            var lines = (output.Result + error.Result).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
            return (process.ExitCode, lines);
        }

        private static string Build(string shared)
        {
            lock (Gate)
            {
                if (_dll != null) return _dll;
                var project = Path.Combine(shared, "tools", "asmcheck");
                var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(
                    string.Concat(Directory.GetFiles(project, "*.cs*").OrderBy(f => f, StringComparer.Ordinal).Select(File.ReadAllText)))))[..16];
                var output = Path.Combine(Path.GetTempPath(), "crmplugins-asmcheck-" + hash);
                var dll = Path.Combine(output, "asmcheck.dll");
                if (!File.Exists(dll))
                {
                    // ../shared may be read-only: build a copy of the project.
                    var source = Path.Combine(output + "-src");
                    Directory.CreateDirectory(source);
                    foreach (var file in Directory.GetFiles(project).Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".csproj", StringComparison.Ordinal)))
                        File.Copy(file, Path.Combine(source, Path.GetFileName(file)), overwrite: true);
                    var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                    foreach (var a in new[] { "build", source, "-c", "Release", "-o", output }) start.ArgumentList.Add(a);
                    using var process = Process.Start(start)!;
                    var log = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
                    process.WaitForExit();
                    if (process.ExitCode != 0 || !File.Exists(dll)) Assert.Fail("Could not build ../shared/tools/asmcheck:\n" + log);
                }

                return _dll = dll;
            }
        }
    }
}
