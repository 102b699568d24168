using System;
using System.Collections.Generic;
using System.Linq;

namespace DealRisk.Risk
{
    /// <summary>
    /// Are the facts there while there is still time to act? Early in the sale a deal without product lines or costs is
    /// being built; late in the sale, or days before its close, the same gap means nobody knows whether the deal is worth
    /// winning. Missing facts are a finding that grows with the stage and the nearness of the close date: Medium at or
    /// after the policy's late stage or within its missing-facts days of the close, the policy's late level (default High,
    /// which alerts the manager) when both. Early and far from the close they are no finding: the other checks' notes and
    /// Unknowns say what is missing.
    /// </summary>
    public sealed class MissingFactsCheck : DealCheck
    {
        public const string CheckName = nameof(RiskCheck.Facts);

        public const string Code = "FACTS_MISSING";

        public MissingFactsCheck() : base(CheckName) { }

        public override RiskLevel Evaluate(CheckRun run, List<RiskFinding> findings)
        {
            var facts = run.Facts;
            var policy = run.Policy;
            var missing = Missing(facts);
            if (missing.Count == 0) return RiskLevel.Low;

            var stage = facts.Current.SalesStage;
            var late = stage is int s && s >= policy.LateSalesStage;
            int? daysToClose = facts.Current.CloseDate is DateTime close ? (close.Date - facts.Today.Date).Days : (int?)null;
            var near = daysToClose is int d && d <= policy.MissingFactsDays;
            if (!late && !near) return RiskLevel.Low;

            var level = late && near ? policy.MissingFactsLateLevel : RiskLevel.Medium;
            if (level < RiskLevel.Medium) level = RiskLevel.Medium;
            var when = new List<string>();
            if (late) when.Add("at " + FitCheck.StagePhrase(stage!.Value));
            if (near) when.Add(daysToClose < 0 ? $"{Format.Days(-daysToClose!.Value)} after the close date" : $"{Format.Days(daysToClose!.Value)} before the close date");
            findings.Add(new RiskFinding(CheckName, Code, level,
                $"Facts are missing {string.Join(", ", when)}: {string.Join("; ", missing)}."));
            return level;
        }

        /// <summary>
        /// Names exactly the facts to add (the product lines, the cost of each product without one, the close date) and proves
        /// them by judging the deal with each supplied: a line at the estimated revenue, a unit cost, a close date tomorrow
        /// (any value clears the gap; what value is right is for the other checks and their fixes).
        /// </summary>
        public override FindingFix? Fix(FixRun run, RiskFinding finding)
        {
            var facts = run.Facts;
            var steps = new List<string>();
            var noLines = facts.Lines.Count == 0 && facts.Previous != null;
            if (noLines) steps.Add("add the product lines the customer is buying");
            var noCost = facts.Lines.Where(l => l.ProductMissing || l.IsWriteIn || l.UnitCost == null).ToList();
            var costless = noCost.Where(l => !l.ProductMissing && !l.IsWriteIn).Select(l => "'" + l.ProductName + "'").Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();
            var replace = noCost.Where(l => l.ProductMissing || l.IsWriteIn).Select(l => "'" + l.ProductName + "'").Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();
            if (costless.Count > 0) steps.Add("record the cost of " + string.Join(", ", costless));
            if (replace.Count > 0) steps.Add("replace " + string.Join(", ", replace) + " (a write-in or deleted product) with a catalogue product that has a cost");
            var tomorrow = Dates.AddDays(facts.Today.Date, 1);
            if (facts.Current.CloseDate == null) steps.Add($"set the close date (from {Format.Date(tomorrow)})");
            if (steps.Count == 0) return null;

            Func<DealFacts, DealFacts> supply = f =>
            {
                var copy = FactsCopy.Of(f);
                if (copy.Lines.Count == 0 && copy.Previous != null)
                {
                    var amount = copy.Current.Amount is decimal a && a > 0m ? a : 0m;
                    copy.Lines.Add(new DealLine { ProductName = "Product", Quantity = 1m, GrossAmount = amount, NetAmount = amount, UnitCost = 0m });
                }

                for (var i = 0; i < copy.Lines.Count; i++)
                {
                    var line = copy.Lines[i];
                    if (!(line.ProductMissing || line.IsWriteIn || line.UnitCost == null)) continue;
                    line = FactsCopy.Of(line);
                    line.UnitCost ??= 0m;
                    line.IsWriteIn = false;
                    line.ProductMissing = false;
                    copy.Lines[i] = line;
                }

                if (copy.Current.CloseDate == null) copy.Current.CloseDate = tomorrow;
                return copy;
            };
            if (!run.Cleared(run.Judge(supply(facts)), finding)) return null;
            var text = string.Join("; ", steps);
            return new FindingFix(Format.Capital(text) + ".", supply);
        }

        /// <summary>What the deal lacks for a judgement, each as a phrase for a person.</summary>
        public static IList<string> Missing(DealFacts facts)
        {
            var missing = new List<string>();
            // A deal's lines can only be added once it exists: on the save that creates it, no lines is not yet a gap.
            if (facts.Lines.Count == 0 && facts.Previous != null)
                missing.Add(facts.Current.Amount is decimal a && a > 0m ? "no product lines (product cost not counted)" : "no product lines and no estimated revenue");
            // A loop, not a query: the check runs on every judgement with all the checks, and most lines have a cost.
            List<string>? noCost = null;
            foreach (var line in facts.Lines)
            {
                if (!(line.ProductMissing || line.IsWriteIn || line.UnitCost == null)) continue;
                var name = "'" + line.ProductName + "'";
                if (noCost == null) noCost = new List<string>();
                else if (noCost.Contains(name)) continue;
                noCost.Add(name);
            }

            if (noCost != null)
            {
                noCost.Sort(StringComparer.Ordinal);
                missing.Add("no cost for " + string.Join(", ", noCost));
            }
            if (facts.Current.CloseDate == null) missing.Add("no close date");
            return missing;
        }
    }
}
