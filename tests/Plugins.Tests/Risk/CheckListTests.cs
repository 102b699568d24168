using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using DealRisk.Risk;
using NUnit.Framework;
using static DealRisk.Plugins.Tests.Risk.DealBuilder;

namespace DealRisk.Plugins.Tests.Risk
{
    /// <summary>The checks are a list: the evaluator runs what it is given, and a check added to it is judged like the shipped four.</summary>
    public class CheckListTests
    {
        /// <summary>A check that finds one thing of the given level, or throws as arithmetic on absurd numbers does.</summary>
        private sealed class Fixed : DealCheck
        {
            private readonly RiskLevel _level;
            private readonly bool _overflows;

            public Fixed(string name, RiskLevel level, bool overflows = false) : base(name)
            {
                _level = level;
                _overflows = overflows;
            }

            public override RiskLevel Evaluate(CheckRun run, List<RiskFinding> findings)
            {
                if (_overflows) throw new OverflowException();
                findings.Add(new RiskFinding(Name, "TERMS", _level, $"{Name} found something."));
                return _level;
            }
        }

        private static DealCheck[] ShippedAnd(params DealCheck[] added) => RiskChecks.Default.Concat(added).ToArray();

        [Test]
        public void ShippedList_IsTheFourChecks_FitBeforeMarginBeforeForecast_ThenWhatTimeCreates()
        {
            Assert.That(RiskChecks.Default.Select(c => c.Name), Is.EqualTo(new[] { "Fit", "Margin", "Resource", "Forecast", "Facts", "Momentum", "Stage gates" }));
        }

        [Test]
        public void Evaluate_WithTheShippedListGiven_IsTheDefaultVerdict()
        {
            var deal = ADeal().WithLine("Licence", 10, 10_000m, unitCost: 8_200m);

            var byDefault = deal.Evaluate();
            var given = deal.Evaluate(RiskChecks.Default.ToArray());

            Assert.That(given.Reasons, Is.EqualTo(byDefault.Reasons));
            Assert.That(given.Score, Is.EqualTo(byDefault.Score));
            Assert.That(given.Checks.Select(c => c.ToString()), Is.EqualTo(new[] { "Margin: Critical", "Resource: Low", "Fit: Low", "Forecast: Low", "Facts: Low", "Momentum: Low", "Stage gates: Low" }));
        }

        [Test]
        public void Evaluate_WithAnAddedCheck_ItsLevelFollowsTheShippedFourAndRaisesTheVerdict()
        {
            var deal = ADeal().WithLine("Licence", 10, 10_000m, unitCost: 6_000m);

            var verdict = deal.Evaluate(ShippedAnd(new Fixed("Payment terms", RiskLevel.High)));

            Assert.That(verdict.Checks.Select(c => c.Check), Is.EqualTo(new[] { "Margin", "Resource", "Fit", "Forecast", "Facts", "Momentum", "Stage gates", "Payment terms" }));
            Assert.That(verdict.LevelOf("Payment terms"), Is.EqualTo(RiskLevel.High));
            Assert.That(verdict.Overall, Is.EqualTo(RiskLevel.High));
            Assert.That(verdict.Reasons, Does.StartWith("High: Payment terms found something."));
            Assert.That(verdict.FindingCodes, Does.Contain("TERMS"));
            Assert.That(verdict.Findings.First().Check, Is.Null, "a check outside the shipped four has no RiskCheck value");
        }

        [Test]
        public void Evaluate_TwoAddedChecksOfTheSameLevel_TheirFindingsFollowTheListOrder()
        {
            var verdict = ADeal().WithLine("Licence", 10, 10_000m, unitCost: 6_000m)
                .Evaluate(ShippedAnd(new Fixed("Zeta", RiskLevel.Medium), new Fixed("Alpha", RiskLevel.Medium)));

            Assert.That(verdict.Findings.Select(f => f.CheckName).Where(n => n is "Zeta" or "Alpha"), Is.EqualTo(new[] { "Zeta", "Alpha" }));
        }

        [Test]
        public void Evaluate_WhenAnAddedCheckOverflows_ItIsUnknownWithOneReasonAndTheOthersStillJudge()
        {
            var verdict = ADeal().WithLine("Licence", 10, 10_000m, unitCost: 8_200m)
                .Evaluate(ShippedAnd(new Fixed("Payment terms", RiskLevel.High, overflows: true)));

            Assert.That(verdict.LevelOf("Payment terms"), Is.EqualTo(RiskLevel.Unknown));
            Assert.That(verdict.Findings.Where(f => f.CheckName == "Payment terms").Select(f => f.Code), Is.EqualTo(new[] { "PAYMENT_TERMS_OUT_OF_RANGE" }));
            Assert.That(verdict.Margin, Is.EqualTo(RiskLevel.Critical));
        }

        [Test]
        public void DomainProject_ReferencesNothing_SoTheCompilerKeepsTheSdkOut()
        {
            var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "CrmPlugins.sln"))) dir = dir.Parent;
            Assert.That(dir, Is.Not.Null, "the repository root (CrmPlugins.sln) above the test folder");
            var project = XDocument.Load(Path.Combine(dir!.FullName, "Domain", "DealRisk.Domain.csproj"));

            var references = project.Descendants().Where(e => e.Name.LocalName is "ProjectReference" or "PackageReference" or "Reference" or "Import").ToList();

            Assert.That(references.Select(r => r.ToString()), Is.Empty);
        }
    }
}
