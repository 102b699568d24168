using System;
using System.Collections.Generic;
using System.Linq;
using DealRisk.Plugins.Schema;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace DealRisk.Plugins.Sweep
{
    /// <summary>The last completed customer activity of a deal: when, and what kind.</summary>
    internal sealed class LastActivity
    {
        public LastActivity(DateTime completedOn, string kind)
        {
            CompletedOn = completedOn;
            Kind = kind;
        }

        public DateTime CompletedOn { get; }

        public string Kind { get; }
    }

    /// <summary>
    /// Reads when each deal of a batch last had a completed phone call, appointment, email or task regarding it: one
    /// aggregate query over activitypointer (the latest actualend per deal and activity type), whatever the number of
    /// deals or activities.
    /// </summary>
    internal sealed class ActivityReader
    {
        private static readonly KeyValuePair<string, string>[] Kinds =
        {
            new(PhoneCall.EntityName, "phone call"), new(Appointment.EntityName, "appointment"), new(Email.EntityName, "email"), new(TaskActivity.EntityName, "task"),
        };

        private readonly IOrganizationService _service;

        public ActivityReader(IOrganizationService service) => _service = service;

        public IReadOnlyDictionary<Guid, LastActivity> LastCompleted(IReadOnlyCollection<Guid> dealIds)
        {
            var last = new Dictionary<Guid, LastActivity>();
            if (dealIds.Count == 0) return last;
            var deals = string.Concat(dealIds.Select(id => $"<value>{id}</value>"));
            var kinds = string.Concat(Kinds.Select(k => $"<value>{k.Key}</value>"));
            var fetch = $"<fetch aggregate=\"true\"><entity name=\"{ActivityPointer.EntityName}\">" +
                        $"<attribute name=\"{ActivityPointer.ActualEnd}\" alias=\"last\" aggregate=\"max\" />" +
                        $"<attribute name=\"{ActivityPointer.RegardingObjectId}\" alias=\"deal\" groupby=\"true\" />" +
                        $"<attribute name=\"{ActivityPointer.ActivityTypeCode}\" alias=\"kind\" groupby=\"true\" />" +
                        $"<filter><condition attribute=\"{ActivityPointer.StateCode}\" operator=\"eq\" value=\"{ActivityState.Completed}\" />" +
                        $"<condition attribute=\"{ActivityPointer.ActivityTypeCode}\" operator=\"in\">{kinds}</condition>" +
                        $"<condition attribute=\"{ActivityPointer.RegardingObjectId}\" operator=\"in\">{deals}</condition></filter>" +
                        "</entity></fetch>";
            foreach (var row in _service.RetrieveMultiple(new FetchExpression(fetch)).Entities)
            {
                var deal = RiskFactsReader.Aliased<EntityReference>(row, "deal")?.Id;
                if (deal is not Guid id || RiskFactsReader.Aliased<DateTime?>(row, "last") is not DateTime on) continue;
                var table = RiskFactsReader.Aliased<string>(row, "kind");
                var kind = Kinds.FirstOrDefault(k => k.Key == table).Value ?? table ?? "activity";
                if (!last.TryGetValue(id, out var seen) || on > seen.CompletedOn) last[id] = new LastActivity(on, kind);
            }

            return last;
        }
    }
}
