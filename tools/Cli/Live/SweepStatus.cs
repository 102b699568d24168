using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;

namespace DealRisk.Cli.Live
{
    /// <summary>
    /// The daily sweep as an admin sees it after deploy: whether the flow's Dataverse connection reference is bound to a
    /// connection, whether the flow is on, and when the sweep last judged a deal (the latest dr_lastsweepon).
    /// </summary>
    public static class SweepStatus
    {
        public const string FlowName = "Deal Risk: daily risk sweep";
        public const string ConnectionReference = "dr_DealRiskDataverse";

        /// <summary>What deploy tells the admin to do once the solution is in: a flow imported with a connection reference starts off.</summary>
        public static void PrintNextSteps(TextWriter log)
        {
            log.WriteLine($"Next, for the daily risk sweep: in Power Apps > Solutions > DealRisk, open the connection reference '{ConnectionReference}' and " +
                          "choose a Dataverse connection (an account that may update opportunities and risk alerts), then turn on the cloud flow " +
                          $"'{FlowName}'. Or schedule `dealrisk sweep --url ...` elsewhere.");
        }

        /// <summary>Prints the flow's state, the connection reference's binding and the last sweep; a read the environment refuses is said, not fatal.</summary>
        public static void Print(WebApiClient api, TextWriter log, CancellationToken cancel)
        {
            try
            {
                var flows = LiveCommands.Wait(api.GetAllAsync($"workflows?$select=name,statecode&$filter=" + Uri.EscapeDataString($"category eq 5 and name eq '{FlowName}'"), cancel));
                var on = flows.Any(f => f.TryGetProperty("statecode", out var s) && s.ValueKind == JsonValueKind.Number && s.GetInt32() == 1);
                log.WriteLine(flows.Count == 0 ? $"Daily risk sweep: the flow '{FlowName}' is not in {api.Environment.Host}."
                    : $"Daily risk sweep: the flow is {(on ? "on" : "off (turn it on in Power Apps > Solutions > DealRisk)")}.");

                var references = LiveCommands.Wait(api.GetAllAsync("connectionreferences?$select=connectionid&$filter=" + Uri.EscapeDataString($"connectionreferencelogicalname eq '{ConnectionReference}'"), cancel));
                var bound = references.Any(r => r.TryGetProperty("connectionid", out var c) && c.ValueKind == JsonValueKind.String && c.GetString()!.Length > 0);
                if (references.Count > 0) log.WriteLine($"  connection reference {ConnectionReference}: {(bound ? "bound to a connection" : "not bound (the flow cannot run)")}.");

                var last = LiveCommands.Wait(api.GetAllAsync("opportunities?$select=dr_lastsweepon&$filter=" + Uri.EscapeDataString("dr_lastsweepon ne null") + "&$orderby=dr_lastsweepon%20desc&$top=1", cancel));
                var when = last.Select(r => r.TryGetProperty("dr_lastsweepon", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null).FirstOrDefault(v => v != null);
                log.WriteLine(when == null ? "  last sweep: none yet." : $"  last sweep: {ConsoleText.OneLine(when)}.");
            }
            catch (CliException ex)
            {
                log.WriteLine($"Daily risk sweep: not read ({ex.Message}).");
            }
        }
    }
}
