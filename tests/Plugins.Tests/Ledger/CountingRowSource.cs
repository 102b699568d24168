using System;
using System.Collections;
using System.Collections.Generic;
using CrmPlugins.Emulator;
using CrmPlugins.Emulator.Query;
using Microsoft.Xrm.Sdk;

namespace DealRisk.Plugins.Tests.Ledger
{
    /// <summary>An organization's rows as the query engine reads them, counting every row it enumerates (table scans and index hits).</summary>
    internal sealed class CountingRowSource : IRowSource
    {
        private readonly IRowSource _inner;

        public CountingRowSource(IRowSource inner) => _inner = inner;

        /// <summary>Rows the engine enumerated since the counter was last set.</summary>
        public long Visited { get; set; }

        public IReadOnlyCollection<Entity> Rows(string table) => new Counted(_inner.Rows(table), this);

        public IReadOnlyCollection<Entity> RowsWhere(string table, string column, object value) => new Counted(_inner.RowsWhere(table, column, value), this);

        public Entity? RowById(string table, Guid id)
        {
            var row = _inner.RowById(table, id);
            if (row != null) Visited++;
            return row;
        }

        public string PrimaryIdAttribute(string table) => _inner.PrimaryIdAttribute(table);

        public bool TableExists(string table) => _inner.TableExists(table);

        public bool ColumnExists(string table, string column) => _inner.ColumnExists(table, column);

        public DateTime UtcNow => _inner.UtcNow;

        public Guid CallerId => _inner.CallerId;

        public Guid CallerBusinessUnitId => _inner.CallerBusinessUnitId;

        public int FiscalYearStartMonth => _inner.FiscalYearStartMonth;

        public DateTimeBehavior? DateBehavior(string table, string column) => _inner.DateBehavior(table, column);

        private sealed class Counted : IReadOnlyCollection<Entity>
        {
            private readonly IReadOnlyCollection<Entity> _rows;
            private readonly CountingRowSource _owner;

            public Counted(IReadOnlyCollection<Entity> rows, CountingRowSource owner)
            {
                _rows = rows;
                _owner = owner;
            }

            public int Count => _rows.Count;

            public IEnumerator<Entity> GetEnumerator()
            {
                foreach (var row in _rows)
                {
                    _owner.Visited++;
                    yield return row;
                }
            }

            IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
        }
    }
}
