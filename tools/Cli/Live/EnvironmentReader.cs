using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CrmPlugins.SolutionModel;
using DealRisk.Cli.Evaluate;
using Microsoft.Xrm.Sdk;

namespace DealRisk.Cli.Live
{
    /// <summary>
    /// Reads, read-only and paged, the rows the suite needs from an environment's Web API: open opportunities and their
    /// product lines, products, users, teams, business units, and the suite's own tables when the solution is already
    /// installed (a table the environment does not have yet is skipped, and said so), and the currencies (code, exchange
    /// rate, precision) the rows' money is in. Rows come back as the same entities `evaluate --data` builds.
    /// </summary>
    public sealed class EnvironmentReader
    {
        private static readonly (string Table, string? Filter)[] Reads =
        {
            // Currencies first: every row with money names its currency (_transactioncurrencyid_value), and the emulator
            // computes the _base values from the currency's exchange rate. Inactive currencies too: old rows still use them.
            ("transactioncurrency", null),
            ("businessunit", null),
            ("systemuser", null),
            ("team", null),
            ("product", null),
            ("opportunity", "statecode eq 0"),
            ("opportunityproduct", "opportunityid/statecode eq 0"),
            ("dr_riskpolicy", "statecode eq 0"),
            ("dr_capacity", "statecode eq 0"),
            ("dr_requirement", "statecode eq 0"),
            ("dr_resourceallocation", "statecode eq 0"),
            ("dr_riskalert", "statecode eq 0"),
        };

        private readonly WebApiClient _api;
        private readonly SolutionSource _solution;
        private readonly DataFile _rows;

        public EnvironmentReader(WebApiClient api, SolutionSource solution)
        {
            _api = api;
            _solution = solution;
            _rows = new DataFile(solution);
        }

        public async Task<IReadOnlyList<Entity>> ReadAsync(Action<string> say, CancellationToken cancel)
        {
            var rows = new List<Entity>();
            foreach (var (table, filter) in Reads)
            {
                var set = _solution.Table(table)?.EntitySetName ?? (StandardTables.EntitySets.TryGetValue(table, out var s) ? s : table + "s");
                var url = set + (filter == null ? "" : "?$filter=" + Uri.EscapeDataString(filter));
                IReadOnlyList<JsonElement> page;
                try
                {
                    page = await _api.GetAllAsync(url, cancel).ConfigureAwait(false);
                }
                catch (WebApiNotFoundException) when (table.StartsWith("dr_", StringComparison.Ordinal))
                {
                    say($"  {table}: not in the environment yet (the solution is not installed): none read.");
                    continue;
                }

                var n = 0;
                foreach (var json in page) rows.Add(_rows.Row($"{_api.Environment.Host}/{set}", table, ++n, Fields(json), skipUnknown: true));
                say($"  {table}: {page.Count} row(s)");
            }

            return rows;
        }

        /// <summary>A Web API row as plain values: lookups (_x_value with their lookuplogicalname annotation) become "table:guid".</summary>
        public static IReadOnlyList<(string Name, object? Value)> Fields(JsonElement row)
        {
            var fields = new List<(string, object?)>();
            foreach (var p in row.EnumerateObject())
            {
                if (p.Name.Contains('@') || p.Name.StartsWith("@", StringComparison.Ordinal)) continue;
                if (p.Name.StartsWith("_", StringComparison.Ordinal) && p.Name.EndsWith("_value", StringComparison.Ordinal))
                {
                    var column = p.Name[1..^6];
                    if (p.Value.ValueKind == JsonValueKind.Null)
                    {
                        fields.Add((column, null));
                        continue;
                    }

                    // A server's odd types (a number where a GUID belongs) reach DataFile as text, which names the row and field.
                    var target = row.TryGetProperty(p.Name + "@Microsoft.Dynamics.CRM.lookuplogicalname", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                    var id = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText();
                    fields.Add((column, target == null ? id : $"{target}:{id}"));
                    continue;
                }

                fields.Add((p.Name, p.Value));
            }

            return fields;
        }
    }

    /// <summary>The Web API answered 404: the entity set or row does not exist.</summary>
    public sealed class WebApiNotFoundException : Exception
    {
        public WebApiNotFoundException(string message) : base(message)
        {
        }
    }
}
