using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CrmPlugins.SolutionModel;

namespace DealRisk.Cli.Live
{
    /// <summary>The sign-in options every live command takes.</summary>
    public sealed class LiveOptions
    {
        public LiveOptions(bool urlRequired = true) =>
            Url = new Option<string?>("--url") { Description = "The environment, e.g. https://contoso.crm4.dynamics.com", Required = urlRequired };

        public Option<string?> Url { get; }
        public Option<string?> Tenant { get; } = new("--tenant-id") { Description = "The Microsoft Entra tenant (required for a service principal)." };
        public Option<string?> Client { get; } = new("--client-id") { Description = "The app (client) id: a service principal with DEALRISK_CLIENT_SECRET or --certificate, or a public client for --device-code." };
        public Option<string?> Certificate { get; } = new("--certificate") { Description = "A .pfx certificate of the service principal (password in DEALRISK_CERTIFICATE_PASSWORD)." };
        public Option<bool> DeviceCode { get; } = new("--device-code") { Description = "Sign in interactively with a device code." };
        public Option<bool> AllowAnyUrl { get; } = new("--allow-any-url") { Description = "Send the sign-in token to a --url that is not a Dataverse environment address (<org>.crm<N>.dynamics.com, the government and China clouds)." };
        public Option<int> Timeout { get; } = new("--timeout") { Description = "Seconds one request to the environment may take before it is given up.", DefaultValueFactory = _ => 120 };

        public void AddTo(Command command)
        {
            command.Options.Add(Url);
            command.Options.Add(Tenant);
            command.Options.Add(Client);
            command.Options.Add(Certificate);
            command.Options.Add(DeviceCode);
            command.Options.Add(AllowAnyUrl);
            command.Options.Add(Timeout);
        }

        public WebApiClient Connect(ParseResult parse, TextWriter log)
        {
            var environment = EnvironmentUrl.Parse(parse.GetValue(Url)!, parse.GetValue(AllowAnyUrl));
            var timeout = parse.GetValue(Timeout);
            if (timeout < 1 || timeout > 3600) throw new CliException(ExitCodes.BadInput, "--timeout must be between 1 and 3,600 seconds.");
            var signIn = new SignIn(environment, parse.GetValue(Tenant), parse.GetValue(Client), parse.GetValue(Certificate), parse.GetValue(DeviceCode));
            return new WebApiClient(environment, signIn.Provider(log.WriteLine), log.WriteLine) { Timeout = TimeSpan.FromSeconds(timeout) };
        }
    }

    /// <summary>connect, status and deploy against a live environment's Web API.</summary>
    public static class LiveCommands
    {
        public static Command Connect()
        {
            var live = new LiveOptions();
            var command = new Command("connect", "Sign in to an environment and show who you are there (WhoAmI) and the suite's installed version.");
            live.AddTo(command);
            command.SetAction(parse => Cli.Run(() =>
            {
                using var api = live.Connect(parse, Console.Out);
                var me = Wait(api.GetAsync("WhoAmI", CancellationToken.None));
                Console.Out.WriteLine($"Signed in to {api.Environment.Host} as user {Text(api.Require(me, "UserId", "WhoAmI"))} (organization {Text(api.Require(me, "OrganizationId", "WhoAmI"))}).");
                return PrintStatus(api, Console.Out);
            }));
            return command;
        }

        public static Command Status()
        {
            var live = new LiveOptions();
            var command = new Command("status", "Show whether the DealRisk solution is installed in an environment, and its version.");
            live.AddTo(command);
            command.SetAction(parse => Cli.Run(() =>
            {
                using var api = live.Connect(parse, Console.Out);
                return PrintStatus(api, Console.Out);
            }));
            return command;
        }

        public static Command Deploy()
        {
            var live = new LiveOptions();
            var zip = new Option<string?>("--zip") { Description = "The solution zip to import (default: pack now and import the managed zip)." };
            var unmanaged = new Option<bool>("--unmanaged") { Description = "Import the unmanaged zip (for a development environment)." };
            var output = new Option<string>("--output", "-o") { Description = "Where pack writes the zips.", DefaultValueFactory = _ => "out" };
            var yes = new Option<bool>("--yes", "-y") { Description = "Import without asking (what is imported where is still shown)." };
            var maxWait = new Option<int>("--max-wait") { Description = "Minutes to follow the import before leaving it running in the environment.", DefaultValueFactory = _ => 60 };
            var noBuild = new Option<bool>("--no-build") { Description = "Pack the assemblies already built (bin/Release/net462) instead of building them." };
            var command = new Command("deploy", "Import the DealRisk solution into an environment (asynchronous import with progress), publish, and schedule the demand ledger's daily clean-up (a bulk delete job) once.") { zip, unmanaged, output, yes, maxWait, noBuild };
            live.AddTo(command);
            command.SetAction(parse => Cli.Run(() =>
            {
                var file = parse.GetValue(zip);
                var minutes = parse.GetValue(maxWait);
                if (minutes < 1) throw new CliException(ExitCodes.BadInput, "--max-wait must be at least 1 minute.");
                var solution = file != null ? SolutionZip.Read(file) : null; // a file that is not a solution is refused before signing in
                using var api = live.Connect(parse, Console.Out);
                if (file == null)
                {
                    // Packed for this environment: the bulk and close steps get its own message ids.
                    SolutionSource source;
                    try
                    {
                        source = SolutionSource.Load(Repo.SolutionFolder(null));
                    }
                    catch (SolutionFormatException ex)
                    {
                        throw new CliException(ExitCodes.BadInput, "The solution cannot be read: " + ex.Message);
                    }

                    var messages = DeployMessages.Read(api, source, Console.Out, CancellationToken.None);
                    var packed = PackCommand.Run(null, parse.GetValue(output)!, "Release", parse.GetValue(noBuild), Array.Empty<string>(), Console.Out, messages);
                    if (packed.Zips == null) return ExitCodes.Failed;
                    file = parse.GetValue(unmanaged) ? packed.Zips.UnmanagedZip : packed.Zips.ManagedZip;
                }

                solution ??= SolutionZip.Read(file);
                SolutionState.CheckDependencies(api, solution, Console.Out, CancellationToken.None);
                if (!solution.Confirm(api.Environment.Host, parse.GetValue(yes), Console.In, Console.Out))
                    throw new CliException(ExitCodes.BadInput, "Not imported: not confirmed (answer y, or pass --yes).");
                Run(api, file, Console.Out, TimeSpan.FromSeconds(5), CancellationToken.None, TimeSpan.FromMinutes(minutes));
                var cleanup = ExitCodes.Ok;
                try
                {
                    LedgerCleanup.Ensure(api, DateTime.UtcNow, Console.Out, CancellationToken.None);
                }
                catch (CliException ex)
                {
                    // The solution is in; the admin still learns that the ledger's clean-up is not, and why.
                    Console.Out.WriteLine($"Ledger clean-up: not scheduled ({ex.Message}).");
                    cleanup = ExitCodes.Failed;
                }

                var status = PrintStatus(api, Console.Out);
                SweepStatus.PrintNextSteps(Console.Out);
                LedgerCommand.PrintNextSteps(Console.Out);
                return status != ExitCodes.Ok ? status : cleanup;
            }));
            return command;
        }

        public static Command Recalculate()
        {
            var live = new LiveOptions();
            var batch = new Option<int>("--batch") { Description = "Deals per UpdateMultiple request (1 to 1,000).", DefaultValueFactory = _ => 100 };
            var command = new Command("recalculate", "Ask the suite to judge every open opportunity again (after a capacity or policy change): UpdateMultiple of dr_riskrecalcrequestedon, in batches.") { batch };
            live.AddTo(command);
            command.SetAction(parse => Cli.Run(() =>
            {
                var size = parse.GetValue(batch);
                if (size < 1 || size > 1000) throw new CliException(ExitCodes.BadInput, "--batch must be between 1 and 1,000.");
                using var api = live.Connect(parse, Console.Out);
                Recalculate(api, size, DateTime.UtcNow, Console.Out, CancellationToken.None);
                return ExitCodes.Ok;
            }));
            return command;
        }

        /// <summary>Sets dr_riskrecalcrequestedon on every open opportunity with UpdateMultiple, <paramref name="batchSize"/> at a time; returns how many.</summary>
        public static int Recalculate(WebApiClient api, int batchSize, DateTime now, TextWriter log, CancellationToken cancel)
        {
            var ids = Wait(api.GetAllAsync("opportunities?$select=opportunityid&$filter=statecode%20eq%200", cancel))
                .Select(r => Text(api.Require(r, "opportunityid", "opportunities"))).ToList();
            var batches = (ids.Count + batchSize - 1) / batchSize;
            log.WriteLine($"{ids.Count} open deal(s) to judge again, in {batches} batch(es) of up to {batchSize}.");
            for (var b = 0; b < batches; b++)
            {
                var targets = ids.Skip(b * batchSize).Take(batchSize).Select(id => new System.Collections.Generic.Dictionary<string, object>
                {
                    ["@odata.type"] = "Microsoft.Dynamics.CRM.opportunity",
                    ["opportunityid"] = id,
                    ["dr_riskrecalcrequestedon"] = now.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                }).ToList();
                Wait(api.PostAsync("opportunities/Microsoft.Dynamics.CRM.UpdateMultiple", new { Targets = targets }, cancel));
                log.WriteLine($"  batch {b + 1} of {batches}: {targets.Count} deal(s)");
            }

            return ids.Count;
        }

        /// <summary>Imports <paramref name="zipFile"/> with ImportSolutionAsync, follows the system job and the import job's progress, then publishes.</summary>
        public static void Run(WebApiClient api, string zipFile, TextWriter log, TimeSpan poll, CancellationToken cancel, TimeSpan? maxWait = null)
        {
            SolutionZip.Read(zipFile);
            var following = System.Diagnostics.Stopwatch.StartNew();
            var importJobId = Guid.NewGuid();
            log.WriteLine($"Importing {Path.GetFileName(zipFile)} into {api.Environment.Host}...");
            var started = Wait(api.PostAsync("ImportSolutionAsync", new
            {
                OverwriteUnmanagedCustomizations = false,
                PublishWorkflows = true,
                CustomizationFile = Convert.ToBase64String(File.ReadAllBytes(zipFile)),
                ImportJobId = importJobId,
            }, cancel));
            var job = started.TryGetProperty("AsyncOperationId", out var id) && id.ValueKind == JsonValueKind.String && Guid.TryParse(id.GetString(), out var g)
                ? g
                : throw new CliException(ExitCodes.Failed, "The environment did not return the import's system job (AsyncOperationId).");
            var lastProgress = -1.0;
            while (true)
            {
                var operation = Wait(api.GetAsync($"asyncoperations{WebApiClient.Key(job)}?$select=statecode,statuscode,message,friendlymessage", cancel));
                var status = api.Require(operation, "statuscode", "asyncoperations") is { ValueKind: JsonValueKind.Number } code && code.TryGetInt32(out var c) ? c
                    : throw new CliException(ExitCodes.Failed, $"{api.Environment.Host} answered the import's system job without a status code.");
                if (TryProgress(api, importJobId, cancel) is double progress && progress > lastProgress)
                {
                    log.WriteLine($"  import {progress:0}%");
                    lastProgress = progress;
                }

                if (status == 30) break;
                if (status is 31 or 32)
                {
                    var why = operation.TryGetProperty("friendlymessage", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString()
                        : operation.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                    throw new CliException(ExitCodes.Failed, $"The import {(status == 31 ? "failed" : "was canceled")}: {(why == null ? "the environment gave no reason; see Solutions > Solution history." : ConsoleText.OneLine(why))}");
                }

                // An import can sit "in progress" for hours (a stuck job, a queue); the admin gets the command back and how to look.
                if (following.Elapsed >= (maxWait ?? TimeSpan.FromMinutes(60)))
                    throw new CliException(ExitCodes.Failed, $"The import is still in progress after {following.Elapsed.TotalMinutes:0.#} min; it goes on in {api.Environment.Host}. " +
                        $"Follow it in Power Apps > Solutions > Solution history, or as system job {job} (asyncoperations({job})) and import job {importJobId}; run `dealrisk status` when it ends.");

                Thread.Sleep(poll);
            }

            log.WriteLine("Imported. Publishing customizations...");
            Wait(api.PostAsync("PublishAllXml", new { }, cancel));
            log.WriteLine("Published.");
        }

        private static double? TryProgress(WebApiClient api, Guid importJobId, CancellationToken cancel)
        {
            try
            {
                var job = Wait(api.GetAsync($"importjobs{WebApiClient.Key(importJobId)}?$select=progress", cancel));
                return job.TryGetProperty("progress", out var p) && p.ValueKind == JsonValueKind.Number ? p.GetDouble() : null;
            }
            catch (WebApiNotFoundException)
            {
                return null;
            }
        }

        /// <summary>Prints the installed DealRisk version and whether its steps and workflow are on; exit code 1 when it is not installed or something is off.</summary>
        public static int PrintStatus(WebApiClient api, TextWriter log)
        {
            var rows = Wait(api.GetAllAsync("solutions?$select=uniquename,version,ismanaged,installedon&$filter=uniquename%20eq%20'DealRisk'", CancellationToken.None));
            if (rows.Count == 0)
            {
                log.WriteLine($"DealRisk is not installed in {api.Environment.Host}.");
                return ExitCodes.Failed;
            }

            var s = rows[0];
            var managed = s.TryGetProperty("ismanaged", out var m) && m.ValueKind == JsonValueKind.True;
            log.WriteLine($"DealRisk {Text(api.Require(s, "version", "solutions"))} is installed in {api.Environment.Host} ({(managed ? "managed" : "unmanaged")}" +
                (s.TryGetProperty("installedon", out var on) && on.ValueKind == JsonValueKind.String ? $", installed {ConsoleText.OneLine(on.GetString())}" : "") + ").");
            var missing = SolutionState.PrintComponents(api, log, CancellationToken.None);
            SweepStatus.Print(api, log, CancellationToken.None);
            LedgerCleanup.Print(api, log, CancellationToken.None);
            return missing > 0 ? ExitCodes.Failed : ExitCodes.Ok;
        }

        /// <summary>A server value for the console: its text on one line, whatever its JSON kind.</summary>
        private static string Text(JsonElement value) => ConsoleText.OneLine(value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText());

        internal static T Wait<T>(Task<T> task)
        {
            try
            {
                return task.GetAwaiter().GetResult();
            }
            catch (WebApiNotFoundException ex)
            {
                throw new CliException(ExitCodes.Failed, ex.Message);
            }
        }
    }
}
