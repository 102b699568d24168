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

    /// <summary>The type of a column, enough to check values written to it.</summary>
    public enum ColumnType
    {
        String, Memo, Integer, BigInt, Decimal, Double, Money, Boolean, DateTime,
        Lookup, Owner, Customer, Picklist, State, Status, MultiSelectPicklist, UniqueIdentifier, Image, File,
    }

    /// <summary>A declared column: its logical name, type and, for lookups, the tables it may point to.</summary>
    public sealed class ColumnMetadata
    {
        public ColumnMetadata(string logicalName, ColumnType type, params string[] targets)
        {
            LogicalName = logicalName;
            Type = type;
            Targets = targets;
        }

        public string LogicalName { get; }

        public ColumnType Type { get; }

        public IReadOnlyList<string> Targets { get; }

        /// <summary>The most characters a text column holds (Entity.xml &lt;MaxLength&gt;); null: no limit known.</summary>
        public int? MaxLength { get; init; }

        /// <summary>The range a number column accepts (&lt;MinValue&gt;, &lt;MaxValue&gt;); null: no limit known.</summary>
        public decimal? MinValue { get; init; }

        public decimal? MaxValue { get; init; }

        /// <summary>The decimal places a decimal or money column keeps (&lt;Accuracy&gt;); null: as given.</summary>
        public int? Precision { get; init; }

        /// <summary>
        /// The value as the platform stores it, or the platform's fault when it is beyond the column's limits: text longer
        /// than MaxLength fails with 0x80044331 StringLengthTooLong and the platform's message (as reported from real
        /// environments in github.com/microsoft/coe-starter-kit issue 5019 and github.com/microsoft/powerapps-tools issue 403);
        /// a number outside MinValue..MaxValue fails as an invalid argument (the code is the emulator's choice: no public
        /// artefact gives the platform's); decimals and money keep <see cref="Precision"/> places.
        /// </summary>
        public object? Enforce(string table, object? value)
        {
            switch (value)
            {
                case string text when MaxLength is int max && text.Length > max:
                    throw Faults.Create(ErrorCodes.StringLengthTooLong,
                        $"A validation error occurred.  The length of the '{LogicalName}' attribute of the '{table}' entity exceeded the maximum allowed length of '{max}'.");
                case int i:
                    CheckRange(table, i);
                    return value;
                case long l:
                    CheckRange(table, l);
                    return value;
                case double d:
                    if (!double.IsNaN(d) && !double.IsInfinity(d)) CheckRange(table, (decimal)d);
                    else throw Faults.InvalidArgument($"The value of '{LogicalName}' of '{table}' is not a number.");
                    return value;
                case decimal m:
                    CheckRange(table, m);
                    return Precision is int places ? decimal.Round(m, places) : value;
                case Money money:
                    CheckRange(table, money.Value);
                    return Precision is int digits ? new Money(decimal.Round(money.Value, digits)) : value;
                default:
                    return value;
            }
        }

        private void CheckRange(string table, decimal value)
        {
            if ((MinValue is decimal min && value < min) || (MaxValue is decimal max && value > max))
                throw Faults.InvalidArgument(
                    $"A validation error occurred. The value {value.ToString(System.Globalization.CultureInfo.InvariantCulture)} of '{LogicalName}' on record of type '{table}' is outside the valid range. Accepted Values: {MinValue?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "any"} to {MaxValue?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "any"}.");
        }

        /// <summary>Whether a value may be written to this column (null always may).</summary>
        public bool Accepts(object? value) => value == null || Type switch
        {
            ColumnType.String or ColumnType.Memo => value is string,
            ColumnType.Integer => value is int,
            ColumnType.BigInt => value is long,
            ColumnType.Decimal => value is decimal,
            ColumnType.Double => value is double,
            ColumnType.Money => value is Money,
            ColumnType.Boolean => value is bool,
            ColumnType.DateTime => value is DateTime,
            ColumnType.Lookup or ColumnType.Owner or ColumnType.Customer =>
                value is EntityReference r && (Targets.Count == 0 || Targets.Contains(r.LogicalName)),
            ColumnType.Picklist or ColumnType.State or ColumnType.Status => value is OptionSetValue,
            ColumnType.MultiSelectPicklist => value is OptionSetValueCollection,
            ColumnType.UniqueIdentifier => value is Guid,
            ColumnType.Image or ColumnType.File => value is byte[] || value is Guid,
            _ => true,
        };
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

        /// <summary>Columns the platform maintains on every table (the list solution validation uses too).</summary>
        public static readonly IReadOnlyCollection<string> SystemColumns =
            new HashSet<string>(CrmPlugins.SolutionModel.StandardTables.SystemColumnTypes.Keys, StringComparer.Ordinal);
    }

    /// <summary>A relationship the emulator can Associate / Disassociate through.</summary>
    public sealed class RelationshipMetadata
    {
        private RelationshipMetadata(string schemaName, bool manyToMany, string entity1, string entity1Attribute, string entity2, string entity2Attribute, string? intersect)
        {
            SchemaName = schemaName;
            IsManyToMany = manyToMany;
            Entity1 = entity1;
            Entity1Attribute = entity1Attribute;
            Entity2 = entity2;
            Entity2Attribute = entity2Attribute;
            IntersectEntity = intersect;
        }

        public string SchemaName { get; }

        public bool IsManyToMany { get; }

        /// <summary>N:N: the first table; 1:N: the referenced (one) table.</summary>
        public string Entity1 { get; }

        /// <summary>N:N: the intersect column pointing to Entity1; 1:N: the referenced table's id column.</summary>
        public string Entity1Attribute { get; }

        /// <summary>N:N: the second table; 1:N: the referencing (many) table.</summary>
        public string Entity2 { get; }

        /// <summary>N:N: the intersect column pointing to Entity2; 1:N: the lookup column on the referencing table.</summary>
        public string Entity2Attribute { get; }

        public string? IntersectEntity { get; }

        public static RelationshipMetadata ManyToMany(string schemaName, string intersectEntity, string entity1, string entity1Attribute, string entity2, string entity2Attribute) =>
            new(schemaName, true, entity1, entity1Attribute, entity2, entity2Attribute, intersectEntity);

        public static RelationshipMetadata OneToMany(string schemaName, string referencedEntity, string referencingEntity, string lookupAttribute) =>
            new(schemaName, false, referencedEntity, referencedEntity + "id", referencingEntity, lookupAttribute, null);
    }

    /// <summary>The tables and relationships the organization knows. Common system tables are known from the start.</summary>
    public sealed class OrganizationMetadata
    {
        private readonly Dictionary<string, TableMetadata> _tables = new(StringComparer.Ordinal);
        private readonly Dictionary<string, RelationshipMetadata> _relationships = new(StringComparer.Ordinal);

        internal OrganizationMetadata()
        {
            foreach (var t in new[] { "businessunit", "transactioncurrency", "organization", "product", "uom", "uomschedule", "pricelevel", "role", "systemuser", "team" })
                Declare(new TableMetadata(t, OwnershipType.OrganizationOwned));
            // Standard tables exist in every organization (metadata-light: any column is accepted until declared).
            foreach (var t in new[] { "account", "contact", "lead", "opportunity", "opportunityproduct", "quote", "quotedetail", "salesorder", "salesorderdetail", "invoice", "invoicedetail", "annotation", "appnotification", "queue" })
                Declare(new TableMetadata(t, OwnershipType.UserOwned));
            // Activities: their primary key is activityid.
            foreach (var t in new[] { "activitypointer", "task", "phonecall", "email", "appointment", "opportunityclose" })
                Declare(new TableMetadata(t, OwnershipType.UserOwned, "activityid"));
        }


        public IReadOnlyDictionary<string, TableMetadata> Tables => _tables;

        public IReadOnlyDictionary<string, RelationshipMetadata> Relationships => _relationships;

        /// <summary>Declares (or replaces) a table.</summary>
        public TableMetadata Declare(TableMetadata table)
        {
            _tables[table.LogicalName] = table;
            return table;
        }

        public RelationshipMetadata Declare(RelationshipMetadata relationship)
        {
            _relationships[relationship.SchemaName] = relationship;
            if (relationship.IsManyToMany && !_tables.ContainsKey(relationship.IntersectEntity!))
                Declare(new TableMetadata(relationship.IntersectEntity!, OwnershipType.None));
            return relationship;
        }

        /// <summary>The table's metadata; an undeclared table gets user-owned defaults.</summary>
        public TableMetadata Table(string logicalName) =>
            _tables.TryGetValue(logicalName, out var t) ? t : new TableMetadata(logicalName);

        public bool IsDeclared(string logicalName) => _tables.ContainsKey(logicalName);
    }
}
