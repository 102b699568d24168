using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Xml.Linq;

namespace CrmPlugins.SolutionModel
{
    /// <summary>A solution-aware cloud flow: Workflows/&lt;name&gt;-&lt;GUID&gt;.json with its .json.data.xml (Category 5).</summary>
    public sealed record CloudFlowDefinition(Guid Id, string Name, int Category, int StateCode, string JsonFileName, string DataFile, string JsonFile)
    {
        /// <summary>The flow's JSON file inside the zip (JsonFileName without its leading slash).</summary>
        public string ZipPath => JsonFileName.TrimStart('/');
    }

    /// <summary>
    /// Reads and checks the cloud flows of Solution/Workflows in the shape real exports have (e.g. microsoft/coe-starter-kit
    /// CenterofExcellenceALMAccelerator/SolutionPackage/src/Workflows/UpdateReleaseHistoryScheduled-D827D8D5-0C3B-ED11-9DB1-0022489E2A9E.json(.data.xml),
    /// commit 53fa930d3618f74196fc078f44644899468c1b56): the data file names the JSON with JsonFileName "/Workflows/...", Category 5,
    /// PrimaryEntity none; the JSON's properties.connectionReferences name connection references that Other/Customizations.xml declares.
    /// </summary>
    public static class CloudFlowSource
    {
        public const int ModernFlowCategory = 5;

        public static IReadOnlyList<CloudFlowDefinition> Read(string solutionFolder)
        {
            var folder = Path.Combine(solutionFolder, "Workflows");
            if (!Directory.Exists(folder)) return Array.Empty<CloudFlowDefinition>();
            return Directory.EnumerateFiles(folder, "*.json.data.xml").OrderBy(f => f, StringComparer.Ordinal).Select(file =>
            {
                var root = Xml.Load(file, "Workflow").Root!;
                var json = Xml.Text(file, root, "JsonFileName");
                var jsonFile = Path.Combine(solutionFolder, json.TrimStart('/').Replace('/', Path.DirectorySeparatorChar));
                if (!File.Exists(jsonFile)) throw new SolutionFormatException(file, $"<JsonFileName> {json} does not exist");
                int Int(string name) => int.TryParse(root.Element(name)?.Value, out var v) ? v : -1;
                return new CloudFlowDefinition(Xml.Guid(file, root.Attribute("WorkflowId")?.Value, "WorkflowId"), Xml.Attr(file, root, "Name"), Int("Category"), Int("StateCode"), json, file, jsonFile);
            }).ToList();
        }

        /// <summary>The connection references Other/Customizations.xml declares: logical name and connector id.</summary>
        public static IReadOnlyDictionary<string, string> ConnectionReferences(SolutionSource solution) =>
            solution.Customizations.Root!.Element("connectionreferences")?.Elements("connectionreference")
                .ToDictionary(c => (string?)c.Attribute("connectionreferencelogicalname") ?? "", c => c.Element("connectorid")?.Value.Trim() ?? "", StringComparer.Ordinal)
            ?? new Dictionary<string, string>();

        public static IReadOnlyList<string> Validate(SolutionSource solution, IReadOnlyList<CloudFlowDefinition> flows)
        {
            var problems = new List<string>();
            string Rel(string path) => Path.GetRelativePath(solution.Folder, path).Replace('\\', '/');
            var references = ConnectionReferences(solution);
            foreach (var flow in flows)
            {
                var at = Rel(flow.DataFile);
                if (flow.Category != ModernFlowCategory) problems.Add($"{at}: <Category> is {flow.Category}; a cloud flow is 5");
                if (!flow.JsonFileName.StartsWith("/Workflows/", StringComparison.Ordinal)) problems.Add($"{at}: <JsonFileName> must start with /Workflows/ (the part URI in the zip)");
                var expectedName = "-" + flow.Id.ToString("D").ToUpperInvariant() + ".json";
                if (!flow.JsonFileName.EndsWith(expectedName, StringComparison.Ordinal)) problems.Add($"{at}: <JsonFileName> does not end with the upper-case WorkflowId ({expectedName})");

                JsonDocument document;
                try
                {
                    document = JsonDocument.Parse(File.ReadAllText(flow.JsonFile));
                }
                catch (JsonException ex)
                {
                    problems.Add($"{Rel(flow.JsonFile)}: not valid JSON ({ex.Message})");
                    continue;
                }

                using (document)
                {
                    if (!document.RootElement.TryGetProperty("properties", out var properties) || !properties.TryGetProperty("definition", out var definition) ||
                        !definition.TryGetProperty("triggers", out var triggers) || triggers.ValueKind != JsonValueKind.Object || !triggers.EnumerateObject().Any())
                    {
                        problems.Add($"{Rel(flow.JsonFile)}: properties.definition.triggers is missing or empty");
                        continue;
                    }

                    if (properties.TryGetProperty("connectionReferences", out var used) && used.ValueKind == JsonValueKind.Object)
                        foreach (var reference in used.EnumerateObject())
                        {
                            var logical = reference.Value.TryGetProperty("connection", out var c) && c.TryGetProperty("connectionReferenceLogicalName", out var n) ? n.GetString() : null;
                            var api = reference.Value.TryGetProperty("api", out var a) && a.TryGetProperty("name", out var an) ? an.GetString() : null;
                            if (logical == null || !references.TryGetValue(logical, out var connector))
                                problems.Add($"{Rel(flow.JsonFile)}: the connection reference '{logical}' is not declared in Other/Customizations.xml <connectionreferences>");
                            else if (api == null || !connector.EndsWith("/" + api, StringComparison.Ordinal))
                                problems.Add($"{Rel(flow.JsonFile)}: the connection reference '{logical}' is for {connector}, not the api '{api}'");
                        }
                }
            }

            return problems;
        }
    }
}
