using System;
using System.Collections.Generic;
using CrmPlugins.Emulator.Query;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator.Tests.Query
{
    /// <summary>An <see cref="IRowSource"/> that hands every call to another: a test overrides the reads it counts.</summary>
    internal abstract class ForwardingRowSource : IRowSource
    {
        protected ForwardingRowSource(IRowSource inner) => Inner = inner;

        protected IRowSource Inner { get; }

        public DateTime UtcNow => Inner.UtcNow;

        public Guid CallerId => Inner.CallerId;

        public Guid CallerBusinessUnitId => Inner.CallerBusinessUnitId;

        public int FiscalYearStartMonth => Inner.FiscalYearStartMonth;

        public virtual IReadOnlyCollection<Entity> Rows(string table) => Inner.Rows(table);

        public virtual IReadOnlyCollection<Entity> RowsWhere(string table, string column, object value) => Inner.RowsWhere(table, column, value);

        public virtual IEnumerable<Entity> RowsByPrimaryKey(string table, Guid? after, bool inclusive) => Inner.RowsByPrimaryKey(table, after, inclusive);

        public virtual Entity? RowById(string table, Guid id) => Inner.RowById(table, id);

        public string PrimaryIdAttribute(string table) => Inner.PrimaryIdAttribute(table);

        public bool TableExists(string table) => Inner.TableExists(table);

        public bool ColumnExists(string table, string column) => Inner.ColumnExists(table, column);

        public DateTimeBehavior? DateBehavior(string table, string column) => Inner.DateBehavior(table, column);
    }
}
