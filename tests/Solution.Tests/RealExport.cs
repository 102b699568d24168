using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;
using NUnit.Framework;

namespace CrmPlugins.Solution.Tests
{
    /// <summary>
    /// A real Dataverse 9.2 export, for the tests that compare our zip with it directly: phuocle/Dynamics-Crm-DevKit@833a2cab
    /// test/3.11.11.11/Test.Cli.Server/Dev.DevKit.SolutionPackager/Dev/Solutions-Extract/TestPluginWorkflowCustomActionCustomApi_1.0.0000.0.zip
    /// (32 steps, 9 assemblies, a classic workflow calling a custom activity). Never committed: put it in DEALRISK_REAL_EXPORTS
    /// (default /tmp/dealrisk-real-exports), e.g. <c>git --git-dir=$G show 833a2cab:&lt;path&gt; &gt; /tmp/dealrisk-real-exports/&lt;file&gt;</c>
    /// after fetching the repository; the tests are ignored, with the reason, without it. The facts the other tests check
    /// were read from the same file.
    /// </summary>
    internal static class RealExport
    {
        public const string FileName = "TestPluginWorkflowCustomActionCustomApi_1.0.0000.0.zip";

        public static string Zip
        {
            get
            {
                var folder = Environment.GetEnvironmentVariable("DEALRISK_REAL_EXPORTS") is { Length: > 0 } configured ? configured : "/tmp/dealrisk-real-exports";
                var zip = Path.Combine(folder, FileName);
                if (!File.Exists(zip))
                    Assert.Ignore($"The real Dataverse export {FileName} is not at {folder} (set DEALRISK_REAL_EXPORTS): the direct comparison needs it (phuocle/Dynamics-Crm-DevKit@833a2cab).");
                return zip;
            }
        }

        public static XDocument Xml(string entry) => Zips.ReadXml(Zip, entry);

        /// <summary>The XAML of the export's workflow that calls a custom activity (TestAccount).</summary>
        public static XElement CustomActivityWorkflow()
        {
            using var archive = ZipFile.OpenRead(Zip);
            var entry = archive.Entries.Single(e => e.FullName.StartsWith("Workflows/TestAccount-", StringComparison.Ordinal));
            using var stream = entry.Open();
            return XElement.Load(stream);
        }
    }
}
