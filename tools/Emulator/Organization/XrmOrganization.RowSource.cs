using System;
using System.Collections.Generic;
using System.Linq;
using CrmPlugins.Emulator.Query;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator
{
    public sealed partial class XrmOrganization
    {
        /// <summary>The organization seen by the query engine.</summary>
        private sealed class StoreRowSource : IRowSource
        {
            private readonly XrmOrganization _org;

            public StoreRowSource(XrmOrganization org) => _org = org;

            public IReadOnlyCollection<Entity> Rows(string table) =>
                table == ActivityPointerView.TableName ? ActivityPointerView.Rows(_org.Store, _org.Metadata) : _org.Store.Rows(table);

            public IReadOnlyCollection<Entity> RowsWhere(string table, string column, object value) =>
                table == ActivityPointerView.TableName
                    ? ActivityPointerView.RowsWhere(_org.Store, _org.Metadata, column, value)
                    : _org.Store.RowsWhere(table, column, value);

            public Entity? RowById(string table, Guid id) =>
                table == ActivityPointerView.TableName
                    ? ActivityPointerView.RowsWhere(_org.Store, _org.Metadata, PrimaryIdAttribute(table), id).FirstOrDefault()
                    : _org.Store.Find(table, id);

            public IEnumerable<Entity> RowsByPrimaryKey(string table, Guid? after, bool inclusive) =>
                table == ActivityPointerView.TableName
                    ? KeyOrderFallback.Rows(this, table, after, inclusive)
                    : _org.Store.RowsByPrimaryKey(table, after, inclusive);

            public string PrimaryIdAttribute(string table) => _org.Metadata.Table(table).PrimaryIdAttribute;

            public bool TableExists(string table) => _org.Store.HasTable(table) || _org.Metadata.IsDeclared(table);

            public bool ColumnExists(string table, string column) => _org.Metadata.Table(table).HasColumn(column);

            public DateTime UtcNow => _org.UtcNow;

            public Guid CallerId => _org.CurrentCaller;

            public Guid CallerBusinessUnitId => _org.BusinessUnitOf(_org.CurrentCaller);

            public int FiscalYearStartMonth => _org.FiscalYearStartMonth;

            public DateTimeBehavior? DateBehavior(string table, string column) =>
                _org.Metadata.Table(table).Columns.TryGetValue(column, out var c) ? c.Behavior : null;
        }
    }
}
