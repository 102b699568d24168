using System;
using System.Collections.Generic;
using System.Linq;

namespace CrmPlugins.SolutionModel
{
    /// <summary>
    /// Checks the solution source against the built assemblies, so the registration cannot drift from the code:
    /// steps and activities name types that exist, every plugin class has a step, filtering attributes and image
    /// columns are columns of their tables, workflows call registered activities with arguments the class has,
    /// ids are unique, and every column the code's schema constants name exists.
    /// </summary>
    public static class SolutionValidator
    {
        /// <summary>Every problem found, one line each naming the file; empty when the solution is sound.</summary>
        public static IReadOnlyList<string> Validate(SolutionSource solution, IReadOnlyCollection<AssemblyInspector> assemblies, string? schemaNamespace = "DealRisk.Plugins.Schema")
        {
            var problems = new List<string>();
            var byName = assemblies.ToDictionary(a => a.Name, StringComparer.Ordinal);
            string Rel(string file) => System.IO.Path.GetRelativePath(solution.Folder, file).Replace('\\', '/');

            // Registered assemblies and their types.
            foreach (var pa in solution.PluginAssemblies)
            {
                if (!byName.TryGetValue(pa.Name, out var built))
                {
                    problems.Add($"{Rel(pa.DataFile)}: the assembly {pa.Name} was not built or not given to pack");
                    continue;
                }

                if (!string.Equals(pa.FullName, built.FullName, StringComparison.Ordinal))
                    problems.Add($"{Rel(pa.DataFile)}: FullName is '{pa.FullName}' but the built assembly is '{built.FullName}'");
                foreach (var t in pa.Types)
                {
                    var type = built.Type(t.TypeName);
                    if (type == null || !type.IsPublic || type.IsAbstract)
                        problems.Add($"{Rel(pa.DataFile)}: the type {t.TypeName} is not a public class of {pa.Name}");
                    else if (t.WorkflowActivityGroupName != null && !built.IsA(type, "System.Activities.CodeActivity"))
                        problems.Add($"{Rel(pa.DataFile)}: {t.TypeName} is registered as a workflow activity but is not a CodeActivity");
                    else if (t.WorkflowActivityGroupName == null && !built.IsA(type, "Microsoft.Xrm.Sdk.IPlugin"))
                        problems.Add($"{Rel(pa.DataFile)}: {t.TypeName} is registered as a plugin but does not implement IPlugin");
                }

                foreach (var activity in built.ActivityTypes.Where(a => pa.Types.All(t => t.TypeName != a.FullName)))
                    problems.Add($"{Rel(pa.DataFile)}: the workflow activity {activity.FullName} of {pa.Name} is not registered");
                foreach (var plugin in built.PluginTypes.Where(p => pa.Types.All(t => t.TypeName != p.FullName)))
                    problems.Add($"{Rel(pa.DataFile)}: the plugin class {plugin.FullName} of {pa.Name} is not registered");
            }

            // Steps.
            var pluginTypes = assemblies.SelectMany(a => a.PluginTypes.Select(t => (Assembly: a, Type: t))).ToList();
            foreach (var step in solution.Steps)
            {
                var file = Rel(step.SourceFile);
                if (!byName.TryGetValue(step.PluginAssemblyName, out var built) || built.Type(step.PluginTypeFullName) is not { } type || !built.IsA(type, "Microsoft.Xrm.Sdk.IPlugin"))
                    problems.Add($"{file}: the step names the plugin type {step.PluginTypeFullName}, which is not a plugin in the built {step.PluginAssemblyName}");
                else if (!solution.PluginAssemblies.Any(pa => pa.Types.Any(t => t.TypeName == step.PluginTypeFullName)))
                    problems.Add($"{file}: the plugin type {step.PluginTypeFullName} is not registered in PluginAssemblies/");
                if (SdkMessages.IdOf(step.Message) == null && !SdkMessages.ReadFromEnvironment.Contains(step.Message, StringComparer.OrdinalIgnoreCase))
                    problems.Add($"{file}: the message '{step.Message}' has no well-known id and is not one deploy reads from the environment ({string.Join(", ", SdkMessages.ReadFromEnvironment)})");
                else if (step.SdkMessageId is Guid given && SdkMessages.NameOf(given) == null)
                    problems.Add($"{file}: SdkMessageId {given:D} is not a well-known message id: the id of {step.Message} differs by environment, so leave SdkMessageId empty and deploy reads it");
                if (step.PrimaryEntity is { } table)
                {
                    foreach (var column in step.FilteringAttributes.Where(c => !IsColumn(solution, table, c)))
                        problems.Add($"{file}: the filtering attribute '{column}' is not a column of {table}");
                    foreach (var image in step.Images)
                        foreach (var column in image.Attributes.Where(c => !IsColumn(solution, table, c)))
                            problems.Add($"{file}: the image '{image.EntityAlias}' asks for '{column}', which is not a column of {table}");
                }
            }

            // A Custom API's plugin is its main operation: it has the API instead of a step.
            var customApis = CustomApiSource.Read(solution.Folder);
            problems.AddRange(CustomApiSource.Validate(solution, customApis));
            problems.AddRange(CloudFlowSource.Validate(solution, CloudFlowSource.Read(solution.Folder)));
            var apiPluginTypes = solution.PluginAssemblies.SelectMany(a => a.Types).Where(t => customApis.Any(c => c.PluginTypeId == t.Id)).Select(t => t.TypeName).ToHashSet(StringComparer.Ordinal);
            foreach (var (assembly, type) in pluginTypes.Where(p => solution.Steps.All(s => s.PluginTypeFullName != p.Type.FullName) && !apiPluginTypes.Contains(p.Type.FullName)))
                problems.Add($"SdkMessageProcessingSteps/: the plugin class {type.FullName} of {assembly.Name} has no step");

            // Workflows.
            var activities = solution.PluginAssemblies.SelectMany(pa => pa.Types.Where(t => t.WorkflowActivityGroupName != null).Select(t => (Assembly: pa.Name, Type: t.TypeName))).ToList();
            foreach (var wf in solution.Workflows)
            {
                if (!IsTable(solution, wf.PrimaryEntity)) problems.Add($"{Rel(wf.DataFile)}: the primary entity '{wf.PrimaryEntity}' is not a table");
                foreach (var column in wf.TriggerOnUpdateAttributes.Where(c => !IsColumn(solution, wf.PrimaryEntity, c)))
                    problems.Add($"{Rel(wf.DataFile)}: the trigger column '{column}' is not a column of {wf.PrimaryEntity}");
                foreach (var problem in wf.Xaml.Problems) problems.Add($"{Rel(wf.XamlFile)}: {problem}");
                foreach (var call in wf.Activities)
                {
                    if (!activities.Contains((call.AssemblyName, call.TypeFullName)))
                    {
                        problems.Add($"{Rel(wf.XamlFile)}: the workflow calls {call.TypeFullName} ({call.AssemblyName}), which is not a registered workflow activity");
                        continue;
                    }

                    if (byName.TryGetValue(call.AssemblyName, out var built) && built.Type(call.TypeFullName) is { } type)
                    {
                        var properties = built.AllProperties(type).ToHashSet(StringComparer.Ordinal);
                        foreach (var argument in call.Arguments.Keys.Where(a => !properties.Contains(a)))
                            problems.Add($"{Rel(wf.XamlFile)}: {call.TypeFullName} has no argument '{argument}'");
                    }
                }
            }

            // Ids repeat.
            var ids = new List<(Guid Id, string Where)>();
            ids.AddRange(solution.Steps.Select(s => (s.Id, Rel(s.SourceFile))));
            ids.AddRange(solution.PluginAssemblies.Select(p => (p.Id, Rel(p.DataFile))));
            ids.AddRange(solution.PluginAssemblies.SelectMany(p => p.Types.Select(t => (t.Id, Rel(p.DataFile) + " " + t.TypeName))));
            ids.AddRange(solution.Workflows.Select(w => (w.Id, Rel(w.DataFile))));
            ids.AddRange(solution.Roles.Select(r => (r.Id, "Roles/" + r.Name)));
            ids.AddRange(solution.Tables.SelectMany(t => t.FormIds.Select(f => (f, Rel(t.Folder) + "/FormXml"))));
            ids.AddRange(solution.Tables.SelectMany(t => t.Views.Select(v => (v.Id, Rel(t.Folder) + "/SavedQueries " + v.Name))));
            foreach (var group in ids.GroupBy(i => i.Id).Where(g => g.Count() > 1))
                problems.Add($"the id {group.Key} repeats: {string.Join(", ", group.Select(g => g.Where))}");

            // Columns the code names.
            if (schemaNamespace != null)
            {
                foreach (var assembly in assemblies)
                {
                    foreach (var type in assembly.Types.Where(t => t.FullName.StartsWith(schemaNamespace + ".", StringComparison.Ordinal) && t.StringConstants.ContainsKey("EntityName")))
                    {
                        var table = type.StringConstants["EntityName"];
                        if (!IsTable(solution, table))
                        {
                            problems.Add($"{assembly.Name}: {type.FullName} names the table '{table}', which is neither in the solution nor a standard table");
                            continue;
                        }

                        foreach (var (constant, column) in type.StringConstants.Where(c => c.Key != "EntityName"))
                            if (!IsColumn(solution, table, column))
                                problems.Add($"{assembly.Name}: {type.FullName}.{constant} names the column '{column}', which is not a column of {table} in the solution");
                    }
                }
            }

            // Model-driven apps: their tables, site maps and roles exist.
            foreach (var app in solution.AppModules)
            {
                foreach (var table in app.Tables.Where(t => !IsTable(solution, t)))
                    problems.Add($"{Rel(app.File)}: the app shows the table '{table}', which is neither in the solution nor a standard table");
                foreach (var siteMap in app.SiteMaps.Where(m => !solution.SiteMaps.Contains(m)))
                    problems.Add($"{Rel(app.File)}: the app's site map '{siteMap}' is not in AppModuleSiteMaps/");
                foreach (var role in app.RoleIds.Where(r => solution.Roles.All(x => x.Id != r)))
                    problems.Add($"{Rel(app.File)}: the app is given to the role {role}, which is not in Roles/");
            }

            // Option sets that columns use.
            var globalSets = solution.OptionSets.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var table in solution.Tables)
                foreach (var column in table.Columns.Where(c => c.Type == "picklist" && c.OptionSetName != null && c.OptionSetName.StartsWith(solution.Manifest.CustomizationPrefix + "_", StringComparison.Ordinal) && !globalSets.Contains(c.OptionSetName)))
                    problems.Add($"{Rel(table.Folder)}/Entity.xml: the column {column.LogicalName} uses the option set {column.OptionSetName}, which is not in OptionSets/");
            problems.AddRange(SolutionLayout.Validate(solution));
            return problems.Distinct().ToList();
        }

        /// <summary>Whether the table exists: defined by the solution or one of Microsoft's standard tables.</summary>
        public static bool IsTable(SolutionSource solution, string table) => solution.Table(table) != null || StandardTables.Columns.ContainsKey(table);

        /// <summary>Whether the column exists on the table: defined by the solution, standard, or a system column (money columns have a _base twin).</summary>
        public static bool IsColumn(SolutionSource solution, string table, string column) => TypeOf(solution, table, column) != null ||
            (column.EndsWith("_base", StringComparison.Ordinal) && TypeOf(solution, table, column[..^5]) == "money");

        /// <summary>The column's solution type ("money", "lookup:systemuser", ...), or null when the table has no such column.</summary>
        public static string? TypeOf(SolutionSource solution, string table, string column)
        {
            var defined = solution.Table(table);
            if (defined?.Column(column) is { } c) return c.Type == "lookup" && c.Targets.Count == 1 ? "lookup:" + c.Targets[0] : c.Type;
            if (defined != null && column == defined.PrimaryIdAttribute) return "primarykey";
            if (StandardTables.Types.TryGetValue(table, out var standard) && standard.TryGetValue(column, out var type)) return type;
            return StandardTables.SystemColumnTypes.TryGetValue(column, out var system) ? system : null;
        }
    }
}
