using System.Linq;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;
using NUnit.Framework;

namespace DealRisk.WorkflowActivities.Tests
{
    /// <summary>The alert carries what clears the deal's findings (the verdict's dr_riskfixes) after its reasons.</summary>
    public class AlertFixesTests
    {
        private const string Fix = "Critical: Raise the prices by 42.9% (the lines 4,000 to 5,716) to reach the 25% target.";

        [Test]
        public void Raise_ForADealWithFixes_TheAlertsTextGivesTheReasonsThenWhatClearsThem()
        {
            var org = new AlertOrg();
            var deal = org.Deal(RiskLevel.Critical);
            org.Org.GetOrganizationService().Update(new Entity(Opportunity.EntityName, deal) { [Opportunity.RiskFixes] = Fix });

            org.Raise(deal);

            var text = org.Alerts(deal).Single().GetAttributeValue<string>(RiskAlert.Reasons);
            Assert.That(text, Is.EqualTo("Critical: Margin 12% is below the 15% floor.\n\nTo clear it:\n" + Fix));
        }

        [Test]
        public void Raise_ForADealWithoutFixes_TheAlertsTextIsTheReasons()
        {
            var org = new AlertOrg();
            var deal = org.Deal(RiskLevel.Critical);

            org.Raise(deal);

            Assert.That(org.Alerts(deal).Single().GetAttributeValue<string>(RiskAlert.Reasons), Is.EqualTo("Critical: Margin 12% is below the 15% floor."));
        }

        [Test]
        public void Raise_WhenTheLevelRises_TheAlertsTextCarriesTheNewFixes()
        {
            var org = new AlertOrg();
            var deal = org.Deal(RiskLevel.High);
            org.Raise(deal);
            org.SetLevel(deal, RiskLevel.Critical);
            org.Org.GetOrganizationService().Update(new Entity(Opportunity.EntityName, deal) { [Opportunity.RiskFixes] = Fix });

            org.Raise(deal);

            Assert.That(org.Alerts(deal).Single().GetAttributeValue<string>(RiskAlert.Reasons), Does.EndWith(AlertText.FixesHeading + "\n" + Fix));
        }
    }
}
