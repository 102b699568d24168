using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Xml.Linq;

namespace CrmPlugins.Emulator
{
    /// <summary>
    /// Reads the Custom APIs of an unpacked solution, in the layout SolutionPackager and pac use:
    /// customapis/&lt;uniquename&gt;/customapi.xml, with customapirequestparameters/&lt;name&gt;/customapirequestparameter.xml
    /// and customapiresponseproperties/&lt;name&gt;/customapiresponseproperty.xml
    /// (learn.microsoft.com/power-apps/developer/data-platform/create-custom-api-solution). The API's plugin is found
    /// through its plugintypeid, matched against the PluginType ids of the solution's PluginAssemblies/**/*.data.xml,
    /// then by type name in the given assemblies.
    /// </summary>
    public static class CustomApiReader
    {
        /// <summary>The Custom APIs under <paramref name="solutionFolder"/>/customapis (none when the folder is absent).
        /// A file that cannot be read fails with a <see cref="FormatException"/> naming the file and the field.</summary>
        public static IReadOnlyList<CustomApi> Read(string solutionFolder, params Assembly[] assemblies)
        {
            var root = Path.Combine(solutionFolder, "customapis");
            if (!Directory.Exists(root)) return Array.Empty<CustomApi>();
            var pluginTypes = PluginTypeNames(solutionFolder);
            return Directory.GetDirectories(root).OrderBy(d => d, StringComparer.Ordinal)
                .Select(d => Path.Combine(d, "customapi.xml")).Where(File.Exists)
                .Select(f => ReadApi(f, pluginTypes, assemblies)).ToList();
        }

        private static CustomApi ReadApi(string file, IReadOnlyDictionary<Guid, string> pluginTypes, Assembly[] assemblies)
        {
            var xml = Load(file, "customapi");
            var uniqueName = (string?)xml.Attribute("uniquename") ?? Text(xml, "name") ?? throw new FormatException($"{file}: the customapi has no uniquename.");
            var api = new CustomApi(uniqueName, PluginType(file, xml, pluginTypes, assemblies))
            {
                BindingType = (CustomApiBinding)Number(file, xml, "bindingtype", 0, 2),
                AllowedCustomProcessingStepType = (CustomProcessingStepType)Number(file, xml, "allowedcustomprocessingsteptype", 0, 2, required: true),
                BoundEntityLogicalName = Text(xml, "boundentitylogicalname"),
                IsFunction = Number(file, xml, "isfunction", 0, 1) == 1,
                ExecutePrivilegeName = Text(xml, "executeprivilegename"),
            };
            var folder = Path.GetDirectoryName(file)!;
            foreach (var p in Parameters(folder, "customapirequestparameters", "customapirequestparameter"))
                api.RequestParameters.Add(p);
            foreach (var p in Parameters(folder, "customapiresponseproperties", "customapiresponseproperty"))
                api.ResponseProperties.Add(p);
            return api;
        }

        private static IEnumerable<CustomApiParameter> Parameters(string apiFolder, string folderName, string element)
        {
            var folder = Path.Combine(apiFolder, folderName);
            if (!Directory.Exists(folder)) yield break;
            foreach (var file in Directory.GetDirectories(folder).OrderBy(d => d, StringComparer.Ordinal).Select(d => Path.Combine(d, element + ".xml")).Where(File.Exists))
            {
                var xml = Load(file, element);
                var name = (string?)xml.Attribute("uniquename") ?? throw new FormatException($"{file}: the {element} has no uniquename.");
                yield return new CustomApiParameter(name, (CustomApiParameterType)Number(file, xml, "type", 0, 12, required: true),
                    Number(file, xml, "isoptional", 0, 1) == 1, Text(xml, "logicalentityname"));
            }
        }

        private static Type? PluginType(string file, XElement xml, IReadOnlyDictionary<Guid, string> pluginTypes, Assembly[] assemblies)
        {
            var reference = xml.Element("plugintypeid");
            var idText = Text(reference, "plugintypeid") ?? Text(reference, "plugintypeexportkey");
            if (idText == null) return null;
            if (!Guid.TryParse(idText, out var id)) throw new FormatException($"{file}: plugintypeid '{idText}' is not a GUID.");
            if (!pluginTypes.TryGetValue(id, out var typeName))
                throw new FormatException($"{file}: plugintypeid {id} is not a PluginType of the solution's PluginAssemblies.");
            return assemblies.Select(a => a.GetType(typeName, throwOnError: false)).FirstOrDefault(t => t != null)
                ?? throw new FormatException($"{file}: the plugin type {typeName} is in none of the given assemblies.");
        }

        private static IReadOnlyDictionary<Guid, string> PluginTypeNames(string solutionFolder)
        {
            var names = new Dictionary<Guid, string>();
            var folder = Path.Combine(solutionFolder, "PluginAssemblies");
            if (!Directory.Exists(folder)) return names;
            foreach (var file in Directory.GetFiles(folder, "*.data.xml", SearchOption.AllDirectories))
                foreach (var type in XDocument.Load(file).Descendants("PluginType"))
                    if (Guid.TryParse((string?)type.Attribute("PluginTypeId"), out var id) &&
                        ((string?)type.Attribute("Name") ?? ((string?)type.Attribute("AssemblyQualifiedName"))?.Split(',')[0].Trim()) is { Length: > 0 } name)
                        names[id] = name;
            return names;
        }

        private static XElement Load(string file, string root)
        {
            XElement xml;
            try
            {
                xml = XDocument.Load(file).Root!;
            }
            catch (System.Xml.XmlException ex)
            {
                throw new FormatException($"{file}: not well-formed XML ({ex.Message}).");
            }

            return xml.Name.LocalName == root ? xml : throw new FormatException($"{file}: the root element is <{xml.Name.LocalName}>, not <{root}>.");
        }

        private static string? Text(XElement? parent, string name)
        {
            var value = parent?.Element(name)?.Value.Trim();
            return string.IsNullOrEmpty(value) ? null : value;
        }

        private static int Number(string file, XElement xml, string name, int min, int max, bool required = false)
        {
            var text = Text(xml, name);
            if (text == null)
                return required ? throw new FormatException($"{file}: <{name}> is missing.") : min;
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
                ? value
                : throw new FormatException($"{file}: <{name}> is '{text}', not a number from {min} to {max}.");
        }
    }
}
