using System;
using System.Collections.Generic;
using System.Linq;
using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace CrmPlugins.Emulator.Query
{
    /// <summary>A test of one joined row (one entity per slot; null where an outer or semi join left none).</summary>
    internal delegate bool RowPredicate(Entity?[] row);

    /// <summary>Reads one column of one slot from a joined row.</summary>
    internal delegate object? ColumnGetter(Entity?[] row);

    /// <summary>One table of the query: the main table (slot 0) or a link entity.</summary>
    internal sealed class Slot
    {
        public Slot(int index, NodeModel node, string primaryId, int parent, string? alias)
        {
            Index = index;
            Node = node;
            PrimaryId = primaryId;
            Parent = parent;
            Alias = alias;
        }

        public int Index { get; }

        public NodeModel Node { get; }

        public LinkModel? Link => Node as LinkModel;

        public string Table => Node.Table;

        public string PrimaryId { get; }

        /// <summary>The parent slot; -1 for the main table.</summary>
        public int Parent { get; }

        /// <summary>The link's alias: its own, or Dataverse's generated "&lt;table&gt;&lt;n&gt;". Null for the main table.</summary>
        public string? Alias { get; }

        public RowPredicate? LinkCriteria { get; set; }

        /// <summary>Whether the link's criteria read only this slot: their verdict on a linked row is then the same for every
        /// parent row, so the join can keep the matches of each key (and a link can narrow the main rows).</summary>
        public bool LinkCriteriaReadOnlyItself { get; set; } = true;

        /// <summary>Whether the join can fill the slot (semi and anti joins only test for existence).</summary>
        public bool IsJoined => Link == null || Link.Join == JoinOperator.Inner || Link.Join == JoinOperator.LeftOuter
            || Link.Join == JoinOperator.MatchFirstRowUsingCrossApply;

        /// <summary>A reader of a column of this slot; the primary key falls back to Entity.Id.</summary>
        public ColumnGetter Getter(string column)
        {
            var index = Index;
            if (string.Equals(column, PrimaryId, StringComparison.Ordinal))
            {
                return row =>
                {
                    var entity = row[index];
                    if (entity == null) return null;
                    if (entity.Attributes.TryGetValue(column, out var value) && value != null) return value;
                    return entity.Id == Guid.Empty ? null : entity.Id;
                };
            }

            return row =>
            {
                var entity = row[index];
                return entity != null && entity.Attributes.TryGetValue(column, out var value) ? value : null;
            };
        }
    }

    /// <summary>A column a query sorts on, in a slot.</summary>
    internal sealed class SortColumn
    {
        public SortColumn(Slot slot, string column, bool descending)
        {
            Slot = slot;
            Column = column;
            Descending = descending;
            Get = slot.Getter(column);
        }

        public Slot Slot { get; }

        public string Column { get; }

        public bool Descending { get; }

        public ColumnGetter Get { get; }
    }

    /// <summary>An Equal or In condition of the main table's top-level And criteria: a candidate for an index lookup
    /// (In: the rows of each of its values).</summary>
    internal sealed class IndexCandidate
    {
        public IndexCandidate(string column, IReadOnlyList<object> values)
        {
            Column = column;
            Values = values;
        }

        public string Column { get; }

        public IReadOnlyList<object> Values { get; }
    }

    /// <summary>Where a read of the main rows in primary key order starts (after a key, or at it; from the first when null) and how
    /// many joined rows the answer needs from there.</summary>
    internal sealed class KeySeek
    {
        public KeySeek(Guid? after, bool inclusive, int need)
        {
            After = after;
            Inclusive = inclusive;
            Need = need;
        }

        public Guid? After { get; }

        public bool Inclusive { get; }

        public int Need { get; }
    }

    /// <summary>
    /// A checked and compiled query: its slots, predicates, sort and index candidates. Built by
    /// <see cref="Build"/>, which raises the platform's faults for unknown tables, columns and aliases.
    /// </summary>
    internal sealed class QueryPlan
    {
        private readonly HashSet<(string Table, string Column)> _checkedColumns = new HashSet<(string Table, string Column)>();
        private readonly bool _narrow;

        private QueryPlan(QueryModel model, IRowSource source, bool optimised, bool narrow)
        {
            Model = model;
            Source = source;
            Optimised = optimised;
            _narrow = optimised && narrow;
            Dates = new DateWindows(source.UtcNow, source.FiscalYearStartMonth);
        }

        public QueryModel Model { get; }

        public IRowSource Source { get; }

        /// <summary>Whether the executor may keep each join key's matches and read the main rows through a filtered link
        /// (false: the reference path, main table scanned and every row joined on its own).</summary>
        public bool Optimised { get; }

        /// <summary>
        /// Whether the main rows may come through a filtered link, in another order than the table's: for sorted rows (the
        /// primary key ends every non-distinct sort, so the order is the same) and aggregates (which check that their
        /// answer does not depend on the order, else are computed again without narrowing).
        /// </summary>
        public bool NarrowThroughLinks => _narrow && (Model.Aggregate || (Sort.Count > 0 && !Model.Distinct));

        /// <summary>Set by the executor when the main rows came through a filtered link, not in the table's order: an
        /// aggregate whose answer would depend on that order is then computed again in the table's order.</summary>
        public bool MainRowsReordered { get; set; }

        public DateWindows Dates { get; }

        public List<Slot> Slots { get; } = new List<Slot>();

        public Slot Main => Slots[0];

        /// <summary>Criteria on the main table alone, tested before the joins.</summary>
        public RowPredicate? PreJoin { get; private set; }

        /// <summary>Criteria that read link entities, tested after the joins.</summary>
        public RowPredicate? PostJoin { get; private set; }

        public List<IndexCandidate> IndexCandidates { get; } = new List<IndexCandidate>();

        /// <summary>Sort columns: the main table's orders, then the links' orders, then the primary key.</summary>
        public List<SortColumn> Sort { get; } = new List<SortColumn>();

        /// <summary>
        /// Set when the answer is the first rows in primary key order from a point: the query sorts by the main table's key alone,
        /// ascending (the default order), is neither distinct nor aggregate nor counts its total, and starts at its paging cookie's
        /// key, at a GreaterThan/GreaterEqual condition on the key, or at the first row. The executor may then read the main rows
        /// from there in key order and stop once it has <see cref="KeySeek.Need"/> rows. Null on the reference path.
        /// </summary>
        public KeySeek? Seek { get; private set; }

        /// <summary>Checks and compiles a model against the row source (<paramref name="optimised"/> false: the reference path;
        /// <paramref name="narrow"/> false: the main rows in the table's order).</summary>
        public static QueryPlan Build(QueryModel model, IRowSource source, bool optimised = true, bool narrow = true)
        {
            var plan = new QueryPlan(model, source, optimised, narrow);
            plan.AddSlots();
            plan.CheckColumns();
            plan.CheckTopAndPaging();
            var compiler = new ConditionCompiler(plan);
            foreach (var slot in plan.Slots)
            {
                if (slot.Link != null && slot.Link.Criteria != null)
                {
                    slot.LinkCriteria = compiler.CompileFilter(slot.Link.Criteria, slot.Index);
                    slot.LinkCriteriaReadOnlyItself = compiler.ReadsOnly(slot.Link.Criteria, slot.Index, slot.Index);
                }
            }

            plan.CompileMainCriteria(compiler);
            if (!model.Aggregate) plan.BuildSort();
            plan.PlanSeek();
            return plan;
        }

        /// <summary>The slot a condition or order names: empty for the default slot, else an alias or table name.</summary>
        public Slot ResolveSlot(string? entityName, int defaultSlot)
        {
            if (string.IsNullOrEmpty(entityName)) return Slots[defaultSlot];
            foreach (var slot in Slots)
            {
                if (slot.Alias != null && string.Equals(slot.Alias, entityName, StringComparison.OrdinalIgnoreCase)) return slot;
            }

            if (string.Equals(entityName, Main.Table, StringComparison.Ordinal)) return Main;
            Slot? byTable = null;
            foreach (var slot in Slots)
            {
                if (slot.Link != null && slot.Link.Alias == null && string.Equals(slot.Table, entityName, StringComparison.Ordinal))
                {
                    if (byTable != null) throw QueryFaults.UnknownAlias(entityName!);
                    byTable = slot;
                }
            }

            return byTable ?? throw QueryFaults.UnknownAlias(entityName!);
        }

        /// <summary>Faults with QueryBuilderNoAttribute when the table declares its columns and this is not one.</summary>
        public void EnsureColumn(Slot slot, string? column)
        {
            if (string.IsNullOrEmpty(column)) throw QueryFaults.InvalidArgumentFault($"A column name is required for table '{slot.Table}'.");
            if (_checkedColumns.Contains((slot.Table, column!))) return;
            if (!Source.ColumnExists(slot.Table, column!)) throw QueryFaults.UnknownColumn(slot.Table, column!);
            _checkedColumns.Add((slot.Table, column!));
        }

        private void AddSlots()
        {
            var root = Model.Root;
            if (string.IsNullOrEmpty(root.Table) || !Source.TableExists(root.Table)) throw QueryFaults.UnknownTable(root.Table ?? string.Empty);
            Slots.Add(new Slot(0, root, Source.PrimaryIdAttribute(root.Table), -1, null));
            var generated = new Dictionary<string, int>(StringComparer.Ordinal);
            AddLinks(Slots[0], generated);
            if (Slots.Count - 1 > QueryFaults.MaxLinkEntities) throw QueryFaults.LinkEntityLimit();
            var aliases = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var slot in Slots)
            {
                if (slot.Alias != null && !aliases.Add(slot.Alias)) throw QueryFaults.DuplicateAlias(slot.Alias);
            }
        }

        private void AddLinks(Slot parent, Dictionary<string, int> generated)
        {
            foreach (var link in parent.Node.Links)
            {
                if (string.IsNullOrEmpty(link.Table) || !Source.TableExists(link.Table)) throw QueryFaults.UnknownTable(link.Table ?? string.Empty);
                // Microsoft's LinkEntity.AddLink gives a nested link its parent's LinkFromEntityName, and Dataverse runs
                // such queries: that name is accepted beside the parent's table and alias.
                if (!string.IsNullOrEmpty(link.DeclaredParent)
                    && !string.Equals(link.DeclaredParent, parent.Table, StringComparison.Ordinal)
                    && !string.Equals(link.DeclaredParent, parent.Alias, StringComparison.OrdinalIgnoreCase)
                    && !string.Equals(link.DeclaredParent, parent.Link?.DeclaredParent, StringComparison.Ordinal))
                {
                    throw QueryFaults.InvalidArgumentFault(
                        $"The link entity to '{link.Table}' declares LinkFromEntityName '{link.DeclaredParent}', but its parent is '{parent.Alias ?? parent.Table}'.");
                }

                CheckJoin(link);
                var alias = link.Alias;
                if (string.IsNullOrEmpty(alias))
                {
                    generated.TryGetValue(link.Table, out var n);
                    generated[link.Table] = ++n;
                    alias = link.Table + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                var slot = new Slot(Slots.Count, link, Source.PrimaryIdAttribute(link.Table), parent.Index, alias);
                Slots.Add(slot);
                if (!slot.IsJoined && (link.Links.Count > 0))
                {
                    throw new QueryNotSupportedException(
                        $"link entities nested under a '{link.Join}' link",
                        $"The link to '{link.Table}' (alias '{alias}') tests existence only; nest the inner link under an inner link instead.");
                }

                AddLinks(slot, generated);
            }
        }

        private static void CheckJoin(LinkModel link)
        {
            switch (link.Join)
            {
                case JoinOperator.Inner:
                case JoinOperator.LeftOuter:
                case JoinOperator.MatchFirstRowUsingCrossApply:
                case JoinOperator.In:
                case JoinOperator.Exists:
                case JoinOperator.Any:
                case JoinOperator.NotAny:
                    return;
                case JoinOperator.Natural:
                case JoinOperator.All:
                case JoinOperator.NotAll:
                    throw new QueryNotSupportedException($"the join operator '{link.Join}'", $"The link to '{link.Table}' uses it.");
                default:
                    throw QueryFaults.Fault(QueryFaults.QueryBuilderInvalidJoinOperator, $"'{(int)link.Join}' is not a valid join operator.");
            }
        }

        private void CheckColumns()
        {
            var columns = 0;
            foreach (var slot in Slots) columns += slot.Node.Columns.Count + 2;
            _checkedColumns.EnsureCapacity(columns);
            foreach (var slot in Slots)
            {
                foreach (var column in slot.Node.Columns) EnsureColumn(slot, column.Name);
                if (slot.Link != null)
                {
                    EnsureColumn(Slots[slot.Parent], slot.Link.FromAttribute);
                    EnsureColumn(slot, slot.Link.ToAttribute);
                }
            }
        }

        private void CheckTopAndPaging()
        {
            if (Model.Top is int top)
            {
                if (top <= 0) throw QueryFaults.TopCountNotPositive(top);
                var paging = Model.Paging;
                if (paging.IsSpecified)
                {
                    if (Model.Origin != QueryOrigin.FetchXml) throw QueryFaults.TopCountWithPaging(top);
                    var attribute = paging.PageNumber > 0 ? "page"
                        : paging.Count > 0 ? "count"
                        : !string.IsNullOrEmpty(paging.Cookie) ? "paging-cookie"
                        : "returntotalrecordcount";
                    throw QueryFaults.FetchTopWithPaging(attribute);
                }
            }

            if (Model.Paging.Count < 0 || Model.Paging.PageNumber < 0)
                throw QueryFaults.InvalidArgumentFault($"Paging values must not be negative: count {Model.Paging.Count}, page {Model.Paging.PageNumber}.");
        }

        private void CompileMainCriteria(ConditionCompiler compiler)
        {
            var criteria = Model.Root.Criteria;
            if (criteria == null) return;
            var pre = new List<RowPredicate>();
            var post = new List<RowPredicate>();
            if (criteria.FilterOperator == LogicalOperator.And)
            {
                foreach (var condition in criteria.Conditions)
                {
                    if (condition == null) continue;
                    var predicate = compiler.CompileCondition(condition, 0);
                    if (compiler.ReadsOnly(condition, 0, 0)) pre.Add(predicate);
                    else post.Add(predicate);
                    AddIndexCandidate(condition);
                }

                foreach (var child in criteria.Filters)
                {
                    if (child == null) continue;
                    var predicate = compiler.CompileFilter(child, 0);
                    if (compiler.ReadsOnly(child, 0, 0)) pre.Add(predicate);
                    else post.Add(predicate);
                }
            }
            else
            {
                var predicate = compiler.CompileFilter(criteria, 0);
                if (compiler.ReadsOnly(criteria, 0, 0)) pre.Add(predicate);
                else post.Add(predicate);
            }

            PreJoin = ConditionCompiler.All(pre);
            PostJoin = ConditionCompiler.All(post);
        }

        private void AddIndexCandidate(ConditionExpression condition)
        {
            if (condition.Operator is not (ConditionOperator.Equal or ConditionOperator.In) || condition.CompareColumns) return;
            if (!string.IsNullOrEmpty(condition.EntityName) && ResolveSlot(condition.EntityName, 0).Index != 0) return;
            var values = QueryValues.Flatten(condition.Values);
            if (values.Count == 0 || (condition.Operator == ConditionOperator.Equal && values.Count != 1) || values.Any(v => v == null)) return;
            IndexCandidates.Add(new IndexCandidate(condition.AttributeName, values.Select(v => v!).ToList()));
        }

        private void PlanSeek()
        {
            if (!Optimised || Model.Aggregate || Model.Distinct || Model.Paging.ReturnTotalRecordCount) return;
            if (Sort.Count == 0 || !Sort.TrueForAll(s => s.Slot.Index == 0 && s.Column == Main.PrimaryId && !s.Descending)) return;
            Guid? after = null;
            var inclusive = false;
            long need;
            if (Model.Top is int top)
            {
                need = top;
            }
            else
            {
                var size = RowResults.PageSize(Model);
                var page = RowResults.PageNumber(Model);
                Guid? cookie;
                try
                {
                    cookie = RowResults.CookieKey(this, page);
                }
                catch (FaultException<OrganizationServiceFault>)
                {
                    // A cookie that is not XML faults where it always has, after the rows are read.
                    return;
                }

                if (cookie != null)
                {
                    after = cookie;
                    need = size + 1L;
                }
                else
                {
                    var offset = (page - 1L) * size;
                    if (offset + size > QueryFaults.SimplePagingRecordLimit) return;
                    need = offset + size + 1;
                }
            }

            foreach (var (key, atKey) in KeyBounds())
            {
                if (after is not Guid current) (after, inclusive) = (key, atKey);
                else if (SqlGuidKey.Compare(key, current) is var c && (c > 0 || (c == 0 && inclusive && !atKey))) (after, inclusive) = (key, atKey);
            }

            Seek = new KeySeek(after, inclusive, (int)Math.Min(need, int.MaxValue));
        }

        /// <summary>The lower bounds the main criteria put on the primary key: top-level And GreaterThan (after the key) and
        /// GreaterEqual (at it) conditions with one value that is an id. The criteria are still tested on every row.</summary>
        private IEnumerable<(Guid Key, bool Inclusive)> KeyBounds()
        {
            var criteria = Model.Root.Criteria;
            if (criteria == null || criteria.FilterOperator != LogicalOperator.And) yield break;
            foreach (var condition in criteria.Conditions)
            {
                if (condition == null || condition.CompareColumns || condition.Operator is not (ConditionOperator.GreaterThan or ConditionOperator.GreaterEqual)) continue;
                if (!string.Equals(condition.AttributeName, Main.PrimaryId, StringComparison.Ordinal)) continue;
                if (!string.IsNullOrEmpty(condition.EntityName) && ResolveSlot(condition.EntityName, 0).Index != 0) continue;
                var values = QueryValues.Flatten(condition.Values);
                if (values.Count != 1 || !QueryValues.TryCoerce(values[0], ValueKind.Guid, out var core) || core is not Guid key) continue;
                yield return (key, condition.Operator == ConditionOperator.GreaterEqual);
            }
        }

        private void BuildSort()
        {
            foreach (var order in Model.Root.Orders) AddSort(order, 0);
            foreach (var slot in Slots)
            {
                if (slot.Link == null) continue;
                foreach (var order in slot.Node.Orders) AddSort(order, slot.Index);
            }

            if (!Model.Distinct) Sort.Add(new SortColumn(Main, Main.PrimaryId, false));
        }

        private void AddSort(OrderModel order, int defaultSlot)
        {
            if (string.IsNullOrEmpty(order.Attribute))
            {
                if (!string.IsNullOrEmpty(order.Alias))
                {
                    var aliased = FindAliasedColumn(order.Alias!);
                    if (aliased != null)
                    {
                        Sort.Add(new SortColumn(aliased.Value.Slot, aliased.Value.Column, order.Descending));
                        return;
                    }

                    throw QueryFaults.InvalidArgumentFault($"The order alias '{order.Alias}' does not name an attribute alias of the query.");
                }

                throw QueryFaults.InvalidArgumentFault("An order must name an attribute.");
            }

            var slot = ResolveSlot(order.EntityName, defaultSlot);
            EnsureColumn(slot, order.Attribute);
            Sort.Add(new SortColumn(slot, order.Attribute!, order.Descending));
        }

        private (Slot Slot, string Column)? FindAliasedColumn(string alias)
        {
            foreach (var slot in Slots)
            {
                foreach (var column in slot.Node.Columns)
                {
                    if (column.Alias != null && string.Equals(column.Alias, alias, StringComparison.OrdinalIgnoreCase)) return (slot, column.Name);
                }
            }

            return null;
        }
    }
}
