using System;
using System.CommandLine;
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
            System.Collections.Generic.IReadOnlyList<Entity> rows;
            try
            {
                rows = Live.LiveCommands.Wait(new Live.EnvironmentReader(api, solution).ReadAsync(log.WriteLine, System.Threading.CancellationToken.None));
            }
            catch (DataFileException ex)
            {
                // The environment answered, with a row the suite cannot read: the work ran and found a problem.
                throw new CliException(ExitCodes.Failed, ConsoleText.OneLine(ex.Message));
            }

            return Judge(solution, rows, api.Environment.Host, output, asOf, log, error);
        }

        /// <summary>Loads <paramref name="dataPath"/> and judges its open deals; progress with an estimate of the time left goes to <paramref name="error"/>.</summary>
        public static Outcome Run(string dataPath, string output, string? asOf, TextWriter log, OrphanPolicy orphanPolicy = OrphanPolicy.Error, TextWriter? error = null)
        {
            var solution = SolutionSource.Load(SampleOrg.FindSolutionFolder());
            log.WriteLine($"Loading {dataPath}...");
            System.Collections.Generic.IReadOnlyList<Entity> rows;
            var file = new DataFile(solution);
            try
            {
                rows = file.Load(dataPath);
            }
            catch (DataFileException ex)
            {
                throw new CliException(ExitCodes.BadInput, ex.Message);
            }

            var orphans = Orphans.Find(solution, rows, file.Origin);
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

            return Judge(solution, rows, Path.GetFileName(dataPath), output, asOf, log, error) with { Orphans = orphans.Count };
        }

        /// <summary>Deals per UpdateMultiple: within what Microsoft suggests for a bulk request, and large enough that
        /// the queries of a batch are few against its deals.</summary>
        public const int BatchSize = 500;

        private static Outcome Judge(SolutionSource solution, System.Collections.Generic.IReadOnlyList<Entity> rows, string source, string output, string? asOf, TextWriter log, TextWriter? error)
        {
            var now = DateTime.UtcNow;
            if (asOf != null && !DateTime.TryParseExact(asOf, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out now))
                throw new CliException(ExitCodes.BadInput, $"--as-of '{asOf}' is not a date (yyyy-MM-dd).");
            // Records of executions are kept for the last batches only: at 100,000 deals every record kept would be gigabytes.
            var org = new XrmOrganization("evaluate") { UtcNow = DateTime.SpecifyKind(now, DateTimeKind.Utc), ExecutionRecordLimit = 2 * BatchSize };
            org.ImportSolution(solution, typeof(OpportunityRiskPlugin).Assembly, Suite.WorkflowAssembly);
            try
            {
                // Currencies before the rows whose money is in them, whatever order the file or folder lists them in.
                org.Seed(rows.OrderBy(r => r.LogicalName == "transactioncurrency" ? 0 : 1));
            }
            catch (Exception ex) when (ex is System.ServiceModel.FaultException<OrganizationServiceFault> || ex is InvalidOperationException || ex is ArgumentException)
            {
                throw new CliException(ExitCodes.BadInput, $"{source}: the rows cannot be loaded: {ex.Message}");
            }

            log.WriteLine($"Loaded {rows.Count} rows ({string.Join(", ", rows.GroupBy(r => r.LogicalName).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}"))}).");
            var open = org.All(Opportunity.EntityName).Where(o => (o.GetAttributeValue<OptionSetValue>(Opportunity.StateCode)?.Value ?? 0) == OpportunityState.Open).ToList();
            var service = org.GetOrganizationService();
            int evaluated = 0, failed = 0;
            Entity Request(Entity deal) => new(Opportunity.EntityName, deal.Id) { [Opportunity.RiskRecalculationRequestedOn] = org.UtcNow };
            using (var progress = Progress.Start(error ?? TextWriter.Null))
            {
                var judging = progress.Phase("Judging open deals", open.Count);
                for (var first = 0; first < open.Count; first += BatchSize)
                {
                    var batch = open.Skip(first).Take(BatchSize).ToList();
                    // As an update would: the recalculation request is one of the step's filtering attributes. A batch
                    // is one UpdateMultiple, as a bulk recalculation in the org runs: one execution of the risk step
                    // for the batch, with the queries of one save.
                    try
                    {
                        service.Execute(new UpdateMultipleRequest { Targets = new EntityCollection(batch.Select(Request).ToList()) { EntityName = Opportunity.EntityName } });
                        evaluated += batch.Count;
                    }
                    catch (System.ServiceModel.FaultException<OrganizationServiceFault>)
                    {
                        // A bulk update fails as a whole: judge the batch one deal at a time to name the deals that fail.
                        foreach (var deal in batch)
                        {
                            try
                            {
                                service.Update(Request(deal));
                                evaluated++;
                            }
                            catch (System.ServiceModel.FaultException<OrganizationServiceFault> fault)
                            {
                                failed++;
                                log.WriteLine($"  {deal.GetAttributeValue<string>(Opportunity.Name) ?? deal.Id.ToString()}: not evaluated: {fault.Detail.Message}");
                            }
                        }
                    }

                    // The history and alert jobs of the batch, before the next one: the queue stays one batch long.
                    org.RunAsyncOperations();
                    judging.Report(first + batch.Count);
                }
            }

            log.WriteLine($"Judged {evaluated} open deal(s){(failed > 0 ? $", {failed} could not be" : "")}.");
            var report = ReportBuilder.Build(org, "Deal Risk: dry run", $"dealrisk evaluate: {source} (as of {org.UtcNow:yyyy-MM-dd})");
            var reportPath = ConsoleReport.Publish(report, output, log);
            return new Outcome(org, report, reportPath, evaluated, failed);
        }
    }
}
