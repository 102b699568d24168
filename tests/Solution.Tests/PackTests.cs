using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;
using System.Xml.Linq;
using CrmPlugins.SolutionModel;
using NUnit.Framework;

namespace CrmPlugins.Solution.Tests
{
    /// <summary>Packing the real Solution/ with the built net462 assemblies: the zips Dataverse imports.</summary>
    [TestFixture]
    public sealed class PackTests
    {
        private string _out = null!;
        private PackResult _zips = null!;
        private SolutionSource _source = null!;

        [OneTimeSetUp]
        public void Pack()
        {
            _out = Directory.CreateTempSubdirectory("dealrisk-pack-").FullName;
            _source = SolutionSource.Load(Repo.SolutionFolder);
            _zips = SolutionPacker.Pack(_source, Repo.BuiltAssemblies, _out);
        }

        [OneTimeTearDown]
        public void CleanUp() => Directory.Delete(_out, recursive: true);

        private string Zip(bool managed) => managed ? _zips.ManagedZip : _zips.UnmanagedZip;

        private static XElement Manifest(string zip) => Zips.ReadXml(zip, "solution.xml").Root!.Element("SolutionManifest")!;

        private static byte[] Bytes(string zip, string entry) => Zips.ReadBytes(zip, entry);

        [Test]
        public void Pack_WritesBothZips_WithDataversesNames()
        {
            Assert.That(Path.GetFileName(_zips.UnmanagedZip), Is.EqualTo("DealRisk_1_0_0_0.zip"));
            Assert.That(Path.GetFileName(_zips.ManagedZip), Is.EqualTo("DealRisk_1_0_0_0_managed.zip"));
            Assert.That(_zips.UnmanagedZip, Does.Exist);
            Assert.That(_zips.ManagedZip, Does.Exist);
        }

        [TestCase(false)]
        [TestCase(true)]
        public void Pack_Zip_HoldsExactlyTheFilesDataverseImports_AtTheDataFilesPaths(bool managed)
        {
            using var archive = ZipFile.OpenRead(Zip(managed));
            var names = archive.Entries.Select(e => e.FullName).ToList();

            // The assembly and workflow paths are what the data files say (FileName, XamlFileName), without the leading slash.
            var plugins = XDocument.Load(Directory.EnumerateFiles(Path.Combine(_source.Folder, "PluginAssemblies"), "DealRiskPlugins.dll.data.xml", SearchOption.AllDirectories).Single());
            var activities = XDocument.Load(Directory.EnumerateFiles(Path.Combine(_source.Folder, "PluginAssemblies"), "DealRiskWorkflowActivities.dll.data.xml", SearchOption.AllDirectories).Single());
            var workflows = Directory.EnumerateFiles(Path.Combine(_source.Folder, "Workflows"), "*.xaml.data.xml").Select(f => (string)XDocument.Load(f).Root!.Element("XamlFileName")!);
            var expected = new[] { "[Content_Types].xml", "solution.xml", "customizations.xml" }
                .Append(((string)plugins.Root!.Element("FileName")!).TrimStart('/'))
                .Append(((string)activities.Root!.Element("FileName")!).TrimStart('/'))
                .Concat(workflows.Select(w => w.TrimStart('/')))
                .Concat(CloudFlowSource.Read(_source.Folder).Select(f => f.ZipPath))
                // Custom APIs at their source paths, as Microsoft's SolutionPackager packs them (MicrosoftPackagerTests compares the entries).
                .Concat(Directory.EnumerateFiles(Path.Combine(_source.Folder, "customapis"), "*.xml", SearchOption.AllDirectories)
                    .Select(f => Path.GetRelativePath(_source.Folder, f).Replace('\\', '/')));

            Assert.That(names, Is.EquivalentTo(expected));
            Assert.That(names, Has.One.Match(@"^PluginAssemblies/DealRiskPlugins-[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}/DealRiskPlugins\.dll$"));
            Assert.That(names, Has.One.Match(@"^PluginAssemblies/DealRiskWorkflowActivities-[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}/DealRiskWorkflowActivities\.dll$"));
            Assert.That(names, Has.One.Match(@"^Workflows/[^/]+\.xaml$"));
        }

        [TestCase(false, "0")]
        [TestCase(true, "1")]
        public void Pack_SolutionXml_SaysWhetherItIsManaged_AndNamesTheSolutionAndPublisher(bool managed, string flag)
        {
            var manifest = Manifest(Zip(managed));

            Assert.That((string)manifest.Element("Managed")!, Is.EqualTo(flag));
            Assert.That((string)manifest.Element("UniqueName")!, Is.EqualTo("DealRisk"));
            Assert.That((string)manifest.Element("Version")!, Is.EqualTo("1.0.0.0"));
            var publisher = manifest.Element("Publisher")!;
            Assert.That((string)publisher.Element("CustomizationPrefix")!, Is.EqualTo("dr"));
            Assert.That((string)publisher.Element("CustomizationOptionValuePrefix")!, Is.EqualTo("59870"));
        }

        [TestCase(false)]
        [TestCase(true)]
        public void Pack_ShipsTheBuiltNet462Assemblies_ByteForByte(bool managed)
        {
            foreach (var assembly in _source.PluginAssemblies)
                Assert.That(Bytes(Zip(managed), assembly.ZipPath), Is.EqualTo(File.ReadAllBytes(Repo.BuiltAssemblies[assembly.Name])), assembly.Name);
            Assert.That(_source.PluginAssemblies.Select(p => p.Name), Is.EquivalentTo(Repo.BuiltAssemblies.Keys));
        }

        [Test]
        public void Pack_ShipsTheWorkflowXaml_ByteForByte()
        {
            foreach (var workflow in _source.Workflows)
                Assert.That(Bytes(_zips.UnmanagedZip, workflow.XamlFileName.TrimStart('/')), Is.EqualTo(File.ReadAllBytes(workflow.XamlFile)), workflow.Name);
        }

        [Test]
        public void Pack_Twice_GivesTheSameBytes()
        {
            var again = Directory.CreateTempSubdirectory("dealrisk-pack-again-").FullName;
            try
            {
                var second = SolutionPacker.Pack(SolutionSource.Load(Repo.SolutionFolder), Repo.BuiltAssemblies, again);

                Assert.That(SHA256.HashData(File.ReadAllBytes(second.UnmanagedZip)), Is.EqualTo(SHA256.HashData(File.ReadAllBytes(_zips.UnmanagedZip))));
                Assert.That(SHA256.HashData(File.ReadAllBytes(second.ManagedZip)), Is.EqualTo(SHA256.HashData(File.ReadAllBytes(_zips.ManagedZip))));
            }
            finally
            {
                Directory.Delete(again, recursive: true);
            }
        }
    }
}
