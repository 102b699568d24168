using System;
using System.Collections.Generic;
using System.Linq;
using CrmPlugins.Emulator.Query;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator
{
    /// <summary>
    /// The rows of the organization, by table and id, with equality indexes and an index of the primary key in SQL Server's
    /// order, each built on first use and kept up to date on every write. Rows are replaced, never changed in place, so a row handed to the query
    /// engine stays as it was. Every write is recorded in the open <see cref="StoreTransaction"/> so that
    /// a failed operation can be rolled back exactly.
    /// </summary>
    internal sealed class EntityStore
    {
        private readonly Dictionary<string, Table> _tables = new(StringComparer.Ordinal);

        public StoreTransaction? Transaction { get; set; }

        public IReadOnlyCollection<Entity> Rows(string table) =>
            _tables.TryGetValue(table, out var t) ? t.Rows.Values : Array.Empty<Entity>();

        public IEnumerable<string> Tables => _tables.Keys;

        public bool HasTable(string table) => _tables.ContainsKey(table);

        public Entity? Find(string table, Guid id) =>
            _tables.TryGetValue(table, out var t) && t.Rows.TryGetValue(id, out var row) ? row : null;

        public IReadOnlyCollection<Entity> RowsWhere(string table, string column, object? value)
        {
            if (!_tables.TryGetValue(table, out var t)) return Array.Empty<Entity>();
            var index = t.Index(column);
            var key = AttributeValues.IndexKey(value);
            if (key == null || !index.TryGetValue(key, out var ids)) return Array.Empty<Entity>();
            return new IndexedRows(ids, t.Rows);
        }

        /// <summary>The rows of a table in primary key order (SQL Server's uniqueidentifier order), after a key or from the
        /// first, from an ordered index of the keys. Enumerate it before the next write.</summary>
        public IEnumerable<Entity> RowsByPrimaryKey(string table, Guid? after, bool inclusive)
        {
            if (!_tables.TryGetValue(table, out var t)) yield break;
            foreach (var id in t.KeyOrder().From(after, inclusive)) yield return t.Rows[id];
        }

        public void Insert(Entity row)
        {
            var t = TableOf(row.LogicalName);
            if (t.Rows.ContainsKey(row.Id)) throw Faults.Duplicate(row.LogicalName, row.Id);
            t.Add(row);
            Transaction?.Record(() => t.Remove(row.Id));
        }

        public void Replace(Entity row)
        {
            var t = TableOf(row.LogicalName);
            var old = t.Rows[row.Id];
            // The id stays: the key order need not change.
            t.Remove(row.Id, keyGoes: false);
            t.Add(row, newKey: false);
            Transaction?.Record(() => { t.Remove(row.Id, keyGoes: false); t.Add(old, newKey: false); });
        }

        public void Remove(string table, Guid id)
        {
            var t = TableOf(table);
            if (!t.Rows.TryGetValue(id, out var old)) return;
            t.Remove(id);
            Transaction?.Record(() => t.Add(old));
        }

        /// <summary>A deep copy of every row, for comparing the org before and after an operation.</summary>
        public Dictionary<(string, Guid), Entity> Snapshot() =>
            _tables.SelectMany(t => t.Value.Rows.Values).ToDictionary(r => (r.LogicalName, r.Id), AttributeValues.CloneEntity);

        private Table TableOf(string name)
        {
            if (string.IsNullOrEmpty(name)) throw Faults.InvalidArgument("The entity has no logical name.");
            if (!_tables.TryGetValue(name, out var t)) _tables[name] = t = new Table();
            return t;
        }

        /// <summary>The rows of one index entry, read in place (a query joining a million lines to their deals asks for one
        /// entry per line: copying each into a list cost more than the join). Enumerate it before the next write.</summary>
        private sealed class IndexedRows : IReadOnlyCollection<Entity>
        {
            private readonly HashSet<Guid> _ids;
            private readonly Dictionary<Guid, Entity> _rows;

            public IndexedRows(HashSet<Guid> ids, Dictionary<Guid, Entity> rows)
            {
                _ids = ids;
                _rows = rows;
            }

            public int Count => _ids.Count;

            public IEnumerator<Entity> GetEnumerator()
            {
                foreach (var id in _ids) yield return _rows[id];
            }

            System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
        }

        private sealed class Table
        {
            public readonly Dictionary<Guid, Entity> Rows = new();
            private readonly Dictionary<string, Dictionary<object, HashSet<Guid>>> _indexes = new(StringComparer.Ordinal);
            private OrderedKeys? _keyOrder;

            public OrderedKeys KeyOrder() => _keyOrder ??= new OrderedKeys(Rows.Keys);

            public Dictionary<object, HashSet<Guid>> Index(string column)
            {
                if (_indexes.TryGetValue(column, out var index)) return index;
                index = new Dictionary<object, HashSet<Guid>>();
                foreach (var row in Rows.Values) AddTo(index, row, column);
                return _indexes[column] = index;
            }

            public void Add(Entity row, bool newKey = true)
            {
                Rows.Add(row.Id, row);
                if (newKey) _keyOrder?.Add(row.Id);
                foreach (var (column, index) in _indexes) AddTo(index, row, column);
            }

            public void Remove(Guid id, bool keyGoes = true)
            {
                if (!Rows.Remove(id, out var row)) return;
                if (keyGoes) _keyOrder?.Remove(id);
                foreach (var (column, index) in _indexes)
                {
                    var key = row.Attributes.TryGetValue(column, out var v) ? AttributeValues.IndexKey(v) : null;
                    if (key != null && index.TryGetValue(key, out var ids)) ids.Remove(id);
                }
            }

            private static void AddTo(Dictionary<object, HashSet<Guid>> index, Entity row, string column)
            {
                var key = row.Attributes.TryGetValue(column, out var v) ? AttributeValues.IndexKey(v) : null;
                if (key == null) return;
                if (!index.TryGetValue(key, out var ids)) index[key] = ids = new HashSet<Guid>();
                ids.Add(row.Id);
            }
        }

        /// <summary>
        /// The ids of a table in SQL Server's uniqueidentifier order: sorted blocks of at most <see cref="MaxBlock"/> keys, found
        /// by binary search. A write moves at most one block's keys (a sorted set cannot be read from a key without counting
        /// what follows it, and one sorted array would move half the table on every insert).
        /// </summary>
        private sealed class OrderedKeys
        {
            private const int MaxBlock = 1024;
            private readonly List<List<SqlGuidKey>> _blocks = new();
            private int _version;

            public OrderedKeys(IEnumerable<Guid> ids)
            {
                var keys = ids.Select(id => new SqlGuidKey(id)).ToList();
                keys.Sort();
                for (var i = 0; i < keys.Count; i += MaxBlock / 2)
                    _blocks.Add(keys.GetRange(i, Math.Min(MaxBlock / 2, keys.Count - i)));
            }

            public void Add(Guid id)
            {
                var key = new SqlGuidKey(id);
                _version++;
                if (_blocks.Count == 0)
                {
                    _blocks.Add(new List<SqlGuidKey> { key });
                    return;
                }

                var b = BlockOf(key);
                var block = _blocks[b];
                var i = block.BinarySearch(key);
                if (i >= 0) return;
                block.Insert(~i, key);
                if (block.Count < MaxBlock) return;
                var half = block.Count / 2;
                _blocks.Insert(b + 1, block.GetRange(half, block.Count - half));
                block.RemoveRange(half, block.Count - half);
            }

            public void Remove(Guid id)
            {
                if (_blocks.Count == 0) return;
                var key = new SqlGuidKey(id);
                var b = BlockOf(key);
                var block = _blocks[b];
                var i = block.BinarySearch(key);
                if (i < 0) return;
                _version++;
                block.RemoveAt(i);
                if (block.Count == 0) _blocks.RemoveAt(b);
            }

            /// <summary>The ids after <paramref name="after"/> (or at it, when inclusive), in order; every id when null.</summary>
            public IEnumerable<Guid> From(Guid? after, bool inclusive)
            {
                var version = _version;
                int b = 0, i = 0;
                if (after is Guid start && _blocks.Count > 0)
                {
                    var key = new SqlGuidKey(start);
                    b = BlockOf(key);
                    i = _blocks[b].BinarySearch(key);
                    i = i >= 0 ? (inclusive ? i : i + 1) : ~i;
                }

                for (; b < _blocks.Count; b++, i = 0)
                {
                    var block = _blocks[b];
                    for (; i < block.Count; i++)
                    {
                        if (version != _version) throw new InvalidOperationException("The table changed while its rows were read in key order.");
                        yield return block[i].Id;
                    }
                }
            }

            /// <summary>The block a key belongs in: the last whose first key is not after it (the first block for a key before all).</summary>
            private int BlockOf(SqlGuidKey key)
            {
                int lo = 0, hi = _blocks.Count - 1;
                while (lo < hi)
                {
                    var mid = (lo + hi + 1) / 2;
                    if (_blocks[mid][0].CompareTo(key) <= 0) lo = mid;
                    else hi = mid - 1;
                }

                return lo;
            }
        }
    }
}
