using System;
using System.Collections.Generic;

namespace DealRisk.Risk
{
    /// <summary>The four questions the suite asks of a deal.</summary>
    public enum RiskCheck
    {
        Margin,
        Resource,
        Fit,
        Forecast,
    }
}
