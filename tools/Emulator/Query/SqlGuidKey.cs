using System;

namespace CrmPlugins.Emulator.Query
{
    /// <summary>
    /// A primary key in SQL Server's uniqueidentifier order (bytes 10-15, then 8-9, 6-7, 4-5, 0-3), the order Dataverse
    /// sorts and pages ids in, as <see cref="SortValue"/> and conditions compare them. The bytes are packed into two numbers
    /// once, so an ordered index compares keys with two integer comparisons instead of shuffling bytes at every step.
    /// </summary>
    public readonly struct SqlGuidKey : IComparable<SqlGuidKey>, IEquatable<SqlGuidKey>
    {
        private readonly ulong _high;
        private readonly ulong _low;

        public SqlGuidKey(Guid id)
        {
            Id = id;
            Span<byte> bytes = stackalloc byte[16];
            id.TryWriteBytes(bytes);
            _high = ((ulong)bytes[10] << 56) | ((ulong)bytes[11] << 48) | ((ulong)bytes[12] << 40) | ((ulong)bytes[13] << 32)
                | ((ulong)bytes[14] << 24) | ((ulong)bytes[15] << 16) | ((ulong)bytes[8] << 8) | bytes[9];
            _low = ((ulong)bytes[6] << 56) | ((ulong)bytes[7] << 48) | ((ulong)bytes[4] << 40) | ((ulong)bytes[5] << 32)
                | ((ulong)bytes[0] << 24) | ((ulong)bytes[1] << 16) | ((ulong)bytes[2] << 8) | bytes[3];
        }

        /// <summary>The id.</summary>
        public Guid Id { get; }

        /// <summary>Compares two ids in SQL Server's order.</summary>
        public static int Compare(Guid a, Guid b) => new SqlGuidKey(a).CompareTo(new SqlGuidKey(b));

        public int CompareTo(SqlGuidKey other)
        {
            var c = _high.CompareTo(other._high);
            return c != 0 ? c : _low.CompareTo(other._low);
        }

        public bool Equals(SqlGuidKey other) => Id == other.Id;

        public override bool Equals(object? obj) => obj is SqlGuidKey other && Equals(other);

        public override int GetHashCode() => Id.GetHashCode();

        public override string ToString() => Id.ToString("D");
    }
}
