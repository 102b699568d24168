using System;
using System.Collections.Generic;
using System.Linq;
using DealRisk.Plugins.Ledger;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;

namespace DealRisk.Plugins
{
    /// <summary>
    /// PreOperation on opportunity CreateMultiple and UpdateMultiple, which the platform also runs for a single Create
    /// and Update with Targets of one: judges each deal and writes the verdict onto its target, so the verdict is saved
    /// in the same transaction with no extra write. Values a user puts in verdict columns are overwritten; closed deals
    /// are not re-judged and keep their verdict. The facts of the whole batch are read with the same fixed set of
    /// queries as one deal's.
    /// </summary>
    public sealed class OpportunityRiskPlugin : PluginBase
    {
        /// <summary>The alias of the pre-image the update step registers.</summary>
        public const string PreImageAlias = "PreImage";

        private readonly IReadOnlyList<DealCheck> _checks;

        /// <summary>The constructor Dataverse calls: the shipped checks (<see cref="RiskChecks.Default"/>).</summary>
        public OpportunityRiskPlugin(string unsecureConfiguration, string secureConfiguration)
            : this(unsecureConfiguration, secureConfiguration, RiskChecks.Default)
        {
        }

        /// <summary>
        /// With another list of checks: how a check under development runs through the real pipeline in a test. The checks
        /// are shared by every execution, so they hold no state of a deal.
        /// </summary>
        public OpportunityRiskPlugin(string unsecureConfiguration, string secureConfiguration, IReadOnlyList<DealCheck> checks)
            : this(unsecureConfiguration, secureConfiguration, checks, null)
        {
        }

        /// <summary>
        /// With another read of the org's other deals' demand in place of the demand ledger's: how a test judges the same
        /// saves against demand summed live from the deals' rows (the reference the ledger must equal). The read is shared
        /// by every execution, so it holds no state.
        /// </summary>
        public OpportunityRiskPlugin(string unsecureConfiguration, string secureConfiguration, IReadOnlyList<DealCheck> checks, OtherDemandRead? otherDemand)
            : base(typeof(OpportunityRiskPlugin), unsecureConfiguration, secureConfiguration)
        {
            _checks = checks ?? throw new ArgumentNullException(nameof(checks));
            _otherDemand = otherDemand;
        }

        /// <summary>
        /// The claims of the org's deals but <paramref name="batchIds"/> whose delivery can touch [<paramref name="from"/>,
        /// <paramref name="to"/>), read with the system service.
        /// </summary>
        public delegate IReadOnlyList<DemandClaim> OtherDemandRead(IOrganizationService systemService, IReadOnlyCollection<Guid> batchIds, DateTime from, DateTime to, DateTime now, int windowDays);

        private readonly OtherDemandRead? _otherDemand;

        protected override void ExecuteDataversePlugin(ILocalPluginContext local)
        {
            var context = local.PluginExecutionContext;
            var now = context.OperationCreatedOn == default ? DateTime.UtcNow : context.OperationCreatedOn;
            // UpdateMultiple runs the step when any target carries a filtering attribute: a target that changed none of
            // them is left as it is (learn.microsoft.com/power-apps/developer/data-platform/write-plugin-multiple-operation#attribute-filters).
            var deals = Deals(context).Where(d => d.Target.LogicalName == Opportunity.EntityName && (d.IsCreate || Opportunity.JudgedOnChangeOf.Any(d.Target.Contains))).ToList();
            if (deals.Count == 0) return;

            foreach (var deal in deals)
            {
                try
                {
                    ApprovalRules.Apply(deal, context.InitiatingUserId, now);
                }
                catch (InvalidPluginExecutionException refusal) when (deal.Target.Id != Guid.Empty)
                {
                    // A bulk request fails as a whole: say which row, as Microsoft asks of plugins on the bulk messages
                    // (learn.microsoft.com/power-apps/developer/data-platform/write-plugin-multiple-operation#set-exception-details).
                    throw new InvalidPluginExecutionException(refusal.Message, new Dictionary<string, string> { ["failedRecordId"] = deal.Target.Id.ToString() });
                }
            }

            var ledger = new LedgerPostings(local);
            var closedByWinOrLose = DemandLedgerPlugin.IsWinOrLose(context.ParentContext);
            var open = new List<DealState>();
            foreach (var deal in deals)
            {
                if (deal.IsClosed)
                {
                    // Closed deals keep the verdict they closed with: nothing the user sends may change it.
                    foreach (var column in Opportunity.Verdict) deal.Target.Attributes.Remove(column);
                    deal.Target.Attributes.Remove(Opportunity.DemandPosted);
                    // Closed by an Update or SetState of statecode: its holding becomes the closed one here. Inside a Win or Lose
                    // the ledger step of that message posts it (once), from the same holding.
                    if (!closedByWinOrLose) ledger.Close(deal);
                    local.Trace($"Opportunity {deal.Target.Id} is closed: not re-judged.");
                }
                else
                {
                    open.Add(deal);
                }
            }

            if (open.Count == 0)
            {
                ledger.Post();
                return;
            }

            var reader = new RiskFactsReader(local.SystemService) { InTransaction = context.IsInTransaction };
            var policies = reader.Policies();
            // A deal being created has no lines, requirements or allocations yet: nothing to read for it.
            var ids = StoredIds(open);
            var lines = reader.Lines(ids);
            var requirements = reader.Requirements(ids);
            var demand = open.ToDictionary(d => d, d => DeliveryDemand.ByRole(lines[d.Target.Id], requirements[d.Target.Id]).ToList());

            var policyRows = open.ToDictionary(d => d, d => PolicyReader.Pick(policies, d.Owner, d.BusinessUnitId));
            var dealPolicies = open.ToDictionary(d => d, d => PolicyReader.Read(policyRows[d]));
            if (policies.Count == 0) local.Trace("No active risk policy found: the built-in defaults apply.");
            var lastActivities = new Sweep.ActivityReader(local.SystemService).LastCompleted(ids);
            var bars = new ProcessStageReader(local.SystemService).Of(ids);

            // Each judgement posts what changed of the deal's demand to the ledger (one CreateMultiple for the batch, none when
            // nothing changed); the holdings before it are what the ledger holds of the batch's stored deals.
            var postings = open.ToDictionary(d => d, d => DemandLedger.Open(d.Get<int?>(Opportunity.CloseProbability), d.CloseDate, demand[d]));
            foreach (var deal in open) ledger.Judged(deal, postings[deal]);

            // Capacity, allocations and other deals' demand matter only to a deal that needs delivery hours: a deal
            // without any costs one query (create) or five (update), one with delivery demand eight, whatever the org.
            var withDemand = open.Where(d => demand[d].Count > 0).ToList();
            var allocations = reader.Allocations(StoredIds(withDemand));
            IReadOnlyList<RoleCapacity> capacity = Array.Empty<RoleCapacity>();
            IReadOnlyList<DemandClaim> ledgerDemand = Array.Empty<DemandClaim>();
            IReadOnlyList<DemandClaim> batchHeld = Array.Empty<DemandClaim>();
            if (withDemand.Count > 0)
            {
                var windowDays = withDemand.Max(d => dealPolicies[d].DeliveryWindowDays);
                var earliest = withDemand.Select(d => d.CloseDate ?? now).Concat(new[] { now }).Min();
                var latest = Dates.AddDays(withDemand.Select(d => d.CloseDate ?? now).Concat(new[] { now }).Max(), windowDays + 31);
                var from = earliest < now ? now : earliest;
                capacity = reader.Capacity(from, latest);
                var since = RiskFactsReader.DemandSince(from, windowDays);
                if (_otherDemand != null)
                {
                    ledgerDemand = _otherDemand(local.SystemService, ids, from, latest, now, windowDays);
                }
                else
                {
                    // The org's other deals: the ledger less what it holds of the batch's stored deals (each once), taken in
                    // the same window as the ledger was read, so the difference is exactly the other deals' rows.
                    ledgerDemand = reader.LedgerDemand(since, latest, now);
                    batchHeld = open.Where(d => !d.IsCreate && d.Target.Id != Guid.Empty).GroupBy(d => d.Target.Id).Select(g => ledger.Holding(g.First()))
                        .SelectMany(h => h.Entries()).Where(e => RiskFactsReader.InDemandWindow(e.Day, since, latest)).Select(e => e.AsClaim(now)).ToList();
                }
            }

            ledger.Post();
            var othersSeen = OthersSeen(open, demand, ledgerDemand, batchHeld, now, d => dealPolicies[d].DeliveryWindowDays, ledger.Holding, d => postings[d]);
            for (var i = 0; i < open.Count; i++)
            {
                var deal = open[i];
                var policy = dealPolicies[deal];
                var wonStageDays = PolicyReader.WonStageDays(policyRows[deal], policy);
                foreach (var problem in policy.Problems()) local.Trace($"Risk policy '{policy.Source}': {problem}.");
                var rate = deal.ExchangeRate(reader);
                var facts = deal.ToFacts(now, rate);
                bars.TryGetValue(deal.Target.Id, out var bar);
                JudgedStages(deal, facts, bar);
                // Lists made at their size (the facts' own, as the fix search copies them), not grown row by row.
                facts.Lines = new List<DealLine>(lines[deal.Target.Id]);
                facts.Requirements = new List<DealRequirement>(requirements[deal.Target.Id]);
                facts.Allocations = new List<DealAllocation>(allocations[deal.Target.Id]);
                if (demand[deal].Count > 0)
                {
                    facts.Capacity = new List<RoleCapacity>(capacity);
                    facts.OtherDemand = new List<RoleDemand>(othersSeen[i]);
                }
                Sweep.TimeFacts.Fill(deal, facts, now, lastActivities, bar);
                facts.WonStageDays = wonStageDays;

                var assessment = RiskEvaluator.Evaluate(facts, policy, _checks);
                // What clears each finding: the same checks on changed facts, from the facts already read (no query).
                var judgements = RiskFixes.Attach(assessment, facts, policy, _checks);
                VerdictWriter.Write(deal, assessment, policy, now, rate);
                if (ApprovalRules.WithdrawWhenWorse(deal, assessment))
                    local.Trace($"Opportunity {deal.Target.Id}: the risk approval was given for a lesser risk; it is withdrawn.");
                local.Trace($"Opportunity {deal.Target.Id}: overall {assessment.Overall}, score {assessment.Score}, {assessment.Findings.Count} finding(s) ({judgements} judged again for their fixes), policy '{policy.Source}'.");
            }
        }

        /// <summary>The ids of the deals already stored, each once.</summary>
        private static List<Guid> StoredIds(IEnumerable<DealState> deals) =>
            deals.Where(d => d.Target.Id != Guid.Empty && !d.IsCreate).Select(d => d.Target.Id).Distinct().ToList();

        /// <summary>
        /// The deal is where its process bar is. Where it was before this save is the stage it was last judged in
        /// (dr_judgedstage), so a bar moved back is seen as salesstage moved back is; a deal judged before that column
        /// existed has only salesstage, which says nothing of where its bar was, so its bar's stage is not compared.
        /// </summary>
        private static void JudgedStages(DealState deal, DealFacts facts, ActiveStage? bar)
        {
            if (bar != null) facts.Current.SalesStage = bar.Stage;
            if (facts.Previous == null) return;
            if (deal.Before<OptionSetValue>(Opportunity.JudgedStage) is OptionSetValue judged) facts.Previous.SalesStage = judged.Value;
            else if (bar != null) facts.Previous.SalesStage = null;
        }

        /// <summary>
        /// Other deals' demand as each deal of the batch sees it, exactly as if the batch were saved one by one in its order:
        /// the org's other deals (the ledger less what it holds of the batch's stored deals), the deals saved before it in the
        /// batch as they post now, and those after it as the ledger holds them (a deal being created holds nothing). Running
        /// totals forward (as posted) and backward (as held) make this linear in the batch; a deal's own id is taken out of
        /// both, so a deal never competes with itself. The totals are exact, so taking away gives what summing the others would.
        /// </summary>
        private static IReadOnlyList<RoleDemand>[] OthersSeen(IReadOnlyList<DealState> batch, IReadOnlyDictionary<DealState, List<KeyValuePair<string, decimal>>> demand,
            IReadOnlyList<DemandClaim> ledger, IReadOnlyList<DemandClaim> batchHeld, DateTime now, Func<DealState, int> windowDaysOf,
            Func<DealState, DemandPosting> heldOf, Func<DealState, DemandPosting> postedOf)
        {
            var seen = new IReadOnlyList<RoleDemand>[batch.Count];
            var needed = Enumerable.Range(0, batch.Count).Where(i => demand[batch[i]].Count > 0).ToList();
            foreach (var windowDays in needed.Select(i => windowDaysOf(batch[i])).Distinct())
            {
                var judged = new HashSet<int>(needed.Where(i => windowDaysOf(batch[i]) == windowDays));
                var fromOrg = new DemandTotals(windowDays).Add(ledger).Subtract(batchHeld);
                var after = new Dictionary<int, DemandPart>();
                Running(batch, Enumerable.Range(0, batch.Count).Reverse(), judged, windowDays, d => heldOf(d).Claims(now),
                    (i, held) => after[i] = new DemandPart(held.Less == null ? held.Totals.Copy() : held.Totals.Copy().Subtract(held.Less)));
                // The deals before it are read from the running totals as they stand (no copy): the deals after it were copied.
                Running(batch, Enumerable.Range(0, batch.Count), judged, windowDays, d => postedOf(d).Claims(now),
                    (i, before) => seen[i] = fromOrg.ToDemand(before, after[i]));
            }

            return seen;
        }

        /// <summary>
        /// Visits the deals in <paramref name="order"/>, showing each judged deal the claims of the deals visited before it
        /// but its own id's: the running totals less its own id's (read at once: the totals change after).
        /// </summary>
        private static void Running(IReadOnlyList<DealState> batch, IEnumerable<int> order, ISet<int> judged, int windowDays,
            Func<DealState, IEnumerable<DemandClaim>> claimsOf, Action<int, DemandPart> visit)
        {
            var all = new DemandTotals(windowDays);
            var byId = new Dictionary<Guid, DemandTotals>();
            foreach (var i in order)
            {
                var id = batch[i].Target.Id;
                if (judged.Contains(i)) visit(i, new DemandPart(all, byId.TryGetValue(id, out var own) ? own : null));
                var claims = claimsOf(batch[i]).ToList();
                if (claims.Count == 0) continue;
                all.Add(claims);
                if (!byId.TryGetValue(id, out var mine)) byId.Add(id, mine = new DemandTotals(windowDays));
                mine.Add(claims);
            }
        }

        /// <summary>The targets of the operation with their pre-images: Target, or Targets of the *Multiple messages.</summary>
        private static IEnumerable<DealState> Deals(IPluginExecutionContext4 context)
        {
            var isCreate = context.MessageName.StartsWith("Create", StringComparison.OrdinalIgnoreCase);
            if (context.InputParameters.TryGetValue("Target", out var single) && single is Entity target)
            {
                context.PreEntityImages.TryGetValue(PreImageAlias, out var pre);
                yield return new DealState(target, pre, isCreate, context.UserId, context.BusinessUnitId);
                yield break;
            }

            if (context.InputParameters.TryGetValue("Targets", out var many) && many is EntityCollection targets)
            {
                var images = context.PreEntityImagesCollection;
                for (var i = 0; i < targets.Entities.Count; i++)
                {
                    Entity? pre = null;
                    if (images != null && i < images.Length && images[i] != null) images[i].TryGetValue(PreImageAlias, out pre);
                    yield return new DealState(targets.Entities[i], pre, isCreate, context.UserId, context.BusinessUnitId);
                }
            }
        }
    }
}
