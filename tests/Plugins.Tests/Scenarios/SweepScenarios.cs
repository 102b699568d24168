using System;
using System.Collections.Generic;
using System.Linq;
using System.ServiceModel;
using DealRisk.Plugins.Ledger;
using DealRisk.Plugins.Schema;
using DealRisk.Plugins.Sweep;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;
using NUnit.Framework;

namespace DealRisk.Plugins.Tests.Scenarios
{
    /// <summary>
    /// The daily sweep (the Custom API dr_RunRiskSweep that Solution/customapis registers, its plugin as the main
    /// operation, the risk step on UpdateMultiple doing the judging): the emulator's clock advances day by day and nobody
    /// saves the deal, yet each finding time creates appears on its day.
    /// </summary>
    [TestFixture]
    public sealed class SweepScenarios
    {
        private SalesOrg _org = null!;

        [SetUp]
        public void SetUp() => _org = new SalesOrg();

        private OrganizationResponse Sweep(int pageSize = 250, string? token = null)
        {
            var request = new OrganizationRequest(RiskSweepPlugin.MessageName) { [RiskSweepPlugin.PageSizeParameter] = pageSize };
            if (token != null) request[RiskSweepPlugin.ContinuationTokenParameter] = token;
            return _org.Org.GetOrganizationService(_org.Manager).Execute(request);
        }

        /// <summary>Calls the sweep until it reports done, as the scheduled flow does; returns the responses.</summary>
        private List<OrganizationResponse> SweepUntilDone(int pageSize = 250)
        {
            var responses = new List<OrganizationResponse>();
            string? token = null;
            do
            {
                var response = Sweep(pageSize, token);
                responses.Add(response);
                token = (string)response.Results[RiskSweepPlugin.ContinuationTokenProperty];
                Assert.That(responses, Has.Count.LessThan(100), "the sweep never reported done");
            }
            while (!(bool)responses[responses.Count - 1].Results[RiskSweepPlugin.DoneProperty]);
            return responses;
        }

        private string Codes(Guid deal) => _org.Deal(deal).GetAttributeValue<string>(Opportunity.RiskFindingCodes) ?? "";

        private void CompletedCall(Guid deal, DateTime on) =>
            _org.Org.Seed(new Entity(PhoneCall.EntityName)
            {
                ["subject"] = "Discovery call",
                [PhoneCall.RegardingObjectId] = new EntityReference(Opportunity.EntityName, deal),
                [PhoneCall.ActualEnd] = on,
                ["statecode"] = new OptionSetValue(ActivityState.Completed),
                ["statuscode"] = new OptionSetValue(2),
            });

        [Test]
        public void Sweep_OverAQuarterWithNoSaves_EachFindingAppearsOnItsDay()
        {
            // Day 0: the deal closes on day 40, in Develop, 40 h of consultants not allocated; a call completed today.
            var deal = _org.CreateDeal(closeInDays: 40);
            _org.AddLine(deal, _org.ImplementationPack, 1, 10_000m);
            CompletedCall(deal, SalesOrg.Today);
            var repSaves = _org.Org.Executions.Count(e => e.Context.UserId == _org.Rep);

            var firstDay = new Dictionary<string, int>();
            for (var day = 1; day <= 90; day++)
            {
                _org.Org.UtcNow = SalesOrg.Today.AddDays(day);
                SweepUntilDone();
                foreach (var code in Codes(deal).Split(',').Where(c => c.Length > 0))
                    if (!firstDay.ContainsKey(code)) firstDay[code] = day;
            }

            Assert.That(_org.Org.Executions.Count(e => e.Context.UserId == _org.Rep), Is.EqualTo(repSaves), "nobody saved the deal during the quarter");
            // Allocations are due 30 days before close: day 10. Silence longer than 21 days: day 22. Longer than 45 days in
            // Develop: day 46. The close date (day 40) passed: day 41.
            Assert.That(firstDay.GetValueOrDefault("ROLE_NOT_ALLOCATED"), Is.EqualTo(10));
            Assert.That(firstDay.GetValueOrDefault(MomentumCheck.NoCustomerActivity), Is.EqualTo(22));
            Assert.That(firstDay.GetValueOrDefault(MomentumCheck.CloseDatePassed), Is.EqualTo(41));
            Assert.That(firstDay.GetValueOrDefault(MomentumCheck.StageStalled), Is.EqualTo(46));

            var reasons = _org.Deal(deal).GetAttributeValue<string>(Opportunity.RiskReasons);
            Assert.That(reasons, Does.Contain("No customer activity for 90 days (the last was a phone call completed on 2026-11-02); the policy allows 21 days."));
            Assert.That(reasons, Does.Contain("The estimated close date 2026-12-12 passed 50 days ago and the deal is still open"));
            Assert.That(reasons, Does.Contain("In Develop for 90 days (since 2026-11-02), longer than the policy's 45 days for Develop."));
            Assert.That(_org.Deal(deal).GetAttributeValue<DateTime?>(Opportunity.LastSweepOn), Is.EqualTo(SalesOrg.Today.AddDays(90)));
        }

        [Test]
        public void Sweep_TheHistory_RecordsEachDayTheVerdictChanged_AndOnlyThen()
        {
            var deal = _org.CreateDeal(closeInDays: 40);
            _org.AddLine(deal, _org.ImplementationPack, 1, 10_000m);
            CompletedCall(deal, SalesOrg.Today);
            _org.Org.RunAsyncOperations();
            var before = HistoryRows(deal);

            for (var day = 1; day <= 30; day++)
            {
                _org.Org.UtcNow = SalesOrg.Today.AddDays(day);
                SweepUntilDone();
                _org.Org.RunAsyncOperations();
            }

            // Day 10 (allocation due) and day 22 (no activity) changed the verdict; from day 23 the silence grows, so the
            // reason's number changes every day, but the level, score and findings do not: no row.
            var rows = HistoryRows(deal).Skip(before.Count).ToList();
            Assert.That(rows.Select(r => r.GetAttributeValue<DateTime>(RiskHistory.RecordedOn).Date), Is.EqualTo(new[] { SalesOrg.Today.AddDays(10).Date, SalesOrg.Today.AddDays(22).Date }));
            Assert.That(rows.Select(r => r.GetAttributeValue<string>(RiskHistory.Trigger)), Has.All.Contains(Opportunity.LastSweepOn));
        }

        private List<Entity> HistoryRows(Guid deal) => _org.Org.All(RiskHistory.EntityName)
            .Where(r => r.GetAttributeValue<EntityReference>(RiskHistory.OpportunityId)?.Id == deal)
            .OrderBy(r => r.GetAttributeValue<DateTime>(RiskHistory.RecordedOn)).ToList();

        [Test]
        public void Sweep_RunTwiceTheSameDay_ChangesNothingTheSecondTime()
        {
            var deal = _org.CreateDeal(closeInDays: 10);
            _org.AddLine(deal, _org.ImplementationPack, 1, 10_000m);
            var alert = _org.SeedOpenAlert(deal, _org.Rep);
            // Change rows saves appended: the first run folds them, the second finds nothing to fold and writes nothing.
            _org.Org.Seed(DemandLedger.Row(new DemandEntry("Developer", SalesOrg.Today.Date, 12m))!, DemandLedger.Row(new DemandEntry("Developer", SalesOrg.Today.Date, 3m))!);
            // With the deal's own change rows (its line, posted by the risk step): one folded row per role and day they touch.
            var keys = _org.Org.All(DemandEntryTable.EntityName).Select(DemandLedger.Entry).Select(e => (e!.Role, e.Day)).Distinct().Count();
            _org.Org.UtcNow = SalesOrg.Today.AddDays(2);
            var first = SweepUntilDone();
            _org.Org.RunAsyncOperations();
            var rows = _org.Org.All(Opportunity.EntityName).Concat(_org.Org.All(RiskAlert.EntityName)).Concat(_org.Org.All(RiskHistory.EntityName)).Concat(_org.Org.All(AppNotification.EntityName))
                .Concat(_org.Org.All(DemandEntryTable.EntityName))
                .ToDictionary(e => e.Id, e => e.GetAttributeValue<long?>("versionnumber"));
            Assert.That(_org.Org.All(DemandEntryTable.EntityName).Count(r => r.GetAttributeValue<OptionSetValue>(DemandEntryTable.StatusCode).Value == LedgerFold.FoldedStatus), Is.EqualTo(keys).And.GreaterThan(1), "the first run folded");

            _org.Org.UtcNow = SalesOrg.Today.AddDays(2).AddHours(6);
            var second = SweepUntilDone();
            _org.Org.RunAsyncOperations();

            Assert.That(first.Sum(r => (int)r.Results[RiskSweepPlugin.JudgedProperty]), Is.EqualTo(1));
            Assert.That(first.Sum(r => (int)r.Results[RiskSweepPlugin.EscalatedProperty]), Is.EqualTo(1), "the seeded alert waited 72 h, over the 48 h of the policy");
            Assert.That(second.Select(r => (int)r.Results[RiskSweepPlugin.JudgedProperty]), Is.EqualTo(new[] { 0 }));
            Assert.That(second.Single().Results[RiskSweepPlugin.EscalatedProperty], Is.EqualTo(0));
            var after = _org.Org.All(Opportunity.EntityName).Concat(_org.Org.All(RiskAlert.EntityName)).Concat(_org.Org.All(RiskHistory.EntityName)).Concat(_org.Org.All(AppNotification.EntityName))
                .Concat(_org.Org.All(DemandEntryTable.EntityName))
                .ToDictionary(e => e.Id, e => e.GetAttributeValue<long?>("versionnumber"));
            Assert.That(after, Is.EqualTo(rows), "no row created or changed by the second run");
            Assert.That(_org.Org.Get(RiskAlert.EntityName, alert)!.GetAttributeValue<int?>(RiskAlert.EscalationLevel), Is.EqualTo(1));
        }

        [Test]
        public void Sweep_WithASmallPageSize_ContinuesWhereItStopped()
        {
            var deals = Enumerable.Range(0, 7).Select(i => _org.CreateDeal("Deal " + i, closeInDays: 60 + i)).ToList();
            _org.Org.UtcNow = SalesOrg.Today.AddDays(1);

            var responses = SweepUntilDone(pageSize: 3);

            Assert.That(responses.Select(r => (int)r.Results[RiskSweepPlugin.JudgedProperty]), Is.EqualTo(new[] { 3, 3, 1 }));
            Assert.That(responses.Select(r => (bool)r.Results[RiskSweepPlugin.DoneProperty]), Is.EqualTo(new[] { false, false, true }));
            Assert.That(responses[0].Results[RiskSweepPlugin.ContinuationTokenProperty], Is.EqualTo("2026-11-03"));
            Assert.That(responses[2].Results[RiskSweepPlugin.ContinuationTokenProperty], Is.EqualTo(""));
            Assert.That(deals.Select(d => _org.Deal(d).GetAttributeValue<DateTime?>(Opportunity.LastSweepOn)), Has.All.EqualTo(SalesOrg.Today.AddDays(1)));
        }

        [Test]
        public void Sweep_AfterMidnight_WithYesterdaysToken_FinishesYesterdaysSweep()
        {
            for (var i = 0; i < 4; i++) _org.CreateDeal("Deal " + i);
            _org.Org.UtcNow = SalesOrg.Today.AddDays(1).Date.AddHours(23).AddMinutes(59);
            var first = Sweep(pageSize: 2);
            _org.Org.UtcNow = SalesOrg.Today.AddDays(2).Date.AddMinutes(1);

            var rest = Sweep(pageSize: 2, token: (string)first.Results[RiskSweepPlugin.ContinuationTokenProperty]);
            var done = Sweep(pageSize: 2, token: (string)rest.Results[RiskSweepPlugin.ContinuationTokenProperty]);

            Assert.That(rest.Results[RiskSweepPlugin.JudgedProperty], Is.EqualTo(2), "the two deals yesterday's run had left");
            Assert.That(done.Results[RiskSweepPlugin.JudgedProperty], Is.EqualTo(0));
            Assert.That(done.Results[RiskSweepPlugin.DoneProperty], Is.True);
        }

        [Test]
        public void Sweep_ServiceCalls_AreTheSameForPagesOfOneAndPagesOfTen()
        {
            // Each org has a policy row and a won deal, so the day's first page also writes the won deals' medians.
            (int First, int Next) CallsOfTwoPages(int deals)
            {
                var org = new SalesOrg();
                org.ManagerService.Create(new Entity(RiskPolicyTable.EntityName) { [RiskPolicyTable.Name] = "Default" });
                org.RepService.Execute(org.Win(org.CreateDeal("Won last week")));
                org.Org.RunAsyncOperations();
                for (var i = 0; i < deals; i++)
                {
                    var d = org.CreateDeal("Deal " + i, closeInDays: 5);
                    org.AddLine(d, org.ImplementationPack, 1, 10_000m);
                    org.SeedOpenAlert(d, org.Rep);
                }

                // More change rows than one fold takes, so both pages fold (the most a page costs).
                org.Org.Seed(Enumerable.Range(0, LedgerFold.OldestPerFold + 100).Select(i => DemandLedger.Row(new DemandEntry("Developer", SalesOrg.Today.Date.AddDays(i % 7), 1m))!));
                org.Org.UtcNow = SalesOrg.Today.AddDays(3);
                var manager = org.Org.GetOrganizationService(org.Manager);
                var first = manager.Execute(new OrganizationRequest(RiskSweepPlugin.MessageName) { [RiskSweepPlugin.PageSizeParameter] = deals / 2 });
                var firstCalls = org.Org.Executions.Last(e => e.PluginType == typeof(RiskSweepPlugin)).Calls.Total;
                manager.Execute(new OrganizationRequest(RiskSweepPlugin.MessageName)
                {
                    [RiskSweepPlugin.PageSizeParameter] = deals / 2, [RiskSweepPlugin.ContinuationTokenParameter] = first.Results[RiskSweepPlugin.ContinuationTokenProperty],
                });
                var nextCalls = org.Org.Executions.Last(e => e.PluginType == typeof(RiskSweepPlugin)).Calls.Total;
                Assert.That(org.Org.All(RiskAlert.EntityName).Select(a => a.GetAttributeValue<int?>(RiskAlert.EscalationLevel)), Has.All.EqualTo(1), "every alert escalated");
                Assert.That(org.Org.All(RiskPolicyTable.EntityName).Single().GetAttributeValue<string>(RiskPolicyTable.WonStageDays), Is.EqualTo("Develop=0 (1)"), "the first page wrote the medians");
                return (firstCalls, nextCalls);
            }

            var two = CallsOfTwoPages(2);
            var twenty = CallsOfTwoPages(20);

            Assert.That(twenty, Is.EqualTo(two));
            Assert.That(twenty.First, Is.EqualTo(RiskSweepPlugin.CallsOfFirstPage), "the page's calls, the medians' three and the fold's four");
            Assert.That(twenty.Next, Is.EqualTo(RiskSweepPlugin.CallsPerPage), "9 for the deals and their alerts, 4 for the fold");
            Assert.That(twenty.First - twenty.Next, Is.EqualTo(3), "the won deals' history, the policy rows and their UpdateMultiple: a continued page does not work out the medians again");
        }

        [Test]
        public void Sweep_WithoutThePageSize_IsRefusedAsThePlatformRefusesAMissingRequiredParameter()
        {
            _org.CreateDeal();

            Assert.That(() => _org.Org.GetOrganizationService(_org.Manager).Execute(new OrganizationRequest(RiskSweepPlugin.MessageName)),
                Throws.InstanceOf<FaultException<OrganizationServiceFault>>().With.Message.Contains(RiskSweepPlugin.PageSizeParameter));
            Assert.That(_org.Org.Executions.Any(e => e.PluginType == typeof(RiskSweepPlugin)), Is.False, "refused before the plugin ran");
        }

        [Test]
        public void Sweep_AStrangerToken_IsRefusedWithASentence()
        {
            Assert.That(() => Sweep(token: "page-7"), Throws.InstanceOf<FaultException<OrganizationServiceFault>>().With.Message.Contains("ContinuationToken 'page-7' is not one this sweep returned"));
        }

        [Test]
        public void Sweep_AnAlertEscalated_GoesToTheRecipientsManagerAndNotifiesThem()
        {
            var director = Guid.Parse("10000000-0000-0000-0000-000000000009");
            _org.Org.Seed(new Entity(SystemUser.EntityName, director) { [SystemUser.FullName] = "Dina Director" });
            _org.Org.GetOrganizationService().Update(new Entity(SystemUser.EntityName, _org.Manager) { [SystemUser.ParentSystemUserId] = new EntityReference(SystemUser.EntityName, director) });
            var deal = _org.CreateDeal();
            var alert = _org.SeedOpenAlert(deal, _org.Manager);

            _org.Org.UtcNow = SalesOrg.Today.AddHours(14);
            var early = SweepUntilDone();
            _org.Org.UtcNow = SalesOrg.Today.AddDays(1).AddHours(1);
            var due = SweepUntilDone();

            Assert.That(early.Sum(r => (int)r.Results[RiskSweepPlugin.EscalatedProperty]), Is.EqualTo(0), "raised 38 h before: not yet stale (the policy: 48 h)");
            Assert.That(due.Sum(r => (int)r.Results[RiskSweepPlugin.EscalatedProperty]), Is.EqualTo(1));
            var stored = _org.Org.Get(RiskAlert.EntityName, alert)!;
            Assert.That(stored.GetAttributeValue<EntityReference>(RiskAlert.RecipientId).Id, Is.EqualTo(director));
            Assert.That(stored.GetAttributeValue<DateTime?>(RiskAlert.EscalatedOn), Is.EqualTo(SalesOrg.Today.AddDays(1).AddHours(1)));
            Assert.That(_org.Org.All(AppNotification.EntityName).Single().GetAttributeValue<EntityReference>(AppNotification.OwnerId).Id, Is.EqualTo(director));
        }

        [Test]
        public void Save_InAStageWithoutTheFactsThePolicyRequires_FindsTheGate_AndFillingThemClearsIt()
        {
            _org.Org.Seed(new Entity(RiskPolicyTable.EntityName) { [RiskPolicyTable.Name] = "Default", [RiskPolicyTable.StageGates] = "Develop: DecisionMaker, Budget; Propose: CustomerNeed" });
            var deal = _org.CreateDeal(processFollowed: false);
            Assert.That(Codes(deal), Does.Contain(StageGateCheck.GateMissing));
            Assert.That(_org.Deal(deal).GetAttributeValue<string>(Opportunity.RiskReasons),
                Does.Contain("Medium: In Develop without 2 facts the sales process requires by then: decision maker identified, budget estimated (due by Develop)."));

            _org.RepService.Update(new Entity(Opportunity.EntityName, deal) { [OpportunitySalesProcess.DecisionMaker] = true, [OpportunitySalesProcess.BudgetAmount] = new Money(80_000m) });
            Assert.That(Codes(deal), Does.Not.Contain(StageGateCheck.GateMissing));

            _org.RepService.Update(new Entity(Opportunity.EntityName, deal) { [Opportunity.SalesStage] = new OptionSetValue(3) });
            Assert.That(_org.Deal(deal).GetAttributeValue<string>(Opportunity.RiskReasons), Does.Contain(
                "High: In Close without 5 facts the sales process requires by then: customer need (due by Propose); " +
                "sales team identified, proposal developed, internal review completed, proposal presented (due by Close)."), "Close keeps its built-in gates");
        }

        [Test]
        public void Save_AfterACompletedActivity_ClearsTheSilenceTheSweepFound()
        {
            var deal = _org.CreateDeal(closeInDays: 120);
            _org.Org.UtcNow = SalesOrg.Today.AddDays(25);
            SweepUntilDone();
            Assert.That(Codes(deal), Does.Contain(MomentumCheck.NoCustomerActivity));
            Assert.That(_org.Deal(deal).GetAttributeValue<string>(Opportunity.RiskReasons), Does.Contain("No customer activity for 25 days (none completed since the deal was created on 2026-11-02); the policy allows 21 days."));

            CompletedCall(deal, _org.Org.UtcNow);
            _org.RepService.Update(new Entity(Opportunity.EntityName, deal) { [Opportunity.CloseProbability] = 70 });

            Assert.That(Codes(deal), Does.Not.Contain(MomentumCheck.NoCustomerActivity));
        }
    }
}
