using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;
using CrmPlugins.SolutionModel;
using NUnit.Framework;

namespace CrmPlugins.Solution.Tests
{
    /// <summary>
    /// The customizations.xml pack ships validates against Microsoft's schema, in .NET (the original set) and with xmllint
    /// (the xmllint set) when it is installed. Forms and views are validated there too: they are typed by the schema inside it.
    /// </summary>
    [TestFixture]
    public sealed class SchemaTests
    {
        private string _out = null!;
        private SolutionSource _source = null!;
        private string _customizations = null!;

        [OneTimeSetUp]
        public void PackAndExtract()
        {
            _out = Directory.CreateTempSubdirectory("dealrisk-schema-").FullName;
            _source = SolutionSource.Load(Repo.SolutionFolder);
            var zips = SolutionPacker.Pack(_source, Repo.BuiltAssemblies, _out);
            _customizations = Path.Combine(_out, "customizations.xml");
            using var archive = ZipFile.OpenRead(zips.UnmanagedZip);
            archive.GetEntry("customizations.xml")!.ExtractToFile(_customizations);
            WithoutWhatTheSchemaPredates(_customizations);
        }

        /// <summary>
        /// Microsoft's CustomizationsSolution.xsd predates cloud flows in solutions: it has no Workflow/JsonFileName, no
        /// IsCustomProcessingStepAllowedForOtherPublishers and no connectionreferences, which real exports carry (microsoft/coe-starter-kit, CenterofExcellenceALMAccelerator/SolutionPackage/src/Other/Customizations.xml
        /// at 1f8fca3a5ac0df4a40eda80a1cbaf34d4f6d87d2, and its Workflows/*.json.data.xml). Those are left out here and compared with the
        /// real exports in CloudFlowTests; everything else is validated as packed.
        /// </summary>
        private static void WithoutWhatTheSchemaPredates(string file)
        {
            var doc = XDocument.Load(file);
            doc.Root!.Elements("connectionreferences").Remove();
            var flows = doc.Root!.Element("Workflows")?.Elements("Workflow").Where(w => (string?)w.Element("Category") == "5").ToList() ?? new();
            flows.Elements("JsonFileName").Remove();
            flows.Elements("IsCustomProcessingStepAllowedForOtherPublishers").Remove();
            doc.Save(file);
        }

        [OneTimeTearDown]
        public void CleanUp() => Directory.Delete(_out, recursive: true);

        [Test]
        public void Customizations_InTheZip_ValidateAgainstTheOriginalSchemas_InDotNet()
        {
            var errors = SchemaCheck.DotNet(_customizations);

            Assert.That(errors, Is.Empty, () => string.Join(Environment.NewLine, errors));
        }

        [Test]
        public void Customizations_InTheZip_ValidateAgainstTheXmllintSchemas_WithXmllint()
        {
            var result = SchemaCheck.Xmllint(_customizations);
            if (result is not { } xmllint)
            {
                TestContext.Out.WriteLine("xmllint is not on PATH (apt-get install -y libxml2-utils): validated with .NET against the original schemas only.");
                Assert.That(SchemaCheck.DotNet(_customizations), Is.Empty);
                return;
            }

            Assert.That(xmllint.ExitCode, Is.Zero, xmllint.Output);
            Assert.That(xmllint.Output, Does.Contain("customizations.xml validates"));
        }

        [Test]
        public void Customizations_HoldEveryFormAndViewOfTheSource_SoTheSchemaChecksThem()
        {
            var entities = XDocument.Load(_customizations).Root!.Element("Entities")!.Elements("Entity").ToList();
            foreach (var table in _source.Tables)
            {
                var entity = entities.Single(e => ((string)e.Element("Name")!).Trim() == table.SchemaName);
                var forms = entity.Element("FormXml")?.Descendants("systemform").Select(f => Guid.Parse((string)f.Element("formid")!)).ToList();
                var views = entity.Element("SavedQueries")?.Descendants("savedquery").Where(q => q.Element("fetchxml")?.Element("fetch") != null)
                    .Select(q => Guid.Parse((string)q.Element("savedqueryid")!)).ToList();

                Assert.That(forms, Is.EquivalentTo(table.FormIds), $"{table.LogicalName}: the forms of {table.Folder}/FormXml");
                Assert.That(views, Is.EquivalentTo(table.Views.Select(v => v.Id)), $"{table.LogicalName}: the views (with their fetch) of {table.Folder}/SavedQueries");
            }

            Assert.That(_source.Tables.SelectMany(t => t.FormIds), Is.Not.Empty);
            Assert.That(_source.Tables.SelectMany(t => t.Views), Is.Not.Empty);
        }

        [Test]
        public void Schema_WhenAViewsFetchHasAnUnknownOperator_RejectsIt()
        {
            using var broken = BrokenSolution.With(s => s.ReplaceText(s.Single("Entities/Opportunity/SavedQueries", "{796edd6f-6fb7-556b-892c-7315217523ae}.xml"), "operator=\"in\"", "operator=\"is-risky\""));

            AssertRejected(broken, "is-risky");
        }

        [Test]
        public void Schema_WhenAFormSectionHasANonBooleanFlag_RejectsIt()
        {
            using var broken = BrokenSolution.With(s => s.ReplaceText(s.Single("Entities/Opportunity/FormXml", "*.xml"), "showlabel=\"true\" showbar=\"false\"", "showlabel=\"perhaps\" showbar=\"false\""));

            AssertRejected(broken, "perhaps");
        }

        /// <summary>Both validators reject the assembled file of <paramref name="broken"/>, quoting <paramref name="value"/>.</summary>
        internal static void AssertRejected(BrokenSolution broken, string value)
        {
            var file = Path.Combine(broken.Folder, "customizations.xml");
            SolutionPacker.BuildCustomizations(broken.Load()).Save(file);

            Assert.That(SchemaCheck.DotNet(file), Has.Some.Contains(value), ".NET, original schemas");
            if (SchemaCheck.Xmllint(file) is { } xmllint)
            {
                Assert.That(xmllint.ExitCode, Is.Not.Zero, "xmllint");
                Assert.That(xmllint.Output, Does.Contain(value), "xmllint");
            }
            else
            {
                TestContext.Out.WriteLine("xmllint is not on PATH: checked with .NET only.");
            }
        }
    }
}
