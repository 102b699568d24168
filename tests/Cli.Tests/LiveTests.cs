using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using DealRisk.Cli.Live;
using NUnit.Framework;

namespace DealRisk.Cli.Tests
{
    /// <summary>connect, status, deploy and evaluate --url against a Web API on the loopback address.</summary>
    [TestFixture, NonParallelizable]
    public sealed class LiveTests : LiveFixture
    {
        private FakeDataverse _server => Server;
        private string _out => Output;

        private WebApiClient Client(string token = FakeDataverse.Token) => new(new Uri(_server.Url), new FixedToken(token)) { MaxRetryWait = TimeSpan.FromSeconds(1) };

        private void SeedSalesData()
        {
            const string user = "33333333-0000-0000-0000-000000000001", manager = "33333333-0000-0000-0000-000000000002", deal = "33333333-0000-0000-0000-000000000010";
            JsonObject Lookup(JsonObject row, string column, string table, string? id)
            {
                row[$"_{column}_value"] = id;
                if (id != null) row[$"_{column}_value@Microsoft.Dynamics.CRM.lookuplogicalname"] = table;
                return row;
            }

            _server.Sets["businessunits"] = new() { new JsonObject { ["businessunitid"] = "33333333-0000-0000-0000-0000000000b1", ["name"] = "Contoso" } };
            _server.Sets["systemusers"] = new()
            {
                Lookup(new JsonObject { ["systemuserid"] = manager, ["fullname"] = "Hana Head", ["isdisabled"] = false }, "parentsystemuserid", "systemuser", null),
                Lookup(new JsonObject { ["systemuserid"] = user, ["fullname"] = "Oscar Owner", ["isdisabled"] = false, ["address1_city"] = "Oslo" }, "parentsystemuserid", "systemuser", manager),
            };
            _server.Sets["teams"] = new();
            _server.Sets["products"] = new() { new JsonObject { ["productid"] = "33333333-0000-0000-0000-000000000020", ["name"] = "Licence", ["currentcost"] = 300, ["currentcost@OData.Community.Display.V1.FormattedValue"] = "$300.00" } };
            _server.Sets["opportunities"] = new()
            {
                Lookup(new JsonObject { ["opportunityid"] = deal, ["name"] = "Fourth Coffee", ["estimatedvalue"] = 50000, ["estimatedclosedate"] = "2027-01-15", ["closeprobability"] = 50, ["statecode"] = 0, ["salesstage"] = 2 }, "ownerid", "systemuser", user),
                Lookup(new JsonObject { ["opportunityid"] = "33333333-0000-0000-0000-000000000011", ["name"] = "Alpine pilot", ["estimatedvalue"] = 10000, ["estimatedclosedate"] = "2026-12-20", ["statecode"] = 0 }, "ownerid", "systemuser", user),
                Lookup(new JsonObject { ["opportunityid"] = "33333333-0000-0000-0000-000000000012", ["name"] = "Coho upgrade", ["estimatedvalue"] = null, ["estimatedclosedate"] = "2027-02-01", ["statecode"] = 0 }, "ownerid", "systemuser", user),
            };
            _server.Sets["opportunityproducts"] = new()
            {
                Lookup(Lookup(new JsonObject { ["opportunityproductid"] = "33333333-0000-0000-0000-000000000030", ["quantity"] = 100, ["priceperunit"] = 330, ["baseamount"] = 33000, ["extendedamount"] = 33000 },
                    "opportunityid", "opportunity", deal), "productid", "product", "33333333-0000-0000-0000-000000000020"),
            };
        }

        [Test]
        public void Status_WhenNotInstalled_SaysSoWithExit1_AndWhenInstalled_ShowsTheVersion()
        {
            var notInstalled = CliRun.Run("status", "--url", _server.Url);
            Assert.That(notInstalled.Exit, Is.EqualTo(ExitCodes.Failed));
            Assert.That(notInstalled.Out, Does.Contain("DealRisk is not installed in 127.0.0.1."));

            _server.Solutions.Add(new JsonObject { ["uniquename"] = "DealRisk", ["version"] = "1.0.0.0", ["ismanaged"] = true, ["installedon"] = "2026-11-01T08:00:00Z" });
            var installed = CliRun.Run("status", "--url", _server.Url);
            Assert.That(installed.Exit, Is.Zero);
            Assert.That(installed.Out, Does.Contain("DealRisk 1.0.0.0 is installed in 127.0.0.1 (managed, installed 2026-11-01T08:00:00Z)."));
        }

        [Test]
        public void Connect_ShowsWhoYouAre_AndNeverPrintsTheToken()
        {
            var result = CliRun.Run("connect", "--url", _server.Url);

            Assert.That(result.Out, Does.Contain("as user 11111111-0000-0000-0000-000000000001"));
            Assert.That(result.Out + result.Error, Does.Not.Contain(FakeDataverse.Token));
        }

        [Test]
        public void WrongToken_IsOneClearError_Exit1()
        {
            Environment.SetEnvironmentVariable(SignIn.TokenVariable, "expired");

            var result = CliRun.Run("status", "--url", _server.Url);

            Assert.That(result.Exit, Is.EqualTo(ExitCodes.Failed));
            Assert.That(result.Error, Does.StartWith("error: 127.0.0.1 refused the sign-in (401)").And.Not.Contain("   at "));
        }

        [Test]
        public async Task Reads_FollowThePagingLinks()
        {
            SeedSalesData();
            using var api = Client();

            var rows = await api.GetAllAsync("opportunities?$filter=statecode%20eq%200", CancellationToken.None);

            Assert.That(rows.Select(r => r.GetProperty("name").GetString()), Is.EqualTo(new[] { "Fourth Coffee", "Alpine pilot", "Coho upgrade" }));
            Assert.That(_server.Requests.Count(r => r.PathAndQuery.Contains("opportunities")), Is.EqualTo(2), "two pages of 2");
            Assert.That(_server.Requests.Any(r => r.PathAndQuery.Contains("$skiptoken=2")), Is.True);
        }

        [Test]
        public async Task Throttling_IsRetriedAfterRetryAfter()
        {
            SeedSalesData();
            _server.ThrottleNext = 3;
            using var api = Client();

            var rows = await api.GetAllAsync("products", CancellationToken.None);

            Assert.That(rows, Has.Count.EqualTo(1));
            Assert.That(api.Retries, Is.EqualTo(3));
        }

        [Test]
        public void Throttling_ThatDoesNotEnd_GivesUpWithAClearError()
        {
            _server.ThrottleNext = 100;
            using var api = Client();

            var error = Assert.ThrowsAsync<CliException>(() => api.GetAllAsync("products", CancellationToken.None))!;

            Assert.That(error.Message, Does.Contain("429"));
            Assert.That(api.Retries, Is.EqualTo(WebApiClient.MaxRetries));
        }

        [Test]
        public void Deploy_ImportsAsynchronously_FollowsTheJob_AndPublishes()
        {
            var zip = HostileServerTests.SolutionZip(_out);
            var log = new StringWriter();
            using var api = Client();

            LiveCommands.Run(api, zip, log, TimeSpan.Zero, CancellationToken.None);

            var import = _server.Requests.Single(r => r.PathAndQuery.EndsWith("ImportSolutionAsync", StringComparison.Ordinal));
            var body = JsonNode.Parse(import.Body)!.AsObject();
            Assert.That(body["CustomizationFile"]!.GetValue<string>(), Is.EqualTo(Convert.ToBase64String(File.ReadAllBytes(zip))));
            Assert.That(body["PublishWorkflows"]!.GetValue<bool>(), Is.True, "the alert workflow is activated on import");
            Assert.That(_server.Requests.Count(r => r.PathAndQuery.Contains("asyncoperations(")), Is.EqualTo(2));
            Assert.That(_server.Requests.Last().PathAndQuery, Does.EndWith("PublishAllXml"));
            Assert.That(log.ToString(), Does.Contain("import 50%").And.Contain("import 100%").And.Contain("Published."));
            Assert.That(LiveCommands.PrintStatus(api, TextWriter.Null), Is.Zero);
        }

        [Test]
        public void Deploy_WhenTheImportFails_SaysWhyFromThePlatform()
        {
            var zip = HostileServerTests.SolutionZip(_out);
            _server.ImportFailure = "Solution manifest import: FAILURE: The solution is missing dependencies (opportunity).";
            using var api = Client();

            var error = Assert.Throws<CliException>(() => LiveCommands.Run(api, zip, TextWriter.Null, TimeSpan.Zero, CancellationToken.None))!;

            Assert.That(error.Message, Is.EqualTo("The import failed: Solution manifest import: FAILURE: The solution is missing dependencies (opportunity)."));
            Assert.That(_server.Requests.Any(r => r.PathAndQuery.EndsWith("PublishAllXml", StringComparison.Ordinal)), Is.False);
        }

        [Test]
        public void EvaluateUrl_ReadsTheEnvironment_JudgesInTheEmulator_AndWritesNothingToTheOrg()
        {
            SeedSalesData();

            var result = CliRun.Run("evaluate", "--url", _server.Url, "--as-of", "2026-11-23", "-o", _out);

            Assert.That(result.Exit, Is.Zero, result.Error);
            Assert.That(_server.Requests.Where(r => r.Method != "GET"), Is.Empty, "read-only: no POST, PATCH or DELETE");
            Assert.That(result.Out, Does.Contain("dr_requirement: not in the environment yet (the solution is not installed): none read."));
            Assert.That(result.Out, Does.Contain("Judged 3 open deal(s)."));
            Assert.That(result.Out, Does.Match(@"Fourth Coffee\s+Oscar Owner\s+Open\s+Critical"));
            Assert.That(result.Out, Does.Contain("Hana Head"), "the owner's manager is alerted in the dry run");
            Assert.That(File.ReadAllText(Path.Combine(_out, "deal-risk-report.html")), Does.Contain("Alpine pilot"));
        }

        [Test]
        public async Task TheLoopbackWebApi_SendsRowsInTheShapeMicrosoftsQueryDataSampleShows()
        {
            // The response of "Web API Query Data Sample", section 1 (MicrosoftDocs/powerapps-docs,
            // powerapps-docs/developer/data-platform/webapi/web-api-query-data-sample.md at 8de28ee0bf2b2e99c7d207e4e4c6b53b7b365168):
            // with Prefer: odata.include-annotations="*", a row has "@odata.etag": "W/\"1146626\"", money with its formatted
            // value ("annualincome@OData.Community.Display.V1.FormattedValue": "$45,000.00"), and the currency lookup as
            // _transactioncurrencyid_value with three annotations: FormattedValue "US Dollar", associatednavigationproperty
            // "transactioncurrencyid", lookuplogicalname "transactioncurrency". The tests must meet rows of that shape.
            SeedSalesData();
            using var api = Client();

            var row = (await api.GetAllAsync("opportunities", CancellationToken.None))[0];

            Assert.That(row.GetProperty("@odata.etag").GetString(), Does.Match("^W/\"[0-9]+\"$"));
            Assert.That(row.GetProperty("estimatedvalue@OData.Community.Display.V1.FormattedValue").GetString(), Is.EqualTo("$50,000.00"));
            Assert.That(row.GetProperty("_transactioncurrencyid_value").GetString(), Is.EqualTo(FakeDataverse.BaseCurrencyId));
            Assert.That(row.GetProperty("_transactioncurrencyid_value@OData.Community.Display.V1.FormattedValue").GetString(), Is.EqualTo("US Dollar"));
            Assert.That(row.GetProperty("_transactioncurrencyid_value@Microsoft.Dynamics.CRM.associatednavigationproperty").GetString(), Is.EqualTo("transactioncurrencyid"));
            Assert.That(row.GetProperty("_transactioncurrencyid_value@Microsoft.Dynamics.CRM.lookuplogicalname").GetString(), Is.EqualTo("transactioncurrency"));
            Assert.That(row.GetProperty("_ownerid_value@OData.Community.Display.V1.FormattedValue").GetString(), Is.EqualTo("Oscar Owner"));
            // Money's base-currency twin and the row's exchange rate (opportunity EntityType: estimatedvalue_base, exchangerate,
            // https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/reference/opportunity).
            Assert.That(row.GetProperty("estimatedvalue_base").GetDecimal(), Is.EqualTo(50_000m));
            Assert.That(row.GetProperty("exchangerate").GetDecimal(), Is.EqualTo(1m));
        }

        [Test]
        public void EvaluateUrl_ReadsTheOrgsCurrencies_AndJudgesAmountsInTheBaseCurrency()
        {
            // A real org: rows carry _transactioncurrencyid_value with its annotations, exchangerate and money's _base twins,
            // and the euro deal's amounts are in euros (Shape in FakeDataverse.cs).
            SeedSalesData();
            const string euro = "44444444-0000-0000-0000-0000000000e1", deal = "33333333-0000-0000-0000-000000000013";
            _server.Sets["transactioncurrencies"].Add(FakeDataverse.Currency(euro, "EUR", "Euro", "€", 0.8m));
            _server.Sets["opportunities"].Add(new JsonObject
            {
                ["opportunityid"] = deal, ["name"] = "Euro deal", ["estimatedvalue"] = 40000, ["estimatedclosedate"] = "2027-01-20", ["statecode"] = 0,
                ["_ownerid_value"] = "33333333-0000-0000-0000-000000000001", ["_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname"] = "systemuser",
                ["_transactioncurrencyid_value"] = euro,
            });
            using var api = Client();

            var outcome = EvaluateCommand.RunLive(api, _out, "2026-11-23", TextWriter.Null);

            Assert.That(outcome.Failed, Is.Zero);
            Assert.That(outcome.Evaluated, Is.EqualTo(4));
            var stored = outcome.Org.Get("opportunity", Guid.Parse(deal))!;
            Assert.That(stored.GetAttributeValue<Microsoft.Xrm.Sdk.EntityReference>("transactioncurrencyid").Id, Is.EqualTo(Guid.Parse(euro)));
            Assert.That(stored.GetAttributeValue<decimal>("exchangerate"), Is.EqualTo(0.8m));
            Assert.That(stored.GetAttributeValue<Microsoft.Xrm.Sdk.Money>("estimatedvalue_base").Value, Is.EqualTo(50_000m), "40,000 EUR at 0.8 to the dollar");
            Assert.That(stored.GetAttributeValue<Microsoft.Xrm.Sdk.Money>("dr_marginamount").Value, Is.EqualTo(38_000m), "the margin in the deal's own currency (95% of 40,000)");
            Assert.That(outcome.Report.Deals.Single(d => d.Name == "Euro deal").Revenue, Is.EqualTo(50_000m), "the report adds deals up in the base currency");
            var currency = outcome.Org.Get("transactioncurrency", Guid.Parse(euro))!;
            Assert.That((currency.GetAttributeValue<string>("isocurrencycode"), currency.GetAttributeValue<int>("currencyprecision")), Is.EqualTo(("EUR", 2)));
        }

        [Test]
        public void Recalculate_SendsUpdateMultipleInBatches()
        {
            SeedSalesData();
            var log = new StringWriter();
            using var api = Client();

            var count = LiveCommands.Recalculate(api, 2, new DateTime(2026, 11, 23, 8, 0, 0, DateTimeKind.Utc), log, CancellationToken.None);

            Assert.That(count, Is.EqualTo(3));
            var batches = _server.Requests.Where(r => r.PathAndQuery.EndsWith("UpdateMultiple", StringComparison.Ordinal)).Select(r => JsonNode.Parse(r.Body)!["Targets"]!.AsArray()).ToList();
            Assert.That(batches.Select(b => b.Count), Is.EqualTo(new[] { 2, 1 }));
            Assert.That(batches[0][0]!["dr_riskrecalcrequestedon"]!.GetValue<string>(), Is.EqualTo("2026-11-23T08:00:00Z"));
            Assert.That(log.ToString(), Does.Contain("3 open deal(s) to judge again, in 2 batch(es) of up to 2."));
        }

        [Test]
        public void Evaluate_WithBothOrNeitherSource_IsAUsageError()
        {
            Assert.That(CliRun.Run("evaluate").Exit, Is.Not.Zero);
            Assert.That(CliRun.Run("evaluate", "--data", "x.json", "--url", _server.Url).Exit, Is.Not.Zero);
        }

        [Test]
        public void Url_ThatIsNotHttps_IsRefused()
        {
            var result = CliRun.Run("status", "--url", "http://contoso.crm.dynamics.com");

            Assert.That(result.Exit, Is.EqualTo(ExitCodes.BadInput));
            Assert.That(result.Error, Does.Contain("is not an https address"));
        }
    }
}
