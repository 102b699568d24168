using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;

namespace CrmPlugins.SolutionModel
{
    /// <summary>
    /// The sdkmessageids one environment gives the messages without a well-known id (CreateMultiple, UpdateMultiple,
    /// Win, Lose...), read from its sdkmessage table, and the tables it offers each of them on (its sdkmessagefilter
    /// table): not every standard table supports CreateMultiple and UpdateMultiple yet
    /// (learn.microsoft.com/power-apps/developer/data-platform/bulk-operations#availability-with-standard-tables).
    /// </summary>
    public sealed class EnvironmentMessages
    {
        private readonly IReadOnlyDictionary<string, Guid> _ids;
        private readonly HashSet<(string Message, string Table)> _offered;

        public EnvironmentMessages(string environment, IReadOnlyDictionary<string, Guid> ids, IEnumerable<(string Message, string Table)> offeredOn)
        {
            Environment = environment;
            _ids = new Dictionary<string, Guid>(ids.ToDictionary(p => p.Key, p => p.Value), StringComparer.OrdinalIgnoreCase);
            _offered = new HashSet<(string, string)>(offeredOn.Select(o => (o.Message.ToLowerInvariant(), o.Table.ToLowerInvariant())));
        }

        /// <summary>The environment the ids were read from (its host name), for messages to the user.</summary>
        public string Environment { get; }

        /// <summary>The message's id in this environment when it offers the message on the table; null otherwise.</summary>
        public Guid? IdFor(string message, string? table) =>
            _ids.TryGetValue(message, out var id) && (table == null || _offered.Contains((message.ToLowerInvariant(), table.ToLowerInvariant()))) ? id : null;
    }

    /// <summary>
    /// Renders a step of solution source into the customizations.xml of a package. A step on a message with a well-known
    /// id ships as written. A step on CreateMultiple or UpdateMultiple gets the environment's id of the message; without
    /// an environment, or where the environment does not offer the message on the step's table, it ships on Create or
    /// Update instead, which the platform runs for the same saves one row at a time
    /// (learn.microsoft.com/power-apps/developer/data-platform/bulk-operations#message-pipelines-merged). A step on another
    /// message without a well-known id (Win, Lose) ships only with an environment's id, and is left out otherwise.
    /// Every such choice is reported as a note for the person packing.
    /// </summary>
    public static class StepMessages
    {
        public static XElement? Render(StepRegistration step, EnvironmentMessages? environment, ICollection<string> notes)
        {
            var element = XElement.Load(step.SourceFile);
            if (SdkMessages.IdOf(step.Message) != null) return element;
            if (environment?.IdFor(step.Message, step.PrimaryEntity) is Guid id)
            {
                SetMessageId(element, id);
                return element;
            }

            var why = environment == null
                ? $"no environment was given to read the id of {step.Message} from"
                : $"{environment.Environment} does not offer {step.Message} on {step.PrimaryEntity ?? "any table"}";
            if (SdkMessages.SingleOf(step.Message) is not { } single)
            {
                notes.Add($"{step.Name}: left out ({why}); `dealrisk deploy` registers it.");
                return null;
            }

            element.SetAttributeValue("Name", step.Name.Replace($": {step.Message} of ", $": {single} of "));
            SetMessageId(element, SdkMessages.IdOf(single)!.Value);
            // Images of Create are taken of the new row's id, those of Update of its Target (the *Multiple messages' Targets).
            foreach (var property in element.Descendants("MessagePropertyName").Where(p => p.Value == "Targets"))
                property.Value = single == "Create" ? "Id" : "Target";
            notes.Add($"{step.Name}: registered on {single} instead ({why}); the platform runs it for every save, one row at a time.");
            return element;
        }

        private static void SetMessageId(XElement step, Guid id)
        {
            // A source file may leave the element out: a real export writes it first.
            var element = step.Element("SdkMessageId");
            if (element == null) step.AddFirst(element = new XElement("SdkMessageId"));
            element.Value = id.ToString("B");
        }
    }
}
