using System;
using System.Collections.Generic;
using System.Linq;

namespace DealRisk.Risk
{
    /// <summary>
    /// Stage gates: a deal in a stage without the facts the sales process asks for by then (the policy's gates of its stage
    /// and of every stage before it, on the standard columns behind the Opportunity Sales Process's steps; built in unless
    /// the policy changes them, <see cref="TimePolicy.BuiltInStageGates"/>). Missing gates are Medium; High when the deal is
    /// in Close (it is being forecast to close without them) or when a gate of an earlier stage is missing (the deal has
    /// moved on a stage past it).
    /// </summary>
    public sealed class StageGateCheck : DealCheck
    {
        public const string CheckName = "Stage gates";
        public const string GateMissing = "STAGE_GATE_MISSING";

        /// <summary>The last sales stage (Close): a gate missing there is High.</summary>
        public const int CloseStage = 3;

        public StageGateCheck() : base(CheckName) { }

        public override RiskLevel Evaluate(CheckRun run, List<RiskFinding> findings)
        {
            var facts = run.Facts;
            if (facts.IsClosed || facts.PassedGates == null || facts.Current.SalesStage is not int stage) return RiskLevel.Low;

            // Most deals have passed their gates: that is seen without the query, which every judgement of the fix search runs.
            if (!AnyMissing(run.Policy.Time, stage, facts.PassedGates)) return RiskLevel.Low;
            var missing = run.Policy.Time.GatesUpTo(stage).Where(g => !facts.PassedGates.Contains(g.Value)).ToList();

            var level = stage >= CloseStage || missing.Any(m => m.Key < stage) ? RiskLevel.High : RiskLevel.Medium;
            var byStage = missing.GroupBy(m => m.Key).Select(g => $"{string.Join(", ", g.Select(m => StageGate.LabelOf(m.Value)))} (due by {TimePolicy.StageName(g.Key)})");
            findings.Add(new RiskFinding(Name, GateMissing, level,
                $"In {TimePolicy.StageName(stage)} without {missing.Count} fact{(missing.Count == 1 ? "" : "s")} the sales process requires by then: {string.Join("; ", byStage)}."));
            return level;
        }

        /// <summary>Whether a gate of <paramref name="stage"/> or a stage before it is not among <paramref name="passed"/>.</summary>
        private static bool AnyMissing(TimePolicy time, int stage, ISet<string> passed)
        {
            foreach (var gates in time.StageGates)
            {
                if (gates.Key > stage) continue;
                foreach (var gate in gates.Value)
                    if (!passed.Contains(gate)) return true;
            }

            return false;
        }

        /// <summary>
        /// The steps of the sales process bar to complete, by the names the opportunity form shows for them and the process
        /// stage that holds them, proved by judging the deal with them recorded.
        /// </summary>
        public override FindingFix? Fix(FixRun run, RiskFinding finding)
        {
            var facts = run.Facts;
            if (facts.PassedGates == null || facts.Current.SalesStage is not int stage) return null;
            var missing = run.Policy.Time.GatesUpTo(stage).Select(g => g.Value).Where(g => !facts.PassedGates.Contains(g)).Distinct().ToList();
            if (missing.Count == 0) return null;
            DealFacts Pass(DealFacts copy)
            {
                copy.PassedGates = new HashSet<string>(copy.PassedGates ?? new HashSet<string>(), StringComparer.Ordinal);
                foreach (var g in missing) copy.PassedGates.Add(g);
                return copy;
            }

            Func<DealFacts, DealFacts> fill = f => Pass(FactsCopy.Of(f));
            // Judged by this check alone where the run's list holds it once (it reads the facts, no other check's figure).
            if (!run.Cleared(run.Judge(Pass, finding), finding)) return null;
            var byProcessStage = missing.Select(g => StageGate.Of(g)).Where(g => g != null).GroupBy(g => g!.ProcessStage).OrderBy(g => g.Key)
                .Select(g => $"{Join(g.Select(s => "'" + s!.Step + "'" + Hint(s.Key)).ToList())} in {TimePolicy.StageName(g.Key)}").ToList();
            return new FindingFix($"In the sales process bar on the opportunity, complete {Join(byProcessStage)}: the process requires {(missing.Count == 1 ? "it" : "them")} by {TimePolicy.StageName(stage)}.", fill);
        }

        /// <summary>What counts as recorded where a value can be recorded without being an answer (the plugins read them so).</summary>
        private static string Hint(string gate) => gate switch
        {
            StageGate.Budget => " (an amount above 0)",
            StageGate.PurchaseTimeframe or StageGate.PurchaseProcess => " (other than Unknown)",
            _ => "",
        };

        private static string Join(IList<string> items) =>
            items.Count <= 1 ? string.Join("", items) : string.Join(", ", items.Take(items.Count - 1)) + " and " + items[items.Count - 1];
    }
}
