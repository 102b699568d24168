using System;
using System.Collections.Generic;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace CrmPlugins.Emulator.Query
{
    /// <summary>
    /// Produces the joined rows that satisfy a plan's criteria. The main table is read through an index
    /// (<see cref="IRowSource.RowsWhere"/>) when the top-level And criteria hold an Equal condition on it;
    /// links are joined through the index of the linked column.
    /// </summary>
    internal static class JoinExecutor
    {
        /// <summary>Rows probed to learn a column's stored type before an index lookup.</summary>
        private const int TypeProbeRows = 64;

        public static List<Entity?[]> Run(QueryPlan plan)
        {
            var width = plan.Slots.Count;
            var rows = new List<Entity?[]>();
            var pre = plan.PreJoin;
            Entity?[]? scratch = null;
            foreach (var entity in MainRows(plan))
            {
                scratch ??= new Entity?[width];
                scratch[0] = entity;
                if (pre != null && !pre(scratch)) continue;
                rows.Add(scratch);
                scratch = null;
            }

            for (var i = 1; i < width; i++) rows = Join(plan, plan.Slots[i], rows);
            var post = plan.PostJoin;
            if (post != null) rows = rows.FindAll(row => post(row));
            return rows;
        }

        private static IEnumerable<Entity> MainRows(QueryPlan plan)
        {
            IReadOnlyCollection<Entity>? best = null;
            foreach (var candidate in plan.IndexCandidates)
            {
                var rows = IndexedRows(plan, candidate);
                if (rows == null) continue;
                if (best == null || rows.Count < best.Count) best = rows;
                if (best.Count == 0) break;
            }

            return best ?? plan.Source.Rows(plan.Main.Table);
        }

        /// <summary>The rows an Equal or In condition can match, from the index: the union of each value's rows. Null when a value's key cannot
        /// be learned: the engine then scans. The criteria are still tested on every row, so the index only narrows.</summary>
        private static IReadOnlyCollection<Entity>? IndexedRows(QueryPlan plan, IndexCandidate candidate)
        {
            if (candidate.Values.Count == 1)
                return TryIndexKey(plan, plan.Main.Table, candidate.Column, candidate.Values[0], out var single)
                    ? single == null ? Array.Empty<Entity>() : plan.Source.RowsWhere(plan.Main.Table, candidate.Column, single)
                    : null;
            // With no sort at all (distinct, no order) the answer comes in the store's order: keep it by scanning.
            if (plan.Sort.Count == 0) return null;
            var keys = new HashSet<object>();
            foreach (var value in candidate.Values)
            {
                if (!TryIndexKey(plan, plan.Main.Table, candidate.Column, value, out var key)) return null;
                if (key != null) keys.Add(key);
            }

            // Two values may share a key (text compares case-insensitively): each row once.
            var rows = new HashSet<Entity>(ReferenceEqualityComparer.Instance);
            foreach (var key in keys) rows.UnionWith(plan.Source.RowsWhere(plan.Main.Table, candidate.Column, key));
            return rows;
        }

        /// <summary>
        /// The value to look up in the store's index: the condition value converted to the column's stored type
        /// (learned from the first rows that have the column). False when the type cannot be learned; the
        /// engine then scans. A null key means no row can be equal.
        /// </summary>
        private static bool TryIndexKey(QueryPlan plan, string table, string column, object value, out object? key)
        {
            key = null;
            object? sample = null;
            var probed = 0;
            foreach (var row in plan.Source.Rows(table))
            {
                if (row.Attributes.TryGetValue(column, out var stored) && stored != null)
                {
                    sample = stored;
                    break;
                }

                if (++probed >= TypeProbeRows) break;
            }

            if (sample == null) return false;
            var sampleCore = QueryValues.Core(sample);
            if (sampleCore == null || sampleCore is OptionSetValueCollection) return false;
            if (!QueryValues.TryCoerce(value, QueryValues.KindOf(sampleCore), out var core) || core == null) return false;
            switch (sample)
            {
                case EntityReference:
                case Guid:
                    key = core;
                    return core is Guid;
                case OptionSetValue:
                case int:
                    key = core is decimal n && n == decimal.Truncate(n) && n >= int.MinValue && n <= int.MaxValue ? (int)n : null;
                    return true;
                case long:
                    key = core is decimal l && l == decimal.Truncate(l) && l >= long.MinValue && l <= long.MaxValue ? (long)l : null;
                    return true;
                case Money:
                case decimal:
                    key = core;
                    return core is decimal;
                case string:
                case bool:
                case DateTime:
                case double:
                    key = core;
                    return true;
                default:
                    return false;
            }
        }

        private static List<Entity?[]> Join(QueryPlan plan, Slot slot, List<Entity?[]> rows)
        {
            var link = slot.Link!;
            var parentIndex = slot.Parent;
            var fromGetter = plan.Slots[parentIndex].Getter(link.FromAttribute);
            var toGetter = slot.Getter(link.ToAttribute);
            var criteria = slot.LinkCriteria;
            var result = new List<Entity?[]>(rows.Count);
            var matches = new List<Entity>();
            foreach (var row in rows)
            {
                matches.Clear();
                var key = row[parentIndex] == null ? null : fromGetter(row);
                if (key != null)
                {
                    var keyCore = QueryValues.Core(key)!;
                    foreach (var candidate in plan.Source.RowsWhere(slot.Table, link.ToAttribute, key))
                    {
                        row[slot.Index] = candidate;
                        var value = toGetter(row);
                        var ok = value != null && SameKey(keyCore, value) && (criteria == null || criteria(row));
                        row[slot.Index] = null;
                        if (!ok) continue;
                        matches.Add(candidate);
                        if (link.Join != JoinOperator.Inner && link.Join != JoinOperator.LeftOuter) break;
                    }
                }

                switch (link.Join)
                {
                    case JoinOperator.Inner:
                    case JoinOperator.LeftOuter:
                        if (matches.Count == 0)
                        {
                            if (link.Join == JoinOperator.LeftOuter) result.Add(row);
                            break;
                        }

                        for (var i = 0; i < matches.Count; i++)
                        {
                            var joined = i == matches.Count - 1 ? row : (Entity?[])row.Clone();
                            joined[slot.Index] = matches[i];
                            result.Add(joined);
                        }

                        break;
                    case JoinOperator.MatchFirstRowUsingCrossApply:
                        if (matches.Count > 0)
                        {
                            row[slot.Index] = matches[0];
                            result.Add(row);
                        }

                        break;
                    case JoinOperator.NotAny:
                        if (matches.Count == 0) result.Add(row);
                        break;
                    default:
                        // Exists, In, Any: keep the parent once when a matching row exists.
                        if (matches.Count > 0) result.Add(row);
                        break;
                }
            }

            return result;
        }

        private static bool SameKey(object keyCore, object value)
        {
            var core = QueryValues.Core(value)!;
            if (!QueryValues.TryCoerce(core, QueryValues.KindOf(keyCore), out var converted) || converted == null) return false;
            return QueryValues.CoreEquals(keyCore, converted);
        }
    }
}
