namespace DealRisk.Risk
{
    /// <summary>The text an alert carries: the deal's reasons, then what clears them, so the manager and the rep talk about one number.</summary>
    public static class AlertText
    {
        /// <summary>The heading of the fixes in an alert's text.</summary>
        public const string FixesHeading = "To clear it:";

        /// <summary>
        /// <paramref name="reasons"/> and, when the verdict has any, a blank line, <see cref="FixesHeading"/> and the fixes, one a
        /// line (the verdict's dr_riskfixes). The reasons come first: cut to an alert's length, the fixes go before the reasons.
        /// </summary>
        public static string Compose(string? reasons, string? fixes)
        {
            var text = reasons ?? "";
            if (string.IsNullOrWhiteSpace(fixes)) return text;
            return text + (text.Length > 0 ? "\n\n" : "") + FixesHeading + "\n" + fixes!.Trim();
        }
    }
}
