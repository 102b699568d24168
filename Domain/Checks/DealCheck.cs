using System.Collections.Generic;

namespace DealRisk.Risk
{
    /// <summary>
    /// One question the suite asks of a deal. The evaluator runs the checks of a list in order (<see cref="RiskChecks.Default"/>);
    /// a check's level, findings and name then reach the verdict, the alert and the report without edits there
    /// (docs/architecture.md, "Adding a check").
    /// </summary>
    public abstract class DealCheck
    {
        protected DealCheck(string name)
        {
            Name = name;
        }

        /// <summary>The name a person reads ("Margin"): the label of the check's level, and the prefix of its out-of-range code.</summary>
        public string Name { get; }

        /// <summary>
        /// Judges the deal: adds its findings (each naming this check) and returns its level. A check may set the figures it
        /// owns on <see cref="CheckRun.Assessment"/> and read those of the checks before it in the list.
        /// </summary>
        public abstract RiskLevel Evaluate(CheckRun run, List<RiskFinding> findings);

        /// <summary>
        /// Called instead when the numbers are too large to judge (the level is then Unknown, with one finding): the
        /// figures a later check or the verdict needs even then.
        /// </summary>
        public virtual void WhenUnknown(CheckRun run)
        {
        }

        /// <summary>
        /// The fix for one of this check's findings when the check knows it best (a stage gate names the stage facts it needs):
        /// a sentence and, where there is one, the change of facts that clears it, which <see cref="FixRun.Judge(DealFacts)"/>
        /// can prove. Null (the default): the shipped fix for the finding's code, if any (<see cref="RiskFixes"/>).
        /// </summary>
        public virtual FindingFix? Fix(FixRun run, RiskFinding finding) => null;

        public override string ToString() => Name;
    }
}
