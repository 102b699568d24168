namespace DealRisk.Risk
{
    /// <summary>Hours of a role allocated to the deal; Named when a person or team is attached.</summary>
    public sealed class DealAllocation
    {
        public string Role { get; set; } = "";

        public decimal Hours { get; set; }

        public bool Named { get; set; }
    }
}
