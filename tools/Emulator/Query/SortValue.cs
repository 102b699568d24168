using System;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator.Query
{
    /// <summary>
    /// A column value as ORDER BY (and MIN/MAX) compares it, held without allocation: nulls first, numbers
    /// (whole, decimal, Money, choice) by value, text by the case-insensitive collation, Guids in SQL Server's
    /// uniqueidentifier order, lookups by the referenced row's name then id (Dataverse sorts lookups by the
    /// primary name), dates by instant.
    /// </summary>
    internal readonly struct SortValue
    {
        private readonly Kind _kind;
        private readonly decimal _number;
        private readonly ulong _high;
        private readonly ulong _low;
        private readonly object? _ref;

        private SortValue(Kind kind, decimal number = 0m, ulong high = 0, ulong low = 0, object? reference = null)
        {
            _kind = kind;
            _number = number;
            _high = high;
            _low = low;
            _ref = reference;
        }

        private enum Kind : byte
        {
            Null,
            Boolean,
            Number,
            Double,
            DateTime,
            Guid,
            Text,
            Lookup,
            Other,
        }

        public static SortValue From(object? raw)
        {
            switch (raw)
            {
                case null:
                    return default;
                case string text:
                    return new SortValue(Kind.Text, reference: text);
                case Guid id:
                    return FromGuid(Kind.Guid, id, null);
                case EntityReference reference:
                    var name = reference.Name ?? string.Empty;
                    return FromGuid(Kind.Lookup, reference.Id, name);
                case AliasedValue aliased:
                    return From(aliased.Value);
            }

            switch (QueryValues.Core(raw))
            {
                case decimal number:
                    return new SortValue(Kind.Number, number);
                case double real:
                    return new SortValue(Kind.Double, high: (ulong)BitConverter.DoubleToInt64Bits(real));
                case DateTime date:
                    return new SortValue(Kind.DateTime, high: (ulong)date.Ticks);
                case bool flag:
                    return new SortValue(Kind.Boolean, high: flag ? 1UL : 0UL);
                case string text:
                    return new SortValue(Kind.Text, reference: text);
                case Guid id:
                    return FromGuid(Kind.Guid, id, null);
                case var other:
                    return new SortValue(Kind.Other, reference: other);
            }
        }

        public static int Compare(in SortValue a, in SortValue b)
        {
            if (a._kind == Kind.Null) return b._kind == Kind.Null ? 0 : -1;
            if (b._kind == Kind.Null) return 1;
            if (a._kind != b._kind) return a._kind.CompareTo(b._kind);
            switch (a._kind)
            {
                case Kind.Number:
                    return a._number.CompareTo(b._number);
                case Kind.Double:
                    return BitConverter.Int64BitsToDouble((long)a._high).CompareTo(BitConverter.Int64BitsToDouble((long)b._high));
                case Kind.DateTime:
                case Kind.Boolean:
                    return a._high.CompareTo(b._high);
                case Kind.Guid:
                    return CompareGuid(a, b);
                case Kind.Text:
                    return CompareText(a, b);
                case Kind.Lookup:
                    var byName = CompareText(a, b);
                    return byName != 0 ? byName : CompareGuid(a, b);
                default:
                    return QueryValues.CoreCompare(a._ref!, b._ref!);
            }
        }

        private static SortValue FromGuid(Kind kind, Guid id, string? text)
        {
            Span<byte> bytes = stackalloc byte[16];
            id.TryWriteBytes(bytes);
            // SQL Server compares bytes 10-15, then 8-9, 6-7, 4-5, 0-3.
            var high = ((ulong)bytes[10] << 56) | ((ulong)bytes[11] << 48) | ((ulong)bytes[12] << 40) | ((ulong)bytes[13] << 32)
                | ((ulong)bytes[14] << 24) | ((ulong)bytes[15] << 16) | ((ulong)bytes[8] << 8) | bytes[9];
            var low = ((ulong)bytes[6] << 56) | ((ulong)bytes[7] << 48) | ((ulong)bytes[4] << 40) | ((ulong)bytes[5] << 32)
                | ((ulong)bytes[0] << 24) | ((ulong)bytes[1] << 16) | ((ulong)bytes[2] << 8) | bytes[3];
            return new SortValue(kind, high: high, low: low, reference: text);
        }

        private static int CompareGuid(in SortValue a, in SortValue b)
        {
            var c = a._high.CompareTo(b._high);
            return c != 0 ? c : a._low.CompareTo(b._low);
        }

        private static int CompareText(in SortValue a, in SortValue b) => QueryValues.CompareText((string)a._ref!, (string)b._ref!);
    }
}
