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
            foreach (var table in ActivityTables(metadata)) rows.AddRange(store.Rows(table).Select(r => AsPointer(r, table)));
            return rows;
        }

        /// <summary>The activities whose column equals the value, found through each activity table's own index (not by
        /// copying every activity of the organization for each value of an In condition).</summary>
        public static IReadOnlyCollection<Entity> RowsWhere(EntityStore store, OrganizationMetadata metadata, string column, object value)
        {
            var rows = new List<Entity>(store.RowsWhere(TableName, column, value));
            if (column == TypeColumn)
            {
                // Not a stored column of the activity tables: the table itself is the value (compared as the index compares text).
                var table = (value as string)?.ToLowerInvariant();
                if (table != null && IsActivityTable(metadata, table)) rows.AddRange(store.Rows(table).Select(r => AsPointer(r, table)));
                return rows;
            }

            foreach (var table in ActivityTables(metadata)) rows.AddRange(store.RowsWhere(table, column, value).Select(r => AsPointer(r, table)));
            return rows;
        }

        private const string TypeColumn = "activitytypecode";

        private static Entity AsPointer(Entity row, string table)
        {
            var copy = new Entity(TableName, row.Id);
            foreach (var a in row.Attributes) copy[a.Key] = a.Value;
            copy["activityid"] = row.Id;
            copy[TypeColumn] = table;
            return copy;
        }

        private static bool IsActivityTable(OrganizationMetadata metadata, string table) => ActivityTables(metadata).Contains(table);

        private static IEnumerable<string> ActivityTables(OrganizationMetadata metadata) =>
            metadata.Tables.Values.Where(t => t.PrimaryIdAttribute == "activityid" && t.LogicalName != TableName).Select(t => t.LogicalName);
    }
}
