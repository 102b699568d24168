using System;
using System.IO;
using System.Linq;
using NUnit.Framework;

namespace DealRisk.Cli.Tests
{
    /// <summary>dealrisk evaluate: a dry run over an admin's export, and clear errors for bad files.</summary>
    [TestFixture]
    public sealed class EvaluateTests
    {
        private string _dir = null!;

        [SetUp]
        public void TempFolder() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "dealrisk-eval-" + Guid.NewGuid().ToString("N")));

        [TearDown]
        public void CleanUp() => Directory.Delete(_dir, recursive: true);

        // Not CallerFilePath: CI builds are deterministic and map source paths to /_/.
        private static string Repo() => DealRisk.Cli.Repo.FindRoot() ?? throw new InvalidOperationException("CrmPlugins.sln not found above the test folder.");

        private EvaluateCommand.Outcome Evaluate(string data) => EvaluateCommand.Run(data, _dir, "2026-11-23", TextWriter.Null);

        [Test]
        public void Evaluate_TheSampleFromTheDocs_JudgesEveryOpenDeal()
        {
            var outcome = Evaluate(Path.Combine(Repo(), "docs", "samples", "evaluate-sample.json"));

            Assert.That(outcome.Evaluated, Is.EqualTo(2));
            Assert.That(outcome.Failed, Is.Zero);
            var alpine = outcome.Report.Deals.Single(d => d.Name == "Alpine Ski House pilot");
            Assert.That(alpine.Overall, Is.EqualTo("Critical"));
            Assert.That(alpine.Reasons[0], Does.Contain("Single sign-on"));
            Assert.That(outcome.Report.Deals.Single(d => d.Name == "Fourth Coffee rollout").Overall, Is.Not.EqualTo("Unknown"));
            Assert.That(outcome.Report.Alerts.Select(a => a.Recipient).Distinct(), Is.EqualTo(new[] { "Hannah Head" }), "the owner's manager is alerted");
            Assert.That(File.ReadAllText(outcome.ReportPath), Does.Contain("Alpine Ski House pilot"));
        }

        [Test]
        public void Evaluate_TheDryRun_PrintsWhatClearsEachFlaggedDeal()
        {
            var log = new StringWriter();
            var outcome = EvaluateCommand.Run(Path.Combine(Repo(), "docs", "samples", "evaluate-sample.json"), _dir, "2026-11-23", log);

            var alpine = outcome.Report.Deals.Single(d => d.Name == "Alpine Ski House pilot");
            Assert.That(alpine.Fixes, Has.Some.StartWith("Critical: Reassess 'Single sign-on with the customer's IdP' with the customer"));
            Assert.That(log.ToString(), Does.Contain("What clears the flagged deals").And.Contain("  Alpine Ski House pilot (Critical):"));
            Assert.That(log.ToString(), Does.Contain("    " + alpine.Fixes[0]));
        }

        [Test]
        public void Evaluate_CsvFolder_LoadsLikeJson()
        {
            File.WriteAllText(Path.Combine(_dir, "systemuser.csv"), "systemuserid,fullname\ne0000000-0000-0000-0000-000000000011,Oscar Owner\n");
            File.WriteAllText(Path.Combine(_dir, "opportunity.csv"),
                "opportunityid,name,ownerid,estimatedvalue,estimatedclosedate,closeprobability\n" +
                "e0000000-0000-0000-0000-000000000050,\"Fourth Coffee, rollout\",systemuser:e0000000-0000-0000-0000-000000000011,0,2027-01-15,60\n");

            var outcome = Evaluate(_dir);

            var deal = outcome.Report.Deals.Single();
            Assert.That(deal.Name, Is.EqualTo("Fourth Coffee, rollout"));
            Assert.That(deal.Reasons, Has.Some.Contains("no product lines and no estimated revenue"));
        }

        [Test]
        public void Evaluate_ADealInAnotherCurrency_ListedBeforeItsCurrency_JudgesItInTheBaseCurrency()
        {
            var file = Path.Combine(_dir, "currencies.json");
            File.WriteAllText(file, @"{
  ""opportunity"": [
    { ""opportunityid"": ""e0000000-0000-0000-0000-000000000001"", ""name"": ""Krone deal"", ""estimatedvalue"": 500000, ""estimatedclosedate"": ""2027-01-15"",
      ""transactioncurrencyid"": ""transactioncurrency:e0000000-0000-0000-0000-0000000000c2"", ""exchangerate"": 10 }
  ],
  ""transactioncurrency"": [
    { ""transactioncurrencyid"": ""e0000000-0000-0000-0000-0000000000c2"", ""isocurrencycode"": ""NOK"", ""currencyname"": ""Norwegian krone"", ""exchangerate"": 10, ""currencyprecision"": 2 }
  ]
}");

            var outcome = Evaluate(file);

            Assert.That((outcome.Evaluated, outcome.Failed), Is.EqualTo((1, 0)));
            var deal = outcome.Org.All("opportunity").Single();
            Assert.That(deal.GetAttributeValue<Microsoft.Xrm.Sdk.Money>("estimatedvalue_base").Value, Is.EqualTo(50_000m), "500,000 NOK at 10 to the base currency");
            Assert.That(deal.GetAttributeValue<Microsoft.Xrm.Sdk.Money>("dr_marginamount").Value, Is.EqualTo(475_000m), "the margin in kroner");
        }

        [Test]
        public void Evaluate_ReadsClosedDealsAndTheirHistory_ForTheOutcomeAnalysis()
        {
            var file = Path.Combine(_dir, "closed.json");
            File.WriteAllText(file, @"{
  ""opportunity"": [
    { ""opportunityid"": ""e0000000-0000-0000-0000-000000000001"", ""name"": ""Won with history"", ""statecode"": 1, ""estimatedvalue"": 40000, ""actualvalue"": 38000, ""actualclosedate"": ""2026-09-01"" },
    { ""opportunityid"": ""e0000000-0000-0000-0000-000000000002"", ""name"": ""Lost before the suite"", ""statecode"": 2, ""estimatedvalue"": 25000, ""actualclosedate"": ""2026-03-01"" }
  ],
  ""dr_riskhistory"": [
    { ""dr_riskhistoryid"": ""e0000000-0000-0000-0000-000000000101"", ""dr_name"": ""Closed: Won with history"", ""dr_opportunityid"": ""opportunity:e0000000-0000-0000-0000-000000000001"",
      ""dr_kind"": ""Deal closed"", ""dr_outcome"": ""Won"", ""dr_overallrisk"": ""High"", ""dr_riskscore"": 60, ""dr_actualrevenue"": 38000, ""dr_marginpercentatclose"": 22.5,
      ""dr_findingsevercarried"": ""ROLE_NOT_ALLOCATED"", ""dr_recordedon"": ""2026-09-01T10:00:00Z"" }
  ]
}");

            var report = Evaluate(file).Report;

            Assert.That((report.Outcomes!.Closed, report.Outcomes.Won, report.Outcomes.Lost, report.Outcomes.ClosedWithoutHistory), Is.EqualTo((2, 1, 1, 1)));
            Assert.That(report.Outcomes.WonRevenue, Is.EqualTo(38_000m));
            Assert.That(report.Outcomes.LostValue, Is.EqualTo(25_000m));
            Assert.That(report.FindingOutcomes.Single(f => f.Dimension == "Overall risk at close" && f.Finding == "High").Won, Is.EqualTo(1));
            Assert.That(report.FindingOutcomes.Single(f => f.Finding.StartsWith("No history", StringComparison.Ordinal)).Lost, Is.EqualTo(1), "counted and labelled, not dropped");
        }

        [Test]
        public void Evaluate_AValueThatIsNotANumber_NamesTheFileRowAndField()
        {
            var file = Path.Combine(_dir, "bad.json");
            File.WriteAllText(file, "{ \"opportunity\": [ { \"opportunityid\": \"e0000000-0000-0000-0000-000000000050\", \"name\": \"A\" }, " +
                                    "{ \"opportunityid\": \"e0000000-0000-0000-0000-000000000051\", \"estimatedvalue\": \"80 000 €\" } ] }");

            var error = Assert.Throws<CliException>(() => Evaluate(file))!;

            Assert.That(error.ExitCode, Is.EqualTo(ExitCodes.BadInput));
            Assert.That(error.Message, Does.Contain("bad.json").And.Contain("opportunity row 2").And.Contain("field 'estimatedvalue'").And.Contain("is not a number"));
        }

        [TestCase("{ \"opportunity\": [ { \"opportunityid\": \"e0000000-0000-0000-0000-000000000050\", \"estimatedvalu\": 1 } ] }", "field 'estimatedvalu'", "has no such column")]
        [TestCase("{ \"invoices\": [] }", "'invoices' is not a table the suite reads", "")]
        [TestCase("{ \"opportunity\": [ { \"name\": \"no id\" } ] }", "field 'opportunityid'", "every row needs its id")]
        [TestCase("{ \"opportunity\": [ { \"opportunityid\": \"e0000000-0000-0000-0000-000000000050\", \"ownerid\": \"Oscar\" } ] }", "field 'ownerid'", "is not a lookup")]
        [TestCase("{ \"opportunity\": [ ", "the JSON is malformed", "")]
        public void Evaluate_BadFiles_FailWithOneClearLine(string json, string names, string problem)
        {
            var file = Path.Combine(_dir, "data.json");
            File.WriteAllText(file, json);

            var error = Assert.Throws<CliException>(() => Evaluate(file))!;

            Assert.That(error.Message, Does.Contain("data.json").And.Contain(names).And.Contain(problem));
            Assert.That(error.Message, Does.Not.Contain("   at "), "no stack trace");
        }

        [Test]
        public void Evaluate_AMissingFile_IsAClearError() =>
            Assert.That(Assert.Throws<CliException>(() => Evaluate(Path.Combine(_dir, "nope.json")))!.Message, Does.Contain("nope.json: the file does not exist"));
    }

    /// <summary>The command line itself: help on every command, exit codes scripts can trust.</summary>
    [TestFixture]
    public sealed class CommandLineTests
    {
        [TestCase("--help")]
        [TestCase("demo", "--help")]
        [TestCase("evaluate", "--help")]
        [TestCase("pack", "--help")]
        [TestCase("outcomes", "--help")]
        [TestCase("recalculate", "--help")]
        [TestCase("deploy", "--help")]
        public void Help_IsThereForEveryCommand(params string[] args)
        {
            var run = CliRun.Run(args);

            Assert.That(run.Exit, Is.Zero);
            Assert.That(run.Out, Does.Contain("Usage:").And.Contain("Options:"));
        }

        [Test]
        public void Evaluate_WithoutData_IsAUsageError() => Assert.That(CliRun.Run("evaluate").Exit, Is.Not.Zero);

        [Test]
        public void Evaluate_ABadFile_ExitsWith2()
        {
            var run = CliRun.Run("evaluate", "--data", Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".json"));

            Assert.That(run.Exit, Is.EqualTo(ExitCodes.BadInput));
            Assert.That(run.Error, Does.StartWith("error: ").And.Contain("the file does not exist"));
        }
    }
}
