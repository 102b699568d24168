using System;
using System.IO;
using System.Linq;
using CrmPlugins.SolutionModel;
using NUnit.Framework;

namespace CrmPlugins.Solution.Tests
{
    /// <summary>
    /// Solution/ against Microsoft's own SolutionPackager 9.1.0.179, both ways: its pack of Solution/ holds exactly the
    /// components of ours with no warning, and its extract of our zip is our source. Packing Solution/ with it once lost
    /// 73 of 95 components without an error (relationships without Other/Relationships.xml, assemblies, steps, the app and
    /// its site map without their slots in Other/Customizations.xml, profiles written inline), and refused to pack
    /// ("RootComponent validation failed") while the steps were not root components: these tests keep that from coming back.
    /// Run where ../shared/tools/mspack is built (its README); ignored with the reason elsewhere.
    /// </summary>
    [TestFixture]
    public sealed class MicrosoftPackagerTests
    {
        private string _work = null!;
        private SolutionSource _source = null!;
        private PackResult _ours = null!;
        private string _theirs = null!;
        private MicrosoftPackager.Run _pack = null!;
        private string _extracted = null!;
        private MicrosoftPackager.Run _extract = null!;
        private string _theirsManaged = null!;
        private MicrosoftPackager.Run _packManaged = null!;

        [OneTimeSetUp]
        public void PackBothWays()
        {
            MicrosoftPackager.Require();
            _work = Directory.CreateTempSubdirectory("dealrisk-mspack-").FullName;
            _source = SolutionSource.Load(Repo.SolutionFolder);
            // Ours as deploy packs it for an environment: the bulk and close steps carry the message ids the environment gives
            // (made up here); Solution/ leaves those ids empty, since no reference gives them and they are not guessed.
            _ours = SolutionPacker.Pack(_source, Repo.BuiltAssemblies, Path.Combine(_work, "ours"), AnEnvironment(_source));

            // SolutionPackager packs each assembly from beside its .dll.data.xml, where `pac solution unpack` leaves it; the source keeps no binaries.
            var folder = Path.Combine(_work, "source");
            MicrosoftPackager.CopyFolder(_source.Folder, folder);
            foreach (var assembly in _source.PluginAssemblies)
                File.Copy(Repo.BuiltAssemblies[assembly.Name], Path.Combine(folder, assembly.ZipPath));
            _theirs = Path.Combine(_work, "theirs.zip");
            _pack = MicrosoftPackager.Execute("/action:Pack", "/zipfile:" + _theirs, "/folder:" + folder, "/packagetype:Unmanaged", "/errorlevel:Verbose");

            // A managed package comes from the layout SolutionPackager's extract writes for /packagetype:Both: Managed 2 in
            // Solution.xml and a *_managed.xml beside each form, app and site map (identical to the unmanaged one when the two
            // zips hold the same customizations, as ours do). SolutionPackager refuses a managed pack of an unmanaged folder.
            var both = Path.Combine(_work, "both");
            MicrosoftPackager.CopyFolder(folder, both);
            var manifest = Path.Combine(both, "Other", "Solution.xml");
            File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("<Managed>0</Managed>", "<Managed>2</Managed>", StringComparison.Ordinal));
            foreach (var variant in Directory.EnumerateFiles(Path.Combine(both, "Entities"), "*.xml", SearchOption.AllDirectories).Where(f => Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(f))!) == "FormXml")
                         .Concat(Directory.EnumerateFiles(both, "AppModule.xml", SearchOption.AllDirectories))
                         .Concat(Directory.EnumerateFiles(both, "AppModuleSiteMap.xml", SearchOption.AllDirectories)).ToList())
                File.Copy(variant, Path.ChangeExtension(variant, null) + "_managed.xml");
            _theirsManaged = Path.Combine(_work, "theirs_managed.zip");
            _packManaged = MicrosoftPackager.Execute("/action:Pack", "/zipfile:" + _theirsManaged, "/folder:" + both, "/packagetype:Managed", "/errorlevel:Verbose");

            _extracted = Path.Combine(_work, "extracted");
            _extract = MicrosoftPackager.Execute("/action:Extract", "/zipfile:" + _ours.UnmanagedZip, "/folder:" + _extracted, "/packagetype:Unmanaged", "/errorlevel:Verbose");
        }

        [OneTimeTearDown]
        public void CleanUp()
        {
            if (_work != null && Directory.Exists(_work)) Directory.Delete(_work, recursive: true);
        }

        /// <summary>An environment that offers every message the source's steps name on their tables, under ids of its own.</summary>
        private static EnvironmentMessages AnEnvironment(SolutionSource source)
        {
            var messages = source.Steps.Where(s => SdkMessages.IdOf(s.Message) == null).Select(s => (s.Message, Table: s.PrimaryEntity ?? "none")).Distinct().ToList();
            var ids = messages.Select(m => m.Message).Distinct(StringComparer.OrdinalIgnoreCase)
                .Select((m, i) => (m, Id: new Guid($"5a000000-0000-4000-8000-{i + 1:D12}"))).ToDictionary(p => p.m, p => p.Id);
            return new EnvironmentMessages("test.crm.dynamics.com", ids, messages);
        }

        /// <summary>The steps Solution/ leaves the message id of to the environment.</summary>
        private System.Collections.Generic.HashSet<string> StepsWithEnvironmentIds() =>
            _source.Steps.Where(s => SdkMessages.IdOf(s.Message) == null).Select(s => s.Id.ToString("B")).ToHashSet(StringComparer.OrdinalIgnoreCase);

        /// <summary>A customizations.xml with the environment's message ids blanked, as Solution/ holds them.</summary>
        private System.Xml.Linq.XDocument WithoutEnvironmentIds(System.Xml.Linq.XDocument customizations)
        {
            var fromEnvironment = StepsWithEnvironmentIds();
            foreach (var step in customizations.Descendants("SdkMessageProcessingStep").Where(e => fromEnvironment.Contains((string?)e.Attribute("SdkMessageProcessingStepId") ?? "")))
                step.SetElementValue("SdkMessageId", "");
            return customizations;
        }

        /// <summary>Every component of customizations.xml in both zips, each the same but for the ids the environment gives; returns ours.</summary>
        private System.Collections.Generic.IReadOnlyDictionary<string, string> AssertSameComponents(string theirsZip, string oursZip)
        {
            var theirs = MicrosoftPackager.Components(Zips.ReadXml(theirsZip, "customizations.xml"));
            var ours = MicrosoftPackager.Components(WithoutEnvironmentIds(Zips.ReadXml(oursZip, "customizations.xml")));
            Assert.That(theirs.Keys, Is.EquivalentTo(ours.Keys), "the components of customizations.xml");
            foreach (var (key, value) in ours)
                Assert.That(theirs[key], Is.EqualTo(value), key);
            return ours;
        }

        [Test]
        public void MicrosoftPack_OfSolution_SucceedsWithNoWarning()
        {
            Assert.That(_pack.ExitCode, Is.EqualTo(0), _pack.Output);
            Assert.That(_pack.Warnings, Is.EqualTo(0), _pack.Output);
            Assert.That(_pack.Errors, Is.EqualTo(0), _pack.Output);
            Assert.That(_pack.Output, Does.Not.Contain("not defined in customizations"), "a root component the packer could not place");
        }

        [Test]
        public void MicrosoftPack_OfSolution_HoldsExactlyTheComponentsOfOurPack()
        {
            Assert.That(_pack.ExitCode, Is.EqualTo(0), _pack.Output);
            var ours = AssertSameComponents(_theirs, _ours.UnmanagedZip);

            // Every component of the source is there: 8 tables, the relationships, both assemblies, every step, the app and its site map.
            Assert.That(ours.Keys.Count(k => k.StartsWith("EntityRelationships/", StringComparison.Ordinal)), Is.EqualTo(_source.Relationships.Count));
            Assert.That(ours.Keys.Count(k => k.StartsWith("SdkMessageProcessingSteps/", StringComparison.Ordinal)), Is.EqualTo(_source.Steps.Count).And.GreaterThan(0));
            Assert.That(ours.Keys.Count(k => k.StartsWith("SolutionPluginAssemblies/", StringComparison.Ordinal)), Is.EqualTo(_source.PluginAssemblies.Count).And.EqualTo(2));
            Assert.That(ours.Keys.Count(k => k.StartsWith("FieldSecurityProfiles/", StringComparison.Ordinal)), Is.EqualTo(_source.FieldSecurityProfiles.Count).And.EqualTo(2));
            Assert.That(ours.Keys, Has.One.StartsWith("AppModules/").And.One.StartsWith("AppModuleSiteMaps/"));
            Assert.That(ours.Keys.Count(k => k.StartsWith("Entities/", StringComparison.Ordinal)), Is.EqualTo(_source.Tables.Count));
        }

        [Test]
        public void MicrosoftPack_OfSolution_WritesTheSameSolutionXmlAndFiles()
        {
            Assert.That(_pack.ExitCode, Is.EqualTo(0), _pack.Output);
            Assert.That(MicrosoftPackager.Canonical(Zips.ReadXml(_theirs, "solution.xml").Root!),
                Is.EqualTo(MicrosoftPackager.Canonical(Zips.ReadXml(_ours.UnmanagedZip, "solution.xml").Root!)));

            // Microsoft's packer leaves in the zip, as loose files, whatever of the folder it could not place in customizations.xml.
            Assert.That(Zips.Entries(_theirs), Is.EqualTo(Zips.Entries(_ours.UnmanagedZip)));
            foreach (var entry in Zips.Entries(_ours.UnmanagedZip).Where(e => e.EndsWith(".dll", StringComparison.Ordinal) || e.EndsWith(".xaml", StringComparison.Ordinal)))
                Assert.That(Zips.ReadBytes(_theirs, entry), Is.EqualTo(Zips.ReadBytes(_ours.UnmanagedZip, entry)), entry);
        }

        [Test]
        public void MicrosoftManagedPack_HoldsExactlyOurManagedZip_WithNoWarning()
        {
            Assert.That(_packManaged.ExitCode, Is.EqualTo(0), _packManaged.Output);
            Assert.That(_packManaged.Warnings + _packManaged.Errors, Is.EqualTo(0), _packManaged.Output);

            AssertSameComponents(_theirsManaged, _ours.ManagedZip);
            Assert.That(MicrosoftPackager.Canonical(Zips.ReadXml(_theirsManaged, "solution.xml").Root!), Is.EqualTo(MicrosoftPackager.Canonical(Zips.ReadXml(_ours.ManagedZip, "solution.xml").Root!)));
            Assert.That(Zips.Entries(_theirsManaged), Is.EqualTo(Zips.Entries(_ours.ManagedZip)));
        }

        [Test]
        public void MicrosoftPack_RecognisesTheWorkflowsCallOfOurActivity()
        {
            // SolutionPackager maps the custom activities a workflow calls (mxswa:ActivityReference AssemblyQualifiedName) to the
            // assemblies it packs; a custom activity written as an element of its own clr-namespace went unnoticed by it.
            foreach (var call in _source.Workflows.SelectMany(w => w.Xaml.Calls))
                Assert.That(_pack.Output, Does.Contain("Custom Type References Type Name From: ").And.Contain(call.AssemblyQualifiedName), call.TypeFullName);
        }

        [Test]
        public void MicrosoftExtract_OfOurZip_SucceedsWithNoWarning()
        {
            Assert.That(_extract.ExitCode, Is.EqualTo(0), _extract.Output);
            Assert.That(_extract.Warnings, Is.EqualTo(0), _extract.Output);
            Assert.That(_extract.Errors, Is.EqualTo(0), _extract.Output);
        }

        [Test]
        public void MicrosoftExtract_OfOurZip_WritesExactlyOurSource()
        {
            Assert.That(_extract.ExitCode, Is.EqualTo(0), _extract.Output);

            // The assemblies are build output: the source keeps their .dll.data.xml only.
            var extracted = MicrosoftPackager.RelativeFiles(_extracted).Where(f => !f.EndsWith(".dll", StringComparison.Ordinal)).ToList();
            Assert.That(MicrosoftPackager.RelativeFiles(_source.Folder).ToList(), Is.EqualTo(extracted), "the files of Solution/ against Microsoft's extract of our zip");

            // Byte order marks and the final line break aside (editors differ), each file is what Microsoft's extractor writes,
            // but for the message id an environment gave a bulk or close step, which Solution/ leaves empty.
            var fromEnvironment = StepsWithEnvironmentIds();
            foreach (var file in extracted)
            {
                var theirs = MicrosoftPackager.Text(Path.Combine(_extracted, file)).Split('\n');
                if (fromEnvironment.Contains(Path.GetFileNameWithoutExtension(file)))
                    theirs = theirs.Select(l => System.Text.RegularExpressions.Regex.Replace(l, "<SdkMessageId>[^<]+</SdkMessageId>", "<SdkMessageId></SdkMessageId>")).ToArray();
                var ours = MicrosoftPackager.Text(Path.Combine(_source.Folder, file)).Split('\n');
                var line = Enumerable.Range(0, Math.Max(theirs.Length, ours.Length))
                    .FirstOrDefault(i => i >= theirs.Length || i >= ours.Length || theirs[i] != ours[i], -1);
                Assert.That(line, Is.EqualTo(-1),
                    $"Solution/{file} line {line + 1} is\n  {(line >= 0 && line < ours.Length ? ours[line] : "(end of file)")}\nbut Microsoft's extractor writes\n  {(line >= 0 && line < theirs.Length ? theirs[line] : "(end of file)")}");
            }
        }
    }
}
