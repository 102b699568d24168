using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Xml;
using System.Xml.Schema;

namespace CrmPlugins.Solution.Tests
{
    /// <summary>Validates a customizations.xml against Microsoft's schemas: the original set in .NET, the xmllint set with xmllint.</summary>
    internal static class SchemaCheck
    {
        private static readonly Lazy<XmlSchemaSet> Original = new(() =>
        {
            // The original set, as Microsoft wrote it for .NET / Visual Studio: XmlSchemaSet compiles its .NET-style patterns.
            var set = new XmlSchemaSet { XmlResolver = new XmlUrlResolver() };
            set.Add(null, Path.Combine(Repo.Schemas, "CustomizationsSolution.xsd"));
            set.Compile();
            return set;
        });

        /// <summary>Every error and warning (with its line) of the .NET validation against the original set.</summary>
        public static IReadOnlyList<string> DotNet(string file)
        {
            var errors = new List<string>();
            var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = Original.Value };
            settings.ValidationFlags |= XmlSchemaValidationFlags.ReportValidationWarnings;
            // Microsoft's schema leaves a chart's datadescription and presentationdescription untyped (an empty annotation): what is
            // inside is laxly unknown to it, which .NET reports as a warning per element. That content is checked elsewhere
            // (ChartChecks, and the fetch against Fetch.xsd); every other warning still counts.
            var untypedDepth = -1;
            settings.ValidationEventHandler += (_, e) =>
            {
                if (untypedDepth >= 0 && e.Severity == XmlSeverityType.Warning && e.Message.StartsWith("Could not find schema information", StringComparison.Ordinal)) return;
                errors.Add($"{e.Severity} at {e.Exception?.LineNumber}:{e.Exception?.LinePosition}: {e.Message}");
            };
            using (var reader = XmlReader.Create(file, settings))
                while (reader.Read())
                {
                    if (untypedDepth < 0 && reader.NodeType == XmlNodeType.Element && !reader.IsEmptyElement && reader.LocalName is "datadescription" or "presentationdescription")
                        untypedDepth = reader.Depth;
                    else if (reader.NodeType == XmlNodeType.EndElement && reader.Depth == untypedDepth)
                        untypedDepth = -1;
                }

            return errors;
        }

        private static readonly Lazy<XmlSchemaSet> FetchSchema = new(() =>
        {
            var set = new XmlSchemaSet { XmlResolver = new XmlUrlResolver() };
            set.Add(null, Path.Combine(Repo.Schemas, "Fetch.xsd"));
            set.Compile();
            return set;
        });

        /// <summary>Every error and warning of validating one &lt;fetch&gt; (a chart's query) against Microsoft's Fetch.xsd, whose root it is.</summary>
        public static IReadOnlyList<string> Fetch(System.Xml.Linq.XElement fetch)
        {
            var errors = new List<string>();
            var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = FetchSchema.Value };
            settings.ValidationFlags |= XmlSchemaValidationFlags.ReportValidationWarnings;
            settings.ValidationEventHandler += (_, e) => errors.Add($"{e.Severity}: {e.Message}");
            using (var reader = XmlReader.Create(new StringReader(fetch.ToString()), settings))
                while (reader.Read())
                {
                }

            return errors;
        }

        /// <summary>xmllint's verdict with the xmllint set: its exit code and what it wrote; null when xmllint is not on PATH.</summary>
        public static (int ExitCode, string Output)? Xmllint(string file)
        {
            if (Repo.Xmllint is not { } xmllint) return null;
            var schema = Path.Combine(Repo.Schemas, "xmllint", "CustomizationsSolution.xsd");
            var psi = new ProcessStartInfo(xmllint, new[] { "--noout", "--schema", schema, file }) { RedirectStandardError = true, RedirectStandardOutput = true };
            using var process = Process.Start(psi)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEnd();
            if (!process.WaitForExit(60_000))
            {
                process.Kill();
                throw new TimeoutException("xmllint did not finish within a minute.");
            }

            return (process.ExitCode, stdout.Result + stderr);
        }
    }
}
