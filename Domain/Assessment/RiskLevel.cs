namespace DealRisk.Risk
{
    /// <summary>How bad a finding, a check or a deal is. Unknown: the data does not allow a judgement.</summary>
    public enum RiskLevel
    {
        Unknown = 0,
        Low = 1,
        Medium = 2,
        High = 3,
        Critical = 4,
    }
}
