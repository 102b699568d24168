using System;
using System.Linq;
using System.ServiceModel;
using System.Text.Json.Nodes;
using DealRisk.Cli.Demo;
using DealRisk.Cli.Live;
using DealRisk.Plugins.Ledger;
using DealRisk.Plugins.Schema;
using Microsoft.Xrm.Sdk;
using NUnit.Framework;

namespace DealRisk.Cli.Tests
{
    /// <summary>
    /// `dealrisk ledger rebuild --url` against a Web API on the loopback address whose dr_RebuildDemandLedger action is the
    /// emulator running the solution's Custom API (Solution/customapis, the rebuild plugin): the command calls it page by
    /// page until the Continuation comes back empty, and the ledger holds the deals that reached the org outside the suite.
    /// </summary>
    [TestFixture, NonParallelizable]
    public sealed class LedgerLiveTests : LiveFixture
    {
        private SampleOrg _sample = null!;

        [SetUp]
        public void Org()
        {
            _sample = new SampleOrg(SampleOrg.FindSolutionFolder());
            // Five deals loaded beside the suite (a migration, an import before the solution): straight into the store, each
            // with a 40-hour consultant package.
            var package = new Entity(Product.EntityName, Guid.NewGuid()) { [Product.Name] = "Migration package", [Product.DeliveryHoursPerUnit] = 40m, [Product.DeliveryRole] = new OptionSetValue(OptionSets.Prefix) };
            _sample.Org.Seed(package);
            for (var i = 0; i < 5; i++)
            {
                var deal = new Entity(Opportunity.EntityName, new Guid($"40000000-0000-0000-0000-00000000000{i + 1}"))
                {
                    [Opportunity.Name] = "Migrated " + i, [Opportunity.EstimatedCloseDate] = SampleOrg.Start.Date.AddDays(40), [Opportunity.CloseProbability] = 50,
                };
                _sample.Org.Seed(deal, new Entity(OpportunityProduct.EntityName)
                {
                    [OpportunityProduct.OpportunityId] = deal.ToEntityReference(), [OpportunityProduct.ProductId] = package.ToEntityReference(), [OpportunityProduct.Quantity] = 1m,
                });
            }
            Server.Override = resource => resource != LedgerCommand.Api ? null : Execute(Server.Requests.Last(r => r.PathAndQuery.EndsWith(LedgerCommand.Api, StringComparison.Ordinal)).Body);
        }

        private (int, string, string) Execute(string body)
        {
            var parameters = JsonNode.Parse(body)!.AsObject();
            var request = new OrganizationRequest(LedgerCommand.Api);
            if (parameters["PageSize"] is JsonNode size) request["PageSize"] = size.GetValue<int>();
            if (parameters["Continuation"] is JsonNode continuation) request["Continuation"] = continuation.GetValue<string>();
            try
            {
                var response = _sample.Org.GetOrganizationService(_sample.Org.AdministratorId).Execute(request);
                var json = new JsonObject();
                foreach (var result in response.Results) json[result.Key] = JsonValue.Create(result.Value);
                return (200, "application/json", json.ToJsonString());
            }
            catch (FaultException<OrganizationServiceFault> fault)
            {
                return (400, "application/json", new JsonObject { ["error"] = new JsonObject { ["code"] = "0x" + fault.Detail.ErrorCode.ToString("x8"), ["message"] = fault.Detail.Message } }.ToJsonString());
            }
        }

        /// <summary>The deals the rebuild reads: open, or won within the policies' longest delivery window and 31 days.</summary>
        private int OpenAndRecentlyWon()
        {
            var window = _sample.Org.All(RiskPolicyTable.EntityName).Select(p => DealRisk.Plugins.PolicyReader.Read(p).DeliveryWindowDays).DefaultIfEmpty(90).Max();
            var since = _sample.Org.UtcNow.Date.AddDays(-(window + RebuildDemandLedgerPlugin.WonMarginDays));
            return _sample.Org.All(Opportunity.EntityName).Count(d =>
                d.GetAttributeValue<OptionSetValue>(Opportunity.StateCode)?.Value == OpportunityState.Open ||
                (d.GetAttributeValue<OptionSetValue>(Opportunity.StateCode)?.Value == OpportunityState.Won && (d.GetAttributeValue<DateTime?>(Opportunity.ActualCloseDate) ?? DateTime.MaxValue) >= since));
        }

        [Test]
        public void LedgerRebuild_CallsTheCustomApiPageByPage_UntilTheContinuationIsEmpty()
        {
            var result = CliRun.Run("ledger", "rebuild", "--url", Server.Url, "--page-size", "4");

            Assert.That(result.Exit, Is.EqualTo(ExitCodes.Ok), result.Error);
            var calls = Server.Requests.Where(r => r.PathAndQuery.EndsWith(LedgerCommand.Api, StringComparison.Ordinal)).Select(r => JsonNode.Parse(r.Body)!.AsObject()).ToList();
            var deals = OpenAndRecentlyWon();
            Assert.That(calls, Has.Count.EqualTo(deals / 4 + 1), "pages of 4, the last one short");
            Assert.That(calls[0]["Continuation"], Is.Null);
            Assert.That(calls.Skip(1).Select(c => c["Continuation"]!.GetValue<string>()), Has.All.Length.EqualTo(36), "the id of the previous page's last deal");
            Assert.That(calls.Select(c => c["PageSize"]!.GetValue<int>()), Has.All.EqualTo(4));
            Assert.That(result.Out, Does.Contain($"Demand ledger rebuilt in {calls.Count} call(s): {deals} deal(s) read"));
            // 5 deals × 40 h × 0.5 = 100 consultant hours from their close day, folded into one active row.
            var active = _sample.Org.All(DemandEntryTable.EntityName).Where(r => r.GetAttributeValue<OptionSetValue>(DemandEntryTable.StateCode).Value == LedgerFold.Active)
                .Select(DemandLedger.Entry).Select(e => (e!.Role, e.Day, e.WeightedHours)).ToList();
            Assert.That(active, Is.EqualTo(new (string, DateTime?, decimal)[] { ("Consultant", SampleOrg.Start.Date.AddDays(40), 100m) }));
        }

        [Test]
        public void LedgerRebuild_RunTwice_PostsNothingTheSecondTime()
        {
            Assert.That(CliRun.Run("ledger", "rebuild", "--url", Server.Url).Exit, Is.EqualTo(ExitCodes.Ok));

            var again = CliRun.Run("ledger", "rebuild", "--url", Server.Url);

            Assert.That(again.Exit, Is.EqualTo(ExitCodes.Ok), again.Error);
            Assert.That(again.Out, Does.Contain($"Demand ledger rebuilt in 1 call(s): {OpenAndRecentlyWon()} deal(s) read, 0 role-day change(s) posted."));
        }

        [Test]
        public void LedgerRebuild_ABadPageSize_IsAUsageError_AndNothingIsCalled()
        {
            var result = CliRun.Run("ledger", "rebuild", "--url", Server.Url, "--page-size", "1001");

            Assert.That(result.Exit, Is.EqualTo(ExitCodes.BadInput));
            Assert.That(result.Error, Does.Contain("--page-size must be between 1 and 1,000."));
            Assert.That(Server.Requests.Any(r => r.PathAndQuery.Contains(LedgerCommand.Api, StringComparison.Ordinal)), Is.False);
        }

        [Test]
        public void LedgerRebuild_RefusedByTheEnvironment_ExitsOne_WithThePlatformsReason()
        {
            Server.Override = resource => resource != LedgerCommand.Api ? null
                : (403, "application/json", new JsonObject { ["error"] = new JsonObject { ["code"] = "0x80040220", ["message"] = "Principal user is missing prvWritedr_DemandEntry privilege." } }.ToJsonString());

            var result = CliRun.Run("ledger", "rebuild", "--url", Server.Url);

            Assert.That(result.Exit, Is.EqualTo(ExitCodes.Failed));
            Assert.That(result.Error, Does.StartWith("error: ").And.Contain("prvWritedr_DemandEntry"));
        }

        [Test]
        public void LedgerRebuild_AServerGivingBackTheSameContinuation_IsStopped()
        {
            Server.Override = resource => resource != LedgerCommand.Api ? null
                : (200, "application/json", new JsonObject { ["Continuation"] = "40000000-0000-0000-0000-000000000001", ["Deals"] = 250, ["Entries"] = 0 }.ToJsonString());

            var result = CliRun.Run("ledger", "rebuild", "--url", Server.Url);

            Assert.That(result.Exit, Is.EqualTo(ExitCodes.Failed));
            Assert.That(result.Error, Does.Contain("answered dr_RebuildDemandLedger with the Continuation it was given"));
            Assert.That(Server.Requests.Count(r => r.PathAndQuery.EndsWith(LedgerCommand.Api, StringComparison.Ordinal)), Is.EqualTo(2));
        }
    }
}
