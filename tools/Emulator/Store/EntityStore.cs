using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator
{
    /// <summary>
    /// The rows of the organization, by table and id, with equality indexes built on first use and kept
    /// up to date on every write. Rows are replaced, never changed in place, so a row handed to the query
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
            t.Remove(row.Id);
            t.Add(row);
            Transaction?.Record(() => { t.Remove(row.Id); t.Add(old); });
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

            public Dictionary<object, HashSet<Guid>> Index(string column)
            {
                if (_indexes.TryGetValue(column, out var index)) return index;
                index = new Dictionary<object, HashSet<Guid>>();
                foreach (var row in Rows.Values) AddTo(index, row, column);
                return _indexes[column] = index;
            }

            public void Add(Entity row)
            {
                Rows.Add(row.Id, row);
                foreach (var (column, index) in _indexes) AddTo(index, row, column);
            }

            public void Remove(Guid id)
            {
                if (!Rows.Remove(id, out var row)) return;
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
    }
}
