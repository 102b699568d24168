using System;
using System.Collections;
using System.Collections.Generic;
using CrmPlugins.Emulator.Query;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator.Tests.Query
{
    /// <summary>
    /// A small <see cref="IRowSource"/> for the engine's tests: tables in lists, optional declared columns,
    /// lazily built equality indexes, and counters that show how the engine read the rows.
    /// </summary>
    internal sealed class InMemoryRowSource : IRowSource
    {
        private readonly Dictionary<string, List<Entity>> _tables = new Dictionary<string, List<Entity>>(StringComparer.Ordinal);
        private readonly Dictionary<string, HashSet<string>> _declared = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        private readonly Dictionary<string, Dictionary<object, List<Entity>>> _indexes = new Dictionary<string, Dictionary<object, List<Entity>>>(StringComparer.Ordinal);

        /// <summary>Calls of <see cref="Rows"/>.</summary>
        public int RowsCalls { get; private set; }

        /// <summary>Calls of <see cref="RowsWhere"/>.</summary>
        public int RowsWhereCalls { get; private set; }

        /// <summary>Rows the engine enumerated through <see cref="Rows"/> (index results not counted).</summary>
        public long RowsEnumerated { get; private set; }

        /// <summary>Rows the engine enumerated from index results (<see cref="RowsWhere"/>).</summary>
        public long IndexRowsEnumerated { get; private set; }

        public DateTime UtcNow { get; set; } = new DateTime(2024, 5, 15, 10, 30, 0, DateTimeKind.Utc);

        public Guid CallerId { get; set; } = Guid.NewGuid();

        public Guid CallerBusinessUnitId { get; set; } = Guid.NewGuid();

        public int FiscalYearStartMonth { get; set; } = 1;

        /// <summary>Stores a row (id and primary key column set when missing) and returns it.</summary>
        public Entity Add(Entity entity)
        {
            if (entity.Id == Guid.Empty) entity.Id = Guid.NewGuid();
            entity[PrimaryIdAttribute(entity.LogicalName)] = entity.Id;
            if (!_tables.TryGetValue(entity.LogicalName, out var rows)) _tables[entity.LogicalName] = rows = new List<Entity>();
            rows.Add(entity);
            _indexes.Clear();
            return entity;
        }

        /// <summary>Stores a new row of the table with the given columns.</summary>
        public Entity Add(string table, params (string Column, object? Value)[] columns)
        {
            var entity = new Entity(table);
            foreach (var (column, value) in columns) entity[column] = value;
            return Add(entity);
        }

        /// <summary>Declares the table's columns: the engine must then fault on any other.</summary>
        public void Declare(string table, params string[] columns)
        {
            var set = new HashSet<string>(columns, StringComparer.Ordinal) { PrimaryIdAttribute(table) };
            _declared[table] = set;
        }

        public void ResetCounters()
        {
            RowsCalls = 0;
            RowsWhereCalls = 0;
            RowsEnumerated = 0;
            IndexRowsEnumerated = 0;
        }

        public IReadOnlyCollection<Entity> Rows(string table)
        {
            RowsCalls++;
            return new CountingRows(_tables.TryGetValue(table, out var rows) ? rows : new List<Entity>(), this, false);
        }

        public IReadOnlyCollection<Entity> RowsWhere(string table, string column, object value)
        {
            RowsWhereCalls++;
            var key = table + "\u0001" + column;
            if (!_indexes.TryGetValue(key, out var index))
            {
                index = new Dictionary<object, List<Entity>>();
                if (_tables.TryGetValue(table, out var rows))
                {
                    foreach (var row in rows)
                    {
                        var stored = row.Attributes.TryGetValue(column, out var v) ? Normalize(v) : null;
                        if (stored == null) continue;
                        if (!index.TryGetValue(stored, out var list)) index[stored] = list = new List<Entity>();
                        list.Add(row);
                    }
                }

                _indexes[key] = index;
            }

            var normalized = Normalize(value);
            return new CountingRows(normalized != null && index.TryGetValue(normalized, out var hits) ? hits : new List<Entity>(), this, true);
        }

        public string PrimaryIdAttribute(string table) => table switch
        {
            "email" or "phonecall" or "task" or "appointment" or "activitypointer" => "activityid",
            _ => table + "id",
        };

        public bool TableExists(string table) => _tables.ContainsKey(table) || _declared.ContainsKey(table);

        public bool ColumnExists(string table, string column) => !_declared.TryGetValue(table, out var columns) || columns.Contains(column);

        private static object? Normalize(object? value) => value switch
        {
            EntityReference reference => reference.Id,
            OptionSetValue option => option.Value,
            Money money => money.Value,
            string text => text.ToUpperInvariant(),
            _ => value,
        };

        private sealed class CountingRows : IReadOnlyCollection<Entity>
        {
            private readonly List<Entity> _rows;
            private readonly InMemoryRowSource _owner;
            private readonly bool _fromIndex;

            public CountingRows(List<Entity> rows, InMemoryRowSource owner, bool fromIndex)
            {
                _rows = rows;
                _owner = owner;
                _fromIndex = fromIndex;
            }

            public int Count => _rows.Count;

            public IEnumerator<Entity> GetEnumerator()
            {
                foreach (var row in _rows)
                {
                    if (_fromIndex) _owner.IndexRowsEnumerated++;
                    else _owner.RowsEnumerated++;
                    yield return row;
                }
            }

            IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
        }
    }
}
