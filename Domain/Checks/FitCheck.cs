using System.Collections.Generic;
using System.Linq;

namespace DealRisk.Risk
{
    /// <summary>Does the solution fit what the customer asked for without work nobody quoted?</summary>
    internal static class FitCheck
    {
        public sealed class Result
        {
            public RiskLevel Level { get; set; } = RiskLevel.Low;

            public decimal UnquotedHours { get; set; }

            public decimal UnquotedCost { get; set; }
        }

        private static readonly string[] StageNames = { "Qualify", "Develop", "Propose", "Close" };

        public static Result Evaluate(DealFacts facts, RiskPolicy policy, List<RiskFinding> findings)
        {
            var result = new Result();
            var own = new List<RiskFinding>();

            foreach (var r in facts.Requirements.Where(r => r.Fit == RequirementFit.NotSupported))
            {
                if (r.Priority == RequirementPriority.MustHave)
                    own.Add(new RiskFinding(RiskCheck.Fit, "MUST_HAVE_NOT_SUPPORTED", RiskLevel.Critical, $"Must-have '{r.Name}' is not supported."));
                else if (r.Priority == RequirementPriority.ShouldHave)
                    own.Add(new RiskFinding(RiskCheck.Fit, "SHOULD_HAVE_NOT_SUPPORTED", RiskLevel.Medium, $"Should-have '{r.Name}' is not supported."));
            }

            var unquoted = facts.Requirements
                .Where(r => (r.Fit == RequirementFit.Configuration || r.Fit == RequirementFit.Customisation) && !r.Quoted && r.Priority != RequirementPriority.NiceToHave)
                .ToList();
            foreach (var r in unquoted.Where(r => r.EffortHours == null))
                own.Add(new RiskFinding(RiskCheck.Fit, "EFFORT_NOT_ESTIMATED", RiskLevel.Medium,
                    $"{(r.Fit == RequirementFit.Customisation ? "Customisation" : "Configuration")} for '{r.Name}' is not quoted and has no effort estimate."));

            result.UnquotedHours = RowSum.Of(unquoted.Select(r => r.EffortHours is decimal h && h > 0m ? h : 0m));
            result.UnquotedCost = decimal.Round(result.UnquotedHours * policy.HourlyCost, 2);
            // "Above" is strictly above, in every check: a value at the threshold is not flagged.
            if (result.UnquotedHours > policy.UnquotedEffortCriticalHours)
                own.Add(new RiskFinding(RiskCheck.Fit, "UNQUOTED_EFFORT", RiskLevel.High,
                    $"Unquoted configuration and customisation effort of {Format.Hours(result.UnquotedHours)} (cost {Format.Amount(result.UnquotedCost)}) is above the {Format.Hours(policy.UnquotedEffortCriticalHours)} limit."));
            else if (result.UnquotedHours > policy.UnquotedEffortWarningHours)
                own.Add(new RiskFinding(RiskCheck.Fit, "UNQUOTED_EFFORT", RiskLevel.Medium,
                    $"Unquoted configuration and customisation effort of {Format.Hours(result.UnquotedHours)} (cost {Format.Amount(result.UnquotedCost)}) is above the {Format.Hours(policy.UnquotedEffortWarningHours)} warning level."));

            var stage = facts.Current.SalesStage;
            if (stage is int s && s >= policy.LateSalesStage)
            {
                var unassessed = facts.Requirements.Where(r => r.Priority == RequirementPriority.MustHave && r.Fit == RequirementFit.Unknown)
                    .Select(r => "'" + r.Name + "'").OrderBy(n => n, System.StringComparer.Ordinal).ToList();
                if (unassessed.Count > 0)
                    own.Add(new RiskFinding(RiskCheck.Fit, "MUST_HAVE_UNASSESSED_LATE", RiskLevel.High,
                        $"{(unassessed.Count == 1 ? "1 must-have is" : unassessed.Count + " must-haves are")} still unassessed at {StagePhrase(s)}: {string.Join(", ", unassessed)}."));
            }

            findings.AddRange(own);
            result.Level = own.Count == 0 ? RiskLevel.Low : own.Max(f => f.Level);
            return result;
        }

        internal static string StageName(int stage) => stage >= 0 && stage < StageNames.Length ? StageNames[stage] : "stage " + stage;

        /// <summary>"the Propose stage", or "sales stage 7" for a value the suite does not know.</summary>
        internal static string StagePhrase(int stage) => stage >= 0 && stage < StageNames.Length ? "the " + StageNames[stage] + " stage" : "sales stage " + stage;
    }
}
