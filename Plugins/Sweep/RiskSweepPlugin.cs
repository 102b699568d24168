using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DealRisk.Plugins.Ledger;
using DealRisk.Plugins.Schema;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;

namespace DealRisk.Plugins.Sweep
{
    /// <summary>
    /// The Custom API dr_RunRiskSweep (unbound; Solution/customapis/dr_RunRiskSweep): judges again, one page at a time, the
    /// open deals the day has not swept yet, so what time creates (a passed close date, silence, a stalled stage, the
    /// allocation lead time, must-haves unassessed late) reaches the verdict on the day it becomes true, and escalates the
    /// page's alerts nobody acknowledged within the policy's hours. The deals are judged by the same step as a rep's save:
    /// one UpdateMultiple stamps dr_lastsweepon, a filtering attribute of OpportunityRiskPlugin's UpdateMultiple step, and
    /// the history and the alert workflow follow as after any save. A stamped deal is not picked again that day, which is
    /// what makes a second run on the same day change nothing. The first page of a day (no continuation token) first works
    /// out the org's won deals' median days per stage from the risk history and keeps them on the policy rows
    /// (<see cref="WonStageDaysWriter"/>), so the deals judged that day are judged against them. Every page then folds the
    /// demand ledger's oldest change rows (<see cref="LedgerFold.FoldOldest"/>), so a save's read of its window stays small
    /// however long the org has been saving; a page with nothing to fold writes nothing, and the sweep is not done while a
    /// fold took a full batch (the flow's next pages fold the rest, with no deal left to judge). Service calls per page are
    /// fixed (see <see cref="CallsPerPage"/> and <see cref="CallsOfFirstPage"/>), and the page size keeps a call well under
    /// the platform's 2-minute limit.
    /// </summary>
    public sealed class RiskSweepPlugin : PluginBase
    {
        public const string MessageName = "dr_RunRiskSweep";
        public const string PageSizeParameter = "PageSize";
        public const string ContinuationTokenParameter = "ContinuationToken";
        public const string DoneProperty = "Done";
        public const string ContinuationTokenProperty = "ContinuationToken";
        public const string JudgedProperty = "Judged";
        public const string ChangedProperty = "Changed";
        public const string EscalatedProperty = "Escalated";
        public const string SummaryProperty = "Summary";

        /// <summary>The most deals a page judges: UpdateMultiple's recommended batch is far smaller than its limit of 1,000.</summary>
        public const int MaxPageSize = 1000;

        /// <summary>
        /// Service calls of a page at most, whatever its size and the ledger's: the page's deals, UpdateMultiple of them, their
        /// verdicts after, their open alerts, the policies, the recipients and their managers, at most one UpdateMultiple of
        /// alerts and one CreateMultiple of notifications (9), and the ledger's fold: its oldest change rows, the folded rows of
        /// their keys, one CreateMultiple and one UpdateMultiple (4; only the first when there is nothing to fold).
        /// </summary>
        public const int CallsPerPage = 9 + LedgerFold.CallsOfFoldOldest;

        /// <summary>The first page of a day adds the won deals' history, the policy rows and at most one UpdateMultiple of them.</summary>
        public const int CallsOfFirstPage = CallsPerPage + WonStageDaysWriter.Calls;

        public RiskSweepPlugin(string unsecureConfiguration, string secureConfiguration)
            : base(typeof(RiskSweepPlugin), unsecureConfiguration, secureConfiguration)
        {
        }

        protected override void ExecuteDataversePlugin(ILocalPluginContext local)
        {
            var context = local.PluginExecutionContext;
            var now = context.OperationCreatedOn == default ? DateTime.UtcNow : context.OperationCreatedOn;
            var pageSize = context.InputParameters.TryGetValue(PageSizeParameter, out var size) && size is int s ? s : 0;
            if (pageSize < 1 || pageSize > MaxPageSize)
                throw new InvalidPluginExecutionException($"{PageSizeParameter} must be from 1 to {MaxPageSize}; it was {pageSize}.");
            var token = context.InputParameters.TryGetValue(ContinuationTokenParameter, out var t) ? t as string : null;
            var day = SweepDay(token, now);

            var service = local.SystemService;
            // Before the page is judged, so that today's verdicts use today's medians; a continued sweep has them already.
            var won = string.IsNullOrWhiteSpace(token) ? "; " + WonStageDaysWriter.Refresh(service, now, local.Trace) : "";
            var page = Page(service, day, pageSize);
            var ids = page.Select(d => d.Id).ToList();
            var changed = 0;
            var escalated = 0;
            if (ids.Count > 0)
            {
                var targets = new EntityCollection { EntityName = Opportunity.EntityName };
                foreach (var id in ids) targets.Entities.Add(new Entity(Opportunity.EntityName, id) { [Opportunity.LastSweepOn] = now });
                service.Execute(new UpdateMultipleRequest { Targets = targets });

                var after = Verdicts(service, ids).ToDictionary(d => d.Id);
                foreach (var before in page)
                    if (after.TryGetValue(before.Id, out var now2) && !SameVerdict(before, now2))
                    {
                        changed++;
                        local.Trace($"Opportunity {before.Id}: {before.GetAttributeValue<string>(Opportunity.RiskFindingCodes)} -> {now2.GetAttributeValue<string>(Opportunity.RiskFindingCodes)}.");
                    }

                escalated = new AlertEscalator(service, local.Trace).EscalateStale(page, now);
            }

            // Every page folds a bounded slice rather than the last page all of it: each call keeps its fixed cost and time.
            var fold = LedgerFold.FoldOldest(service);
            var folded = fold.RowsFolded == 0 ? "" : $"; {fold.RowsFolded} ledger row(s) folded into {fold.RowsWritten}";
            // Not done while the fold took a full batch: the flow calls again, so the ledger's backlog folds the same day.
            var done = ids.Count < pageSize && !fold.MoreToFold;
            var summary = $"Sweep of {Day(day)}: {ids.Count} open deal(s) judged again, {changed} verdict(s) changed, {escalated} alert(s) escalated{won}{folded}{(done ? "; done" : "; more to come")}.";
            local.Trace(summary);
            context.OutputParameters[DoneProperty] = done;
            context.OutputParameters[ContinuationTokenProperty] = done ? "" : Day(day);
            context.OutputParameters[JudgedProperty] = ids.Count;
            context.OutputParameters[ChangedProperty] = changed;
            context.OutputParameters[EscalatedProperty] = escalated;
            context.OutputParameters[SummaryProperty] = summary;
        }

        /// <summary>
        /// The day being swept: the token's (a sweep that runs past midnight finishes the day it began), else today. A token
        /// this plugin did not write is refused with a sentence, not ignored.
        /// </summary>
        private static DateTime SweepDay(string? token, DateTime now)
        {
            if (string.IsNullOrWhiteSpace(token)) return now.Date;
            if (DateTime.TryParseExact(token!.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var day) && day <= now)
                return DateTime.SpecifyKind(day.Date, DateTimeKind.Utc);
            throw new InvalidPluginExecutionException($"{ContinuationTokenParameter} '{token}' is not one this sweep returned (a day, yyyy-MM-dd, not in the future).");
        }

        private static string Day(DateTime day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        /// <summary>Open deals not swept since the start of the day, in a stable order.</summary>
        private static IReadOnlyList<Entity> Page(IOrganizationService service, DateTime day, int pageSize)
        {
            var query = new QueryExpression(Opportunity.EntityName)
            {
                ColumnSet = new ColumnSet(Opportunity.Name, Opportunity.OwnerId, Opportunity.OwningBusinessUnit, Opportunity.OverallRisk, Opportunity.RiskScore, Opportunity.RiskFindingCodes),
                TopCount = pageSize,
            };
            query.Criteria.AddCondition(Opportunity.StateCode, ConditionOperator.Equal, OpportunityState.Open);
            var notToday = new FilterExpression(LogicalOperator.Or);
            notToday.AddCondition(Opportunity.LastSweepOn, ConditionOperator.Null);
            notToday.AddCondition(Opportunity.LastSweepOn, ConditionOperator.LessThan, day);
            query.Criteria.AddFilter(notToday);
            query.AddOrder(Opportunity.Id, OrderType.Ascending);
            return service.RetrieveMultiple(query).Entities.ToList();
        }

        private static IEnumerable<Entity> Verdicts(IOrganizationService service, IReadOnlyCollection<Guid> ids)
        {
            var query = new QueryExpression(Opportunity.EntityName) { ColumnSet = new ColumnSet(Opportunity.OverallRisk, Opportunity.RiskScore, Opportunity.RiskFindingCodes) };
            query.Criteria.AddCondition(Opportunity.Id, ConditionOperator.In, ids.Cast<object>().ToArray());
            return service.RetrieveMultiple(query).Entities;
        }

        private static bool SameVerdict(Entity a, Entity b) =>
            a.GetAttributeValue<OptionSetValue>(Opportunity.OverallRisk)?.Value == b.GetAttributeValue<OptionSetValue>(Opportunity.OverallRisk)?.Value &&
            a.GetAttributeValue<int?>(Opportunity.RiskScore) == b.GetAttributeValue<int?>(Opportunity.RiskScore) &&
            a.GetAttributeValue<string>(Opportunity.RiskFindingCodes) == b.GetAttributeValue<string>(Opportunity.RiskFindingCodes);
    }
}
