using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;

namespace CrmPlugins.SolutionModel
{
    /// <summary>
    /// What the schema cannot see of charts and dashboards: Microsoft's schema leaves a chart's datadescription and
    /// presentationdescription untyped, and a dashboard names its views and charts by id. A chart whose FetchXML is not an
    /// aggregate of its own table's columns, or whose categories and measures name aliases the fetch does not return, is
    /// refused by Dataverse when someone opens it, long after the import; a dashboard cell naming a view or chart nobody ships
    /// shows an error in the app. Checked here, one line per problem naming the file.
    /// </summary>
    public static class ChartChecks
    {
        public static IReadOnlyList<string> Problems(SolutionSource solution)
        {
            var problems = new List<string>();
            string Rel(string file) => Path.GetRelativePath(solution.Folder, file).Replace('\\', '/');

            foreach (var table in solution.Tables)
                foreach (var chart in table.Charts)
                {
                    var file = Rel(chart.File);
                    if ((string?)chart.Fetch.Attribute("aggregate") != "true")
                        problems.Add($"{file}: the chart's fetch is not aggregate=\"true\"");
                    var entity = chart.Fetch.Element("entity");
                    if ((string?)entity?.Attribute("name") != table.LogicalName)
                    {
                        problems.Add($"{file}: the chart's fetch queries '{(string?)entity?.Attribute("name")}', not its table {table.LogicalName}");
                        continue;
                    }

                    var attributes = entity!.Elements("attribute").ToList();
                    foreach (var a in attributes)
                    {
                        var column = (string?)a.Attribute("name") ?? "";
                        if (!IsColumn(table, column))
                            problems.Add($"{file}: the chart's fetch reads '{column}', which is not a column of {table.LogicalName}");
                        if (a.Attribute("alias") == null)
                            problems.Add($"{file}: the chart's fetch attribute '{column}' has no alias, which an aggregate fetch needs");
                    }

                    var aliases = attributes.Select(a => (string?)a.Attribute("alias")).OfType<string>().ToHashSet(StringComparer.Ordinal);
                    var groups = attributes.Where(a => (string?)a.Attribute("groupby") == "true").Select(a => (string)a.Attribute("alias")!).ToList();
                    var categories = chart.DataDefinition.Element("categorycollection")?.Elements("category").ToList() ?? new List<XElement>();
                    if (categories.Count == 0) problems.Add($"{file}: the chart has no <category>");
                    foreach (var category in categories)
                    {
                        var alias = (string?)category.Attribute("alias");
                        if (alias == null || !groups.Contains(alias))
                            problems.Add($"{file}: the category '{alias}' is not a group-by alias of the chart's fetch ({string.Join(", ", groups)})");
                        foreach (var measure in category.Descendants("measure").Select(m => (string?)m.Attribute("alias")))
                            if (measure == null || !aliases.Contains(measure) || groups.Contains(measure))
                                problems.Add($"{file}: the measure '{measure}' is not an aggregate alias of the chart's fetch");
                    }

                    // One series is drawn per measure collection; a chart with fewer series than measures draws the rest with defaults.
                    var series = chart.Presentation.Element("Series")?.Elements("Series").Count() ?? 0;
                    var measures = categories.Sum(c => c.Elements("measurecollection").Count());
                    if (series != measures)
                        problems.Add($"{file}: the presentation draws {series} series for {measures} measure collections");
                }

            var views = solution.Tables.SelectMany(t => t.Views.Select(v => (t.LogicalName, v.Id))).ToHashSet();
            var charts = solution.Tables.SelectMany(t => t.Charts.Select(c => (t.LogicalName, c.Id))).ToHashSet();
            foreach (var dashboard in solution.Dashboards)
            {
                var file = Rel(dashboard.File);
                foreach (var (table, view, chart) in dashboard.Cells)
                {
                    if (!views.Contains((table, view)))
                        problems.Add($"{file}: a cell shows the view {{{view}}} of {table}, which the solution does not ship");
                    if (chart is { } c && !charts.Contains((table, c)))
                        problems.Add($"{file}: a cell shows the chart {{{c}}} of {table}, which the solution does not ship");
                }

                var inApp = solution.AppModules.Any(a => XDocument.Load(a.File).Descendants("AppModuleComponent")
                    .Any(c => (string?)c.Attribute("type") == "60" && Guid.TryParse((string?)c.Attribute("id"), out var id) && id == dashboard.FormId));
                if (solution.AppModules.Count > 0 && !inApp)
                    problems.Add($"{file}: the dashboard {dashboard.Name} is not a component of the app (AppModuleComponent type=\"60\")");
            }

            return problems;
        }

        private static bool IsColumn(TableDefinition table, string column) =>
            column == table.PrimaryIdAttribute || table.Column(column) != null || StandardTables.SystemColumnTypes.ContainsKey(column)
            || (StandardTables.Columns.TryGetValue(table.LogicalName, out var standard) && standard.Contains(column));
    }
}
