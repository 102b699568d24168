using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator
{
    /// <summary>Who owns the rows of a table (EntityMetadata.OwnershipType).</summary>
    public enum OwnershipType
    {
        /// <summary>Rows have an owner (user or team) and a business unit: ownerid, owningbusinessunit are filled on create.</summary>
        UserOwned,
        /// <summary>Rows belong to the organization: no owner columns.</summary>
        OrganizationOwned,
        /// <summary>No ownership and no state (intersect tables of N:N relationships).</summary>
        None,
    }

    /// <summary>
    /// What the emulator knows of a table. A table without declared columns accepts any column
    /// (metadata-light); once columns are declared, writes and queries naming other columns fail as
    /// Dataverse does.
    /// </summary>
    public sealed class TableMetadata
    {
        private readonly Dictionary<string, ColumnMetadata> _columns = new(StringComparer.Ordinal);

        public TableMetadata(string logicalName, OwnershipType ownership = OwnershipType.UserOwned, string? primaryIdAttribute = null, string? primaryNameAttribute = null)
        {
            LogicalName = logicalName;
            Ownership = ownership;
            PrimaryIdAttribute = primaryIdAttribute ?? logicalName + "id";
            PrimaryNameAttribute = primaryNameAttribute;
        }

        public string LogicalName { get; }

        public OwnershipType Ownership { get; }

        public string PrimaryIdAttribute { get; }

        public string? PrimaryNameAttribute { get; }

        public IReadOnlyDictionary<string, ColumnMetadata> Columns => _columns;

        /// <summary>
        /// For a standard table a solution extends: columns with this prefix must be declared, other columns are the
        /// table's standard columns and accepted (null: the table is closed once any column is declared).
        /// </summary>
        public string? ExtensionPrefix { get; set; }

        /// <summary>True once any column is declared: from then on only declared columns are accepted.</summary>
        public bool HasDeclaredColumns => _columns.Count > 0;

        public TableMetadata WithColumn(string logicalName, ColumnType type, params string[] targets)
        {
            _columns[logicalName] = new ColumnMetadata(logicalName, type, targets);
            return this;
        }

        /// <summary>Declares (or replaces) a column with its limits.</summary>
        public TableMetadata WithColumn(ColumnMetadata column)
        {
            _columns[column.LogicalName] = column;
            return this;
        }

        /// <summary>Holds every value of <paramref name="row"/> to its column's limits (see <see cref="ColumnMetadata.Enforce"/>).</summary>
        public void EnforceLimits(Entity row)
        {
            foreach (var column in row.Attributes.Keys.ToList())
                if (_columns.TryGetValue(column, out var metadata))
                    row[column] = metadata.Enforce(row.LogicalName, row[column]);
        }

        /// <summary>Whether the column exists; system columns the platform adds to every table always do.</summary>
        public bool HasColumn(string column) =>
            !HasDeclaredColumns || _columns.ContainsKey(column) || (ExtensionPrefix != null && !column.StartsWith(ExtensionPrefix, StringComparison.Ordinal)) || column == PrimaryIdAttribute || SystemColumns.Contains(column) ||
            (column.EndsWith("_base", StringComparison.Ordinal) && _columns.TryGetValue(column[..^5], out var money) && money.Type == ColumnType.Money);

        /// <summary>Columns the platform maintains on every table (solution validation's list, StandardTables.SystemColumnTypes,
        /// is the same: a test keeps them equal).</summary>
        public static readonly IReadOnlyCollection<string> SystemColumns = new HashSet<string>(StringComparer.Ordinal)
        {
            "createdon", "modifiedon", "overriddencreatedon", "createdby", "modifiedby", "createdonbehalfby", "modifiedonbehalfby",
            "ownerid", "owninguser", "owningteam", "owningbusinessunit", "statecode", "statuscode", "versionnumber",
            "transactioncurrencyid", "exchangerate", "importsequencenumber", "timezoneruleversionnumber", "utcconversiontimezonecode",
        };
    }
}
