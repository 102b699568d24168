using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace CrmPlugins.SolutionModel
{
    /// <summary>The zips pack wrote.</summary>
    public sealed record PackResult(string UnmanagedZip, string ManagedZip)
    {
        /// <summary>How steps without a well-known message id were shipped (see <see cref="StepMessages"/>).</summary>
        public IReadOnlyList<string> Notes { get; init; } = Array.Empty<string>();

        /// <summary>How many steps the package carries (a pack without an environment leaves out those only it can give an id).</summary>
        public int StepsShipped { get; init; }
    }

    /// <summary>
    /// Packs an unpacked solution folder into the zips Dataverse imports, as SolutionPackager does: solution.xml,
    /// customizations.xml assembled from Other/Customizations.xml and the per-component files, [Content_Types].xml,
    /// the plugin assemblies at the paths their data files name, and the workflows' XAML.
    /// </summary>
    public static class SolutionPacker
    {
        /// <summary>Zip entries get this time, so the same source packs to the same bytes.</summary>
        public static readonly DateTimeOffset EntryTime = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        private const string ContentTypes =
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">" +
            "<Default Extension=\"xml\" ContentType=\"application/octet-stream\" /><Default Extension=\"xaml\" ContentType=\"application/octet-stream\" />" +
            "<Default Extension=\"dll\" ContentType=\"application/octet-stream\" /></Types>";

        /// <summary>
        /// Writes <c>{UniqueName}_{version with underscores}.zip</c> and <c>..._managed.zip</c> (Dataverse's own export names)
        /// into <paramref name="outputFolder"/>. <paramref name="assemblyFiles"/> maps each assembly name to its built DLL;
        /// <paramref name="messages"/>, the target environment's ids of the bulk and close messages (without them, bulk
        /// steps ship on Create / Update, see <see cref="StepMessages"/>).
        /// </summary>
        public static PackResult Pack(SolutionSource solution, IReadOnlyDictionary<string, string> assemblyFiles, string outputFolder, EnvironmentMessages? messages = null)
        {
            Directory.CreateDirectory(outputFolder);
            var notes = new List<string>();
            var customizations = BuildCustomizations(solution, messages, notes);
            var baseName = $"{solution.Manifest.UniqueName}_{solution.Manifest.Version.Replace('.', '_')}";
            var unmanaged = Path.Combine(outputFolder, baseName + ".zip");
            var managed = Path.Combine(outputFolder, baseName + "_managed.zip");
            WriteZip(solution, customizations, assemblyFiles, unmanaged, managed: false);
            WriteZip(solution, customizations, assemblyFiles, managed, managed: true);
            notes.Sort(StringComparer.Ordinal);
            var shipped = customizations.Root!.Element("SdkMessageProcessingSteps")?.Elements("SdkMessageProcessingStep").Count() ?? 0;
            return new PackResult(unmanaged, managed) { Notes = notes, StepsShipped = shipped };
        }

        /// <summary>The customizations.xml of the zip: Other/Customizations.xml with every component file merged into its place.</summary>
        public static XDocument BuildCustomizations(SolutionSource solution, EnvironmentMessages? messages = null, ICollection<string>? notes = null)
        {
            notes ??= new List<string>();
            var doc = new XDocument(solution.Customizations);
            var root = doc.Root!;
            XElement Slot(string name)
            {
                var e = root.Element(name);
                if (e != null) return e;
                // Microsoft's packer fills only the slots Other/Customizations.xml has (the validator says when one is
                // missing); ours puts a missing one where the schema orders it, so the zip is whole either way.
                e = new XElement(name);
                var index = Array.IndexOf(SlotOrder, name);
                var next = root.Elements().FirstOrDefault(x => Array.IndexOf(SlotOrder, x.Name.LocalName) > index);
                if (next != null) next.AddBeforeSelf(e);
                else root.Add(e);
                return e;
            }

            var entities = Slot("Entities");
            foreach (var table in solution.Tables)
            {
                var entity = XElement.Load(Path.Combine(table.Folder, "Entity.xml"));
                var formXml = entity.Element("FormXml") ?? new XElement("FormXml");
                var formsFolder = Path.Combine(table.Folder, "FormXml");
                if (Directory.Exists(formsFolder))
                {
                    foreach (var typeFolder in Directory.EnumerateDirectories(formsFolder).OrderBy(d => d, StringComparer.Ordinal))
                    {
                        var forms = new XElement("forms", new XAttribute("type", Path.GetFileName(typeFolder)));
                        foreach (var file in Directory.EnumerateFiles(typeFolder, "*.xml").OrderBy(f => f, StringComparer.Ordinal))
                            forms.Add(XElement.Load(file).Elements("systemform"));
                        formXml.Add(forms);
                    }
                }

                var savedQueries = entity.Element("SavedQueries") ?? new XElement("SavedQueries");
                var queries = new XElement("savedqueries");
                var viewsFolder = Path.Combine(table.Folder, "SavedQueries");
                if (Directory.Exists(viewsFolder))
                    foreach (var file in Directory.EnumerateFiles(viewsFolder, "*.xml").OrderBy(f => f, StringComparer.Ordinal))
                        queries.Add(XElement.Load(file).Elements("savedquery"));
                savedQueries.Add(queries);

                // Charts: Entities/<table>/Visualizations/{id}.xml, each a <visualization> placed under the table's <Visualizations>.
                var chartsFolder = Path.Combine(table.Folder, "Visualizations");
                if (Directory.Exists(chartsFolder))
                {
                    var visualizations = entity.Element("Visualizations");
                    if (visualizations == null)
                    {
                        visualizations = new XElement("Visualizations");
                        savedQueries.AddAfterSelf(visualizations);
                    }

                    foreach (var file in Directory.EnumerateFiles(chartsFolder, "*.xml").OrderBy(f => f, StringComparer.Ordinal))
                        visualizations.Add(StripXsi(XElement.Load(file)));
                }

                // SolutionPackager keeps each table's ribbon in Entities/<table>/RibbonDiff.xml and an empty <RibbonDiffXml /> in Entity.xml.
                var ribbonFile = Path.Combine(table.Folder, "RibbonDiff.xml");
                if (File.Exists(ribbonFile))
                {
                    var ribbon = StripXsi(XElement.Load(ribbonFile));
                    if (entity.Element("RibbonDiffXml") is { } placeholder) placeholder.ReplaceWith(ribbon);
                    else entity.Add(ribbon);
                }

                entities.Add(StripXsi(entity));
            }

            Slot("Roles").Add(Files(solution, "Roles", "*.xml").Select(f => StripXsi(XElement.Load(f))));
            Slot("Workflows").Add(solution.Workflows.Select(w => StripXsi(XElement.Load(w.DataFile))));
            Slot("Workflows").Add(CloudFlowSource.Read(solution.Folder).Select(f => StripXsi(XElement.Load(f.DataFile))));
            var profiles = Path.Combine(solution.Folder, "Other", "FieldSecurityProfiles.xml");
            if (File.Exists(profiles)) Slot("FieldSecurityProfiles").Add(XElement.Load(profiles).Elements("FieldSecurityProfile").Select(StripXsi));

            // As Microsoft's packer does: the relationships Other/Relationships.xml names, each taken from Other/Relationships/<table>.xml.
            var relationships = Files(solution, "Other/Relationships", "*.xml").SelectMany(f => XElement.Load(f).Elements("EntityRelationship"))
                .GroupBy(r => (string?)r.Attribute("Name") ?? "").ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
            Slot("EntityRelationships").Add(solution.RelationshipIndex.Where(relationships.ContainsKey).Select(n => relationships[n]));
            Slot("optionsets").Add(Files(solution, "OptionSets", "*.xml").Select(f => StripXsi(XElement.Load(f))));
            var dashboards = Files(solution, "Dashboards", "*.xml").ToList();
            if (dashboards.Count > 0) Slot("Dashboards").Add(dashboards.Select(f => StripXsi(XElement.Load(f))));
            Slot("SolutionPluginAssemblies").Add(solution.PluginAssemblies.Select(p => StripXsi(XElement.Load(p.DataFile))));
            Slot("SdkMessageProcessingSteps").Add(solution.Steps.Select(s => StepMessages.Render(s, messages, notes)).OfType<XElement>().Select(StripXsi));
            var siteMaps = Files(solution, "AppModuleSiteMaps", "AppModuleSiteMap.xml", recursive: true).ToList();
            var apps = Files(solution, "AppModules", "AppModule.xml", recursive: true).ToList();
            if (siteMaps.Count > 0) Slot("AppModuleSiteMaps").Add(siteMaps.Select(f => StripXsi(XElement.Load(f))));
            if (apps.Count > 0) Slot("AppModules").Add(apps.Select(f => StripXsi(XElement.Load(f))));
            return doc;
        }

        /// <summary>
        /// solution.xml for an unmanaged (0) or managed (1) package. A step <paramref name="customizations"/> leaves out (one on a
        /// message whose id only an environment gives, packed without one) is no root component of the package either, nor a
        /// dependent in its MissingDependencies: the import checks every root component against customizations.xml.
        /// </summary>
        public static XDocument BuildSolutionXml(SolutionSource solution, bool managed, XDocument? customizations = null)
        {
            var doc = XDocument.Load(Path.Combine(solution.Folder, "Other", "Solution.xml"));
            var manifest = doc.Root!.Element("SolutionManifest")!;
            manifest.SetElementValue("Managed", managed ? "1" : "0");
            if (customizations != null)
            {
                var shipped = new HashSet<string>(
                    customizations.Root!.Element("SdkMessageProcessingSteps")?.Elements("SdkMessageProcessingStep").Select(e => StepId(e, "SdkMessageProcessingStepId")) ?? Enumerable.Empty<string>(),
                    StringComparer.OrdinalIgnoreCase);
                bool LeftOut(XElement? e) => e != null && (string?)e.Attribute("type") == "92" && !shipped.Contains(StepId(e, "id"));
                manifest.Element("RootComponents")?.Elements("RootComponent").Where(LeftOut).Remove();
                manifest.Element("MissingDependencies")?.Elements("MissingDependency").Where(d => LeftOut(d.Element("Dependent"))).Remove();
            }

            return doc;
        }

        private static string StepId(XElement e, string attribute) => ((string?)e.Attribute(attribute) ?? "").Trim('{', '}');

        /// <summary>The top-level elements of customizations.xml in the order Dataverse exports them.</summary>
        internal static readonly string[] SlotOrder =
        {
            "Entities", "Roles", "Workflows", "FieldSecurityProfiles", "Templates", "EntityMaps", "EntityRelationships", "OrganizationSettings",
            "optionsets", "Dashboards", "CustomControls", "SolutionPluginAssemblies", "SdkMessageProcessingSteps", "ServiceEndpoints", "AppModuleSiteMaps", "AppModules",
            "EntityDataProviders", "Languages",
        };

        private static IEnumerable<string> Files(SolutionSource solution, string sub, string pattern, bool recursive = false)
        {
            var dir = Path.Combine(solution.Folder, sub);
            return Directory.Exists(dir)
                ? Directory.EnumerateFiles(dir, pattern, recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly).OrderBy(f => f, StringComparer.Ordinal)
                : Enumerable.Empty<string>();
        }

        private static XElement StripXsi(XElement e)
        {
            e.Attributes().Where(a => a.IsNamespaceDeclaration && a.Value == "http://www.w3.org/2001/XMLSchema-instance").Remove();
            return e;
        }

        private static void WriteZip(SolutionSource solution, XDocument customizations, IReadOnlyDictionary<string, string> assemblyFiles, string path, bool managed)
        {
            var temp = path + ".tmp";
            // A pack interrupted while writing leaves its temporary file; ZipArchiveMode.Create refuses an existing file, so
            // without this every later pack (and demo) would fail until someone deleted it by hand.
            File.Delete(temp);
            using (var zip = ZipFile.Open(temp, ZipArchiveMode.Create))
            {
                // A cloud flow's .json needs its content type, as Microsoft's SolutionPackager writes it: without it, its extract
                // (System.IO.Packaging) does not see the part.
                Text(zip, "[Content_Types].xml", CloudFlowSource.Read(solution.Folder).Count == 0 ? ContentTypes
                    : ContentTypes.Replace("<Default Extension=\"dll\"", "<Default Extension=\"json\" ContentType=\"application/octet-stream\" /><Default Extension=\"dll\"", StringComparison.Ordinal));
                Xml(zip, "solution.xml", BuildSolutionXml(solution, managed, customizations));
                Xml(zip, "customizations.xml", customizations);
                foreach (var assembly in solution.PluginAssemblies)
                {
                    if (!assemblyFiles.TryGetValue(assembly.Name, out var dll)) throw new InvalidOperationException($"No built DLL was given for {assembly.Name}.");
                    Bytes(zip, assembly.ZipPath, File.ReadAllBytes(dll));
                }

                foreach (var wf in solution.Workflows) Bytes(zip, wf.XamlFileName.TrimStart('/'), File.ReadAllBytes(wf.XamlFile));
                foreach (var flow in CloudFlowSource.Read(solution.Folder)) Bytes(zip, flow.ZipPath, File.ReadAllBytes(flow.JsonFile));
                // Custom APIs travel in the zip in the same folders as in the source (customapis/<uniquename>/...).
                foreach (var file in CustomApiSource.Files(solution.Folder)) Bytes(zip, file, File.ReadAllBytes(Path.Combine(solution.Folder, file)));
            }

            File.Move(temp, path, overwrite: true);
        }

        private static void Text(ZipArchive zip, string name, string text) => Bytes(zip, name, new UTF8Encoding(false).GetBytes(text));

        private static void Xml(ZipArchive zip, string name, XDocument doc)
        {
            using var ms = new MemoryStream();
            using (var writer = XmlWriter.Create(ms, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false }))
                doc.Save(writer);
            Bytes(zip, name, ms.ToArray());
        }

        private static void Bytes(ZipArchive zip, string name, byte[] bytes)
        {
            var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
            entry.LastWriteTime = EntryTime;
            using var s = entry.Open();
            s.Write(bytes, 0, bytes.Length);
        }
    }
}
