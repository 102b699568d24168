using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using DealRisk.Cli.Live;
using Microsoft.Identity.Client;
using NUnit.Framework;

namespace DealRisk.Cli.Tests
{
    /// <summary>
    /// The live commands against a Web API that misbehaves (an HTML page, an answer missing what Dataverse always sends,
    /// next-page links elsewhere or in a loop, a server that does not answer, an import that never ends) and against bad
    /// sign-in material: one line and the right exit code each time, and the token never leaves the environment.
    /// </summary>
    [TestFixture, NonParallelizable]
    public sealed class HostileServerTests : LiveFixture
    {
        private WebApiClient Client(TimeSpan? timeout = null, Action<string>? say = null, int maxPages = 10_000) =>
            new(new Uri(Server.Url), new FixedToken(), say) { MaxRetryWait = TimeSpan.FromSeconds(1), Timeout = timeout ?? TimeSpan.FromSeconds(30), ProgressEvery = TimeSpan.FromMilliseconds(20), MaxPages = maxPages };

        private static void AssertOneLine(string error)
        {
            Assert.That(error, Does.StartWith("error: "));
            Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), error);
            Assert.That(error, Does.Not.Contain("   at ").And.Not.Contain("Exception:"), "no stack trace");
            Assert.That(error.TrimEnd().Where(char.IsControl), Is.Empty, "no control character (checked by char: culture-aware Contains ignores them)");
        }

        /// <summary>A solution zip as Dataverse exports it: solution.xml (ImportExportXml/SolutionManifest) and customizations.xml at the root.</summary>
        internal static string SolutionZip(string folder, string name = "DealRisk", string version = "1.0.0.0", bool managed = true)
        {
            var path = Path.Combine(folder, $"{name}_{version.Replace('.', '_')}{(managed ? "_managed" : "")}.zip");
            using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
            using (var w = new StreamWriter(zip.CreateEntry("solution.xml").Open()))
                w.Write($"<ImportExportXml version=\"9.2.0.0\" SolutionPackageVersion=\"9.2\"><SolutionManifest><UniqueName>{name}</UniqueName><Version>{version}</Version><Managed>{(managed ? 1 : 0)}</Managed></SolutionManifest></ImportExportXml>");
            using (var w = new StreamWriter(zip.CreateEntry("customizations.xml").Open()))
                w.Write("<ImportExportXml />");
            return path;
        }

        [TestCase("status")]
        [TestCase("connect")]
        [TestCase("evaluate")]
        public void LiveCommand_OnAnHtmlPage_SaysItIsNotTheWebApi(string command)
        {
            Server.Override = _ => (200, "text/html", "<!DOCTYPE html><html><head><title>Sign in to your account</title></head><body>...</body></html>");

            var run = command == "evaluate" ? CliRun.Run(command, "--url", Server.Url, "-o", Output) : CliRun.Run(command, "--url", Server.Url);

            Assert.That(run.Exit, Is.EqualTo(ExitCodes.Failed));
            AssertOneLine(run.Error);
            Assert.That(run.Error, Does.Contain("text/html (a web page), not the Web API's JSON"));
        }

        [TestCase("connect", "WhoAmI", "{\"BusinessUnitId\":\"11111111-0000-0000-0000-000000000002\"}", "answered /api/data/v9.2/WhoAmI without 'UserId'")]
        [TestCase("status", "solutions", "{\"@odata.context\":\"x\"}", "answered /api/data/v9.2/solutions?$select=uniquename,version,ismanaged,installedon&$filter=uniquename%20eq%20'DealRisk' without 'value'")]
        public void AnAnswerMissingWhatDataverseAlwaysSends_NamesWhatIsMissing(string command, string resource, string body, string expected)
        {
            Server.Override = r => r == resource ? (200, "application/json", body) : null;

            var run = CliRun.Run(command, "--url", Server.Url);

            Assert.That(run.Exit, Is.EqualTo(ExitCodes.Failed));
            AssertOneLine(run.Error);
            Assert.That(run.Error, Does.Contain(expected));
        }

        [Test]
        public void Paging_ANextLinkToAnotherOrigin_GetsNoToken()
        {
            using var elsewhere = new FakeDataverse();
            Server.Override = r => r == "products"
                ? (200, "application/json", $"{{\"value\":[],\"@odata.nextLink\":\"{elsewhere.Url}/api/data/v9.2/products?$skiptoken=2\"}}")
                : null;
            using var api = Client();

            var error = Assert.ThrowsAsync<CliException>(() => api.GetAllAsync("products", CancellationToken.None))!;

            Assert.That(error.Message, Does.Contain($"sent a next-page link to {elsewhere.Url}").And.Contain("the sign-in token goes to the environment only"));
            Assert.That(elsewhere.Requests, Is.Empty, "the other origin was never called, so never saw the token");
        }

        [TestCase(302)]
        [TestCase(307)]
        public void ARedirectToAnotherOrigin_IsNotFollowed(int status)
        {
            using var elsewhere = new FakeDataverse();
            Server.Override = _ => (status, "text/plain", elsewhere.Url + "/api/data/v9.2/WhoAmI");
            using var api = Client();

            var error = Assert.ThrowsAsync<CliException>(() => api.GetAsync("WhoAmI", CancellationToken.None))!;

            Assert.That(error.Message, Does.Contain($"redirected GET /api/data/v9.2/WhoAmI to {elsewhere.Url}/api/data/v9.2/WhoAmI"));
            Assert.That(elsewhere.Requests, Is.Empty, "the other origin was never called");
        }

        [Test]
        public void Paging_ANextLinkToItself_StopsInsteadOfLooping()
        {
            Server.Override = r => r == "products"
                ? (200, "application/json", $"{{\"value\":[{{\"productid\":\"33333333-0000-0000-0000-000000000020\"}}],\"@odata.nextLink\":\"{Server.Url}/api/data/v9.2/products\"}}")
                : null;
            using var api = Client();

            var error = Assert.ThrowsAsync<CliException>(() => api.GetAllAsync("products", CancellationToken.None))!;

            Assert.That(error.Message, Does.Contain("a next-page link to a page already read"));
            Assert.That(Server.Requests.Count, Is.EqualTo(1));
        }

        [Test]
        public void Paging_ThatNeverEnds_IsBounded()
        {
            var n = 0;
            Server.Override = r => r == "products"
                ? (200, "application/json", $"{{\"value\":[],\"@odata.nextLink\":\"{Server.Url}/api/data/v9.2/products?$skiptoken={Interlocked.Increment(ref n)}\"}}")
                : null;
            using var api = Client(maxPages: 5);

            var error = Assert.ThrowsAsync<CliException>(() => api.GetAllAsync("products", CancellationToken.None))!;

            Assert.That(error.Message, Does.Contain("still had more pages").And.Contain("after 5"));
            Assert.That(Server.Requests.Count, Is.EqualTo(5));
        }

        [Test]
        public void ASlowServer_ShowsProgress_ThenGivesUpWithAClearLine()
        {
            Server.Delay = TimeSpan.FromMinutes(5);
            var said = new System.Collections.Concurrent.ConcurrentQueue<string>();
            using var api = Client(TimeSpan.FromMilliseconds(400), said.Enqueue);

            var error = Assert.ThrowsAsync<CliException>(() => api.GetAsync("WhoAmI", CancellationToken.None))!;

            Assert.That(error.ExitCode, Is.EqualTo(ExitCodes.Failed));
            Assert.That(error.Message, Is.EqualTo("127.0.0.1 did not answer GET /api/data/v9.2/WhoAmI within 0.4 s: the environment may be busy or unreachable; try again later, or allow longer with --timeout <seconds>."));
            Assert.That(said, Has.Some.StartsWith("  still waiting for 127.0.0.1 (GET /api/data/v9.2/WhoAmI)"));
        }

        [Test]
        public void Timeout_IsAnOptionOfEveryLiveCommand()
        {
            var run = CliRun.Run("status", "--url", Server.Url, "--timeout", "0");

            Assert.That(run.Exit, Is.EqualTo(ExitCodes.BadInput));
            Assert.That(run.Error, Does.Contain("--timeout must be between 1 and 3,600 seconds"));
        }

        [Test]
        public void Deploy_WhileTheImportStaysInProgress_StopsFollowingAndSaysHowToLookItUp()
        {
            Server.ImportNeverEnds = true;
            var zip = SolutionZip(Output);
            using var api = Client();

            var error = Assert.Throws<CliException>(() => LiveCommands.Run(api, zip, TextWriter.Null, TimeSpan.FromMilliseconds(20), CancellationToken.None, TimeSpan.FromMilliseconds(200)))!;

            Assert.That(error.ExitCode, Is.EqualTo(ExitCodes.Failed));
            Assert.That(error.Message, Does.StartWith("The import is still in progress after").And.Contain("Solution history").And.Contain("asyncoperations(22222222-0000-0000-0000-000000000001)"));
            Assert.That(Server.Requests.Any(r => r.PathAndQuery.EndsWith("PublishAllXml", StringComparison.Ordinal)), Is.False);
        }

        [TestCase(new byte[] { 0x50, 0x4b, 0x05, 0x06 }, "not a zip file")]
        [TestCase(new byte[] { 0x4d, 0x5a, 0x90, 0x00 }, "not a zip file")]
        public void Deploy_OfAFileThatIsNotASolution_IsRefusedBeforeAnythingIsSent(byte[] bytes, string why)
        {
            var file = Path.Combine(Output, "DealRisk_managed.zip");
            File.WriteAllBytes(file, bytes);

            var run = CliRun.Run("deploy", "--url", Server.Url, "--zip", file, "--yes");

            Assert.That(run.Exit, Is.EqualTo(ExitCodes.BadInput));
            AssertOneLine(run.Error);
            Assert.That(run.Error, Does.Contain(why));
            Assert.That(Server.Requests, Is.Empty);
        }

        [Test]
        public void Deploy_OfAZipWithoutSolutionXml_IsRefused()
        {
            var file = Path.Combine(Output, "photos.zip");
            using (var zip = ZipFile.Open(file, ZipArchiveMode.Create)) zip.CreateEntry("holiday.jpg");

            var run = CliRun.Run("deploy", "--url", Server.Url, "--zip", file, "--yes");

            Assert.That(run.Exit, Is.EqualTo(ExitCodes.BadInput));
            Assert.That(run.Error, Does.Contain("not a solution zip (no solution.xml at its root)"));
        }

        [TestCase("n\n")]
        [TestCase("")]
        public void Deploy_ShowsWhatGoesWhere_AndImportsNothingUnlessConfirmed(string answer)
        {
            var zip = SolutionZip(Output, version: "1.2.0.0", managed: true);
            var input = Console.In;
            Console.SetIn(new StringReader(answer));
            try
            {
                var run = CliRun.Run("deploy", "--url", Server.Url, "--zip", zip);

                Assert.That(run.Out, Does.Contain("About to import DealRisk 1.2.0.0 (managed) into 127.0.0.1.").And.Contain("Import it? [y/N]"));
                Assert.That(run.Exit, Is.EqualTo(ExitCodes.BadInput));
                Assert.That(run.Error, Does.Contain("Not imported: not confirmed (answer y, or pass --yes)."));
                Assert.That(Server.Requests.Any(r => r.Method == "POST"), Is.False, "nothing imported");
            }
            finally
            {
                Console.SetIn(input);
            }
        }

        [Test]
        public void Deploy_Confirm_GoesOnWithYesOrTheFlag()
        {
            var zip = Live.SolutionZip.Read(SolutionZip(Output, managed: false));

            Assert.That(zip.Confirm("contoso.crm4.dynamics.com", yes: false, new StringReader("y\n"), TextWriter.Null), Is.True);
            Assert.That(zip.Confirm("contoso.crm4.dynamics.com", yes: true, new StringReader(""), TextWriter.Null), Is.True);
            Assert.That(zip.ToString(), Is.EqualTo("DealRisk 1.0.0.0 (unmanaged)"));
        }

        [Test]
        public void ServerText_ReachesTheConsole_WithoutControlCharacters()
        {
            Server.Solutions.Add(new JsonObject { ["uniquename"] = "DealRisk", ["version"] = "1.0\u001b[2J\u001b]0;owned\u0007.0.0", ["ismanaged"] = true, ["installedon"] = "2026-11-01\r\u202eT08" });

            var run = CliRun.Run("status", "--url", Server.Url);

            Assert.That(run.Exit, Is.Zero, run.Error);
            Assert.That(run.Out, Does.Contain("DealRisk 1.0[2J]0;owned.0.0 is installed"));
            Assert.That(run.Out.Where(c => c != '\n' && (char.IsControl(c) || c == '\u202e')), Is.Empty);
        }

        [Test]
        public void AnErrorMessageFromTheServer_IsOneLineWithoutControlCharacters()
        {
            Server.Override = _ => (400, "application/json", "{\"error\":{\"code\":\"0x1\",\"message\":\"bad\\nline\\u001b[31m red\"}}");

            var run = CliRun.Run("status", "--url", Server.Url);

            Assert.That(run.Exit, Is.EqualTo(ExitCodes.Failed));
            AssertOneLine(run.Error);
            Assert.That(run.Error, Does.Contain("bad line[31m red"));
        }

        [TestCase("ftp://127.0.0.1/", "is not an https address")]
        [TestCase("file:///etc/passwd", "is not an address of an environment")]
        [TestCase("http://contoso.crm.dynamics.com", "is not an https address")]
        [TestCase("https://contoso.crm4.dynamics.com.evil.example", "is not a Dataverse environment address")]
        [TestCase("https://login.example.com/contoso.crm.dynamics.com", "is not a Dataverse environment address")]
        public void Url_ThatIsNotADataverseEnvironment_IsRefusedBeforeSignIn(string url, string why)
        {
            var run = CliRun.Run("status", "--url", url);

            Assert.That(run.Exit, Is.EqualTo(ExitCodes.BadInput));
            AssertOneLine(run.Error);
            Assert.That(run.Error, Does.Contain(why));
        }

        [TestCase("https://contoso.crm.dynamics.com")]
        [TestCase("https://contoso.crm4.dynamics.com/main.aspx?appid=1")]
        [TestCase("https://contoso-dev.crm11.dynamics.com/")]
        [TestCase("https://contoso.crm.microsoftdynamics.us")]
        [TestCase("https://contoso.crm.dynamics.cn")]
        public void Url_OfADataverseEnvironment_IsTheEnvironmentsRoot(string url) =>
            Assert.That(EnvironmentUrl.Parse(url, allowAnyHost: false).PathAndQuery, Is.EqualTo("/"));

        [Test]
        public void Url_OfAnotherHost_IsAcceptedOnlyWhenAllowed() =>
            Assert.That(EnvironmentUrl.Parse("https://crm.contoso.internal", allowAnyHost: true).Host, Is.EqualTo("crm.contoso.internal"));

        [Test]
        public void Token_WithALineBreakInside_IsAOneLineError()
        {
            Environment.SetEnvironmentVariable(SignIn.TokenVariable, "eyJ0eXAi\neyJhdWQi");

            var run = CliRun.Run("status", "--url", Server.Url);

            Assert.That(run.Exit, Is.EqualTo(ExitCodes.BadInput));
            AssertOneLine(run.Error);
            Assert.That(run.Error, Does.Contain("DEALRISK_ACCESS_TOKEN holds a line break"));
            Assert.That(Server.Requests, Is.Empty);
        }

        [Test]
        public void Certificate_ThatIsNotAPfx_IsAOneLineError()
        {
            Environment.SetEnvironmentVariable(SignIn.TokenVariable, null);
            var pfx = Path.Combine(Output, "app.pfx");
            File.WriteAllText(pfx, "-----BEGIN CERTIFICATE-----\nnot really\n-----END CERTIFICATE-----\n");

            var run = CliRun.Run("status", "--url", Server.Url, "--tenant-id", "contoso.onmicrosoft.com", "--client-id", "00000000-0000-0000-0000-000000000001", "--certificate", pfx);

            Assert.That(run.Exit, Is.EqualTo(ExitCodes.BadInput));
            AssertOneLine(run.Error);
            Assert.That(run.Error, Does.Contain("app.pfx: not a readable .pfx"));
        }

        [Test]
        public void Certificate_WithoutItsPrivateKey_IsAOneLineError()
        {
            Environment.SetEnvironmentVariable(SignIn.TokenVariable, null);
            using var key = RSA.Create(2048);
            using var certificate = new CertificateRequest("CN=dealrisk-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            var pfx = Path.Combine(Output, "public-only.pfx");
            using (var publicOnly = X509CertificateLoader.LoadCertificate(certificate.Export(X509ContentType.Cert)))
                File.WriteAllBytes(pfx, publicOnly.Export(X509ContentType.Pkcs12));

            var run = CliRun.Run("status", "--url", Server.Url, "--tenant-id", "contoso.onmicrosoft.com", "--client-id", "00000000-0000-0000-0000-000000000001", "--certificate", pfx);

            Assert.That(run.Exit, Is.EqualTo(ExitCodes.BadInput));
            Assert.That(run.Error, Does.Contain("holds no private key"));
        }

        /// <summary>MSAL's HTTP with no network: every request fails as a DNS failure does.</summary>
        private sealed class Unreachable : IMsalHttpClientFactory
        {
            private sealed class Fail : HttpMessageHandler
            {
                protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
                    throw new HttpRequestException($"Name or service not known ({request.RequestUri!.Host}:443)");
            }

            public HttpClient GetHttpClient() => new(new Fail());
        }

        [TestCase(true)]
        [TestCase(false)]
        public void SignIn_WhenTheAuthorityIsUnreachable_IsAOneLineError(bool servicePrincipal)
        {
            Environment.SetEnvironmentVariable(SignIn.TokenVariable, null);
            Environment.SetEnvironmentVariable(SignIn.SecretVariable, servicePrincipal ? "not-a-real-secret" : null);
            try
            {
                var signIn = new SignIn(new Uri(Server.Url), "contoso.onmicrosoft.com", "00000000-0000-0000-0000-000000000001", null, DeviceCode: !servicePrincipal) { Http = new Unreachable() };
                var tokens = signIn.Provider(_ => { });

                var error = Assert.ThrowsAsync<CliException>(() => tokens.GetTokenAsync(CancellationToken.None))!;

                Assert.That(error.Message, Does.StartWith("Cannot reach the sign-in service (Microsoft Entra ID)").Or.StartWith("Sign-in failed"));
                Assert.That(error.Message.Split('\n'), Has.Length.EqualTo(1));
            }
            finally
            {
                Environment.SetEnvironmentVariable(SignIn.SecretVariable, null);
            }
        }
    }
}
