using System;
using System.IO;
using System.Linq;
using DealRisk.Cli.Generate;
using DealRisk.Plugins.Schema;
using NUnit.Framework;

namespace DealRisk.Cli.Tests
{
    /// <summary>
    /// Evaluate keeps no record of the executions it runs (issue 23: each record holds its context, a batch's targets and
    /// images, and its trace; neither the run nor the report reads them): the work and the report are the same.
    /// </summary>
    [TestFixture]
    public sealed class EvaluateRecordsTests
    {
        private static readonly DateTime Start = new(2026, 12, 1);
        private string _dir = null!;

        [SetUp]
        public void TempFolder() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "dealrisk-records-" + Guid.NewGuid().ToString("N")));

        [TearDown]
        public void CleanUp() => Directory.Delete(_dir, recursive: true);

        [Test]
        public void Evaluate_KeepsNoRecordOfItsExecutions_AndWritesTheHistoryOfEveryDeal()
        {
            const int deals = 40;
            new DataGenerator(seed: 5, Start).Write(Path.Combine(_dir, "data"), deals, linesPerDeal: 2);

            var outcome = EvaluateCommand.Run(Path.Combine(_dir, "data"), Path.Combine(_dir, "out"), Start.ToString("yyyy-MM-dd"), TextWriter.Null);

            var org = outcome.Org;
            Assert.That(outcome.Evaluated, Is.EqualTo(deals));
            Assert.That(outcome.Jobs, Is.GreaterThanOrEqualTo(deals), "the history and alert jobs ran");
            Assert.That(org.Rows.Rows(RiskHistory.EntityName).Select(h => h.GetAttributeValue<Microsoft.Xrm.Sdk.EntityReference>(RiskHistory.OpportunityId).Id).Distinct().Count(),
                Is.EqualTo(deals), "a history row for every deal");
            Assert.That(org.ExecutionRecordLimit, Is.Zero);
            Assert.That(org.Executions.Count, Is.LessThanOrEqualTo(2), "no more than the trim leaves");
            Assert.That(org.ActivityExecutions.Count, Is.LessThanOrEqualTo(2));
            Assert.That(org.AsyncOperations.Count(a => a.Status == CrmPlugins.Emulator.AsyncOperationStatus.Succeeded), Is.LessThanOrEqualTo(2));
        }
    }
}
