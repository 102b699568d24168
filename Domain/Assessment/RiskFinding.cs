using System;

namespace DealRisk.Risk
{
    /// <summary>One thing wrong with a deal: which check found it, a stable code, how bad, and a sentence for a person.</summary>
    public sealed class RiskFinding
    {
        public RiskFinding(RiskCheck check, string code, RiskLevel level, string reason)
            : this(check.ToString(), code, level, reason)
        {
        }

        /// <summary>A finding of any check of the list, named by <see cref="DealCheck.Name"/>.</summary>
        public RiskFinding(string checkName, string code, RiskLevel level, string reason)
        {
            CheckName = checkName;
            Check = Enum.TryParse<RiskCheck>(checkName, out var shipped) && shipped.ToString() == checkName ? shipped : (RiskCheck?)null;
            Code = code;
            Level = level;
            Reason = reason;
        }

        /// <summary>The shipped check that found it; null for a check added to the list.</summary>
        public RiskCheck? Check { get; }

        /// <summary>The name of the check that found it.</summary>
        public string CheckName { get; }

        /// <summary>A stable code (e.g. MARGIN_BELOW_FLOOR) for history and analysis.</summary>
        public string Code { get; }

        public RiskLevel Level { get; }

        /// <summary>The plain-language reason, with the numbers and the threshold.</summary>
        public string Reason { get; }

        /// <summary>The smallest change that clears it, found by judging the changed deal again (<see cref="RiskFixes"/>); null when none is known.</summary>
        public FindingFix? Fix { get; internal set; }

        public override string ToString() => $"{Level}: {Reason}";
    }
}
