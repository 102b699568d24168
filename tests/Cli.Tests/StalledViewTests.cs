using System;
using System.Collections.Generic;
using System.Linq;
using CrmPlugins.SolutionModel;
using DealRisk.Cli.Demo;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using NUnit.Framework;

namespace DealRisk.Cli.Tests
{
    /// <summary>
    /// The view "Stalled or past due deals" of the Deal Risk dashboard, its FetchXML read from Solution/ as it ships and run in
    /// the emulator against the demo's sample org after its quarter (the daily sweep has run): the deals it lists are worked
    /// out here from every opportunity's own finding codes, split on the verdict's separator, not by a like pattern.
    /// </summary>
    [TestFixture]
    public sealed class StalledViewTests
    {
        private static readonly string[] MomentumCodes = { MomentumCheck.CloseDatePassed, MomentumCheck.NoCustomerActivity, MomentumCheck.StageStalled };
        private IOrganizationService _service = null!;
        private SolutionSource _solution = null!;

        [OneTimeSetUp]
        public void PlayTheQuarter()
        {
            var sample = new SampleOrg(SampleOrg.FindSolutionFolder()).Replay();
            _service = sample.Org.GetOrganizationService();
            _solution = SolutionSource.Load(SampleOrg.FindSolutionFolder());
        }

        [Test]
        public void StalledOrPastDueDeals_ListsExactlyTheOpenDealsWithAMomentumFinding()
        {
            var all = _service.RetrieveMultiple(new QueryExpression(Opportunity.EntityName)
            {
                ColumnSet = new ColumnSet(Opportunity.Name, Opportunity.StateCode, Opportunity.RiskFindingCodes),
            }).Entities;
            var expected = all
                .Where(o => o.GetAttributeValue<OptionSetValue>(Opportunity.StateCode)?.Value == 0)
                .Where(o => Codes(o).Intersect(MomentumCodes, StringComparer.Ordinal).Any())
                .Select(o => o.GetAttributeValue<string>(Opportunity.Name)).OrderBy(n => n, StringComparer.Ordinal).ToList();
            var closedWithMomentumCodes = all.Count(o => o.GetAttributeValue<OptionSetValue>(Opportunity.StateCode)?.Value != 0 && Codes(o).Intersect(MomentumCodes, StringComparer.Ordinal).Any());

            var rows = View("Stalled or past due deals");
            var listed = rows.Select(o => o.GetAttributeValue<string>(Opportunity.Name)).OrderBy(n => n, StringComparer.Ordinal).ToList();

            TestContext.Out.WriteLine($"{listed.Count} of {all.Count} deals listed: {string.Join("; ", listed)} ({closedWithMomentumCodes} closed deals keep such codes)");
            Assert.That(listed, Is.EqualTo(expected));
            Assert.That(listed, Is.SupersetOf(new[] { "Trey Research renewal", "Wide World Importers upgrade", "Fourth Coffee kiosks" }));
            Assert.That(listed.Count, Is.LessThan(all.Count), "the view leaves out deals without such a finding");
            Assert.That(closedWithMomentumCodes, Is.GreaterThan(0), "the sample keeps a closed deal with such a code, which the view must leave out");
        }

        [Test]
        public void StalledOrPastDueDeals_ReturnsTheColumnsItsGridShows()
        {
            var view = _solution.Table(Opportunity.EntityName)!.Views.Single(v => v.Name == "Stalled or past due deals");
            var fetched = view.FetchXml.Element("entity")!.Elements("attribute").Select(a => (string)a.Attribute("name")!);

            Assert.That(fetched, Is.SupersetOf(new[] { Opportunity.Name, Opportunity.OwnerId, Opportunity.EstimatedCloseDate, Opportunity.OverallRisk, Opportunity.StageEnteredOn, Opportunity.RiskReasons }));
            Assert.That(View("Stalled or past due deals").All(o => o.Contains(Opportunity.OwnerId)), Is.True, "every row carries its owner");
        }

        private IReadOnlyList<Entity> View(string name)
        {
            var view = _solution.Tables.SelectMany(t => t.Views).Single(v => v.Name == name);
            return _service.RetrieveMultiple(new FetchExpression(view.FetchXml.ToString())).Entities;
        }

        private static IEnumerable<string> Codes(Entity o) =>
            (o.GetAttributeValue<string>(Opportunity.RiskFindingCodes) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
