using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator.Query
{
    /// <summary>The comparable kinds of column values, after SDK wrappers are removed.</summary>
    internal enum ValueKind
    {
        String,
        Number,
        Double,
        Guid,
        DateTime,
        Boolean,
        MultiSelect,
        Other,
    }

    /// <summary>
    /// How the engine reads, converts, compares and copies column values: one place for the rules that
    /// conditions, joins, orders, grouping and projection share.
    /// <list type="bullet">
    /// <item>EntityReference compares by Id, OptionSetValue by its number, Money by its amount.</item>
    /// <item>Whole numbers, decimals and Money compare as decimal; float/double as double.</item>
    /// <item>Strings compare case-insensitively (Dataverse's default collation is case-insensitive).</item>
    /// <item>DateTime values are UTC: Local is converted, Unspecified is taken as UTC.</item>
    /// <item>Guids order as SQL Server orders uniqueidentifier.</item>
    /// </list>
    /// </summary>
    internal static class QueryValues
    {
        private static readonly CompareInfo Collation = CultureInfo.InvariantCulture.CompareInfo;
        private static readonly int[] SqlGuidByteOrder = { 10, 11, 12, 13, 14, 15, 8, 9, 6, 7, 4, 5, 0, 1, 2, 3 };

        // Boxes of the small whole numbers (days, months, years, counts), shared: conditions and groupings read such values
        // on every row, and a new box each time was most of what an aggregate over a large table allocated.
        private static readonly object[] SmallInts = Enumerable.Range(0, 4096).Select(i => (object)i).ToArray();
        private static readonly object[] SmallDecimals = Enumerable.Range(0, 4096).Select(i => (object)(decimal)i).ToArray();

        /// <summary>A boxed int (shared for small values).</summary>
        public static object Box(int value) => value >= 0 && value < SmallInts.Length ? SmallInts[value] : value;

        /// <summary>A whole number as a boxed decimal (shared for small values).</summary>
        public static object Number(int value) => value >= 0 && value < SmallDecimals.Length ? SmallDecimals[value] : (decimal)value;

        /// <summary>The value without SDK wrappers, numbers widened to decimal (or double) and dates in UTC.</summary>
        public static object? Core(object? value)
        {
            switch (value)
            {
                case null:
                    return null;
                case string:
                    return value;
                case int i:
                    return Number(i);
                case EntityReference reference:
                    return reference.Id;
                case OptionSetValue option:
                    return Number(option.Value);
                case Money money:
                    return money.Value;
                case decimal:
                case double:
                case Guid:
                case bool:
                    return value;
                case long l:
                    return (decimal)l;
                case short s:
                    return (decimal)s;
                case byte b:
                    return (decimal)b;
                case float f:
                    return (double)f;
                case DateTime date:
                    return ToUtc(date);
                case DateTimeOffset offset:
                    return offset.UtcDateTime;
                case AliasedValue aliased:
                    return Core(aliased.Value);
                case Enum e:
                    return Convert.ToDecimal(e, CultureInfo.InvariantCulture);
                default:
                    return value;
            }
        }

        /// <summary>A DateTime as UTC: Local converted, Unspecified taken as UTC (the emulated user's time zone).</summary>
        public static DateTime ToUtc(DateTime value) => value.Kind switch
        {
            DateTimeKind.Local => value.ToUniversalTime(),
            DateTimeKind.Unspecified => DateTime.SpecifyKind(value, DateTimeKind.Utc),
            _ => value,
        };

        /// <summary>The kind of a core value (see <see cref="Core"/>).</summary>
        public static ValueKind KindOf(object core) => core switch
        {
            string => ValueKind.String,
            decimal => ValueKind.Number,
            double => ValueKind.Double,
            Guid => ValueKind.Guid,
            DateTime => ValueKind.DateTime,
            bool => ValueKind.Boolean,
            OptionSetValueCollection => ValueKind.MultiSelect,
            _ => ValueKind.Other,
        };

        /// <summary>The CLR type name Dataverse reports for a stored value's column type.</summary>
        public static string TypeName(object? raw) => raw switch
        {
            null => "null",
            EntityReference => typeof(Guid).FullName!,
            OptionSetValue => typeof(int).FullName!,
            Money => typeof(decimal).FullName!,
            _ => raw.GetType().FullName ?? raw.GetType().Name,
        };

        /// <summary>Converts a condition value to the kind of a stored value; false when it cannot be.</summary>
        public static bool TryCoerce(object? value, ValueKind target, out object? core)
        {
            var c = Core(value);
            core = c;
            if (c == null) return true;
            switch (target)
            {
                case ValueKind.String:
                    return c is string;
                case ValueKind.Number:
                    switch (c)
                    {
                        case decimal:
                            return true;
                        case double d:
                            if (double.IsNaN(d) || double.IsInfinity(d) || Math.Abs(d) > (double)decimal.MaxValue) return false;
                            core = (decimal)d;
                            return true;
                        case string s when decimal.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed):
                            core = parsed;
                            return true;
                        default:
                            return false;
                    }

                case ValueKind.Double:
                    switch (c)
                    {
                        case double:
                            return true;
                        case decimal m:
                            core = (double)m;
                            return true;
                        case string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed):
                            core = parsed;
                            return true;
                        default:
                            return false;
                    }

                case ValueKind.Guid:
                    if (c is Guid) return true;
                    if (c is string text && Guid.TryParse(text.Trim(), out var guid))
                    {
                        core = guid;
                        return true;
                    }

                    return false;
                case ValueKind.DateTime:
                    if (c is DateTime) return true;
                    if (c is string dateText && TryParseDate(dateText, out var date))
                    {
                        core = date;
                        return true;
                    }

                    return false;
                case ValueKind.Boolean:
                    switch (c)
                    {
                        case bool:
                            return true;
                        case decimal m when m == 0m || m == 1m:
                            core = m == 1m;
                            return true;
                        case string s:
                            var t = s.Trim();
                            if (t == "1" || string.Equals(t, "true", StringComparison.OrdinalIgnoreCase)) core = true;
                            else if (t == "0" || string.Equals(t, "false", StringComparison.OrdinalIgnoreCase)) core = false;
                            else return false;
                            return true;
                        default:
                            return false;
                    }

                default:
                    return true;
            }
        }

        /// <summary>Parses a FetchXML date: ISO 8601 or invariant text; without an offset the time is UTC.</summary>
        public static bool TryParseDate(string text, out DateTime value)
        {
            if (DateTime.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
            {
                value = DateTime.SpecifyKind(parsed, DateTimeKind.Utc);
                return true;
            }

            value = default;
            return false;
        }

        /// <summary>Equality of two core values of the same kind (strings case-insensitive).</summary>
        public static bool CoreEquals(object a, object b)
        {
            if (a is string sa) return b is string sb && string.Equals(sa, sb, StringComparison.OrdinalIgnoreCase);
            return a.Equals(b);
        }

        /// <summary>Order of two core values of the same kind (strings by the case-insensitive collation).</summary>
        public static int CoreCompare(object a, object b)
        {
            switch (a)
            {
                case string sa when b is string sb:
                    return CompareText(sa, sb);
                case decimal da when b is decimal db:
                    return da.CompareTo(db);
                case double fa when b is double fb:
                    return fa.CompareTo(fb);
                case DateTime ta when b is DateTime tb:
                    return ta.Ticks.CompareTo(tb.Ticks);
                case Guid ga when b is Guid gb:
                    return CompareSqlGuid(ga, gb);
                case bool ba when b is bool bb:
                    return ba.CompareTo(bb);
            }

            if (a.GetType() == b.GetType() && a is IComparable comparable) return comparable.CompareTo(b);
            // Values of different kinds in one column: order by kind so the sort stays total.
            var byKind = KindOf(a).CompareTo(KindOf(b));
            return byKind != 0 ? byKind : string.CompareOrdinal(a.GetType().FullName, b.GetType().FullName);
        }

        /// <summary>Orders two strings as the case-insensitive collation does.</summary>
        public static int CompareText(string a, string b) => Collation.Compare(a, b, CompareOptions.IgnoreCase);

        /// <summary>A key for grouping and DISTINCT: equal for values the collation finds equal.</summary>
        public static object? GroupKey(object? raw)
        {
            var core = Core(raw);
            switch (core)
            {
                case string s:
                    return s.ToUpperInvariant();
                case OptionSetValueCollection options:
                    var values = new List<int>();
                    foreach (var option in options)
                        if (option != null) values.Add(option.Value);
                    values.Sort();
                    return string.Join(",", values);
                default:
                    return core;
            }
        }

        /// <summary>SQL Server's uniqueidentifier order: bytes 10-15, then 8-9, 6-7, 4-5, 0-3.</summary>
        public static int CompareSqlGuid(Guid a, Guid b)
        {
            Span<byte> x = stackalloc byte[16];
            Span<byte> y = stackalloc byte[16];
            a.TryWriteBytes(x);
            b.TryWriteBytes(y);
            foreach (var index in SqlGuidByteOrder)
            {
                var diff = x[index].CompareTo(y[index]);
                if (diff != 0) return diff;
            }

            return 0;
        }

        /// <summary>Splits condition values: arrays and lists given as one value count as their items.</summary>
        public static List<object?> Flatten(IEnumerable<object>? values)
        {
            var result = new List<object?>();
            if (values == null) return result;
            foreach (var value in values) AddFlattened(result, value);
            return result;
        }

        private static void AddFlattened(List<object?> result, object? value)
        {
            if (value is IEnumerable items && value is not string && value is not byte[] && value is not OptionSetValueCollection)
            {
                foreach (var item in items) AddFlattened(result, item);
                return;
            }

            result.Add(value);
        }

        /// <summary>A copy of a stored value for a caller: SDK objects are new instances, never the store's. A lookup is
        /// copied without reading its alternate keys, which the store keeps only on a lookup without an id
        /// (<see cref="AttributeValues.CopyStoredReference"/>): a first read would leave an empty collection on the stored lookup.</summary>
        public static object? CloneValue(object? value)
        {
            switch (value)
            {
                case null:
                    return null;
                case EntityReference reference:
                    return AttributeValues.CopyStoredReference(reference);
                case Money money:
                    return new Money(money.Value);
                case OptionSetValue option:
                    return new OptionSetValue(option.Value);
                case OptionSetValueCollection options:
                    var list = new List<OptionSetValue>();
                    foreach (var option in options) list.Add(option == null ? null! : new OptionSetValue(option.Value));
                    return new OptionSetValueCollection(list);
                case EntityCollection collection:
                    var entities = new List<Entity>();
                    foreach (var entity in collection.Entities) entities.Add(CloneEntity(entity));
                    return new EntityCollection(entities)
                    {
                        EntityName = collection.EntityName,
                        MoreRecords = collection.MoreRecords,
                        PagingCookie = collection.PagingCookie,
                        TotalRecordCount = collection.TotalRecordCount,
                    };
                case Entity entity:
                    return CloneEntity(entity);
                case byte[] bytes:
                    return (byte[])bytes.Clone();
                case AliasedValue aliased:
                    return new AliasedValue(aliased.EntityLogicalName, aliased.AttributeLogicalName, CloneValue(aliased.Value));
                default:
                    return value;
            }
        }

        /// <summary>A copy of a stored entity value (an activity party) with copied columns; the store keeps no formatted
        /// values (<see cref="AttributeValues.ForStore"/>), so none are read.</summary>
        public static Entity CloneEntity(Entity entity)
        {
            var copy = new Entity(entity.LogicalName, entity.Id) { RowVersion = entity.RowVersion, EntityState = entity.EntityState };
            foreach (var attribute in entity.Attributes) copy.Attributes[attribute.Key] = CloneValue(attribute.Value);
            return copy;
        }
    }
}
