using System.IO;
using System.Linq;
using NUnit.Framework;

namespace DealRisk.Cli.Tests
{
    /// <summary>What an interrupted run leaves behind does not block the next one.</summary>
    [TestFixture]
    public sealed class LeftoverTests
    {
        [Test]
        public void Pack_AfterAnInterruptedPack_WritesTheZipsOverTheStaleTemporaryFiles()
        {
            var output = Directory.CreateTempSubdirectory("dealrisk-leftover-").FullName;
            try
            {
                // What a pack killed half-way through writing leaves: the temporary zips it writes before moving them into place.
                File.WriteAllText(Path.Combine(output, "DealRisk_1_0_0_0.zip.tmp"), "half a zip");
                File.WriteAllText(Path.Combine(output, "DealRisk_1_0_0_0_managed.zip.tmp"), "half a zip");

                var demo = DemoCommand.Run(output, pack: true, TextWriter.Null);

                Assert.That(demo.Pack, Is.Not.Null, "pack ran");
                Assert.That(demo.Pack!.Problems, Is.Empty);
                Assert.That(File.Exists(demo.Pack.Zips!.ManagedZip) && File.Exists(demo.Pack.Zips.UnmanagedZip), Is.True);
                Assert.That(Live.SolutionZip.Read(demo.Pack.Zips.ManagedZip).Managed, Is.True);
                Assert.That(Directory.EnumerateFiles(output, "*.tmp"), Is.Empty);
            }
            finally
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }
}
