using System;
using System.Collections.Generic;
using System.Globalization;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;

namespace DealRisk.Plugins.Ledger
{
    /// <summary>
    /// What the demand ledger (<see cref="DemandEntryTable"/> rows) holds for a deal, and the ledger's rows as Dataverse keeps them.
    /// An open deal holds its delivery hours at its probability from its close date (today when it has none); a won deal
    /// holds them in full from the day it was won, as the risk step always counted won deals; a lost deal holds nothing.
    /// The deal keeps the text of its open posting (<see cref="Opportunity.DemandPosted"/>); a won deal's holding follows
    /// from that text and its actual close date, so closing a deal never has to write to it.
    /// </summary>
    public static class DemandLedger
    {
        /// <summary>An open deal's posting: <paramref name="hoursByRole"/> at its probability from its close date.</summary>
        public static DemandPosting Open(int? probability, DateTime? closeDate, IEnumerable<KeyValuePair<string, decimal>> hoursByRole) =>
            new DemandPosting(DeliveryDemand.WeightOf(probability), closeDate?.Date, hoursByRole);

        /// <summary>A won deal's holding: the hours it posted while open, in full, from the day it was won.</summary>
        public static DemandPosting Won(DemandPosting posted, DateTime? actualCloseDate) =>
            posted.Hours.Count == 0 ? DemandPosting.None : new DemandPosting(1m, actualCloseDate?.Date, posted.Hours);

        /// <summary>
        /// What the ledger holds for a deal stored in <paramref name="state"/> with <paramref name="postedText"/>. Text the
        /// suite did not write gives false, with <see cref="DemandPosting.None"/> (the caller traces it).
        /// </summary>
        public static bool TryHolding(int? state, DateTime? actualCloseDate, string? postedText, out DemandPosting holding)
        {
            holding = DemandPosting.None;
            if (state == OpportunityState.Lost) return true;
            if (!DemandPosting.TryParse(postedText, out var posted)) return false;
            holding = state == OpportunityState.Won ? Won(posted, actualCloseDate) : posted;
            return true;
        }

        /// <summary>A change (or folded) row of the ledger; null for a role the dr_deliveryrole choice has no value for.</summary>
        public static Entity? Row(Risk.DemandEntry entry)
        {
            if (OptionSets.RoleValue(entry.Role) is not int role) return null;
            var day = entry.Day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "no close date";
            var row = new Entity(DemandEntryTable.EntityName)
            {
                [DemandEntryTable.Name] = ColumnLimits.DemandEntryName.Fit($"{OptionSets.RoleName(role)} {day}"),
                [DemandEntryTable.Role] = new OptionSetValue(role),
                [DemandEntryTable.WeightedHours] = ColumnLimits.DemandEntryWeightedHours.Fit(entry.WeightedHours),
            };
            if (entry.Day is DateTime d) row[DemandEntryTable.Day] = DateTime.SpecifyKind(d.Date, DateTimeKind.Utc);
            return row;
        }

        /// <summary>
        /// A folded row of the ledger: <see cref="Row"/> with the active status reason Folded, so the sweep tells the rows
        /// it has still to fold (status reason Active, as saves write them) from those it wrote, with a condition on
        /// statuscode and no second read. Null as <see cref="Row"/>.
        /// </summary>
        public static Entity? FoldedRow(Risk.DemandEntry entry)
        {
            var row = Row(entry);
            if (row != null) row[DemandEntryTable.StatusCode] = new OptionSetValue(LedgerFold.FoldedStatus);
            return row;
        }

        /// <summary>The (role, day) a ledger row sums under, by the role's dr_deliveryrole value: what a fold and a rebuild group by.</summary>
        internal static string Key(int role, DateTime? day) =>
            role.ToString(CultureInfo.InvariantCulture) + "|" + (day?.Ticks.ToString(CultureInfo.InvariantCulture) ?? "");

        /// <summary>A stored ledger row as an entry; null when it names no role.</summary>
        public static Risk.DemandEntry? Entry(Entity row)
        {
            var role = OptionSets.RoleName(row.GetAttributeValue<OptionSetValue>(DemandEntryTable.Role)?.Value);
            if (role == null) return null;
            return new Risk.DemandEntry(role, row.GetAttributeValue<DateTime?>(DemandEntryTable.Day)?.Date, row.GetAttributeValue<decimal?>(DemandEntryTable.WeightedHours) ?? 0m);
        }
    }
}
