using System;
using System.Collections.Generic;
using System.Linq;
using CrmPlugins.SolutionModel;
using Microsoft.Xrm.Sdk;

namespace DealRisk.Cli.Evaluate
{
    /// <summary>A row whose lookup names a row the data does not hold: a line of a deal that is not there, an owner or a product missing.</summary>
    public sealed record Orphan(string File, string Table, int Row, string Field, EntityReference Target)
    {
        public override string ToString() => $"{File}: {Table} row {Row}, field '{Field}': {Target.LogicalName} {Target.Id} is not in the data";
    }

    /// <summary>
    /// Finds the rows that point at missing rows of the tables the suite reads. The emulator (like a careless import)
    /// would load them anyway and the verdict would quietly leave them out: a line whose deal is missing, or a deal whose
    /// product is missing, changes the margin, and a High deal reads Low with nothing said.
    /// </summary>
    public static class Orphans
    {
        /// <summary>Who created or changed a row is not an input of any verdict: exports often name users they do not include.</summary>
        private static readonly HashSet<string> AuditColumns = new(StringComparer.Ordinal) { "createdby", "modifiedby", "createdonbehalfby", "modifiedonbehalfby" };

        private static readonly string[] StandardTablesRead = { "opportunity", "opportunityproduct", "product", "systemuser", "team", "businessunit" };

        public static IReadOnlyList<Orphan> Find(SolutionSource solution, IReadOnlyList<Entity> rows, Func<Entity, (string File, int Row)> origin)
        {
            var read = new HashSet<string>(StandardTablesRead.Concat(solution.Tables.Select(t => t.LogicalName)), StringComparer.Ordinal);
            var present = rows.Select(r => (r.LogicalName, r.Id)).ToHashSet();
            var orphans = new List<Orphan>();
            foreach (var row in rows)
            {
                var first = orphans.Count;
                foreach (var (field, value) in row.Attributes)
                {
                    if (value is not EntityReference target || AuditColumns.Contains(field) || !read.Contains(target.LogicalName)) continue;
                    if (present.Contains((target.LogicalName, target.Id))) continue;
                    var (file, n) = origin(row);
                    orphans.Add(new Orphan(file, row.LogicalName, n, field, target));
                }

                // A row's orphans by column name, whatever order its file lists the columns in; sorted only when there
                // are some, not for each of a million rows.
                if (orphans.Count - first > 1) orphans.Sort(first, orphans.Count - first, Comparer<Orphan>.Create((a, b) => StringComparer.Ordinal.Compare(a.Field, b.Field)));
            }

            return orphans;
        }
    }
}
