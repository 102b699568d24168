using System;
using System.IO;
using System.Linq;
using NUnit.Framework;

namespace DealRisk.Cli.Tests
{
    /// <summary>dealrisk generate: a made-up org in the format evaluate reads, the same for the same seed.</summary>
    public class GenerateTests
    {
        private string _dir = null!;

        [SetUp]
        public void TempFolder() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "dealrisk-generate-" + Guid.NewGuid().ToString("N")));

        [TearDown]
        public void Clean() => Directory.Delete(_dir, recursive: true);

        private static string Digest(string folder) =>
            string.Join("\n", Directory.GetFiles(folder).OrderBy(f => f, StringComparer.Ordinal).Select(f => Path.GetFileName(f) + ":" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))));

        [Test]
        public void Generate_WithTheSameSeed_WritesTheSameFiles_AndAnotherSeedOthers()
        {
            string Folder(string name, int seed)
            {
                var folder = Path.Combine(_dir, name);
                var run = CliRun.Run("generate", "--deals", "40", "--lines-per-deal", "3", "--seed", seed.ToString(), "--out", folder);
                Assert.That(run.Exit, Is.EqualTo(0), run.Error);
                return folder;
            }

            Assert.That(Digest(Folder("a", 5)), Is.EqualTo(Digest(Folder("b", 5))));
            Assert.That(Digest(Folder("c", 6)), Is.Not.EqualTo(Digest(Folder("a", 5))));
        }

        [Test]
        public void Generate_WritesTheDealsAndLinesAsked_AndEvaluateJudgesEveryDeal()
        {
            var folder = Path.Combine(_dir, "org");

            var generated = CliRun.Run("generate", "--deals", "60", "--lines-per-deal", "4", "--out", folder, "--start", "2026-12-01");

            Assert.That(generated.Exit, Is.EqualTo(0), generated.Error);
            Assert.That(File.ReadLines(Path.Combine(folder, "opportunity.csv")).Count(), Is.EqualTo(61), "a header and 60 deals");
            Assert.That(File.ReadLines(Path.Combine(folder, "opportunityproduct.csv")).Count(), Is.EqualTo(241), "a header and 4 lines a deal");
            Assert.That(generated.Out, Does.Contain("60 opportunity").And.Contain("240 opportunityproduct"));
            Assert.That(generated.Error, Does.Contain("Writing deals: 60 of 60 (100%)"), "progress on stderr, plain lines when it is not a terminal");

            var outcome = EvaluateCommand.Run(folder, Path.Combine(_dir, "out"), "2026-12-01", TextWriter.Null);

            Assert.That(outcome.Evaluated, Is.EqualTo(60));
            Assert.That(outcome.Failed, Is.Zero);
            Assert.That(outcome.Orphans, Is.Zero, "every lookup points at a row the data holds");
        }

        [TestCase("--deals", "0")]
        [TestCase("--lines-per-deal", "-1")]
        [TestCase("--start", "01/12/2026")]
        public void Generate_WithABadArgument_ExitsTwo_WithOneLine(string option, string value)
        {
            var run = CliRun.Run("generate", "--out", Path.Combine(_dir, "x"), option, value);

            Assert.That(run.Exit, Is.EqualTo(2));
            Assert.That(run.Error.Trim().Split('\n'), Has.Length.EqualTo(1));
            Assert.That(run.Error, Does.Contain(option));
        }

        [Test]
        public void Evaluate_ReportsProgressWithTheTimeLeft_OnStderr()
        {
            var folder = Path.Combine(_dir, "org");
            Assert.That(CliRun.Run("generate", "--deals", "30", "--lines-per-deal", "2", "--out", folder).Exit, Is.EqualTo(0));
            var error = new StringWriter();

            EvaluateCommand.Run(folder, Path.Combine(_dir, "out"), "2026-12-01", TextWriter.Null, error: error);

            Assert.That(error.ToString(), Does.Contain("Judging open deals: 30 of 30 (100%)").And.Contain("done"));
        }

        [Test]
        public void PlainProgress_SaysHowMuchIsDone_AndAboutHowLongIsLeft()
        {
            var writer = new StringWriter();
            using (var progress = Progress.Plain(writer, TimeSpan.Zero))
            {
                var phase = progress.Phase("Judging", 4);
                phase.Report(1);
                phase.Report(4);
            }

            var lines = writer.ToString().Trim().Split('\n');
            Assert.That(lines[0], Does.StartWith("Judging: 1 of 4 (25%), ").And.Contain(" elapsed, about ").And.EndWith(" left"));
            Assert.That(lines[1], Does.StartWith("Judging: 4 of 4 (100%), ").And.EndWith(", done"));
        }
    }
}
