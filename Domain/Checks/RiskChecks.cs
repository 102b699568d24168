using System;
using System.Collections.Generic;

namespace DealRisk.Risk
{
    /// <summary>
    /// The checks the suite runs, in the order they run: fit before margin (the margin counts the unquoted effort fit
    /// finds), margin before forecast (a margin drop is a forecast change). Findings and levels are shown in the order of
    /// <see cref="RiskCheck"/>, then any other check in list order.
    /// </summary>
    public static class RiskChecks
    {
        public static readonly IReadOnlyList<DealCheck> Default = Array.AsReadOnly(new DealCheck[]
        {
            new Fit(), new Margin(), new Resource(), new Forecast(), new MissingFactsCheck(),
            // What time creates (docs/risk-model.md, "The daily sweep").
            new MomentumCheck(), new StageGateCheck(),
        });

        private sealed class Fit : DealCheck
        {
            public Fit() : base(nameof(RiskCheck.Fit)) { }

            public override RiskLevel Evaluate(CheckRun run, List<RiskFinding> findings)
            {
                var result = FitCheck.Evaluate(run.Facts, run.Policy, findings);
                run.Assessment.UnquotedEffortHours = result.UnquotedHours;
                run.Assessment.UnquotedEffortCost = result.UnquotedCost;
                return result.Level;
            }
        }

        private sealed class Margin : DealCheck
        {
            public Margin() : base(nameof(RiskCheck.Margin)) { }

            public override RiskLevel Evaluate(CheckRun run, List<RiskFinding> findings)
            {
                var result = MarginCheck.Evaluate(run.Facts, run.Policy, run.Assessment.UnquotedEffortCost, findings);
                run.Assessment.MarginAmount = result.Amount;
                run.Assessment.MarginPercent = result.Percent;
                return result.Level;
            }
        }

        private sealed class Resource : DealCheck
        {
            public Resource() : base(nameof(RiskCheck.Resource)) { }

            public override RiskLevel Evaluate(CheckRun run, List<RiskFinding> findings)
            {
                var result = ResourceCheck.Evaluate(run.Facts, run.Policy, findings);
                run.Assessment.PeakUtilisationPercent = result.PeakUtilisationPercent;
                run.Assessment.Utilisation = new List<RoleUtilisation>(result.Utilisation);
                return result.Level;
            }
        }

        private sealed class Forecast : DealCheck
        {
            public Forecast() : base(nameof(RiskCheck.Forecast)) { }

            public override RiskLevel Evaluate(CheckRun run, List<RiskFinding> findings)
            {
                var result = ForecastCheck.Evaluate(run.Facts, run.Policy, run.Assessment.MarginPercent, findings);
                run.Assessment.SlipCount = result.SlipCount;
                run.Assessment.SlipDays = result.SlipDays;
                run.Assessment.NewForecastChanges = new List<ForecastChange>(result.NewChanges);
                return result.Level;
            }

            // The slips recorded before stay counted when this save cannot be judged.
            public override void WhenUnknown(CheckRun run)
            {
                run.Assessment.SlipCount = Math.Max(0, run.Facts.PriorSlipCount);
                run.Assessment.SlipDays = Math.Max(0, run.Facts.PriorSlipDays);
            }
        }
    }
}
