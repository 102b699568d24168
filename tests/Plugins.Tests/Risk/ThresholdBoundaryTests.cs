using System;
using System.Linq;
using DealRisk.Risk;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;
using static DealRisk.Plugins.Tests.Risk.DealBuilder;

namespace DealRisk.Plugins.Tests.Risk
{
    /// <summary>
    /// One rule for every threshold (issue 22, point 7): "above" is strictly above and "below" strictly below, in the code,
    /// the reason and docs/risk-model.md. Each property puts a value just under, exactly at and just over a generated
    /// threshold and checks that only the side the reason names is flagged, and that the reason says so.
    /// </summary>
    public class ThresholdBoundaryTests
    {
        private static readonly decimal[] Offsets = { -0.5m, 0m, 0.5m };

        private static void ForEachBoundary(int low, int high, Action<int, decimal> property) =>
            Prop.ForAll(Gen.Choose(low, high).ToArbitrary(), Gen.Elements(Offsets).ToArbitrary(), (t, offset) => property(t, offset))
                .Check(Config.QuickThrowOnFailure.WithMaxTest(300));

        private static void AssertFlaggedOnlyAbove(RiskAssessment verdict, string code, bool above, string word)
        {
            var finding = verdict.Findings.FirstOrDefault(f => f.Code == code);
            Assert.That(finding != null, Is.EqualTo(above), above ? $"{code} expected" : $"{code} not expected at or beyond the threshold");
            if (finding != null) Assert.That(finding.Reason, Does.Contain(word + " the "));
        }

        [Test]
        public void UnquotedEffort_IsFlagged_OnlyAboveTheWarningHours() => ForEachBoundary(1, 500, (t, offset) =>
        {
            var hours = t + offset;
            var verdict = ADeal().WithRequirement("Workflows", RequirementPriority.MustHave, RequirementFit.Configuration, hours, "Consultant")
                .Evaluate(new RiskPolicy { UnquotedEffortWarningHours = t, UnquotedEffortCriticalHours = t * 10m });
            AssertFlaggedOnlyAbove(verdict, "UNQUOTED_EFFORT", hours > t, "above");
        });

        [TestCase("ROLE_NEAR_CAPACITY")]
        [TestCase("ROLE_OVER_CAPACITY")]
        public void Utilisation_IsFlagged_OnlyAboveItsPercentage(string code) => ForEachBoundary(1, 400, (t, offset) =>
        {
            // A 31-day window from 2026-12-01 puts every hour in December; 100 h of capacity make hours a percentage. The
            // other threshold is put out of the way (ten times as high, or equal for the critical one).
            var hours = t + offset;
            var policy = code == "ROLE_NEAR_CAPACITY"
                ? new RiskPolicy { DeliveryWindowDays = 31, UtilisationWarningPercent = t, UtilisationCriticalPercent = t * 10m }
                : new RiskPolicy { DeliveryWindowDays = 31, UtilisationWarningPercent = t, UtilisationCriticalPercent = t };
            var verdict = ADeal().ClosingInDays(29).WithRequirement("Build", RequirementPriority.MustHave, RequirementFit.Standard, hours, "Consultant")
                .WithAllocation("Consultant", hours).WithCapacity("Consultant", new DateTime(2026, 12, 1), 100m)
                .Evaluate(policy);
            AssertFlaggedOnlyAbove(verdict, code, hours > t, "above");
        });

        [Test]
        public void ALineDiscount_IsFlagged_OnlyAboveTheMaximum() => ForEachBoundary(1, 90, (t, offset) =>
        {
            var discount = t + offset;
            var verdict = ADeal().WithLine("Licence", 1, 1_000m, 100m, discountPercent: discount).Evaluate(new RiskPolicy { MaxDiscountPercent = t });
            AssertFlaggedOnlyAbove(verdict, "DISCOUNT_ABOVE_MAX", discount > t, "above");
        });

        [Test]
        public void Margin_IsFlagged_OnlyBelowTheTarget() => ForEachBoundary(1, 90, (t, offset) =>
        {
            // No commission: a line of 1,000 costing 1,000 × (1 − m/100) makes a margin of exactly m %.
            var margin = t + offset;
            var verdict = ADeal().WithLine("Licence", 1, 1_000m, 1_000m * (1m - margin / 100m))
                .Evaluate(new RiskPolicy { CommissionPercent = 0m, MarginWarningPercent = t, MarginCriticalPercent = 0m });
            AssertFlaggedOnlyAbove(verdict, "MARGIN_BELOW_TARGET", margin < t, "below");
        });

        [Test]
        public void ASlip_IsLong_OnlyAboveTheLongSlipDays() => Prop.ForAll(Gen.Choose(2, 60).ToArbitrary(), Gen.Choose(-1, 1).ToArbitrary(), (t, offset) =>
        {
            // Inside the first quarter of 2027: from 2027-01-02, by t + offset days (at most 61: 2027-03-04).
            var days = t + offset;
            var verdict = ADeal().ClosingInDays(61 + days).ChangedFrom(p => p.CloseDate = Today.AddDays(61))
                .Evaluate(new RiskPolicy { SlipLongDays = t });
            var slip = verdict.NewForecastChanges.Single(c => c.Code == "CLOSE_DATE_SLIPPED");
            Assert.That(slip.Level, Is.EqualTo(days > t ? RiskLevel.Medium : RiskLevel.Low));
            Assert.That(slip.Text.Contains("longer than"), Is.EqualTo(days > t));
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }
}
