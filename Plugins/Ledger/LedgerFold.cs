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
    /// among those it deactivates, so they stay active and count. Three calls whatever the number of keys or rows: one
    /// query (paged past 5,000 rows), one CreateMultiple, one UpdateMultiple.
    /// </summary>
    public static class LedgerFold
    {
        private const int PageSize = 5000;

        /// <summary>Active = 0; Inactive = 1 with its status reason 2, as every custom table has them.</summary>
        public const int Active = 0;
        public const int Inactive = 1;
        public const int InactiveStatus = 2;

        /// <summary>What a fold did.</summary>
        public sealed class Result
        {
            public int RowsFolded { get; set; }

            public int RowsWritten { get; set; }
        }

        /// <summary>Folds the active rows of each (role, day) of <paramref name="keys"/> that holds more than one row (or one holding nothing).</summary>
        public static Result Fold(IOrganizationService service, IEnumerable<Risk.DemandEntry> keys)
        {
            var result = new Result();
            var wanted = new HashSet<string>(StringComparer.Ordinal);
            var roles = new HashSet<int>();
            var days = new HashSet<DateTime>();
            var undated = false;
            foreach (var key in keys)
            {
                if (OptionSets.RoleValue(key.Role) is not int role) continue;
                wanted.Add(Key(role, key.Day));
                roles.Add(role);
                if (key.Day is DateTime day) days.Add(day.Date);
                else undated = true;
            }

            if (wanted.Count == 0) return result;

            var query = new QueryExpression(DemandEntryTable.EntityName)
            {
                ColumnSet = new ColumnSet(DemandEntryTable.Role, DemandEntryTable.Day, DemandEntryTable.WeightedHours),
            };
            query.Criteria.AddCondition(DemandEntryTable.StateCode, ConditionOperator.Equal, Active);
            query.Criteria.AddCondition(DemandEntryTable.Role, ConditionOperator.In, roles.Cast<object>().ToArray());
            var onDays = new FilterExpression(LogicalOperator.Or);
            if (days.Count > 0) onDays.AddCondition(DemandEntryTable.Day, ConditionOperator.In, days.OrderBy(d => d).Select(d => (object)DateTime.SpecifyKind(d, DateTimeKind.Utc)).ToArray());
            if (undated) onDays.AddCondition(DemandEntryTable.Day, ConditionOperator.Null);
            query.Criteria.AddFilter(onDays);
            query.AddOrder(DemandEntryTable.Id, OrderType.Ascending);

            var groups = new Dictionary<string, List<Entity>>(StringComparer.Ordinal);
            foreach (var row in RetrieveAll(service, query))
            {
                var role = row.GetAttributeValue<OptionSetValue>(DemandEntryTable.Role)?.Value;
                if (role is not int r) continue;
                var key = Key(r, row.GetAttributeValue<DateTime?>(DemandEntryTable.Day)?.Date);
                if (!wanted.Contains(key)) continue;
                if (!groups.TryGetValue(key, out var rows)) groups.Add(key, rows = new List<Entity>());
                rows.Add(row);
            }

            var created = new List<Entity>();
            var deactivated = new List<Entity>();
            foreach (var rows in groups.Values)
            {
                var sum = rows.Sum(r => r.GetAttributeValue<decimal?>(DemandEntryTable.WeightedHours) ?? 0m);
                if (rows.Count == 1 && sum != 0m) continue;
                var first = DemandLedger.Entry(rows[0]);
                if (first == null) continue;
                if (sum != 0m && DemandLedger.Row(new Risk.DemandEntry(first.Role, first.Day, sum)) is Entity folded) created.Add(folded);
                foreach (var row in rows)
                    deactivated.Add(new Entity(DemandEntryTable.EntityName, row.Id)
                    {
                        [DemandEntryTable.StateCode] = new OptionSetValue(Inactive),
                        [DemandEntryTable.StatusCode] = new OptionSetValue(InactiveStatus),
                    });
            }

            if (created.Count > 0)
                service.Execute(new CreateMultipleRequest { Targets = new EntityCollection(created) { EntityName = DemandEntryTable.EntityName } });
            if (deactivated.Count > 0)
                service.Execute(new UpdateMultipleRequest { Targets = new EntityCollection(deactivated) { EntityName = DemandEntryTable.EntityName } });
            result.RowsFolded = deactivated.Count;
            result.RowsWritten = created.Count;
            return result;
        }

        private static string Key(int role, DateTime? day) =>
            role.ToString(System.Globalization.CultureInfo.InvariantCulture) + "|" + (day?.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "");

        private static IEnumerable<Entity> RetrieveAll(IOrganizationService service, QueryExpression query)
        {
            query.PageInfo = new PagingInfo { Count = PageSize, PageNumber = 1 };
            while (true)
            {
                var page = service.RetrieveMultiple(query);
                foreach (var row in page.Entities) yield return row;
                if (!page.MoreRecords) yield break;
                query.PageInfo.PageNumber++;
                query.PageInfo.PagingCookie = page.PagingCookie;
            }
        }
    }
}
