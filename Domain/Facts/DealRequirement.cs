namespace DealRisk.Risk
{
    public enum RequirementPriority
    {
        MustHave,
        ShouldHave,
        NiceToHave,
    }

    public enum RequirementFit
    {
        Standard,
        Configuration,
        Customisation,
        NotSupported,
        Unknown,
    }

    /// <summary>A customer requirement recorded on the deal.</summary>
    public sealed class DealRequirement
    {
        public string Name { get; set; } = "";

        public RequirementPriority Priority { get; set; } = RequirementPriority.ShouldHave;

        public RequirementFit Fit { get; set; } = RequirementFit.Unknown;

        public decimal? EffortHours { get; set; }

        public string? Role { get; set; }

        public bool Quoted { get; set; }
    }
}
