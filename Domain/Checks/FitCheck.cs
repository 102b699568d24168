using System.Collections.Generic;

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
            // Loops, not queries: the check runs on every judgement of the fix searches that read its figure, and most deals
            // have no requirement, where queries would still allocate.
            var result = new Result();
            var first = findings.Count;
            var requirements = facts.Requirements;
            for (var i = 0; i < requirements.Count; i++)
            {
                var r = requirements[i];
                if (r.Fit != RequirementFit.NotSupported) continue;
                if (r.Priority == RequirementPriority.MustHave)
                    findings.Add(new RiskFinding(RiskCheck.Fit, "MUST_HAVE_NOT_SUPPORTED", RiskLevel.Critical, $"Must-have '{r.Name}' is not supported."));
                else if (r.Priority == RequirementPriority.ShouldHave)
                    findings.Add(new RiskFinding(RiskCheck.Fit, "SHOULD_HAVE_NOT_SUPPORTED", RiskLevel.Medium, $"Should-have '{r.Name}' is not supported."));
            }

            decimal[]? hours = null;
            var unquoted = 0;
            for (var i = 0; i < requirements.Count; i++)
            {
                var r = requirements[i];
                if ((r.Fit != RequirementFit.Configuration && r.Fit != RequirementFit.Customisation) || r.Quoted || r.Priority == RequirementPriority.NiceToHave) continue;
                (hours ??= new decimal[requirements.Count])[unquoted++] = r.EffortHours is decimal h && h > 0m ? h : 0m;
                if (r.EffortHours == null)
                    findings.Add(new RiskFinding(RiskCheck.Fit, "EFFORT_NOT_ESTIMATED", RiskLevel.Medium,
                        $"{(r.Fit == RequirementFit.Customisation ? "Customisation" : "Configuration")} for '{r.Name}' is not quoted and has no effort estimate."));
            }

            result.UnquotedHours = hours == null ? 0m : RowSum.Of(hours, 0, unquoted);
            result.UnquotedCost = decimal.Round(result.UnquotedHours * policy.HourlyCost, 2);
            // "Above" is strictly above, in every check: a value at the threshold is not flagged.
            if (result.UnquotedHours > policy.UnquotedEffortCriticalHours)
                findings.Add(new RiskFinding(RiskCheck.Fit, "UNQUOTED_EFFORT", RiskLevel.High,
                    $"Unquoted configuration and customisation effort of {Format.Hours(result.UnquotedHours)} (cost {Format.Amount(result.UnquotedCost)}) is above the {Format.Hours(policy.UnquotedEffortCriticalHours)} limit."));
            else if (result.UnquotedHours > policy.UnquotedEffortWarningHours)
                findings.Add(new RiskFinding(RiskCheck.Fit, "UNQUOTED_EFFORT", RiskLevel.Medium,
                    $"Unquoted configuration and customisation effort of {Format.Hours(result.UnquotedHours)} (cost {Format.Amount(result.UnquotedCost)}) is above the {Format.Hours(policy.UnquotedEffortWarningHours)} warning level."));

            var stage = facts.Current.SalesStage;
            if (stage is int s && s >= policy.LateSalesStage)
            {
                List<string>? unassessed = null;
                for (var i = 0; i < requirements.Count; i++)
                    if (requirements[i].Priority == RequirementPriority.MustHave && requirements[i].Fit == RequirementFit.Unknown)
                        (unassessed ??= new List<string>()).Add("'" + requirements[i].Name + "'");
                if (unassessed != null)
                {
                    unassessed.Sort(System.StringComparer.Ordinal);
                    findings.Add(new RiskFinding(RiskCheck.Fit, "MUST_HAVE_UNASSESSED_LATE", RiskLevel.High,
                        $"{(unassessed.Count == 1 ? "1 must-have is" : unassessed.Count + " must-haves are")} still unassessed at {StagePhrase(s)}: {string.Join(", ", unassessed)}."));
                }
            }

            for (var i = first; i < findings.Count; i++)
                if (i == first || findings[i].Level > result.Level) result.Level = findings[i].Level;
            return result;
        }

        internal static string StageName(int stage) => stage >= 0 && stage < StageNames.Length ? StageNames[stage] : "stage " + stage;

        /// <summary>"the Propose stage", or "sales stage 7" for a value the suite does not know.</summary>
        internal static string StagePhrase(int stage) => stage >= 0 && stage < StageNames.Length ? "the " + StageNames[stage] + " stage" : "sales stage " + stage;
    }
}
