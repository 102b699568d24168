using System;
using System.Linq;
using DealRisk.Risk;
using NUnit.Framework;
using static DealRisk.Plugins.Tests.Risk.DealBuilder;

namespace DealRisk.Plugins.Tests.Risk
{
    public class RiskEvaluatorTests
    {
        [Test]
        public void Margin_BelowTheFloor_IsCriticalWithTheNumbersInTheReason()
        {
            var verdict = ADeal().WithLine("Licence", 10, 10_000m, unitCost: 8_200m).Evaluate();

            Assert.That(verdict.Margin, Is.EqualTo(RiskLevel.Critical));
            Assert.That(verdict.MarginPercent, Is.EqualTo(13m));
            Assert.That(verdict.MarginAmount, Is.EqualTo(13_000m));
            Assert.That(verdict.Findings.First().Reason, Is.EqualTo("Margin 13% is below the 15% floor (product cost 82,000, commission 5,000)."));
        }

        [Test]
        public void Margin_BelowTheTarget_IsHigh()
        {
            var verdict = ADeal().WithLine("Licence", 10, 10_000m, unitCost: 7_500m).Evaluate();

            Assert.That(verdict.Margin, Is.EqualTo(RiskLevel.High));
            Assert.That(verdict.Reasons, Does.Contain("Margin 20% is below the 25% target"));
        }

        [Test]
        public void Margin_OfAProductWithoutCost_IsUnknownAndNamesTheProduct()
        {
            var verdict = ADeal().WithLine("Licence", 10, 10_000m, unitCost: 1_000m).WithLine("Premium support", 1, 5_000m, unitCost: null).Evaluate();

            Assert.That(verdict.Margin, Is.EqualTo(RiskLevel.Unknown));
            Assert.That(verdict.MarginPercent, Is.Null);
            Assert.That(verdict.Reasons, Does.Contain("product 'Premium support' has no cost recorded"));
        }

        [Test]
        public void Margin_WithoutLines_FallsBackToTheEstimatedRevenue()
        {
            var verdict = ADeal().WithAmount(100_000m).WithCostOfSale(10_000m).Evaluate();

            Assert.That(verdict.Margin, Is.EqualTo(RiskLevel.Low));
            Assert.That(verdict.MarginAmount, Is.EqualTo(85_000m));
        }

        [Test]
        public void Margin_WithNoRevenueAtAll_IsUnknown()
        {
            var verdict = ADeal().WithAmount(null).Evaluate();

            Assert.That(verdict.Margin, Is.EqualTo(RiskLevel.Unknown));
            Assert.That(verdict.Overall, Is.EqualTo(RiskLevel.Unknown));
            Assert.That(verdict.Reasons, Does.Contain("no product lines and no estimated revenue"));
        }

        [Test]
        public void Margin_WithHugeAmounts_IsUnknownInsteadOfCrashing()
        {
            var verdict = ADeal().WithLine(new DealLine { ProductName = "Galaxy", Quantity = 79_000_000_000_000m, GrossAmount = 1m, NetAmount = 1m, UnitCost = 79_000_000_000_000m }).Evaluate();

            Assert.That(verdict.Margin, Is.EqualTo(RiskLevel.Unknown));
            Assert.That(verdict.Reasons, Does.Contain("too large"));
        }

        [Test]
        public void Discount_AboveTheMaximum_IsMedium()
        {
            var verdict = ADeal().WithLine("Licence", 10, 10_000m, unitCost: 1_000m, discountPercent: 30m).Evaluate();

            Assert.That(verdict.Reasons, Does.Contain("Product 'Licence' is discounted 30%, above the 20% maximum."));
            Assert.That(verdict.Margin, Is.EqualTo(RiskLevel.Medium));
        }

        [Test]
        public void Fit_MustHaveNotSupported_IsCriticalOverall()
        {
            var verdict = ADeal().WithRequirement("SAP integration", RequirementPriority.MustHave, RequirementFit.NotSupported).Evaluate();

            Assert.That(verdict.Fit, Is.EqualTo(RiskLevel.Critical));
            Assert.That(verdict.Overall, Is.EqualTo(RiskLevel.Critical));
            Assert.That(verdict.Score, Is.InRange(75, 100));
            Assert.That(verdict.Findings.First().Reason, Is.EqualTo("Must-have 'SAP integration' is not supported."));
        }

        [Test]
        public void Fit_UnquotedEffort_RaisesRiskAndFlowsIntoMargin()
        {
            var verdict = ADeal()
                .WithLine("Licence", 10, 10_000m, unitCost: 5_000m)
                .WithRequirement("Custom portal", RequirementPriority.MustHave, RequirementFit.Customisation, hours: 120m, role: "Developer")
                .WithRequirement("Workflow set-up", RequirementPriority.ShouldHave, RequirementFit.Configuration, hours: 60m, role: "Consultant")
                .WithRequirement("Reports", RequirementPriority.ShouldHave, RequirementFit.Configuration, hours: 40m, role: "Consultant", quoted: true)
                .Evaluate();

            Assert.That(verdict.UnquotedEffortHours, Is.EqualTo(180m));
            Assert.That(verdict.UnquotedEffortCost, Is.EqualTo(17_100m));
            Assert.That(verdict.Fit, Is.EqualTo(RiskLevel.High));
            Assert.That(verdict.Reasons, Does.Contain("Unquoted configuration and customisation effort of 180 h (cost 17,100) is above the 160 h limit."));
            Assert.That(verdict.MarginAmount, Is.EqualTo(100_000m - 50_000m - 5_000m - 17_100m));
        }

        [Test]
        public void Fit_MustHavesUnassessedLateInTheSale_AreHigh()
        {
            var verdict = ADeal().AtStage(2)
                .WithRequirement("Single sign-on", RequirementPriority.MustHave, RequirementFit.Unknown)
                .WithRequirement("Audit trail", RequirementPriority.MustHave, RequirementFit.Unknown)
                .Evaluate();

            Assert.That(verdict.Fit, Is.EqualTo(RiskLevel.High));
            Assert.That(verdict.Reasons, Does.Contain("2 must-haves are still unassessed at the Propose stage: 'Audit trail', 'Single sign-on'."));
        }

        [Test]
        public void Fit_MustHavesUnassessedEarly_AreNotARiskYet()
        {
            var verdict = ADeal().AtStage(1).WithRequirement("Single sign-on", RequirementPriority.MustHave, RequirementFit.Unknown).Evaluate();
            Assert.That(verdict.Fit, Is.EqualTo(RiskLevel.Low));
        }

        [Test]
        public void Resource_UnallocatedRoleCloseToClosing_IsHigh()
        {
            var month = new DateTime(2026, 11, 1);
            var verdict = ADeal().ClosingInDays(10)
                .WithRequirement("Data migration", RequirementPriority.MustHave, RequirementFit.Standard, hours: 120m, role: "Consultant", quoted: true)
                .WithAllocation("Consultant", 80m)
                .WithAllocation("Consultant", 30m, named: false)
                .WithCapacity("Consultant", month, 1000m).WithCapacity("Consultant", month.AddMonths(1), 1000m).WithCapacity("Consultant", month.AddMonths(2), 1000m).WithCapacity("Consultant", month.AddMonths(3), 1000m)
                .Evaluate();

            Assert.That(verdict.Resource, Is.EqualTo(RiskLevel.High));
            Assert.That(verdict.Reasons, Does.Contain("Consultant: 40 h of 120 h not allocated to a named person or team; the deal closes in 10 days (allocations are due 30 days before close)."));
        }

        [Test]
        public void Resource_DemandAboveCapacity_ReportsThePeakMonth()
        {
            var jan = new DateTime(2027, 1, 1);
            var verdict = ADeal().ClosingInDays(60)
                .WithLine("Implementation pack", 1, 50_000m, unitCost: 10_000m, deliveryHoursPerUnit: 90m, role: "Consultant")
                .WithCapacity("Consultant", jan, 20m).WithCapacity("Consultant", jan.AddMonths(1), 100m).WithCapacity("Consultant", jan.AddMonths(2), 100m)
                .Evaluate();

            Assert.That(verdict.Resource, Is.EqualTo(RiskLevel.High));
            Assert.That(verdict.PeakUtilisationPercent, Is.EqualTo(155m));
            Assert.That(verdict.Reasons, Does.Contain("Consultant demand is 155% of capacity in Jan 2027, above the 100% limit (this deal 31 h, other deals 0 h, capacity 20 h)."));
            Assert.That(verdict.Utilisation.Select(u => u.Month), Is.EqualTo(new[] { jan, jan.AddMonths(1), jan.AddMonths(2) }));
        }

        [Test]
        public void Resource_OtherDealsDemand_CountsAgainstCapacity()
        {
            var jan = new DateTime(2027, 1, 1);
            var verdict = ADeal().ClosingInDays(60)
                .WithLine("Implementation pack", 1, 50_000m, unitCost: 10_000m, deliveryHoursPerUnit: 90m, role: "Consultant")
                .WithCapacity("Consultant", jan, 100m).WithCapacity("Consultant", jan.AddMonths(1), 100m).WithCapacity("Consultant", jan.AddMonths(2), 100m)
                .WithOtherDemand("Consultant", jan.AddMonths(2), 60m)
                .Evaluate();

            Assert.That(verdict.PeakUtilisationPercent, Is.EqualTo(91m));
            Assert.That(verdict.Resource, Is.EqualTo(RiskLevel.Medium));
        }

        [Test]
        public void Resource_NoCapacityRecorded_IsHigh()
        {
            var verdict = ADeal().ClosingInDays(60).WithRequirement("Training", RequirementPriority.ShouldHave, RequirementFit.Standard, hours: 16m, role: "Trainer").Evaluate();

            Assert.That(verdict.Resource, Is.EqualTo(RiskLevel.High));
            Assert.That(verdict.Reasons, Does.Contain("Trainer: no capacity is recorded for Jan 2027"));
        }

        [Test]
        public void Forecast_FirstSlip_IsRecordedAsLow_SecondAsMedium()
        {
            // Both slips stay inside the first quarter of 2027 and last exactly the 30 days the policy allows: judged by count alone.
            var first = ADeal().ClosingInDays(100).ChangedFrom(p => p.CloseDate = Today.AddDays(70)).Evaluate();
            var second = ADeal().ClosingInDays(100).WithPriorSlips(1, 30).ChangedFrom(p => p.CloseDate = Today.AddDays(70)).Evaluate();

            Assert.That(first.SlipCount, Is.EqualTo(1));
            Assert.That(first.SlipDays, Is.EqualTo(30));
            Assert.That(first.Forecast, Is.EqualTo(RiskLevel.Low));
            Assert.That(first.NewForecastChanges.Single().Text, Is.EqualTo("Close date moved from 2027-01-11 to 2027-02-10 (+30 days; slip 1)."));
            Assert.That(second.Forecast, Is.EqualTo(RiskLevel.Medium));
            Assert.That(second.SlipDays, Is.EqualTo(60));
        }

        [Test]
        public void Forecast_AmountHalved_StageBack_ProbabilityCut_AreEachRecorded()
        {
            var verdict = ADeal().WithAmount(50_000m).AtStage(1).Now(c => c.Probability = 30)
                .ChangedFrom(p => { p.Amount = 100_000m; p.SalesStage = 2; p.Probability = 60; })
                .Evaluate();

            Assert.That(verdict.NewForecastChanges.Select(c => c.Code), Is.EquivalentTo(new[] { "AMOUNT_DROPPED", "STAGE_MOVED_BACK", "PROBABILITY_CUT" }));
            Assert.That(verdict.Forecast, Is.EqualTo(RiskLevel.High));
            Assert.That(verdict.Reasons, Does.Contain("Estimated revenue dropped 50%, from 100,000 to 50,000."));
            Assert.That(verdict.Reasons, Does.Contain("Sales stage moved back from Propose to Develop."));
        }

        [Test]
        public void Forecast_RecordedChangesOutsideTheLookback_NoLongerCount()
        {
            var old = new ForecastChange(Today.AddDays(-45), "STAGE_MOVED_BACK", RiskLevel.Medium, "Sales stage moved back.");
            var recent = new ForecastChange(Today.AddDays(-5), "PROBABILITY_CUT", RiskLevel.Medium, "Probability cut from 60% to 30%.");

            Assert.That(ADeal().WithRecordedChange(old).Evaluate().Forecast, Is.EqualTo(RiskLevel.Low));
            Assert.That(ADeal().WithRecordedChange(recent).Evaluate().Forecast, Is.EqualTo(RiskLevel.Medium));
        }

        [Test]
        public void Forecast_ManySlips_StayARiskAfterTheLookback()
        {
            var verdict = ADeal().WithPriorSlips(3, 95).Evaluate();
            Assert.That(verdict.Forecast, Is.EqualTo(RiskLevel.High));
            Assert.That(verdict.Reasons, Does.Contain("The close date has slipped 3 times (95 days in all; warning at 2)."));
        }

        [Test]
        public void HealthyDeal_IsLowWithNoFindings()
        {
            var verdict = ADeal().WithLine("Licence", 10, 10_000m, unitCost: 4_000m).Evaluate();

            Assert.That(verdict.Overall, Is.EqualTo(RiskLevel.Low));
            Assert.That(verdict.Findings, Is.Empty);
            Assert.That(verdict.Score, Is.EqualTo(0));
            Assert.That(verdict.Reasons, Is.EqualTo("No risk found."));
        }

        [Test]
        public void Reasons_AreSortedWorstFirst()
        {
            var verdict = ADeal()
                .WithLine("Licence", 10, 10_000m, unitCost: 1_000m, discountPercent: 30m)
                .WithRequirement("SAP integration", RequirementPriority.MustHave, RequirementFit.NotSupported)
                .Evaluate();

            Assert.That(verdict.Findings.Select(f => f.Level), Is.EqualTo(new[] { RiskLevel.Critical, RiskLevel.Medium }));
            Assert.That(verdict.Reasons.Split('\n')[0], Does.StartWith("Critical: Must-have"));
        }

        [TestCase(RiskLevel.Low, 0, 24)]
        [TestCase(RiskLevel.Medium, 25, 49)]
        [TestCase(RiskLevel.High, 50, 74)]
        [TestCase(RiskLevel.Critical, 75, 100)]
        public void Score_StaysInTheBandOfTheOverallLevel(RiskLevel level, int min, int max)
        {
            var many = Enumerable.Range(0, 20).Select(i => new RiskFinding(RiskCheck.Fit, "X" + i, level, "r")).ToList();
            Assert.That(RiskEvaluator.Score(level, many), Is.InRange(min, max));
            Assert.That(RiskEvaluator.Score(level, many.Take(1)), Is.InRange(min, max));
        }

        [Test]
        public void ChangeLog_RoundTrips_AndSkipsLinesItCannotRead()
        {
            var text = ForecastChangeLog.Append("garbage line\n", new[] { new ForecastChange(Today, "PROBABILITY_CUT", RiskLevel.Medium, "Probability cut | from 60% to 30%.") });

            var parsed = ForecastChangeLog.Parse(text);

            Assert.That(parsed, Has.Count.EqualTo(1));
            Assert.That(parsed[0].Code, Is.EqualTo("PROBABILITY_CUT"));
            Assert.That(parsed[0].Level, Is.EqualTo(RiskLevel.Medium));
            Assert.That(parsed[0].Text, Is.EqualTo("Probability cut / from 60% to 30%."));
            Assert.That(parsed[0].On, Is.EqualTo(Today));
        }

        [Test]
        public void Policy_Problems_AreReportedInWords()
        {
            var policy = new RiskPolicy { MarginCriticalPercent = 30m, MarginWarningPercent = 20m };
            Assert.That(policy.Problems().Single(), Does.Contain("critical margin floor (30%) is above the warning floor (20%)"));
        }
    }
}
