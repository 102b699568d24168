using System;
using System.Collections.Generic;
using System.Linq;
using DealRisk.Plugins.Ledger;
using DealRisk.Plugins.Schema;
using DealRisk.Plugins.Tests.Ledger;
using DealRisk.Risk;
using Microsoft.Crm.Sdk.Messages;
using Microsoft.Xrm.Sdk;
using NUnit.Framework;

namespace DealRisk.Plugins.Tests.Scenarios
{
    /// <summary>
    /// The demand ledger through the real pipeline: every judgement posts what changed of the deal's delivery hours (its
    /// weighted hours per role at its close day), Win, Lose, reopen and Delete move or take them away, and the rows of the
    /// ledger summed per role and day are what the deals hold. SalesOrg's deals close in 60 days (2027-01-01) at 60 %.
    /// </summary>
    public class DemandLedgerScenarios
    {
        private static readonly DateTime CloseDay = new(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        private SalesOrg _org = null!;

        [SetUp]
        public void SetUp() => _org = new SalesOrg();

        private IReadOnlyDictionary<(string Role, DateTime? Day), decimal> Ledger => LedgerSums.Of(_org.Org);

        private int LedgerRows => _org.Org.All(DemandEntryTable.EntityName).Count;

        private static Dictionary<(string Role, DateTime? Day), decimal> Holds(params (string Role, DateTime? Day, decimal Hours)[] entries) =>
            entries.ToDictionary(e => (e.Role, e.Day), e => e.Hours);

        /// <summary>A deal with 100 h of consultants (a requirement), posted through the child-row step: 60 h weighted.</summary>
        private Guid DealNeedingAHundredConsultantHours()
        {
            var id = _org.CreateDeal();
            _org.AddRequirement(id, "Workshops", RequirementPriority.ShouldHave, RequirementFit.Standard, hours: 100m);
            return id;
        }

        private string? Posted(Guid id) => _org.Deal(id).GetAttributeValue<string>(Opportunity.DemandPosted);

        [Test]
        public void Create_OfADealWithoutDeliveryHours_PostsNothing()
        {
            var id = _org.CreateDeal();

            Assert.That(LedgerRows, Is.Zero);
            Assert.That(Posted(id), Is.Null);
        }

        [Test]
        public void AddingARequirement_ThroughTheChildRowStep_PostsItsWeightedHoursAtTheCloseDay()
        {
            var id = DealNeedingAHundredConsultantHours();

            Assert.That(Ledger, Is.EquivalentTo(Holds(("Consultant", CloseDay, 60m))));
            Assert.That(Posted(id), Is.EqualTo("v1;w=0.6;d=2027-01-01;Consultant=100"));
        }

        [Test]
        public void Create_WithAProbabilityAndACloseDate_PostsNothingUntilTheDealHasLines_ThenTheirHours()
        {
            var id = _org.CreateDeal(more: d => d[Opportunity.CloseProbability] = 25);

            _org.AddLine(id, _org.ImplementationPack, 3, 5_000m);

            // 3 packs × 40 h at 25 %.
            Assert.That(Ledger, Is.EquivalentTo(Holds(("Consultant", CloseDay, 30m))));
        }

        [Test]
        public void Update_WhenProbabilityRises_PostsTheDifference()
        {
            var id = DealNeedingAHundredConsultantHours();
            var before = LedgerRows;

            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.CloseProbability] = 80 });

            var added = _org.Org.All(DemandEntryTable.EntityName).Skip(before).Select(DemandLedger.Entry).ToList();
            Assert.That(added.Select(e => (e!.Role, e.Day, e.WeightedHours)), Is.EqualTo(new[] { ("Consultant", (DateTime?)CloseDay, 20m) }), "one change row: +20 h");
            Assert.That(Ledger, Is.EquivalentTo(Holds(("Consultant", CloseDay, 80m))));
        }

        [Test]
        public void Update_WhenCloseDateMoves_MovesTheDealsHoursInTheLedger()
        {
            var id = DealNeedingAHundredConsultantHours();

            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.EstimatedCloseDate] = CloseDay.AddDays(30) });

            Assert.That(Ledger, Is.EquivalentTo(Holds(("Consultant", CloseDay.AddDays(30), 60m))), "-60 h on the old day, +60 h on the new one");
            Assert.That(Posted(id), Is.EqualTo("v1;w=0.6;d=2027-01-31;Consultant=100"));
        }

        [Test]
        public void Update_WhenTheCloseDateIsCleared_HoldsTheHoursWithoutADay_ReadAsStartingToday()
        {
            var id = DealNeedingAHundredConsultantHours();

            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.EstimatedCloseDate] = null });

            Assert.That(Ledger, Is.EquivalentTo(Holds(("Consultant", null, 60m))));
            var claims = new RiskFactsReader(_org.Org.GetOrganizationService()).LedgerDemand(CloseDay.AddYears(-1), CloseDay, SalesOrg.Today);
            Assert.That(claims.Select(c => (c.Role, c.Start, c.Hours)), Is.EqualTo(new[] { ("Consultant", SalesOrg.Today.Date, 60m) }));
        }

        [Test]
        public void AddingALine_ThroughTheChildRowStep_PostsItsDeliveryHours()
        {
            var id = DealNeedingAHundredConsultantHours();

            _org.AddLine(id, _org.ImplementationPack, 2, 5_000m);

            // (100 + 2 × 40) h at 60 %.
            Assert.That(Ledger, Is.EquivalentTo(Holds(("Consultant", CloseDay, 108m))));
        }

        [TestCase(true)]
        [TestCase(false)]
        public void Win_MovesTheHoursToTheDayWon_InFull_Once(bool closingRunsUpdateSteps)
        {
            _org.Org.ClosingOpportunityRunsUpdateSteps = closingRunsUpdateSteps;
            var id = DealNeedingAHundredConsultantHours();

            _org.RepService.Execute(_org.Win(id));

            // Won today (the close activity has no actual end): 100 h in full from 2026-11-02, whether or not the platform
            // runs the Update steps inside the Win (the risk step then sees the Win as its parent and leaves it to the ledger step).
            Assert.That(Ledger, Is.EquivalentTo(Holds(("Consultant", SalesOrg.Today.Date, 100m))));
            var ledgerStep = _org.Org.Executions.Last(e => e.PluginType == typeof(DemandLedgerPlugin));
            Assert.That(ledgerStep.Calls.ToString(), Is.EqualTo("CreateMultiple=1, Retrieve=1"));
            Assert.That(Posted(id), Is.EqualTo("v1;w=0.6;d=2027-01-01;Consultant=100"), "the text stays the open posting");
        }

        [Test]
        public void Lose_TakesTheHoursOut()
        {
            var id = DealNeedingAHundredConsultantHours();

            _org.RepService.Execute(new LoseOpportunityRequest
            {
                OpportunityClose = new Entity("opportunityclose") { ["opportunityid"] = new EntityReference(Opportunity.EntityName, id) },
                Status = new OptionSetValue(4),
            });

            Assert.That(Ledger, Is.Empty);
        }

        [Test]
        public void Reopen_OfAWonDeal_TakesTheWonHoursAway_AndPostsTheOpenOnes()
        {
            var id = DealNeedingAHundredConsultantHours();
            _org.RepService.Execute(_org.Win(id));

            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.StateCode] = new OptionSetValue(OpportunityState.Open), ["statuscode"] = new OptionSetValue(1) });

            Assert.That(Ledger, Is.EquivalentTo(Holds(("Consultant", CloseDay, 60m))));
        }

        [Test]
        public void CloseByUpdateOfStatecode_AsLost_TakesTheHoursOut_AndReopenPutsThemBack()
        {
            var id = DealNeedingAHundredConsultantHours();

            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.StateCode] = new OptionSetValue(OpportunityState.Lost), ["statuscode"] = new OptionSetValue(4) });
            Assert.That(Ledger, Is.Empty);

            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.StateCode] = new OptionSetValue(OpportunityState.Open), ["statuscode"] = new OptionSetValue(1) });
            Assert.That(Ledger, Is.EquivalentTo(Holds(("Consultant", CloseDay, 60m))));
        }

        [Test]
        public void Delete_TakesTheDealsHoursOut()
        {
            var keep = DealNeedingAHundredConsultantHours();
            var gone = DealNeedingAHundredConsultantHours();

            _org.RepService.Delete(Opportunity.EntityName, gone);

            Assert.That(Ledger, Is.EquivalentTo(Holds(("Consultant", CloseDay, 60m))));
            Assert.That(keep, Is.Not.EqualTo(gone));
        }

        [Test]
        public void UnchangedSave_PostsNothing_AndQueuesNoJob()
        {
            var id = DealNeedingAHundredConsultantHours();
            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.CloseProbability] = 60 });
            var rows = LedgerRows;
            var jobs = _org.Org.AsyncOperations.Count;

            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.CloseProbability] = 60 });

            Assert.That(LedgerRows, Is.EqualTo(rows));
            Assert.That(_org.Org.AsyncOperations.Count, Is.EqualTo(jobs));
            Assert.That(_org.Org.Executions.Last(e => e.PluginType == typeof(OpportunityRiskPlugin)).Calls.ToString(), Does.Not.Contain("CreateMultiple"));
        }

        [Test]
        public void TwoDeals_SavedOneAfterTheOther_BothLand()
        {
            // Append-only: each save adds its own change rows and never rewrites a shared total, so the second save cannot
            // overwrite the first's (no lost update between concurrent saves).
            var first = DealNeedingAHundredConsultantHours();
            var second = DealNeedingAHundredConsultantHours();

            _org.RepService.Update(new Entity(Opportunity.EntityName, first) { [Opportunity.CloseProbability] = 50 });
            _org.RepService.Update(new Entity(Opportunity.EntityName, second) { [Opportunity.CloseProbability] = 90 });

            Assert.That(Ledger, Is.EquivalentTo(Holds(("Consultant", CloseDay, 140m))), "50 h + 90 h");
        }

        [Test]
        public void ARepTypingIntoDemandPosted_WithAJudgedColumn_IsOverwrittenByThePosting()
        {
            var id = DealNeedingAHundredConsultantHours();

            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.CloseProbability] = 70, [Opportunity.DemandPosted] = "lots of hours" });

            Assert.That(Posted(id), Is.EqualTo("v1;w=0.7;d=2027-01-01;Consultant=100"));
            Assert.That(Ledger, Is.EquivalentTo(Holds(("Consultant", CloseDay, 70m))));
        }

        [Test]
        public void ARepTypingIntoDemandPostedAlone_IsNotJudged_AndTheNextJudgementCannotReadIt_SoPostsTheDealAgainInFull()
        {
            // dr_demandposted is not a filtering attribute (the ledger rebuild writes it without re-judging), so text typed
            // into it alone is stored. The next judgement cannot read what the ledger held for the deal: it traces the text and
            // takes it as nothing, posting the deal's hours again beside the old ones, until the ledger is rebuilt.
            var id = DealNeedingAHundredConsultantHours();
            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.DemandPosted] = "lots of hours" });
            Assert.That(Posted(id), Is.EqualTo("lots of hours"));

            _org.RepService.Update(new Entity(Opportunity.EntityName, id) { [Opportunity.CloseProbability] = 70 });

            var judgement = _org.Org.Executions.Last(e => e.PluginType == typeof(OpportunityRiskPlugin));
            Assert.That(judgement.Trace, Does.Contain("holds 'lots of hours', which the suite did not write"));
            Assert.That(Ledger, Is.EquivalentTo(Holds(("Consultant", CloseDay, 130m))), "60 h still held from before, 70 h posted now");
            Assert.That(Posted(id), Is.EqualTo("v1;w=0.7;d=2027-01-01;Consultant=100"), "from then on the deal posts differences again");
        }
    }
}
