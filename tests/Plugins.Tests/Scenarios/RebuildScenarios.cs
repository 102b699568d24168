using System;
using System.Collections.Generic;
using System.Linq;
using System.ServiceModel;
using DealRisk.Plugins.Ledger;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using NUnit.Framework;

namespace DealRisk.Plugins.Tests.Scenarios
{
    /// <summary>
    /// The ledger rebuilt from the org's rows (the Custom API dr_RebuildDemandLedger that Solution/customapis registers,
    /// its plugin as the main operation) for deals seeded straight into the store, as deals saved before the suite was
    /// imported are: none of them went through the risk step, so the ledger holds nothing for them until the rebuild.
    /// </summary>
    [TestFixture]
    public sealed class RebuildScenarios
    {
        // SalesOrg's today is 2026-11-02; with no policy row the delivery window is the built-in 90 days, so won deals are
        // read when won on or after 2026-11-02 - (90 + 31) days = 2026-07-04.
        private static readonly DateTime Dec1 = new(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);
        private static readonly DateTime WonOct20 = new(2026, 10, 20, 0, 0, 0, DateTimeKind.Utc);
        private readonly Guid _customBuild = new("20000000-0000-0000-0000-000000000004");
        private SalesOrg _org = null!;

        [SetUp]
        public void SetUp()
        {
            _org = new SalesOrg();
            // 10 developer hours per unit (the implementation pack is SalesOrg's: 40 consultant hours per unit).
            _org.Org.Seed(new Entity(Product.EntityName, _customBuild)
            {
                [Product.Name] = "Custom build", [Product.DeliveryHoursPerUnit] = 10m, [Product.DeliveryRole] = new OptionSetValue(Developer),
            });
        }

        private static int Developer => OptionSets.Prefix + 2;

        private Guid SeedDeal(string name, int state = OpportunityState.Open, int? probability = 60, DateTime? close = null, DateTime? won = null, string? posted = null, Guid? id = null)
        {
            var deal = new Entity(Opportunity.EntityName, id ?? Guid.NewGuid())
            {
                [Opportunity.Name] = name,
                [Opportunity.StateCode] = new OptionSetValue(state),
                [Opportunity.StatusCode] = new OptionSetValue(state == OpportunityState.Open ? 1 : state == OpportunityState.Won ? 3 : 4),
                [Opportunity.CloseProbability] = probability,
                [Opportunity.EstimatedCloseDate] = close,
                [Opportunity.ActualCloseDate] = won,
                [Opportunity.DemandPosted] = posted,
            };
            _org.Org.Seed(deal);
            return deal.Id;
        }

        private void SeedLine(Guid deal, Guid product, decimal quantity) =>
            _org.Org.Seed(new Entity(OpportunityProduct.EntityName)
            {
                [OpportunityProduct.OpportunityId] = new EntityReference(Opportunity.EntityName, deal),
                [OpportunityProduct.ProductId] = new EntityReference(Product.EntityName, product),
                [OpportunityProduct.Quantity] = quantity,
            });

        private void SeedRequirement(Guid deal, decimal hours, int role) =>
            _org.Org.Seed(new Entity(Requirement.EntityName)
            {
                [Requirement.OpportunityId] = new EntityReference(Opportunity.EntityName, deal),
                [Requirement.Name] = "Integration with the ERP",
                [Requirement.Priority] = new OptionSetValue(OptionSets.PriorityValue(RequirementPriority.MustHave)),
                [Requirement.Fit] = new OptionSetValue(OptionSets.FitValue(RequirementFit.Customisation)),
                [Requirement.EffortHours] = hours,
                [Requirement.Role] = new OptionSetValue(role),
            });

        /// <summary>The active ledger rows, one (role, day, hours) each, in role and day order.</summary>
        private List<(string Role, DateTime? Day, decimal Hours)> Ledger()
        {
            var query = new QueryExpression(DemandEntryTable.EntityName) { ColumnSet = new ColumnSet(DemandEntryTable.Role, DemandEntryTable.Day, DemandEntryTable.WeightedHours) };
            query.Criteria.AddCondition(DemandEntryTable.StateCode, ConditionOperator.Equal, LedgerFold.Active);
            return _org.Org.GetOrganizationService().RetrieveMultiple(query).Entities.Select(DemandLedger.Entry)
                .Select(e => (e!.Role, e.Day, e.WeightedHours)).OrderBy(e => e.Role, StringComparer.Ordinal).ThenBy(e => e.Day ?? DateTime.MinValue).ToList();
        }

        /// <summary>The org of the first scenarios: open, won, lost, long-won, undated and hour-less deals.</summary>
        private void SeedTheOrg()
        {
            // A: 60%, closing 1 Dec: 2 implementation packs (80 consultant h) and a requirement of 30 developer h.
            var a = SeedDeal("A", probability: 60, close: Dec1);
            SeedLine(a, _org.ImplementationPack, 2);
            SeedRequirement(a, 30m, Developer);
            // B: 25%, closing 1 Dec, one pack (40 h); someone typed into dr_demandposted: the ledger is taken to hold nothing for it.
            var b = SeedDeal("B", probability: 25, close: Dec1, posted: "typed by hand");
            SeedLine(b, _org.ImplementationPack, 1);
            // C: 50%, no close date: 3 custom builds (30 developer h), delivery starting the day the ledger is read.
            var c = SeedDeal("C", probability: 50, close: null);
            SeedLine(c, _customBuild, 3);
            // D: won on 20 Oct (inside 121 days): one pack, in full from the day it was won.
            var d = SeedDeal("D", OpportunityState.Won, probability: 100, close: Dec1, won: WonOct20);
            SeedLine(d, _org.ImplementationPack, 1);
            // E: lost: holds nothing. F: won on 1 Mar, before 4 Jul: its delivery touches no window, not read.
            SeedLine(SeedDeal("E", OpportunityState.Lost, probability: 0, close: Dec1), _org.ImplementationPack, 5);
            SeedLine(SeedDeal("F", OpportunityState.Won, probability: 100, close: Dec1, won: new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc)), _org.ImplementationPack, 5);
            // G: 40%, licences only: no delivery hours, nothing to hold.
            SeedLine(SeedDeal("G", probability: 40, close: Dec1.AddDays(45)), _org.Licence, 10);
        }

        [Test]
        public void Rebuild_OfASeededOrg_LeavesOneActiveRowPerRoleAndDay_WithTheHoursWorkedByHand()
        {
            SeedTheOrg();

            var responses = LedgerRebuild.Run(_org.Org);

            // Consultant, 20 Oct: D's 40 h in full. Consultant, 1 Dec: A 80 × 0.6 = 48, B 40 × 0.25 = 10: 58.
            // Developer, 1 Dec: A's requirement 30 × 0.6 = 18. Developer, no day: C 30 × 0.5 = 15. E, F and G: nothing.
            Assert.That(Ledger(), Is.EqualTo(new (string, DateTime?, decimal)[]
            {
                ("Consultant", WonOct20, 40m),
                ("Consultant", Dec1, 58m),
                ("Developer", null, 15m),
                ("Developer", Dec1, 18m),
            }));
            Assert.That(responses.Sum(r => (int)r.Results[RebuildDemandLedgerPlugin.DealsProperty]), Is.EqualTo(5), "A, B, C, D and G: not the lost deal nor the one won in March");
            Assert.That(responses.Sum(r => (int)r.Results[RebuildDemandLedgerPlugin.EntriesProperty]), Is.EqualTo(4), "the page's changes, one row per role and day");
            var b = _org.Org.All(Opportunity.EntityName).Single(o => o.GetAttributeValue<string>(Opportunity.Name) == "B");
            Assert.That(b.GetAttributeValue<string>(Opportunity.DemandPosted), Is.EqualTo("v1;w=0.25;d=2026-12-01;Consultant=40"));
            var d = _org.Org.All(Opportunity.EntityName).Single(o => o.GetAttributeValue<string>(Opportunity.Name) == "D");
            Assert.That(d.GetAttributeValue<string>(Opportunity.DemandPosted), Is.EqualTo("v1;w=1;d=2026-12-01;Consultant=40"), "a won deal keeps its open posting; its holding follows from it and the day it was won");
            Assert.That(_org.Org.Executions.Single(e => e.PluginType == typeof(RebuildDemandLedgerPlugin)).Trace, Does.Contain("'typed by hand' is not the suite's text"));
        }

        [Test]
        public void Rebuild_WritingDemandPosted_JudgesNoDealAgain()
        {
            SeedTheOrg();

            LedgerRebuild.Run(_org.Org);

            // dr_demandposted is no filtering attribute of any step of Solution/ on opportunity: the UpdateMultiple of the
            // texts runs no plugin, so deals are not judged again by a rebuild.
            Assert.That(_org.Org.Executions.Select(e => e.PluginType).Distinct(), Is.EqualTo(new[] { typeof(RebuildDemandLedgerPlugin) }));
            Assert.That(_org.Org.AsyncOperations, Is.Empty, "no history or alert job queued either");
        }

        [Test]
        public void Rebuild_RunASecondTime_PostsNothing()
        {
            SeedTheOrg();
            LedgerRebuild.Run(_org.Org);
            var before = _org.Org.All(DemandEntryTable.EntityName).Concat(_org.Org.All(Opportunity.EntityName)).ToDictionary(e => e.Id, e => e.GetAttributeValue<long?>("versionnumber"));

            var second = LedgerRebuild.Run(_org.Org);

            Assert.That(second.Sum(r => (int)r.Results[RebuildDemandLedgerPlugin.EntriesProperty]), Is.EqualTo(0));
            var after = _org.Org.All(DemandEntryTable.EntityName).Concat(_org.Org.All(Opportunity.EntityName)).ToDictionary(e => e.Id, e => e.GetAttributeValue<long?>("versionnumber"));
            Assert.That(after, Is.EqualTo(before), "no ledger row or deal created or changed");
        }

        [Test]
        public void Rebuild_AfterAProductsDeliveryHoursChanged_PostsTheDifference()
        {
            SeedTheOrg();
            LedgerRebuild.Run(_org.Org);

            _org.Org.GetOrganizationService().Update(new Entity(Product.EntityName, _org.ImplementationPack) { [Product.DeliveryHoursPerUnit] = 50m });
            var rows = _org.Org.All(DemandEntryTable.EntityName).Count;
            var again = LedgerRebuild.Run(_org.Org);

            // 10 more hours per pack. Consultant, 1 Dec: A 2 × 10 × 0.6 = 12, B 10 × 0.25 = 2.5: one row of +14.5. Consultant,
            // 20 Oct: D +10. Folded: 58 + 14.5 = 72.5 and 40 + 10 = 50; the developer rows untouched.
            Assert.That(again.Sum(r => (int)r.Results[RebuildDemandLedgerPlugin.EntriesProperty]), Is.EqualTo(2));
            Assert.That(Ledger(), Is.EqualTo(new (string, DateTime?, decimal)[]
            {
                ("Consultant", WonOct20, 50m),
                ("Consultant", Dec1, 72.5m),
                ("Developer", null, 15m),
                ("Developer", Dec1, 18m),
            }));
            // The changes are folded straight in (LedgerFold.Post), not first written as change rows the same page deactivates.
            Assert.That(_org.Org.All(DemandEntryTable.EntityName).Count - rows, Is.EqualTo(2), "2 folded rows with the changes in them; the 2 rows they replace deactivated");
        }

        [Test]
        public void Rebuild_WithPagesOfThree_ContinuesWhereItStopped_AndBuildsTheSameLedger()
        {
            // Ids in the order Dataverse sorts uniqueidentifier (its last six bytes first), so the pages' deals are known.
            for (var i = 1; i <= 7; i++)
                SeedLine(SeedDeal("Deal " + i, probability: 10 * i, close: Dec1, id: new Guid($"30000000-0000-0000-0000-00000000000{i}")), _org.ImplementationPack, 1);

            var responses = LedgerRebuild.Run(_org.Org, pageSize: 3);

            Assert.That(responses.Select(r => (int)r.Results[RebuildDemandLedgerPlugin.DealsProperty]), Is.EqualTo(new[] { 3, 3, 1 }));
            Assert.That(responses.Select(r => (string)r.Results[RebuildDemandLedgerPlugin.ContinuationProperty]),
                Is.EqualTo(new[] { "30000000-0000-0000-0000-000000000003", "30000000-0000-0000-0000-000000000006", "" }));
            // 40 h × (0.1 + 0.2 + ... + 0.7) = 40 × 2.8 = 112, posted by three pages and folded into one row.
            Assert.That(Ledger(), Is.EqualTo(new (string, DateTime?, decimal)[] { ("Consultant", Dec1, 112m) }));
        }

        [Test]
        public void Rebuild_ServiceCalls_AreTheSameForPagesOfOneAndOfFifty()
        {
            int CallsOfAPage(int deals)
            {
                var org = new SalesOrg();
                // A row the ledger held already on the deals' key, so the fold has rows to fold: every call of a page is made.
                org.Org.Seed(DemandLedger.Row(new DemandEntry("Consultant", Dec1, 5m))!);
                for (var i = 0; i < deals; i++)
                {
                    var deal = new Entity(Opportunity.EntityName, Guid.NewGuid()) { [Opportunity.Name] = "Deal " + i, [Opportunity.CloseProbability] = 50, [Opportunity.EstimatedCloseDate] = Dec1 };
                    org.Org.Seed(deal);
                    org.Org.Seed(new Entity(OpportunityProduct.EntityName)
                    {
                        [OpportunityProduct.OpportunityId] = deal.ToEntityReference(), [OpportunityProduct.ProductId] = new EntityReference(Product.EntityName, org.ImplementationPack), [OpportunityProduct.Quantity] = 1m,
                    });
                    org.Org.Seed(new Entity(Requirement.EntityName)
                    {
                        [Requirement.OpportunityId] = deal.ToEntityReference(), [Requirement.Name] = "Data migration", [Requirement.EffortHours] = 8m, [Requirement.Role] = new OptionSetValue(Developer),
                    });
                }

                LedgerRebuild.Run(org.Org, pageSize: deals + 1);
                var execution = org.Org.Executions.Single(e => e.PluginType == typeof(RebuildDemandLedgerPlugin));
                // The page's changes are folded straight into the ledger (LedgerFold.Post): no change rows written only for the same page to deactivate them.
                Assert.That(execution.Calls["CreateMultiple"], Is.EqualTo(1), "the folded rows, changes included");
                Assert.That(execution.Calls["UpdateMultiple"], Is.EqualTo(2), "the fold's deactivated rows, and the deals' texts");
                return execution.Calls.Total;
            }

            var one = CallsOfAPage(1);
            var fifty = CallsOfAPage(50);

            Assert.That(fifty, Is.EqualTo(one));
            Assert.That(fifty, Is.EqualTo(RebuildDemandLedgerPlugin.CallsPerPage), "policies, deals, lines, requirements, the fold's three with the changes, the texts");
        }

        [Test]
        public void Rebuild_CalledByARep_IsRefused_AndByADealRiskAdministrator_Runs()
        {
            SeedTheOrg();
            _org.WithRolesEnforced();
            var admin = new Guid("10000000-0000-0000-0000-000000000003");
            _org.Org.Seed(new Entity(SystemUser.EntityName, admin) { [SystemUser.FullName] = "Ada Admin", [SystemUser.BusinessUnitId] = new EntityReference("businessunit", _org.Org.RootBusinessUnitId) });
            _org.Org.Security.AssignRole(admin, "Deal Risk Administrator");
            var request = new OrganizationRequest(RebuildDemandLedgerPlugin.MessageName) { [RebuildDemandLedgerPlugin.PageSizeParameter] = 250 };

            Assert.That(() => _org.RepService.Execute(request), Throws.InstanceOf<FaultException<OrganizationServiceFault>>().With.Message.Contains("prvWritedr_DemandEntry"));
            Assert.That(() => _org.ManagerService.Execute(request), Throws.InstanceOf<FaultException<OrganizationServiceFault>>().With.Message.Contains("prvWritedr_DemandEntry"));
            Assert.That(_org.Org.Executions.Any(e => e.PluginType == typeof(RebuildDemandLedgerPlugin)), Is.False, "refused before the plugin ran");
            Assert.That(Ledger(), Is.Empty);

            var done = _org.Org.GetOrganizationService(admin).Execute(request);

            Assert.That(done.Results[RebuildDemandLedgerPlugin.DealsProperty], Is.EqualTo(5));
            Assert.That(Ledger(), Has.Count.EqualTo(4), "run as SYSTEM: the administrator's own privileges do not limit what it reads");
        }

        [Test]
        public void Rebuild_AStrangerContinuation_IsRefusedWithASentence()
        {
            var request = new OrganizationRequest(RebuildDemandLedgerPlugin.MessageName) { [RebuildDemandLedgerPlugin.PageSizeParameter] = 10, [RebuildDemandLedgerPlugin.ContinuationParameter] = "page-7" };

            Assert.That(() => _org.Org.GetOrganizationService(_org.Org.AdministratorId).Execute(request),
                Throws.InstanceOf<FaultException<OrganizationServiceFault>>().With.Message.Contains("Continuation 'page-7' is not one this rebuild returned"));
        }
    }
}
