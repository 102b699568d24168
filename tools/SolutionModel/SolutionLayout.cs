using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;

namespace CrmPlugins.SolutionModel
{
    /// <summary>
    /// What Microsoft's SolutionPackager needs of the source to pack it whole, and what Dataverse needs of
    /// Solution.xml to track the components: each checked here, since the packer itself drops what it cannot
    /// place without a word (found by packing Solution/ with SolutionPackager 9.1.0.179, tests/Solution.Tests/MicrosoftPackagerTests.cs).
    /// </summary>
    public static class SolutionLayout
    {
        /// <summary>Solution component types (Microsoft's componenttype choice) of the root components this solution has.</summary>
        public static class ComponentType
        {
            public const int Entity = 1;
            public const int OptionSet = 9;
            public const int Role = 20;
            public const int Workflow = 29;
            public const int SystemForm = 60;
            public const int SiteMap = 62;
            public const int FieldSecurityProfile = 70;
            public const int AppModule = 80;
            public const int PluginAssembly = 91;
            public const int SdkMessageProcessingStep = 92;
        }

        /// <summary>Every problem found, one line each naming the file; empty when the layout is sound.</summary>
        public static IReadOnlyList<string> Validate(SolutionSource solution)
        {
            var problems = new List<string>();
            var root = solution.Customizations.Root!;

            // The packer fills a slot of Other/Customizations.xml from its folder only when the slot is there.
            void NeedSlot(string slot, bool needed, string what)
            {
                if (needed && root.Element(slot) == null)
                    problems.Add($"Other/Customizations.xml: <{slot} /> is missing, so Microsoft's SolutionPackager leaves out {what}");
            }

            NeedSlot("SolutionPluginAssemblies", solution.PluginAssemblies.Count > 0, "the plugin assemblies of PluginAssemblies/");
            NeedSlot("SdkMessageProcessingSteps", solution.Steps.Count > 0, "the steps of SdkMessageProcessingSteps/");
            NeedSlot("AppModuleSiteMaps", solution.SiteMaps.Count > 0, "the site maps of AppModuleSiteMaps/");
            NeedSlot("AppModules", solution.AppModules.Count > 0, "the apps of AppModules/");
            NeedSlot("Dashboards", solution.Dashboards.Count > 0, "the dashboards of Dashboards/");
            NeedSlot("FieldSecurityProfiles", solution.FieldSecurityProfiles.Count > 0, "the profiles of Other/FieldSecurityProfiles.xml");
            NeedSlot("EntityRelationships", solution.Relationships.Count > 0, "the relationships of Other/Relationships/");
            if (root.Element("FieldSecurityProfiles")?.Elements("FieldSecurityProfile").Any() == true)
                problems.Add("Other/Customizations.xml: field security profiles written inline are skipped by Microsoft's SolutionPackager; they belong in Other/FieldSecurityProfiles.xml");

            var indexed = solution.RelationshipIndex.ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var r in solution.Relationships.Where(r => !indexed.Contains(r.Name)))
                problems.Add($"Other/Relationships.xml: the relationship {r.Name} of Other/Relationships/ is not listed, so Microsoft's SolutionPackager leaves it out");
            var defined = solution.Relationships.Select(r => r.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var name in solution.RelationshipIndex.Where(n => !defined.Contains(n)))
                problems.Add($"Other/Relationships.xml: lists the relationship {name}, which no file of Other/Relationships/ defines");

            // Microsoft's packer places a table's charts only where its Entity.xml has the <Visualizations /> slot, and drops them silently otherwise.
            foreach (var table in solution.Tables.Where(t => t.Charts.Count > 0 && XElement.Load(Path.Combine(t.Folder, "Entity.xml")).Element("Visualizations") == null))
                problems.Add($"{Rel(solution, table.Folder)}/Entity.xml: <Visualizations /> is missing, so Microsoft's SolutionPackager leaves out the charts of Visualizations/");
            foreach (var table in solution.Tables.Where(t => !File.Exists(Path.Combine(t.Folder, "RibbonDiff.xml"))))
                problems.Add($"{Rel(solution, table.Folder)}: RibbonDiff.xml is missing (Microsoft's extractor writes one for every table)");

            problems.AddRange(RootComponentProblems(solution));
            problems.AddRange(AppDependencies.Problems(solution));
            problems.AddRange(ChartChecks.Problems(solution));
            return problems;
        }

        /// <summary>
        /// Solution.xml must list every component of the source as a root component, and nothing else: Dataverse tracks
        /// upgrades and uninstalls by this list, and Microsoft's packer refuses to pack ("RootComponent validation failed")
        /// when an assembly or step in customizations.xml is not in it.
        /// </summary>
        public static IReadOnlyList<string> RootComponentProblems(SolutionSource solution)
        {
            var problems = new List<string>();
            var expected = Expected(solution).ToList();
            var listed = solution.Manifest.RootComponents.Select(Key).ToList();
            foreach (var (key, what) in expected.Where(e => !listed.Contains(e.Key)))
            {
                var line = Line(key);
                // An assembly's root component carries its full name too, as exports write it.
                if (key.Type == ComponentType.PluginAssembly && solution.PluginAssemblies.FirstOrDefault(p => "{" + p.Id + "}" == key.Name) is { } assembly)
                    line = line.Replace(" behavior=", $" schemaName=\"{assembly.FullName}\" behavior=", StringComparison.Ordinal);
                problems.Add($"Other/Solution.xml: {what} is not a root component; add {line}");
            }
            var known = expected.Select(e => e.Key).ToHashSet();
            foreach (var key in listed.Where(k => !known.Contains(k)))
                problems.Add($"Other/Solution.xml: the root component {Line(key)} names nothing in the solution");
            foreach (var group in listed.GroupBy(k => k).Where(g => g.Count() > 1))
                problems.Add($"Other/Solution.xml: the root component {Line(group.Key)} is listed {group.Count()} times");
            foreach (var rc in solution.Manifest.RootComponents.Where(rc => (string?)rc.Attribute("type") == "91"))
            {
                var id = ParseId((string?)rc.Attribute("id"));
                var assembly = solution.PluginAssemblies.FirstOrDefault(p => p.Id == id);
                if (assembly != null && (string?)rc.Attribute("schemaName") != assembly.FullName)
                    problems.Add($"Other/Solution.xml: the plugin assembly {{{id}}} has schemaName '{(string?)rc.Attribute("schemaName")}', not its full name '{assembly.FullName}'");
            }

            return problems;
        }

        /// <summary>A root component's identity: its type and its id (lower-case, braced) or its schema name.</summary>
        public readonly record struct RootKey(int Type, string Name);

        private static RootKey Key(XElement rc)
        {
            var type = int.TryParse((string?)rc.Attribute("type"), out var t) ? t : -1;
            var id = (string?)rc.Attribute("id");
            return id != null ? new RootKey(type, "{" + ParseId(id) + "}") : new RootKey(type, ((string?)rc.Attribute("schemaName") ?? "").ToLowerInvariant());
        }

        private static Guid ParseId(string? text) => Guid.TryParse(text, out var g) ? g : Guid.Empty;

        private static string Line(RootKey key) => key.Name.StartsWith('{')
            ? $"<RootComponent type=\"{key.Type}\" id=\"{key.Name}\" behavior=\"0\" />"
            : $"<RootComponent type=\"{key.Type}\" schemaName=\"{key.Name}\" behavior=\"0\" />";

        private static IEnumerable<(RootKey Key, string What)> Expected(SolutionSource s)
        {
            static string Id(Guid g) => "{" + g + "}";
            foreach (var t in s.Tables) yield return (new RootKey(ComponentType.Entity, t.LogicalName), $"the table {t.LogicalName}");
            foreach (var o in s.OptionSets) yield return (new RootKey(ComponentType.OptionSet, o.Name.ToLowerInvariant()), $"the choice {o.Name}");
            foreach (var r in s.Roles) yield return (new RootKey(ComponentType.Role, Id(r.Id)), $"the role {r.Name}");
            foreach (var w in s.Workflows) yield return (new RootKey(ComponentType.Workflow, Id(w.Id)), $"the workflow {w.Name}");
            foreach (var f in CloudFlowSource.Read(s.Folder)) yield return (new RootKey(ComponentType.Workflow, Id(f.Id)), $"the cloud flow {f.Name}");
            foreach (var d in s.Dashboards) yield return (new RootKey(ComponentType.SystemForm, Id(d.FormId)), $"the dashboard {d.Name}");
            foreach (var m in s.SiteMaps) yield return (new RootKey(ComponentType.SiteMap, m.ToLowerInvariant()), $"the site map {m}");
            foreach (var p in s.FieldSecurityProfiles) yield return (new RootKey(ComponentType.FieldSecurityProfile, Id(p.Id)), $"the field security profile {p.Name}");
            foreach (var a in s.AppModules) yield return (new RootKey(ComponentType.AppModule, a.UniqueName.ToLowerInvariant()), $"the app {a.UniqueName}");
            foreach (var a in s.PluginAssemblies) yield return (new RootKey(ComponentType.PluginAssembly, Id(a.Id)), $"the plugin assembly {a.Name}");
            foreach (var st in s.Steps) yield return (new RootKey(ComponentType.SdkMessageProcessingStep, Id(st.Id)), $"the step {Rel(s, st.SourceFile)}");
        }

        private static string Rel(SolutionSource s, string path) => Path.GetRelativePath(s.Folder, path).Replace('\\', '/');
    }
}
