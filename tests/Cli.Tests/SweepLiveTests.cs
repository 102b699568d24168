using System;
using System.Linq;
using System.ServiceModel;
using System.Text.Json.Nodes;
using DealRisk.Cli.Demo;
using DealRisk.Plugins.Schema;
using Microsoft.Xrm.Sdk;
using NUnit.Framework;

namespace DealRisk.Cli.Tests
{
    /// <summary>
    /// `dealrisk sweep --url` against a Web API on the loopback address whose dr_RunRiskSweep action is the emulator
    /// running the solution's Custom API (Solution/customapis, the sweep plugin, the risk step it triggers): the command
    /// calls it until Done, passing back the token, and the deals are judged in the emulator.
    /// </summary>
    [TestFixture, NonParallelizable]
    public sealed class SweepLiveTests : LiveFixture
    {
        private SampleOrg _sample = null!;

        [SetUp]
        public void Org()
        {
            _sample = new SampleOrg(SampleOrg.FindSolutionFolder());
            var rob = _sample.Org.GetOrganizationService(SampleOrg.Rob);
            for (var i = 0; i < 5; i++)
                rob.Create(new Entity(Opportunity.EntityName)
                {
                    [Opportunity.Name] = "Deal " + i, [Opportunity.EstimatedValue] = new Money(50_000m),
                    [Opportunity.EstimatedCloseDate] = SampleOrg.Start.Date.AddDays(10 + i), [Opportunity.SalesStage] = new OptionSetValue(1),
                });
            _sample.Org.UtcNow = SampleOrg.Start.AddDays(30);
            // The Web API's answer to an unbound action: its response properties as JSON; a fault as the platform's error body.
            Server.Override = resource => resource != "dr_RunRiskSweep" ? null : Execute(Server.Requests.Last(r => r.PathAndQuery.EndsWith("dr_RunRiskSweep", StringComparison.Ordinal)).Body);
        }

        private (int, string, string) Execute(string body)
        {
            var parameters = JsonNode.Parse(body)!.AsObject();
            var request = new OrganizationRequest("dr_RunRiskSweep");
            if (parameters["PageSize"] is JsonNode size) request["PageSize"] = size.GetValue<int>();
            if (parameters["ContinuationToken"] is JsonNode token) request["ContinuationToken"] = token.GetValue<string>();
            try
            {
                var response = _sample.Org.GetOrganizationService(SampleOrg.Vera).Execute(request);
                var json = new JsonObject();
                foreach (var result in response.Results) json[result.Key] = JsonValue.Create(result.Value);
                return (200, "application/json", json.ToJsonString());
            }
            catch (FaultException<OrganizationServiceFault> fault)
            {
                return (400, "application/json", new JsonObject { ["error"] = new JsonObject { ["code"] = "0x" + fault.Detail.ErrorCode.ToString("x8"), ["message"] = fault.Detail.Message } }.ToJsonString());
            }
        }

        [Test]
        public void Sweep_WithASmallPageSize_CallsTheCustomApiUntilDone_AndEveryOpenDealIsJudged()
        {
            var result = CliRun.Run("sweep", "--url", Server.Url, "--page-size", "2");

            Assert.That(result.Exit, Is.EqualTo(ExitCodes.Ok), result.Error);
            var calls = Server.Requests.Where(r => r.PathAndQuery.EndsWith("dr_RunRiskSweep", StringComparison.Ordinal)).Select(r => JsonNode.Parse(r.Body)!.AsObject()).ToList();
            Assert.That(calls.Select(c => c["ContinuationToken"]?.GetValue<string>()), Is.EqualTo(new string?[] { null, "2026-11-04", "2026-11-04" }));
            Assert.That(result.Out, Does.Contain("Sweep done in 3 call(s): 5 open deal(s) judged again, 5 verdict(s) changed, 0 alert(s) escalated."));
            Assert.That(_sample.Org.All(Opportunity.EntityName).Select(d => d.GetAttributeValue<DateTime?>(Opportunity.LastSweepOn)), Has.All.EqualTo(SampleOrg.Start.AddDays(30)));
            // The close dates passed while nobody saved the deals: the sweep found it.
            Assert.That(_sample.Org.All(Opportunity.EntityName).Select(d => d.GetAttributeValue<string>(Opportunity.RiskFindingCodes)), Has.All.Contains("CLOSE_DATE_PASSED"));
        }

        [Test]
        public void Sweep_RunAgainTheSameDay_JudgesNothing()
        {
            Assert.That(CliRun.Run("sweep", "--url", Server.Url).Exit, Is.EqualTo(ExitCodes.Ok));

            var again = CliRun.Run("sweep", "--url", Server.Url);

            Assert.That(again.Out, Does.Contain("Sweep done in 1 call(s): 0 open deal(s) judged again, 0 verdict(s) changed, 0 alert(s) escalated."));
        }

        [Test]
        public void Status_ShowsTheFlowsState_TheConnectionReference_AndTheLastSweep()
        {
            Server.Override = null;
            Server.Solutions.Add(new JsonObject { ["uniquename"] = "DealRisk", ["version"] = "1.0.0.0", ["ismanaged"] = true, ["installedon"] = "2026-11-01T08:00:00Z" });
            Server.Sets["workflows"] = new() { new JsonObject { ["name"] = "Deal Risk: daily risk sweep", ["statecode"] = 0 } };
            Server.Sets["connectionreferences"] = new() { new JsonObject { ["connectionid"] = null } };
            Server.Sets["opportunities"] = new() { new JsonObject { ["opportunityid"] = "33333333-0000-0000-0000-000000000010", ["dr_lastsweepon"] = "2026-11-04T05:00:12Z" } };

            var result = CliRun.Run("status", "--url", Server.Url);

            Assert.That(result.Out, Does.Contain("Daily risk sweep: the flow is off (turn it on in Power Apps > Solutions > DealRisk)."));
            Assert.That(result.Out, Does.Contain("connection reference dr_DealRiskDataverse: not bound (the flow cannot run)."));
            Assert.That(result.Out, Does.Contain("last sweep: 2026-11-04T05:00:12Z."));
            var queries = Server.Requests.Select(r => Uri.UnescapeDataString(r.PathAndQuery)).ToList();
            Assert.That(queries, Has.Some.Contains("workflows?$select=name,statecode&$filter=category eq 5 and name eq 'Deal Risk: daily risk sweep'"));
            Assert.That(queries, Has.Some.Contains("$orderby=dr_lastsweepon desc&$top=1"));
        }

        [Test]
        public void Sweep_ABadPageSize_IsAUsageError_AndNothingIsCalled()
        {
            var result = CliRun.Run("sweep", "--url", Server.Url, "--page-size", "0");

            Assert.That(result.Exit, Is.EqualTo(ExitCodes.BadInput));
            Assert.That(result.Error, Does.Contain("--page-size must be between 1 and 1,000."));
            Assert.That(Server.Requests.Any(r => r.PathAndQuery.Contains("dr_RunRiskSweep", StringComparison.Ordinal)), Is.False);
        }
    }
}
