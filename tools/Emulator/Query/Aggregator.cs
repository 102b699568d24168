using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator.Query
{
    /// <summary>
    /// FetchXML aggregation over the joined rows: count, countcolumn (optionally distinct), sum, avg, min, max,
    /// group-by on columns and lookups, and date grouping. Results are <see cref="AliasedValue"/>s under each
    /// alias: count and countcolumn are int; sum and avg keep the column's type (Money stays Money, whole
    /// numbers stay whole as SQL Server's AVG does); nulls are ignored and an all-null aggregate is left out.
    /// </summary>
    internal static class Aggregator
    {
        /// <summary>The page of groups; null when the main rows came in another order than the table's
        /// (<see cref="QueryPlan.MainRowsReordered"/>) and the answer would depend on it: the caller then runs the query again in the table's order.</summary>
        public static EntityCollection? Build(QueryPlan plan, List<Entity?[]> rows, int recordLimit = QueryFaults.AggregateRecordLimit)
        {
            var model = plan.Model;
            var specs = Specs(plan);
            var limit = Math.Min(model.AggregateLimit ?? recordLimit, recordLimit);
            if (rows.Count > limit) throw QueryFaults.AggregateLimit();

            var groupSpecs = specs.Where(s => s.Column.GroupBy).ToList();
            var ordered = plan.Optimised ? GroupBySlots(plan, specs, groupSpecs, rows) : null;
            // Rows of one group that show different values: the first row in the table's order decides which one shows.
            if (ordered == null && plan.MainRowsReordered) return null;
            ordered ??= GroupEachRow(plan, specs, groupSpecs, rows);
            if (groupSpecs.Count == 0 && ordered.Count == 0) ordered.Add(new Group(specs, Array.Empty<object?>(), Array.Empty<string?>()));
            var entities = ordered.Select(g => g.ToEntity(plan)).ToList();
            var tied = Sort(plan, specs, entities);
            if (plan.MainRowsReordered && (tied || ordered.Any(g => g.OrderSensitive))) return null;

            var result = new EntityCollection { EntityName = plan.Main.Table, TotalRecordCount = -1 };
            if (model.Paging.ReturnTotalRecordCount)
            {
                result.TotalRecordCount = Math.Min(entities.Count, RowResults.TotalRecordCountLimit);
                result.TotalRecordCountLimitExceeded = entities.Count > RowResults.TotalRecordCountLimit;
            }

            int offset;
            int size;
            if (model.Top is int top)
            {
                offset = 0;
                size = top;
            }
            else
            {
                size = model.Paging.Count > 0 ? model.Paging.Count : RowResults.DefaultPageSize;
                offset = ((model.Paging.PageNumber > 0 ? model.Paging.PageNumber : 1) - 1) * size;
            }

            result.Entities.AddRange(entities.Skip(offset).Take(size));
            result.MoreRecords = model.Top == null && entities.Count > offset + size;
            return result;
        }

        /// <summary>The reference grouping: every row's group-by values read and keyed on their own.</summary>
        private static List<Group> GroupEachRow(QueryPlan plan, List<Spec> specs, List<Spec> groupSpecs, List<Entity?[]> rows)
        {
            var groups = new Dictionary<GroupKey, Group>();
            var ordered = new List<Group>();
            foreach (var row in rows)
            {
                var display = new object?[groupSpecs.Count];
                var formattedValues = new string?[groupSpecs.Count];
                var keyParts = new object?[groupSpecs.Count];
                for (var i = 0; i < groupSpecs.Count; i++)
                {
                    display[i] = groupSpecs[i].GroupValue(plan, row, out formattedValues[i], out var periodKey);
                    // Fiscal periods group by year and period; everything else by its value as the collation compares it.
                    keyParts[i] = periodKey ?? QueryValues.GroupKey(display[i]);
                }

                var key = new GroupKey(keyParts);
                if (!groups.TryGetValue(key, out var group))
                {
                    group = new Group(specs, display, formattedValues);
                    groups.Add(key, group);
                    ordered.Add(group);
                }

                group.Add(row);
            }

            return ordered;
        }

        /// <summary>
        /// The same groups, in the same order, in a tight loop: the group-by values of a linked row are read once (a deal's
        /// state and close day once, not once per line of the deal), each slot's values become a small number, and a row's
        /// group is found from those numbers without allocating. Null when two rows of one group would show different values
        /// (text differing in case, a lookup's name): the reference grouping then decides which one shows.
        /// </summary>
        private static List<Group>? GroupBySlots(QueryPlan plan, List<Spec> specs, List<Spec> groupSpecs, List<Entity?[]> rows)
        {
            var parts = groupSpecs.GroupBy(s => s.Slot.Index).Select(g => new SlotParts(plan, g.ToList(), groupSpecs.IndexOf(g.First()))).ToArray();
            var folds = new Dictionary<long, int>[Math.Max(0, parts.Length - 1)];
            for (var i = 0; i < folds.Length; i++) folds[i] = new Dictionary<long, int>();
            var ordered = new List<Group>();
            var ids = new int[parts.Length];
            foreach (var row in rows)
            {
                var id = 0;
                for (var p = 0; p < parts.Length; p++)
                {
                    var part = parts[p].IdOf(row);
                    if (part < 0) return null;
                    ids[p] = part;
                    if (p == 0)
                    {
                        id = part;
                        continue;
                    }

                    var fold = folds[p - 1];
                    var pair = ((long)id << 32) | (uint)part;
                    if (!fold.TryGetValue(pair, out id)) fold.Add(pair, id = fold.Count);
                }

                // Ids are handed out in order of first appearance, so a new group is always the next one.
                if (id == ordered.Count)
                {
                    var display = new object?[groupSpecs.Count];
                    var formatted = new string?[groupSpecs.Count];
                    for (var p = 0; p < parts.Length; p++) parts[p].Fill(ids[p], display, formatted);
                    ordered.Add(new Group(specs, display, formatted));
                }

                ordered[id].Add(row);
            }

            return ordered;
        }

        private static List<Spec> Specs(QueryPlan plan)
        {
            var specs = new List<Spec>();
            foreach (var slot in plan.Slots)
            {
                if (slot.Node.AllColumns) throw QueryFaults.AttributeWithAggregate("all-attributes");
                if (!slot.IsJoined) continue;
                foreach (var column in slot.Node.Columns)
                {
                    if (column.Aggregate == AggregateFunction.None && !column.GroupBy) throw QueryFaults.AttributeWithAggregate(column.Name);
                    if (column.Aggregate != AggregateFunction.None && column.GroupBy)
                        throw QueryFaults.InvalidArgumentFault($"The attribute '{column.Name}' cannot be both aggregated and grouped.");
                    if (column.Aggregate != AggregateFunction.None && string.IsNullOrEmpty(column.Alias)) throw QueryFaults.AggregateWithoutAlias(column.Name);
                    if (column.DateGrouping != DateGrouping.None && !column.GroupBy)
                        throw QueryFaults.InvalidArgumentFault($"The attribute '{column.Name}' has dategrouping but is not grouped.");
                    if (column.Distinct && column.Aggregate != AggregateFunction.CountColumn)
                    {
                        throw new QueryNotSupportedException(
                            $"distinct with the aggregate '{column.Aggregate}'",
                            $"Only countcolumn takes distinct='true' (attribute '{slot.Table}.{column.Name}').");
                    }

                    var key = column.Alias ?? (slot.Index == 0 ? column.Name : slot.Alias + "." + column.Name);
                    specs.Add(new Spec(slot, column, key));
                }
            }

            if (specs.Count == 0) throw QueryFaults.InvalidArgumentFault("An aggregate query needs at least one attribute with an aggregate or groupby.");
            var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var spec in specs)
                if (!keys.Add(spec.Key)) throw QueryFaults.DuplicateAlias(spec.Key);
            return specs;
        }

        /// <summary>Sorts the groups; true when two groups tie on every sort key (their order is then the order they were met in).</summary>
        private static bool Sort(QueryPlan plan, List<Spec> specs, List<Entity> entities)
        {
            var sort = new List<(int Index, bool Descending)>();
            void AddOrder(OrderModel order, Slot slot)
            {
                int index;
                if (!string.IsNullOrEmpty(order.Alias))
                {
                    index = specs.FindIndex(s => string.Equals(s.Key, order.Alias, StringComparison.OrdinalIgnoreCase));
                    if (index < 0) throw QueryFaults.InvalidArgumentFault($"The order alias '{order.Alias}' does not name an aggregate or groupby alias.");
                }
                else
                {
                    var target = plan.ResolveSlot(order.EntityName, slot.Index);
                    index = specs.FindIndex(s => s.Slot == target && s.Column.GroupBy && s.Column.Name == order.Attribute);
                    if (index < 0)
                    {
                        throw QueryFaults.InvalidArgumentFault(
                            $"An aggregate query can order only by an alias; the order on attribute '{order.Attribute}' names no groupby attribute.");
                    }
                }

                sort.Add((index, order.Descending));
            }

            foreach (var order in plan.Model.Root.Orders) AddOrder(order, plan.Main);
            foreach (var slot in plan.Slots.Skip(1))
                foreach (var order in slot.Node.Orders) AddOrder(order, slot);
            if (sort.Count == 0)
            {
                for (var i = 0; i < specs.Count; i++)
                    if (specs[i].Column.GroupBy) sort.Add((i, false));
            }

            if (sort.Count == 0) return entities.Count > 1;
            var keyed = entities.Select((e, i) => (Entity: e, Ordinal: i, Keys: sort.Select(s => specs[s.Index].SortValueOf(e)).ToArray())).ToList();
            keyed.Sort((a, b) =>
            {
                for (var k = 0; k < sort.Count; k++)
                {
                    var c = SortValue.Compare(a.Keys[k], b.Keys[k]);
                    if (c != 0) return sort[k].Descending ? -c : c;
                }

                return a.Ordinal.CompareTo(b.Ordinal);
            });
            entities.Clear();
            entities.AddRange(keyed.Select(k => k.Entity));
            for (var i = 1; i < keyed.Count; i++)
            {
                var same = true;
                for (var k = 0; k < sort.Count && same; k++) same = SortValue.Compare(keyed[i - 1].Keys[k], keyed[i].Keys[k]) == 0;
                if (same) return true;
            }

            return false;
        }

        /// <summary>SQL Server's DATEPART(week) with weeks starting on Sunday: week 1 holds January 1st.</summary>
        private static int SqlWeek(DateTime date)
        {
            var jan1 = new DateTime(date.Year, 1, 1);
            return ((date.DayOfYear - 1 + (int)jan1.DayOfWeek) / 7) + 1;
        }

        /// <summary>An aggregated or grouped column of the result.</summary>
        private sealed class Spec
        {
            private readonly ColumnGetter _get;

            public Spec(Slot slot, ColumnModel column, string key)
            {
                Slot = slot;
                Column = column;
                Key = key;
                _get = slot.Getter(column.Name);
            }

            public Slot Slot { get; }

            public ColumnModel Column { get; }

            public string Key { get; }

            public object? Read(Entity?[] row) => _get(row);

            /// <summary>The value a group shows for this group-by column, its formatted text and, for fiscal periods, the year-and-period key.</summary>
            public object? GroupValue(QueryPlan plan, Entity?[] row, out string? formatted, out object? periodKey)
            {
                formatted = null;
                periodKey = null;
                var raw = _get(row);
                if (raw == null || Column.DateGrouping == DateGrouping.None) return raw;

                if (!(QueryValues.Core(raw) is DateTime date))
                    throw QueryFaults.InvalidArgumentFault($"dategrouping needs a date column; '{Slot.Table}.{Column.Name}' holds {QueryValues.TypeName(raw)}.");
                var dates = plan.Dates;
                int value;
                switch (Column.DateGrouping)
                {
                    case DateGrouping.Day:
                        value = date.Day;
                        break;
                    case DateGrouping.Week:
                        value = SqlWeek(date);
                        break;
                    case DateGrouping.Month:
                        value = date.Month;
                        break;
                    case DateGrouping.Quarter:
                        value = ((date.Month - 1) / 3) + 1;
                        break;
                    case DateGrouping.Year:
                        value = date.Year;
                        break;
                    case DateGrouping.FiscalYear:
                        value = dates.FiscalYearOf(date);
                        formatted = "FY" + value.ToString(CultureInfo.InvariantCulture);
                        break;
                    default:
                        var year = dates.FiscalYearOf(date);
                        value = dates.FiscalPeriodOf(date);
                        formatted = "Quarter " + value.ToString(CultureInfo.InvariantCulture) + " FY" + year.ToString(CultureInfo.InvariantCulture);
                        periodKey = (decimal)((year * 10) + value);
                        return QueryValues.Box(value);
                }

                return QueryValues.Box(value);
            }

            /// <summary>The key a result entity sorts by for this column.</summary>
            public SortValue SortValueOf(Entity entity)
            {
                if (!entity.Attributes.TryGetValue(Key, out var value) || !(value is AliasedValue aliased)) return default;
                if (Column.DateGrouping == DateGrouping.FiscalPeriod && entity.FormattedValues.TryGetValue(Key, out var text))
                {
                    var fy = text.LastIndexOf("FY", StringComparison.Ordinal);
                    if (fy >= 0 && int.TryParse(text.Substring(fy + 2), NumberStyles.Integer, CultureInfo.InvariantCulture, out var year))
                        return SortValue.From((year * 10) + (int)aliased.Value);
                }

                return SortValue.From(aliased.Value);
            }
        }

        /// <summary>Whether two values of one column come back alike (decimals with their scale, dates with their kind, lookups with their name).</summary>
        private static bool ShowsSame(object? a, object? b)
        {
            if (a == null || b == null) return a == null && b == null;
            if (a.GetType() != b.GetType()) return false;
            return a switch
            {
                decimal x => SameDecimal(x, (decimal)b),
                Money x => SameDecimal(x.Value, ((Money)b).Value),
                DateTime x => x.Ticks == ((DateTime)b).Ticks && x.Kind == ((DateTime)b).Kind,
                EntityReference x => x.Id == ((EntityReference)b).Id && x.LogicalName == ((EntityReference)b).LogicalName && x.Name == ((EntityReference)b).Name,
                OptionSetValue x => x.Value == ((OptionSetValue)b).Value,
                string x => string.Equals(x, (string)b, StringComparison.Ordinal),
                int or long or short or byte or bool or Guid or double or float => Equals(a, b),
                _ => false,
            };
        }

        private static bool SameDecimal(decimal x, decimal y) => x == y && x.Scale == y.Scale;

        /// <summary>
        /// The group-by values of one slot, numbered in order of first appearance. A linked row's values are read once per
        /// query (its entity is remembered), the main table's once per row.
        /// </summary>
        private sealed class SlotParts
        {
            private readonly QueryPlan _plan;
            private readonly List<Spec> _specs;
            private readonly int _offset;
            private readonly int _slot;
            private readonly Dictionary<Entity, int>? _byRow;
            private readonly Dictionary<GroupKey, int> _byValue = new Dictionary<GroupKey, int>();
            private readonly List<(object?[] Display, string?[] Formatted)> _parts = new List<(object?[], string?[])>();
            private readonly object?[] _display;
            private readonly string?[] _formatted;
            private readonly object?[] _keyParts;
            private int _noRow = -1;

            /// <param name="plan">The query.</param>
            /// <param name="specs">The slot's group-by columns.</param>
            /// <param name="offset">Where the slot's first group-by column stands among all of them.</param>
            public SlotParts(QueryPlan plan, List<Spec> specs, int offset)
            {
                _plan = plan;
                _specs = specs;
                _offset = offset;
                _slot = specs[0].Slot.Index;
                _display = new object?[specs.Count];
                _formatted = new string?[specs.Count];
                _keyParts = new object?[specs.Count];
                if (_slot != 0) _byRow = new Dictionary<Entity, int>(ReferenceEqualityComparer.Instance);
            }

            /// <summary>The number of the row's values in this slot; -1 when they group with another row's values that show differently.</summary>
            public int IdOf(Entity?[] row)
            {
                var entity = row[_slot];
                if (_byRow != null)
                {
                    if (entity == null)
                    {
                        if (_noRow >= 0) return _noRow;
                    }
                    else if (_byRow.TryGetValue(entity, out var known))
                    {
                        return known;
                    }
                }

                var count = _specs.Count;
                var display = _display;
                var formatted = _formatted;
                var keyParts = _keyParts;
                for (var i = 0; i < count; i++)
                {
                    display[i] = _specs[i].GroupValue(_plan, row, out formatted[i], out var periodKey);
                    keyParts[i] = periodKey ?? QueryValues.GroupKey(display[i]);
                }

                var key = new GroupKey(keyParts);
                if (_byValue.TryGetValue(key, out var id))
                {
                    var seen = _parts[id];
                    for (var i = 0; i < count; i++)
                        if (!ShowsSame(seen.Display[i], display[i]) || seen.Formatted[i] != formatted[i]) return -1;
                }
                else
                {
                    id = _parts.Count;
                    _parts.Add(((object?[])display.Clone(), (string?[])formatted.Clone()));
                    _byValue.Add(new GroupKey((object?[])keyParts.Clone()), id);
                }

                if (_byRow != null)
                {
                    if (entity == null) _noRow = id;
                    else _byRow[entity] = id;
                }

                return id;
            }

            /// <summary>Copies the values of a number into a group's values.</summary>
            public void Fill(int id, object?[] display, string?[] formatted)
            {
                var (shown, texts) = _parts[id];
                Array.Copy(shown, 0, display, _offset, shown.Length);
                Array.Copy(texts, 0, formatted, _offset, texts.Length);
            }
        }

        /// <summary>The rows of one group and the running aggregates.</summary>
        private sealed class Group
        {
            private readonly List<Spec> _specs;
            private readonly object?[] _display;
            private readonly string?[] _formatted;
            private readonly Accumulator[] _accumulators;

            public Group(List<Spec> specs, object?[] display, string?[] formatted)
            {
                _specs = specs;
                _display = display;
                _formatted = formatted;
                _accumulators = specs.Select(s => new Accumulator(s)).ToArray();
            }

            /// <summary>Whether an aggregate's value depends on the order the rows came in (see <see cref="Accumulator.OrderSensitive"/>).</summary>
            public bool OrderSensitive => _accumulators.Any(a => a.OrderSensitive);

            public void Add(Entity?[] row)
            {
                foreach (var accumulator in _accumulators) accumulator.Add(row);
            }

            public Entity ToEntity(QueryPlan plan)
            {
                var entity = new Entity(plan.Main.Table);
                var groupIndex = 0;
                for (var i = 0; i < _specs.Count; i++)
                {
                    var spec = _specs[i];
                    object? value;
                    if (spec.Column.GroupBy)
                    {
                        value = QueryValues.CloneValue(_display[groupIndex]);
                        var formatted = _formatted[groupIndex];
                        groupIndex++;
                        if (value == null) continue;
                        if (formatted != null) entity.FormattedValues[spec.Key] = formatted;
                    }
                    else
                    {
                        value = _accumulators[i].Result();
                        if (value == null) continue;
                    }

                    entity.Attributes[spec.Key] = new AliasedValue(spec.Slot.Table, spec.Column.Name, value);
                }

                return entity;
            }
        }

        /// <summary>One aggregate of one group.</summary>
        private sealed class Accumulator
        {
            private readonly Spec _spec;
            private readonly HashSet<object>? _distinct;
            private int _rows;
            private int _values;
            private decimal _sum;
            private double _doubleSum;
            private object? _first;
            private object? _best;
            private SortValue _bestKey;

            public Accumulator(Spec spec)
            {
                _spec = spec;
                if (spec.Column.Distinct) _distinct = new HashSet<object>();
            }

            /// <summary>
            /// Whether another order of the same rows could give another result: a sum of floating-point numbers (rounded
            /// as it goes), values of different types in one column (the first one's type is kept), a min or max that ties
            /// two values that show differently (the first one is kept).
            /// </summary>
            public bool OrderSensitive { get; private set; }

            public void Add(Entity?[] row)
            {
                var function = _spec.Column.Aggregate;
                if (function == AggregateFunction.None) return;
                _rows++;
                if (function == AggregateFunction.Count) return;
                var raw = _spec.Read(row);
                if (raw == null) return;
                _values++;
                switch (function)
                {
                    case AggregateFunction.CountColumn:
                        _distinct?.Add(QueryValues.GroupKey(raw)!);
                        return;
                    case AggregateFunction.Sum:
                    case AggregateFunction.Avg:
                        _first ??= raw;
                        if (raw.GetType() != _first.GetType()) OrderSensitive = true;
                        // The common stored types without boxing a core value per row.
                        switch (raw)
                        {
                            case decimal d:
                                _sum += d;
                                _doubleSum += (double)d;
                                return;
                            case Money m:
                                _sum += m.Value;
                                _doubleSum += (double)m.Value;
                                return;
                            case int n:
                                _sum += n;
                                _doubleSum += n;
                                return;
                        }

                        switch (QueryValues.Core(raw))
                        {
                            case decimal number when raw is not OptionSetValue:
                                _sum += number;
                                _doubleSum += (double)number;
                                return;
                            case double real:
                                _doubleSum += real;
                                if (_values > 1) OrderSensitive = true;
                                return;
                            default:
                                throw QueryFaults.InvalidArgumentFault(
                                    $"The aggregate '{function}' is not valid for attribute '{_spec.Slot.Table}.{_spec.Column.Name}' of type {QueryValues.TypeName(raw)}.");
                        }

                    default:
                        var core = QueryValues.Core(raw)!;
                        if (core is OptionSetValueCollection)
                            throw QueryFaults.InvalidArgumentFault($"The aggregate '{function}' is not valid for the multi-select column '{_spec.Slot.Table}.{_spec.Column.Name}'.");
                        var key = SortValue.From(raw);
                        var c = _best == null ? 0 : SortValue.Compare(key, _bestKey);
                        if (c == 0 && _best != null && !ShowsSame(raw, _best)) OrderSensitive = true;
                        if (_best == null || (function == AggregateFunction.Min && c < 0) || (function == AggregateFunction.Max && c > 0))
                        {
                            _best = raw;
                            _bestKey = key;
                        }

                        return;
                }
            }

            public object? Result()
            {
                switch (_spec.Column.Aggregate)
                {
                    case AggregateFunction.Count:
                        return _rows;
                    case AggregateFunction.CountColumn:
                        return _distinct?.Count ?? _values;
                    case AggregateFunction.Sum:
                        return _values == 0 ? null : Typed(_sum, _doubleSum);
                    case AggregateFunction.Avg:
                        if (_values == 0) return null;
                        return _first switch
                        {
                            int or long or short or byte => Typed(decimal.Truncate(_sum / _values), 0),
                            _ => Typed(_sum / _values, _doubleSum / _values),
                        };
                    case AggregateFunction.Min:
                    case AggregateFunction.Max:
                        return QueryValues.CloneValue(_best);
                    default:
                        return null;
                }
            }

            private object Typed(decimal value, double real) => _first switch
            {
                Money => new Money(value),
                int => value >= int.MinValue && value <= int.MaxValue ? (int)value : (object)(long)value,
                long => (long)value,
                short => (int)value,
                byte => (int)value,
                double => real,
                float => real,
                _ => value,
            };
        }

        /// <summary>The group-by values of a group, compared as the collation compares them.</summary>
        private sealed class GroupKey : IEquatable<GroupKey>
        {
            private readonly object?[] _parts;
            private readonly int _hash;

            public GroupKey(object?[] parts)
            {
                _parts = parts;
                var hash = new HashCode();
                foreach (var part in parts) hash.Add(part);
                _hash = hash.ToHashCode();
            }

            public bool Equals(GroupKey? other)
            {
                if (other == null || other._parts.Length != _parts.Length) return false;
                for (var i = 0; i < _parts.Length; i++)
                    if (!Equals(_parts[i], other._parts[i])) return false;
                return true;
            }

            public override bool Equals(object? obj) => Equals(obj as GroupKey);

            public override int GetHashCode() => _hash;
        }
    }
}
