using System;
using System.Linq;
using System.ServiceModel;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;
using NUnit.Framework;

namespace DealRisk.Plugins.Tests.Scenarios
{
    /// <summary>The risk plugins through the emulator's pipeline, with the step registrations from Solution/.</summary>
    public class OpportunityRiskScenarios
    {
        private SalesOrg _org = null!;

        [SetUp]
        public void SetUp() => _org = new SalesOrg();

        [Test]
        public void Create_HealthyDeal_WritesALowVerdictWithTheBuiltInPolicy()
        {
            var id = _org.CreateDeal(amount: 100_000m);

            var deal = _org.Deal(id);
            Assert.Multiple(() =>
            {
                Assert.That(SalesOrg.Level(deal, Opportunity.OverallRisk), Is.EqualTo(RiskLevel.Low));
                Assert.That(deal.GetAttributeValue<int>(Opportunity.RiskScore), Is.LessThan(10));
                Assert.That(deal.GetAttributeValue<decimal?>(Opportunity.MarginPercent), Is.EqualTo(95m));
                Assert.That(deal.GetAttributeValue<Money>(Opportunity.MarginAmount).Value, Is.EqualTo(95_000m));
                Assert.That(deal.GetAttributeValue<string>(Opportunity.RiskReasons),
                    Is.EqualTo("Low: Margin is estimated from the opportunity's amount: the deal has no product lines yet, so product cost is not counted."));
                Assert.That(deal.GetAttributeValue<DateTime>(Opportunity.RiskEvaluatedOn), Is.EqualTo(SalesOrg.Today));
                Assert.That(deal.GetAttributeValue<string>(Opportunity.RiskPolicyUsed), Is.EqualTo(RiskPolicy.BuiltInSource));
            });
            Assert.That(_org.Org.Executions.First().Trace, Does.Contain("No active risk policy found: the built-in defaults apply."));
        }

        [Test]
        public void CreateMultiple_OfManyDeals_JudgesEveryOne()
        {
            var targets = new EntityCollection(Enumerable.Range(1, 25).Select(i => new Entity(Opportunity.EntityName)
            {
                [Opportunity.Name] = "Bulk deal " + i,
                [Opportunity.EstimatedValue] = new Money(i % 5 == 0 ? 0m : 50_000m),
                [Opportunity.EstimatedCloseDate] = SalesOrg.Today.Date.AddDays(60),
            }).ToList()) { EntityName = Opportunity.EntityName };

            var ids = (Guid[])_org.RepService.Execute(new OrganizationRequest("CreateMultiple") { ["Targets"] = targets })["Ids"];

            Assert.That(ids, Has.Length.EqualTo(25));
            var deals = ids.Select(_org.Deal).ToList();
            Assert.That(deals.All(d => d.GetAttributeValue<OptionSetValue>(Opportunity.OverallRisk) != null), Is.True, "every deal has a verdict");
            Assert.That(deals.Count(d => SalesOrg.Level(d, Opportunity.MarginRisk) == RiskLevel.Unknown), Is.EqualTo(5), "the five without revenue");
        }

        [Test]
        public void UpdateMultiple_SlippingManyCloseDates_RecordsEachSlip()
        {
            var ids = Enumerable.Range(1, 10).Select(i => _org.CreateDeal("Deal " + i)).ToList();
            var targets = new EntityCollection(ids.Select(id => new Entity(Opportunity.EntityName, id)
            {
                [Opportunity.EstimatedCloseDate] = SalesOrg.Today.Date.AddDays(90),
            }).ToList()) { EntityName = Opportunity.EntityName };

            _org.RepService.Execute(new OrganizationRequest("UpdateMultiple") { ["Targets"] = targets });

            Assert.That(ids.Select(id => _org.Deal(id).GetAttributeValue<int?>(Opportunity.CloseDateSlipCount)), Is.All.EqualTo(1));
            Assert.That(ids.Select(id => _org.Deal(id).GetAttributeValue<string>(Opportunity.ForecastChangeLog)), Is.All.Contains("CLOSE_DATE_SLIPPED"));
        }

        [Test]
        public void AddLine_FirstProducts_AreNotAMarginDrop()
        {
            var id = _org.CreateDeal(amount: 100_000m);

            _org.AddLine(id, _org.Licence, 100, 1_000m);

            var deal = _org.Deal(id);
            Assert.That(deal.GetAttributeValue<decimal?>(Opportunity.MarginPercent), Is.LessThan(95m), "product cost now counts");
            Assert.That(deal.GetAttributeValue<string>(Opportunity.ForecastChangeLog) ?? "", Does.Not.Contain("MARGIN_DROPPED"));
        }

        [Test]
        public void UpdateLine_WhenTheDiscountDeepens_ReEvaluatesAndRecordsTheMarginDrop()
        {
            var id = _org.CreateDeal();
            var line = _org.AddLine(id, _org.Licence, 100, 1_000m);
            var before = _org.Deal(id).GetAttributeValue<decimal?>(Opportunity.MarginPercent);

            _org.RepService.Update(new Entity(OpportunityProduct.EntityName, line) { ["manualdiscountamount"] = new Money(30_000m) });

            var deal = _org.Deal(id);
            Assert.That(deal.GetAttributeValue<decimal?>(Opportunity.MarginPercent), Is.LessThan(before! - 10m));
            Assert.That(deal.GetAttributeValue<string>(Opportunity.ForecastChangeLog), Does.Contain("MARGIN_DROPPED"));
            Assert.That(deal.GetAttributeValue<string>(Opportunity.RiskFindingCodes), Does.Contain("DISCOUNT_ABOVE_MAX").Or.Contain("MARGIN_"));
        }

        [Test]
        public void AddLine_WithThinMargin_MakesTheDealCritical()
        {
            var id = _org.CreateDeal();

            _org.AddLine(id, _org.Licence, 100, 500m, discount: 2_000m);

            var deal = _org.Deal(id);
            Assert.That(SalesOrg.Level(deal, Opportunity.MarginRisk), Is.EqualTo(RiskLevel.Critical));
            Assert.That(deal.GetAttributeValue<string>(Opportunity.RiskReasons),
                Does.StartWith("Critical: Margin 11.7% is below the 15% floor (product cost 40,000, commission 2,400)."));
        }

        [Test]
        public void RemovingTheLine_ReEvaluatesTheDeal()
        {
            var id = _org.CreateDeal();
            var line = _org.AddLine(id, _org.Licence, 100, 480m);
            Assert.That(SalesOrg.Level(_org.Deal(id), Opportunity.MarginRisk), Is.EqualTo(RiskLevel.Critical));

            _org.RepService.Delete(OpportunityProduct.EntityName, line);

            Assert.That(SalesOrg.Level(_org.Deal(id), Opportunity.MarginRisk), Is.EqualTo(RiskLevel.Low));
        }

        [Test]
        public void Line_ForAProductWithoutCost_MakesMarginUnknownNamingTheProduct()
        {
            var id = _org.CreateDeal();
            _org.AddLine(id, _org.Licence, 10, 1_000m);

            _org.AddLine(id, _org.Support, 1, 5_000m);

            var deal = _org.Deal(id);
            Assert.That(SalesOrg.Level(deal, Opportunity.MarginRisk), Is.EqualTo(RiskLevel.Unknown));
            Assert.That(deal.GetAttributeValue<string>(Opportunity.RiskReasons), Does.Contain("product 'Premium support' has no cost recorded"));
            Assert.That(deal.GetAttributeValue<decimal?>(Opportunity.MarginPercent), Is.Null);
        }

        [Test]
        public void Line_ForADeletedProduct_MakesMarginUnknown()
        {
            var id = _org.CreateDeal();
            _org.AddLine(id, _org.Licence, 10, 1_000m);

            _org.Org.GetOrganizationService().Delete(Product.EntityName, _org.Licence);
            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.CloseProbability] = 70 });

            Assert.That(_org.Deal(id).GetAttributeValue<string>(Opportunity.RiskReasons), Does.Contain("no longer exists"));
        }

        [Test]
        public void Requirement_MustHaveNotSupported_IsCritical()
        {
            var id = _org.CreateDeal();

            _org.AddRequirement(id, "SAP integration", RequirementPriority.MustHave, RequirementFit.NotSupported);

            var deal = _org.Deal(id);
            Assert.That(SalesOrg.Level(deal, Opportunity.FitRisk), Is.EqualTo(RiskLevel.Critical));
            Assert.That(SalesOrg.Level(deal, Opportunity.OverallRisk), Is.EqualTo(RiskLevel.Critical));
            Assert.That(deal.GetAttributeValue<int>(Opportunity.RiskScore), Is.InRange(75, 100));
            Assert.That(deal.GetAttributeValue<string>(Opportunity.RiskReasons), Does.StartWith("Critical: Must-have 'SAP integration' is not supported."));
        }

        [Test]
        public void Requirement_UnquotedCustomisation_IsCountedInHoursCostAndMargin()
        {
            var id = _org.CreateDeal(amount: 100_000m);

            _org.AddRequirement(id, "Custom portal", RequirementPriority.MustHave, RequirementFit.Customisation, hours: 200m);

            var deal = _org.Deal(id);
            Assert.That(deal.GetAttributeValue<decimal>(Opportunity.UnquotedEffortHours), Is.EqualTo(200m));
            Assert.That(deal.GetAttributeValue<Money>(Opportunity.UnquotedEffortCost).Value, Is.EqualTo(19_000m));
            Assert.That(deal.GetAttributeValue<Money>(Opportunity.MarginAmount).Value, Is.EqualTo(100_000m - 5_000m - 19_000m));
            Assert.That(SalesOrg.Level(deal, Opportunity.FitRisk), Is.EqualTo(RiskLevel.High));
        }

        [Test]
        public void Deal_ClosingSoonWithUnallocatedConsultants_IsAResourceRisk_UntilSomeoneIsNamed()
        {
            var id = _org.CreateDeal(closeInDays: 14);
            _org.AddLine(id, _org.ImplementationPack, 2, 5_000m);
            Assert.That(SalesOrg.Level(_org.Deal(id), Opportunity.ResourceRisk), Is.EqualTo(RiskLevel.High));
            Assert.That(_org.Deal(id).GetAttributeValue<string>(Opportunity.RiskReasons),
                Does.Contain("Consultant: 80 h of 80 h not allocated to a named person or team; the deal closes in 14 days"));

            _org.Allocate(id, 80m, person: _org.Manager);

            Assert.That(SalesOrg.Level(_org.Deal(id), Opportunity.ResourceRisk), Is.EqualTo(RiskLevel.Low));
        }

        [Test]
        public void Update_WhenCloseDateSlips_RaisesForecastRiskAndRecordsTheSlip()
        {
            // Two short slips inside the first quarter of 2027 (2027-01-03 to 01-23 to 02-12): judged by their count.
            var id = _org.CreateDeal(closeInDays: 62);

            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.EstimatedCloseDate] = SalesOrg.Today.Date.AddDays(82) });
            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.EstimatedCloseDate] = SalesOrg.Today.Date.AddDays(102) });

            var deal = _org.Deal(id);
            Assert.That(deal.GetAttributeValue<int>(Opportunity.CloseDateSlipCount), Is.EqualTo(2));
            Assert.That(deal.GetAttributeValue<int>(Opportunity.CloseDateSlipDays), Is.EqualTo(40));
            Assert.That(SalesOrg.Level(deal, Opportunity.ForecastRisk), Is.EqualTo(RiskLevel.Medium));
            var log = ForecastChangeLog.Parse(deal.GetAttributeValue<string>(Opportunity.ForecastChangeLog));
            Assert.That(log.Select(c => c.Code), Is.EqualTo(new[] { "CLOSE_DATE_SLIPPED", "CLOSE_DATE_SLIPPED" }));
            Assert.That(log[1].Text, Is.EqualTo("Close date moved from 2027-01-23 to 2027-02-12 (+20 days; slip 2)."));
        }

        [Test]
        public void Update_OfAColumnThatIsNotAnInput_DoesNotRunTheStep()
        {
            var id = _org.CreateDeal();
            var before = _org.Org.Executions.Count;

            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { ["description"] = "notes" });

            Assert.That(_org.Org.Executions.Count, Is.EqualTo(before));
        }

        [Test]
        public void Rep_WritingVerdictColumns_IsOverwritten()
        {
            var id = _org.CreateDeal();
            _org.AddRequirement(id, "SAP integration", RequirementPriority.MustHave, RequirementFit.NotSupported);

            _org.RepService.Update(new Entity(Opportunity.EntityName, id)
            {
                [Opportunity.CloseProbability] = 90,
                [Opportunity.OverallRisk] = new OptionSetValue(OptionSets.RiskLevelValue(RiskLevel.Low)),
                [Opportunity.RiskScore] = 1,
                [Opportunity.RiskReasons] = "All good, trust me.",
            });

            var deal = _org.Deal(id);
            Assert.That(SalesOrg.Level(deal, Opportunity.OverallRisk), Is.EqualTo(RiskLevel.Critical));
            Assert.That(deal.GetAttributeValue<int>(Opportunity.RiskScore), Is.GreaterThanOrEqualTo(75));
            Assert.That(deal.GetAttributeValue<string>(Opportunity.RiskReasons), Does.Not.Contain("trust me"));
            Assert.That(deal.GetAttributeValue<int>(Opportunity.CloseProbability), Is.EqualTo(90), "the rep's own change is kept");
        }

        [Test]
        public void Rep_WritingOnlyVerdictColumns_IsOverwritten()
        {
            var id = _org.CreateDeal();
            _org.AddRequirement(id, "SAP integration", RequirementPriority.MustHave, RequirementFit.NotSupported);

            _org.RepService.Update(new Entity(Opportunity.EntityName, id)
            {
                [Opportunity.OverallRisk] = new OptionSetValue(OptionSets.RiskLevelValue(RiskLevel.Low)),
                [Opportunity.FitRisk] = new OptionSetValue(OptionSets.RiskLevelValue(RiskLevel.Low)),
                [Opportunity.RiskScore] = 0,
                [Opportunity.RiskApprovedOn] = SalesOrg.Today,
            });

            var deal = _org.Deal(id);
            Assert.That(SalesOrg.Level(deal, Opportunity.OverallRisk), Is.EqualTo(RiskLevel.Critical));
            Assert.That(SalesOrg.Level(deal, Opportunity.FitRisk), Is.EqualTo(RiskLevel.Critical));
            Assert.That(deal.GetAttributeValue<int>(Opportunity.RiskScore), Is.GreaterThanOrEqualTo(75));
            Assert.That(deal.GetAttributeValue<DateTime?>(Opportunity.RiskApprovedOn), Is.Null, "an approval date without an approver is not kept");
        }

        [Test]
        public void Save_ChangesNoColumnTheSuiteDoesNotOwn()
        {
            var id = _org.CreateDeal();
            var before = _org.Deal(id);

            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.EstimatedValue] = new Money(80_000m) });

            var after = _org.Deal(id);
            var platform = new[] { "modifiedon", "modifiedby", "versionnumber", Opportunity.EstimatedValue, Opportunity.EstimatedValueBase };
            foreach (var column in after.Attributes.Keys.Union(before.Attributes.Keys).Where(c => !c.StartsWith("dr_") && !platform.Contains(c)))
                Assert.That(after.Attributes.TryGetValue(column, out var a) ? a : null, Is.EqualTo(before.Attributes.TryGetValue(column, out var b) ? b : null), column);
        }

        [Test]
        public void Win_OfACriticalDeal_IsRefusedUntilTheManagerApproves()
        {
            var id = _org.CreateDeal();
            _org.AddRequirement(id, "SAP integration", RequirementPriority.MustHave, RequirementFit.NotSupported);

            var refusal = Assert.Throws<FaultException<OrganizationServiceFault>>(() => _org.RepService.Execute(_org.Win(id)))!;
            Assert.That(refusal.Detail.Message, Does.StartWith("This deal cannot be closed as won yet: its overall risk is Critical (Critical: Must-have 'SAP integration' is not supported.)."));
            Assert.That(refusal.Detail.Message, Does.Contain("ask your manager to review the risk and approve it"));
            Assert.That(_org.Deal(id).GetAttributeValue<OptionSetValue>(Opportunity.StateCode).Value, Is.EqualTo(OpportunityState.Open));
            Assert.That(_org.Org.All("opportunityclose"), Is.Empty, "nothing of the refused win is saved");

            _org.ManagerService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.RiskApprovedBy] = new EntityReference(SystemUser.EntityName, _org.Manager) });
            _org.RepService.Execute(_org.Win(id));

            var deal = _org.Deal(id);
            Assert.That(deal.GetAttributeValue<OptionSetValue>(Opportunity.StateCode).Value, Is.EqualTo(OpportunityState.Won));
            Assert.That(deal.GetAttributeValue<DateTime>(Opportunity.RiskApprovedOn), Is.EqualTo(SalesOrg.Today));
            Assert.That(SalesOrg.Level(deal, Opportunity.OverallRisk), Is.EqualTo(RiskLevel.Critical), "the verdict at close is kept");
        }

        [Test]
        public void Approval_ByTheOwner_OrInSomeoneElsesName_IsRefused()
        {
            var id = _org.CreateDeal();

            var own = Assert.Throws<FaultException<OrganizationServiceFault>>(() => _org.RepService.Update(new Entity(Opportunity.EntityName, id)
                { [Opportunity.RiskApprovedBy] = new EntityReference(SystemUser.EntityName, _org.Rep) }))!;
            var onBehalf = Assert.Throws<FaultException<OrganizationServiceFault>>(() => _org.RepService.Update(new Entity(Opportunity.EntityName, id)
                { [Opportunity.RiskApprovedBy] = new EntityReference(SystemUser.EntityName, _org.Manager) }))!;

            Assert.That(own.Detail.Message, Is.EqualTo("You cannot approve the risk on a deal you own. Ask your manager to review and approve it."));
            Assert.That(onBehalf.Detail.Message, Does.Contain("in your own name"));
            Assert.That(_org.Deal(id).GetAttributeValue<EntityReference>(Opportunity.RiskApprovedBy), Is.Null);
        }

        [Test]
        public void ClosedDeal_IsNotReJudged_AndKeepsItsVerdict()
        {
            var id = _org.CreateDeal();
            _org.RepService.Execute(_org.Win(id));
            var atClose = _org.Deal(id);

            _org.Org.GetOrganizationService().Update(new Entity(Opportunity.EntityName, id)
            {
                [Opportunity.EstimatedValue] = new Money(1m),
                [Opportunity.OverallRisk] = new OptionSetValue(OptionSets.RiskLevelValue(RiskLevel.Critical)),
            });

            var after = _org.Deal(id);
            Assert.That(after[Opportunity.OverallRisk], Is.EqualTo(atClose[Opportunity.OverallRisk]));
            Assert.That(after[Opportunity.RiskEvaluatedOn], Is.EqualTo(atClose[Opportunity.RiskEvaluatedOn]));
        }

        [Test]
        public void ChildRowChanges_NeverGoDeeperThanTwo()
        {
            var id = _org.CreateDeal();
            _org.AddLine(id, _org.Licence, 10, 1_000m);
            _org.AddRequirement(id, "Reports", RequirementPriority.ShouldHave, RequirementFit.Configuration, hours: 10m);
            _org.Allocate(id, 10m, _org.Manager);

            Assert.That(_org.MaxDepth, Is.EqualTo(2));
        }

        [Test]
        public void Policy_ForTheBusinessUnit_OverridesTheDefault()
        {
            var org = _org.Org.GetOrganizationService();
            org.Create(new Entity(RiskPolicyTable.EntityName) { [RiskPolicyTable.Name] = "Default", [RiskPolicyTable.MarginWarningPercent] = 25m });
            org.Create(new Entity(RiskPolicyTable.EntityName)
            {
                [RiskPolicyTable.Name] = "Services BU",
                [RiskPolicyTable.BusinessUnitId] = new EntityReference("businessunit", _org.Org.RootBusinessUnitId),
                [RiskPolicyTable.CommissionPercent] = 80m,
            });

            var id = _org.CreateDeal();

            var deal = _org.Deal(id);
            Assert.That(deal.GetAttributeValue<string>(Opportunity.RiskPolicyUsed), Is.EqualTo("Services BU"));
            Assert.That(deal.GetAttributeValue<decimal?>(Opportunity.MarginPercent), Is.EqualTo(20m));
        }

        [Test]
        public void Deal_WithoutAmountOrLines_IsUnknownWithAReason()
        {
            var id = _org.CreateDeal(amount: null);

            var deal = _org.Deal(id);
            Assert.That(SalesOrg.Level(deal, Opportunity.OverallRisk), Is.EqualTo(RiskLevel.Unknown));
            Assert.That(deal.GetAttributeValue<string>(Opportunity.RiskReasons), Does.Contain("no product lines and no estimated revenue"));
        }

        [Test]
        public void Deal_InAnotherCurrency_IsJudgedInBaseCurrency_AndWrittenInItsOwn()
        {
            var euro = Guid.NewGuid();
            _org.Org.Seed(new Entity("transactioncurrency", euro) { ["isocurrencycode"] = "EUR", ["exchangerate"] = 0.5m });

            var id = _org.CreateDeal(amount: 50_000m, more: d => d["transactioncurrencyid"] = new EntityReference("transactioncurrency", euro));

            var deal = _org.Deal(id);
            Assert.That(deal.GetAttributeValue<Money>(Opportunity.MarginAmount).Value, Is.EqualTo(47_500m));
            Assert.That(deal.GetAttributeValue<Money>(Opportunity.MarginAmount + "_base").Value, Is.EqualTo(95_000m));
        }

        [Test]
        public void ServiceCalls_AreTheSameForOneAndFiveHundredLines()
        {
            // (CallCountScenarios.Evaluation_CostsTheSame_ForLinesAndRequirements covers 1, 10, 100 and 500 of each.)
            var small = _org.CreateDeal("small");
            var large = _org.CreateDeal("large");
            _org.AddLine(small, _org.Licence, 1, 1_000m);
            for (var i = 0; i < 500; i++) _org.AddLine(large, _org.Licence, 1, 1_000m);

            string CallsOf(Guid id)
            {
                _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.CloseProbability] = 55 });
                return _org.Org.Executions.Last(e => e.PluginType == typeof(OpportunityRiskPlugin)).Calls.ToString();
            }

            var one = CallsOf(small);
            var fiveHundred = CallsOf(large);
            Assert.That(fiveHundred, Is.EqualTo(one));
            Assert.That(one, Is.EqualTo("RetrieveMultiple=5"), "licences need no delivery: policy, lines, requirements, customer activity, process bar");
        }
    }
}
