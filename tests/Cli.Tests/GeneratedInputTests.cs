using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using FsCheck;
using FsCheck.Fluent;
using DealRisk.Cli.Live;
using NUnit.Framework;

namespace DealRisk.Cli.Tests
{
    /// <summary>
    /// Generated exports and generated server answers, drawn from where the hand-found failures came from: amounts past
    /// Dataverse's limits and not numbers at all, dates written the local way, lookups to rows left out, names carrying
    /// escape sequences; HTML pages, answers missing what Dataverse always sends, next-page links elsewhere or in a loop,
    /// error bodies with control characters. Whatever comes, the command line ends with a documented exit code and at
    /// most one line of error, no stack trace, nothing that drives the terminal, and no silently lost deal.
    /// </summary>
    [TestFixture, NonParallelizable]
    public sealed class GeneratedInputTests
    {
        private static readonly string[] Users = { "e0000000-0000-0000-0000-000000000011", "e0000000-0000-0000-0000-000000000012" };
        private static readonly string[] Products = { "e0000000-0000-0000-0000-000000000020", "e0000000-0000-0000-0000-000000000021" };
        private const string Missing = "e0000000-0000-0000-0000-0000000000ff";

        /// <summary>A fixed seed: the same cases on every run (deterministic), still drawn by the generators.</summary>
        private static Microsoft.FSharp.Core.FSharpOption<Replay> Seed(ulong seed) => new Replay(new Rnd(seed, 0x9E3779B97F4A7C15UL), Microsoft.FSharp.Core.FSharpOption<int>.None);

        private static Gen<string> Amount() => Gen.OneOf(
            Gen.Choose(0, 200_000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Gen.Elements("-1", "0", "0.0001", "922337203685477", "-922337203685477", "922337203685478", "79228162514264337593543950335", "1e40", "-1e40", "1e-30",
                "\"80 000 €\"", "\"12,5\"", "\"NaN\"", "\"\"", "null", "true", "[]", "{}"));

        private static Gen<string> Date() => Gen.OneOf(
            Gen.Choose(0, 900).Select(d => $"\"{new DateTime(2026, 1, 1).AddDays(d):yyyy-MM-dd}\""),
            Gen.Elements("\"2027-01-15T09:00:00Z\"", "\"2027-01-15T10:00:00+01:00\"", "\"01/02/2027\"", "\"13/02/2027\"", "\"02/13/2027\"", "\"2027/01/15\"", "\"15.01.2027\"",
                "\"tomorrow\"", "\"0001-01-01\"", "\"9999-12-31T23:59:59Z\"", "\"2027-02-30\"", "20270115", "null"));

        private static Gen<string> Name() => Gen.Elements("Fourth Coffee", "Alpine \u001b[2J\u001b]0;pwned\u0007 pilot", "Coho\r\nupgrade", "\u202eevil", "Tab\there", "", "\"quoted\"");

        private static Gen<string> Lookup(string table, string[] ids) => Gen.Frequency(
            (6, Gen.Elements(ids).Select(id => $"\"{table}:{id}\"")),
            (1, Gen.Constant($"\"{table}:{Missing}\"")),
            (1, Gen.Elements("\"Oscar\"", "null", $"\"{table}:not-a-guid\"", "42")));

        private static Gen<string> Deal(int i) =>
            from name in Name()
            from value in Amount()
            from close in Date()
            from owner in Lookup("systemuser", Users)
            from probability in Gen.Elements("50", "0", "100", "101", "-5", "2147483648", "\"high\"")
            select $"{{ \"opportunityid\": \"e0000000-0000-0000-0001-{i:D12}\", \"name\": {JsonSerializer.Serialize(name)}, \"estimatedvalue\": {value}, " +
                   $"\"estimatedclosedate\": {close}, \"ownerid\": {owner}, \"closeprobability\": {probability} }}";

        private static Gen<string> Line(int i, int deals) =>
            from deal in Gen.Frequency((8, Gen.Choose(0, Math.Max(0, deals - 1)).Select(d => $"\"opportunity:e0000000-0000-0000-0001-{d:D12}\"")), (1, Gen.Constant($"\"opportunity:{Missing}\"")))
            from product in Lookup("product", Products)
            from quantity in Amount()
            from price in Amount()
            select $"{{ \"opportunityproductid\": \"e0000000-0000-0000-0002-{i:D12}\", \"opportunityid\": {deal}, \"productid\": {product}, \"quantity\": {quantity}, \"priceperunit\": {price} }}";

        private static Gen<string> Export() =>
            from deals in Gen.Choose(1, 4)
            from lines in Gen.Choose(0, 4)
            from dealRows in Gen.CollectToArray(Enumerable.Range(0, deals).Select(Deal))
            from lineRows in Gen.CollectToArray(Enumerable.Range(0, lines).Select(i => Line(i, deals)))
            from cost in Amount()
            select "{ \"systemuser\": [ " + string.Join(", ", Users.Select((u, n) => $"{{ \"systemuserid\": \"{u}\", \"fullname\": \"User {n}\" }}")) + " ], " +
                   "\"product\": [ " + string.Join(", ", Products.Select(p => $"{{ \"productid\": \"{p}\", \"name\": \"P\", \"currentcost\": {cost} }}")) + " ], " +
                   "\"opportunity\": [ " + string.Join(", ", dealRows) + " ], \"opportunityproduct\": [ " + string.Join(", ", lineRows) + " ] }";

        private static void AssertCleanEnd((int Exit, string Out, string Error) run, string input)
        {
            Assert.That(run.Exit, Is.AnyOf(ExitCodes.Ok, ExitCodes.Failed, ExitCodes.BadInput), input + "\n" + run.Error);
            Assert.That(run.Error, Does.Not.Contain("   at ").And.Not.Contain("unexpected ").And.Not.Contain("Unhandled"), input);
            Assert.That(run.Error.Split('\n').Count(l => l.StartsWith("error: ", StringComparison.Ordinal)), Is.LessThanOrEqualTo(1), input + "\n" + run.Error);
            Assert.That((run.Out + run.Error).Where(c => c != '\n' && (char.IsControl(c) && c != '\t' || c is >= '\u202A' and <= '\u202E')), Is.Empty, "nothing that drives the terminal");
        }

        [Test]
        public void Evaluate_GeneratedExports_EndCleanly_AndJudgeEveryDealOrSayWhyNot()
        {
            var dir = Directory.CreateTempSubdirectory("dealrisk-generated-").FullName;
            try
            {
                var file = Path.Combine(dir, "export.json");
                Prop.ForAll(Export().ToArbitrary(), json =>
                {
                    File.WriteAllText(file, json);
                    var run = CliRun.Run("evaluate", "--data", file, "--as-of", "2026-11-23", "-o", Path.Combine(dir, "out"));
                    AssertCleanEnd(run, json);
                    if (run.Exit == ExitCodes.BadInput) Assert.That(run.Error, Does.Contain("export.json"), "a refused file is named");
                    if (run.Exit != ExitCodes.BadInput)
                    {
                        // Loaded: every open deal of the file is judged or named as not judged.
                        var deals = JsonDocument.Parse(json).RootElement.GetProperty("opportunity").GetArrayLength();
                        Assert.That(run.Out, Does.Contain($"{deals} opportunity"), json);
                    }
                }).Check(Config.QuickThrowOnFailure.WithMaxTest(60).WithReplay(Seed(11)));
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        private static Gen<(int Status, string Type, string Body)> Answer(string self, string elsewhere) => Gen.OneOf(
            Gen.Elements(
                (200, "text/html", "<html><head><title>Sign in</title></head><body>Redirecting</body></html>"),
                (200, "application/json", ""),
                (200, "application/json", "{}"),
                (200, "application/json", "{\"value\": 3}"),
                (200, "application/json", "{\"value\": [ 1, \"x\", null ]}"),
                (200, "application/json", "[]"),
                (200, "application/json", "{\"value\": [ {\"uniquename\": 5, \"version\": null, \"ismanaged\": \"yes\"} ]}"),
                (200, "application/json", "{\"value\": [], \"@odata.nextLink\": \"" + self + "\"}"),
                (200, "application/json", "{\"value\": [], \"@odata.nextLink\": \"" + elsewhere + "/api/data/v9.2/x\"}"),
                (200, "application/json", "{\"value\": [], \"@odata.nextLink\": \"file:///etc/passwd\"}"),
                (200, "application/json", "{\"value\": [], \"@odata.nextLink\": 7}"),
                (200, "application/json", "{\"UserId\": 12, \"OrganizationId\": [\"\\u001b[2J\"]}"),
                (200, "application/json", "{\"value\": [ {\"opportunityid\": \"nope\", \"_ownerid_value\": 5, \"estimatedvalue\": \"a lot\"} ]}"),
                (200, "application/json", "{\"value\": [ {\"opportunityid\": \"33333333-0000-0000-0000-000000000010\", \"_ownerid_value\": 5, \"_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname\": 6} ]}"),
                (200, "application/json", "{\"value\": [ {\"systemuserid\": \"33333333-0000-0000-0000-000000000001\", \"fullname\": \"\\u001b]0;owned\\u0007Eve\\r\\n\"} ]}"),
                (200, "application/json", "{\"truncated\": "),
                (400, "application/json", "{\"error\": {\"code\": \"0x1\", \"message\": \"line one\\nline two\\u001b[31m\"}}"),
                (401, "text/html", "<html>denied</html>"),
                (403, "application/json", "{\"error\": \"not an object\"}"),
                (404, "text/plain", "not here"),
                (500, "application/json", "{\"error\": {\"message\": 42}}")),
            Gen.Choose(200, 599).Select(s => (s, "application/octet-stream", "\u0000\u0001\u0002")));

        [Test]
        public void LiveCommands_AgainstGeneratedAnswers_EndCleanly_AndNeverSendTheTokenElsewhere()
        {
            using var server = new FakeDataverse();
            using var elsewhere = new FakeDataverse();
            var output = Directory.CreateTempSubdirectory("dealrisk-generated-live-").FullName;
            Environment.SetEnvironmentVariable(SignIn.TokenVariable, FakeDataverse.Token);
            try
            {
                var commands = Gen.Elements(new[] { "status" }, new[] { "connect" }, new[] { "evaluate", "-o", output }, new[] { "recalculate" });
                var answers = Gen.Choose(1, 12).SelectMany(n => Gen.ArrayOf(Answer(server.Url + "/api/data/v9.2/products", elsewhere.Url), n));
                Prop.ForAll(commands.ToArbitrary(), answers.ToArbitrary(), (command, list) =>
                {
                    var queue = new Queue<(int, string, string)>(list);
                    server.Override = _ => queue.TryDequeue(out var next) ? next : ((int, string, string)?)(200, "application/json", "{\"value\": []}");
                    var run = CliRun.Run(command.Concat(new[] { "--url", server.Url }).ToArray());
                    var input = string.Join(" ", command) + " <- " + string.Join(" | ", list.Select(a => $"{a.Status} {a.Type} {a.Body}"));
                    AssertCleanEnd(run, input);
                    Assert.That(elsewhere.Requests, Is.Empty, "the token went to another origin: " + input);
                }).Check(Config.QuickThrowOnFailure.WithMaxTest(80).WithReplay(Seed(5)));
            }
            finally
            {
                Environment.SetEnvironmentVariable(SignIn.TokenVariable, null);
                Directory.Delete(output, recursive: true);
            }
        }
    }
}
