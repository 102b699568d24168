namespace DealRisk.Risk
{
    /// <summary>
    /// The checks the suite ships, in the order their levels and findings are shown. A check added to the list
    /// (<see cref="DealCheck"/>) needs no value here: it is known by its name and shown after these.
    /// </summary>
    public enum RiskCheck
    {
        Margin,
        Resource,
        Fit,
        Forecast,
        /// <summary>Facts missing late in the sale (<see cref="MissingFactsCheck"/>); its level has no column of its own.</summary>
        Facts,
    }
}
