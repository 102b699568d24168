using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace CrmPlugins.SolutionModel
{
    /// <summary>An image registered on a step, as SdkMessageProcessingStepImage in solution source.</summary>
    public sealed record StepImageRegistration(string Name, string EntityAlias, int ImageType, IReadOnlyList<string> Attributes, string MessagePropertyName);

    /// <summary>
    /// A plugin step as solution source holds it (SdkMessageProcessingSteps/{id}.xml): the plugin type by
    /// assembly-qualified name, message, table, stage, mode, rank, filtering attributes, configuration and images.
    /// </summary>
    public sealed record StepRegistration(
        Guid Id,
        string Name,
        string PluginTypeName,
        string Message,
        string? PrimaryEntity,
        int Stage,
        int Mode,
        int Rank,
        IReadOnlyList<string> FilteringAttributes,
        string? Configuration,
        bool AsyncAutoDelete,
        IReadOnlyList<StepImageRegistration> Images,
        string SourceFile)
    {
        /// <summary>The SdkMessageId the file holds: null when empty (the message is named in the step name and its id is
        /// read from the environment at deploy).</summary>
        public Guid? SdkMessageId { get; init; }

        /// <summary>The type's full name, without the assembly part.</summary>
        public string PluginTypeFullName => PluginTypeName.Split(',')[0].Trim();

        /// <summary>The assembly's simple name.</summary>
        public string PluginAssemblyName => PluginTypeName.Split(',').Skip(1).FirstOrDefault()?.Trim() ?? "";

        private static readonly Regex StepName = new(@"^(.+?):\s*(\S+)\s+of\s+.+$", RegexOptions.CultureInvariant);

        /// <summary>Reads every step file of an unpacked solution folder (none when it has no steps).</summary>
        public static IReadOnlyList<StepRegistration> LoadAll(string solutionFolder)
        {
            var folder = Path.Combine(solutionFolder, "SdkMessageProcessingSteps");
            if (!Directory.Exists(folder)) return Array.Empty<StepRegistration>();
            return Directory.EnumerateFiles(folder, "*.xml").OrderBy(f => f, StringComparer.Ordinal).Select(Load).ToList();
        }

        /// <summary>Reads one step file; a file that is not a valid step fails with the file and the problem named.</summary>
        public static StepRegistration Load(string file)
        {
            XElement root;
            try
            {
                root = XDocument.Load(file).Root ?? throw new SolutionFormatException(file, "the file is empty");
            }
            catch (System.Xml.XmlException ex)
            {
                throw new SolutionFormatException(file, "the XML is malformed: " + ex.Message);
            }

            if (root.Name.LocalName != "SdkMessageProcessingStep") throw new SolutionFormatException(file, $"the root element is <{root.Name.LocalName}>, not <SdkMessageProcessingStep>");
            string? Text(XElement parent, string name) => parent.Element(name)?.Value.Trim() is { Length: > 0 } v ? v : null;
            int Int(string name, int fallback)
            {
                var text = Text(root, name);
                if (text == null) return fallback;
                return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw new SolutionFormatException(file, $"<{name}> is '{text}', not a whole number");
            }

            var idText = root.Attribute("SdkMessageProcessingStepId")?.Value ?? throw new SolutionFormatException(file, "the SdkMessageProcessingStepId attribute is missing");
            if (!Guid.TryParse(idText, out var id)) throw new SolutionFormatException(file, $"SdkMessageProcessingStepId '{idText}' is not a GUID");
            var name = root.Attribute("Name")?.Value ?? "";
            var pluginType = Text(root, "PluginTypeName") ?? throw new SolutionFormatException(file, "<PluginTypeName> is missing");
            var message = MessageOf(file, Text(root, "SdkMessageId"), name);
            var images = root.Element("SdkMessageProcessingStepImages")?.Elements("SdkMessageProcessingStepImage").Select(i => new StepImageRegistration(
                i.Attribute("Name")?.Value ?? Text(i, "EntityAlias") ?? "",
                Text(i, "EntityAlias") ?? throw new SolutionFormatException(file, "an image has no <EntityAlias>"),
                int.TryParse(Text(i, "ImageType"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var t) ? t : throw new SolutionFormatException(file, "an image has no valid <ImageType> (0 pre, 1 post, 2 both)"),
                Split(Text(i, "Attributes")),
                Text(i, "MessagePropertyName") ?? "Target")).ToList() ?? new List<StepImageRegistration>();

            return new StepRegistration(id, name, pluginType, message, Text(root, "PrimaryEntity"), Int("Stage", 40), Int("Mode", 0), Int("Rank", 1),
                Split(Text(root, "FilteringAttributes")), Text(root, "Configuration"), Text(root, "AsyncAutoDelete") == "1", images, file)
            {
                SdkMessageId = Guid.TryParse(Text(root, "SdkMessageId"), out var messageId) ? messageId : null,
            };
        }

        private static string MessageOf(string file, string? messageId, string stepName)
        {
            if (messageId != null && Guid.TryParse(messageId, out var guid) && SdkMessages.NameOf(guid) is { } known) return known;
            // Messages without a well-known id here (Win, CreateMultiple, ...) are named the way the Plugin
            // Registration Tool names steps: "<plugin type>: <Message> of <table>".
            var match = StepName.Match(stepName);
            if (match.Success) return match.Groups[2].Value;
            throw new SolutionFormatException(file, $"the message cannot be told: SdkMessageId '{messageId}' is not a known message and the step name '{stepName}' is not '<type>: <Message> of <table>'");
        }

        private static IReadOnlyList<string> Split(string? csv) =>
            string.IsNullOrWhiteSpace(csv) ? Array.Empty<string>() : csv.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
    }

    /// <summary>Solution source that cannot be read: names the file and what is wrong with it.</summary>
    public sealed class SolutionFormatException : Exception
    {
        public SolutionFormatException(string file, string problem)
            : base($"{file}: {problem}")
        {
            File = file;
            Problem = problem;
        }

        public string File { get; }

        public string Problem { get; }
    }
}
