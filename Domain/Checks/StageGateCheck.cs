using System.Collections.Generic;
using System.Linq;

namespace DealRisk.Risk
{
    /// <summary>
    /// Stage gates: a deal in a stage without the facts the sales process asks for by then (the policy's gates of its stage
    /// and of every stage before it, on the standard columns of the Opportunity Sales Process). A gate of the current stage
    /// missing is Medium; one of an earlier stage (the deal moved on without it) is High.
    /// </summary>
    public sealed class StageGateCheck : DealCheck
    {
        public const string CheckName = "Stage gates";
        public const string GateMissing = "STAGE_GATE_MISSING";

        public StageGateCheck() : base(CheckName) { }

        public override RiskLevel Evaluate(CheckRun run, List<RiskFinding> findings)
        {
            var facts = run.Facts;
            if (facts.IsClosed || facts.PassedGates == null || facts.Current.SalesStage is not int stage) return RiskLevel.Low;

            var missing = run.Policy.Time.GatesUpTo(stage).Where(g => !facts.PassedGates.Contains(g.Value)).ToList();
            if (missing.Count == 0) return RiskLevel.Low;

            var skipped = missing.Any(m => m.Key < stage);
            var level = skipped ? RiskLevel.High : RiskLevel.Medium;
            var byStage = missing.GroupBy(m => m.Key).Select(g => $"{string.Join(", ", g.Select(m => StageGate.LabelOf(m.Value)))} (from {TimePolicy.StageName(g.Key)})");
            findings.Add(new RiskFinding(Name, GateMissing, level,
                $"In {TimePolicy.StageName(stage)} without {missing.Count} fact{(missing.Count == 1 ? "" : "s")} the sales process requires: {string.Join("; ", byStage)}."));
            return level;
        }
    }
}
