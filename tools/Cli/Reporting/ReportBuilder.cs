using System;
using System.Collections.Generic;
using System.Linq;
using CrmPlugins.Emulator;
using CrmPlugins.Report;
using DealRisk.Plugins;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;

namespace DealRisk.Cli.Reporting
{
    /// <summary>Reads what the suite wrote into an organization (verdicts, alerts, history, forecast changes) into the report's model.</summary>
    public static class ReportBuilder
    {
        public static RiskReport Build(XrmOrganization org, string title, string source)
        {
            var users = org.All(SystemUser.EntityName).ToDictionary(u => u.Id);
            var units = org.All("businessunit").ToDictionary(b => b.Id);
            string UserName(Guid? id) => id is Guid g && users.TryGetValue(g, out var u) ? u.GetAttributeValue<string>(SystemUser.FullName) ?? g.ToString() : "";
            Guid? ManagerOf(Guid? id) => id is Guid g && users.TryGetValue(g, out var u) ? u.GetAttributeValue<EntityReference>(SystemUser.ParentSystemUserId)?.Id : null;
            string Level(Entity e, string column) => (OptionSets.RiskLevelOf(e.GetAttributeValue<OptionSetValue>(column)?.Value) ?? RiskLevel.Unknown).ToString();

            var opportunities = org.All(Opportunity.EntityName);
            var deals = opportunities.Select(o =>
            {
                var owner = o.GetAttributeValue<EntityReference>(Opportunity.OwnerId)?.Id;
                var bu = o.GetAttributeValue<EntityReference>(Opportunity.OwningBusinessUnit)?.Id;
                var state = o.GetAttributeValue<OptionSetValue>(Opportunity.StateCode)?.Value ?? OpportunityState.Open;
                return new DealRow(o.Id, o.GetAttributeValue<string>(Opportunity.Name) ?? o.Id.ToString(), UserName(owner), UserName(ManagerOf(owner)),
                    bu is Guid b && units.TryGetValue(b, out var unit) ? unit.GetAttributeValue<string>("name") ?? "" : "",
                    o.GetAttributeValue<DateTime?>(Opportunity.EstimatedCloseDate), o.GetAttributeValue<Money>(Opportunity.EstimatedValue)?.Value,
                    o.GetAttributeValue<decimal?>(Opportunity.MarginPercent),
                    Level(o, Opportunity.OverallRisk), Level(o, Opportunity.MarginRisk), Level(o, Opportunity.ResourceRisk), Level(o, Opportunity.FitRisk), Level(o, Opportunity.ForecastRisk),
                    o.GetAttributeValue<int?>(Opportunity.RiskScore) ?? 0,
                    (o.GetAttributeValue<string>(Opportunity.RiskReasons) ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                    o.GetAttributeValue<EntityReference>(Opportunity.RiskApprovedBy) != null,
                    state == OpportunityState.Won ? "Won" : state == OpportunityState.Lost ? "Lost" : "Open");
            }).OrderByDescending(d => d.Score).ThenBy(d => d.Name, StringComparer.Ordinal).ToList();
            var names = opportunities.ToDictionary(o => o.Id, o => o.GetAttributeValue<string>(Opportunity.Name) ?? o.Id.ToString());

            var alertRows = org.All(RiskAlert.EntityName);
            var alerts = alertRows.Select(a => new AlertRow(
                    a.GetAttributeValue<EntityReference>(RiskAlert.OpportunityId) is { } d && names.TryGetValue(d.Id, out var n) ? n : "",
                    UserName(a.GetAttributeValue<EntityReference>(RiskAlert.RecipientId)?.Id),
                    Level(a, RiskAlert.Level),
                    OptionSets.AlertStatusOf(a.GetAttributeValue<OptionSetValue>(RiskAlert.Status)?.Value).ToString(),
                    a.GetAttributeValue<DateTime?>(RiskAlert.RaisedOn) ?? default,
                    a.GetAttributeValue<int?>(RiskAlert.EscalationLevel) ?? 0,
                    a.GetAttributeValue<string>(RiskAlert.Resolution)))
                .OrderBy(a => a.RaisedOnUtc).ThenBy(a => a.Deal, StringComparer.Ordinal).ToList();

            var changes = opportunities.SelectMany(o => ForecastChangeLog.Parse(o.GetAttributeValue<string>(Opportunity.ForecastChangeLog)).Select(c => new ForecastChangeRow(
                    names[o.Id], UserName(o.GetAttributeValue<EntityReference>(Opportunity.OwnerId)?.Id), c.On, c.Code, c.Text)))
                .OrderBy(c => c.OnUtc).ThenBy(c => c.Deal, StringComparer.Ordinal).ToList();

            // Utilisation: what allocations of open (weighted) and won-not-delivered deals claim, against capacity.
            var system = org.GetOrganizationService();
            var reader = new RiskFactsReader(system);
            var policy = PolicyReader.Read(PolicyReader.Pick(reader.Policies(), null, null));
            var demand = reader.OtherDemand(Array.Empty<Guid>(), org.UtcNow, policy.DeliveryWindowDays);
            var capacity = reader.Capacity(new DateTime(org.UtcNow.Year, org.UtcNow.Month, 1).AddMonths(-3), org.UtcNow.AddMonths(9));
            var utilisation = capacity.Select(c => (c.Role, c.Month)).Concat(demand.Select(d => (d.Role, d.Month))).Distinct()
                .Select(k => new UtilisationRow(k.Role, k.Month,
                    decimal.Round(demand.Where(d => d.Role == k.Role && d.Month == k.Month).Sum(d => d.Hours), 1),
                    capacity.Where(c => c.Role == k.Role && c.Month == k.Month).Sum(c => c.Hours)))
                .Where(u => u.DemandHours > 0 || u.Month >= new DateTime(org.UtcNow.Year, org.UtcNow.Month, 1))
                .OrderBy(u => u.Role, StringComparer.Ordinal).ThenBy(u => u.Month).ToList();

            // Outcomes, from the close rows of the risk history.
            var closed = org.All(RiskHistory.EntityName).Where(h => h.GetAttributeValue<OptionSetValue>(RiskHistory.Kind)?.Value == RiskHistory.KindClose)
                .Select(h => new ClosedDeal(h.GetAttributeValue<string>(RiskHistory.Name) ?? "",
                    h.GetAttributeValue<OptionSetValue>(RiskHistory.Outcome)?.Value == RiskHistory.OutcomeWon,
                    (h.GetAttributeValue<string>(RiskHistory.FindingsEverCarried) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                    h.GetAttributeValue<decimal?>(RiskHistory.MarginPercentAtClose), h.GetAttributeValue<int?>(RiskHistory.RiskScore))).ToList();
            var findingOutcomes = OutcomeAnalysis.FindingOutcomes(closed).Select(r => new FindingOutcomeRow(r.Finding, r.Won, r.Lost)).ToList();
            var bands = OutcomeAnalysis.ThresholdBands(closed, policy.MarginCriticalPercent, policy.MarginWarningPercent).Select(r => new ThresholdBandRow(r.Measure, r.Band, r.Won, r.Lost)).ToList();
            var actions = OutcomeAnalysis.ManagerActions(alertRows.Select(a => new AlertFollowThrough(
                    UserName(a.GetAttributeValue<EntityReference>(RiskAlert.OriginalRecipientId)?.Id ?? a.GetAttributeValue<EntityReference>(RiskAlert.RecipientId)?.Id),
                    a.GetAttributeValue<DateTime?>(RiskAlert.RaisedOn) ?? default, a.GetAttributeValue<DateTime?>(RiskAlert.AcknowledgedOn),
                    a.GetAttributeValue<DateTime?>(RiskAlert.ResolvedOn), a.GetAttributeValue<int?>(RiskAlert.EscalationLevel) ?? 0)))
                .Select(r => new ManagerActionRow(r.Manager, r.Received, r.Acknowledged, r.Resolved, r.Escalated, r.MedianHoursToAcknowledge)).ToList();

            return new RiskReport(title, source, org.UtcNow, deals, alerts, changes, utilisation, findingOutcomes, bands, actions);
        }
    }
}
