using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator
{
    /// <summary>
    /// The activitypointer table as Dataverse presents it: one row for every activity of every activity table (task,
    /// phonecall, email, appointment, custom activities), keyed by activityid, with activitytypecode naming the table the
    /// activity lives in (read-only), offering Retrieve and RetrieveMultiple
    /// (learn.microsoft.com/power-apps/developer/data-platform/reference/entities/activitypointer). Tests: ActivityPointerTests.
    /// </summary>
    internal static class ActivityPointerView
    {
        public const string TableName = "activitypointer";

        /// <summary>A copy of every activity of the organization as an activitypointer row; the store's rows stay untouched.</summary>
        public static IReadOnlyCollection<Entity> Rows(EntityStore store, OrganizationMetadata metadata)
        {
            var rows = new List<Entity>(store.Rows(TableName));
            foreach (var table in ActivityTables(metadata))
            {
                foreach (var row in store.Rows(table))
                {
                    var copy = new Entity(TableName, row.Id);
                    foreach (var a in row.Attributes) copy[a.Key] = a.Value;
                    copy["activityid"] = row.Id;
                    copy["activitytypecode"] = table;
                    rows.Add(copy);
                }
            }

            return rows;
        }

        private static IEnumerable<string> ActivityTables(OrganizationMetadata metadata) =>
            metadata.Tables.Values.Where(t => t.PrimaryIdAttribute == "activityid" && t.LogicalName != TableName).Select(t => t.LogicalName);
    }
}
