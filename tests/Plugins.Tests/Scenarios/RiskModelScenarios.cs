using System;
using System.Linq;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;
using NUnit.Framework;

namespace DealRisk.Plugins.Tests.Scenarios
{
    /// <summary>
    /// The deals of issue 22, as a sales-operations lead tried them, saved through the registration that ships. Each
    /// test's comment works its figures out by hand; today is 2026-11-02 (<see cref="SalesOrg.Today"/>).
    /// </summary>
    public class RiskModelScenarios
    {
        private const int Developer = OptionSets.Prefix + 2;
        private SalesOrg _org = null!;

        [SetUp]
        public void SetUp() => _org = new SalesOrg();

        private void DeveloperCapacity(decimal hours, params int[] monthsFromJanuary2027)
        {
            foreach (var m in monthsFromJanuary2027)
                _org.Org.Seed(new Entity(Capacity.EntityName)
                {
                    [Capacity.Name] = "Developers", [Capacity.Role] = new OptionSetValue(Developer),
                    [Capacity.Month] = new DateTime(2027, 1, 1).AddMonths(m), [Capacity.Hours] = hours,
                });
        }

        private void NeedDevelopers(Guid deal, decimal hours) =>
            _org.RepService.Create(new Entity(Requirement.EntityName)
            {
                [Requirement.OpportunityId] = new EntityReference(Opportunity.EntityName, deal),
                [Requirement.Name] = "Integration build",
                [Requirement.Priority] = new OptionSetValue(OptionSets.PriorityValue(RequirementPriority.ShouldHave)),
                [Requirement.Fit] = new OptionSetValue(OptionSets.FitValue(RequirementFit.Standard)),
                [Requirement.EffortHours] = hours,
                [Requirement.Role] = new OptionSetValue(Developer),
                [Requirement.Quoted] = true,
            });

        private void Recalculate(Guid deal) =>
            _org.RepService.Update(new Entity(Opportunity.EntityName, deal) { [Opportunity.RiskRecalculationRequestedOn] = SalesOrg.Today });

        private string Reasons(Guid deal) => _org.Deal(deal).GetAttributeValue<string>(Opportunity.RiskReasons) ?? "";

        private Guid Policy(Action<Entity> set)
        {
            var row = new Entity(RiskPolicyTable.EntityName) { [RiskPolicyTable.Name] = "Default" };
            set(row);
            return _org.Org.GetOrganizationService().Create(row);
        }

        // 1. Other deals' unallocated demand.
        [Test]
        public void TwoUnallocatedDeals_NeedingTheSameDevelopers_AreEachOverCapacity()
        {
            // Developers: 100 h a month. Both deals close 2027-01-01 at 80 %, each needs 200 h, nobody allocated.
            // Delivery window 2027-01-01 .. 2027-04-01 (90 days): January holds 31/90 of it.
            // Own January hours: 200 × 31/90 = 68.9 h -> 68.9 % alone (Low: below the 85 % warning).
            // The other deal, weighted by 80 %: 160 × 31/90 = 55.1 h. Together (68.9 + 55.1) / 100 = 124 % -> High.
            DeveloperCapacity(100m, 0, 1, 2, 3);
            var first = _org.CreateDeal("First", closeInDays: 60, more: d => d[Opportunity.CloseProbability] = 80);
            NeedDevelopers(first, 200m);
            Assert.That(SalesOrg.Level(_org.Deal(first), Opportunity.ResourceRisk), Is.EqualTo(RiskLevel.Low), "alone it fits");
            Assert.That(_org.Deal(first).GetAttributeValue<decimal?>(Opportunity.PeakUtilisation), Is.EqualTo(68.9m));

            var second = _org.CreateDeal("Second", closeInDays: 60, more: d => d[Opportunity.CloseProbability] = 80);
            NeedDevelopers(second, 200m);
            Recalculate(first);

            foreach (var deal in new[] { first, second })
            {
                Assert.That(SalesOrg.Level(_org.Deal(deal), Opportunity.ResourceRisk), Is.EqualTo(RiskLevel.High));
                Assert.That(Reasons(deal), Does.Contain("Developer demand is 124% of capacity in Jan 2027, above the 100% limit (this deal 68.9 h, other deals 55.1 h, capacity 100 h)."));
            }
        }

        [Test]
        public void AllocatingTheOtherDeal_DoesNotCountItsHoursTwice()
        {
            // The second deal's 200 h are its demand whether or not someone is allocated: naming a developer for all of them
            // leaves the first deal's figure at 124 % (not 124 % + the allocation).
            DeveloperCapacity(100m, 0, 1, 2, 3);
            var first = _org.CreateDeal("First", closeInDays: 60, more: d => d[Opportunity.CloseProbability] = 80);
            NeedDevelopers(first, 200m);
            var second = _org.CreateDeal("Second", closeInDays: 60, more: d => d[Opportunity.CloseProbability] = 80);
            NeedDevelopers(second, 200m);
            _org.RepService.Create(new Entity(ResourceAllocation.EntityName)
            {
                [ResourceAllocation.OpportunityId] = new EntityReference(Opportunity.EntityName, second),
                [ResourceAllocation.Role] = new OptionSetValue(Developer), [ResourceAllocation.Hours] = 200m,
                [ResourceAllocation.UserId] = new EntityReference(SystemUser.EntityName, _org.Manager),
            });

            Recalculate(first);

            Assert.That(_org.Deal(first).GetAttributeValue<decimal?>(Opportunity.PeakUtilisation), Is.EqualTo(124m));
        }

        // 2. A gap in capacity data.
        [Test]
        public void ACapacityGap_IsReported_BesideTheOverloadOfTheMonthsWithCapacity()
        {
            // Developers have 100 h in January and February 2027 and no row for March. The deal closes 2027-01-01 and needs
            // 300 h over 90 days: January 300 × 31/90 = 103.3 h -> 103.3 % (High); March also 103.3 h, with no capacity.
            DeveloperCapacity(100m, 0, 1);
            var id = _org.CreateDeal(closeInDays: 60);
            NeedDevelopers(id, 300m);

            var reasons = Reasons(id);
            Assert.That(reasons, Does.Contain("Developer: no capacity is recorded for Mar 2027, yet the deal needs 103.3 h then."));
            Assert.That(reasons, Does.Contain("Developer demand is 103.3% of capacity in Jan 2027, above the 100% limit"));
            Assert.That(_org.Deal(id).GetAttributeValue<string>(Opportunity.RiskFindingCodes), Does.Contain("ROLE_NO_CAPACITY").And.Contain("ROLE_OVER_CAPACITY"));
        }

        // 3. Revenue net of tax and of the deal's discount.
        [Test]
        public void Margin_IsOnRevenueNetOfTax_AndOfTheOpportunitysDiscount()
        {
            // Dataverse: extendedamount = baseamount − manualdiscountamount − volumediscountamount + tax
            // (learn.microsoft.com/en-us/dynamics365/sales/developer/entities/opportunityproduct: baseamount, extendedamount,
            // tax; the emulator's PlatformCalculations computes it so). 10 licences at 600 = 6,000, tax 1,200: extended 7,200.
            // The opportunity takes 500 off (discountamount). Revenue = 7,200 − 1,200 − 500 = 5,500; cost 10 × 400 = 4,000;
            // commission 5 % × 5,500 = 275; margin 5,500 − 4,000 − 275 = 1,225 = 22.27 % -> below the 25 % target: High.
            // Counted as before (tax in, deal discount ignored): 7,200 − 4,000 − 360 = 2,840 = 39.4 %, Low.
            var id = _org.CreateDeal(more: d => d[Opportunity.DiscountAmount] = new Money(500m));
            _org.RepService.Create(new Entity(OpportunityProduct.EntityName)
            {
                [OpportunityProduct.OpportunityId] = new EntityReference(Opportunity.EntityName, id),
                [OpportunityProduct.ProductId] = new EntityReference(Product.EntityName, _org.Licence),
                [OpportunityProduct.Quantity] = 10m, ["priceperunit"] = new Money(600m), ["tax"] = new Money(1_200m),
            });

            var deal = _org.Deal(id);
            Assert.That(deal.GetAttributeValue<decimal?>(Opportunity.MarginPercent), Is.EqualTo(22.27m));
            Assert.That(deal.GetAttributeValue<Money>(Opportunity.MarginAmount).Value, Is.EqualTo(1_225m));
            Assert.That(SalesOrg.Level(deal, Opportunity.MarginRisk), Is.EqualTo(RiskLevel.High));
            Assert.That(Reasons(id), Does.Contain("Margin 22.3% is below the 25% target (product cost 4,000, commission 275)."));
        }

        [Test]
        public void ADiscountedLine_IsComparedNetOfTax()
        {
            // 10 licences at 1,000 = 10,000, 2,500 off (25 %), tax 1,500: extended 9,000. With the tax in, the discount read
            // (10,000 − 9,000) / 10,000 = 10 %; net of tax it is (10,000 − 7,500) / 10,000 = 25 %, above the 20 % maximum.
            var id = _org.CreateDeal();
            _org.RepService.Create(new Entity(OpportunityProduct.EntityName)
            {
                [OpportunityProduct.OpportunityId] = new EntityReference(Opportunity.EntityName, id),
                [OpportunityProduct.ProductId] = new EntityReference(Product.EntityName, _org.Licence),
                [OpportunityProduct.Quantity] = 10m, ["priceperunit"] = new Money(1_000m), ["manualdiscountamount"] = new Money(2_500m), ["tax"] = new Money(1_500m),
            });

            Assert.That(Reasons(id), Does.Contain("Product 'CRM Licence' is discounted 25%, above the 20% maximum."));
        }

        [Test]
        public void TheOpportunitysDiscountRate_ComesOffTheLines_AndCountsTowardTheMaximumDiscount()
        {
            // 10 licences at 1,000 = 10,000 with no line discount; the opportunity takes 25 % (discountpercentage):
            // revenue 7,500, cost 4,000, commission 375, margin 3,125 = 41.67 %; discounted 25 % in all, above 20 %.
            var id = _org.CreateDeal(more: d => d[Opportunity.DiscountPercentage] = 25m);
            _org.AddLine(id, _org.Licence, 10, 1_000m);

            var deal = _org.Deal(id);
            Assert.That(deal.GetAttributeValue<decimal?>(Opportunity.MarginPercent), Is.EqualTo(41.67m));
            Assert.That(Reasons(id), Does.Contain("The deal is discounted 25% in all (the lines' discounts and 2,500 off the opportunity), above the 20% maximum."));
        }

        // 4. Missing facts surface late in the sale.
        [Test]
        public void ADealWithNoProducts_AtProposeDaysBeforeClose_IsHigh_AndReachesTheManager()
        {
            // Propose (stage 2, the late stage) and closing in 10 days (within the 30 missing-facts days): both, so the
            // policy's late level, High. Before, the margin rested on the amount and the deal was Low.
            // (On the save that creates a deal, no lines is not yet a gap: lines can only be added once it exists.)
            var id = _org.CreateDeal(closeInDays: 10);
            Assert.That(SalesOrg.Level(_org.Deal(id), Opportunity.OverallRisk), Is.EqualTo(RiskLevel.Low), "just created, at Develop");

            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.SalesStage] = new OptionSetValue(2) });

            var deal = _org.Deal(id);
            Assert.That(SalesOrg.Level(deal, Opportunity.OverallRisk), Is.EqualTo(RiskLevel.High));
            Assert.That(Reasons(id), Does.Contain("High: Facts are missing at the Propose stage, 10 days before the close date: no product lines (product cost not counted)."));
            Assert.That(AlertRules.Decide(RiskLevel.High, false, null, RiskPolicy.Default().AlertLevel).Action, Is.EqualTo(AlertAction.Create), "the manager is alerted");
        }

        [Test]
        public void AnUnknownMargin_LateInTheSale_BecomesAFinding_ThatGrowsWithTheStageAndTheCloseDate()
        {
            // Premium support has no cost: the margin is Unknown. Develop, 60 days out: no finding (overall Unknown).
            // Develop, 20 days out: Medium. Close stage, 5 days out: High.
            var id = _org.CreateDeal(closeInDays: 60);
            _org.AddLine(id, _org.Support, 1, 10_000m);
            Assert.That(SalesOrg.Level(_org.Deal(id), Opportunity.OverallRisk), Is.EqualTo(RiskLevel.Unknown));

            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.EstimatedCloseDate] = SalesOrg.Today.Date.AddDays(20) });
            Assert.That(SalesOrg.Level(_org.Deal(id), Opportunity.OverallRisk), Is.EqualTo(RiskLevel.Medium));
            Assert.That(Reasons(id), Does.Contain("Facts are missing 20 days before the close date: no cost for 'Premium support'."));

            _org.RepService.Update(new Entity(Opportunity.EntityName, id)
            {
                [Opportunity.EstimatedCloseDate] = SalesOrg.Today.Date.AddDays(5), [Opportunity.SalesStage] = new OptionSetValue(3),
            });
            Assert.That(SalesOrg.Level(_org.Deal(id), Opportunity.OverallRisk), Is.EqualTo(RiskLevel.High));
        }

        [Test]
        public void ThePolicy_CanKeepLateMissingFacts_BelowTheAlertLevel()
        {
            Policy(p => p[RiskPolicyTable.MissingFactsLateLevel] = new OptionSetValue(OptionSets.RiskLevelValue(RiskLevel.Medium)));

            var id = _org.CreateDeal(closeInDays: 10);
            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.SalesStage] = new OptionSetValue(2) });

            Assert.That(SalesOrg.Level(_org.Deal(id), Opportunity.OverallRisk), Is.EqualTo(RiskLevel.Medium));
            Assert.That(AlertRules.Decide(RiskLevel.Medium, false, null, RiskPolicy.Default().AlertLevel).Action, Is.EqualTo(AlertAction.None));
        }

        // 5. Delivery cost of quoted work.
        [Test]
        public void WhenProductCostExcludesDelivery_QuotedDeliveryHoursCostTheHourlyRate()
        {
            // 2 implementation packs at 7,000 = 14,000; product cost 2 × 2,000 = 4,000; commission 700.
            // Delivery: 2 × 40 h × 95 (the policy's hourly cost) = 7,600. Margin 14,000 − 4,000 − 7,600 − 700 = 1,700
            // = 12.14 % -> below the 15 % floor: Critical. With cost including delivery (the default): 9,300 = 66.43 %.
            var policy = Policy(p => p[RiskPolicyTable.ProductCostIncludesDelivery] = false);
            var id = _org.CreateDeal();
            _org.AddLine(id, _org.ImplementationPack, 2, 7_000m);

            Assert.That(_org.Deal(id).GetAttributeValue<decimal?>(Opportunity.MarginPercent), Is.EqualTo(12.14m));
            Assert.That(Reasons(id), Does.Contain("Margin 12.1% is below the 15% floor (product cost 4,000, delivery 7,600, commission 700)."));

            _org.Org.GetOrganizationService().Update(new Entity(RiskPolicyTable.EntityName, policy) { [RiskPolicyTable.ProductCostIncludesDelivery] = true });
            Recalculate(id);
            Assert.That(_org.Deal(id).GetAttributeValue<decimal?>(Opportunity.MarginPercent), Is.EqualTo(66.43m));
        }

        // 6. Slips: length and quarter.
        [Test]
        public void ASixtyTwoDaySlip_IntoTheNextQuarter_IsHigh()
        {
            // 2026-12-02 (Q4 2026) to 2027-02-02 (Q1 2027): 62 days, more than the 30-day long slip, and out of the quarter.
            var id = _org.CreateDeal(closeInDays: 30);

            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.EstimatedCloseDate] = SalesOrg.Today.Date.AddDays(92) });

            Assert.That(SalesOrg.Level(_org.Deal(id), Opportunity.ForecastRisk), Is.EqualTo(RiskLevel.High));
            Assert.That(Reasons(id), Does.Contain("Close date moved from 2026-12-02 to 2027-02-02 (+62 days; slip 1; longer than 30 days; out of Q4 2026 into Q1 2027)."));
        }

        [Test]
        public void ALongSlip_InsideTheQuarter_IsMedium()
        {
            // 2027-01-03 to 2027-03-05: 61 days, both in Q1 2027: long, not a forecast miss.
            var id = _org.CreateDeal(closeInDays: 62);

            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.EstimatedCloseDate] = SalesOrg.Today.Date.AddDays(123) });

            Assert.That(SalesOrg.Level(_org.Deal(id), Opportunity.ForecastRisk), Is.EqualTo(RiskLevel.Medium));
        }
    }
}
