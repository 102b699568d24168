using System;
using System.Collections.Generic;
using System.Linq;

namespace CrmPlugins.SolutionModel
{
    /// <summary>
    /// Platform messages have the same sdkmessageid in every Dataverse environment, which is how a step in
    /// solution source names its message. These are the ids of the messages the suite registers on, as real artefacts
    /// carry them: Create, Update, Delete and Assign in an export (compared in BulkStepTests), and every id here in the
    /// sdkmessagefilters response for account that Microsoft shows under "Table support for messages"
    /// (learn.microsoft.com/power-apps/developer/data-platform/org-service/use-messages). CreateMultiple, UpdateMultiple,
    /// Win and Lose appear in no artefact we could cite, so their ids are read from the target environment at deploy
    /// time (<see cref="EnvironmentMessages"/>), never written here.
    /// </summary>
    public static class SdkMessages
    {
        private static readonly Dictionary<string, Guid> Ids = new(StringComparer.OrdinalIgnoreCase)
        {
            ["Assign"] = new Guid("8cbdbb1b-ea3e-db11-86a7-000a3a5473e8"),
            ["Create"] = new Guid("9ebdbb1b-ea3e-db11-86a7-000a3a5473e8"),
            ["Delete"] = new Guid("a1bdbb1b-ea3e-db11-86a7-000a3a5473e8"),
            ["Retrieve"] = new Guid("f2bdbb1b-ea3e-db11-86a7-000a3a5473e8"),
            ["RetrieveMultiple"] = new Guid("03bebb1b-ea3e-db11-86a7-000a3a5473e8"),
            ["SetState"] = new Guid("1cbebb1b-ea3e-db11-86a7-000a3a5473e8"),
            ["SetStateDynamicEntity"] = new Guid("1dbebb1b-ea3e-db11-86a7-000a3a5473e8"),
            ["Update"] = new Guid("20bebb1b-ea3e-db11-86a7-000a3a5473e8"),
        };

        /// <summary>The well-known id of a message, if it is one of the messages listed here.</summary>
        public static Guid? IdOf(string message) => Ids.TryGetValue(message, out var id) ? id : null;

        /// <summary>The message of a well-known id.</summary>
        public static string? NameOf(Guid id) => Ids.FirstOrDefault(p => p.Value == id).Key;

        public static IReadOnlyCollection<string> Known => Ids.Keys;

        /// <summary>The messages whose ids differ by environment that the suite registers on: a step on one names it in the
        /// step name and leaves SdkMessageId empty; deploy reads the id from the environment.</summary>
        public static readonly IReadOnlyList<string> ReadFromEnvironment = new[] { "CreateMultiple", "UpdateMultiple", "Win", "Lose" };

        /// <summary>The single-row message whose saves a bulk message also covers (CreateMultiple: Create), or null.</summary>
        public static string? SingleOf(string message) =>
            string.Equals(message, "CreateMultiple", StringComparison.OrdinalIgnoreCase) ? "Create"
            : string.Equals(message, "UpdateMultiple", StringComparison.OrdinalIgnoreCase) ? "Update"
            : null;
    }
}
