using System;
using System.Collections.Generic;
using System.Linq;
using CrmPlugins.Emulator;
using CrmPlugins.Report;
using DealRisk.Plugins;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace DealRisk.Cli.Reporting
{
    /// <summary>Reads what the suite wrote into an organization (verdicts, alerts, history, forecast changes) into the report's model.</summary>
    public static class ReportBuilder
    {
        /// <summary>
        /// The report of the organization. With <paramref name="since"/>, the pipeline, alerts and forecast changes are
        /// those of the period (open deals, deals closed since, alerts raised since); the outcome analysis always reads
        /// every closed deal.
        /// </summary>
        public static RiskReport Build(XrmOrganization org, string title, string source, DateTime? since = null)
        {
            // One read path: every row comes through the organization service, as the plugins read it (and the plugins'
            // reader for utilisation), never from the emulator's store directly.
            var system = org.GetOrganizationService();
            IReadOnlyList<Entity> All(string table) => ReadAll(system, table);
            var users = All(SystemUser.EntityName).ToDictionary(u => u.Id);
            var units = All("businessunit").ToDictionary(b => b.Id);
            string UserName(Guid? id) => id is Guid g && users.TryGetValue(g, out var u) ? u.GetAttributeValue<string>(SystemUser.FullName) ?? g.ToString() : "";
            Guid? ManagerOf(Guid? id) => id is Guid g && users.TryGetValue(g, out var u) ? u.GetAttributeValue<EntityReference>(SystemUser.ParentSystemUserId)?.Id : null;
            // Amounts in the organization's base currency (the platform's _base twin), so deals in different currencies add up.
            static decimal? Base(Entity e, string column) => (e.GetAttributeValue<Money>(column + "_base") ?? e.GetAttributeValue<Money>(column))?.Value;
            string Level(Entity e, string column) => (OptionSets.RiskLevelOf(e.GetAttributeValue<OptionSetValue>(column)?.Value) ?? RiskLevel.Unknown).ToString();

            // Outcomes: closed deals with their close row in the risk history (the latest, if a deal was reopened).
            // The close rows only: a dry run over 100,000 deals writes a change row for each, which the outcomes never read.
            var closeRows = ReadAll(system, RiskHistory.EntityName, new FilterExpression { Conditions = { new ConditionExpression(RiskHistory.Kind, ConditionOperator.Equal, RiskHistory.KindClose) } })
                .GroupBy(h => h.GetAttributeValue<EntityReference>(RiskHistory.OpportunityId)?.Id ?? Guid.Empty)
                .ToDictionary(g => g.Key, g => g.OrderBy(h => h.GetAttributeValue<DateTime?>(RiskHistory.RecordedOn)).ToList());

            // The deals, read a page at a time into what the report keeps of each: at 100,000 deals a copy of every deal row,
            // held to the end, was the largest thing the dry run ever held.
            var deals = new List<DealRow>();
            var names = new Dictionary<Guid, string>();
            var stateOf = new Dictionary<Guid, int>();
            var changes = new List<ForecastChangeRow>();
            var closed = new List<ClosedDeal>();
            var reopenedStillOpen = 0;
            ForEachRow(system, Opportunity.EntityName, ReportedDealColumns, o =>
            {
                var name = o.GetAttributeValue<string>(Opportunity.Name) ?? o.Id.ToString();
                var state = o.GetAttributeValue<OptionSetValue>(Opportunity.StateCode)?.Value ?? OpportunityState.Open;
                var owner = o.GetAttributeValue<EntityReference>(Opportunity.OwnerId)?.Id;
                names[o.Id] = name;
                stateOf[o.Id] = state;
                var inPeriod = since == null || state == OpportunityState.Open || (o.GetAttributeValue<DateTime?>(Opportunity.ActualCloseDate) ?? DateTime.MaxValue) >= since.Value.Date;
                if (inPeriod)
                {
                    var bu = o.GetAttributeValue<EntityReference>(Opportunity.OwningBusinessUnit)?.Id;
                    deals.Add(new DealRow(o.Id, name, UserName(owner), UserName(ManagerOf(owner)),
                        bu is Guid b && units.TryGetValue(b, out var unit) ? unit.GetAttributeValue<string>("name") ?? "" : "",
                        o.GetAttributeValue<DateTime?>(Opportunity.EstimatedCloseDate), Base(o, Opportunity.EstimatedValue),
                        o.GetAttributeValue<decimal?>(Opportunity.MarginPercent),
                        Level(o, Opportunity.OverallRisk), Level(o, Opportunity.MarginRisk), Level(o, Opportunity.ResourceRisk), Level(o, Opportunity.FitRisk), Level(o, Opportunity.ForecastRisk),
                        o.GetAttributeValue<int?>(Opportunity.RiskScore) ?? 0,
                        (o.GetAttributeValue<string>(Opportunity.RiskReasons) ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                        o.GetAttributeValue<EntityReference>(Opportunity.RiskApprovedBy) != null,
                        state == OpportunityState.Won ? "Won" : state == OpportunityState.Lost ? "Lost" : "Open")
                    {
                        Checks = Opportunity.CheckLevels.Select(c => new CheckLevelRow(c.Key, Level(o, c.Value))).ToList(),
                        Fixes = (o.GetAttributeValue<string>(Opportunity.RiskFixes) ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                    });
                }

                foreach (var c in ForecastChangeLog.Parse(o.GetAttributeValue<string>(Opportunity.ForecastChangeLog)))
                    if (since == null || c.On >= since.Value.Date) changes.Add(new ForecastChangeRow(name, UserName(owner), c.On, c.Code, c.Text));

                closeRows.TryGetValue(o.Id, out var rows);
                if (state == OpportunityState.Open)
                {
                    if (rows != null) reopenedStillOpen++;
                    return;
                }

                var won = state == OpportunityState.Won;
                var row = rows?.LastOrDefault();
                var revenue = won
                    ? (row == null ? null : Base(row, RiskHistory.ActualRevenue)) ?? Base(o, Opportunity.ActualValue) ?? Base(o, Opportunity.EstimatedValue) ?? 0m
                    : Base(o, Opportunity.EstimatedValue) ?? 0m;
                closed.Add(new ClosedDeal(name, won, revenue,
                    row != null ? row.GetAttributeValue<decimal?>(RiskHistory.MarginPercentAtClose) : o.GetAttributeValue<decimal?>(Opportunity.MarginPercent),
                    row?.GetAttributeValue<int?>(RiskHistory.RiskScore),
                    row == null ? null : (OptionSets.RiskLevelOf(row.GetAttributeValue<OptionSetValue>(RiskHistory.OverallRisk)?.Value) ?? RiskLevel.Unknown).ToString(),
                    (row?.GetAttributeValue<string>(RiskHistory.FindingsEverCarried) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                    o.GetAttributeValue<DateTime?>(Opportunity.ActualCloseDate) ?? row?.GetAttributeValue<DateTime?>(RiskHistory.RecordedOn) ?? org.UtcNow,
                    HasHistory: row != null, Reopened: rows is { Count: > 1 })
                {
                    SlipCount = o.GetAttributeValue<int?>(Opportunity.CloseDateSlipCount),
                    UnquotedHours = o.GetAttributeValue<decimal?>(Opportunity.UnquotedEffortHours),
                    PeakUtilisation = o.GetAttributeValue<decimal?>(Opportunity.PeakUtilisation),
                    Owner = UserName(owner),
                    OwnerManager = UserName(ManagerOf(owner)),
                });
            });
            deals = deals.OrderByDescending(d => d.Score).ThenBy(d => d.Name, StringComparer.Ordinal).ToList();
            changes = changes.OrderBy(c => c.OnUtc).ThenBy(c => c.Deal, StringComparer.Ordinal).ToList();

            // The columns the report reads: not the alert's reasons, a copy of the deal's that the report takes from the deal
            // (at 100,000 deals the alerts' texts alone are hundreds of megabytes).
            var alertRows = ReadAll(system, RiskAlert.EntityName, columns: new ColumnSet(RiskAlert.OpportunityId, RiskAlert.RecipientId, RiskAlert.OriginalRecipientId,
                RiskAlert.Level, RiskAlert.Status, RiskAlert.RaisedOn, RiskAlert.EscalationLevel, RiskAlert.Resolution, RiskAlert.Response,
                RiskAlert.AcknowledgedOn, RiskAlert.ResolvedOn, RiskAlert.RespondedOn));
            var alerts = alertRows.Where(a => since == null || a.GetAttributeValue<DateTime?>(RiskAlert.RaisedOn) >= since).Select(a => new AlertRow(
                    a.GetAttributeValue<EntityReference>(RiskAlert.OpportunityId) is { } d && names.TryGetValue(d.Id, out var n) ? n : "",
                    UserName(a.GetAttributeValue<EntityReference>(RiskAlert.RecipientId)?.Id),
                    Level(a, RiskAlert.Level),
                    OptionSets.AlertStatusOf(a.GetAttributeValue<OptionSetValue>(RiskAlert.Status)?.Value).ToString(),
                    a.GetAttributeValue<DateTime?>(RiskAlert.RaisedOn) ?? default,
                    a.GetAttributeValue<int?>(RiskAlert.EscalationLevel) ?? 0,
                    a.GetAttributeValue<string>(RiskAlert.Resolution)))
                .OrderBy(a => a.RaisedOnUtc).ThenBy(a => a.Deal, StringComparer.Ordinal).ToList();

            // Utilisation: what open (weighted) and won-not-delivered deals need of each role, allocated or not, against capacity,
            // as the demand ledger holds it.
            var reader = new RiskFactsReader(system);
            var policy = PolicyReader.Read(PolicyReader.Pick(reader.Policies(), null, null));
            var reportFrom = new DateTime(org.UtcNow.Year, org.UtcNow.Month, 1).AddMonths(-3);
            var demand = DeliveryDemand.Spread(reader.LedgerDemand(RiskFactsReader.DemandSince(reportFrom, policy.DeliveryWindowDays), org.UtcNow.AddMonths(9), org.UtcNow), policy.DeliveryWindowDays);
            var capacity = reader.Capacity(reportFrom, org.UtcNow.AddMonths(9));
            var utilisation = capacity.Select(c => (c.Role, c.Month)).Concat(demand.Select(d => (d.Role, d.Month))).Distinct()
                .Select(k => new UtilisationRow(k.Role, k.Month,
                    decimal.Round(demand.Where(d => d.Role == k.Role && d.Month == k.Month).Sum(d => d.Hours), 1),
                    capacity.Where(c => c.Role == k.Role && c.Month == k.Month).Sum(c => c.Hours)))
                .Where(u => u.DemandHours > 0 || u.Month >= new DateTime(org.UtcNow.Year, org.UtcNow.Month, 1))
                .OrderBy(u => u.Role, StringComparer.Ordinal).ThenBy(u => u.Month).ToList();

            var thresholds = new[]
            {
                new PolicyThreshold("margin critical floor", "Margin % at close", policy.MarginCriticalPercent),
                new PolicyThreshold("margin warning floor", "Margin % at close", policy.MarginWarningPercent),
                new PolicyThreshold("close-date slip warning", "Slips at close", policy.SlipWarningCount, d => d.SlipCount, HigherIsWorse: true, Step: 1m, Unit: ""),
                new PolicyThreshold("unquoted effort warning", "Unquoted hours at close", policy.UnquotedEffortWarningHours, d => d.UnquotedHours, HigherIsWorse: true,
                    Step: Math.Max(8m, decimal.Round(policy.UnquotedEffortWarningHours / 2m)), Unit: " h"),
                new PolicyThreshold("utilisation warning", "Peak utilisation at close", policy.UtilisationWarningPercent, d => d.PeakUtilisation, HigherIsWorse: true, Step: 10m),
            };
            var summary = OutcomeAnalysis.Summary(closed);
            var findingOutcomes = OutcomeAnalysis.Groups(closed).Select(g => new FindingOutcomeRow(g.Group, g.Won, g.Lost, g.Dimension, g.LostValue, g.RealisedMarginPercent)).ToList();
            var bands = OutcomeAnalysis.Bands(closed, thresholds).Select(b => new ThresholdBandRow(b.Measure, b.Band, b.Won, b.Lost, b.RealisedMarginPercent, b.Current)).ToList();
            var suggestions = OutcomeAnalysis.Suggestions(closed, thresholds).Select(x => new ThresholdSuggestion(x.Threshold, x.Current, x.Suggestion)).ToList();

            // Manager follow-through: each alert with its original recipient, their response and how the deal ended.
            var actions = OutcomeAnalysis.Managers(alertRows.Select(a =>
                {
                    var managerId = a.GetAttributeValue<EntityReference>(RiskAlert.OriginalRecipientId)?.Id ?? a.GetAttributeValue<EntityReference>(RiskAlert.RecipientId)?.Id;
                    var deal = a.GetAttributeValue<EntityReference>(RiskAlert.OpportunityId)?.Id;
                    var state = deal is Guid d && stateOf.TryGetValue(d, out var st) ? st : OpportunityState.Open;
                    var response = OptionSets.ResponseOf(a.GetAttributeValue<OptionSetValue>(RiskAlert.Response)?.Value);
                    return new AlertFollowThrough(UserName(managerId),
                        managerId is Guid m && users.TryGetValue(m, out var u) && u.GetAttributeValue<bool?>(SystemUser.IsDisabled) == true,
                        a.GetAttributeValue<DateTime?>(RiskAlert.RaisedOn) ?? default, a.GetAttributeValue<DateTime?>(RiskAlert.AcknowledgedOn),
                        a.GetAttributeValue<DateTime?>(RiskAlert.ResolvedOn), a.GetAttributeValue<int?>(RiskAlert.EscalationLevel) ?? 0,
                        response is AlertResponse r ? AlertResponseRules.Label(r) : null,
                        state == OpportunityState.Open ? null : state == OpportunityState.Won);
                }))
                .Select(m => new ManagerActionRow(m.Manager, m.Received, m.Acknowledged, m.Resolved, m.Escalated, m.MedianHoursToAcknowledge,
                    m.ActionsByKind, m.ActedOnWon, m.ActedOnLost, m.IgnoredWon, m.IgnoredLost, m.LeftCompany)).ToList();

            // Leading indicators (now) beside trailing ones (what closed).
            var open = deals.Where(d => d.State == "Open").ToList();
            var flaggedOpen = open.Where(d => d.Overall is "High" or "Critical").ToList();
            var lastMonth = org.UtcNow.AddDays(-30);
            string Money0(decimal v) => v.ToString("#,0", System.Globalization.CultureInfo.InvariantCulture);
            var indicators = new List<IndicatorRow>
            {
                new("Leading", "Open deals flagged High or Critical", $"{flaggedOpen.Count} of {open.Count} open deals, {Money0(flaggedOpen.Sum(d => d.Revenue ?? 0m))} of {Money0(open.Sum(d => d.Revenue ?? 0m))}"),
                new("Leading", "Close-date slips in the last 30 days", changes.Count(c => c.Kind == "CLOSE_DATE_SLIPPED" && c.OnUtc >= lastMonth.Date).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new("Leading", "Open alerts nobody has responded to", alertRows.Count(a => OptionSets.AlertStatusOf(a.GetAttributeValue<OptionSetValue>(RiskAlert.Status)?.Value) == AlertStatus.Open).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new("Leading", "Manager responses in the last 30 days", alertRows.Count(a => a.GetAttributeValue<DateTime?>(RiskAlert.RespondedOn) >= lastMonth).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new("Trailing", "Win rate", OutcomeAnalysis.WinRate(summary.Won, summary.Closed)),
                new("Trailing", "Revenue won", Money0(summary.WonRevenue)),
                new("Trailing", "Value lost", $"{Money0(summary.LostValue)} ({summary.Lost} deals)"),
                new("Trailing", "Realised margin of won deals", summary.RealisedMarginPercent is decimal rm ? rm.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "%" : "unknown"),
            };

            // Coaching: each activity with who recorded it and the rep, beside the same people's closed deals.
            var coaching = CoachingAnalysis.Figures(All(CoachingSession.EntityName).Select(c => new CoachingRecord(
                    UserName(c.GetAttributeValue<EntityReference>("createdby")?.Id), UserName(c.GetAttributeValue<EntityReference>(CoachingSession.RepId)?.Id),
                    c.GetAttributeValue<DateTime?>(CoachingSession.HeldOn) ?? c.GetAttributeValue<DateTime?>("createdon") ?? org.UtcNow,
                    c.GetAttributeValue<int?>(CoachingSession.DurationMinutes), CoachingKindLabel(c.GetAttributeValue<OptionSetValue>(CoachingSession.Kind)?.Value))).ToList(), closed)
                .Select(f => new CoachingRow(f.Role, f.Person, f.Quarter, f.Sessions, f.Hours, f.SessionsWithoutDuration, f.PreBriefs, f.Debriefs, f.DealReviews,
                    f.Closed, f.Won, f.LostValue, f.Slipped, f.Slips)).ToList();

            return new RiskReport(title, source, org.UtcNow, deals, alerts, changes, utilisation, findingOutcomes, bands, actions)
            {
                Coaching = coaching,
                Outcomes = new OutcomeSummary(summary.Period, summary.Closed, summary.Won, summary.Lost, summary.WonRevenue, summary.LostValue, summary.RealisedMarginPercent,
                    summary.ClosedWithoutHistory, summary.Reopened + reopenedStillOpen),
                Suggestions = suggestions,
                Indicators = indicators,
            };
        }

        private static string CoachingKindLabel(int? value) => value switch
        {
            CoachingSession.KindPreBrief => CoachingAnalysis.PreBrief,
            CoachingSession.KindDebrief => CoachingAnalysis.Debrief,
            CoachingSession.KindDealReview => CoachingAnalysis.DealReview,
            _ => "Coaching session",
        };

        /// <summary>The deal columns the report shows or reads (a deal's row holds many more: the report never copies those).</summary>
        private static readonly string[] ReportedDealColumns = new[]
        {
            Opportunity.Name, Opportunity.OwnerId, Opportunity.OwningBusinessUnit, Opportunity.StateCode, Opportunity.EstimatedCloseDate,
            Opportunity.EstimatedValue, Opportunity.EstimatedValue + "_base", Opportunity.ActualValue, Opportunity.ActualValue + "_base", Opportunity.ActualCloseDate,
            Opportunity.MarginPercent, Opportunity.OverallRisk, Opportunity.RiskScore, Opportunity.RiskReasons, Opportunity.RiskFixes, Opportunity.RiskApprovedBy,
            Opportunity.ForecastChangeLog, Opportunity.CloseDateSlipCount, Opportunity.UnquotedEffortHours, Opportunity.PeakUtilisation,
        }.Concat(Opportunity.CheckLevels.Select(c => c.Value)).Distinct(StringComparer.Ordinal).ToArray();

        /// <summary>Every row of a table, all columns (or <paramref name="columns"/>), page by page.</summary>
        private static IReadOnlyList<Entity> ReadAll(IOrganizationService service, string table, FilterExpression? where = null, ColumnSet? columns = null)
        {
            var rows = new List<Entity>();
            ForEachRow(service, table, columns, rows.Add, where);
            return rows;
        }

        /// <summary>Hands each row of a table to <paramref name="take"/>, page by page, holding one page at a time.</summary>
        private static void ForEachRow(IOrganizationService service, string table, string[] columns, Action<Entity> take) =>
            ForEachRow(service, table, new ColumnSet(columns), take, null);

        private static void ForEachRow(IOrganizationService service, string table, ColumnSet? columns, Action<Entity> take, FilterExpression? where)
        {
            var query = new QueryExpression(table) { ColumnSet = columns ?? new ColumnSet(true), PageInfo = new PagingInfo { Count = 5000, PageNumber = 1 } };
            if (where != null) query.Criteria = where;
            while (true)
            {
                var page = service.RetrieveMultiple(query);
                foreach (var row in page.Entities) take(row);
                if (!page.MoreRecords) return;
                query.PageInfo.PageNumber++;
                query.PageInfo.PagingCookie = page.PagingCookie;
            }
        }
    }
}
