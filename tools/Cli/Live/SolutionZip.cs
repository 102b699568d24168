using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml;
using System.Xml.Linq;
using System.Collections.Generic;
using CrmPlugins.SolutionModel;

namespace DealRisk.Cli.Live
{
    /// <summary>
    /// What a solution zip says it is (solution.xml's SolutionManifest: UniqueName, Version, Managed), read before
    /// anything is sent, so deploy can show the admin what goes where and refuse a file that is not a solution.
    /// </summary>
    public sealed record SolutionZip(string UniqueName, string Version, bool Managed)
    {
        /// <summary>What the solution declares it needs from the environment (solution.xml's MissingDependencies).</summary>
        public IReadOnlyList<MissingDependency> Dependencies { get; init; } = Array.Empty<MissingDependency>();

        /// <summary>Reads the manifest; a file that is not a solution zip is a one-line error (exit 2).</summary>
        public static SolutionZip Read(string file)
        {
            if (!File.Exists(file)) throw new CliException(ExitCodes.BadInput, $"{file}: the file does not exist.");
            try
            {
                using var zip = ZipFile.OpenRead(file);
                // Dataverse's exports (and pack) put solution.xml at the root, beside customizations.xml.
                var entry = zip.Entries.FirstOrDefault(e => string.Equals(e.FullName, "solution.xml", StringComparison.OrdinalIgnoreCase))
                    ?? throw new CliException(ExitCodes.BadInput, $"{file}: not a solution zip (no solution.xml at its root).");
                if (!zip.Entries.Any(e => string.Equals(e.FullName, "customizations.xml", StringComparison.OrdinalIgnoreCase)))
                    throw new CliException(ExitCodes.BadInput, $"{file}: not a solution zip (no customizations.xml at its root).");
                XDocument doc;
                using (var stream = entry.Open())
                    doc = XDocument.Load(stream, LoadOptions.None);
                var manifest = doc.Root?.Element("SolutionManifest") ?? throw new CliException(ExitCodes.BadInput, $"{file}: solution.xml has no SolutionManifest.");
                var name = manifest.Element("UniqueName")?.Value;
                var version = manifest.Element("Version")?.Value;
                if (string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(version))
                    throw new CliException(ExitCodes.BadInput, $"{file}: solution.xml names no UniqueName or Version.");
                return new SolutionZip(ConsoleText.OneLine(name), ConsoleText.OneLine(version), manifest.Element("Managed")?.Value.Trim() == "1")
                {
                    Dependencies = AppDependencies.Read(doc),
                };
            }
            catch (InvalidDataException)
            {
                throw new CliException(ExitCodes.BadInput, $"{file}: not a zip file, so not a solution.");
            }
            catch (XmlException ex)
            {
                throw new CliException(ExitCodes.BadInput, $"{file}: solution.xml is not well-formed XML (line {ex.LineNumber}).");
            }
        }

        public override string ToString() => $"{UniqueName} {Version} ({(Managed ? "managed" : "unmanaged")})";

        /// <summary>
        /// Shows what will be imported where and asks; true to go on. --yes answers for the admin; with no answer to read
        /// (input closed, as in a pipeline) nothing is imported.
        /// </summary>
        public bool Confirm(string target, bool yes, TextReader input, TextWriter log)
        {
            log.WriteLine($"About to import {this} into {target}.");
            if (yes) return true;
            log.Write("Import it? [y/N] ");
            log.Flush();
            var answer = input.ReadLine();
            log.WriteLine();
            return answer != null && answer.Trim().ToLowerInvariant() is "y" or "yes";
        }
    }
}
