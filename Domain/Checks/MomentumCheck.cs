using System;
using System.Collections.Generic;

namespace DealRisk.Risk
{
    /// <summary>
    /// Risk that time creates while nobody touches the deal: the close date has passed, the customer has gone quiet, the
    /// deal has sat in its stage too long. Judged on every save and by the daily sweep (dr_RunRiskSweep), which is how
    /// these findings appear on the day they become true.
    /// </summary>
    public sealed class MomentumCheck : DealCheck
    {
        public const string CheckName = "Momentum";
        public const string CloseDatePassed = "CLOSE_DATE_PASSED";
        public const string NoCustomerActivity = "NO_CUSTOMER_ACTIVITY";
        public const string StageStalled = "STAGE_STALLED";

        public MomentumCheck() : base(CheckName) { }

        public override RiskLevel Evaluate(CheckRun run, List<RiskFinding> findings)
        {
            var facts = run.Facts;
            var time = run.Policy.Time;
            var level = RiskLevel.Low;
            if (facts.IsClosed) return level;
            var today = facts.Today.Date;

            if (facts.Current.CloseDate is DateTime close && close.Date < today)
            {
                var late = (today - close.Date).Days;
                findings.Add(new RiskFinding(Name, CloseDatePassed, RiskLevel.High,
                    $"The estimated close date {Format.Date(close)} passed {Format.Days(late)} ago and the deal is still open: close it or set the date the customer now expects."));
                level = Worse(level, RiskLevel.High);
            }

            if (facts.ActivitiesKnown && time.InactivityDays > 0 && (facts.LastCustomerActivityOn ?? facts.CreatedOn) is DateTime since)
            {
                var quiet = (today - since.Date).Days;
                if (quiet > time.InactivityDays)
                {
                    var severity = quiet > 2 * time.InactivityDays ? RiskLevel.High : RiskLevel.Medium;
                    var last = facts.LastCustomerActivityOn is DateTime on
                        ? $"the last was {Article(facts.LastCustomerActivityKind ?? "activity")} completed on {Format.Date(on)}"
                        : $"none completed since the deal was created on {Format.Date(since)}";
                    findings.Add(new RiskFinding(Name, NoCustomerActivity, severity,
                        $"No customer activity for {Format.Days(quiet)} ({last}); the policy allows {Format.Days(time.InactivityDays)}."));
                    level = Worse(level, severity);
                }
            }

            if (facts.Current.SalesStage is int stage && (facts.StageEnteredOn ?? facts.CreatedOn) is DateTime entered)
            {
                var days = (today - entered.Date).Days;
                var limit = Limit(stage, time, facts, out var why);
                if (limit is int max && days > max)
                {
                    var severity = days > 2 * max ? RiskLevel.High : RiskLevel.Medium;
                    findings.Add(new RiskFinding(Name, StageStalled, severity,
                        $"In {TimePolicy.StageName(stage)} for {Format.Days(days)} (since {Format.Date(entered)}), longer than {why}."));
                    level = Worse(level, severity);
                }
            }

            return level;
        }

        /// <summary>
        /// The change that clears a momentum finding, proved by judging the deal with it: a close date from tomorrow, a
        /// customer activity completed today, the next stage entered today. A stall in the last stage has no stage to move
        /// to, and time only lengthens it: the fix says so.
        /// </summary>
        public override FindingFix? Fix(FixRun run, RiskFinding finding)
        {
            var today = run.Facts.Today.Date;
            Func<DealFacts, DealFacts>? change;
            string text;
            switch (finding.Code)
            {
                case CloseDatePassed:
                    var tomorrow = Dates.AddDays(today, 1);
                    change = Changed(f => f.Current.CloseDate = tomorrow);
                    text = $"Set the close date the customer now expects (from {Format.Date(tomorrow)}), or close the deal as won or lost.";
                    break;
                case NoCustomerActivity:
                    change = Changed(f => { f.LastCustomerActivityOn = today; f.ActivitiesKnown = true; });
                    text = "Log a completed call, meeting or email with the customer regarding the deal.";
                    break;
                case StageStalled when run.Facts.Current.SalesStage is int stage:
                    if (stage + 1 >= TimePolicy.StageNames.Count)
                        return new FindingFix($"Nothing on the deal clears it but closing it as won or lost: {TimePolicy.StageName(stage)} is the last stage, and each day in it adds to the stall.", null, finding.Level);
                    var next = stage + 1;
                    change = Changed(f => { f.Current.SalesStage = next; f.StageEnteredOn = today; });
                    text = $"Move the deal on to {TimePolicy.StageName(next)} once it is ready (the stage clock starts again); waiting only lengthens the stall.";
                    break;
                default:
                    return null;
            }

            return run.Cleared(run.Judge(change(run.Facts)), finding) ? new FindingFix(text, change) : null;
        }

        private static Func<DealFacts, DealFacts> Changed(Action<DealFacts> change) => facts =>
        {
            var copy = FactsCopy.Of(facts);
            change(copy);
            return copy;
        };

        /// <summary>
        /// The days a deal may stay in the stage: the policy's days, or the org's median for deals won from that stage when
        /// it rests on enough deals and is shorter (a deal slower than the deals that were won is already behind).
        /// </summary>
        private static int? Limit(int stage, TimePolicy time, DealFacts facts, out string why)
        {
            int? policy = time.StageMaxDays.TryGetValue(stage, out var p) && p > 0 ? p : (int?)null;
            StageBenchmark? won = facts.WonStageDays.TryGetValue(stage, out var b) && b.DealCount >= Math.Max(1, time.StageMedianMinimumDeals) && b.MedianDays > 0 ? b : null;
            if (won != null && (policy == null || won.MedianDays < policy))
            {
                why = $"the {won.MedianDays.ToString(System.Globalization.CultureInfo.InvariantCulture)}-day median of the {won.DealCount} deals won from {TimePolicy.StageName(stage)}";
                return won.MedianDays;
            }

            why = policy is int d ? $"the policy's {Format.Days(d)} for {TimePolicy.StageName(stage)}" : "";
            return policy;
        }

        private static string Article(string kind) => (kind.Length > 0 && "aeiou".IndexOf(char.ToLowerInvariant(kind[0])) >= 0 ? "an " : "a ") + kind;

        private static RiskLevel Worse(RiskLevel a, RiskLevel b) => a >= b ? a : b;
    }
}
