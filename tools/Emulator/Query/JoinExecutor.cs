using System;
using System.Collections.Generic;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace CrmPlugins.Emulator.Query
{
    /// <summary>
    /// Produces the joined rows that satisfy a plan's criteria. The main table is read through an index
    /// (<see cref="IRowSource.RowsWhere"/>) when the top-level And criteria hold an Equal condition on it, or
    /// through a filtered link that leaves far fewer rows (<see cref="LinkNarrowedRows"/>); links are joined
    /// through the index of the linked column, each lookup id's matches found once per query. A query that wants the first
    /// rows in primary key order from a point (<see cref="QueryPlan.Seek"/>: a page by cookie, a TopCount) reads the main rows
    /// from there in key order, a chunk at a time, and stops once it has the rows the page needs.
    /// </summary>
    internal static class JoinExecutor
    {
        /// <summary>Rows probed to learn a column's stored type before an index lookup.</summary>
        private const int TypeProbeRows = 64;

        /// <summary>Main rows a chunk of a read in key order holds at least: each chunk costs a join per link.</summary>
        private const int MinChunk = 256;

        public static List<Entity?[]> Run(QueryPlan plan)
        {
            var (main, whole) = MainRows(plan);
            if (plan.Seek is { } seek)
            {
                if (SeekIsCheaper(plan, seek, main, whole)) return RunFromKey(plan, seek, plan.Source.RowsByPrimaryKey(plan.Main.Table, seek.After, seek.Inclusive));
                if (InKeyOrder(plan, seek, main) is { } ordered) return RunFromKey(plan, seek, ordered);
            }

            var width = plan.Slots.Count;
            var rows = new List<Entity?[]>();
            var pre = plan.PreJoin;
            Entity?[]? scratch = null;
            foreach (var entity in main)
            {
                scratch ??= new Entity?[width];
                scratch[0] = entity;
                if (pre != null && !pre(scratch)) continue;
                rows.Add(scratch);
                scratch = null;
            }

            return JoinAndFilter(plan, rows);
        }

        private static List<Entity?[]> JoinAndFilter(QueryPlan plan, List<Entity?[]> rows)
        {
            for (var i = 1; i < plan.Slots.Count; i++) rows = Join(plan, plan.Slots[i], rows);
            var post = plan.PostJoin;
            if (post != null) rows = rows.FindAll(row => post(row));
            return rows;
        }

        /// <summary>
        /// Whether reading in key order visits fewer rows than the main rows found another way. Without an index or a link to
        /// narrow them, it always does. Beside C rows from an index of a table of N, about Need × N / C rows must be walked in
        /// key order before Need of them match (the indexed column does not follow the key): the index wins when C² is smaller.
        /// </summary>
        private static bool SeekIsCheaper(QueryPlan plan, KeySeek seek, IReadOnlyCollection<Entity> main, bool whole)
        {
            if (whole) return true;
            var candidates = (long)main.Count;
            if (candidates == 0) return false;
            var table = (long)plan.Source.Rows(plan.Main.Table).Count;
            return seek.Need * table < candidates * candidates;
        }

        /// <summary>
        /// The rows of a <see cref="QueryPlan.Seek"/>: the main rows read in key order from its start, tested, joined and filtered a
        /// chunk at a time, until the chunks hold the rows the answer needs (or the table ends). Every row the answer can take
        /// sorts before the first row not read, so the page is the one the whole table would give; a main row's joined rows
        /// stay together in one chunk, in the order the joins give them.
        /// </summary>
        private static List<Entity?[]> RunFromKey(QueryPlan plan, KeySeek seek, IEnumerable<Entity> inKeyOrder)
        {
            var width = plan.Slots.Count;
            var pre = plan.PreJoin;
            var result = new List<Entity?[]>();
            var chunk = new List<Entity?[]>();
            Entity?[]? scratch = null;
            foreach (var entity in inKeyOrder)
            {
                scratch ??= new Entity?[width];
                scratch[0] = entity;
                if (pre != null && !pre(scratch)) continue;
                chunk.Add(scratch);
                scratch = null;
                if (chunk.Count < Math.Max(seek.Need - result.Count, MinChunk)) continue;
                result.AddRange(JoinAndFilter(plan, chunk));
                chunk = new List<Entity?[]>();
                if (result.Count >= seek.Need) return result;
            }

            if (chunk.Count > 0) result.AddRange(JoinAndFilter(plan, chunk));
            return result;
        }

        /// <summary>
        /// The main rows found through an index or a link (a superset of those that match), in primary key order from the seek's
        /// start, so that a page reads them as <see cref="RunFromKey"/> reads the table: a page of lines of 1,000 deals joins and
        /// sorts the rows up to the page's end, not every line of the 1,000 deals for each page. The key is what the sort reads
        /// (the primary key column, else the id). Null when a row's key is not an id or two rows share one (the sort would then
        /// keep them in the order they were found): the rows are then read as found.
        /// </summary>
        private static IEnumerable<Entity>? InKeyOrder(QueryPlan plan, KeySeek seek, IReadOnlyCollection<Entity> main)
        {
            var idGetter = plan.Main.Getter(plan.Main.PrimaryId);
            var keys = new SqlGuidKey[main.Count];
            var found = new Entity[main.Count];
            var scratch = new Entity?[1];
            var n = 0;
            var start = seek.After is Guid after ? new SqlGuidKey(after) : (SqlGuidKey?)null;
            foreach (var row in main)
            {
                scratch[0] = row;
                if (idGetter(scratch) is not Guid id) return null;
                var key = new SqlGuidKey(id);
                if (start is SqlGuidKey s && key.CompareTo(s) is var c && (c < 0 || (c == 0 && !seek.Inclusive))) continue;
                keys[n] = key;
                found[n] = row;
                n++;
            }

            Array.Sort(keys, found, 0, n);
            for (var i = 1; i < n; i++)
                if (keys[i].CompareTo(keys[i - 1]) == 0) return null;
            return new ArraySegment<Entity>(found, 0, n);
        }

        /// <summary>The main rows to join: through an index or a filtered link when one leaves fewer, else the whole table (<c>Whole</c>).</summary>
        private static (IReadOnlyCollection<Entity> Rows, bool Whole) MainRows(QueryPlan plan)
        {
            IReadOnlyCollection<Entity>? best = null;
            foreach (var candidate in plan.IndexCandidates)
            {
                var rows = IndexedRows(plan, candidate);
                if (rows == null) continue;
                if (best == null || rows.Count < best.Count) best = rows;
                if (best.Count == 0) break;
            }

            if (plan.NarrowThroughLinks && (best == null || best.Count > 0))
            {
                var all = best == null ? plan.Source.Rows(plan.Main.Table) : null;
                var narrowed = LinkNarrowedRows(plan, best?.Count ?? all!.Count);
                if (narrowed != null)
                {
                    plan.MainRowsReordered = true;
                    return (narrowed, false);
                }

                if (all != null) return (all, true);
            }

            return best != null ? (best, false) : (plan.Source.Rows(plan.Main.Table), true);
        }

        /// <summary>
        /// The main rows that can have a match in a filtered link of the main table that must match (inner, or a semi
        /// join), when reading that link is far cheaper than reading the main rows: the link's table is read and its
        /// criteria tested first, then the main rows of each key that passed come from the main table's index on the
        /// link's column (a lookup). Null when no link is worth it; the joins and criteria still run on every row, so the
        /// link only narrows. The rows come in another order than the table's: used only where the answer does not
        /// depend on it (see <see cref="QueryPlan.NarrowThroughLinks"/>).
        /// </summary>
        private static IReadOnlyCollection<Entity>? LinkNarrowedRows(QueryPlan plan, int mainRows)
        {
            HashSet<Entity>? best = null;
            object? sample = null;
            var sampled = false;
            foreach (var slot in plan.Slots)
            {
                var link = slot.Link;
                if (link == null || slot.Parent != 0 || slot.LinkCriteria == null || !slot.LinkCriteriaReadOnlyItself) continue;
                if (link.Join is not (JoinOperator.Inner or JoinOperator.In or JoinOperator.Exists or JoinOperator.Any or JoinOperator.MatchFirstRowUsingCrossApply)) continue;
                var limit = best?.Count ?? mainRows;
                var linkRows = plan.Source.Rows(slot.Table);
                // Reading the link's table must cost far less than reading the main rows it would spare.
                if ((long)linkRows.Count * 4 > limit) continue;
                if (!sampled)
                {
                    sample = Sample(plan, plan.Main.Table, link.FromAttribute);
                    sampled = true;
                }

                // Lookups (and ids) only: their index key is the id, whatever the link's column holds.
                if (sample is not (EntityReference or Guid)) break;
                var keys = new HashSet<Guid>();
                var scratch = new Entity?[plan.Slots.Count];
                var toGetter = slot.Getter(link.ToAttribute);
                var ids = true;
                foreach (var linked in linkRows)
                {
                    scratch[slot.Index] = linked;
                    if (!slot.LinkCriteria(scratch)) continue;
                    var core = QueryValues.Core(toGetter(scratch));
                    if (core is Guid id) keys.Add(id);
                    // A key of another type (an id as text) may still join: the index of ids cannot find its rows.
                    else if (core != null) ids = false;
                    if (!ids) break;
                }

                if (!ids) continue;

                var rows = new HashSet<Entity>(ReferenceEqualityComparer.Instance);
                foreach (var key in keys)
                {
                    rows.UnionWith(plan.Source.RowsWhere(plan.Main.Table, link.FromAttribute, key));
                    if (rows.Count >= limit) break;
                }

                if (rows.Count < limit) best = rows;
            }

            return best;
        }

        /// <summary>The rows an Equal or In condition can match, from the index: the union of each value's rows. Null when a value's key cannot
        /// be learned: the engine then scans. The criteria are still tested on every row, so the index only narrows.</summary>
        private static IReadOnlyCollection<Entity>? IndexedRows(QueryPlan plan, IndexCandidate candidate)
        {
            var table = plan.Main.Table;
            // The column's stored type, learned once for all the values (the first rows that have the column).
            var sample = Sample(plan, table, candidate.Column);
            if (candidate.Values.Count == 1)
                return TryIndexKey(sample, candidate.Values[0], out var single)
                    ? single == null ? Array.Empty<Entity>() : plan.Source.RowsWhere(table, candidate.Column, single)
                    : null;
            // With no sort at all (distinct, no order) the answer comes in the store's order: keep it by scanning.
            if (plan.Sort.Count == 0) return null;
            var keys = new HashSet<object>();
            var ids = true;
            foreach (var value in candidate.Values)
            {
                if (!TryIndexKey(sample, value, out var key)) return null;
                if (key == null) continue;
                keys.Add(key);
                ids &= key is Guid;
            }

            var found = new List<IReadOnlyCollection<Entity>>(keys.Count);
            var total = 0;
            foreach (var key in keys)
            {
                var entry = plan.Source.RowsWhere(table, candidate.Column, key);
                found.Add(entry);
                total += entry.Count;
            }

            if (ids)
            {
                // A row holds one id in the column, so the index entries of distinct ids share no row: their rows one after
                // another are the union, in the order a set would have gathered them, without a set of a page's 10,000 lines.
                var concatenated = new List<Entity>(total);
                foreach (var entry in found) concatenated.AddRange(entry);
                return concatenated;
            }

            // Two values may share a key (text compares case-insensitively): each row once.
            var rows = new HashSet<Entity>(ReferenceEqualityComparer.Instance);
            foreach (var entry in found) rows.UnionWith(entry);
            return rows;
        }

        /// <summary>A stored value of the column, from the first rows that have it (null when none of them does).</summary>
        private static object? Sample(QueryPlan plan, string table, string column)
        {
            var probed = 0;
            foreach (var row in plan.Source.Rows(table))
            {
                if (row.Attributes.TryGetValue(column, out var stored) && stored != null) return stored;
                if (++probed >= TypeProbeRows) break;
            }

            return null;
        }

        private static bool TryIndexKey(object? sample, object value, out object? key)
        {
            key = null;
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
            var result = new List<Entity?[]>(rows.Count);
            var matches = new List<Entity>();
            // The matches of a lookup's id are the same for every row that holds it when the link's criteria read only the
            // link: found once per id, so a join reads each linked row once however many rows point at it.
            // (A single row has no other to share its matches with.)
            var memo = plan.Optimised && slot.LinkCriteriaReadOnlyItself && rows.Count > 1 ? new Dictionary<Guid, Entity[]>() : null;
            foreach (var row in rows)
            {
                IReadOnlyList<Entity> found = Array.Empty<Entity>();
                var key = row[parentIndex] == null ? null : fromGetter(row);
                if (key != null)
                {
                    var id = memo == null ? null : key switch { Guid g => g, EntityReference r => r.Id, _ => (Guid?)null };
                    if (id is Guid memoKey)
                    {
                        if (!memo!.TryGetValue(memoKey, out var known))
                        {
                            matches.Clear();
                            FindMatches(plan, slot, toGetter, row, key, matches);
                            memo[memoKey] = known = matches.ToArray();
                        }

                        found = known;
                    }
                    else
                    {
                        matches.Clear();
                        FindMatches(plan, slot, toGetter, row, key, matches);
                        found = matches;
                    }
                }

                switch (link.Join)
                {
                    case JoinOperator.Inner:
                    case JoinOperator.LeftOuter:
                        if (found.Count == 0)
                        {
                            if (link.Join == JoinOperator.LeftOuter) result.Add(row);
                            break;
                        }

                        for (var i = 0; i < found.Count; i++)
                        {
                            var joined = i == found.Count - 1 ? row : (Entity?[])row.Clone();
                            joined[slot.Index] = found[i];
                            result.Add(joined);
                        }

                        break;
                    case JoinOperator.MatchFirstRowUsingCrossApply:
                        if (found.Count > 0)
                        {
                            row[slot.Index] = found[0];
                            result.Add(row);
                        }

                        break;
                    case JoinOperator.NotAny:
                        if (found.Count == 0) result.Add(row);
                        break;
                    default:
                        // Exists, In, Any: keep the parent once when a matching row exists.
                        if (found.Count > 0) result.Add(row);
                        break;
                }
            }

            return result;
        }

        /// <summary>The linked rows of a key that pass the link's criteria (the first one only for semi joins), in the index's order.</summary>
        private static void FindMatches(QueryPlan plan, Slot slot, ColumnGetter toGetter, Entity?[] row, object key, List<Entity> matches)
        {
            var link = slot.Link!;
            var criteria = slot.LinkCriteria;
            var keyCore = QueryValues.Core(key)!;
            // A link to the table's primary key (a lookup) reads its one row by id, without going through an index entry.
            IEnumerable<Entity> candidates;
            if (keyCore is Guid id && string.Equals(link.ToAttribute, slot.PrimaryId, StringComparison.Ordinal) && plan.Optimised)
            {
                var byId = plan.Source.RowById(slot.Table, id);
                candidates = byId == null ? Array.Empty<Entity>() : new[] { byId };
            }
            else
            {
                candidates = plan.Source.RowsWhere(slot.Table, link.ToAttribute, key);
            }

            foreach (var candidate in candidates)
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

        private static bool SameKey(object keyCore, object value)
        {
            var core = QueryValues.Core(value)!;
            if (!QueryValues.TryCoerce(core, QueryValues.KindOf(keyCore), out var converted) || converted == null) return false;
            return QueryValues.CoreEquals(keyCore, converted);
        }
    }
}
