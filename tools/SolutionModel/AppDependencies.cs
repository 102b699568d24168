using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;

namespace CrmPlugins.SolutionModel
{
    /// <summary>A component the solution needs from another solution: a table (type 1) or a column (type 2) of <see cref="Parent"/>.</summary>
    public sealed record RequiredComponent(int Type, string SchemaName, string? Parent, string DisplayName, string Solution)
    {
        /// <summary>"the table opportunity" / "the column msdyn_forecastcategory of opportunity".</summary>
        public string Describe() => Type == 2 ? $"the column {SchemaName} of {Parent}" : $"the table {SchemaName}";
    }

    /// <summary>One &lt;MissingDependency&gt; of Solution.xml: what is required, and the solution's component that needs it.</summary>
    public sealed record MissingDependency(RequiredComponent Required, int DependentType, string Dependent, string? DependentParent);

    /// <summary>
    /// The components the suite needs from Microsoft's Dynamics 365 apps, declared as Solution.xml's &lt;MissingDependencies&gt;
    /// so an environment without them fails the import's pre-check with their names, as real exports do
    /// (ContosoUniversity/Contoso-University@18166578 Solution/Other/Solution.xml: <c>&lt;MissingDependency&gt;&lt;Required type=".."
    /// schemaName=".." displayName=".." solution=".." /&gt;&lt;Dependent type=".." schemaName=".." displayName=".." /&gt;</c>).
    /// </summary>
    public static class AppDependencies
    {
        /// <summary>
        /// Tables that come with an app, not with Dataverse, and the solution that adds them: Microsoft's table reference says
        /// "Added by: Sales Solution" for opportunity and "Added by: Product Management Solution" for product
        /// (MicrosoftDocs/dynamics-365-customer-engagement ce/sales/developer/entities/opportunity.md, product.md).
        /// </summary>
        public static readonly IReadOnlyDictionary<string, (string DisplayName, string Solution)> Tables = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
        {
            ["opportunity"] = ("Opportunity", "Sales"),
            ["opportunityproduct"] = ("Opportunity Product", "Sales"),
            ["opportunityclose"] = ("Opportunity Close", "Sales"),
            // "Added by: Sales Solution" (ce/sales/developer/entities/opportunitysalesprocess.md).
            ["opportunitysalesprocess"] = ("Opportunity Sales Process", "Sales"),
            ["product"] = ("Product", "Product Management"),
            ["pricelevel"] = ("Price List", "Product Management"),
        };

        /// <summary>Columns an app adds to a table (the msdyn_ columns of Dynamics 365 Sales).</summary>
        public static readonly IReadOnlyDictionary<(string Table, string Column), (string DisplayName, string Solution)> Columns = new Dictionary<(string, string), (string, string)>
        {
            [("opportunity", "msdyn_forecastcategory")] = ("Forecast category", "Sales"),
        };

        /// <summary>What the source uses from the apps: the tables it extends or registers steps and relationships on, and the app columns its steps read.</summary>
        public static IReadOnlyList<RequiredComponent> Required(SolutionSource s)
        {
            var tables = s.Tables.Where(t => !t.IsNew).Select(t => t.LogicalName)
                .Concat(s.Steps.Select(st => st.PrimaryEntity ?? ""))
                .Concat(s.Relationships.SelectMany(r => new[] { r.ReferencedEntity, r.ReferencingEntity }))
                .Where(Tables.ContainsKey).Distinct().OrderBy(t => t, StringComparer.Ordinal)
                .Select(t => new RequiredComponent(1, t, null, Tables[t].DisplayName, Tables[t].Solution));
            var columns = s.Steps.SelectMany(st => st.FilteringAttributes.Concat(st.Images.SelectMany(i => i.Attributes)).Select(c => (Table: st.PrimaryEntity ?? "", Column: c)))
                .Where(Columns.ContainsKey).Distinct().OrderBy(c => c.Table + "." + c.Column, StringComparer.Ordinal)
                .Select(c => new RequiredComponent(2, c.Column, c.Table, Columns[c].DisplayName, Columns[c].Solution));
            return tables.Concat(columns).ToList();
        }

        /// <summary>The &lt;MissingDependencies&gt; of a solution.xml (the source's Other/Solution.xml or a zip's).</summary>
        public static IReadOnlyList<MissingDependency> Read(XDocument solutionXml) =>
            solutionXml.Root?.Element("SolutionManifest")?.Element("MissingDependencies")?.Elements("MissingDependency").Select(m =>
            {
                var r = m.Element("Required");
                var d = m.Element("Dependent");
                var required = new RequiredComponent(int.TryParse((string?)r?.Attribute("type"), out var rt) ? rt : 0, (string?)r?.Attribute("schemaName") ?? "",
                    (string?)r?.Attribute("parentSchemaName"), (string?)r?.Attribute("displayName") ?? "", (string?)r?.Attribute("solution") ?? "");
                return new MissingDependency(required, int.TryParse((string?)d?.Attribute("type"), out var dt) ? dt : 0,
                    (string?)d?.Attribute("schemaName") ?? (string?)d?.Attribute("id") ?? "", (string?)d?.Attribute("parentSchemaName"));
            }).ToList() ?? new List<MissingDependency>();

        /// <summary>Solution.xml declares exactly what the source needs from the apps, each for a component the solution has.</summary>
        public static IReadOnlyList<string> Problems(SolutionSource s)
        {
            var problems = new List<string>();
            var declared = Read(XDocument.Load(Path.Combine(s.Folder, "Other", "Solution.xml")));
            static string Key(RequiredComponent r) => $"{r.Type}:{r.Parent}:{r.SchemaName}";
            var needed = Required(s);
            foreach (var r in needed.Where(r => declared.All(d => Key(d.Required) != Key(r))))
                problems.Add($"Other/Solution.xml: <MissingDependencies> does not declare {r.Describe()} ({r.Solution}), which the solution needs: an environment without it would fail the import without saying so");
            foreach (var d in declared.Where(d => needed.All(r => Key(r) != Key(d.Required))).GroupBy(d => Key(d.Required)).Select(g => g.First()))
                problems.Add($"Other/Solution.xml: <MissingDependencies> declares {d.Required.Describe()}, which the solution does not use");
            foreach (var d in declared.Where(d => !HasComponent(s, d)))
                problems.Add($"Other/Solution.xml: the <Dependent type=\"{d.DependentType}\"> '{d.Dependent}' of {d.Required.Describe()} is not a component of the solution");
            return problems;
        }

        private static bool HasComponent(SolutionSource s, MissingDependency d) => d.DependentType switch
        {
            2 => s.Table(d.DependentParent ?? "")?.Column(d.Dependent) != null,
            10 => s.Relationships.Any(r => string.Equals(r.Name, d.Dependent, StringComparison.OrdinalIgnoreCase)),
            26 => Guid.TryParse(d.Dependent, out var view) && s.Tables.Any(t => t.Views.Any(v => v.Id == view)),
            59 => Guid.TryParse(d.Dependent, out var chart) && s.Tables.Any(t => t.Charts.Any(c => c.Id == chart)),
            60 => Guid.TryParse(d.Dependent, out var form) && s.Tables.Any(t => t.FormIds.Contains(form)),
            92 => Guid.TryParse(d.Dependent, out var step) && s.Steps.Any(st => st.Id == step),
            _ => false,
        };
    }
}
