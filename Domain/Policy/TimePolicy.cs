using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DealRisk.Risk
{
    /// <summary>
    /// The thresholds of the findings time creates (a past close date, no customer activity, a stalled stage, stage gates),
    /// part of <see cref="RiskPolicy"/>. Per-stage values are written as text in the policy row ("Qualify=30; Develop=45"),
    /// so an admin adds a stage or a gate without a new column.
    /// </summary>
    public sealed class TimePolicy
    {
        /// <summary>Sales stage names as the opportunity's salesstage choice numbers them (0 Qualify ... 3 Close).</summary>
        public static readonly IReadOnlyList<string> StageNames = new[] { "Qualify", "Develop", "Propose", "Close" };

        /// <summary>No completed customer activity for more than this many days is Medium risk (twice as long: High).</summary>
        public int InactivityDays { get; set; } = 21;

        /// <summary>Days a deal may stay in a stage before it counts as stalled (twice as long: High), by stage number.</summary>
        public IDictionary<int, int> StageMaxDays { get; set; } = new Dictionary<int, int> { [0] = 30, [1] = 45, [2] = 30, [3] = 21 };

        /// <summary>
        /// The org's own median for deals won from a stage counts only when it rests on at least this many won deals;
        /// below that the policy's days alone apply.
        /// </summary>
        public int StageMedianMinimumDeals { get; set; } = 5;

        /// <summary>
        /// The facts a deal must have from a stage on (gate keys of <see cref="StageGate.Known"/>), by stage number. Built in:
        /// <see cref="BuiltInStageGates"/>; the policy's text replaces the stages it names (<see cref="ReadStageGates"/>).
        /// </summary>
        public IDictionary<int, IList<string>> StageGates { get; set; } = BuiltIn();

        /// <summary>
        /// The built-in gates: entering a stage asks for the steps of the Opportunity Sales Process's stage before it that
        /// record a fact on the opportunity (its Qualify steps by Develop, its Develop steps by Propose, its Propose steps by
        /// Close). Close's own steps (final proposal, decision date, thank-you, debrief) are the closing itself, not a gate.
        /// </summary>
        public const string BuiltInStageGates =
            "Develop: DecisionMaker, Budget, PurchaseTimeframe, PurchaseProcess; " +
            "Propose: CustomerNeed, ProposedSolution, CustomerContacts, Competitors; " +
            "Close: PursuitTeam, ProposalDeveloped, InternalReview, ProposalPresented";

        /// <summary>The policy text that switches every gate off (alone, or before the stages it then names).</summary>
        public const string NoStageGates = "none";

        /// <summary>Problems found while reading the policy's text values (each a sentence for an admin).</summary>
        public IList<string> Problems { get; } = new List<string>();

        /// <summary>The gates a deal at <paramref name="stage"/> must have passed: those of its stage and every stage before it.</summary>
        public IEnumerable<KeyValuePair<int, string>> GatesUpTo(int stage) =>
            StageGates.Where(g => g.Key <= stage).OrderBy(g => g.Key).SelectMany(g => g.Value.Select(v => new KeyValuePair<int, string>(g.Key, v))).Distinct();

        public static string StageName(int stage) => stage >= 0 && stage < StageNames.Count ? StageNames[stage] : "stage " + stage.ToString(CultureInfo.InvariantCulture);

        /// <summary>
        /// Reads "Qualify=30; Develop=45" (stage name or number, days). A part that cannot be read is left out and named in
        /// <see cref="Problems"/>; the stages it does not name keep their built-in days.
        /// </summary>
        public void ReadStageDays(string? text)
        {
            if (string.IsNullOrWhiteSpace(text)) return;
            foreach (var part in Parts(text!))
            {
                var pair = part.Split(new[] { '=', ':' }, 2);
                if (pair.Length == 2 && Stage(pair[0]) is int stage && int.TryParse(pair[1].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var days) && days > 0)
                    StageMaxDays[stage] = days;
                else
                    Problems.Add($"the stage days '{part}' are not 'Stage=days' with a known stage and a positive number; that part is ignored");
            }
        }

        /// <summary>
        /// Reads "Develop: DecisionMaker, Budget; Propose: CustomerNeed" (stage, then gate keys). The stages it names replace
        /// their built-in gates ("Develop:" with nothing after it: no gate in Develop); the others keep theirs. "none" drops
        /// every gate, so "none" alone switches gates off and "none; Close: ProposalPresented" keeps only that one. An empty
        /// text keeps the built-in gates. An unknown gate is left out and named in <see cref="Problems"/>.
        /// </summary>
        public void ReadStageGates(string? text)
        {
            if (string.IsNullOrWhiteSpace(text)) return;
            foreach (var part in Parts(text!))
            {
                if (string.Equals(part, NoStageGates, StringComparison.OrdinalIgnoreCase))
                {
                    StageGates.Clear();
                    continue;
                }

                var pair = part.Split(new[] { ':' }, 2);
                if (pair.Length != 2 || Stage(pair[0]) is not int stage)
                {
                    Problems.Add($"the stage gates '{part}' are not 'Stage: Gate, Gate' with a known stage, nor '{NoStageGates}'; that part is ignored");
                    continue;
                }

                var gates = new List<string>();
                foreach (var name in pair[1].Split(',').Select(n => n.Trim()).Where(n => n.Length > 0))
                {
                    var gate = StageGate.Known.FirstOrDefault(g => string.Equals(g.Key, name, StringComparison.OrdinalIgnoreCase));
                    if (gate == null) Problems.Add($"the stage gate '{name}' is not one of {string.Join(", ", StageGate.Known.Select(g => g.Key))}; it is ignored");
                    else if (!gates.Contains(gate.Key)) gates.Add(gate.Key);
                }

                StageGates[stage] = gates;
            }
        }

        // BuiltInStageGates read once: every policy read (one per deal judged) starts from a copy of its own, which
        // ReadStageGates may change, instead of reading the text again.
        private static readonly KeyValuePair<int, string[]>[] BuiltInGates = ReadBuiltIn();

        private static IDictionary<int, IList<string>> BuiltIn()
        {
            var gates = new Dictionary<int, IList<string>>(BuiltInGates.Length);
            foreach (var stage in BuiltInGates) gates[stage.Key] = new List<string>(stage.Value);
            return gates;
        }

        private static KeyValuePair<int, string[]>[] ReadBuiltIn()
        {
            var gates = new Dictionary<int, string[]>();
            foreach (var part in Parts(BuiltInStageGates))
            {
                var pair = part.Split(':');
                gates[Stage(pair[0])!.Value] = pair[1].Split(',').Select(n => n.Trim()).ToArray();
            }

            return gates.ToArray();
        }

        private static IEnumerable<string> Parts(string text) => text.Split(';').Select(p => p.Trim()).Where(p => p.Length > 0);

        private static int? Stage(string text) => ParseStage(text, NumberStyles.Integer);

        /// <summary>
        /// A stage as the policy's texts name it: its name (any case) or its number, read with <paramref name="number"/>;
        /// null when it is neither. Shared with <see cref="StageBenchmark.Read"/>, which takes no sign on the number.
        /// </summary>
        internal static int? ParseStage(string text, NumberStyles number)
        {
            text = text.Trim();
            for (var i = 0; i < StageNames.Count; i++)
                if (string.Equals(StageNames[i], text, StringComparison.OrdinalIgnoreCase)) return i;
            return int.TryParse(text, number, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : (int?)null;
        }
    }

    /// <summary>
    /// A fact the Opportunity Sales Process asks reps to record before a deal moves on (decision maker identified, budget,
    /// purchase timeframe ...). The key is what the policy names; the plugins map each key to the standard opportunity column
    /// behind the process step.
    /// </summary>
    public sealed class StageGate
    {
        public const string DecisionMaker = "DecisionMaker";
        public const string Budget = "Budget";
        public const string PurchaseTimeframe = "PurchaseTimeframe";
        public const string PurchaseProcess = "PurchaseProcess";
        public const string CustomerNeed = "CustomerNeed";
        public const string ProposedSolution = "ProposedSolution";
        public const string CustomerContacts = "CustomerContacts";
        public const string Competitors = "Competitors";
        public const string PursuitTeam = "PursuitTeam";
        public const string ProposalDeveloped = "ProposalDeveloped";
        public const string InternalReview = "InternalReview";
        public const string ProposalPresented = "ProposalPresented";
        public const string FinalProposal = "FinalProposal";
        public const string FinalDecisionDate = "FinalDecisionDate";

        private StageGate(string key, string label, string step, int processStage)
        {
            Key = key;
            Label = label;
            Step = step;
            ProcessStage = processStage;
        }

        public string Key { get; }

        /// <summary>How a person reads the missing fact ("decision maker identified").</summary>
        public string Label { get; }

        /// <summary>The step's name in the Opportunity Sales Process bar on the opportunity form, where reps record it.</summary>
        public string Step { get; }

        /// <summary>The stage of the Opportunity Sales Process that holds the step (0 Qualify ... 3 Close).</summary>
        public int ProcessStage { get; }

        /// <summary>
        /// Steps and stages as Microsoft's Opportunity Sales Process has them (tests/Plugins.Tests/Schema/SalesProcessTests
        /// compares them with Microsoft's documentation).
        /// </summary>
        public static readonly IReadOnlyList<StageGate> Known = new[]
        {
            new StageGate(DecisionMaker, "decision maker identified", "Identify Decision Maker", 0),
            new StageGate(Budget, "budget estimated", "Estimated Budget", 0),
            new StageGate(PurchaseTimeframe, "purchase timeframe", "Purchase Timeframe", 0),
            new StageGate(PurchaseProcess, "purchase process", "Purchase Process", 0),
            new StageGate(CustomerNeed, "customer need", "Customer Need", 1),
            new StageGate(ProposedSolution, "proposed solution", "Proposed Solution", 1),
            new StageGate(CustomerContacts, "stakeholders identified", "Identify Stakeholders", 1),
            new StageGate(Competitors, "competitors identified", "Identify Competitors", 1),
            new StageGate(PursuitTeam, "sales team identified", "Identify Sales Team", 2),
            new StageGate(ProposalDeveloped, "proposal developed", "Develop Proposal", 2),
            new StageGate(InternalReview, "internal review completed", "Complete Internal Review", 2),
            new StageGate(ProposalPresented, "proposal presented", "Present Proposal", 2),
            new StageGate(FinalProposal, "final proposal ready", "Complete Final Proposal", 3),
            new StageGate(FinalDecisionDate, "final decision date", "Confirm Decision Date", 3),
        };

        public static StageGate? Of(string key)
        {
            // A loop, not a query: the stage gate check names every missing gate of every deal it judges.
            for (var i = 0; i < Known.Count; i++)
                if (Known[i].Key == key) return Known[i];
            return null;
        }

        public static string LabelOf(string key) => Of(key)?.Label ?? key;
    }
}
