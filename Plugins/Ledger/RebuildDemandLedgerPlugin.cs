using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;

namespace DealRisk.Plugins.Ledger
{
    /// <summary>
    /// The Custom API dr_RebuildDemandLedger (unbound; Solution/customapis/dr_RebuildDemandLedger): brings the demand ledger
    /// to what the org's rows say, one page of deals at a time, for deals that reached Dataverse outside the risk step
    /// (saved before the suite was imported, loaded by a migration, seeded by `dealrisk evaluate`). For each deal of the
    /// page it works out what the ledger should hold (<see cref="DemandLedger.Open"/>, or <see cref="DemandLedger.Won"/>
    /// of it) and what the ledger holds for it now (<see cref="DemandLedger.TryHolding"/> of its dr_demandposted), posts
    /// the difference, folds the keys it touched and writes the deals' new text. Delta-based: a deal already right posts
    /// nothing, so a second run posts nothing, and a rep's save beside it posts its own difference from the text it finds.
    /// Runs as SYSTEM; the API requires prvWritedr_DemandEntry, which only the Deal Risk Administrator role (and System
    /// Administrator) holds. Service calls per page are fixed (<see cref="CallsPerPage"/>).
    /// </summary>
    public sealed class RebuildDemandLedgerPlugin : PluginBase
    {
        public const string MessageName = "dr_RebuildDemandLedger";
        public const string PageSizeParameter = "PageSize";
        public const string ContinuationParameter = "Continuation";
        public const string ContinuationProperty = "Continuation";
        public const string DealsProperty = "Deals";
        public const string EntriesProperty = "Entries";

        /// <summary>
        /// The most deals a page reads: as the sweep, well under the platform's 2-minute limit per call. Not more: the page's
        /// ids go into one In condition of the lines' and requirements' reads, and its texts into one UpdateMultiple, which
        /// the suite's bulk writes keep to 1,000 rows; a page's fixed calls (8) are already few beside its reads and writes.
        /// </summary>
        public const int MaxPageSize = 1000;

        /// <summary>
        /// Days a won deal stays in the rebuild beyond the longest delivery window of the active policies. A save reads
        /// demand from the first day of its month less its window (<see cref="RiskFactsReader.DemandSince"/>), and the first
        /// of the month is at most 30 days before today: a deal won earlier than window + 31 days ago delivers in no window
        /// any save reads, so what the ledger holds for it changes nothing and the rebuild need not read it.
        /// </summary>
        public const int WonMarginDays = 31;

        /// <summary>
        /// Service calls of a page whatever its size or the org's: the policies (for the longest window), the page's deals,
        /// their lines, their requirements, the changes folded into the keys they touch (<see cref="LedgerFold.Post"/>: a
        /// query, a CreateMultiple, an UpdateMultiple) and at most one UpdateMultiple of the deals' dr_demandposted. Reads
        /// page past 5,000 rows, as every reader of the suite does. (One fewer than when the changes were first written as
        /// rows that the same page's fold then deactivated.)
        /// </summary>
        public const int CallsPerPage = 8;

        public RebuildDemandLedgerPlugin(string unsecureConfiguration, string secureConfiguration)
            : base(typeof(RebuildDemandLedgerPlugin), unsecureConfiguration, secureConfiguration)
        {
        }

        protected override void ExecuteDataversePlugin(ILocalPluginContext local)
        {
            var context = local.PluginExecutionContext;
            var now = context.OperationCreatedOn == default ? DateTime.UtcNow : context.OperationCreatedOn;
            var pageSize = context.InputParameters.TryGetValue(PageSizeParameter, out var size) && size is int s ? s : 0;
            if (pageSize < 1 || pageSize > MaxPageSize)
                throw new InvalidPluginExecutionException($"{PageSizeParameter} must be from 1 to {MaxPageSize}; it was {pageSize}.");
            var after = After(context.InputParameters.TryGetValue(ContinuationParameter, out var c) ? c as string : null);

            var service = local.SystemService;
            var reader = new RiskFactsReader(service);
            var window = reader.Policies().Select(p => PolicyReader.Read(p).DeliveryWindowDays).DefaultIfEmpty(RiskPolicy.Default().DeliveryWindowDays).Max();
            var wonSince = DateTime.SpecifyKind(now.Date.AddDays(-(Math.Max(1, window) + WonMarginDays)), DateTimeKind.Utc);
            var page = Page(service, after, wonSince, pageSize);
            var ids = page.Select(d => d.Id).ToList();
            var hours = LedgerLines.HoursByRole(service, ids, reader.Requirements(ids));

            // The page's changes summed per (role, day): ledger rows belong to no deal, so one row per key says the same.
            var changes = new Dictionary<string, Risk.DemandEntry>(StringComparer.Ordinal);
            var texts = new List<Entity>();
            foreach (var deal in page)
            {
                var state = deal.GetAttributeValue<OptionSetValue>(Opportunity.StateCode)?.Value ?? OpportunityState.Open;
                var closed = deal.GetAttributeValue<DateTime?>(Opportunity.ActualCloseDate);
                var stored = deal.GetAttributeValue<string>(Opportunity.DemandPosted);
                var open = DemandLedger.Open(deal.GetAttributeValue<int?>(Opportunity.CloseProbability), deal.GetAttributeValue<DateTime?>(Opportunity.EstimatedCloseDate),
                    hours[deal.Id]);
                var should = state == OpportunityState.Won ? DemandLedger.Won(open, closed) : open;
                if (!DemandLedger.TryHolding(state, closed, stored, out var before))
                    local.Trace($"Opportunity {deal.Id}: {Opportunity.DemandPosted} '{stored}' is not the suite's text; the ledger is taken to hold nothing for it.");
                foreach (var change in DemandPosting.Changes(before, should))
                {
                    if (OptionSets.RoleValue(change.Role) is not int role) continue;
                    var key = DemandLedger.Key(role, change.Day);
                    var sum = (changes.TryGetValue(key, out var known) ? known.WeightedHours : 0m) + change.WeightedHours;
                    changes[key] = new Risk.DemandEntry(OptionSets.RoleName(role)!, change.Day, sum);
                }

                var text = open.Format();
                if (text.Length > ColumnLimits.OpportunityDemandPosted.MaxLength)
                {
                    // Never cut: a cut text reads back as none, and the next run would post the deal again.
                    local.Trace($"Opportunity {deal.Id}: its posting ({text.Length} characters) does not fit {Opportunity.DemandPosted}; left as it was.");
                    continue;
                }

                if (!string.Equals(text, stored ?? "", StringComparison.Ordinal))
                    texts.Add(new Entity(Opportunity.EntityName, deal.Id) { [Opportunity.DemandPosted] = text });
            }

            var entries = changes.Values.Where(v => v.WeightedHours != 0m).ToList();
            // Folded straight in: a change row written here would be deactivated by the fold of the same page.
            var folded = LedgerFold.Post(service, entries);
            // Only dr_demandposted, which no step of the suite filters on: writing it judges no deal again.
            if (texts.Count > 0)
                service.Execute(new UpdateMultipleRequest { Targets = new EntityCollection(texts) { EntityName = Opportunity.EntityName } });

            var done = ids.Count < pageSize;
            local.Trace($"Ledger rebuild: {ids.Count} deal(s) read, {entries.Count} change(s) posted, {folded.RowsFolded} row(s) folded with them into {folded.RowsWritten}, " +
                        $"{texts.Count} deal(s)' {Opportunity.DemandPosted} written{(done ? "; done" : "; more to come")}.");
            context.OutputParameters[ContinuationProperty] = done ? "" : ids[ids.Count - 1].ToString("D", CultureInfo.InvariantCulture);
            context.OutputParameters[DealsProperty] = ids.Count;
            context.OutputParameters[EntriesProperty] = entries.Count;
        }

        /// <summary>The id the page starts after; a continuation this plugin did not write is refused with a sentence, not ignored.</summary>
        private static Guid? After(string? continuation)
        {
            if (string.IsNullOrWhiteSpace(continuation)) return null;
            if (Guid.TryParseExact(continuation!.Trim(), "D", out var id)) return id;
            throw new InvalidPluginExecutionException($"{ContinuationParameter} '{continuation}' is not one this rebuild returned (the id of the last deal of a page).");
        }

        /// <summary>
        /// Open deals, and won deals won since <paramref name="wonSince"/> (or with no actual close date: their delivery starts
        /// the day the ledger is read), after <paramref name="after"/> in the order of their ids.
        /// </summary>
        private static IReadOnlyList<Entity> Page(IOrganizationService service, Guid? after, DateTime wonSince, int pageSize)
        {
            var query = new QueryExpression(Opportunity.EntityName)
            {
                ColumnSet = new ColumnSet(Opportunity.StateCode, Opportunity.CloseProbability, Opportunity.EstimatedCloseDate, Opportunity.ActualCloseDate, Opportunity.DemandPosted),
                TopCount = pageSize,
                NoLock = true,
            };
            if (after is Guid id) query.Criteria.AddCondition(Opportunity.Id, ConditionOperator.GreaterThan, id);
            var which = new FilterExpression(LogicalOperator.Or);
            which.AddCondition(Opportunity.StateCode, ConditionOperator.Equal, OpportunityState.Open);
            var won = which.AddFilter(LogicalOperator.And);
            won.AddCondition(Opportunity.StateCode, ConditionOperator.Equal, OpportunityState.Won);
            var recent = won.AddFilter(LogicalOperator.Or);
            recent.AddCondition(Opportunity.ActualCloseDate, ConditionOperator.GreaterEqual, wonSince);
            recent.AddCondition(Opportunity.ActualCloseDate, ConditionOperator.Null);
            query.Criteria.AddFilter(which);
            query.AddOrder(Opportunity.Id, OrderType.Ascending);
            return service.RetrieveMultiple(query).Entities.ToList();
        }
    }
}
