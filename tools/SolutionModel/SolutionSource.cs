using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Xml.Linq;

namespace CrmPlugins.SolutionModel
{
    /// <summary>Solution.xml: the solution's identity and publisher.</summary>
    public sealed record SolutionManifest(string UniqueName, string Version, string PublisherUniqueName, string CustomizationPrefix, int OptionValuePrefix, IReadOnlyList<XElement> RootComponents);

    /// <summary>A column a table of the solution defines (Entity.xml &lt;attribute&gt;).</summary>
    public sealed record ColumnDefinition(string LogicalName, string Type, string? OptionSetName, bool IsSecured, string DisplayName, IReadOnlyList<string> Targets)
    {
        /// <summary>&lt;MaxLength&gt; of a text column (nvarchar, ntext).</summary>
        public int? MaxLength { get; init; }

        /// <summary>&lt;MinValue&gt; / &lt;MaxValue&gt; of a number column (int, bigint, decimal, float, money).</summary>
        public decimal? MinValue { get; init; }

        public decimal? MaxValue { get; init; }

        /// <summary>&lt;Accuracy&gt;: the decimal places of a decimal, float or money column.</summary>
        public int? Precision { get; init; }

        /// <summary>&lt;Behavior&gt; of a datetime column: 1 UserLocal, 2 DateOnly, 3 TimeZoneIndependent.</summary>
        public int? DateTimeBehavior { get; init; }

        /// <summary>&lt;Format&gt; of a datetime column: "date" or "datetime".</summary>
        public string? DateTimeFormat { get; init; }
    }

    /// <summary>A table of the solution: a new one (with its system columns) or an existing one the solution adds columns to.</summary>
    public sealed record TableDefinition(string LogicalName, string SchemaName, bool IsNew, string? Ownership, string DisplayName, IReadOnlyList<ColumnDefinition> Columns, IReadOnlyList<Guid> FormIds, IReadOnlyList<ViewDefinition> Views, string Folder)
    {
        /// <summary>The Web API entity set name (EntitySetName; null for an existing table the solution only extends).</summary>
        public string? EntitySetName { get; init; }

        /// <summary>The system charts of Entities/&lt;table&gt;/Visualizations.</summary>
        public IReadOnlyList<ChartDefinition> Charts { get; init; } = Array.Empty<ChartDefinition>();

        /// <summary>The primary key: the column of type primarykey (activityid for an activity table), else &lt;table&gt;id.</summary>
        public string PrimaryIdAttribute => Columns.FirstOrDefault(c => c.Type == "primarykey")?.LogicalName ?? LogicalName + "id";

        public ColumnDefinition? Column(string logicalName) => Columns.FirstOrDefault(c => c.LogicalName == logicalName);
    }

    /// <summary>
    /// A system chart (savedqueryvisualization): its aggregate FetchXML and categories (datadescription) and how it is drawn
    /// (presentationdescription), written as elements inside those two, as Dataverse exports and SolutionPackager keep them.
    /// </summary>
    public sealed record ChartDefinition(Guid Id, string Name, XElement Fetch, XElement DataDefinition, XElement Presentation, string File);

    /// <summary>A system dashboard (a systemform of type dashboard, Dashboards/{formid}.xml) and the charts and views its cells show.</summary>
    public sealed record DashboardDefinition(Guid FormId, string Name, IReadOnlyList<(string Table, Guid ViewId, Guid? ChartId)> Cells, string File);

    /// <summary>A system view (savedquery).</summary>
    public sealed record ViewDefinition(Guid Id, string Name, int QueryType, XElement FetchXml);

    /// <summary>A global choice (option set).</summary>
    public sealed record OptionSetDefinition(string Name, string DisplayName, IReadOnlyList<(int Value, string Label)> Options);

    /// <summary>A one-to-many relationship: the lookup column <see cref="ReferencingAttribute"/> on <see cref="ReferencingEntity"/> points to <see cref="ReferencedEntity"/>.</summary>
    public sealed record RelationshipDefinition(string Name, string ReferencingEntity, string ReferencingAttribute, string ReferencedEntity);

    /// <summary>A plugin type or workflow activity type registered in a plugin assembly's data file.</summary>
    public sealed record PluginTypeDefinition(Guid Id, string TypeName, string FriendlyName, string? WorkflowActivityGroupName);

    /// <summary>PluginAssemblies/&lt;folder&gt;/&lt;file&gt;.dll.data.xml.</summary>
    public sealed record PluginAssemblyDefinition(Guid Id, string FullName, string FileName, IReadOnlyList<PluginTypeDefinition> Types, string DataFile)
    {
        public string Name => FullName.Split(',')[0].Trim();

        /// <summary>The path of the assembly inside the zip, without the leading slash.</summary>
        public string ZipPath => FileName.TrimStart('/');
    }

    /// <summary>A custom workflow activity a workflow's XAML calls, with the arguments it sets.</summary>
    public sealed record WorkflowActivityCall(string TypeFullName, string AssemblyName, IReadOnlyDictionary<string, string> Arguments);

    /// <summary>A classic workflow (Workflows/*.xaml and its .xaml.data.xml).</summary>
    public sealed record WorkflowDefinition(Guid Id, string Name, string PrimaryEntity, int Mode, int Scope, bool TriggerOnCreate, IReadOnlyList<string> TriggerOnUpdateAttributes, int StateCode,
        string XamlFileName, IReadOnlyList<WorkflowActivityCall> Activities, string DataFile, string XamlFile)
    {
        /// <summary>The XAML's steps as Dataverse's designer writes them, and what Dataverse would refuse in it.</summary>
        public WorkflowXaml Xaml { get; init; } = null!;
    }

    /// <summary>A model-driven app (AppModules/&lt;name&gt;/AppModule.xml): the tables it shows and the roles that see it.</summary>
    public sealed record AppModuleDefinition(string UniqueName, IReadOnlyList<string> Tables, IReadOnlyList<string> SiteMaps, IReadOnlyList<Guid> RoleIds, string File);

    /// <summary>A field security profile: per secured column, whether its members may read, update and create it.</summary>
    public sealed record FieldSecurityProfileDefinition(Guid Id, string Name, IReadOnlyList<(string Table, string Column, bool Read, bool Update, bool Create)> Permissions);

    /// <summary>A security role.</summary>
    public sealed record RoleDefinition(Guid Id, string Name, IReadOnlyList<(string Privilege, string Level)> Privileges);

    /// <summary>
    /// An unpacked solution folder as SolutionPackager and <c>pac solution unpack</c> lay it out: Other/Solution.xml,
    /// Other/Customizations.xml, Other/Relationships.xml (the index) and Other/Relationships/*.xml, Other/FieldSecurityProfiles.xml, Entities/&lt;table&gt;/{Entity.xml, FormXml, SavedQueries},
    /// OptionSets/, Roles/, PluginAssemblies/, SdkMessageProcessingSteps/, Workflows/.
    /// </summary>
    public sealed class SolutionSource
    {
        private SolutionSource(string folder) => Folder = Path.GetFullPath(folder);

        public string Folder { get; }

        public SolutionManifest Manifest { get; private set; } = null!;

        public XDocument Customizations { get; private set; } = null!;

        public IReadOnlyList<TableDefinition> Tables { get; private set; } = Array.Empty<TableDefinition>();

        public IReadOnlyList<OptionSetDefinition> OptionSets { get; private set; } = Array.Empty<OptionSetDefinition>();

        public IReadOnlyList<RelationshipDefinition> Relationships { get; private set; } = Array.Empty<RelationshipDefinition>();

        public IReadOnlyList<PluginAssemblyDefinition> PluginAssemblies { get; private set; } = Array.Empty<PluginAssemblyDefinition>();

        public IReadOnlyList<StepRegistration> Steps { get; private set; } = Array.Empty<StepRegistration>();

        public IReadOnlyList<WorkflowDefinition> Workflows { get; private set; } = Array.Empty<WorkflowDefinition>();

        public IReadOnlyList<RoleDefinition> Roles { get; private set; } = Array.Empty<RoleDefinition>();

        public IReadOnlyList<AppModuleDefinition> AppModules { get; private set; } = Array.Empty<AppModuleDefinition>();

        /// <summary>The field security profiles of Other/FieldSecurityProfiles.xml (and any written inline in Other/Customizations.xml, which the validator reports).</summary>
        public IReadOnlyList<FieldSecurityProfileDefinition> FieldSecurityProfiles { get; private set; } = Array.Empty<FieldSecurityProfileDefinition>();

        /// <summary>The relationship names Other/Relationships.xml lists: Microsoft's packer takes only these from Other/Relationships/*.xml.</summary>
        public IReadOnlyList<string> RelationshipIndex { get; private set; } = Array.Empty<string>();

        /// <summary>The unique names of the site maps in AppModuleSiteMaps/.</summary>
        public IReadOnlyList<string> SiteMaps { get; private set; } = Array.Empty<string>();

        /// <summary>The system dashboards of Dashboards/.</summary>
        public IReadOnlyList<DashboardDefinition> Dashboards { get; private set; } = Array.Empty<DashboardDefinition>();

        public TableDefinition? Table(string logicalName) => Tables.FirstOrDefault(t => t.LogicalName == logicalName);

        /// <summary>
        /// The repository's Solution/ folder: the first folder holding CrmPlugins.sln above <paramref name="start"/>
        /// (default: where the running assembly is), or null when there is none.
        /// </summary>
        public static string? FindInRepository(string? start = null)
        {
            for (var dir = new DirectoryInfo(start ?? AppContext.BaseDirectory); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "CrmPlugins.sln"))) return Path.Combine(dir.FullName, "Solution");
            return null;
        }

        /// <summary>Reads the whole folder. A missing or malformed file fails with the file and the problem named.</summary>
        public static SolutionSource Load(string folder)
        {
            if (!Directory.Exists(folder)) throw new SolutionFormatException(folder, "the solution folder does not exist");
            var s = new SolutionSource(folder);
            s.Manifest = ReadManifest(Path.Combine(s.Folder, "Other", "Solution.xml"));
            s.Customizations = Xml.Load(Path.Combine(s.Folder, "Other", "Customizations.xml"), "ImportExportXml");
            s.Relationships = Files(s.Folder, "Other/Relationships", "*.xml").SelectMany(f => Xml.Load(f, "EntityRelationships").Root!.Elements("EntityRelationship").Select(r => new RelationshipDefinition(
                Xml.Attr(f, r, "Name"), Xml.Text(f, r, "ReferencingEntityName").ToLowerInvariant(), Xml.Text(f, r, "ReferencingAttributeName").ToLowerInvariant(), Xml.Text(f, r, "ReferencedEntityName").ToLowerInvariant()))).ToList();
            s.OptionSets = Files(s.Folder, "OptionSets", "*.xml").Select(ReadOptionSet).ToList();
            s.Tables = Directory.Exists(Path.Combine(s.Folder, "Entities"))
                ? Directory.EnumerateDirectories(Path.Combine(s.Folder, "Entities")).OrderBy(d => d, StringComparer.Ordinal).Select(d => ReadTable(d, s.Relationships)).ToList()
                : new List<TableDefinition>();
            s.PluginAssemblies = Files(s.Folder, "PluginAssemblies", "*.data.xml", recursive: true).Select(ReadAssembly).ToList();
            s.Steps = StepRegistration.LoadAll(s.Folder);
            s.Workflows = Files(s.Folder, "Workflows", "*.xaml.data.xml").Select(f => ReadWorkflow(s.Folder, f)).ToList();
            s.Roles = Files(s.Folder, "Roles", "*.xml").Select(ReadRole).ToList();
            var customizations = Path.Combine(s.Folder, "Other", "Customizations.xml");
            var profilesFile = Path.Combine(s.Folder, "Other", "FieldSecurityProfiles.xml");
            var profiles = (File.Exists(profilesFile) ? Xml.Load(profilesFile, "FieldSecurityProfiles").Root!.Elements("FieldSecurityProfile").Select(p => ReadProfile(profilesFile, p)) : Enumerable.Empty<FieldSecurityProfileDefinition>())
                .Concat(s.Customizations.Root!.Element("FieldSecurityProfiles")?.Elements("FieldSecurityProfile").Select(p => ReadProfile(customizations, p)) ?? Enumerable.Empty<FieldSecurityProfileDefinition>());
            s.FieldSecurityProfiles = profiles.ToList();
            var index = Path.Combine(s.Folder, "Other", "Relationships.xml");
            s.RelationshipIndex = File.Exists(index) ? Xml.Load(index, "EntityRelationships").Root!.Elements("EntityRelationship").Select(r => Xml.Attr(index, r, "Name")).ToList() : new List<string>();
            s.SiteMaps = Files(s.Folder, "AppModuleSiteMaps", "AppModuleSiteMap.xml", recursive: true).Select(f => Xml.Text(f, Xml.Load(f, "AppModuleSiteMap").Root!, "SiteMapUniqueName")).ToList();
            s.AppModules = Files(s.Folder, "AppModules", "AppModule.xml", recursive: true).Select(f =>
            {
                var root = Xml.Load(f, "AppModule").Root!;
                var components = root.Element("AppModuleComponents")?.Elements("AppModuleComponent").ToList() ?? new List<XElement>();
                return new AppModuleDefinition(Xml.Text(f, root, "UniqueName"),
                    components.Where(c => c.Attribute("type")?.Value == "1").Select(c => Xml.Attr(f, c, "schemaName")).ToList(),
                    components.Where(c => c.Attribute("type")?.Value == "62").Select(c => Xml.Attr(f, c, "schemaName")).ToList(),
                    root.Element("AppModuleRoleMaps")?.Elements("Role").Select(r => Xml.Guid(f, r.Attribute("id")?.Value, "Role id")).ToList() ?? new List<Guid>(), f);
            }).ToList();
            s.Dashboards = Files(s.Folder, "Dashboards", "*.xml").Select(ReadDashboard).ToList();
            return s;
        }

        private static DashboardDefinition ReadDashboard(string file)
        {
            var root = Xml.Load(file, "Dashboard").Root!;
            static Guid? Id(XElement parameters, string name) => Guid.TryParse(parameters.Element(name)?.Value, out var g) ? g : null;
            var cells = root.Descendants("control").Select(c => c.Element("parameters")).OfType<XElement>().Where(p => p.Element("TargetEntityType") != null)
                .Select(p => (p.Element("TargetEntityType")!.Value.Trim(), Id(p, "ViewId") ?? throw new SolutionFormatException(file, "a subgrid has no <ViewId>"), Id(p, "VisualizationId"))).ToList();
            return new DashboardDefinition(Xml.Guid(file, root.Element("FormId")?.Value, "FormId"),
                root.Element("LocalizedNames")?.Elements("LocalizedName").FirstOrDefault()?.Attribute("description")?.Value ?? "", cells, file);
        }

        private static ChartDefinition ReadChart(string file)
        {
            var root = Xml.Load(file, "visualization").Root!;
            var data = root.Element("datadescription")?.Element("datadefinition") ?? throw new SolutionFormatException(file, "<datadescription> has no <datadefinition>");
            var fetch = data.Element("fetchcollection")?.Element("fetch") ?? throw new SolutionFormatException(file, "<datadefinition> has no <fetchcollection><fetch>");
            var presentation = root.Element("presentationdescription")?.Element("Chart") ?? throw new SolutionFormatException(file, "<presentationdescription> has no <Chart>");
            return new ChartDefinition(Xml.Guid(file, root.Element("savedqueryvisualizationid")?.Value, "savedqueryvisualizationid"),
                root.Element("LocalizedNames")?.Elements("LocalizedName").FirstOrDefault()?.Attribute("description")?.Value ?? "", fetch, data, presentation, file);
        }

        private static FieldSecurityProfileDefinition ReadProfile(string file, XElement p) => new(
            Xml.Guid(file, p.Attribute("fieldsecurityprofileid")?.Value, "fieldsecurityprofileid"), Xml.Attr(file, p, "name"),
            p.Element("FieldPermissions")?.Elements("FieldPermission").Select(f => (
                Xml.Text(file, f, "EntityName"), Xml.Text(file, f, "AttributeName"),
                f.Element("CanRead")?.Value.Trim() == "4", f.Element("CanUpdate")?.Value.Trim() == "4", f.Element("CanCreate")?.Value.Trim() == "4")).ToList()
                ?? new List<(string, string, bool, bool, bool)>());

        private static IEnumerable<string> Files(string root, string sub, string pattern, bool recursive = false)
        {
            var dir = Path.Combine(root, sub);
            return Directory.Exists(dir)
                ? Directory.EnumerateFiles(dir, pattern, recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly).OrderBy(f => f, StringComparer.Ordinal)
                : Enumerable.Empty<string>();
        }

        private static SolutionManifest ReadManifest(string file)
        {
            var m = Xml.Load(file, "ImportExportXml").Root!.Element("SolutionManifest") ?? throw new SolutionFormatException(file, "<SolutionManifest> is missing");
            var publisher = m.Element("Publisher") ?? throw new SolutionFormatException(file, "<Publisher> is missing");
            var prefixText = Xml.Text(file, publisher, "CustomizationOptionValuePrefix");
            if (!int.TryParse(prefixText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var optionPrefix))
                throw new SolutionFormatException(file, $"<CustomizationOptionValuePrefix> '{prefixText}' is not a number");
            return new SolutionManifest(Xml.Text(file, m, "UniqueName"), Xml.Text(file, m, "Version"), Xml.Text(file, publisher, "UniqueName"), Xml.Text(file, publisher, "CustomizationPrefix"),
                optionPrefix, m.Element("RootComponents")?.Elements("RootComponent").ToList() ?? new List<XElement>());
        }

        private static OptionSetDefinition ReadOptionSet(string file)
        {
            var root = Xml.Load(file, "optionset").Root!;
            var options = root.Element("options")?.Elements("option").Select(o => (
                int.TryParse(Xml.Attr(file, o, "value"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw new SolutionFormatException(file, "an option value is not a number"),
                o.Element("labels")?.Elements("label").FirstOrDefault()?.Attribute("description")?.Value ?? "")).ToList() ?? new List<(int, string)>();
            return new OptionSetDefinition(Xml.Attr(file, root, "Name"), root.Attribute("localizedName")?.Value ?? "", options);
        }

        private static TableDefinition ReadTable(string folder, IReadOnlyList<RelationshipDefinition> relationships)
        {
            var file = Path.Combine(folder, "Entity.xml");
            var root = Xml.Load(file, "Entity").Root!;
            var schema = root.Element("Name")?.Value.Trim() ?? throw new SolutionFormatException(file, "<Name> is missing");
            var entity = root.Element("EntityInfo")?.Element("entity") ?? throw new SolutionFormatException(file, "<EntityInfo><entity> is missing");
            var logical = schema.ToLowerInvariant();
            var isNew = entity.Attribute("unmodified")?.Value != "1";
            var columns = entity.Element("attributes")?.Elements("attribute").Select(a =>
            {
                var name = (a.Element("LogicalName")?.Value ?? Xml.Attr(file, a, "PhysicalName")).Trim().ToLowerInvariant();
                var type = a.Element("Type")?.Value.Trim() ?? throw new SolutionFormatException(file, $"the column '{name}' has no <Type>");
                var targets = relationships.Where(r => r.ReferencingEntity == logical && r.ReferencingAttribute == name).Select(r => r.ReferencedEntity).ToList();
                return new ColumnDefinition(name, type, a.Element("OptionSetName")?.Value.Trim(), a.Element("IsSecured")?.Value.Trim() == "1",
                    a.Element("displaynames")?.Elements("displayname").FirstOrDefault()?.Attribute("description")?.Value ?? name, targets)
                {
                    MaxLength = int.TryParse(a.Element("MaxLength")?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var length) ? length : null,
                    MinValue = decimal.TryParse(a.Element("MinValue")?.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var min) ? min : null,
                    MaxValue = decimal.TryParse(a.Element("MaxValue")?.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var max) ? max : null,
                    Precision = int.TryParse(a.Element("Accuracy")?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var accuracy) ? accuracy : null,
                    DateTimeBehavior = type == "datetime" && int.TryParse(a.Element("Behavior")?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var behavior) ? behavior : null,
                    DateTimeFormat = type == "datetime" ? a.Element("Format")?.Value.Trim() : null,
                };
            }).ToList() ?? new List<ColumnDefinition>();
            var forms = Directory.Exists(Path.Combine(folder, "FormXml"))
                ? Directory.EnumerateFiles(Path.Combine(folder, "FormXml"), "*.xml", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal)
                    .SelectMany(f => Xml.Load(f, "forms").Root!.Elements("systemform").Select(sf => Xml.Guid(f, sf.Element("formid")?.Value, "formid"))).ToList()
                : new List<Guid>();
            var views = Directory.Exists(Path.Combine(folder, "SavedQueries"))
                ? Directory.EnumerateFiles(Path.Combine(folder, "SavedQueries"), "*.xml").OrderBy(f => f, StringComparer.Ordinal)
                    .SelectMany(f => Xml.Load(f, "savedqueries").Root!.Elements("savedquery").Select(q => new ViewDefinition(
                        Xml.Guid(f, q.Element("savedqueryid")?.Value, "savedqueryid"),
                        q.Element("LocalizedNames")?.Elements("LocalizedName").FirstOrDefault()?.Attribute("description")?.Value ?? "",
                        int.TryParse(q.Element("querytype")?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var qt) ? qt : 0,
                        q.Element("fetchxml")?.Element("fetch") ?? throw new SolutionFormatException(f, "a view has no <fetchxml><fetch>")))).ToList()
                : new List<ViewDefinition>();
            return new TableDefinition(logical, schema, isNew, entity.Element("OwnershipTypeMask")?.Value.Trim(),
                entity.Element("LocalizedNames")?.Elements("LocalizedName").FirstOrDefault()?.Attribute("description")?.Value ?? schema, columns, forms, views, folder)
            {
                EntitySetName = entity.Element("EntitySetName")?.Value.Trim() is { Length: > 0 } set ? set : null,
                Charts = Directory.Exists(Path.Combine(folder, "Visualizations"))
                    ? Directory.EnumerateFiles(Path.Combine(folder, "Visualizations"), "*.xml").OrderBy(f => f, StringComparer.Ordinal).Select(ReadChart).ToList()
                    : new List<ChartDefinition>(),
            };
        }

        private static PluginAssemblyDefinition ReadAssembly(string file)
        {
            var root = Xml.Load(file, "PluginAssembly").Root!;
            var types = root.Element("PluginTypes")?.Elements("PluginType").Select(t => new PluginTypeDefinition(
                Xml.Guid(file, t.Attribute("PluginTypeId")?.Value, "PluginTypeId"),
                Xml.Attr(file, t, "AssemblyQualifiedName").Split(',')[0].Trim(),
                t.Element("FriendlyName")?.Value.Trim() ?? "",
                t.Element("WorkflowActivityGroupName")?.Value.Trim())).ToList() ?? new List<PluginTypeDefinition>();
            return new PluginAssemblyDefinition(Xml.Guid(file, root.Attribute("PluginAssemblyId")?.Value, "PluginAssemblyId"), Xml.Attr(file, root, "FullName"),
                Xml.Text(file, root, "FileName"), types, file);
        }

        private static WorkflowDefinition ReadWorkflow(string folder, string file)
        {
            var root = Xml.Load(file, "Workflow").Root!;
            int Int(string name, int fallback) => int.TryParse(root.Element(name)?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : fallback;
            var xamlName = Xml.Text(file, root, "XamlFileName");
            var xamlFile = Path.Combine(folder, xamlName.TrimStart('/').Replace('/', Path.DirectorySeparatorChar));
            if (!File.Exists(xamlFile)) throw new SolutionFormatException(file, $"<XamlFileName> {xamlName} does not exist");
            var xaml = WorkflowXaml.Read(Xml.Load(xamlFile, "Activity").Root!, Int("Category", 0));
            var calls = xaml.Calls.Select(c => new WorkflowActivityCall(c.TypeFullName, c.AssemblyName,
                c.Arguments.GroupBy(a => a.Name).ToDictionary(g => g.Key, g => g.First().Expression, StringComparer.Ordinal))).ToList();

            return new WorkflowDefinition(Xml.Guid(file, root.Attribute("WorkflowId")?.Value, "WorkflowId"), Xml.Attr(file, root, "Name"),
                Xml.Text(file, root, "PrimaryEntity"), Int("Mode", 0), Int("Scope", 1), Int("TriggerOnCreate", 0) == 1,
                (root.Element("TriggerOnUpdateAttributeList")?.Value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                Int("StateCode", 0), xamlName, calls, file, xamlFile) { Xaml = xaml };
        }

        private static RoleDefinition ReadRole(string file)
        {
            var root = Xml.Load(file, "Role").Root!;
            var privileges = root.Element("RolePrivileges")?.Elements("RolePrivilege").Select(p => (Xml.Attr(file, p, "name"), Xml.Attr(file, p, "level"))).ToList() ?? new List<(string, string)>();
            return new RoleDefinition(Xml.Guid(file, root.Attribute("id")?.Value, "id"), Xml.Attr(file, root, "name"), privileges);
        }
    }

    /// <summary>Reading helpers that name the file and the element when something is missing.</summary>
    internal static class Xml
    {
        public static XDocument Load(string file, string expectedRoot)
        {
            if (!File.Exists(file)) throw new SolutionFormatException(file, "the file is missing");
            XDocument doc;
            try
            {
                doc = XDocument.Load(file, LoadOptions.PreserveWhitespace);
            }
            catch (System.Xml.XmlException ex)
            {
                throw new SolutionFormatException(file, "the XML is malformed: " + ex.Message);
            }

            if (doc.Root?.Name.LocalName != expectedRoot) throw new SolutionFormatException(file, $"the root element is <{doc.Root?.Name.LocalName}>, not <{expectedRoot}>");
            return doc;
        }

        public static string Text(string file, XElement parent, string name) =>
            parent.Element(name)?.Value.Trim() is { Length: > 0 } v ? v : throw new SolutionFormatException(file, $"<{parent.Name.LocalName}> has no <{name}>");

        public static string Attr(string file, XElement e, string name) =>
            e.Attribute(name)?.Value is { Length: > 0 } v ? v : throw new SolutionFormatException(file, $"<{e.Name.LocalName}> has no {name} attribute");

        public static Guid Guid(string file, string? text, string what) =>
            System.Guid.TryParse(text, out var g) ? g : throw new SolutionFormatException(file, $"{what} '{text}' is not a GUID");
    }
}
