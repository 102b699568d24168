using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator.Query
{
    /// <summary>
    /// What the query engine reads: the stored rows of a table, equality indexes, and the facts that
    /// date and user operators depend on. Rows handed out are the store's own objects: the engine
    /// must never change them and must return copies to callers.
    /// </summary>
    public interface IRowSource
    {
        /// <summary>All stored rows of a table (empty for an unknown table).</summary>
        IReadOnlyCollection<Entity> Rows(string table);

        /// <summary>Rows whose column equals the value, from an index (built on first use and kept up to date
        /// by the store). Values are compared as the store normalises them: EntityReference, OptionSetValue
        /// and Money by their inner value, strings case-insensitively as Dataverse's default collation.</summary>
        IReadOnlyCollection<Entity> RowsWhere(string table, string column, object value);

        /// <summary>The row whose primary key is the id, or null: what <see cref="RowsWhere"/> on the primary key column returns,
        /// found directly (a join to a lookup's table asks for it once per distinct id).</summary>
        Entity? RowById(string table, Guid id)
        {
            foreach (var row in RowsWhere(table, PrimaryIdAttribute(table), id)) return row;
            return null;
        }

        /// <summary>
        /// The rows of a table in primary key order (SQL Server's uniqueidentifier order, <see cref="SqlGuidKey"/>): every row
        /// when <paramref name="after"/> is null, else those whose key sorts after it (or equals it, when
        /// <paramref name="inclusive"/>). A page of a query sorted by the key reads only its own rows from here, where reading
        /// the table would visit every row for every page. Read lazily: enumerate it before the next write. This default reads
        /// and sorts the table, so any row source answers alike; a store keeps an ordered index instead.
        /// </summary>
        IEnumerable<Entity> RowsByPrimaryKey(string table, Guid? after, bool inclusive) => KeyOrderFallback.Rows(this, table, after, inclusive);

        /// <summary>The primary key column of a table (by convention "&lt;table&gt;id"; activities use "activityid").</summary>
        string PrimaryIdAttribute(string table);

        /// <summary>Whether the table is known (has rows or declared metadata).</summary>
        bool TableExists(string table);

        /// <summary>Whether the column is known for the table; true for every column when the table has no declared metadata.</summary>
        bool ColumnExists(string table, string column);

        /// <summary>The current time (UTC) of the organization's clock, for date operators.</summary>
        DateTime UtcNow { get; }

        /// <summary>The calling user, for EqualUserId / NotEqualUserId.</summary>
        Guid CallerId { get; }

        /// <summary>The business unit of the calling user, for EqualBusinessId.</summary>
        Guid CallerBusinessUnitId { get; }

        /// <summary>First month (1-12) of the organization's fiscal year, for fiscal-period operators.</summary>
        int FiscalYearStartMonth { get; }

        /// <summary>The declared behaviour of a date and time column (null: not declared, UserLocal).</summary>
        DateTimeBehavior? DateBehavior(string table, string column) => null;
    }

    /// <summary>Rows in primary key order without an index: the table read and sorted as the engine sorts the key.</summary>
    internal static class KeyOrderFallback
    {
        public static IEnumerable<Entity> Rows(IRowSource source, string table, Guid? after, bool inclusive)
        {
            var primaryId = source.PrimaryIdAttribute(table);
            // The key the engine sorts on: the primary key column, or the entity's id when the row lacks it.
            SortValue Key(Entity row) =>
                SortValue.From(row.Attributes.TryGetValue(primaryId, out var value) && value != null ? value : row.Id == Guid.Empty ? null : row.Id);
            var start = after is Guid id ? SortValue.From(id) : (SortValue?)null;
            var rows = new List<(SortValue Key, Entity Row)>();
            foreach (var row in source.Rows(table))
            {
                var key = Key(row);
                if (start is SortValue s)
                {
                    var c = SortValue.Compare(key, s);
                    if (c < 0 || (c == 0 && !inclusive)) continue;
                }

                rows.Add((key, row));
            }

            // Stable, as the engine's sort keeps equal keys in the table's order.
            foreach (var (_, row) in rows.OrderBy(r => r.Key, Comparer<SortValue>.Create((a, b) => SortValue.Compare(a, b)))) yield return row;
        }
    }
}
