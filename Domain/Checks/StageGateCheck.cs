using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

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

            // Most deals have passed their gates: that is seen without a list, and every judgement of the fix search runs this.
            if (Missing(run.Policy.Time, stage, facts.PassedGates) is not { } missing) return RiskLevel.Low;

            var level = stage >= CloseStage ? RiskLevel.High : RiskLevel.Medium;
            var byStage = new StringBuilder();
            for (var i = 0; i < missing.Count; i++)
            {
                var gate = missing[i];
                if (gate.Key < stage) level = RiskLevel.High;
                // The gates come stage by stage: a stage's labels, then when they were due.
                byStage.Append(i == 0 ? "" : missing[i - 1].Key == gate.Key ? ", " : "; ").Append(StageGate.LabelOf(gate.Value));
                if (i == missing.Count - 1 || missing[i + 1].Key != gate.Key) byStage.Append(" (due by ").Append(TimePolicy.StageName(gate.Key)).Append(')');
            }

            findings.Add(new RiskFinding(Name, GateMissing, level,
                $"In {TimePolicy.StageName(stage)} without {missing.Count} fact{(missing.Count == 1 ? "" : "s")} the sales process requires by then: {byStage}."));
            return level;
        }

        /// <summary>
        /// The gates of <paramref name="stage"/> and every stage before it not among <paramref name="passed"/>, stage by stage in
        /// the order <see cref="TimePolicy.GatesUpTo"/> gives them, each (stage, gate) once; null when none is missing.
        /// </summary>
        private static List<KeyValuePair<int, string>>? Missing(TimePolicy time, int stage, ISet<string> passed)
        {
            List<KeyValuePair<int, string>>? missing = null;
            // The stages in ascending order without sorting a copy: each round takes the lowest stage above the last (a handful).
            for (int? last = null; ;)
            {
                int? next = null;
                IList<string>? gates = null;
                foreach (var stageGates in time.StageGates)
                {
                    if (stageGates.Key > stage || (last != null && stageGates.Key <= last.Value) || (next != null && stageGates.Key >= next.Value)) continue;
                    next = stageGates.Key;
                    gates = stageGates.Value;
                }

                if (next == null) return missing;
                last = next;
                var from = missing?.Count ?? 0;
                foreach (var gate in gates!)
                {
                    if (passed.Contains(gate) || Listed(missing, from, gate)) continue;
                    (missing ??= new List<KeyValuePair<int, string>>()).Add(new KeyValuePair<int, string>(next.Value, gate));
                }
            }
        }

        private static bool Listed(List<KeyValuePair<int, string>>? gates, int from, string gate)
        {
            if (gates == null) return false;
            for (var i = from; i < gates.Count; i++)
                if (gates[i].Value == gate) return true;
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
            if (Missing(run.Policy.Time, stage, facts.PassedGates) is not { } byStage) return null;
            // Each gate once, though two stages may ask for it.
            var missing = new List<string>(byStage.Count);
            foreach (var gate in byStage)
                if (!missing.Contains(gate.Value)) missing.Add(gate.Value);
            DealFacts Pass(DealFacts copy)
            {
                copy.PassedGates = new HashSet<string>(copy.PassedGates ?? new HashSet<string>(), StringComparer.Ordinal);
                foreach (var g in missing) copy.PassedGates.Add(g);
                return copy;
            }

            Func<DealFacts, DealFacts> fill = f => Pass(FactsCopy.Of(f));
            // Judged by this check alone where the run's list holds it once (it reads the facts, no other check's figure).
            if (!run.Cleared(run.Judge(Pass, finding), finding)) return null;
            return new FindingFix($"In the sales process bar on the opportunity, complete {Join(ByProcessStage(missing))}: the process requires {(missing.Count == 1 ? "it" : "them")} by {TimePolicy.StageName(stage)}.", fill);
        }

        /// <summary>"'Step' (hint), 'Step' in Stage" per stage of the process that holds the steps, in the order of the stages.</summary>
        private static List<string> ByProcessStage(List<string> missing)
        {
            var steps = new List<StageGate>(missing.Count);
            foreach (var key in missing)
                if (StageGate.Of(key) is { } gate) steps.Add(gate);
            var byStage = new List<string>();
            for (int? last = null; ;)
            {
                int? next = null;
                foreach (var s in steps)
                    if ((last == null || s.ProcessStage > last.Value) && (next == null || s.ProcessStage < next.Value)) next = s.ProcessStage;
                if (next == null) return byStage;
                last = next;
                var named = new List<string>();
                foreach (var s in steps)
                    if (s.ProcessStage == next.Value) named.Add("'" + s.Step + "'" + Hint(s.Key));
                byStage.Add($"{Join(named)} in {TimePolicy.StageName(next.Value)}");
            }
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
