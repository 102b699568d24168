using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Xml.Linq;
using NUnit.Framework;

namespace CrmPlugins.Solution.Tests
{
    /// <summary>
    /// Microsoft's own SolutionPackager (SolutionPackagerLib of Microsoft.CrmSdk.CoreTools 9.1.0.179), run through the
    /// host ../shared/tools/mspack (its README says how to fetch the coretools and build it). Never part of the repo:
    /// the tests that use it are ignored, with the reason, where it is not built.
    /// </summary>
    internal static class MicrosoftPackager
    {
        /// <summary>DEALRISK_MSPACK, or /tmp/mspack/mspack.dll where ../shared/tools/mspack/README.md builds it.</summary>
        public static string Path =>
            Environment.GetEnvironmentVariable("DEALRISK_MSPACK") is { Length: > 0 } configured ? configured : "/tmp/mspack/mspack.dll";

        /// <summary>The packer's host, or an ignored test saying how to get it.</summary>
        public static string Require()
        {
            if (!File.Exists(Path))
                Assert.Ignore($"Microsoft's SolutionPackager is not built at {Path} (set DEALRISK_MSPACK, or build ../shared/tools/mspack as its README says): " +
                              "the round trip through Microsoft's packer needs it.");
            return Path;
        }

        /// <summary>What a run printed and its exit code; <see cref="Warnings"/> and <see cref="Errors"/> are its closing summary.</summary>
        public sealed record Run(int ExitCode, string Output)
        {
            public int Warnings => Count("warnings encountered");

            public int Errors => Count("errors encountered");

            private int Count(string what) => Output.Split('\n').Select(l => l.Trim()).Where(l => l.EndsWith(what, StringComparison.Ordinal))
                .Select(l => int.Parse(l.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Sum();
        }

        /// <summary>Runs SolutionPackager with its own arguments (/action, /zipfile, /folder, /packagetype, /errorlevel).</summary>
        public static Run Execute(params string[] arguments)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(Require());
            foreach (var a in arguments) start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            var output = new StringBuilder();
            process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"SolutionPackager {string.Join(' ', arguments)} did not finish");
            }

            process.WaitForExit();
            return new Run(process.ExitCode, output.ToString());
        }

        /// <summary>
        /// The components of a customizations.xml, keyed by their slot and identity (a table by its name, a step by its id, ...),
        /// each as canonical text: the order of components within a slot is the order the packer met the files on disk, which
        /// means nothing to Dataverse; the order inside a component is kept.
        /// </summary>
        public static IReadOnlyDictionary<string, string> Components(XDocument customizations)
        {
            var components = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var slot in customizations.Root!.Elements())
            {
                var i = 0;
                foreach (var component in slot.Elements())
                {
                    var key = $"{slot.Name.LocalName}/{component.Name.LocalName}[{Identity(component) ?? (i++).ToString(System.Globalization.CultureInfo.InvariantCulture)}]";
                    components.Add(key, Canonical(component));
                }
            }

            return components;
        }

        private static string? Identity(XElement e) =>
            new[] { "SdkMessageProcessingStepId", "PluginAssemblyId", "WorkflowId", "fieldsecurityprofileid", "id", "Name", "name" }
                .Select(a => (string?)e.Attribute(a)).FirstOrDefault(v => v != null)
            ?? new[] { "Name", "UniqueName", "SiteMapUniqueName" }.Select(n => e.Element(n)?.Value.Trim()).FirstOrDefault(v => !string.IsNullOrEmpty(v))
            ?? (e.HasElements ? null : e.Value.Trim());

        /// <summary>The element without insignificant whitespace and with its attributes in a fixed order.</summary>
        public static string Canonical(XElement e)
        {
            var copy = new XElement(e.Name,
                e.Attributes().Where(a => !a.IsNamespaceDeclaration).OrderBy(a => a.Name.ToString(), StringComparer.Ordinal),
                e.Nodes().Select(n => n switch
                {
                    XElement child => (object)XElement.Parse(Canonical(child)),
                    XText text when !string.IsNullOrWhiteSpace(text.Value) => new XText(text.Value.Trim()),
                    _ => null!,
                }).Where(n => n != null));
            return copy.ToString(SaveOptions.DisableFormatting);
        }

        /// <summary>A text file as an editor shows it: without the byte order mark and the final line break, lines joined by \n.</summary>
        public static string Text(string file) =>
            File.ReadAllText(file, new UTF8Encoding(false)).TrimStart('\uFEFF').Replace("\r\n", "\n").TrimEnd('\n');

        public static void CopyFolder(string from, string to)
        {
            foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
                Directory.CreateDirectory(System.IO.Path.Combine(to, System.IO.Path.GetRelativePath(from, dir)));
            Directory.CreateDirectory(to);
            foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
                File.Copy(file, System.IO.Path.Combine(to, System.IO.Path.GetRelativePath(from, file)));
        }

        public static IEnumerable<string> RelativeFiles(string folder) =>
            Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => System.IO.Path.GetRelativePath(folder, f).Replace('\\', '/')).OrderBy(f => f, StringComparer.Ordinal);
    }
}
