using System;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
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

        private static XDocument Entry(string zip, string name)
        {
            using var archive = ZipFile.OpenRead(zip);
            using var stream = archive.GetEntry(name)!.Open();
            return XDocument.Load(stream);
        }

        [Test]
        public void Pack_WritesBothZips_WithDataversesNames()
        {
            Assert.That(Path.GetFileName(_zips.UnmanagedZip), Is.EqualTo("DealRisk_1_0_0_0.zip"));
            Assert.That(Path.GetFileName(_zips.ManagedZip), Is.EqualTo("DealRisk_1_0_0_0_managed.zip"));
            Assert.That(File.Exists(_zips.UnmanagedZip) && File.Exists(_zips.ManagedZip), Is.True);
        }

        [TestCase(false)]
        [TestCase(true)]
        public void Pack_Zip_HoldsTheStructureDataverseExpects(bool managed)
        {
            var zip = managed ? _zips.ManagedZip : _zips.UnmanagedZip;
            using var archive = ZipFile.OpenRead(zip);
            var names = archive.Entries.Select(e => e.FullName).OrderBy(n => n, StringComparer.Ordinal).ToList();
            var expected = new[] { "[Content_Types].xml", "customizations.xml", "solution.xml" }
                .Concat(_source.PluginAssemblies.Select(p => p.ZipPath))
                .Concat(_source.Workflows.Select(w => w.XamlFileName.TrimStart('/')))
                .OrderBy(n => n, StringComparer.Ordinal).ToList();
            Assert.That(names, Is.EqualTo(expected));
            Assert.That(names, Has.Some.Match(@"^PluginAssemblies/DealRiskPlugins-[0-9A-F-]{36}/DealRiskPlugins\.dll$"));
            Assert.That(names, Has.Some.Match(@"^PluginAssemblies/DealRiskWorkflowActivities-[0-9A-F-]{36}/DealRiskWorkflowActivities\.dll$"));
            Assert.That(names, Has.Some.Match(@"^Workflows/.+\.xaml$"));

            var manifest = Entry(zip, "solution.xml").Root!.Element("SolutionManifest")!;
            Assert.That(manifest.Element("UniqueName")!.Value, Is.EqualTo("DealRisk"));
            Assert.That(manifest.Element("Managed")!.Value, Is.EqualTo(managed ? "1" : "0"));
            Assert.That(manifest.Element("Publisher")!.Element("CustomizationPrefix")!.Value, Is.EqualTo("dr"));
            Assert.That(manifest.Element("Publisher")!.Element("CustomizationOptionValuePrefix")!.Value, Is.EqualTo("59870"));
        }

        [Test]
        public void Pack_ShipsTheBuiltNet462Assemblies_ByteForByte()
        {
            using var archive = ZipFile.OpenRead(_zips.UnmanagedZip);
            foreach (var assembly in _source.PluginAssemblies)
            {
                using var stream = archive.GetEntry(assembly.ZipPath)!.Open();
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                Assert.That(copy.ToArray(), Is.EqualTo(File.ReadAllBytes(Repo.BuiltAssemblies[assembly.Name])), assembly.Name);
            }
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

        [Test]
        public void Customizations_ValidateAgainstMicrosoftsSchema_InDotNet()
        {
            var schemas = new XmlSchemaSet { XmlResolver = new XmlUrlResolver() };
            schemas.Add(null, Path.Combine(Repo.Schemas, "CustomizationsSolution.xsd"));
            schemas.Compile();
            var errors = new System.Collections.Generic.List<string>();
            Entry(_zips.UnmanagedZip, "customizations.xml").Validate(schemas, (_, e) => errors.Add($"{e.Severity}: {e.Message}"));
            Assert.That(errors, Is.Empty);
        }

        [Test]
        public void Customizations_ValidateAgainstMicrosoftsSchema_WithXmllint()
        {
            var schema = Path.Combine(Repo.Schemas, "xmllint", "CustomizationsSolution.xsd");
            var file = Path.Combine(_out, "customizations.xml");
            Entry(_zips.UnmanagedZip, "customizations.xml").Save(file);
            ProcessStartInfo psi = new("xmllint", new[] { "--noout", "--schema", schema, file }) { RedirectStandardError = true, RedirectStandardOutput = true };
            Process? xmllint;
            try
            {
                xmllint = Process.Start(psi);
            }
            catch (System.ComponentModel.Win32Exception)
            {
                if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
                    Assert.Fail("xmllint is not installed and CI must run the schema check: apt-get install -y libxml2-utils");
                Assert.Ignore("xmllint is not installed (apt-get install -y libxml2-utils); the .NET schema check still ran.");
                return;
            }

            var stderr = xmllint!.StandardError.ReadToEnd();
            xmllint.WaitForExit();
            Assert.That(xmllint.ExitCode, Is.Zero, stderr);
            Assert.That(stderr, Does.Contain("validates"));
        }

        [Test]
        public void Registration_MatchesTheBuiltAssemblies()
        {
            var problems = SolutionValidator.Validate(_source, Repo.Inspected);
            Assert.That(problems, Is.Empty);

            var plugins = AssemblyInspector.Read(Repo.BuiltAssemblies["DealRisk.Plugins"]);
            var activities = AssemblyInspector.Read(Repo.BuiltAssemblies["DealRisk.WorkflowActivities"]);
            var registeredPlugins = _source.PluginAssemblies.Single(p => p.Name == "DealRisk.Plugins").Types.Select(t => t.TypeName);
            var registeredActivities = _source.PluginAssemblies.Single(p => p.Name == "DealRisk.WorkflowActivities").Types;
            Assert.That(registeredPlugins, Is.EquivalentTo(plugins.PluginTypes.Select(t => t.FullName)));
            Assert.That(registeredActivities.Select(t => t.TypeName), Is.EquivalentTo(activities.ActivityTypes.Select(t => t.FullName)));
            Assert.That(registeredActivities.Select(t => t.WorkflowActivityGroupName), Is.All.EqualTo("Deal Risk"));
            Assert.That(_source.Workflows.SelectMany(w => w.Activities).Select(a => a.TypeFullName), Is.EqualTo(new[] { "DealRisk.WorkflowActivities.RaiseRiskAlert" }));
        }

        [Test]
        public void Solution_HoldsWhatAnAdminNeeds()
        {
            var opportunity = _source.Table("opportunity")!;
            Assert.That(opportunity.Column("dr_overallrisk")!.OptionSetName, Is.EqualTo("dr_risklevel"));
            Assert.That(opportunity.Column("dr_riskapprovedby")!.IsSecured, Is.True);
            Assert.That(opportunity.Views.Select(v => v.Name), Is.SupersetOf(new[] { "Flagged opportunities", "My team's risky deals" }));
            Assert.That(opportunity.Views.Single(v => v.Name == "Flagged opportunities").FetchXml.ToString(), Does.Contain("dr_overallrisk"));
            Assert.That(_source.Roles.Select(r => r.Name), Is.EquivalentTo(new[] { "Deal Risk Administrator", "Deal Risk Manager", "Deal Risk Salesperson" }));
            foreach (var role in _source.Roles)
                foreach (var (privilege, level) in role.Privileges.Where(p => p.Privilege.EndsWith("dr_RiskPolicy") || p.Privilege.EndsWith("dr_Capacity") || p.Privilege.EndsWith("dr_RiskHistory")))
                    Assert.That(level, Is.EqualTo("Global"), $"{role.Name}: {privilege} is on an organization-owned table");
            Assert.That(_source.OptionSets.Single(o => o.Name == "dr_risklevel").Options.Select(o => o.Label), Is.EqualTo(new[] { "Unknown", "Low", "Medium", "High", "Critical" }));
            foreach (var table in _source.Tables.Where(t => t.IsNew))
                foreach (var lookup in table.Columns.Where(c => c.Type == "lookup" && c.LogicalName.StartsWith("dr_", StringComparison.Ordinal)))
                    Assert.That(lookup.Targets, Has.Count.EqualTo(1), $"{table.LogicalName}.{lookup.LogicalName} has its relationship");
            var app = _source.AppModules.Single();
            Assert.That(app.UniqueName, Is.EqualTo("dr_DealRisk"));
            Assert.That(app.Tables, Is.SupersetOf(_source.Tables.Where(t => t.IsNew).Select(t => t.LogicalName)).And.Contains("opportunity"));
            Assert.That(app.SiteMaps, Is.EqualTo(new[] { "dr_DealRisk" }));
            Assert.That(app.RoleIds, Is.EquivalentTo(_source.Roles.Select(r => r.Id)));
            var workflow = _source.Workflows.Single();
            Assert.That((workflow.Mode, workflow.StateCode, workflow.TriggerOnCreate), Is.EqualTo((0, 1, true)), "background, activated, on create");
            Assert.That(workflow.TriggerOnUpdateAttributes, Is.EquivalentTo(new[] { "dr_overallrisk", "statecode" }));
            var form = XDocument.Load(Directory.EnumerateFiles(Path.Combine(opportunity.Folder, "FormXml"), "*.xml", SearchOption.AllDirectories).Single());
            var fields = form.Descendants("control").Select(c => (string?)c.Attribute("datafieldname")).ToList();
            Assert.That(fields, Is.SupersetOf(new[] { "dr_overallrisk", "dr_riskscore", "dr_riskreasons", "dr_riskapprovedby" }));
            Assert.That(form.Descendants("section").Elements("labels").Elements("label").Select(l => (string?)l.Attribute("description")), Does.Contain("Deal risk"));
        }
    }
}
