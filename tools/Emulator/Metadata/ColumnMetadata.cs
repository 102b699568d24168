using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator
{
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

        /// <summary>A date and time column's behaviour (Entity.xml &lt;Behavior&gt;); null: UserLocal, the platform's default.</summary>
        public DateTimeBehavior? Behavior { get; init; }

        /// <summary>A date and time column's format (Entity.xml &lt;Format&gt;); null: date and time.</summary>
        public DateTimeFormat? Format { get; init; }

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
}
