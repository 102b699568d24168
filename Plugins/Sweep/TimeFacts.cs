using System;
using System.Collections.Generic;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;

namespace DealRisk.Plugins.Sweep
{
    /// <summary>
    /// The facts time changes, taken from the deal being judged (its stage clock and the sales process columns) and from
    /// what <see cref="ActivityReader"/> read for the batch. The save and the daily sweep both use it, so a rep's save and
    /// the next sweep agree on the verdict.
    /// </summary>
    internal static class TimeFacts
    {
        /// <summary>
        /// Starts the stage clock: the deal's stage changed (or it is new) now; otherwise it keeps the time stored, and a deal
        /// judged before the suite kept a clock starts it now. Written when it changes, and whenever a user typed a value, which is replaced.
        /// </summary>
        public static DateTime StageClock(DealState deal, DateTime now, int? judgedStage, ActiveStage? bar = null)
        {
            // A deal whose process bar is in a sales stage counts from when the bar entered it, as the platform records it.
            if (bar?.StartedOn is DateTime barEntered) return Keep(deal, barEntered);
            // The stage the deal was last judged in differs (say the bar left the sales stages): a deal judged before the
            // column existed has none stored, and only salesstage's own change restarts its clock.
            var judgedBefore = deal.Before<OptionSetValue>(Opportunity.JudgedStage)?.Value;
            var stageChanged = deal.IsCreate || deal.PreImage == null ||
                               (deal.Target.Contains(Opportunity.SalesStage) && deal.Get<OptionSetValue>(Opportunity.SalesStage)?.Value != deal.Before<OptionSetValue>(Opportunity.SalesStage)?.Value) ||
                               (judgedBefore != null && judgedBefore != judgedStage);
            var stored = deal.Before<DateTime?>(Opportunity.StageEnteredOn);
            return Keep(deal, stageChanged ? now : stored ?? now);
        }

        /// <summary>
        /// Keeps the stage the deal is judged in on the deal (dr_judgedstage), for the risk history, which cannot see the
        /// process bar. Written only when it changes, or when a user typed a value, which is replaced: an unchanged save
        /// carries no column and queues no history job.
        /// </summary>
        public static void JudgedStage(DealState deal, int? stage)
        {
            var stored = deal.Before<OptionSetValue>(Opportunity.JudgedStage)?.Value;
            if (deal.IsCreate ? stage != null : stage != stored || deal.Target.Contains(Opportunity.JudgedStage))
                deal.Target[Opportunity.JudgedStage] = stage is int s ? new OptionSetValue(s) : null;
        }

        private static DateTime Keep(DealState deal, DateTime entered)
        {
            // Written only when it changes (or a user typed a value), so an unchanged save carries no column (issue 23).
            if (entered != deal.Before<DateTime?>(Opportunity.StageEnteredOn) || deal.Target.Contains(Opportunity.StageEnteredOn)) deal.Target[Opportunity.StageEnteredOn] = entered;
            return entered;
        }

        public static void Fill(DealState deal, DealFacts facts, DateTime now, IReadOnlyDictionary<Guid, LastActivity> activities, ActiveStage? bar = null)
        {
            JudgedStage(deal, facts.Current.SalesStage);
            facts.StageEnteredOn = StageClock(deal, now, facts.Current.SalesStage, bar);
            facts.CreatedOn = deal.IsCreate ? now : deal.Before<DateTime?>(OpportunitySalesProcess.CreatedOn);
            // A new deal has no activity yet and no silence to count; a stored one was read with its batch.
            facts.ActivitiesKnown = !deal.IsCreate;
            if (activities.TryGetValue(deal.Target.Id, out var last))
            {
                facts.LastCustomerActivityOn = last.CompletedOn;
                facts.LastCustomerActivityKind = last.Kind;
            }

            var passed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var gate in OpportunitySalesProcess.GateColumns)
                if (Answered(gate.Value, deal.Get<object>(gate.Value))) passed.Add(gate.Key);
            facts.PassedGates = passed;
        }

        /// <summary>
        /// Whether a gate's column holds an answer: a two-option step marked complete, an amount above 0 (the estimated
        /// budget), a choice other than Unknown, text written, a date set.
        /// </summary>
        private static bool Answered(string column, object? value) => value switch
        {
            bool b => b,
            Money m => m.Value > 0m,
            OptionSetValue o => !(column == OpportunitySalesProcess.PurchaseTimeframe && o.Value == OpportunitySalesProcess.PurchaseTimeframeUnknown) &&
                                !(column == OpportunitySalesProcess.PurchaseProcess && o.Value == OpportunitySalesProcess.PurchaseProcessUnknown),
            string s => s.Trim().Length > 0,
            DateTime _ => true,
            _ => false,
        };
    }
}
