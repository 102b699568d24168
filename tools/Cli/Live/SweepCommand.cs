using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Text.Json;
using System.Threading;

namespace DealRisk.Cli.Live
{
    /// <summary>What a whole sweep did: the calls made and the sums of their answers.</summary>
    public sealed record SweepTotals(int Calls, int Judged, int Changed, int Escalated);

    /// <summary>
    /// `dealrisk sweep --url`: runs the daily sweep (the Custom API dr_RunRiskSweep) from outside, for orgs that schedule
    /// it elsewhere than the solution's cloud flow: calls it until it answers Done, passing back its ContinuationToken.
    /// </summary>
    public static class SweepCommand
    {
        public const string Api = "dr_RunRiskSweep";

        /// <summary>A sweep answering "not done" this many times in a row is not making progress: stop rather than loop.</summary>
        public const int MaxCalls = 10_000;

        public static Command Create()
        {
            var live = new LiveOptions();
            var pageSize = PageSizeOption();
            var command = new Command("sweep", "Run the daily risk sweep now: judge again every open deal not swept today and escalate stale alerts (the Custom API dr_RunRiskSweep, called until done).") { pageSize };
            live.AddTo(command);
            command.SetAction(parse => Cli.Run(() =>
            {
                var size = PageSize(parse, pageSize);
                using var api = live.Connect(parse, Console.Out);
                Run(api, size, Console.Out, CancellationToken.None);
                return ExitCodes.Ok;
            }));
            return command;
        }

        public static SweepTotals Run(WebApiClient api, int pageSize, TextWriter log, CancellationToken cancel)
        {
            var token = "";
            int calls = 0, judged = 0, changed = 0, escalated = 0;
            while (true)
            {
                var body = new Dictionary<string, object> { ["PageSize"] = pageSize };
                if (token.Length > 0) body["ContinuationToken"] = token;
                var answer = LiveCommands.Wait(api.PostAsync(Api, body, cancel));
                calls++;
                judged += Number(api, answer, "Judged");
                changed += Number(api, answer, "Changed");
                escalated += Number(api, answer, "Escalated");
                if (answer.TryGetProperty("Summary", out var summary) && summary.ValueKind == JsonValueKind.String) log.WriteLine("  " + ConsoleText.OneLine(summary.GetString()));
                var done = api.Require(answer, "Done", Api) is { ValueKind: JsonValueKind.True or JsonValueKind.False } d
                    ? d.GetBoolean()
                    : throw new CliException(ExitCodes.Failed, $"{api.Environment.Host} answered {Api} without a true/false Done.");
                if (done) break;
                token = answer.TryGetProperty("ContinuationToken", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() ?? "" : "";
                if (calls >= MaxCalls) throw new CliException(ExitCodes.Failed, $"{Api} was still not done after {MaxCalls:N0} calls; stopped.");
            }

            log.WriteLine($"Sweep done in {calls} call(s): {judged} open deal(s) judged again, {changed} verdict(s) changed, {escalated} alert(s) escalated.");
            return new SweepTotals(calls, judged, changed, escalated);
        }

        /// <summary>--page-size of the commands that call a paged Custom API of the suite (the sweep, the ledger rebuild).</summary>
        internal static Option<int> PageSizeOption() =>
            new("--page-size") { Description = "Deals per call (1 to 1,000); each call must finish within the platform's 2 minutes.", DefaultValueFactory = _ => 250 };

        internal static int PageSize(ParseResult parse, Option<int> option)
        {
            var size = parse.GetValue(option);
            return size is >= 1 and <= 1000 ? size : throw new CliException(ExitCodes.BadInput, "--page-size must be between 1 and 1,000.");
        }

        /// <summary>A whole-number response property of <paramref name="apiName"/>'s answer, or exit 1 saying it is missing.</summary>
        internal static int Number(WebApiClient api, JsonElement answer, string property, string apiName = Api) =>
            api.Require(answer, property, apiName) is { ValueKind: JsonValueKind.Number } n && n.TryGetInt32(out var v) ? v
                : throw new CliException(ExitCodes.Failed, $"{api.Environment.Host} answered {apiName} without a number {property}.");
    }
}
