using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using DealRisk.Cli.Evaluate;
using NUnit.Framework;

namespace DealRisk.Cli.Tests
{
    /// <summary>
    /// evaluate over an export a new admin really has: Windows file names, lines and owners pointing at rows left out of
    /// the export, dates written the local way, amounts nobody could store. Nothing is lost or guessed in silence.
    /// </summary>
    [TestFixture]
    public sealed class HostileDataTests
    {
        private const string Owner = "e0000000-0000-0000-0000-000000000011", Deal = "e0000000-0000-0000-0000-000000000050", Product = "e0000000-0000-0000-0000-000000000020";
        private string _dir = null!;

        [SetUp]
        public void TempFolder() => _dir = Directory.CreateTempSubdirectory("dealrisk-hostile-data-").FullName;

        [TearDown]
        public void CleanUp() => Directory.Delete(_dir, recursive: true);

        private string Json(string body)
        {
            var file = Path.Combine(_dir, "export.json");
            File.WriteAllText(file, body);
            return file;
        }

        private EvaluateCommand.Outcome Evaluate(string data, EvaluateCommand.OrphanPolicy orphans = EvaluateCommand.OrphanPolicy.Error, TextWriter? log = null) =>
            EvaluateCommand.Run(data, Path.Combine(_dir, "out"), "2026-11-23", log ?? TextWriter.Null, orphans);

        /// <summary>A deal whose margin is thin only once its one product line (cost 900 of a price 1,000) is counted.</summary>
        private static string ThinDeal(string lineDeal = Deal, string lineProduct = Product, string owner = Owner) => $@"{{
  ""systemuser"": [ {{ ""systemuserid"": ""{Owner}"", ""fullname"": ""Oscar Owner"" }} ],
  ""product"": [ {{ ""productid"": ""{Product}"", ""name"": ""Licence"", ""currentcost"": 900 }} ],
  ""opportunity"": [ {{ ""opportunityid"": ""{Deal}"", ""name"": ""Thin deal"", ""ownerid"": ""systemuser:{owner}"", ""estimatedclosedate"": ""2027-01-15"", ""closeprobability"": 60 }} ],
  ""opportunityproduct"": [ {{ ""opportunityproductid"": ""e0000000-0000-0000-0000-000000000030"", ""opportunityid"": ""opportunity:{lineDeal}"", ""productid"": ""product:{lineProduct}"",
                              ""quantity"": 10, ""priceperunit"": 1000, ""baseamount"": 10000, ""extendedamount"": 10000 }} ]
}}";

        [Test]
        public void Evaluate_TheThinDealWithItsLine_IsFlagged()
        {
            var deal = Evaluate(Json(ThinDeal())).Report.Deals.Single();

            Assert.That(deal.Overall, Is.EqualTo("Critical"), string.Join(" | ", deal.Reasons));
        }

        [TestCase("lineDeal", "opportunityproduct row 1, field 'opportunityid': opportunity e0000000-0000-0000-0000-0000000000ff is not in the data")]
        [TestCase("lineProduct", "opportunityproduct row 1, field 'productid': product e0000000-0000-0000-0000-0000000000ff is not in the data")]
        [TestCase("owner", "opportunity row 1, field 'ownerid': systemuser e0000000-0000-0000-0000-0000000000ff is not in the data")]
        public void Evaluate_ARowPointingAtAMissingRow_IsAnErrorNamingFileRowAndId(string which, string expected)
        {
            const string missing = "e0000000-0000-0000-0000-0000000000ff";
            var json = which switch
            {
                "lineDeal" => ThinDeal(lineDeal: missing),
                "lineProduct" => ThinDeal(lineProduct: missing),
                _ => ThinDeal(owner: missing),
            };

            var error = Assert.Throws<CliException>(() => Evaluate(Json(json)))!;

            Assert.That(error.ExitCode, Is.EqualTo(ExitCodes.BadInput));
            Assert.That(error.Message, Does.Contain("export.json: " + expected).And.Contain("--orphans warn"));
        }

        [Test]
        public void Evaluate_OrphansWhenAskedToWarn_AreListedCounted_AndExit1()
        {
            var log = new StringWriter();
            var file = Json(ThinDeal(lineDeal: "e0000000-0000-0000-0000-0000000000ff"));

            var outcome = Evaluate(file, EvaluateCommand.OrphanPolicy.Warn, log);
            var run = CliRun.Run("evaluate", "--data", file, "--as-of", "2026-11-23", "-o", Path.Combine(_dir, "out"), "--orphans", "warn");

            Assert.That(outcome.Orphans, Is.EqualTo(1));
            Assert.That(log.ToString(), Does.Contain("warning: ").And.Contain("export.json: opportunityproduct row 1, field 'opportunityid'").And.Contain("1 row(s) point at rows the data does not hold"));
            Assert.That(run.Exit, Is.EqualTo(ExitCodes.Failed), "judged, but not a clean run");
        }

        [Test]
        public void Evaluate_ANameWithALineBreakOrEscapes_CannotForgeARowOnTheTerminal()
        {
            var json = ThinDeal().Replace(@"""name"": ""Thin deal""", @"""name"": ""Thin\n  Forged deal  Oscar Owner  Open  Low\u001b[1A""");

            var run = CliRun.Run("evaluate", "--data", Json(json), "--as-of", "2026-11-23", "-o", Path.Combine(_dir, "out"));

            Assert.That(run.Exit, Is.Zero, run.Error);
            Assert.That(run.Out.Split('\n'), Has.None.StartWith("  Forged deal"), "the name stays on its row");
            // Ordinal: a culture-aware Contains ignores control characters and would find ESC everywhere.
            Assert.That(run.Out.Contains('\u001b', StringComparison.Ordinal), Is.False);
        }

        [Test]
        public void Evaluate_CsvFilesNamedInUpperCase_AreRead()
        {
            File.WriteAllText(Path.Combine(_dir, "SystemUser.csv"), $"systemuserid,fullname\n{Owner},Oscar Owner\n");
            File.WriteAllText(Path.Combine(_dir, "opportunity.CSV"), $"opportunityid,name,ownerid,estimatedvalue,estimatedclosedate\n{Deal},Fourth Coffee,systemuser:{Owner},0,2027-01-15\n");

            var outcome = Evaluate(_dir);

            Assert.That(outcome.Report.Deals.Select(d => d.Name), Is.EqualTo(new[] { "Fourth Coffee" }));
            Assert.That(outcome.Report.Deals.Single().Owner, Is.EqualTo("Oscar Owner"));
        }

        private string DealClosing(string date) => Json($@"{{ ""opportunity"": [ {{ ""opportunityid"": ""{Deal}"", ""name"": ""A"", ""estimatedclosedate"": ""{date}"" }} ] }}");

        [TestCase("01/02/2027", "is ambiguous")]
        [TestCase("02.01.2027", "is ambiguous")]
        [TestCase("1/2/27", "is ambiguous")]
        [TestCase("31/01/2027", "is not an ISO date")]
        [TestCase("Jan 15 2027", "is not an ISO date")]
        public void Evaluate_ADateThatIsNotIso_IsRefusedNamingFileRowAndField(string date, string why)
        {
            var file = DealClosing(date);

            var error = Assert.Throws<CliException>(() => Evaluate(file))!;

            Assert.That(error.ExitCode, Is.EqualTo(ExitCodes.BadInput));
            Assert.That(error.Message, Does.Contain("export.json: opportunity row 1, field 'estimatedclosedate'").And.Contain(why));
        }

        [TestCase("2027-02-01", "2027-02-01T00:00:00")]
        [TestCase("2027-02-01T09:30:00Z", "2027-02-01T09:30:00")]
        [TestCase("2027-02-01T09:30", "2027-02-01T09:30:00")]
        [TestCase("2027-02-01 09:30:00", "2027-02-01T09:30:00")]
        [TestCase("2027-02-01T10:30:00+01:00", "2027-02-01T09:30:00")]
        [TestCase("2027-02-01T09:30:00.1234567Z", "2027-02-01T09:30:00")]
        public void Evaluate_IsoDates_AreReadInUtc(string date, string utc)
        {
            var file = DealClosing(date);
            var solution = CrmPlugins.SolutionModel.SolutionSource.Load(Demo.SampleOrg.FindSolutionFolder());

            var row = new DataFile(solution).Load(file).Single();

            var read = row.GetAttributeValue<DateTime>("estimatedclosedate");
            Assert.That(read.Kind, Is.EqualTo(DateTimeKind.Utc));
            Assert.That(read.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(utc));
        }

        [TestCase("opportunity", "estimatedvalue", "79000000000000000000000000000")]
        [TestCase("opportunity", "estimatedvalue", "1e40")]
        [TestCase("opportunity", "estimatedvalue", "922337203685478")]
        [TestCase("opportunityproduct", "quantity", "100000000001")]
        [TestCase("opportunityproduct", "priceperunit", "-922337203685478")]
        public void Evaluate_AnAmountBeyondWhatDataverseStores_IsRefusedNamingTheField(string table, string field, string value)
        {
            var json = ThinDeal().Replace(table == "opportunity" ? @"""closeprobability"": 60" : @"""quantity"": 10", $@"""{field}"": {value}" + (table == "opportunity" ? "" : @", ""quantity"": 10"));
            if (field == "quantity") json = json.Replace(@", ""quantity"": 10", "");

            var error = Assert.Throws<CliException>(() => Evaluate(Json(json)))!;

            Assert.That(error.ExitCode, Is.EqualTo(ExitCodes.BadInput));
            Assert.That(error.Message, Does.Contain($"{table} row 1, field '{field}'").And.Contain("beyond what Dataverse stores"));
        }

        [Test]
        public void Evaluate_ALineWhoseAmountWouldBeBeyondMoney_IsRefused()
        {
            var json = ThinDeal().Replace(@"""quantity"": 10, ""priceperunit"": 1000", @"""quantity"": 100000000000, ""priceperunit"": 922337203685477");

            var error = Assert.Throws<CliException>(() => Evaluate(Json(json)))!;

            Assert.That(error.Message, Does.Contain("opportunityproduct row 1, field 'quantity'").And.Contain("beyond the largest amount Dataverse stores"));
        }

        [Test]
        public void Evaluate_AmountsAtDataversesLimits_AreJudgedWithoutOverflow()
        {
            // The largest a real org holds: every deal at the money maximum, a line whose quantity x price is exactly it.
            var deals = string.Join(",", Enumerable.Range(0, 50).Select(i =>
                $@"{{ ""opportunityid"": ""e0000000-0000-0000-0001-{i:D12}"", ""name"": ""Huge {i}"", ""ownerid"": ""systemuser:{Owner}"", ""estimatedvalue"": 922337203685477, ""estimatedclosedate"": ""2027-01-15"", ""closeprobability"": 100 }}"));
            var json = ThinDeal().Replace(@"""opportunity"": [ ", $@"""opportunity"": [ {deals}, ")
                .Replace(@"""quantity"": 10, ""priceperunit"": 1000, ""baseamount"": 10000, ""extendedamount"": 10000", @"""quantity"": 1, ""priceperunit"": 922337203685477, ""manualdiscountamount"": -922337203685477");
            var run = CliRun.Run("evaluate", "--data", Json(json), "--as-of", "2026-11-23", "-o", Path.Combine(_dir, "out"));

            Assert.That(run.Error, Does.Not.Contain("Overflow").And.Not.Contain("unexpected"));
            Assert.That(run.Exit, Is.Zero.Or.EqualTo(ExitCodes.Failed), run.Error);
            Assert.That(run.Out, Does.Contain("Huge 0"));
        }

        /// <summary>The limits are Microsoft's: compared with the published surface of Microsoft.Xrm.Sdk (../shared/reference/sdk-api).</summary>
        [Test]
        public void DataverseLimits_AreTheSdksSupportedValues()
        {
            var listing = Path.Combine(DealRisk.Cli.Repo.FindRoot()!, "..", "shared", "reference", "sdk-api", "Microsoft.Xrm.Sdk.api.txt");
            if (!File.Exists(listing)) Assert.Ignore("../shared/reference/sdk-api (Microsoft's listing of Microsoft.Xrm.Sdk) is not beside the repository.");
            var text = File.ReadAllText(listing);
            decimal Max(string type) => decimal.Parse(Regex.Match(text, $@"V:Microsoft\.Xrm\.Sdk\.Metadata\.{type}::MaxSupportedValue = ([0-9]+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

            Assert.That(DataFile.MaxMoney, Is.EqualTo(Max("MoneyAttributeMetadata")));
            Assert.That(DataFile.MaxDecimal, Is.EqualTo(Max("DecimalAttributeMetadata")));
            Assert.That(DataFile.MaxDecimal, Is.EqualTo(Max("DoubleAttributeMetadata")));
        }
    }
}
