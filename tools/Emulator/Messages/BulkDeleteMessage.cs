using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CrmPlugins.Emulator.Query;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace CrmPlugins.Emulator
{
    /// <summary>
    /// BulkDelete: submits a bulk delete system job (<see cref="BulkDeleteJob"/>) and answers its JobId at once; nothing is
    /// deleted until the organization runs its asynchronous jobs. QuerySet, JobName, ToRecipients and CCRecipients are
    /// required, as the request's reference marks them (learn.microsoft.com/dotnet/api/microsoft.crm.sdk.messages.bulkdeleterequest);
    /// a job runs once (empty RecurrencePattern) or daily, "FREQ=DAILY;INTERVAL=n;"
    /// (learn.microsoft.com/dotnet/api/microsoft.crm.sdk.messages.bulkdeleterequest.recurrencepattern: "daily or without
    /// recurrence"); the caller needs the prvBulkDelete privilege.
    /// </summary>
    internal sealed class BulkDeleteMessage : IMessageHandler
    {
        public const string Privilege = "prvBulkDelete";

        public string MessageName => "BulkDelete";

        public void CheckPrivileges(MessageCall call) => call.Organization.Security.DemandPrivilege(call.UserId, Privilege);

        public OrganizationResponse Execute(MessageCall call)
        {
            var results = call.RunPipeline(MessageName, null, Guid.Empty, op =>
            {
                var inputs = op.InputParameters;
                var org = call.Organization;
                var queries = inputs.TryGetValue("QuerySet", out var q) && q is QueryExpression[] set ? set : throw Required("QuerySet");
                if (queries.Length == 0 || queries.Any(x => x == null)) throw Faults.InvalidArgument("QuerySet must hold at least one query, and no empty one.");
                foreach (var query in queries)
                    if (string.IsNullOrEmpty(query.EntityName) || !org.Rows.TableExists(query.EntityName)) throw QueryFaults.UnknownTable(query.EntityName ?? "");
                var name = inputs.TryGetValue("JobName", out var n) && n is string text && text.Trim().Length > 0 ? text : throw Required("JobName");
                if (!(inputs.TryGetValue("ToRecipients", out var to) && to is Guid[])) throw Required("ToRecipients");
                if (!(inputs.TryGetValue("CCRecipients", out var cc) && cc is Guid[])) throw Required("CCRecipients");
                var pattern = inputs.TryGetValue("RecurrencePattern", out var p) && p is string r ? r.Trim() : "";
                var interval = Interval(pattern);
                var start = inputs.TryGetValue("StartDateTime", out var s) && s is DateTime at && at != default ? at.ToUniversalTime() : org.UtcNow;
                var job = org.SubmitBulkDelete(name, queries, pattern, interval, start, call.UserId);
                op.OutputParameters["JobId"] = job.Id;
            });
            return Responses.Create(MessageName, results);
        }

        private static System.ServiceModel.FaultException<OrganizationServiceFault> Required(string parameter) =>
            Faults.InvalidArgument($"Required field '{parameter}' is missing.");

        /// <summary>The time between runs of <paramref name="pattern"/>: null for none; "FREQ=DAILY" with an optional INTERVAL (1 when absent).</summary>
        internal static TimeSpan? Interval(string pattern)
        {
            if (pattern.Length == 0) return null;
            var parts = pattern.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries)
                .Select(part => part.Split(new[] { '=' }, 2))
                .ToList();
            var bad = Faults.InvalidArgument($"The recurrence pattern '{pattern}' is not valid for a bulk delete job: it runs daily (FREQ=DAILY;INTERVAL=n;) or once (an empty pattern).");
            if (parts.Any(x => x.Length != 2)) throw bad;
            var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var part in parts)
            {
                if (values.ContainsKey(part[0].Trim())) throw bad;
                values[part[0].Trim()] = part[1].Trim();
            }

            if (!values.TryGetValue("FREQ", out var frequency) || !string.Equals(frequency, "DAILY", StringComparison.OrdinalIgnoreCase)) throw bad;
            var days = 1;
            if (values.TryGetValue("INTERVAL", out var every) && (!int.TryParse(every, NumberStyles.None, CultureInfo.InvariantCulture, out days) || days < 1)) throw bad;
            if (values.Keys.Any(k => !k.Equals("FREQ", StringComparison.OrdinalIgnoreCase) && !k.Equals("INTERVAL", StringComparison.OrdinalIgnoreCase))) throw bad;
            return TimeSpan.FromDays(days);
        }
    }
}
