using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator.Query
{
    /// <summary>
    /// Turns the joined rows of a non-aggregate query into an <see cref="EntityCollection"/>: sort, distinct,
    /// top, paging (page number or paging cookie), total count and projection into new entities.
    /// </summary>
    internal static class RowResults
    {
        /// <summary>The page size when the query sets none (Dataverse returns at most 5,000 rows per request).</summary>
        public const int DefaultPageSize = 5000;

        /// <summary>The most TotalRecordCount reports.</summary>
        public const int TotalRecordCountLimit = 5000;

        public static EntityCollection Build(QueryPlan plan, List<Entity?[]> rows)
        {
            var model = plan.Model;
            var projector = new Projector(plan);
            var order = new RowOrder(plan.Sort);
            var result = new EntityCollection { EntityName = plan.Main.Table, TotalRecordCount = -1 };

            if (model.Distinct)
            {
                var seen = new HashSet<DistinctKey>();
                var distinct = new List<Entity>();
                foreach (var row in order.TakeSmallest(rows, rows.Count, null))
                {
                    var entity = projector.Project(row.Row);
                    if (seen.Add(new DistinctKey(entity))) distinct.Add(entity);
                }

                SetTotal(model, result, distinct.Count);
                var (offset, size) = model.Top is int top ? (0, top) : OffsetPaging(model);
                result.Entities.AddRange(distinct.Skip(offset).Take(size));
                result.MoreRecords = model.Top == null && distinct.Count > offset + size;
                return result;
            }

            SetTotal(model, result, rows.Count);
            // The page is selected[from..to): read in place rather than copied out (5,000 rows a page).
            List<SortedRow> selected;
            int from;
            int to;
            bool more;
            int pageNumber;
            if (model.Top is int topCount)
            {
                selected = order.TakeSmallest(rows, topCount, null);
                (from, to) = (0, selected.Count);
                more = false;
                pageNumber = 1;
            }
            else
            {
                var pageSize = PageSize(model);
                pageNumber = PageNumber(model);
                var offset = (pageNumber - 1) * pageSize;
                var anchor = CookieAnchor(plan, order, rows, pageNumber);
                if (anchor != null) offset = 0;
                else if ((long)offset + pageSize > QueryFaults.SimplePagingRecordLimit) throw QueryFaults.PagingCookieRequired();
                selected = order.TakeSmallest(rows, offset + pageSize + 1, anchor);
                from = Math.Min(offset, selected.Count);
                to = Math.Min(offset + pageSize, selected.Count);
                more = selected.Count > offset + pageSize;
            }

            for (var i = from; i < to; i++) result.Entities.Add(projector.Project(selected[i].Row));
            result.MoreRecords = more;
            if (to > from)
            {
                var orderColumns = plan.Sort.Where(s => s.Slot.Index == 0).Select(s => s.Column).ToList();
                result.PagingCookie = PagingCookie.Create(pageNumber, orderColumns, plan.Main.PrimaryId, selected[from].Row, selected[to - 1].Row,
                    (column, row) => plan.Main.Getter(column)(row));
            }

            return result;
        }

        private static void SetTotal(QueryModel model, EntityCollection result, int count)
        {
            if (!model.Paging.ReturnTotalRecordCount) return;
            result.TotalRecordCount = Math.Min(count, TotalRecordCountLimit);
            result.TotalRecordCountLimitExceeded = count > TotalRecordCountLimit;
        }

        /// <summary>The page size: the query's count, at most 5,000 ("the default and maximum page size is 5,000 rows",
        /// learn.microsoft.com/power-apps/developer/data-platform/fetchxml/page-results).</summary>
        internal static int PageSize(QueryModel model) => model.Paging.Count > 0 ? Math.Min(model.Paging.Count, DefaultPageSize) : DefaultPageSize;

        /// <summary>The page asked for (the first when none is).</summary>
        internal static int PageNumber(QueryModel model) => model.Paging.PageNumber > 0 ? model.Paging.PageNumber : 1;

        /// <summary>
        /// The key of the last row of the cookie's page, when the cookie belongs to the previous page (Dataverse ignores a cookie
        /// for non-consecutive pages); null without a usable cookie. A cookie that is not XML is a fault.
        /// </summary>
        internal static Guid? CookieKey(QueryPlan plan, int pageNumber)
        {
            var text = plan.Model.Paging.Cookie;
            if (string.IsNullOrEmpty(text)) return null;
            var cookie = PagingCookie.Parse(text!, plan.Main.PrimaryId);
            return pageNumber <= 1 || cookie.Page != pageNumber - 1 ? null : cookie.LastId;
        }

        private static (int Offset, int Size) OffsetPaging(QueryModel model)
        {
            var size = PageSize(model);
            var page = model.Paging.PageNumber > 0 ? model.Paging.PageNumber : 1;
            return ((page - 1) * size, size);
        }

        /// <summary>
        /// The row the cookie's page ended with, when the cookie belongs to the previous page (Dataverse ignores a
        /// cookie for non-consecutive pages) and that row still matches; the next page starts after it. Otherwise the
        /// page number decides.
        /// </summary>
        private static SortedRow? CookieAnchor(QueryPlan plan, RowOrder order, List<Entity?[]> rows, int pageNumber)
        {
            if (CookieKey(plan, pageNumber) is not Guid last) return null;
            var idGetter = plan.Main.Getter(plan.Main.PrimaryId);
            SortedRow? anchor = null;
            for (var i = 0; i < rows.Count; i++)
            {
                if (!(QueryValues.Core(idGetter(rows[i])) is Guid id) || id != last) continue;
                var candidate = new SortedRow(rows[i], order.Keys(rows[i]), i);
                if (anchor == null || order.Compare(candidate, anchor.Value) > 0) anchor = candidate;
            }

            // The cookie's row is gone (deleted, or no longer matching): when the query sorts by the primary key alone (the
            // default order, or an order on the key, which the key's own tie-breaker repeats) the cookie's key still says where
            // the next page starts, as the platform reads it.
            if (anchor == null && plan.Sort.Count > 0 && plan.Sort.TrueForAll(s => s.Slot.Index == 0 && s.Column == plan.Main.PrimaryId))
            {
                var key = SortValue.From(last);
                anchor = new SortedRow(Array.Empty<Entity?>(), plan.Sort.Select(_ => key).ToArray(), int.MaxValue);
            }
            return anchor;
        }

        /// <summary>A row with its sort keys and its position (the last tie-breaker, so sorting is stable).</summary>
        private readonly struct SortedRow
        {
            public SortedRow(Entity?[] row, SortValue[] keys, int ordinal)
            {
                Row = row;
                Keys = keys;
                Ordinal = ordinal;
            }

            public Entity?[] Row { get; }

            public SortValue[] Keys { get; }

            public int Ordinal { get; }
        }

        /// <summary>The query's sort: key extraction, comparison and top-k selection.</summary>
        private sealed class RowOrder
        {
            private readonly List<SortColumn> _sort;

            public RowOrder(List<SortColumn> sort)
            {
                // A column sorted on again (an order on the primary key, then the key as the last tie-breaker) is reached only
                // when its first sort found the rows equal, so it never decides: each column is read and compared once.
                _sort = new List<SortColumn>(sort.Count);
                foreach (var column in sort)
                    if (!_sort.Exists(s => s.Slot.Index == column.Slot.Index && string.Equals(s.Column, column.Column, StringComparison.Ordinal))) _sort.Add(column);
            }

            public SortValue[] Keys(Entity?[] row)
            {
                var keys = new SortValue[_sort.Count];
                Fill(row, keys);
                return keys;
            }

            public int Compare(SortedRow a, SortedRow b)
            {
                for (var k = 0; k < _sort.Count; k++)
                {
                    var c = SortValue.Compare(a.Keys[k], b.Keys[k]);
                    if (c != 0) return _sort[k].Descending ? -c : c;
                }

                return a.Ordinal.CompareTo(b.Ordinal);
            }

            /// <summary>
            /// The k first rows in order (only rows after <paramref name="after"/> when given): a full sort when k is
            /// large, else a bounded heap that allocates keys only for the rows it keeps.
            /// </summary>
            public List<SortedRow> TakeSmallest(List<Entity?[]> rows, int k, SortedRow? after)
            {
                var result = new List<SortedRow>();
                if (k <= 0) return result;
                if ((long)k * 4 >= rows.Count)
                {
                    result.Capacity = rows.Count;
                    var sorted = true;
                    for (var i = 0; i < rows.Count; i++)
                    {
                        var row = new SortedRow(rows[i], Keys(rows[i]), i);
                        if (after != null && Compare(row, after.Value) <= 0) continue;
                        sorted = sorted && (result.Count == 0 || Compare(result[result.Count - 1], row) < 0);
                        result.Add(row);
                    }

                    // Rows read in key order (a page read from its key) come sorted: the order is total, so there is nothing to move.
                    if (!sorted) result.Sort(Compare);
                    if (result.Count > k) result.RemoveRange(k, result.Count - k);
                    return result;
                }

                // Max-heap of the k smallest so far: its root is the largest row kept.
                var heap = new PriorityQueue<SortedRow, SortedRow>(k + 1, Comparer<SortedRow>.Create((a, b) => Compare(b, a)));
                var scratch = new SortValue[_sort.Count];
                for (var i = 0; i < rows.Count; i++)
                {
                    Fill(rows[i], scratch);
                    var probe = new SortedRow(rows[i], scratch, i);
                    if (after != null && Compare(probe, after.Value) <= 0) continue;
                    if (heap.Count == k && Compare(probe, heap.Peek()) >= 0) continue;
                    var kept = new SortedRow(rows[i], (SortValue[])scratch.Clone(), i);
                    if (heap.Count < k) heap.Enqueue(kept, kept);
                    else heap.EnqueueDequeue(kept, kept);
                }

                while (heap.Count > 0) result.Add(heap.Dequeue());
                result.Sort(Compare);
                return result;
            }

            private void Fill(Entity?[] row, SortValue[] keys)
            {
                for (var k = 0; k < _sort.Count; k++) keys[k] = SortValue.From(_sort[k].Get(row));
            }
        }

        /// <summary>The returned columns of a row, compared as DISTINCT compares them.</summary>
        private sealed class DistinctKey : IEquatable<DistinctKey>
        {
            private readonly KeyValuePair<string, object?>[] _values;
            private readonly int _hash;

            public DistinctKey(Entity entity)
            {
                _values = entity.Attributes
                    .Select(a => new KeyValuePair<string, object?>(a.Key, QueryValues.GroupKey(a.Value)))
                    .OrderBy(a => a.Key, StringComparer.Ordinal)
                    .ToArray();
                var hash = new HashCode();
                foreach (var value in _values)
                {
                    hash.Add(value.Key, StringComparer.Ordinal);
                    hash.Add(value.Value);
                }

                _hash = hash.ToHashCode();
            }

            public bool Equals(DistinctKey? other)
            {
                if (other == null || other._values.Length != _values.Length) return false;
                for (var i = 0; i < _values.Length; i++)
                {
                    if (!string.Equals(_values[i].Key, other._values[i].Key, StringComparison.Ordinal)) return false;
                    if (!Equals(_values[i].Value, other._values[i].Value)) return false;
                }

                return true;
            }

            public override bool Equals(object? obj) => Equals(obj as DistinctKey);

            public override int GetHashCode() => _hash;
        }
    }

    /// <summary>
    /// Builds the entities a query returns: only the requested, non-null columns, the primary key (except for
    /// DISTINCT), link columns as <see cref="AliasedValue"/> under "alias.column", and copies of every SDK value.
    /// </summary>
    internal sealed class Projector
    {
        private readonly QueryPlan _plan;
        private readonly List<Output> _outputs;
        private readonly List<Slot> _allColumnSlots = new List<Slot>();
        private readonly ColumnGetter _mainId;
        private readonly ProjectedColumns _values = new ProjectedColumns();

        public Projector(QueryPlan plan)
        {
            _plan = plan;
            _mainId = plan.Main.Getter(plan.Main.PrimaryId);
            var columns = 0;
            foreach (var slot in plan.Slots) columns += slot.Node.Columns.Count;
            _outputs = new List<Output>(columns);
            foreach (var slot in plan.Slots)
            {
                if (!slot.IsJoined) continue;
                if (slot.Node.AllColumns) _allColumnSlots.Add(slot);
                foreach (var column in slot.Node.Columns)
                {
                    var key = column.Alias ?? (slot.Index == 0 ? column.Name : slot.Alias + "." + column.Name);
                    _outputs.Add(new Output(slot, column.Name, key, slot.Index != 0 || column.Alias != null));
                }
            }
        }

        public Entity Project(Entity?[] row)
        {
            var main = _plan.Main;
            var source = row[0]!;
            var entity = new Entity(main.Table);
            var values = _values;
            values.Clear();
            if (!_plan.Model.Distinct && QueryValues.Core(_mainId(row)) is Guid id)
            {
                entity.Id = id;
                values.Set(main.PrimaryId, id);
                // Each row comes with its version, as the platform's does, so a writer can ask for optimistic concurrency.
                entity.RowVersion = source.RowVersion;
            }

            foreach (var slot in _allColumnSlots)
            {
                var stored = row[slot.Index];
                if (stored == null) continue;
                foreach (var attribute in stored.Attributes)
                {
                    if (attribute.Value == null) continue;
                    if (slot.Index == 0)
                    {
                        if (_plan.Model.Distinct && attribute.Key == main.PrimaryId) continue;
                        Set(values, attribute.Key, attribute.Key, attribute.Value, null);
                    }
                    else
                    {
                        Set(values, attribute.Key, slot.Alias + "." + attribute.Key, attribute.Value, slot);
                    }
                }
            }

            foreach (var output in _outputs)
            {
                var stored = row[output.Slot.Index];
                if (stored == null) continue;
                var value = output.Read(stored);
                if (value == null) continue;
                Set(values, output.Column, output.Key, value, output.Aliased ? output.Slot : null);
                if (output.Slot.Index == 0 && output.Column == main.PrimaryId && QueryValues.Core(value) is Guid key) entity.Id = key;
            }

            // Added at once, so the row's collection is made at its size instead of grown a column at a time (5,000 rows a page).
            if (values.Count > 0) entity.Attributes.AddRange(values);
            return entity;
        }

        private static void Set(ProjectedColumns values, string column, string key, object value, Slot? aliasedFrom)
        {
            var copy = QueryValues.CloneValue(value);
            values.Set(key, aliasedFrom == null ? copy! : new AliasedValue(aliasedFrom.Table, column, copy));
        }

        /// <summary>
        /// The columns of the row being projected, in the order they were first set, a later value of a key replacing the earlier
        /// in its place (as setting an entity's column does). Kept across rows; a set of names only for wide rows.
        /// </summary>
        private sealed class ProjectedColumns : List<KeyValuePair<string, object>>
        {
            private const int ScanUpTo = 12;
            private readonly Dictionary<string, int> _at = new Dictionary<string, int>(StringComparer.Ordinal);

            public new void Clear()
            {
                base.Clear();
                _at.Clear();
            }

            public void Set(string key, object value)
            {
                var i = IndexOf(key);
                if (i >= 0)
                {
                    this[i] = new KeyValuePair<string, object>(key, value);
                    return;
                }

                if (Count >= ScanUpTo)
                {
                    if (_at.Count == 0)
                        for (var k = 0; k < Count; k++) _at[this[k].Key] = k;
                    _at[key] = Count;
                }

                Add(new KeyValuePair<string, object>(key, value));
            }

            private int IndexOf(string key)
            {
                if (_at.Count > 0) return _at.TryGetValue(key, out var at) ? at : -1;
                for (var i = 0; i < Count; i++)
                    if (string.Equals(this[i].Key, key, StringComparison.Ordinal)) return i;
                return -1;
            }
        }

        private sealed class Output
        {
            public Output(Slot slot, string column, string key, bool aliased)
            {
                Slot = slot;
                Column = column;
                Key = key;
                Aliased = aliased;
                _primaryKey = string.Equals(column, slot.PrimaryId, StringComparison.Ordinal);
            }

            public Slot Slot { get; }

            public string Column { get; }

            public string Key { get; }

            public bool Aliased { get; }

            private readonly bool _primaryKey;

            /// <summary>The column of the slot's row, as <see cref="Slot.Getter"/> reads it (the primary key falls back to the id), read
            /// in place: a query of 40 columns for each of 10,000 deals made a reader for each column of each query.</summary>
            public object? Read(Entity stored) =>
                stored.Attributes.TryGetValue(Column, out var value) && (value != null || !_primaryKey) ? value
                : _primaryKey && stored.Id != Guid.Empty ? stored.Id : null;
        }
    }
}
