using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace DealRisk.Cli.Tests
{
    /// <summary>The exit codes README promises are the ones the tool gives: scripts rely on them.</summary>
    [TestFixture]
    public sealed class ExitCodeTests
    {
        private static string Readme() => File.ReadAllText(Path.Combine(Repo.FindRoot()!, "README.md"));

        /// <summary>README's sentence "Exit codes: 0 done; 1 ...; 2 bad arguments ...; 3 ...", read as code to meaning.</summary>
        private static int ReadmeCode(string meaning)
        {
            var sentence = Regex.Match(Readme(), @"Exit codes: (.*?)\n\n", RegexOptions.Singleline).Groups[1].Value.Replace('\n', ' ');
            var codes = Regex.Matches(sentence, @"(?:^|; )(\d) ([^;]+)").ToDictionary(m => m.Groups[2].Value, m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            return codes.Single(c => c.Key.StartsWith(meaning, StringComparison.Ordinal)).Value;
        }

        [Test]
        public void Readme_NamesEveryExitCode_AsTheToolDefinesThem()
        {
            Assert.That(ReadmeCode("done"), Is.EqualTo(ExitCodes.Ok));
            Assert.That(ReadmeCode("the work ran and found a problem"), Is.EqualTo(ExitCodes.Failed));
            Assert.That(ReadmeCode("bad arguments"), Is.EqualTo(ExitCodes.BadInput));
            Assert.That(ReadmeCode("building the assemblies failed"), Is.EqualTo(ExitCodes.BuildFailed));
        }

        [TestCase("evaluate", "--bogus")]
        [TestCase("evaluate", "--data")]
        [TestCase("outcomes", "--data")]
        [TestCase("evaluate")]
        [TestCase("status")]
        [TestCase("recalculate", "--url", "https://contoso.crm.dynamics.com", "--batch", "many")]
        [TestCase("no-such-command")]
        [TestCase("pack", "--assembly")]
        public void UsageErrors_ExitWithTheCodeReadmeGivesBadArguments_InOneLinePerProblem(params string[] args)
        {
            var run = CliRun.Run(args);

            Assert.That(run.Exit, Is.EqualTo(ReadmeCode("bad arguments")));
            var lines = run.Error.TrimEnd().Split('\n');
            Assert.That(lines.Take(lines.Length - 1), Has.All.StartWith("error: "), run.Error);
            Assert.That(lines.Last(), Does.StartWith("See: dealrisk"));
            Assert.That(run.Error, Does.Not.Contain("   at ").And.Not.Contain("Unhandled"), "no stack trace");
        }

        [Test]
        public void PackOfAFileThatIsNotAnAssembly_IsOneLineAndExit2()
        {
            var file = Path.Combine(Path.GetTempPath(), "dealrisk-not-an-assembly-" + Guid.NewGuid().ToString("N") + ".dll");
            File.WriteAllText(file, "MZ but not really");
            try
            {
                var run = CliRun.Run("pack", "--no-build", "--assembly", file, "-o", Path.GetTempPath());

                Assert.That(run.Exit, Is.EqualTo(ExitCodes.BadInput));
                Assert.That(run.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), run.Error);
                Assert.That(run.Error, Does.Contain("not a .NET assembly"));
            }
            finally
            {
                File.Delete(file);
            }
        }
    }
}
