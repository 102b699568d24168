using System.Collections.Generic;
using System.Linq;
using DealRisk.Plugins.Tests.Risk;
using DealRisk.Risk;
using NUnit.Framework;

namespace DealRisk.Plugins.Tests.Fixes
{
    /// <summary>A check added to the list gives its own fix (DealCheck.Fix), proved with the same re-judgement as the shipped ones.</summary>
    public class FixHookTests
    {
        /// <summary>A stage gate in the manner of the ones to come: at Propose or later the probability must be at least 50 %.</summary>
        private sealed class ProbabilityGate : DealCheck
        {
            public ProbabilityGate() : base("Stage gate") { }

            public override RiskLevel Evaluate(CheckRun run, List<RiskFinding> findings)
            {
                if (run.Facts.Current.SalesStage >= 2 && (run.Facts.Current.Probability ?? 0) < 50)
                    findings.Add(new RiskFinding(Name, "GATE_PROBABILITY", RiskLevel.High, "At the Propose stage the probability must be at least 50%."));
                return findings.Count == 0 ? RiskLevel.Low : RiskLevel.High;
            }

            public override FindingFix? Fix(FixRun run, RiskFinding finding)
            {
                // The smallest probability that passes the gate, searched by judging the deal again.
                var p = FixRun.Smallest(0, 100, n => run.Cleared(run.Judge(f => { f.Current.Probability = (int)n; return f; }), finding));
                return p == null ? null : new FindingFix($"Set the probability to {p}% or more.", facts =>
                {
                    var copy = FactsCopy.Of(facts);
                    copy.Current.Probability = (int)p.Value;
                    return copy;
                });
            }
        }

        /// <summary>An added check that gives no fix.</summary>
        private sealed class Silent : DealCheck
        {
            public Silent() : base("Silent") { }

            public override RiskLevel Evaluate(CheckRun run, List<RiskFinding> findings)
            {
                findings.Add(new RiskFinding(Name, "SILENT", RiskLevel.Medium, "Something to look at."));
                return RiskLevel.Medium;
            }
        }

        private static readonly IReadOnlyList<DealCheck> Checks = RiskChecks.Default.Concat(new DealCheck[] { new ProbabilityGate(), new Silent() }).ToList();

        [Test]
        public void AddedCheck_WithItsOwnFix_ItsFindingCarriesIt_AndTheChangeClearsIt()
        {
            var facts = DealBuilder.ADeal().Build();
            facts.Current.SalesStage = 2;
            facts.Current.Probability = 30;
            var policy = RiskPolicy.Default();
            var verdict = RiskEvaluator.Evaluate(facts, policy, Checks);

            RiskFixes.Attach(verdict, facts, policy, Checks);

            var gate = verdict.Findings.Single(f => f.Code == "GATE_PROBABILITY");
            Assert.That(gate.Fix!.Text, Is.EqualTo("Set the probability to 50% or more."));
            Assert.That(verdict.Fixes, Does.Contain("High: Set the probability to 50% or more."));
            var after = RiskEvaluator.Evaluate(gate.Fix.Change!(facts), policy, Checks);
            Assert.That(FixRun.Clears(verdict, after, gate), Is.True);
            Assert.That(facts.Current.Probability, Is.EqualTo(30), "the rep's facts are left as they were");
            Assert.That(verdict.Findings.Single(f => f.Code == "SILENT").Fix, Is.Null, "no fix known: no line");
        }
    }
}
