using System;
using System.Collections.Generic;
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
}
