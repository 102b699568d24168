using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DealRisk.Risk
{
    /// <summary>
    /// What clears a fit finding. Knobs: hours of unquoted effort quoted (largest requirement first), one requirement's effort
    /// estimate, its priority, the fit of the must-haves still unassessed.
    /// </summary>
    internal static class FitFixes
    {
        // A requirement's dr_efforthours goes up to 1,000,000 h (Solution/Entities/dr_Requirement).
        private const long MaxTenths = 10_000_000;

        public static FindingFix? Unquoted(FixRun run, RiskFinding finding, ISet<string> taken)
        {
            var unquoted = Unquoted(run.Facts).ToList();
            var total = unquoted.Sum(i => run.Facts.Requirements[i].EffortHours!.Value);
            var all = (long)Math.Min(1_000_000_000_000_000m, decimal.Ceiling(total * 10m));
            if (all <= 0) return null;
            var clear = FixRun.Smallest(1, all, h => run.Cleared(run.Judge(f => Quote(f, h), finding), finding));
            var lower = finding.Level > RiskLevel.Medium ? FixRun.Smallest(1, all, h => run.Cleared(run.Judge(f => Quote(f, h), finding), finding, RiskLevel.Medium)) : null;
            var largest = string.Join(", ", unquoted.Take(3).Select(i => $"'{run.Facts.Requirements[i].Name}' {Format.Hours(run.Facts.Requirements[i].EffortHours!.Value)}"));
            if (clear == null)
                return new FindingFix($"Nothing single clears it: quoting all {Format.Hours(total)} still leaves the finding.", null, finding.Level);
            var text = $"Quote (or drop) at least {Hours(clear.Value)} of the {Format.Hours(total)} unquoted effort, largest first ({largest}), to clear it";
            if (lower != null && lower < clear) text += $"; {Hours(lower.Value)} brings it to Medium";
            return new FindingFix(text + ".", MarginFixes.Change(f => Quote(f, clear.Value)));
        }

        public static FindingFix? NotEstimated(FixRun run, RiskFinding finding, ISet<string> taken)
        {
            var candidates = Unestimated(run.Facts).ToList();
            var pick = RiskFixes.Subject(finding, candidates, i => run.Facts.Requirements[i].Name, taken);
            if (pick < 0) return null;
            var index = candidates[pick];
            var name = run.Facts.Requirements[index].Name;
            var level = run.Assessment.LevelOf(finding.CheckName);
            Func<DealFacts, DealFacts> Estimate(long tenths) => f => Requirement(f, index, r => r.EffortHours = tenths / 10m);
            var most = FixRun.Largest(0, MaxTenths, h => { var v = run.Judge(Estimate(h), finding); return run.Cleared(v, finding) && v.LevelOf(finding.CheckName) <= level; });
            if (most is long h && h > 0)
                return new FindingFix($"Estimate the effort of '{name}': up to {Hours(h)} unquoted keeps the fit risk where it is; more than that, quote it.", MarginFixes.Change(Estimate(h)));
            Func<DealFacts, DealFacts> quote = f => Requirement(f, index, r => r.Quoted = true);
            return run.Cleared(run.Judge(quote, finding), finding)
                ? new FindingFix($"Estimate the effort of '{name}' and quote it: any unquoted effort raises the fit risk.", MarginFixes.Change(quote))
                : null;
        }

        public static FindingFix? NotSupported(FixRun run, RiskFinding finding, ISet<string> taken)
        {
            var priority = finding.Code == "MUST_HAVE_NOT_SUPPORTED" ? RequirementPriority.MustHave : RequirementPriority.ShouldHave;
            var candidates = Enumerable.Range(0, run.Facts.Requirements.Count)
                .Where(i => run.Facts.Requirements[i].Fit == RequirementFit.NotSupported && run.Facts.Requirements[i].Priority == priority).ToList();
            var pick = RiskFixes.Subject(finding, candidates, i => run.Facts.Requirements[i].Name, taken);
            if (pick < 0) return null;
            var index = candidates[pick];
            var name = run.Facts.Requirements[index].Name;
            Func<DealFacts, DealFacts> niceToHave = f => Requirement(f, index, r => r.Priority = RequirementPriority.NiceToHave);
            if (!run.Cleared(run.Judge(niceToHave, finding), finding))
                return new FindingFix($"Nothing single clears it: reassess '{name}' with the customer.", null, finding.Level);
            var lowered = priority == RequirementPriority.MustHave &&
                run.Cleared(run.Judge(f => Requirement(f, index, r => r.Priority = RequirementPriority.ShouldHave), finding), finding, RiskLevel.Medium)
                ? " (as a should-have it is Medium)" : "";
            return new FindingFix($"Reassess '{name}' with the customer: as a nice-to-have it no longer counts{lowered}; or agree a configuration or customisation that delivers it, and quote it.",
                MarginFixes.Change(niceToHave));
        }

        public static FindingFix? Unassessed(FixRun run, RiskFinding finding, ISet<string> taken)
        {
            var unassessed = Enumerable.Range(0, run.Facts.Requirements.Count)
                .Where(i => run.Facts.Requirements[i].Priority == RequirementPriority.MustHave && run.Facts.Requirements[i].Fit == RequirementFit.Unknown)
                .Where(i => finding.Reason.IndexOf("'" + run.Facts.Requirements[i].Name + "'", StringComparison.Ordinal) >= 0).ToList();
            if (unassessed.Count == 0) return null;
            Func<DealFacts, DealFacts> assess = f =>
            {
                foreach (var i in unassessed) Requirement(f, i, r => r.Fit = RequirementFit.Standard);
                return f;
            };
            if (!run.Cleared(run.Judge(assess, finding), finding)) return null;
            var names = string.Join(", ", unassessed.Select(i => "'" + run.Facts.Requirements[i].Name + "'").Distinct().OrderBy(n => n, StringComparer.Ordinal));
            return new FindingFix($"Assess the fit of {names} (each one left unknown keeps this finding).", MarginFixes.Change(assess));
        }

        /// <summary>The requirements whose effort is unquoted, largest first: the ones quoting clears.</summary>
        private static IEnumerable<int> Unquoted(DealFacts facts) => Enumerable.Range(0, facts.Requirements.Count)
            .Where(i => IsUnquotedWork(facts.Requirements[i]) && facts.Requirements[i].EffortHours is decimal h && h > 0m)
            .OrderByDescending(i => facts.Requirements[i].EffortHours).ThenBy(i => facts.Requirements[i].Name, StringComparer.Ordinal);

        private static IEnumerable<int> Unestimated(DealFacts facts) => Enumerable.Range(0, facts.Requirements.Count)
            .Where(i => IsUnquotedWork(facts.Requirements[i]) && facts.Requirements[i].EffortHours == null);

        private static bool IsUnquotedWork(DealRequirement r) =>
            (r.Fit == RequirementFit.Configuration || r.Fit == RequirementFit.Customisation) && !r.Quoted && r.Priority != RequirementPriority.NiceToHave;

        /// <summary>Quotes <paramref name="tenths"/> tenths of an hour of the unquoted effort, largest requirement first; the last one in part (split in two).</summary>
        private static DealFacts Quote(DealFacts facts, long tenths)
        {
            var left = tenths / 10m;
            foreach (var i in Unquoted(facts).ToList())
            {
                if (left <= 0m) break;
                var effort = facts.Requirements[i].EffortHours!.Value;
                if (effort <= left)
                {
                    Requirement(facts, i, r => r.Quoted = true);
                    left -= effort;
                    continue;
                }

                var rest = FactsCopy.Of(facts.Requirements[i]);
                rest.EffortHours = effort - left;
                Requirement(facts, i, r => { r.Quoted = true; r.EffortHours = left; });
                facts.Requirements.Add(rest);
                left = 0m;
            }

            return facts;
        }

        private static DealFacts Requirement(DealFacts facts, int i, Action<DealRequirement> change)
        {
            var copy = FactsCopy.Of(facts.Requirements[i]);
            change(copy);
            facts.Requirements[i] = copy;
            return facts;
        }

        private static string Hours(long tenths) => Format.Hours(tenths / 10m);
    }
}
