namespace DealRisk.Risk
{
    /// <summary>The level one check gave a deal.</summary>
    public sealed class CheckLevel
    {
        public CheckLevel(string check, RiskLevel level)
        {
            Check = check;
            Level = level;
        }

        /// <summary>The check's name (<see cref="DealCheck.Name"/>).</summary>
        public string Check { get; }

        public RiskLevel Level { get; }

        public override string ToString() => $"{Check}: {Level}";
    }
}
