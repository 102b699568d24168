using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using CrmPlugins.SolutionModel;

namespace DealRisk.Cli.Live
{
    /// <summary>
    /// Reads, from the environment deploy imports into, the ids of the messages the solution's steps use that have no
    /// well-known id (CreateMultiple, UpdateMultiple, Win, Lose): by name from sdkmessages, and the tables each is
    /// offered on from sdkmessagefilters, the query Microsoft gives for telling whether a table supports a bulk message
    /// (learn.microsoft.com/power-apps/developer/data-platform/bulk-operations#availability-with-standard-tables).
    /// Two reads, whatever the number of steps.
    /// </summary>
    public static class DeployMessages
    {
        public static EnvironmentMessages Read(WebApiClient api, SolutionSource source, TextWriter log, CancellationToken cancel)
        {
            var host = api.Environment.Host;
            var steps = source.Steps.Where(s => SdkMessages.IdOf(s.Message) == null).ToList();
            var wanted = steps.Select(s => s.Message).Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(m => m, StringComparer.Ordinal).ToList();
            if (wanted.Count == 0) return new EnvironmentMessages(host, new Dictionary<string, Guid>(), Array.Empty<(string, string)>());

            string AnyOf(string column, IEnumerable<string> values) => "(" + string.Join(" or ", values.Select(v => $"{column} eq '{v}'")) + ")";
            var messages = LiveCommands.Wait(api.GetAllAsync(
                    "sdkmessages?$select=sdkmessageid,name&$filter=" + Uri.EscapeDataString(AnyOf("name", wanted)), cancel))
                .Select(r => (Name: r.GetProperty("name").GetString() ?? "", Id: Guid.Parse(r.GetProperty("sdkmessageid").GetString()!)))
                .Where(m => wanted.Contains(m.Name, StringComparer.OrdinalIgnoreCase))
                .GroupBy(m => m.Name, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.First().Id, StringComparer.OrdinalIgnoreCase);

            var tables = steps.Where(s => s.PrimaryEntity != null).Select(s => s.PrimaryEntity!).Distinct(StringComparer.Ordinal).OrderBy(t => t, StringComparer.Ordinal).ToList();
            var names = messages.ToDictionary(m => m.Value, m => m.Key);
            var offered = new List<(string Message, string Table)>();
            if (messages.Count > 0 && tables.Count > 0)
            {
                var filters = LiveCommands.Wait(api.GetAllAsync(
                    "sdkmessagefilters?$select=primaryobjecttypecode,_sdkmessageid_value&$filter=" +
                    Uri.EscapeDataString(AnyOf("sdkmessageid/name", messages.Keys) + " and " + AnyOf("primaryobjecttypecode", tables)), cancel));
                foreach (var row in filters)
                {
                    if (!Guid.TryParse(row.GetProperty("_sdkmessageid_value").GetString(), out var id) || !names.TryGetValue(id, out var message)) continue;
                    var table = row.GetProperty("primaryobjecttypecode").GetString();
                    if (table != null && tables.Contains(table, StringComparer.Ordinal)) offered.Add((message, table));
                }
            }

            var result = new EnvironmentMessages(host, messages, offered);
            foreach (var message in wanted)
            {
                var on = steps.Where(s => string.Equals(s.Message, message, StringComparison.OrdinalIgnoreCase)).Select(s => s.PrimaryEntity ?? "any table")
                    .Distinct(StringComparer.Ordinal).OrderBy(t => t, StringComparer.Ordinal).ToList();
                if (!messages.TryGetValue(message, out var id))
                {
                    log.WriteLine($"{host} has no {message} message.");
                    continue;
                }

                var yes = on.Where(t => result.IdFor(message, t == "any table" ? null : t) != null).ToList();
                var no = on.Except(yes).ToList();
                log.WriteLine($"{host}: {message} is {id:D}, offered on {(yes.Count == 0 ? "none of the suite's tables" : string.Join(", ", yes))}" +
                              (no.Count == 0 ? "." : $"; not on {string.Join(", ", no)}."));
            }

            return result;
        }
    }
}
