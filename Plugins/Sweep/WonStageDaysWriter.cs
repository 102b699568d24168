using System;
using System.Collections.Generic;
using System.Linq;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;

namespace DealRisk.Plugins.Sweep
{
    /// <summary>
    /// The org's own pace, worked out once a day by the sweep's first page: the median days the deals won in the last
    /// <see cref="LookbackDays"/> days spent in each sales stage, from the stage and stage-entered date every risk history
    /// row carries (<see cref="WonStageMedians"/>), kept as text on every active policy row (dr_wonstagedays), where the risk
    /// plugin already reads the policy: a save pays no query for it. Three calls whatever the size of the org: one page of
    /// won deals with their history rows, the policy rows, and one UpdateMultiple when the text changed.
    /// </summary>
    internal static class WonStageDaysWriter
    {
        /// <summary>Deals won this many days back count; older ones describe a sales process the org may have left.</summary>
        public const int LookbackDays = 365;

        /// <summary>
        /// One page of history rows: the platform's largest. When the won deals' rows exceed it, the medians rest on the most
        /// recently won deals that fit (about 500 at ten rows each), and the trace says so.
        /// </summary>
        public const int MaxRows = 5000;

        public const int Calls = 3;

        private const string HistoryAlias = "h";

        /// <summary>Works out the medians, writes them where they changed; returns a sentence for the sweep's summary.</summary>
        public static string Refresh(IOrganizationService service, DateTime now, Action<string> trace)
        {
            var medians = WonStageMedians.Compute(WonDeals(service, now, trace));
            var text = Fit(StageBenchmark.Write(medians.ByStage));
            var rows = new RiskFactsReader(service).Policies();
            var changed = new EntityCollection { EntityName = RiskPolicyTable.EntityName };
            foreach (var row in rows.Where(r => (r.GetAttributeValue<string>(RiskPolicyTable.WonStageDays) ?? "") != text))
                changed.Entities.Add(new Entity(RiskPolicyTable.EntityName, row.Id) { [RiskPolicyTable.WonStageDays] = text.Length == 0 ? null : text });
            // Unchanged text is not written again: a second sweep the same day changes nothing.
            if (changed.Entities.Count > 0) service.Execute(new UpdateMultipleRequest { Targets = changed });

            var kept = rows.Count == 0 ? "no active risk policy row to keep them on" : $"kept on {rows.Count} policy row(s), {changed.Entities.Count} changed";
            var sentence = $"won deals' days per stage over {LookbackDays} days: {(text.Length == 0 ? "none" : text)}; {medians.Describe()}; {kept}";
            trace(sentence + ".");
            return sentence;
        }

        /// <summary>
        /// The history rows of each deal won since the lookback began, newest close first, in one query: the won deals with
        /// their rows joined (outer: a deal without history comes back once, with no row, and is counted out).
        /// </summary>
        private static IEnumerable<IReadOnlyCollection<StageHistoryRow>> WonDeals(IOrganizationService service, DateTime now, Action<string> trace)
        {
            var query = new QueryExpression(Opportunity.EntityName)
            {
                ColumnSet = new ColumnSet(Opportunity.ActualCloseDate),
                PageInfo = new PagingInfo { Count = MaxRows, PageNumber = 1 },
                NoLock = true,
            };
            query.Criteria.AddCondition(Opportunity.StateCode, ConditionOperator.Equal, OpportunityState.Won);
            query.Criteria.AddCondition(Opportunity.ActualCloseDate, ConditionOperator.GreaterEqual, now.Date.AddDays(-LookbackDays));
            var history = query.AddLink(RiskHistory.EntityName, Opportunity.Id, RiskHistory.OpportunityId, JoinOperator.LeftOuter);
            history.EntityAlias = HistoryAlias;
            history.Columns = new ColumnSet(RiskHistory.Kind, RiskHistory.Outcome, RiskHistory.RecordedOn, RiskHistory.SalesStage, RiskHistory.StageEnteredOn);
            query.AddOrder(Opportunity.ActualCloseDate, OrderType.Descending);
            query.AddOrder(Opportunity.Id, OrderType.Ascending);

            var page = service.RetrieveMultiple(query);
            var deals = new List<KeyValuePair<Guid, List<StageHistoryRow>>>();
            foreach (var row in page.Entities)
            {
                if (deals.Count == 0 || deals[deals.Count - 1].Key != row.Id) deals.Add(new KeyValuePair<Guid, List<StageHistoryRow>>(row.Id, new List<StageHistoryRow>()));
                if (Linked(row, RiskHistory.RecordedOn) is not DateTime recordedOn) continue;
                deals[deals.Count - 1].Value.Add(new StageHistoryRow(recordedOn, (Linked(row, RiskHistory.SalesStage) as OptionSetValue)?.Value, Linked(row, RiskHistory.StageEnteredOn) as DateTime?,
                    (Linked(row, RiskHistory.Kind) as OptionSetValue)?.Value == RiskHistory.KindClose, (Linked(row, RiskHistory.Outcome) as OptionSetValue)?.Value == RiskHistory.OutcomeWon));
            }

            if (page.MoreRecords && deals.Count > 0)
            {
                // The page may have cut the last deal's rows short: it is left out rather than judged on part of its history.
                deals.RemoveAt(deals.Count - 1);
                trace($"More than {MaxRows} history rows of won deals: the medians rest on the {deals.Count} most recently won.");
            }

            return deals.Select(d => (IReadOnlyCollection<StageHistoryRow>)d.Value);
        }

        /// <summary>Whole stages only, the last ones left out, should an org's own stages ever outgrow the column: a cut part would read as another median.</summary>
        private static string Fit(string text)
        {
            while (text.Length > ColumnLimits.PolicyWonStageDays.MaxLength)
            {
                var cut = text.LastIndexOf("; ", StringComparison.Ordinal);
                text = cut < 0 ? "" : text.Substring(0, cut);
            }

            return text;
        }

        private static object? Linked(Entity row, string column) => RiskFactsReader.Aliased<object>(row, HistoryAlias + "." + column);
    }
}
