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
            var sorted = SortKeys(plan, rows);
            Comparison<SortedRow> compare = (a, b) => Compare(plan, a, b);
            var result = new EntityCollection { EntityName = plan.Main.Table, TotalRecordCount = -1 };

            if (model.Distinct)
            {
                sorted.Sort(compare);
                var seen = new HashSet<DistinctKey>();
                var distinct = new List<Entity>();
                foreach (var row in sorted)
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
            List<SortedRow> page;
            bool more;
            int pageNumber;
            if (model.Top is int topCount)
            {
                page = TakeSmallest(sorted, topCount, compare);
                more = false;
                pageNumber = 1;
            }
            else
            {
                var pageSize = model.Paging.Count > 0 ? model.Paging.Count : DefaultPageSize;
                pageNumber = model.Paging.PageNumber > 0 ? model.Paging.PageNumber : 1;
                var candidates = sorted;
                var offset = (pageNumber - 1) * pageSize;
                var anchor = CookieAnchor(plan, sorted, pageNumber, compare);
                if (anchor != null)
                {
                    candidates = sorted.FindAll(row => compare(row, anchor.Value) > 0);
                    offset = 0;
                }

                var selected = TakeSmallest(candidates, offset + pageSize + 1, compare);
                page = selected.Skip(offset).Take(pageSize).ToList();
                more = selected.Count > offset + pageSize;
            }

            foreach (var row in page) result.Entities.Add(projector.Project(row.Row));
            result.MoreRecords = more;
            if (page.Count > 0)
            {
                var orderColumns = plan.Sort.Where(s => s.Slot.Index == 0).Select(s => s.Column).ToList();
                result.PagingCookie = PagingCookie.Create(pageNumber, orderColumns, plan.Main.PrimaryId, page[0].Row, page[page.Count - 1].Row,
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

        private static (int Offset, int Size) OffsetPaging(QueryModel model)
        {
            var size = model.Paging.Count > 0 ? model.Paging.Count : DefaultPageSize;
            var page = model.Paging.PageNumber > 0 ? model.Paging.PageNumber : 1;
            return ((page - 1) * size, size);
        }

        /// <summary>
        /// The row the cookie's page ended with, when the cookie belongs to the previous page (Dataverse ignores a
        /// cookie for non-consecutive pages) and that row still matches; the next page starts after it. Otherwise the
        /// page number decides.
        /// </summary>
        private static SortedRow? CookieAnchor(QueryPlan plan, List<SortedRow> rows, int pageNumber, Comparison<SortedRow> compare)
        {
            var text = plan.Model.Paging.Cookie;
            if (string.IsNullOrEmpty(text)) return null;
            var cookie = PagingCookie.Parse(text!, plan.Main.PrimaryId);
            if (pageNumber <= 1 || cookie.Page != pageNumber - 1 || cookie.LastId == null) return null;
            var idGetter = plan.Main.Getter(plan.Main.PrimaryId);
            SortedRow? anchor = null;
            foreach (var row in rows)
            {
                if (!(QueryValues.Core(idGetter(row.Row)) is Guid id) || id != cookie.LastId.Value) continue;
                if (anchor == null || compare(row, anchor.Value) > 0) anchor = row;
            }

            return anchor;
        }

        private static List<SortedRow> SortKeys(QueryPlan plan, List<Entity?[]> rows)
        {
            var sort = plan.Sort;
            var result = new List<SortedRow>(rows.Count);
            for (var i = 0; i < rows.Count; i++)
            {
                var keys = new object?[sort.Count];
                for (var k = 0; k < sort.Count; k++) keys[k] = QueryValues.SortKey(sort[k].Get(rows[i]));
                result.Add(new SortedRow(rows[i], keys, i));
            }

            return result;
        }

        private static int Compare(QueryPlan plan, SortedRow a, SortedRow b)
        {
            var sort = plan.Sort;
            for (var k = 0; k < sort.Count; k++)
            {
                var c = QueryValues.SortCompare(a.Keys[k], b.Keys[k]);
                if (c != 0) return sort[k].Descending ? -c : c;
            }

            return a.Ordinal.CompareTo(b.Ordinal);
        }

        /// <summary>The k smallest rows in order: a full sort when k is large, else a bounded heap.</summary>
        private static List<SortedRow> TakeSmallest(List<SortedRow> rows, int k, Comparison<SortedRow> compare)
        {
            if (k <= 0) return new List<SortedRow>();
            if ((long)k * 4 >= rows.Count)
            {
                var all = new List<SortedRow>(rows);
                all.Sort(compare);
                if (all.Count > k) all.RemoveRange(k, all.Count - k);
                return all;
            }

            // Max-heap of the k smallest so far: the root is the largest kept row.
            var largestFirst = Comparer<SortedRow>.Create((a, b) => compare(b, a));
            var heap = new PriorityQueue<SortedRow, SortedRow>(k + 1, largestFirst);
            foreach (var row in rows)
            {
                if (heap.Count < k)
                {
                    heap.Enqueue(row, row);
                }
                else if (compare(row, heap.Peek()) < 0)
                {
                    heap.EnqueueDequeue(row, row);
                }
            }

            var kept = new List<SortedRow>(heap.Count);
            while (heap.Count > 0) kept.Add(heap.Dequeue());
            kept.Sort(compare);
            return kept;
        }

        private readonly struct SortedRow
        {
            public SortedRow(Entity?[] row, object?[] keys, int ordinal)
            {
                Row = row;
                Keys = keys;
                Ordinal = ordinal;
            }

            public Entity?[] Row { get; }

            public object?[] Keys { get; }

            public int Ordinal { get; }
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
        private readonly List<Output> _outputs = new List<Output>();
        private readonly List<Slot> _allColumnSlots = new List<Slot>();
        private readonly ColumnGetter _mainId;

        public Projector(QueryPlan plan)
        {
            _plan = plan;
            _mainId = plan.Main.Getter(plan.Main.PrimaryId);
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
            if (!_plan.Model.Distinct && QueryValues.Core(_mainId(row)) is Guid id)
            {
                entity.Id = id;
                entity.Attributes[main.PrimaryId] = id;
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
                        Set(entity, attribute.Key, attribute.Key, attribute.Value, null);
                    }
                    else
                    {
                        Set(entity, attribute.Key, slot.Alias + "." + attribute.Key, attribute.Value, slot);
                    }
                }
            }

            foreach (var output in _outputs)
            {
                var stored = row[output.Slot.Index];
                if (stored == null) continue;
                var value = output.Get(row);
                if (value == null) continue;
                Set(entity, output.Column, output.Key, value, output.Aliased ? output.Slot : null);
                if (output.Slot.Index == 0 && output.Column == main.PrimaryId && QueryValues.Core(value) is Guid key) entity.Id = key;
            }

            return entity;
        }

        private static void Set(Entity entity, string column, string key, object value, Slot? aliasedFrom)
        {
            var copy = QueryValues.CloneValue(value);
            entity.Attributes[key] = aliasedFrom == null ? copy : new AliasedValue(aliasedFrom.Table, column, copy);
        }

        private sealed class Output
        {
            public Output(Slot slot, string column, string key, bool aliased)
            {
                Slot = slot;
                Column = column;
                Key = key;
                Aliased = aliased;
                Get = slot.Getter(column);
            }

            public Slot Slot { get; }

            public string Column { get; }

            public string Key { get; }

            public bool Aliased { get; }

            public ColumnGetter Get { get; }
        }
    }
}
