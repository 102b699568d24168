using System;
using System.Collections.Generic;
using System.Linq;
using CrmPlugins.Emulator;
using DealRisk.Plugins.Ledger;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;

namespace DealRisk.Plugins.Tests.Ledger
{
    /// <summary>The demand ledger as a save's read sees it, for asserting what it holds.</summary>
    internal static class LedgerSums
    {
        /// <summary>The ledger's active rows summed per role and day, as the ledger read sees them.</summary>
        public static IReadOnlyDictionary<(string Role, DateTime? Day), decimal> Of(XrmOrganization org) =>
            org.All(DemandEntryTable.EntityName)
                .Where(r => (r.GetAttributeValue<OptionSetValue>(DemandEntryTable.StateCode)?.Value ?? 0) == 0)
                .Select(DemandLedger.Entry).Where(e => e != null).Cast<DemandEntry>()
                .GroupBy(e => (e.Role, e.Day)).Select(g => (g.Key, Sum: g.Sum(e => e.WeightedHours))).Where(x => x.Sum != 0m)
                .ToDictionary(x => x.Key, x => x.Sum);
    }
}
