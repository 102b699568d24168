using System;

namespace DealRisk.Risk
{
    /// <summary>
    /// What would clear a finding: a sentence for the rep, and the change it names as a change of the deal's facts, found by
    /// judging the deal again with that change (never by a formula of its own), so the sentence and the checks agree.
    /// </summary>
    public sealed class FindingFix
    {
        public FindingFix(string text, Func<DealFacts, DealFacts>? change = null, RiskLevel? leavesAt = null)
        {
            Text = text;
            Change = change;
            LeavesAt = leavesAt;
        }

        /// <summary>The sentence for a person, e.g. "Raise the revenue to 118,400 (+18.4%) to reach the 25% target."</summary>
        public string Text { get; }

        /// <summary>
        /// The change the sentence names, applied to a copy of the facts (the original is left as it is); null when the fix is
        /// advice only (nothing on the deal to set).
        /// </summary>
        public Func<DealFacts, DealFacts>? Change { get; }

        /// <summary>
        /// The level the finding is left at once <see cref="Change"/> is made: null when the change clears it; the finding's own
        /// level when nothing single clears it and the change is the one that clears most of it.
        /// </summary>
        public RiskLevel? LeavesAt { get; }

        /// <summary>True when making <see cref="Change"/> clears the finding.</summary>
        public bool Clears => Change != null && LeavesAt == null;

        public override string ToString() => Text;
    }
}
