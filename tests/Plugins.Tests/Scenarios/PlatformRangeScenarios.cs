using System;
using System.Linq;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;
using NUnit.Framework;

namespace DealRisk.Plugins.Tests.Scenarios
{
    /// <summary>
    /// Values Dataverse accepts at the edges of its ranges never fail a rep's save. Dates: every date and time column
    /// takes 1753-01-01 to 9999-12-31 ("All date and time columns in Dataverse support values as early as 1/1/1753 12:00 AM",
    /// https://learn.microsoft.com/en-us/power-apps/developer/data-platform/behavior-format-date-time-attribute; the upper
    /// end is SQL's datetime, 9999-12-31 23:59:59.997, https://learn.microsoft.com/en-us/openspecs/windows_protocols/mc-csdl/0d84a8c8-5f14-4567-b9b7-651f69c13df8).
    /// Money: -922,337,203,685,477 to 922,337,203,685,477 (https://learn.microsoft.com/en-us/power-apps/maker/data-platform/types-of-fields).
    /// </summary>
    public class PlatformRangeScenarios
    {
        private static readonly DateTime LateIn9999 = new(9999, 12, 20);
        private static readonly DateTime LastMoment = new(9999, 12, 31, 23, 59, 59, 997);
        private static readonly DateTime Earliest = new(1753, 1, 1);
        private const decimal MoneyMax = 922_337_203_685_477m;

        private SalesOrg _org = null!;

        [SetUp]
        public void SetUp() => _org = new SalesOrg();

        [Test]
        public void Save_WhenTheCloseDateIsLateInYear9999_JudgesTheDealAndEveryLaterSave()
        {
            var id = _org.CreateDeal("Far future deal", closeInDays: 60);
            _org.AddLine(id, _org.ImplementationPack, 2, 5_000m);

            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.EstimatedCloseDate] = LateIn9999 });
            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.CloseProbability] = 40 });
            _org.AddRequirement(id, "SSO", RequirementPriority.MustHave, RequirementFit.Customisation, 80m);

            var deal = _org.Deal(id);
            Assert.That(deal.GetAttributeValue<DateTime>(Opportunity.EstimatedCloseDate), Is.EqualTo(LateIn9999));
            Assert.That(deal.GetAttributeValue<int>(Opportunity.CloseProbability), Is.EqualTo(40));
            Assert.That(deal.GetAttributeValue<string>(Opportunity.RiskReasons), Does.Contain("Close date moved from 2027-01-01 to 9999-12-20"));
        }

        [Test]
        public void Save_WhenTheCloseDateIsTheLastMomentDataverseStores_JudgesTheDeal()
        {
            var id = _org.CreateDeal("Last moment", more: d => d[Opportunity.EstimatedCloseDate] = LastMoment);
            _org.AddLine(id, _org.ImplementationPack, 1, 5_000m);

            Assert.That(SalesOrg.Level(_org.Deal(id), Opportunity.OverallRisk), Is.Not.Null);
        }

        [Test]
        public void Save_WhenTheCloseDateIs1753_JudgesTheDealAsLongOverdue()
        {
            var id = _org.CreateDeal("Ancient deal", more: d => d[Opportunity.EstimatedCloseDate] = Earliest);
            _org.AddLine(id, _org.ImplementationPack, 1, 5_000m);

            Assert.That(_org.Deal(id).GetAttributeValue<string>(Opportunity.RiskReasons), Does.Contain("the close date passed"));
        }

        [Test]
        public void UpdateMultiple_WhenOneDealClosesLateIn9999_SavesTheWholeBatch()
        {
            var ids = Enumerable.Range(1, 5).Select(i => _org.CreateDeal("Deal " + i)).ToList();
            var targets = new EntityCollection(ids.Select((id, i) => new Entity(Opportunity.EntityName, id)
            {
                [Opportunity.EstimatedCloseDate] = i == 2 ? LateIn9999 : SalesOrg.Today.Date.AddDays(90),
            }).ToList()) { EntityName = Opportunity.EntityName };

            _org.RepService.Execute(new OrganizationRequest("UpdateMultiple") { ["Targets"] = targets });

            Assert.That(ids.Select(_org.Deal).Select(d => d.GetAttributeValue<int>(Opportunity.CloseDateSlipCount)), Is.All.EqualTo(1));
        }

        [Test]
        public void Save_Again_OfADealWhoseMarginIsBeyondItsColumn_RecordsNoMarginDrop()
        {
            // Margin -9.2 * 10^15 %: stored at the column's -1,000,000 %; the next save must not read that as a drop.
            var id = _org.CreateDeal("Tiny deal", amount: 0.01m, more: d => d[Opportunity.EstimatedCostOfSale] = new Money(MoneyMax / 10m));

            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.CloseProbability] = 30 });
            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.CloseProbability] = 35 });

            var deal = _org.Deal(id);
            Assert.That(deal.GetAttributeValue<decimal>(Opportunity.MarginPercent), Is.EqualTo(-1_000_000m));
            Assert.That(deal.GetAttributeValue<string>(Opportunity.ForecastChangeLog) ?? "", Does.Not.Contain("MARGIN_DROPPED"));
        }

        [Test]
        public void Save_WhenAmountsAreAtTheMoneyLimits_WritesAVerdictWithinTheColumnsLimits()
        {
            var id = _org.CreateDeal("Huge deal", amount: MoneyMax);
            _org.AddLine(id, _org.Licence, 1, 0.01m);
            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.EstimatedCostOfSale] = new Money(MoneyMax) });
            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.EstimatedValue] = new Money(-MoneyMax) });

            var deal = _org.Deal(id);
            Assert.That(SalesOrg.Level(deal, Opportunity.MarginRisk), Is.Not.Null);
            Assert.That(deal.GetAttributeValue<decimal?>(Opportunity.MarginPercent) ?? 0m, Is.InRange(-1_000_000m, 1_000_000m));
            Assert.That(Math.Abs(deal.GetAttributeValue<Money>(Opportunity.MarginAmount)?.Value ?? 0m), Is.LessThanOrEqualTo(MoneyMax));
        }
    }
}
