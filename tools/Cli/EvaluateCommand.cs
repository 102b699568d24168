using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using CrmPlugins.Emulator;
using CrmPlugins.Emulator.Pipeline;
using CrmPlugins.Report;
using CrmPlugins.SolutionModel;
using DealRisk.Cli.Demo;
using DealRisk.Cli.Evaluate;
using DealRisk.Cli.Reporting;
using DealRisk.Plugins;
using DealRisk.Plugins.Schema;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;

namespace DealRisk.Cli
{
    /// <summary>dealrisk evaluate: a dry run of the suite over an admin's own data, before importing the solution.</summary>
    public static class EvaluateCommand
    {
        public sealed record Outcome(XrmOrganization Org, RiskReport Report, string ReportPath, int Evaluated, int Failed)
        {
            /// <summary>Rows pointing at rows the data does not hold, judged without them (with --orphans warn).</summary>
            public int Orphans { get; init; }

            /// <summary>System jobs run (history rows, the alert workflow): one for each step or workflow a changed verdict triggers, none for a verdict that did not change.</summary>
            public int Jobs { get; init; }

            /// <summary>Where the time went, phase by phase.</summary>
            public Timings Time { get; init; } = new();

            /// <summary>What the rebuild of the demand ledger did before the deals were judged.</summary>
            public EvaluateLedger.Built? Ledger { get; init; }
        }

        /// <summary>
        /// The time of each phase of a run: at 100,000 deals an admin (and whoever tunes the tool) wants to know whether
        /// the file, the risk step, the history and alert jobs or the report took it. Written to stderr with the progress.
        /// </summary>
        public sealed class Timings
        {
            public TimeSpan Load { get; set; }
            public TimeSpan Orphans { get; set; }
            public TimeSpan Seed { get; set; }
            /// <summary>The demand ledger rebuilt from the seeded deals (dr_RebuildDemandLedger, page by page).</summary>
            public TimeSpan Ledger { get; set; }
            /// <summary>The UpdateMultiple requests: the risk step and what the pipeline does around it.</summary>
            public TimeSpan RiskStep { get; set; }
            /// <summary>The asynchronous jobs the saves queued (history rows, the alert workflow).</summary>
            public TimeSpan Jobs { get; set; }
            public TimeSpan Judge { get; set; }
            public TimeSpan Report { get; set; }

            public override string ToString() =>
                $"load {S(Load)}, orphans {S(Orphans)}, seed {S(Seed)}, ledger {S(Ledger)}, judging {S(Judge)} (risk step {S(RiskStep)}, history and alert jobs {S(Jobs)}), report {S(Report)}";

            private static string S(TimeSpan t) => t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
        }

        /// <summary>What to do with rows pointing at missing rows: refuse the data (the default) or judge without them, warn and exit 1.</summary>
        public enum OrphanPolicy { Error, Warn }

        public static Command Create()
        {
            var data = new Option<string?>("--data", "-d") { Description = "The export: a JSON file (one array per table) or a folder of <table>.csv files. Format: docs/evaluate-data.md." };
            var live = new Live.LiveOptions(urlRequired: false);
            var output = new Option<string>("--output", "-o") { Description = "Folder for the HTML report.", DefaultValueFactory = _ => "out" };
            var asOf = new Option<string?>("--as-of") { Description = "Judge as of this date (yyyy-MM-dd); default: today." };
            var orphans = OrphansOption();
            var command = new Command("evaluate", "Load an admin's export (--data) or read a live environment (--url, read-only), run the suite over every open opportunity as an update would, and write the same report: a dry run before importing the solution.")
            {
                data, output, asOf, orphans,
            };
            live.AddTo(command);
            command.Validators.Add(result =>
            {
                // GetResult, not GetValue: GetValue throws on "--data" given without its value.
                if ((result.GetResult(data) == null) == (result.GetResult(live.Url) == null))
                    result.AddError("Give exactly one of --data <file> and --url <environment>.");
            });
            command.SetAction(parse => Cli.Run(() =>
            {
                Outcome outcome;
                if (parse.GetValue(data) is { } file)
                {
                    outcome = Run(file, parse.GetValue(output)!, parse.GetValue(asOf), Console.Out, parse.GetValue(orphans), Console.Error);
                }
                else
                {
                    using var api = live.Connect(parse, Console.Out);
                    outcome = RunLive(api, parse.GetValue(output)!, parse.GetValue(asOf), Console.Out, Console.Error);
                }

                return outcome.Failed == 0 && outcome.Orphans == 0 ? ExitCodes.Ok : ExitCodes.Failed;
            }));
            return command;
        }

        /// <summary>--orphans error|warn, for every command that reads --data.</summary>
        public static Option<OrphanPolicy> OrphansOption() => new("--orphans")
        {
            Description = "Rows whose lookup names a row the data lacks (a line of a missing deal, a missing owner or product): 'error' refuses the data (default); 'warn' lists and counts them, judges without them and exits 1.",
            DefaultValueFactory = _ => OrphanPolicy.Error,
        };

        /// <summary>Reads the rows from a live environment (read-only: nothing is written to it) and judges them in the emulator.</summary>
        public static Outcome RunLive(Live.WebApiClient api, string output, string? asOf, TextWriter log, TextWriter? error = null)
        {
            var solution = SolutionSource.Load(SampleOrg.FindSolutionFolder());
            log.WriteLine($"Reading {api.Environment.Host} (read-only)...");
            IReadOnlyList<Entity> rows;
            try
            {
                rows = Live.LiveCommands.Wait(new Live.EnvironmentReader(api, solution).ReadAsync(log.WriteLine, System.Threading.CancellationToken.None));
            }
            catch (DataFileException ex)
            {
                // The environment answered, with a row the suite cannot read: the work ran and found a problem.
                throw new CliException(ExitCodes.Failed, ConsoleText.OneLine(ex.Message));
            }

            return Judge(solution, rows.ToList(), api.Environment.Host, output, asOf, log, error);
        }

        /// <summary>Loads <paramref name="dataPath"/> and judges its open deals; progress with an estimate of the time left goes to <paramref name="error"/>.</summary>
        public static Outcome Run(string dataPath, string output, string? asOf, TextWriter log, OrphanPolicy orphanPolicy = OrphanPolicy.Error, TextWriter? error = null)
        {
            var solution = SolutionSource.Load(SampleOrg.FindSolutionFolder());
            log.WriteLine($"Loading {dataPath}...");
            var time = new Timings();
            var (rows, orphans) = Load(solution, dataPath, time);
            if (orphans.Count > 0)
            {
                const int shown = 20;
                var label = orphanPolicy == OrphanPolicy.Warn ? "warning" : "orphan";
                foreach (var orphan in orphans.Take(shown)) log.WriteLine($"  {label}: {orphan}");
                if (orphans.Count > shown) log.WriteLine($"  ... and {orphans.Count - shown} more");
                if (orphanPolicy == OrphanPolicy.Error)
                    throw new CliException(ExitCodes.BadInput, $"{orphans[0]}{(orphans.Count > 1 ? $" (and {orphans.Count - 1} more row(s) pointing at missing rows)" : "")}: " +
                        "add the missing rows to the export, or pass --orphans warn to judge without them.");
                log.WriteLine($"warning: {orphans.Count} row(s) point at rows the data does not hold; they are left out of the verdicts (exit code 1).");
            }

            return Judge(solution, rows, Path.GetFileName(dataPath), output, asOf, log, error, time) with { Orphans = orphans.Count };
        }

        /// <summary>
        /// The rows of the file and those pointing at missing rows. The reader (and its note of each row's file and line) is
        /// needed for the orphans only: it is let go when this returns, before the rows are seeded, so that a million rows
        /// are held once (a local of the caller would be kept to its end: a method run once is not optimised).
        /// </summary>
        private static (List<Entity> Rows, IReadOnlyList<Orphan> Orphans) Load(SolutionSource solution, string dataPath, Timings time)
        {
            var clock = Stopwatch.StartNew();
            var file = new DataFile(solution);
            List<Entity> rows;
            try
            {
                rows = file.Load(dataPath);
            }
            catch (DataFileException ex)
            {
                throw new CliException(ExitCodes.BadInput, ex.Message);
            }

            time.Load = clock.Elapsed;
            clock.Restart();
            var orphans = Orphans.Find(solution, rows, file.Origin);
            time.Orphans = clock.Elapsed;
            return (rows, orphans);
        }

        /// <summary>Deals per UpdateMultiple: within what Microsoft suggests for a bulk request, and large enough that
        /// the queries of a batch are few against its deals.</summary>
        public const int BatchSize = 500;

        /// <summary>Dataverse's AggregateQueryRecordLimit (50,000 online). Tests lower it to meet the limit with a small file.</summary>
        public static int AggregateQueryRecordLimit { get; set; } = CrmPlugins.Emulator.Query.QueryFaults.AggregateRecordLimit;

        /// <summary>Whether a fault, or one it wraps, is Dataverse refusing an aggregate for the rows it would read.</summary>
        private static bool RefusedForSize(OrganizationServiceFault? fault)
        {
            for (; fault != null; fault = fault.InnerFault)
                if (fault.ErrorCode == CrmPlugins.Emulator.Query.QueryFaults.AggregateQueryRecordLimitExceeded) return true;
            return false;
        }

        /// <summary>
        /// Seeds <paramref name="rows"/> into a new organization (the rows themselves become the stored rows: the list is
        /// emptied) and judges its open deals in batches.
        /// </summary>
        private static Outcome Judge(SolutionSource solution, List<Entity> rows, string source, string output, string? asOf, TextWriter log, TextWriter? error, Timings? time = null)
        {
            time ??= new Timings();
            var clock = Stopwatch.StartNew();
            var now = DateTime.UtcNow;
            if (asOf != null && !DateTime.TryParseExact(asOf, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out now))
                throw new CliException(ExitCodes.BadInput, $"--as-of '{asOf}' is not a date (yyyy-MM-dd).");
            // No record of the executions is kept (each holds its context, the batch's targets and images, and its trace):
            // neither the run nor the report reads them, and a failed job is kept all the same.
            var org = new XrmOrganization("evaluate") { UtcNow = DateTime.SpecifyKind(now, DateTimeKind.Utc), ExecutionRecordLimit = 0, AggregateQueryRecordLimit = AggregateQueryRecordLimit };
            org.ImportSolution(solution, typeof(OpportunityRiskPlugin).Assembly, Suite.WorkflowAssembly);
            // The ledger is rebuilt from the deals below, never taken from the data.
            var dropped = EvaluateLedger.Drop(rows);
            var loaded = string.Join(", ", rows.GroupBy(r => r.LogicalName).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}"));
            var candidates = EvaluateLedger.Candidates(rows);
            var total = rows.Count;
            // The open deals as they are seeded (a deal with no state is open, as a create makes it): their ids and names
            // only, not a copy of each.
            var open = rows.Where(r => r.LogicalName == Opportunity.EntityName && (r.GetAttributeValue<OptionSetValue>(Opportunity.StateCode)?.Value ?? OpportunityState.Open) == OpportunityState.Open)
                .Select(r => (r.Id, Name: r.GetAttributeValue<string>(Opportunity.Name))).ToList();
            try
            {
                // Currencies before the rows whose money is in them, whatever order the file or folder lists them in.
                org.SeedInPlace(rows.Where(r => r.LogicalName == "transactioncurrency").Concat(rows.Where(r => r.LogicalName != "transactioncurrency")));
            }
            catch (Exception ex) when (ex is System.ServiceModel.FaultException<OrganizationServiceFault> || ex is InvalidOperationException || ex is ArgumentException)
            {
                throw new CliException(ExitCodes.BadInput, $"{source}: the rows cannot be loaded: {ex.Message}");
            }

            // The organization holds the rows now: the list would be a second reference to each, kept to the end.
            rows.Clear();
            rows.TrimExcess();
            time.Seed = clock.Elapsed;
            clock.Restart();

            log.WriteLine($"Loaded {total} rows ({loaded}).");
            if (dropped.Rows + dropped.Texts > 0)
                log.WriteLine($"Left out {dropped.Rows} {DemandEntryTable.EntityName} row(s) and {dropped.Texts} {Opportunity.DemandPosted} value(s): the demand ledger is rebuilt from the deals.");
            EvaluateLedger.Built built;
            using (var progress = Progress.Start(error ?? TextWriter.Null))
            {
                var phase = progress.Phase("Building the demand ledger", candidates);
                long shown = -1;
                built = EvaluateLedger.Rebuild(org, done =>
                {
                    if (done != shown) phase.Report(shown = done);
                });
                // Won deals too old to touch a delivery window are not read: the phase ends all the same.
                if (shown != candidates) phase.Report(candidates);
            }

            log.WriteLine($"Built the demand ledger: {built.Deals} deal(s) read in {built.Pages} page(s), {built.Entries} role-day change(s) posted, {built.RowsDeleted} folded row(s) deleted.");
            time.Ledger = clock.Elapsed;
            clock.Restart();
            var service = org.GetOrganizationService();
            int evaluated = 0, failed = 0, jobsRun = 0;
            Entity Request(Guid deal) => new(Opportunity.EntityName, deal) { [Opportunity.RiskRecalculationRequestedOn] = org.UtcNow };
            var step = new Stopwatch();
            var jobs = new Stopwatch();
            using (var progress = Progress.Start(error ?? TextWriter.Null))
            {
                var judging = progress.Phase("Judging open deals", open.Count);
                for (var first = 0; first < open.Count; first += BatchSize)
                {
                    var batch = open.GetRange(first, Math.Min(BatchSize, open.Count - first));
                    // As an update would: the recalculation request is one of the step's filtering attributes. A batch
                    // is one UpdateMultiple, as a bulk recalculation in the org runs: one execution of the risk step
                    // for the batch, with the queries of one save.
                    step.Start();
                    try
                    {
                        service.Execute(new UpdateMultipleRequest { Targets = new EntityCollection(batch.Select(d => Request(d.Id)).ToList()) { EntityName = Opportunity.EntityName } });
                        evaluated += batch.Count;
                    }
                    catch (System.ServiceModel.FaultException<OrganizationServiceFault> fault) when (RefusedForSize(fault.Detail))
                    {
                        // Every deal with delivery hours would meet the same refusal: judging them one at a time finds nothing more.
                        throw new CliException(ExitCodes.Failed,
                            $"{source}: Dataverse refuses the risk step's read of other deals' demand: the demand ledger holds more than " +
                            $"{org.AggregateQueryRecordLimit:N0} active rows in a delivery window (its AggregateQueryRecordLimit). In an org holding this data, saves of deals " +
                            "with delivery hours would fail until the daily sweep folds the ledger; see docs/performance.md, \"Orgs past the aggregate limit\".");
                    }
                    catch (System.ServiceModel.FaultException<OrganizationServiceFault>)
                    {
                        // A bulk update fails as a whole: judge the batch one deal at a time to name the deals that fail.
                        foreach (var deal in batch)
                        {
                            try
                            {
                                service.Update(Request(deal.Id));
                                evaluated++;
                            }
                            catch (System.ServiceModel.FaultException<OrganizationServiceFault> fault)
                            {
                                failed++;
                                log.WriteLine($"  {deal.Name ?? deal.Id.ToString()}: not evaluated: {fault.Detail.Message}");
                            }
                        }
                    }

                    step.Stop();
                    // The history and alert jobs of the batch, before the next one: the queue stays one batch long.
                    jobs.Start();
                    jobsRun += org.RunAsyncOperations();
                    jobs.Stop();
                    judging.Report(first + batch.Count);
                }
            }

            time.Judge = clock.Elapsed;
            time.RiskStep = step.Elapsed;
            time.Jobs = jobs.Elapsed;
            clock.Restart();
            log.WriteLine($"Judged {evaluated} open deal(s){(failed > 0 ? $", {failed} could not be" : "")}.");
            var report = ReportBuilder.Build(org, "Deal Risk: dry run", $"dealrisk evaluate: {source} (as of {org.UtcNow:yyyy-MM-dd})");
            var reportPath = ConsoleReport.Publish(report, output, log);
            time.Report = clock.Elapsed;
            error?.WriteLine($"Time: {time}.");
            return new Outcome(org, report, reportPath, evaluated, failed) { Time = time, Jobs = jobsRun, Ledger = built };
        }
    }
}
