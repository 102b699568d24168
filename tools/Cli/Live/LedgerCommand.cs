using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Text.Json;
using System.Threading;

namespace DealRisk.Cli.Live
{
    /// <summary>What a whole rebuild did: the calls made and the sums of their answers.</summary>
    public sealed record LedgerRebuildTotals(int Calls, int Deals, int Entries);

    /// <summary>
    /// `dealrisk ledger rebuild --url`: builds the demand ledger from the org's deals (the Custom API
    /// dr_RebuildDemandLedger), called until it answers an empty Continuation. Deals saved before the suite was imported
    /// are in the ledger only after it; run once after the first import (deploy says so), and again whenever deals were
    /// loaded around the suite. Safe beside reps' saves and to run twice: it posts only differences.
    /// </summary>
    public static class LedgerCommand
    {
        public const string Api = "dr_RebuildDemandLedger";

        /// <summary>A rebuild answering "more to come" this many times is not making progress: stop rather than loop.</summary>
        public const int MaxCalls = 100_000;

        public static Command Create()
        {
            var live = new LiveOptions();
            var pageSize = SweepCommand.PageSizeOption();
            var rebuild = new Command("rebuild", "Build the demand ledger from the org's open and recently won deals (the Custom API dr_RebuildDemandLedger, called until done): run once after the first import.") { pageSize };
            live.AddTo(rebuild);
            rebuild.SetAction(parse => Cli.Run(() =>
            {
                var size = SweepCommand.PageSize(parse, pageSize);
                using var api = live.Connect(parse, Console.Out);
                Run(api, size, Console.Out, CancellationToken.None);
                return ExitCodes.Ok;
            }));
            return new Command("ledger", "The demand ledger (other deals' demand for delivery people, per role and day).") { rebuild };
        }

        /// <summary>What deploy tells the admin once the solution is in.</summary>
        public static void PrintNextSteps(TextWriter log) =>
            log.WriteLine("Next, for the demand ledger: run `dealrisk ledger rebuild --url ...` once (as a Deal Risk Administrator or System Administrator). " +
                          "Deals saved before the suite was imported are not in the ledger until then, and the resource check would not see their demand.");

        public static LedgerRebuildTotals Run(WebApiClient api, int pageSize, TextWriter log, CancellationToken cancel)
        {
            var continuation = "";
            int calls = 0, deals = 0, entries = 0;
            log.WriteLine($"Rebuilding the demand ledger of {api.Environment.Host}, {pageSize} deal(s) per call...");
            do
            {
                var body = new Dictionary<string, object> { ["PageSize"] = pageSize };
                if (continuation.Length > 0) body["Continuation"] = continuation;
                var answer = LiveCommands.Wait(api.PostAsync(Api, body, cancel));
                calls++;
                var read = SweepCommand.Number(api, answer, "Deals", Api);
                var posted = SweepCommand.Number(api, answer, "Entries", Api);
                deals += read;
                entries += posted;
                var next = api.Require(answer, "Continuation", Api) is { ValueKind: JsonValueKind.String } c
                    ? c.GetString() ?? ""
                    : throw new CliException(ExitCodes.Failed, $"{api.Environment.Host} answered {Api} without a text Continuation.");
                if (next.Length > 0 && next == continuation)
                    throw new CliException(ExitCodes.Failed, $"{api.Environment.Host} answered {Api} with the Continuation it was given: the rebuild is not moving on; stopped after {calls} call(s).");
                continuation = next;
                log.WriteLine($"  call {calls}: {read} deal(s) read, {posted} role-day change(s) posted ({deals} deal(s) so far)");
                if (continuation.Length > 0 && calls >= MaxCalls) throw new CliException(ExitCodes.Failed, $"{Api} was still not done after {MaxCalls:N0} calls; stopped.");
            }
            while (continuation.Length > 0);

            log.WriteLine($"Demand ledger rebuilt in {calls} call(s): {deals} deal(s) read, {entries} role-day change(s) posted.");
            return new LedgerRebuildTotals(calls, deals, entries);
        }
    }
}
