using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using DealRisk.Plugins.Ledger;
using DealRisk.Plugins.Schema;

namespace DealRisk.Cli.Live
{
    /// <summary>
    /// The demand ledger's clean-up: a recurring bulk delete job that deletes, every day, the ledger rows the daily sweep
    /// folded (inactive dr_demandentry rows; saves read only active ones). Dataverse has no DeleteMultiple for standard
    /// tables, and a plugin must not loop deletes, so the documented way is a system job submitted with the Web API's
    /// BulkDelete action (learn.microsoft.com/power-apps/developer/data-platform/delete-data-bulk), "daily or without
    /// recurrence" (BulkDeleteRequest.RecurrencePattern). deploy submits it once: it looks for the job by name first.
    /// </summary>
    public static class LedgerCleanup
    {
        public const string JobName = "Deal Risk: delete folded demand ledger rows";
        public const string RecurrencePattern = "FREQ=DAILY;INTERVAL=1;";

        /// <summary>asyncoperation.operationtype of a bulk delete job.</summary>
        public const int BulkDeleteOperationType = 13;

        /// <summary>asyncoperation.statecode of a job that ended (succeeded, failed or canceled); a recurring job waits between runs.</summary>
        public const int CompletedState = 3;

        /// <summary>The hour (UTC) the job runs: before the daily sweep's 05:00, so a day's folds are deleted the next night.</summary>
        public const int RunHourUtc = 3;

        /// <summary>
        /// The BulkDelete action's body, in the shape Microsoft's own Web API client sends it
        /// (github.com/microsoft/PowerPlatform-DataverseClient-Python, src/PowerPlatform/Dataverse/data/_odata.py: QuerySet of
        /// Microsoft.Dynamics.CRM.QueryExpression with ColumnSet and Criteria, condition values as {Value, Type}, empty
        /// ToRecipients and CCRecipients, which the request requires).
        /// </summary>
        public static Dictionary<string, object> Request(DateTime startUtc) => new()
        {
            ["JobName"] = JobName,
            ["SendEmailNotification"] = false,
            ["ToRecipients"] = Array.Empty<object>(),
            ["CCRecipients"] = Array.Empty<object>(),
            ["RecurrencePattern"] = RecurrencePattern,
            ["StartDateTime"] = startUtc.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["QuerySet"] = new object[]
            {
                new Dictionary<string, object>
                {
                    ["@odata.type"] = "Microsoft.Dynamics.CRM.QueryExpression",
                    ["EntityName"] = DemandEntryTable.EntityName,
                    ["ColumnSet"] = new Dictionary<string, object> { ["@odata.type"] = "Microsoft.Dynamics.CRM.ColumnSet", ["AllColumns"] = false, ["Columns"] = Array.Empty<string>() },
                    ["Criteria"] = new Dictionary<string, object>
                    {
                        ["@odata.type"] = "Microsoft.Dynamics.CRM.FilterExpression",
                        ["FilterOperator"] = "And",
                        ["Conditions"] = new object[]
                        {
                            new Dictionary<string, object>
                            {
                                ["@odata.type"] = "Microsoft.Dynamics.CRM.ConditionExpression",
                                ["AttributeName"] = DemandEntryTable.StateCode,
                                ["Operator"] = "Equal",
                                ["Values"] = new object[] { new Dictionary<string, object> { ["Value"] = LedgerFold.Inactive.ToString(CultureInfo.InvariantCulture), ["Type"] = "System.Int32" } },
                            },
                        },
                    },
                },
            },
        };

        /// <summary>The first run: the next <see cref="RunHourUtc"/> o'clock UTC after <paramref name="now"/>.</summary>
        public static DateTime FirstRun(DateTime now)
        {
            var today = DateTime.SpecifyKind(now.ToUniversalTime().Date.AddHours(RunHourUtc), DateTimeKind.Utc);
            return today > now.ToUniversalTime() ? today : today.AddDays(1);
        }

        /// <summary>The job's system jobs that have not ended, by name and operation type.</summary>
        public static IReadOnlyList<JsonElement> Find(WebApiClient api, CancellationToken cancel)
        {
            var filter = $"operationtype eq {BulkDeleteOperationType} and name eq '{JobName}' and statecode ne {CompletedState}";
            var rows = LiveCommands.Wait(api.GetAllAsync("asyncoperations?$select=asyncoperationid,name,operationtype,statecode,recurrencepattern,postponeuntil&$filter=" + Uri.EscapeDataString(filter), cancel));
            // Read back as asked, so a server that ignored the filter still never counts another job as this one.
            return rows.Where(r => Text(r, "name") == JobName && Number(r, "operationtype") == BulkDeleteOperationType && Number(r, "statecode") != CompletedState).ToList();
        }

        /// <summary>Submits the job unless it is scheduled already; says which. A refusal (no prvBulkDelete) is a <see cref="CliException"/>.</summary>
        public static void Ensure(WebApiClient api, DateTime now, TextWriter log, CancellationToken cancel)
        {
            var existing = Find(api, cancel);
            if (existing.Count > 0)
            {
                log.WriteLine($"Ledger clean-up: the daily bulk delete job '{JobName}' is already scheduled (system job {Text(existing[0], "asyncoperationid")}).");
                return;
            }

            var start = FirstRun(now);
            var response = LiveCommands.Wait(api.PostAsync("BulkDelete", Request(start), cancel));
            var job = response.ValueKind == JsonValueKind.Object && response.TryGetProperty("JobId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
            if (job == null) throw new CliException(ExitCodes.Failed, $"{api.Environment.Host} did not return the bulk delete job's id (JobId): the ledger clean-up may not be scheduled; see Settings > Data management > Bulk deletion.");
            log.WriteLine($"Ledger clean-up: scheduled the daily bulk delete job '{JobName}' (system job {ConsoleText.OneLine(job)}), first run {start:yyyy-MM-dd HH:mm} UTC: " +
                          "it deletes the demand ledger rows the daily sweep has folded (inactive rows).");
        }

        /// <summary>The job as status shows it; a read the environment refuses is said, not fatal.</summary>
        public static void Print(WebApiClient api, TextWriter log, CancellationToken cancel)
        {
            try
            {
                var jobs = Find(api, cancel);
                if (jobs.Count == 0)
                {
                    log.WriteLine($"Ledger clean-up: the daily bulk delete job '{JobName}' is not scheduled (run `dealrisk deploy` again, or create it in Settings > Data management > Bulk deletion).");
                    return;
                }

                var next = Text(jobs[0], "postponeuntil");
                log.WriteLine($"Ledger clean-up: the daily bulk delete job is scheduled ({ConsoleText.OneLine(Text(jobs[0], "recurrencepattern") ?? RecurrencePattern)}" +
                              (next == null ? ")." : $", next run {ConsoleText.OneLine(next)})."));
            }
            catch (CliException ex)
            {
                log.WriteLine($"Ledger clean-up: not read ({ex.Message}).");
            }
        }

        private static string? Text(JsonElement row, string name) =>
            row.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        private static int? Number(JsonElement row, string name) =>
            row.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n : null;
    }
}
