namespace DealRisk.Risk
{
    /// <summary>What a check judges (the facts, the policy) and the assessment the checks before it have filled so far.</summary>
    public sealed class CheckRun
    {
        internal CheckRun(DealFacts facts, RiskPolicy policy, RiskAssessment assessment)
        {
            Facts = facts;
            Policy = policy;
            Assessment = assessment;
        }

        public DealFacts Facts { get; }

        public RiskPolicy Policy { get; }

        public RiskAssessment Assessment { get; }
    }
}
