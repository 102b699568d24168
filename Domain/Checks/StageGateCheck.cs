using System;
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

        /// <summary>
        /// The stage facts the gate still needs, by the labels the opportunity form shows for their columns, proved by judging
        /// the deal with them recorded.
        /// </summary>
        public override FindingFix? Fix(FixRun run, RiskFinding finding)
        {
            var facts = run.Facts;
            if (facts.PassedGates == null || facts.Current.SalesStage is not int stage) return null;
            var missing = run.Policy.Time.GatesUpTo(stage).Select(g => g.Value).Where(g => !facts.PassedGates.Contains(g)).Distinct().ToList();
            if (missing.Count == 0) return null;
            Func<DealFacts, DealFacts> fill = f =>
            {
                var copy = FactsCopy.Of(f);
                copy.PassedGates = new HashSet<string>(f.PassedGates ?? new HashSet<string>(), StringComparer.Ordinal);
                foreach (var g in missing) copy.PassedGates.Add(g);
                return copy;
            };
            if (!run.Cleared(run.Judge(fill(facts)), finding)) return null;
            // A budget counts once it is other than "No Committed Budget" (the plugins read it so).
            var fields = missing.Select(g => "'" + FormLabel(g) + "'" + (g == StageGate.Budget ? " (a committed budget)" : "")).ToList();
            return new FindingFix($"Fill in {Join(fields)} on the opportunity form: the sales process requires {(missing.Count == 1 ? "it" : "them")} by {TimePolicy.StageName(stage)}.", fill);
        }

        /// <summary>
        /// The display name of the standard opportunity column behind each gate, as the form labels it (Microsoft's opportunity
        /// table reference, MicrosoftDocs/dynamics-365-customer-engagement ce/sales/developer/entities/opportunity.md).
        /// </summary>
        public static string FormLabel(string gate) => gate switch
        {
            StageGate.DecisionMaker => "Decision Maker?",
            StageGate.Budget => "Budget",
            StageGate.PurchaseTimeframe => "Purchase Timeframe",
            StageGate.PurchaseProcess => "Purchase Process",
            StageGate.CustomerNeed => "Customer Need",
            StageGate.ProposedSolution => "Proposed Solution",
            StageGate.CustomerContacts => "Identify Customer Contacts",
            StageGate.Competitors => "Identify Competitors",
            StageGate.PursuitTeam => "Identify Sales Team",
            StageGate.ProposalDeveloped => "Develop Proposal",
            StageGate.InternalReview => "Complete Internal Review",
            StageGate.ProposalPresented => "Present Proposal",
            StageGate.FinalProposal => "Complete Final Proposal",
            StageGate.FinalDecisionDate => "Final Decision Date",
            _ => StageGate.LabelOf(gate),
        };

        private static string Join(IList<string> items) =>
            items.Count <= 1 ? string.Join("", items) : string.Join(", ", items.Take(items.Count - 1)) + " and " + items[items.Count - 1];
    }
}
