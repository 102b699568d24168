using System;
using System.Linq;
using DealRisk.Plugins.Schema;
using DealRisk.Plugins.Tests.Scenarios;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;
using NUnit.Framework;

namespace DealRisk.Plugins.Tests.Fixes
{
    /// <summary>
    /// Each kind of finding and the fix the suite writes beside it (dr_riskfixes), through the emulator's pipeline with the
    /// registration from Solution/. Built-in policy: margin target 25 %, floor 15 %, commission 5 %, maximum discount 20 %,
    /// unquoted effort 40 h / 160 h, late stage Propose, allocations due 30 days before close, a 90-day delivery window,
    /// utilisation warning 85 % / limit 100 %, a 30-day look-back. The sample org: today 2026-11-02, the licence costs 400, the
    /// implementation pack 2,000 (40 Consultant hours a unit), support has no cost, 320 Consultant hours a month Nov 2026-Oct 2027.
    /// </summary>
    public class FixScenarios
    {
        private SalesOrg _org = null!;

        [SetUp]
        public void SetUp() => _org = new SalesOrg();

        private string Fixes(Guid id) => _org.Deal(id).GetAttributeValue<string>(Opportunity.RiskFixes) ?? "";

        private string Codes(Guid id) => _org.Deal(id).GetAttributeValue<string>(Opportunity.RiskFindingCodes) ?? "";

        private string[] FixLines(Guid id) => Fixes(id).Split('\n');

        // A deal with no product lines also carries the note MARGIN_FROM_AMOUNT (Low, no fix).
        private string[] CodesBut(Guid id) => Codes(id).Split(',').Where(c => c != MarginCheck.MarginFromAmount).ToArray();

        [Test]
        public void MarginBelowTarget_TheFixIsThePriceThatReachesTheTarget_AndThatPriceClearsIt()
        {
            // 10 licences at 500: revenue 5,000, cost 4,000, commission 250, margin 750 = 15 % (at the floor, below the target).
            // Prices × k: margin % = 0.95 - 0.8 / k >= 0.25 when k >= 1.142857: +14.3 % in tenths (at +14.2 % it is 24.95 %).
            var id = _org.CreateDeal();
            var line = _org.AddLine(id, _org.Licence, 10, 500m);
            Assert.That(CodesBut(id), Is.EqualTo(new[] { "MARGIN_BELOW_TARGET" }));
            Assert.That(Fixes(id), Is.EqualTo("High: Raise the prices by 14.3% (the lines 5,000 to 5,715) to reach the 25% target."));

            _org.RepService.Update(new Entity(OpportunityProduct.EntityName, line) { ["priceperunit"] = new Money(571.5m) });

            Assert.That(Codes(id), Does.Not.Contain("MARGIN_BELOW"), "the price the fix named clears the finding");
            Assert.That(Fixes(id), Is.Empty);
        }

        [Test]
        public void MarginBelowTarget_OnATaxedLine_ThePricesShowTheRevenueAsTheMarginCountsIt()
        {
            // 10 licences at 500 with 1,000 tax: extendedamount 6,000, but the revenue is 5,000 (net of tax), so the margin and
            // the raise are those of the untaxed deal: +14.3 %, the lines 5,000 to 5,715 (not the 6,000 the customer pays).
            var id = _org.CreateDeal();
            _org.RepService.Create(new Entity(OpportunityProduct.EntityName)
            {
                [OpportunityProduct.OpportunityId] = new EntityReference(Opportunity.EntityName, id),
                [OpportunityProduct.ProductId] = new EntityReference(Product.EntityName, _org.Licence),
                [OpportunityProduct.Quantity] = 10m, ["priceperunit"] = new Money(500m), ["tax"] = new Money(1_000m),
            });
            Assert.That(CodesBut(id), Is.EqualTo(new[] { "MARGIN_BELOW_TARGET" }));
            Assert.That(Fixes(id), Is.EqualTo("High: Raise the prices by 14.3% (the lines 5,000 to 5,715) to reach the 25% target."));
        }

        [Test]
        public void MarginBelowFloor_TheFixGivesThePriceForTheTargetAndForTheFloor_AndSaysNoDiscountCutReachesTheTarget()
        {
            // 10 licences at 500 less 1,000: revenue 4,000, cost 4,000, commission 200: margin -5 %, below the floor.
            // Target: 0.95 - 1 / k >= 0.25, k >= 1.428571: +42.9 % (4,000 to 5,716). Floor: 0.95 - 1 / k >= 0.15, k = 1.25 exactly:
            // +25 % (to 5,000, margin 15.0 %, not below 15). With no discount the lines are 5,000: margin 750 = 15 %, short of 25 %.
            var id = _org.CreateDeal();
            _org.AddLine(id, _org.Licence, 10, 500m, discount: 1_000m);
            var fixes = Fixes(id);
            Assert.That(CodesBut(id), Is.EqualTo(new[] { "MARGIN_BELOW_FLOOR" }));
            Assert.That(fixes, Does.StartWith("Critical: Raise the prices by 42.9% (the lines 4,000 to 5,716) to reach the 25% target."));
            Assert.That(fixes, Does.Contain("No cut of the discounts alone reaches it (with none the margin is 15%)."));
            Assert.That(fixes, Does.Contain("Raise the prices by 25% (the lines 4,000 to 5,000) or no discount clear the 15% floor (the margin is then High risk)."));
        }

        [Test]
        public void DiscountAboveMaximum_TheFixIsTheDiscountAtTheMaximum()
        {
            // 10 licences at 1,000 less 3,000: a 30 % discount; at most 20 % is allowed: net 8,000.
            var id = _org.CreateDeal();
            _org.AddLine(id, _org.Licence, 10, 1_000m, discount: 3_000m);
            Assert.That(CodesBut(id), Is.EqualTo(new[] { "DISCOUNT_ABOVE_MAX" }));
            Assert.That(Fixes(id), Is.EqualTo("Medium: Cut the discount on 'CRM Licence' to at most 20% (net 8,000)."));
        }

        [Test]
        public void CostUnknown_TheFixIsTheHighestUnitCostThatKeepsTheTarget()
        {
            // 1 support at 10,000, no cost recorded: margin 10,000 - c - 500 >= 2,500 when c <= 7,000 (at 7,000.01: 24.9999 %).
            var id = _org.CreateDeal();
            _org.AddLine(id, _org.Support, 1, 10_000m);
            Assert.That(CodesBut(id), Is.EqualTo(new[] { "MARGIN_COST_UNKNOWN" }));
            Assert.That(Fixes(id), Is.EqualTo("Unknown: Record the cost of 'Premium support': costing up to 7,000 a unit the margin reaches the 25% target."));
        }

        [Test]
        public void NoRevenue_TheFixIsTheEstimatedRevenueThatCoversTheCostOfSale()
        {
            // No lines, no amount, cost of sale 1,500: A - 1,500 - 0.05 A >= 0.25 A when A >= 2,142.86: 2,143 (2,142 gives 24.97 %).
            var id = _org.CreateDeal(amount: 0m, more: d => d[Opportunity.EstimatedCostOfSale] = new Money(1_500m));
            Assert.That(CodesBut(id), Is.EqualTo(new[] { "MARGIN_NO_REVENUE" }));
            Assert.That(Fixes(id), Is.EqualTo("Unknown: Enter the estimated revenue: at least 2,143 reaches the 25% target."));
        }

        [Test]
        public void NegativeCostOfSale_TheFixIsToCorrectIt()
        {
            var id = _org.CreateDeal(more: d => d[Opportunity.EstimatedCostOfSale] = new Money(-500m));
            Assert.That(Codes(id), Does.Contain("COST_OF_SALE_NEGATIVE"));
            Assert.That(Fixes(id), Is.EqualTo("Low: Correct the estimated cost of sale: 0 or more (0 when there is none)."));
        }

        [Test]
        public void UnquotedEffort_TheFixIsTheHoursToQuote_ToClearIt_AndToLowerIt()
        {
            // 200 h unquoted (High above 160 h, Medium above 40 h): quoting 160 h leaves 40 h (clear), 40 h leaves 160 h (Medium).
            // A deal of 1,000,000, so the 19,000 of unquoted cost is no margin drop of 10 points.
            var id = _org.CreateDeal(amount: 1_000_000m);
            _org.AddRequirement(id, "Custom reports", RequirementPriority.ShouldHave, RequirementFit.Configuration, hours: 200m);
            Assert.That(CodesBut(id), Is.EqualTo(new[] { "UNQUOTED_EFFORT" }));
            Assert.That(Fixes(id), Is.EqualTo("High: Quote (or drop) at least 160 h of the 200 h unquoted effort, largest first ('Custom reports' 200 h), to clear it; 40 h brings it to Medium."));
        }

        [Test]
        public void EffortNotEstimated_TheFixIsTheEstimateThatKeepsTheFitRisk()
        {
            // Unestimated configuration: Medium. An estimate up to 160 h is not above the 160 h limit (Medium, as now).
            var id = _org.CreateDeal();
            _org.AddRequirement(id, "Data migration", RequirementPriority.ShouldHave, RequirementFit.Configuration);
            Assert.That(CodesBut(id), Is.EqualTo(new[] { "EFFORT_NOT_ESTIMATED" }));
            Assert.That(Fixes(id), Is.EqualTo("Medium: Estimate the effort of 'Data migration': up to 160 h unquoted keeps the fit risk where it is; more than that, quote it."));
        }

        [TestCase(RequirementPriority.MustHave, "MUST_HAVE_NOT_SUPPORTED", "Critical: Reassess 'Offline inspections' with the customer: as a nice-to-have it no longer counts (as a should-have it is Medium); or agree a configuration or customisation that delivers it, and quote it.")]
        [TestCase(RequirementPriority.ShouldHave, "SHOULD_HAVE_NOT_SUPPORTED", "Medium: Reassess 'Offline inspections' with the customer: as a nice-to-have it no longer counts; or agree a configuration or customisation that delivers it, and quote it.")]
        public void RequirementNotSupported_TheFixIsTheRequirementToReassess(RequirementPriority priority, string code, string fix)
        {
            var id = _org.CreateDeal();
            _org.AddRequirement(id, "Offline inspections", priority, RequirementFit.NotSupported);
            Assert.That(CodesBut(id), Is.EqualTo(new[] { code }));
            Assert.That(Fixes(id), Is.EqualTo(fix));
        }

        [Test]
        public void MustHaveUnassessedLate_TheFixNamesTheRequirementsToAssess()
        {
            // A licence line, so the late deal is not also missing its products (FACTS_MISSING, issue 22).
            var id = _org.CreateDeal(more: d => d[Opportunity.SalesStage] = new OptionSetValue(2));
            _org.AddLine(id, _org.Licence, 1, 1_000m);
            _org.AddRequirement(id, "Single sign-on", RequirementPriority.MustHave, RequirementFit.Unknown);
            Assert.That(CodesBut(id), Is.EqualTo(new[] { "MUST_HAVE_UNASSESSED_LATE" }));
            Assert.That(Fixes(id), Is.EqualTo("High: Assess the fit of 'Single sign-on' (each one left unknown keeps this finding)."));
        }

        [Test]
        public void RoleNotAllocated_TheFixIsTheHoursLeftToAllocate_AndAllocatingThemClearsIt()
        {
            // 2 implementation packs: 80 Consultant hours, closing in 20 days (allocations due within 30); 30 h named: 50 h left.
            var id = _org.CreateDeal(closeInDays: 20);
            _org.AddLine(id, _org.ImplementationPack, 2, 5_000m);
            _org.Allocate(id, 30m, _org.Rep);
            Assert.That(CodesBut(id), Is.EqualTo(new[] { "ROLE_NOT_ALLOCATED" }));
            Assert.That(Fixes(id), Is.EqualTo("High: Allocate 50 h of Consultant to a named person or team."));

            _org.Allocate(id, 50m, _org.Manager);

            Assert.That(Codes(id), Is.Empty, "the hours the fix named clear the finding");
        }

        [Test]
        public void RoleOverCapacity_TheFixIsTheCapacityToFindPerMonth()
        {
            // 30 packs: 1,200 h over 2027-01-01..04-01 (90 days): Jan 413.3 h, Feb 373.3 h, Mar 413.3 h against 320 h (129.2 %).
            // At most 85 % (shown to one place): Jan 413.3 / (320 + c) <= 85.05 % when c >= 166.0 h (165.9 h shows 85.1 %);
            // Feb 373.3 / (320 + c) when c >= 119.0 h; Mar as Jan. No close date within a year fits 1,200 h in 320 h a month.
            var id = _org.CreateDeal(closeInDays: 60);
            _org.AddLine(id, _org.ImplementationPack, 30, 5_000m);
            Assert.That(CodesBut(id), Is.EqualTo(new[] { "ROLE_OVER_CAPACITY" }));
            Assert.That(Fixes(id), Is.EqualTo("High: Find more Consultant capacity: 166 h in Jan 2027, 119 h in Feb 2027, 166 h in Mar 2027 (or move as much of the work out of those months)."));
        }

        [Test]
        public void RoleWithNoCapacity_TheFixIsTheCapacityToRecordPerMonth()
        {
            // Closing 2027-12-01, past the recorded capacity: 40 h over Dec 2027-Feb 2028 (90 days): 13.8, 13.8 and 12.4 h.
            // Capacity to hold them at 85 %: 13.8 / c <= 85.05 % when c >= 16.3 h; 12.4 / c when c >= 14.6 h.
            var id = _org.CreateDeal(closeInDays: (new DateTime(2027, 12, 1) - SalesOrg.Today.Date).Days);
            _org.AddLine(id, _org.ImplementationPack, 1, 5_000m);
            Assert.That(CodesBut(id), Is.EqualTo(new[] { "ROLE_NO_CAPACITY" }));
            Assert.That(Fixes(id), Is.EqualTo("High: Find more Consultant capacity: 16.3 h in Dec 2027, 16.3 h in Jan 2028, 14.6 h in Feb 2028 (or move as much of the work out of those months)."));
        }

        [Test]
        public void NoCloseDate_TheFixIsTheFirstCloseDateAtWhichDeliveryFits()
        {
            // 40 Consultant hours: a close date 30 days away or nearer needs them allocated; 31 days away (2026-12-03) does not.
            var id = _org.CreateDeal(more: d => d[Opportunity.EstimatedCloseDate] = null);
            _org.AddLine(id, _org.ImplementationPack, 1, 5_000m);
            Assert.That(CodesBut(id), Is.EqualTo(new[] { "NO_CLOSE_DATE" }));
            Assert.That(Fixes(id), Is.EqualTo("Unknown: Set the estimated close date: from 2026-12-03 the delivery fits the capacity and allocations."));
        }

        [Test]
        public void ProbabilityCut_TheFixSaysWhenTheRecordedChangeStopsCounting()
        {
            // Cut on 2026-11-02; the 30-day look-back counts changes on or after today - 30: it stops counting on 2026-12-03.
            var id = _org.CreateDeal();
            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.CloseProbability] = 30 });
            Assert.That(CodesBut(id), Is.EqualTo(new[] { "PROBABILITY_CUT" }));
            Assert.That(Fixes(id), Is.EqualTo("Medium: Nothing to change on the deal: a recorded change, it stops counting on 2026-12-03 (the 30-day look-back) if nothing else changes."));
        }

        [Test]
        public void ThirdSlip_NothingSingleClearsIt_AndTheFixSaysSo()
        {
            var id = _org.CreateDeal(closeInDays: 60);
            foreach (var days in new[] { 70, 80, 90 })
                _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.EstimatedCloseDate] = SalesOrg.Today.Date.AddDays(days) });
            Assert.That(CodesBut(id), Is.EqualTo(new[] { "CLOSE_DATE_SLIPPED" }));
            // Slips 1, 2 and 3 recorded today (Low, Medium, High); in 31 days they leave the look-back, but three slips stay
            // counted for the life of the deal (High from the third): nothing clears any of them.
            const string Never = "Nothing single clears it: close-date slips count for the life of the deal; hold the close date so it does not rise.";
            Assert.That(FixLines(id), Is.EqualTo(new[] { "High: " + Never, "Medium: " + Never, "Low: " + Never }));
        }

        [Test]
        public void FactsMissing_TheFixNamesTheFactsToAdd_AndAddingThemClearsIt()
        {
            // At Propose (the late stage), 60 days from the close: no product lines is Medium (late, not near). The save that
            // creates a deal has no lines to expect yet; the next save does.
            var id = _org.CreateDeal(more: d => d[Opportunity.SalesStage] = new OptionSetValue(2));
            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.CloseProbability] = 65 });
            Assert.That(CodesBut(id), Is.EqualTo(new[] { MissingFactsCheck.Code }));
            Assert.That(Fixes(id), Is.EqualTo("Medium: Add the product lines the customer is buying."));

            _org.AddLine(id, _org.Licence, 200, 1_000m);

            Assert.That(Codes(id), Does.Not.Contain(MissingFactsCheck.Code), "the lines the fix named clear the finding");
        }

        [Test]
        public void FactsMissing_ALineWithoutCost_TheFixNamesTheProductWhoseCostToRecord()
        {
            // Propose, closing in 20 days (within the 30 missing-facts days): late and near, the policy's late level High.
            var id = _org.CreateDeal(closeInDays: 20, more: d => d[Opportunity.SalesStage] = new OptionSetValue(2));
            _org.AddLine(id, _org.Support, 1, 10_000m);
            Assert.That(Codes(id), Does.Contain(MissingFactsCheck.Code));
            Assert.That(FixLines(id), Does.Contain("High: Record the cost of 'Premium support'."));
        }

        [Test]
        public void CloseDatePassed_NoActivity_Stalled_EachFixNamesItsChange_AndMakingThemClearsThem()
        {
            // Created 2026-11-02 in Develop, closing 2027-01-01; saved on 2027-01-02 (61 days on): the close date passed a
            // day ago; no activity for 61 days (> 2 x 21: High); 61 days in Develop (> the policy's 45: Medium).
            var id = _org.CreateDeal(closeInDays: 60);
            _org.AddLine(id, _org.Licence, 200, 1_000m);
            _org.Org.UtcNow = SalesOrg.Today.AddDays(61);
            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.CloseProbability] = 55 });
            Assert.That(CodesBut(id), Is.SupersetOf(new[] { MomentumCheck.CloseDatePassed, MomentumCheck.NoCustomerActivity, MomentumCheck.StageStalled }));
            var fixes = FixLines(id);
            Assert.That(fixes, Does.Contain("High: Set the close date the customer now expects (from 2027-01-03), or close the deal as won or lost."));
            Assert.That(fixes, Does.Contain("High: Log a completed call, meeting or email with the customer regarding the deal."));
            Assert.That(fixes, Does.Contain("Medium: Move the deal on to Propose once it is ready (the stage clock starts again); waiting only lengthens the stall."));

            _org.Org.Seed(new Entity(PhoneCall.EntityName)
            {
                ["subject"] = "Renewal call", [PhoneCall.RegardingObjectId] = new EntityReference(Opportunity.EntityName, id),
                [PhoneCall.ActualEnd] = _org.Org.UtcNow, ["statecode"] = new OptionSetValue(ActivityState.Completed), ["statuscode"] = new OptionSetValue(2),
            });
            _org.RepService.Update(new Entity(Opportunity.EntityName, id)
            {
                [Opportunity.EstimatedCloseDate] = new DateTime(2027, 1, 3), [Opportunity.SalesStage] = new OptionSetValue(2),
            });

            Assert.That(Codes(id), Does.Not.Contain(MomentumCheck.CloseDatePassed).And.Not.Contain(MomentumCheck.NoCustomerActivity).And.Not.Contain(MomentumCheck.StageStalled),
                "the date, the call and the stage the fixes named clear the findings");
        }

        [Test]
        public void StalledInTheLastStage_TheFixSaysOnlyClosingTheDealClearsIt()
        {
            // In Close (the last stage) 22 days: longer than the policy's 21 days; there is no stage to move on to.
            var id = _org.CreateDeal(closeInDays: 60, more: d => d[Opportunity.SalesStage] = new OptionSetValue(3));
            _org.AddLine(id, _org.Licence, 200, 1_000m);
            _org.Org.UtcNow = SalesOrg.Today.AddDays(22);
            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.CloseProbability] = 80 });
            Assert.That(Codes(id), Does.Contain(MomentumCheck.StageStalled));
            Assert.That(FixLines(id), Does.Contain("Medium: Nothing on the deal clears it but closing it as won or lost: Close is the last stage, and each day in it adds to the stall."));
        }

        [Test]
        public void StageGateMissing_TheFixNamesTheStepsAsTheProcessBarShowsThem_AndFillingThemClearsIt()
        {
            _org.Org.Seed(new Entity(RiskPolicyTable.EntityName) { [RiskPolicyTable.Name] = "Default", [RiskPolicyTable.StageGates] = "Develop: DecisionMaker, Budget" });
            var id = _org.CreateDeal(processFollowed: false);
            _org.AddLine(id, _org.Licence, 200, 1_000m);
            Assert.That(CodesBut(id), Is.EqualTo(new[] { StageGateCheck.GateMissing }));
            Assert.That(Fixes(id), Is.EqualTo(
                "Medium: In the sales process bar on the opportunity, complete 'Identify Decision Maker' and 'Estimated Budget' (an amount above 0) in Qualify: the process requires them by Develop."));

            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [OpportunitySalesProcess.DecisionMaker] = true, [OpportunitySalesProcess.BudgetAmount] = new Money(80_000m) });

            Assert.That(Codes(id), Does.Not.Contain(StageGateCheck.GateMissing));
        }

        [Test]
        public void DealDiscountAboveMaximum_TheFixIsTheOpportunityDiscountAtTheMaximum_AndThatDiscountClearsIt()
        {
            // 10 licences at 1,000: revenue 10,000; 2,500 off the opportunity is 25 % in all, above the 20 % maximum.
            // At most 20 % of 10,000 = 2,000 (not above); 2,000.01 is 20.0001 %, above.
            var id = _org.CreateDeal(more: d => d[Opportunity.DiscountAmount] = new Money(2_500m));
            _org.AddLine(id, _org.Licence, 10, 1_000m);
            Assert.That(CodesBut(id), Is.EqualTo(new[] { "DEAL_DISCOUNT_ABOVE_MAX" }));
            Assert.That(Fixes(id), Is.EqualTo("Medium: Cut the opportunity's discount to at most 2,000 (now 2,500)."));

            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.DiscountAmount] = new Money(2_000m) });

            Assert.That(Codes(id), Does.Not.Contain("DEAL_DISCOUNT_ABOVE_MAX"));
        }

        [Test]
        public void DealDiscountAboveMaximum_GivenAsARate_TheFixIsTheRateAtTheMaximum()
        {
            // 10 licences at 1,000 with 25 % off the opportunity: 25 % in all, above 20 %; a rate of 20 % is not above it.
            var id = _org.CreateDeal(more: d => d[Opportunity.DiscountPercentage] = 25m);
            _org.AddLine(id, _org.Licence, 10, 1_000m);
            Assert.That(CodesBut(id), Is.EqualTo(new[] { "DEAL_DISCOUNT_ABOVE_MAX" }));
            Assert.That(Fixes(id), Is.EqualTo("Medium: Cut the opportunity's discount to at most 20% (now 25%)."));
        }

        [Test]
        public void Fixes_AreWrittenByTheSuite_ARepsValueIsOverwritten()
        {
            var id = _org.CreateDeal();
            _org.AddLine(id, _org.Licence, 10, 500m);

            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.RiskFixes] = "Nothing to do." });

            Assert.That(Fixes(id), Is.EqualTo("High: Raise the prices by 14.3% (the lines 5,000 to 5,715) to reach the 25% target."));
        }

        [Test]
        public void Fixes_CostNoServiceCall_TheEvaluationReadsWhatItReadWithoutThem()
        {
            // Every kind of finding the pipeline can carry at once (margin, discount, unquoted effort, must-have, allocation,
            // capacity): the fixes are searched from the facts already read, so the evaluation makes the reads of a deal with delivery demand (CallCountScenarios), no more.
            var id = _org.CreateDeal(closeInDays: 20);
            _org.AddLine(id, _org.ImplementationPack, 30, 1_000m, discount: 10_000m);
            _org.AddRequirement(id, "Custom reports", RequirementPriority.ShouldHave, RequirementFit.Customisation, hours: 200m);
            _org.AddRequirement(id, "Offline inspections", RequirementPriority.MustHave, RequirementFit.NotSupported);

            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.CloseProbability] = 55 });

            var evaluation = _org.Org.Executions.Last(e => e.PluginType == typeof(OpportunityRiskPlugin));
            Assert.That(evaluation.Calls.ToString(), Is.EqualTo("CreateMultiple=1, RetrieveMultiple=8"), "and the ledger posting of the new probability");
            var fixes = Fixes(id).Split('\n');
            var codes = Codes(id).Split(',');
            Assert.That(codes, Is.SupersetOf(new[] { "MARGIN_BELOW_FLOOR", "DISCOUNT_ABOVE_MAX", "UNQUOTED_EFFORT", "MUST_HAVE_NOT_SUPPORTED", "ROLE_NOT_ALLOCATED", "ROLE_OVER_CAPACITY" }));
            Assert.That(fixes, Has.Length.GreaterThanOrEqualTo(6), "a fix for each finding");
        }
    }
}
