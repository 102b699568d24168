using System;
using System.Collections.Generic;
using System.Linq;
using DealRisk.Plugins.Schema;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;

namespace DealRisk.Plugins.Ledger
{
    /// <summary>
    /// Folds the demand ledger's active rows of some (role, day) keys into one row each: a row with their sum is created
    /// and the rows summed are deactivated, so a save's read of its window meets one row per role and day instead of every
    /// change ever posted. Only the suite's serial jobs fold (the daily sweep, the rebuild): saves only append, because two
    /// saves folding the same key at once could each count the other's rows. Rows a save appends while a fold runs are not
    /// among those it deactivates, so they stay active and count; the rows are deactivated only if their row version is
    /// still the one read (optimistic concurrency), so two folds of the same rows cannot both count them. Three calls
    /// whatever the number of keys or rows: one query (paged past 5,000 rows), one UpdateMultiple, one CreateMultiple.
    /// </summary>
    public static class LedgerFold
    {
        /// <summary>Active = 0; Inactive = 1 with its status reason 2, as every custom table has them.</summary>
        public const int Active = 0;
        public const int Inactive = 1;
        public const int InactiveStatus = 2;

        /// <summary>The active status reason of a change row, as a save appends it (the table's default, Active = 1).</summary>
        public const int ChangeStatus = 1;

        /// <summary>
        /// The active status reason of a row a fold wrote (Folded): the first custom status value of the publisher's option
        /// value prefix 59870 (Solution/Other/Solution.xml), as the platform numbers a status reason it is asked to add.
        /// </summary>
        public const int FoldedStatus = 598700000;

        /// <summary>
        /// The most change rows <see cref="FoldOldest"/> folds at once. Its UpdateMultiple deactivates them and at most as many
        /// folded rows, so it stays within 1,000 rows, the batch the suite's other bulk writes keep to.
        /// </summary>
        public const int OldestPerFold = 500;

        /// <summary>The calls of <see cref="FoldOldest"/> at most: two queries, one CreateMultiple, one UpdateMultiple.</summary>
        public const int CallsOfFoldOldest = 4;

        /// <summary>What a fold did.</summary>
        public sealed class Result
        {
            public int RowsFolded { get; set; }

            public int RowsWritten { get; set; }

            /// <summary><see cref="FoldOldest"/> read as many change rows as it may: older ones may be left for another fold.</summary>
            public bool MoreToFold { get; set; }
        }

        /// <summary>Folds the active rows of each (role, day) of <paramref name="keys"/> that holds more than one row (or one holding nothing).</summary>
        public static Result Fold(IOrganizationService service, IEnumerable<Risk.DemandEntry> keys) => Fold(service, keys, post: false);

        /// <summary>
        /// Posts <paramref name="changes"/> (one per (role, day)) folded into the ledger: each key's active rows and its change
        /// become one folded row with their sum. The same ledger as appending the changes as rows and folding their keys
        /// (<see cref="Fold(IOrganizationService, IEnumerable{Risk.DemandEntry})"/>), without writing change rows only to
        /// deactivate them in the same call: for a serial job (the rebuild), never a save. Three calls, as a fold.
        /// </summary>
        public static Result Post(IOrganizationService service, IReadOnlyCollection<Risk.DemandEntry> changes) => Fold(service, changes, post: true);

        private static Result Fold(IOrganizationService service, IEnumerable<Risk.DemandEntry> keys, bool post)
        {
            var pending = new Dictionary<string, Risk.DemandEntry>(StringComparer.Ordinal);
            var wanted = new HashSet<string>(StringComparer.Ordinal);
            var roles = new HashSet<int>();
            var days = new HashSet<DateTime>();
            var undated = false;
            foreach (var key in keys)
            {
                if (OptionSets.RoleValue(key.Role) is not int role) continue;
                var k = DemandLedger.Key(role, key.Day);
                wanted.Add(k);
                if (post) pending[k] = key;
                roles.Add(role);
                if (key.Day is DateTime day) days.Add(day.Date);
                else undated = true;
            }

            if (wanted.Count == 0) return new Result();

            var query = new QueryExpression(DemandEntryTable.EntityName)
            {
                ColumnSet = new ColumnSet(DemandEntryTable.Role, DemandEntryTable.Day, DemandEntryTable.WeightedHours),
            };
            query.Criteria.AddCondition(DemandEntryTable.StateCode, ConditionOperator.Equal, Active);
            query.Criteria.AddCondition(DemandEntryTable.Role, ConditionOperator.In, roles.Cast<object>().ToArray());
            query.Criteria.AddFilter(OnDays(days, undated));
            query.AddOrder(DemandEntryTable.Id, OrderType.Ascending);

            var groups = new Dictionary<string, List<Entity>>(StringComparer.Ordinal);
            foreach (var row in RiskFactsReader.RetrieveAll(service, query))
            {
                var role = row.GetAttributeValue<OptionSetValue>(DemandEntryTable.Role)?.Value;
                if (role is not int r) continue;
                var key = DemandLedger.Key(r, row.GetAttributeValue<DateTime?>(DemandEntryTable.Day)?.Date);
                if (!wanted.Contains(key)) continue;
                if (!groups.TryGetValue(key, out var rows)) groups.Add(key, rows = new List<Entity>());
                rows.Add(row);
            }

            if (post)
                return Write(service, pending.Select(p => new Group(groups.TryGetValue(p.Key, out var rows) ? rows : new List<Entity>(), p.Value)));
            return Write(service, groups.Values.Where(rows => rows.Count > 1 || (rows[0].GetAttributeValue<decimal?>(DemandEntryTable.WeightedHours) ?? 0m) == 0m));
        }

        /// <summary>
        /// Folds the ledger's oldest change rows (at most <paramref name="count"/>, by createdon then id) with the folded rows
        /// of their (role, day) keys: each key gets one folded row with the sum of the rows read, and exactly those rows are
        /// deactivated. At most <see cref="CallsOfFoldOldest"/> calls whatever the ledger's size: the change rows, the folded
        /// rows of their keys (at most <paramref name="count"/>), one CreateMultiple, one UpdateMultiple; one call when
        /// there is nothing to fold. Folding any set of a key's active rows keeps the key's sum, so rows left out of a read
        /// (newer change rows, a save appending meanwhile) stay active and count, and a later fold takes them.
        /// </summary>
        public static Result FoldOldest(IOrganizationService service, int count = OldestPerFold)
        {
            if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "at least one row");
            var oldest = new QueryExpression(DemandEntryTable.EntityName)
            {
                ColumnSet = new ColumnSet(DemandEntryTable.Role, DemandEntryTable.Day, DemandEntryTable.WeightedHours),
                TopCount = count,
            };
            oldest.Criteria.AddCondition(DemandEntryTable.StateCode, ConditionOperator.Equal, Active);
            oldest.Criteria.AddCondition(DemandEntryTable.StatusCode, ConditionOperator.Equal, ChangeStatus);
            oldest.AddOrder(DemandEntryTable.CreatedOn, OrderType.Ascending);
            oldest.AddOrder(DemandEntryTable.Id, OrderType.Ascending);
            var changes = service.RetrieveMultiple(oldest).Entities;

            var groups = new Dictionary<string, List<Entity>>(StringComparer.Ordinal);
            var daysOfRole = new SortedDictionary<int, SortedSet<DateTime>>();
            var undatedRoles = new HashSet<int>();
            foreach (var row in changes)
            {
                // A row without a role is in no key a save reads (they read by role): it is deactivated with nothing written for it.
                var role = row.GetAttributeValue<OptionSetValue>(DemandEntryTable.Role)?.Value ?? -1;
                var day = row.GetAttributeValue<DateTime?>(DemandEntryTable.Day)?.Date;
                var key = DemandLedger.Key(role, day);
                if (!groups.TryGetValue(key, out var rows)) groups.Add(key, rows = new List<Entity>());
                rows.Add(row);
                if (role < 0) continue;
                if (!daysOfRole.TryGetValue(role, out var days)) daysOfRole.Add(role, days = new SortedSet<DateTime>());
                if (day is DateTime d) days.Add(d);
                else undatedRoles.Add(role);
            }

            if (groups.Count == 0) return new Result();
            if (daysOfRole.Count > 0)
            {
                var folded = new QueryExpression(DemandEntryTable.EntityName)
                {
                    ColumnSet = new ColumnSet(DemandEntryTable.Role, DemandEntryTable.Day, DemandEntryTable.WeightedHours),
                    TopCount = count,
                };
                folded.Criteria.AddCondition(DemandEntryTable.StateCode, ConditionOperator.Equal, Active);
                folded.Criteria.AddCondition(DemandEntryTable.StatusCode, ConditionOperator.Equal, FoldedStatus);
                // Exactly the keys read, one filter per role: a cross product of roles and days would let other keys' folded
                // rows take the top count and leave a key's folded row unread (kept right, but a second folded row would follow).
                var keys = new FilterExpression(LogicalOperator.Or);
                foreach (var role in daysOfRole)
                {
                    var ofRole = new FilterExpression(LogicalOperator.And);
                    ofRole.AddCondition(DemandEntryTable.Role, ConditionOperator.Equal, role.Key);
                    ofRole.AddFilter(OnDays(role.Value, undatedRoles.Contains(role.Key)));
                    keys.AddFilter(ofRole);
                }

                folded.Criteria.AddFilter(keys);
                folded.AddOrder(DemandEntryTable.Id, OrderType.Ascending);
                foreach (var row in service.RetrieveMultiple(folded).Entities)
                {
                    var key = DemandLedger.Key(row.GetAttributeValue<OptionSetValue>(DemandEntryTable.Role)?.Value ?? -1, row.GetAttributeValue<DateTime?>(DemandEntryTable.Day)?.Date);
                    if (groups.TryGetValue(key, out var rows)) rows.Add(row);
                }
            }

            var written = Write(service, groups.Values);
            written.MoreToFold = changes.Count >= count;
            return written;
        }

        private static FilterExpression OnDays(IReadOnlyCollection<DateTime> days, bool undated)
        {
            var onDays = new FilterExpression(LogicalOperator.Or);
            if (days.Count > 0) onDays.AddCondition(DemandEntryTable.Day, ConditionOperator.In, days.OrderBy(d => d).Select(d => (object)DateTime.SpecifyKind(d, DateTimeKind.Utc)).ToArray());
            if (undated) onDays.AddCondition(DemandEntryTable.Day, ConditionOperator.Null);
            return onDays;
        }

        /// <summary>One folded row per group with the group's sum (none when it sums to nothing), and every row of the groups deactivated.</summary>
        private static Result Write(IOrganizationService service, IEnumerable<List<Entity>> groups) =>
            Write(service, groups.Select(rows => new Group(rows, DemandLedger.Entry(rows[0]) is Risk.DemandEntry first ? new Risk.DemandEntry(first.Role, first.Day, 0m) : null)));

        /// <summary>A key's active rows, and the change not yet written that joins them (nothing, as a fold's own).</summary>
        private sealed class Group
        {
            public Group(List<Entity> rows, Risk.DemandEntry? change)
            {
                Rows = rows;
                Change = change;
            }

            public List<Entity> Rows { get; }

            public Risk.DemandEntry? Change { get; }
        }

        /// <summary>One folded row per group with the sum of its rows and its change not yet written (none when it sums to nothing), and every row of the groups deactivated.</summary>
        private static Result Write(IOrganizationService service, IEnumerable<Group> groups)
        {
            var created = new List<Entity>();
            var deactivated = new List<Entity>();
            foreach (var group in groups)
            {
                var rows = group.Rows;
                var change = group.Change;
                var sum = (change?.WeightedHours ?? 0m) + rows.Sum(r => r.GetAttributeValue<decimal?>(DemandEntryTable.WeightedHours) ?? 0m);
                if (sum != 0m && change != null && DemandLedger.FoldedRow(new Risk.DemandEntry(change.Role, change.Day, sum)) is Entity folded) created.Add(folded);
                foreach (var row in rows)
                    deactivated.Add(new Entity(DemandEntryTable.EntityName, row.Id)
                    {
                        [DemandEntryTable.StateCode] = new OptionSetValue(Inactive),
                        [DemandEntryTable.StatusCode] = new OptionSetValue(InactiveStatus),
                        RowVersion = row.RowVersion,
                    });
            }

            // Deactivated first, each only if no one changed it since it was read: a second fold that read the same rows
            // (two sweeps at once, a sweep and a rebuild) fails here with ConcurrencyVersionMismatch and writes nothing,
            // instead of writing their sum a second time. Saves only append, so they never trip it.
            if (deactivated.Count > 0)
                service.Execute(new UpdateMultipleRequest
                {
                    Targets = new EntityCollection(deactivated) { EntityName = DemandEntryTable.EntityName },
                    ConcurrencyBehavior = ConcurrencyBehavior.IfRowVersionMatches,
                });
            if (created.Count > 0)
                service.Execute(new CreateMultipleRequest { Targets = new EntityCollection(created) { EntityName = DemandEntryTable.EntityName } });
            return new Result { RowsFolded = deactivated.Count, RowsWritten = created.Count };
        }
    }
}
