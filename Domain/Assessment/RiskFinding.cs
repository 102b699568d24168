using System;
using System.Collections.Generic;

namespace DealRisk.Risk
{
    /// <summary>One thing wrong with a deal: which check found it, a stable code, how bad, and a sentence for a person.</summary>
    public sealed class RiskFinding
    {
        public RiskFinding(RiskCheck check, string code, RiskLevel level, string reason)
        {
            Check = check;
            Code = code;
            Level = level;
            Reason = reason;
        }

        public RiskCheck Check { get; }

        /// <summary>A stable code (e.g. MARGIN_BELOW_FLOOR) for history and analysis.</summary>
        public string Code { get; }

        public RiskLevel Level { get; }

        /// <summary>The plain-language reason, with the numbers and the threshold.</summary>
        public string Reason { get; }

        public override string ToString() => $"{Level}: {Reason}";
    }
}
