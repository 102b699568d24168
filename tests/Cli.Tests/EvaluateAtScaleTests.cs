using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DealRisk.Cli.Generate;
using DealRisk.Plugins.Schema;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using NUnit.Framework;

namespace DealRisk.Cli.Tests
{
    /// <summary>
    /// What evaluate keeps and runs, by count rather than by clock (issue 23: 100,000 deals under 4 GB): each row of the
    /// data held once, the history and alerts it wrote beside them, and system jobs only for verdicts that changed.
    /// </summary>
    [TestFixture]
    public sealed class EvaluateAtScaleTests
    {
        private static readonly DateTime Start = new(2026, 12, 1);
        private string _dir = null!;

        [SetUp]
        public void TempFolder() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "dealrisk-scale-" + Guid.NewGuid().ToString("N")));

        [TearDown]
        public void CleanUp() => Directory.Delete(_dir, recursive: true);

        /// <summary>Two batches: the second one short, so the last deals are judged too.</summary>
        private const int Deals = EvaluateCommand.BatchSize + 20;

        private (DataGenerator Generator, EvaluateCommand.Outcome Outcome) GenerateAndEvaluate()
        {
            var generator = new DataGenerator(seed: 3, Start);
            generator.Write(Path.Combine(_dir, "data"), Deals, linesPerDeal: 2);
            return (generator, EvaluateCommand.Run(Path.Combine(_dir, "data"), Path.Combine(_dir, "out"), Start.ToString("yyyy-MM-dd"), TextWriter.Null));
        }

        [Test]
        public void Evaluate_OfAnOrgWithMoreLinesThanTheAggregateLimit_JudgesEveryDeal()
        {
            // Before the demand ledger, each save summed every other deal's lines and requirements in its delivery window in
            // one aggregate, which Dataverse refuses past its AggregateQueryRecordLimit (50,000 online): such an org stopped
            // at the first batch. Now a save reads the ledger, one folded row per role and day. With the limit set to the
            // ledger's whole size (a first run measures it), far below the org's lines and requirements, every deal is judged.
            var generator = new DataGenerator(seed: 3, Start);
            generator.Write(Path.Combine(_dir, "data"), Deals, linesPerDeal: 2);
            var measured = EvaluateCommand.Run(Path.Combine(_dir, "data"), Path.Combine(_dir, "out"), Start.ToString("yyyy-MM-dd"), TextWriter.Null).Org;
            var ledgerRows = measured.All(DemandEntryTable.EntityName).Count(r => r.GetAttributeValue<OptionSetValue>(DemandEntryTable.StateCode)?.Value == 0);
            var demandRows = measured.All(OpportunityProduct.EntityName).Count() + measured.All(Requirement.EntityName).Count();
            Assert.That(demandRows, Is.GreaterThan(2 * ledgerRows), "lines and requirements well past the limit the test sets");

            EvaluateCommand.AggregateQueryRecordLimit = ledgerRows;
            try
            {
                var outcome = EvaluateCommand.Run(Path.Combine(_dir, "data"), Path.Combine(_dir, "out"), Start.ToString("yyyy-MM-dd"), TextWriter.Null);

                Assert.That(outcome.Evaluated, Is.EqualTo(Deals));
                Assert.That(outcome.Failed, Is.Zero);
                Assert.That(outcome.Ledger!.Deals, Is.EqualTo(Deals), "the ledger was built from every deal");
            }
            finally
            {
                EvaluateCommand.AggregateQueryRecordLimit = CrmPlugins.Emulator.Query.QueryFaults.AggregateRecordLimit;
            }
        }

        [Test]
        public void Evaluate_WhenTheLedgersWindowIsPastTheAggregateLimit_StopsAtTheFirstBatch_WithOneLine()
        {
            // Every deal with delivery hours would meet the same refusal: the dry run says so at once instead of judging each
            // deal alone to it. A limit of 5 rows stands in for a ledger past 50,000 rows in a window.
            new DataGenerator(seed: 3, Start).Write(Path.Combine(_dir, "data"), Deals, linesPerDeal: 2);
            var log = new StringWriter();
            EvaluateCommand.AggregateQueryRecordLimit = 5;
            try
            {
                var refused = Assert.Throws<CliException>(() => EvaluateCommand.Run(Path.Combine(_dir, "data"), Path.Combine(_dir, "out"), Start.ToString("yyyy-MM-dd"), log))!;
                Assert.That(refused.ExitCode, Is.EqualTo(ExitCodes.Failed));
                Assert.That(refused.Message, Does.Contain("the demand ledger holds more than 5 active rows").And.Contains("until the daily sweep folds the ledger"));
                Assert.That(refused.Message, Does.Not.Contain("\n"));
                Assert.That(log.ToString(), Does.Not.Contain("not evaluated"), "no deal was retried on its own");
            }
            finally
            {
                EvaluateCommand.AggregateQueryRecordLimit = CrmPlugins.Emulator.Query.QueryFaults.AggregateRecordLimit;
            }
        }

        [Test]
        public void Evaluate_KeepsEachRowOfTheDataOnce_BesideTheHistoryItWrote()
        {
            var (generator, outcome) = GenerateAndEvaluate();

            Assert.That(outcome.Evaluated, Is.EqualTo(Deals));
            var org = outcome.Org;
            // The organization's own rows: SYSTEM and the administrator, the root business unit.
            var own = new Dictionary<string, long> { ["systemuser"] = 2, ["businessunit"] = 1 };
            foreach (var (table, written) in generator.Counts)
                Assert.That(org.Rows.Rows(table).Count, Is.EqualTo(written + own.GetValueOrDefault(table)), $"{table}: each row of the file once");
            Assert.That(org.Rows.Rows(RiskHistory.EntityName).Count, Is.EqualTo(Deals), "one history row a deal: its first verdict is a change");
            var ids = org.Rows.Rows(Opportunity.EntityName).Select(o => o.Id).ToList();
            Assert.That(ids.Distinct().Count(), Is.EqualTo(ids.Count));
        }

        [Test]
        public void Evaluate_OfManyDeals_ShowsTheWorstOnTheTerminal_AndCountsTheRestForTheHtmlReport()
        {
            var generator = new DataGenerator(seed: 3, Start);
            generator.Write(Path.Combine(_dir, "data"), Deals, linesPerDeal: 2);
            var log = new StringWriter();

            var outcome = EvaluateCommand.Run(Path.Combine(_dir, "data"), Path.Combine(_dir, "out"), Start.ToString("yyyy-MM-dd"), log);

            var text = log.ToString();
            var pipeline = text[text.IndexOf("Pipeline (worst first)", StringComparison.Ordinal)..text.IndexOf("What clears the flagged deals", StringComparison.Ordinal)];
            var shown = outcome.Report.Deals.Take(Reporting.ConsoleReport.ShownPerList).ToList();
            Assert.That(pipeline, Does.Contain(shown[^1].Name + " ").And.Not.Contain(outcome.Report.Deals[Reporting.ConsoleReport.ShownPerList].Name + " "));
            Assert.That(pipeline, Does.Contain($"... and {Deals - Reporting.ConsoleReport.ShownPerList:N0} more deals: every one is in the HTML report."));
            Assert.That(text, Does.Contain($"more alerts: every one is in the HTML report."));
            Assert.That(text.Split('\n').Length, Is.LessThan(Deals), "lists cut short: fewer lines than deals");
            var html = File.ReadAllText(outcome.ReportPath);
            Assert.That(outcome.Report.Deals.Select(d => d.Name), Has.All.Matches<string>(name => html.Contains(name)), "the HTML report holds every deal");
        }

        [Test]
        public void Evaluate_RunsJobsForChangedVerdictsOnly_AndNoneWhenTheDealsAreJudgedAgain()
        {
            var (_, outcome) = GenerateAndEvaluate();
            var org = outcome.Org;
            var history = org.Rows.Rows(RiskHistory.EntityName).Count;
            var alerts = org.Rows.Rows(RiskAlert.EntityName).Count;

            // Every deal's verdict is new: at least its history job ran, and no more jobs than history and alert steps per deal.
            Assert.That(outcome.Jobs, Is.GreaterThanOrEqualTo(Deals));
            Assert.That(outcome.Jobs, Is.LessThanOrEqualTo(2 * Deals));

            // The same recalculation again, as evaluate asks it: the verdicts stay, so nothing is queued.
            var open = org.Rows.Rows(Opportunity.EntityName).Select(o => o.Id).ToList();
            var service = org.GetOrganizationService();
            foreach (var batch in open.Chunk(EvaluateCommand.BatchSize))
                service.Execute(new UpdateMultipleRequest
                {
                    Targets = new EntityCollection(batch.Select(id => new Entity(Opportunity.EntityName, id) { [Opportunity.RiskRecalculationRequestedOn] = org.UtcNow.AddMinutes(1) }).ToList())
                        { EntityName = Opportunity.EntityName },
                });

            Assert.That(org.RunAsyncOperations(), Is.Zero, "no system job for an unchanged verdict");
            Assert.That(org.Rows.Rows(RiskHistory.EntityName).Count, Is.EqualTo(history));
            Assert.That(org.Rows.Rows(RiskAlert.EntityName).Count, Is.EqualTo(alerts));
        }

        [Test]
        public void Evaluate_KeepsNoRecordOfItsExecutions_AndWritesTheHistoryOfEveryDeal()
        {
            // Each record holds its context (a batch's targets and images) and its trace; neither the run nor the report reads them.
            var (_, outcome) = GenerateAndEvaluate();

            var org = outcome.Org;
            Assert.That(outcome.Jobs, Is.GreaterThanOrEqualTo(Deals), "the history and alert jobs ran");
            Assert.That(org.Rows.Rows(RiskHistory.EntityName).Select(h => h.GetAttributeValue<EntityReference>(RiskHistory.OpportunityId).Id).Distinct().Count(),
                Is.EqualTo(Deals), "a history row for every deal");
            Assert.That(org.ExecutionRecordLimit, Is.Zero);
            Assert.That(org.Executions.Count, Is.LessThanOrEqualTo(2), "no more than the trim leaves");
            Assert.That(org.ActivityExecutions.Count, Is.LessThanOrEqualTo(2));
            Assert.That(org.AsyncOperations.Count(a => a.Status == CrmPlugins.Emulator.AsyncOperationStatus.Succeeded), Is.LessThanOrEqualTo(2));
        }
    }
}
