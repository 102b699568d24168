using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Xml.Linq;

namespace CrmPlugins.SolutionModel
{
    /// <summary>A request parameter or response property of a Custom API, as its file declares it.</summary>
    public sealed record CustomApiField(string UniqueName, string Name, int Type, bool? IsOptional, string File);

    /// <summary>A Custom API of the solution source: customapis/&lt;uniquename&gt;/customapi.xml and its parameter folders.</summary>
    public sealed record CustomApiDefinition(string UniqueName, string Name, int BindingType, int AllowedCustomProcessingStepType, bool IsFunction, Guid? PluginTypeId,
        IReadOnlyList<CustomApiField> RequestParameters, IReadOnlyList<CustomApiField> ResponseProperties, string Folder);

    /// <summary>
    /// Reads and checks the Custom APIs in the layout Microsoft documents for solution files
    /// (learn.microsoft.com/power-apps/developer/data-platform/create-custom-api-solution): a folder per API named by its
    /// uniquename, customapirequestparameters/&lt;uniquename&gt;/customapirequestparameter.xml and
    /// customapiresponseproperties/&lt;uniquename&gt;/customapiresponseproperty.xml, each named "&lt;api&gt;.&lt;uniquename&gt;".
    /// </summary>
    public static class CustomApiSource
    {
        public const string FolderName = "customapis";

        public static IReadOnlyList<CustomApiDefinition> Read(string solutionFolder)
        {
            var root = Path.Combine(solutionFolder, FolderName);
            if (!Directory.Exists(root)) return Array.Empty<CustomApiDefinition>();
            return Directory.EnumerateDirectories(root).OrderBy(d => d, StringComparer.Ordinal).Select(ReadApi).ToList();
        }

        /// <summary>Every file of the Custom APIs, relative to the solution folder with '/' (they go into the zip as they are).</summary>
        public static IEnumerable<string> Files(string solutionFolder)
        {
            var root = Path.Combine(solutionFolder, FolderName);
            if (!Directory.Exists(root)) return Enumerable.Empty<string>();
            return Directory.EnumerateFiles(root, "*.xml", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(solutionFolder, f).Replace('\\', '/')).OrderBy(f => f, StringComparer.Ordinal);
        }

        private static CustomApiDefinition ReadApi(string folder)
        {
            var file = Path.Combine(folder, "customapi.xml");
            if (!File.Exists(file)) throw new SolutionFormatException(folder, "a Custom API folder without customapi.xml");
            var xml = Xml.Load(file, "customapi").Root!;
            Guid? pluginType = null;
            var id = xml.Element("plugintypeid")?.Element("plugintypeid")?.Value.Trim();
            if (!string.IsNullOrEmpty(id))
                pluginType = Guid.TryParse(id, out var g) ? g : throw new SolutionFormatException(file, $"plugintypeid '{id}' is not a GUID");
            return new CustomApiDefinition(Xml.Attr(file, xml, "uniquename"), Xml.Text(file, xml, "name"), Number(file, xml, "bindingtype"),
                Number(file, xml, "allowedcustomprocessingsteptype"), Number(file, xml, "isfunction") == 1, pluginType,
                Fields(folder, "customapirequestparameters", "customapirequestparameter"), Fields(folder, "customapiresponseproperties", "customapiresponseproperty"), folder);
        }

        private static IReadOnlyList<CustomApiField> Fields(string apiFolder, string folderName, string element)
        {
            var folder = Path.Combine(apiFolder, folderName);
            if (!Directory.Exists(folder)) return Array.Empty<CustomApiField>();
            return Directory.EnumerateDirectories(folder).OrderBy(d => d, StringComparer.Ordinal).Select(d =>
            {
                var file = Path.Combine(d, element + ".xml");
                if (!File.Exists(file)) throw new SolutionFormatException(d, $"a folder without {element}.xml");
                var xml = Xml.Load(file, element).Root!;
                var optional = xml.Element("isoptional")?.Value.Trim();
                return new CustomApiField(Xml.Attr(file, xml, "uniquename"), Xml.Text(file, xml, "name"), Number(file, xml, "type"), optional == null ? null : optional == "1", file);
            }).ToList();
        }

        private static int Number(string file, XElement xml, string name)
        {
            var text = xml.Element(name)?.Value.Trim();
            if (string.IsNullOrEmpty(text)) throw new SolutionFormatException(file, $"<{name}> is missing");
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : throw new SolutionFormatException(file, $"<{name}> is '{text}', not a number");
        }

        /// <summary>What Dataverse or SolutionPackager would refuse, or what would leave the API without its plugin.</summary>
        public static IReadOnlyList<string> Validate(SolutionSource solution, IReadOnlyList<CustomApiDefinition> apis)
        {
            var problems = new List<string>();
            string Rel(string path) => Path.GetRelativePath(solution.Folder, path).Replace('\\', '/');
            foreach (var api in apis)
            {
                var where = Rel(Path.Combine(api.Folder, "customapi.xml"));
                if (Path.GetFileName(api.Folder) != api.UniqueName) problems.Add($"{where}: the folder is not named by the uniquename '{api.UniqueName}'");
                if (!api.UniqueName.StartsWith(solution.Manifest.CustomizationPrefix + "_", StringComparison.Ordinal))
                    problems.Add($"{where}: the uniquename '{api.UniqueName}' does not start with the publisher prefix '{solution.Manifest.CustomizationPrefix}_'");
                if (api.BindingType is < 0 or > 2) problems.Add($"{where}: bindingtype {api.BindingType} is not 0 (Global), 1 (Entity) or 2 (EntityCollection)");
                if (api.AllowedCustomProcessingStepType is < 0 or > 2) problems.Add($"{where}: allowedcustomprocessingsteptype {api.AllowedCustomProcessingStepType} is not 0, 1 or 2");
                if (api.PluginTypeId is Guid id && !solution.PluginAssemblies.Any(a => a.Types.Any(t => t.Id == id)))
                    problems.Add($"{where}: plugintypeid {id} is not a PluginType of PluginAssemblies/");
                foreach (var field in api.RequestParameters.Concat(api.ResponseProperties))
                {
                    var at = Rel(field.File);
                    if (Path.GetFileName(Path.GetDirectoryName(field.File)) != field.UniqueName) problems.Add($"{at}: the folder is not named by the uniquename '{field.UniqueName}'");
                    if (field.Name != api.UniqueName + "." + field.UniqueName) problems.Add($"{at}: <name> is '{field.Name}', not '{api.UniqueName}.{field.UniqueName}'");
                    if (field.Type is < 0 or > 12) problems.Add($"{at}: <type> {field.Type} is not a Custom API type code (0 Boolean ... 12 Guid)");
                }

                // learn.microsoft.com/power-apps/developer/data-platform/create-custom-api-solution: "isoptional is not valid for a
                // response property and will cause an error when you try to import the solution".
                foreach (var field in api.ResponseProperties.Where(f => f.IsOptional != null))
                    problems.Add($"{Rel(field.File)}: a response property cannot have <isoptional> (Dataverse refuses it on import)");
                foreach (var field in api.RequestParameters.Where(f => f.IsOptional == null))
                    problems.Add($"{Rel(field.File)}: <isoptional> is missing");
            }

            return problems;
        }
    }
}
