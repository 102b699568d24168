using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.ServiceModel;
using System.Text;
using DealRisk.Plugins.Schema;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace DealRisk.Plugins
{
    /// <summary>
    /// Asynchronous PostOperation on opportunity Create and Update, Win and Lose: leaves one dr_riskhistory row per real
    /// change of the verdict (overall level, score or set of findings) or of the stage the deal is judged in, one when a closed deal is
    /// reopened, and one close row when the deal is won or lost, carrying the outcome, actual revenue, margin at close and
    /// every finding the deal ever carried. Every row carries the deal's stage as the suite judged it (its process bar's, where
    /// salesstage may lag: dr_judgedstage) and when it entered it, so the history
    /// shows the time spent per stage (the daily sweep's median for won deals is worked from it).
    /// Asynchronous so the rep's save is not slowed. Retries never duplicate: a row's id is derived from the
    /// opportunity and the row version it records (a close row: the outcome and close date), and a second create of
    /// the same id is recognised as done.
    /// </summary>
    public sealed class RiskHistoryPlugin : PluginBase
    {
        public const string PreImageAlias = "PreImage";
        public const string PostImageAlias = "PostImage";

        /// <summary>What a close row records, read on Win and Lose (the columns of the Update step's post-image).</summary>
        private static readonly string[] ClosedColumns =
        {
            Opportunity.ActualValue, Opportunity.ActualCloseDate, Opportunity.FitRisk, Opportunity.ForecastRisk, Opportunity.MarginPercent,
            Opportunity.MarginRisk, Opportunity.OverallRisk, Opportunity.ResourceRisk, Opportunity.RiskFindingCodes, Opportunity.RiskReasons,
            Opportunity.RiskScore, Opportunity.Name, Opportunity.StateCode, Opportunity.SalesStage, Opportunity.JudgedStage, Opportunity.StageEnteredOn, "versionnumber",
        };

        private static readonly string[] VerdictColumns =
        {
            Opportunity.OverallRisk, Opportunity.MarginRisk, Opportunity.ResourceRisk, Opportunity.FitRisk, Opportunity.ForecastRisk,
            Opportunity.RiskScore, Opportunity.RiskFindingCodes,
        };

        public RiskHistoryPlugin(string unsecureConfiguration, string secureConfiguration)
            : base(typeof(RiskHistoryPlugin), unsecureConfiguration, secureConfiguration)
        {
        }

        protected override void ExecuteDataversePlugin(ILocalPluginContext local)
        {
            var context = local.PluginExecutionContext;
            Entity? before = null;
            if (!context.PostEntityImages.TryGetValue(PostImageAlias, out var after))
            {
                // Win and Lose carry the opportunityclose, not the deal, and no images: the deal was open (the platform
                // closes only open deals) and is read once as it is now.
                if (!(context.InputParameters.TryGetValue("OpportunityClose", out var close) && close is Entity activity &&
                      activity.GetAttributeValue<EntityReference>(Opportunity.Id) is EntityReference closed)) return;
                after = local.SystemService.Retrieve(Opportunity.EntityName, closed.Id, new ColumnSet(ClosedColumns));
                before = new Entity(Opportunity.EntityName, closed.Id) { [Opportunity.StateCode] = new OptionSetValue(OpportunityState.Open) };
            }
            else
            {
                context.PreEntityImages.TryGetValue(PreImageAlias, out before);
            }

            var target = context.InputParameters.TryGetValue("Target", out var t) ? t as Entity : null;

            var wasOpen = before == null || (before.GetAttributeValue<OptionSetValue>(Opportunity.StateCode)?.Value ?? 0) == OpportunityState.Open;
            var state = after.GetAttributeValue<OptionSetValue>(Opportunity.StateCode)?.Value ?? OpportunityState.Open;
            var closing = wasOpen && state != OpportunityState.Open;
            var verdictChanged = before == null || VerdictColumns.Any(c => !Same(Value(before, c), Value(after, c)));
            // A stage move is recorded even when the verdict stays, so that the history shows the time spent per stage;
            // a reopened deal too, so that the history does not count it as won from the stage it was in.
            var stageChanged = before != null && !Same(Stage(before), Stage(after));
            var reopened = !wasOpen && state == OpportunityState.Open;
            if (!closing && !reopened && (!(verdictChanged || stageChanged) || after.GetAttributeValue<OptionSetValue>(Opportunity.OverallRisk) == null))
            {
                local.Trace("Neither the verdict nor the sales stage changed: no history row.");
                return;
            }

            var version = after.GetAttributeValue<long?>("versionnumber") ?? 0L;
            // A close is one row whichever step records it (Win, Lose, or Update of statecode when the platform runs it).
            var key = closing ? $"close|{state}|{after.GetAttributeValue<DateTime?>(Opportunity.ActualCloseDate):yyyy-MM-dd}" : $"{version}|change";
            var row = new Entity(RiskHistory.EntityName, RowId(after.Id, key))
            {
                [RiskHistory.Name] = ColumnLimits.HistoryName.Fit((closing ? "Closed: " : "") + (after.GetAttributeValue<string>(Opportunity.Name) ?? after.Id.ToString())),
                [RiskHistory.OpportunityId] = new EntityReference(Opportunity.EntityName, after.Id),
                [RiskHistory.Kind] = new OptionSetValue(closing ? RiskHistory.KindClose : RiskHistory.KindChange),
                [RiskHistory.RecordedOn] = context.OperationCreatedOn == default ? DateTime.UtcNow : context.OperationCreatedOn,
                [RiskHistory.OverallRisk] = Copy(after, Opportunity.OverallRisk),
                [RiskHistory.MarginRisk] = Copy(after, Opportunity.MarginRisk),
                [RiskHistory.ResourceRisk] = Copy(after, Opportunity.ResourceRisk),
                [RiskHistory.FitRisk] = Copy(after, Opportunity.FitRisk),
                [RiskHistory.ForecastRisk] = Copy(after, Opportunity.ForecastRisk),
                [RiskHistory.RiskScore] = after.GetAttributeValue<int?>(Opportunity.RiskScore) is int score ? ColumnLimits.HistoryRiskScore.Fit(score) : (int?)null,
                [RiskHistory.FindingCodes] = Codes(ColumnLimits.HistoryFindingCodes, after.GetAttributeValue<string>(Opportunity.RiskFindingCodes)),
                [RiskHistory.Reasons] = after.GetAttributeValue<string>(Opportunity.RiskReasons) is string reasons ? ColumnLimits.HistoryReasons.Fit(reasons) : null,
                [RiskHistory.ChangedBy] = new EntityReference(SystemUser.EntityName, context.InitiatingUserId),
                [RiskHistory.Trigger] = Trigger(target, context.MessageName),
                [RiskHistory.SourceVersion] = version,
                [RiskHistory.SalesStage] = Stage(after) is int stage ? new OptionSetValue(stage) : null,
                [RiskHistory.StageEnteredOn] = after.GetAttributeValue<DateTime?>(Opportunity.StageEnteredOn),
            };

            if (closing)
            {
                row[RiskHistory.Outcome] = new OptionSetValue(state == OpportunityState.Won ? RiskHistory.OutcomeWon : RiskHistory.OutcomeLost);
                row[RiskHistory.ActualRevenue] = after.GetAttributeValue<Money>(Opportunity.ActualValue) is Money revenue ? new Money(ColumnLimits.HistoryActualRevenue.Fit(revenue.Value)) : null;
                // The revenue is in the deal's currency: the row carries it, so the platform's _base twin is right.
                if (after.GetAttributeValue<EntityReference>(Opportunity.TransactionCurrencyId) is EntityReference currency)
                    row[Opportunity.TransactionCurrencyId] = new EntityReference(currency.LogicalName, currency.Id);
                row[RiskHistory.MarginPercentAtClose] = after.GetAttributeValue<decimal?>(Opportunity.MarginPercent) is decimal margin ? ColumnLimits.HistoryMarginPercentAtClose.Fit(margin) : (decimal?)null;
                row[RiskHistory.FindingsEverCarried] = EverCarried(local.SystemService, after);
            }

            try
            {
                local.SystemService.Create(row);
                local.Trace($"History row {row.Id} written for opportunity {after.Id} (version {version}{(closing ? ", close" : "")}).");
            }
            catch (FaultException<OrganizationServiceFault> fault) when (fault.Detail?.ErrorCode == PlatformErrors.DuplicateRecord)
            {
                // A retry of this job: the row is already there.
                local.Trace($"History row {row.Id} already exists: nothing to do.");
            }
        }


        /// <summary>Every finding code of the deal's history rows and of its verdict now, sorted.</summary>
        private static string EverCarried(IOrganizationService service, Entity deal)
        {
            var query = new QueryExpression(RiskHistory.EntityName) { ColumnSet = new ColumnSet(RiskHistory.FindingCodes) };
            query.Criteria.AddCondition(RiskHistory.OpportunityId, ConditionOperator.Equal, deal.Id);
            var codes = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var row in service.RetrieveMultiple(query).Entities.Select(e => e.GetAttributeValue<string>(RiskHistory.FindingCodes)).Concat(new[] { deal.GetAttributeValue<string>(Opportunity.RiskFindingCodes) }))
                foreach (var code in (row ?? "").Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries))
                    codes.Add(code.Trim());
            return ColumnLimits.HistoryFindingsEverCarried.FitList(codes);
        }

        /// <summary>What the user changed that led to this verdict: the non-verdict columns of the save.</summary>
        private static string Trigger(Entity? target, string message)
        {
            if (target == null) return message;
            var columns = target.Attributes.Keys.Where(k => !k.StartsWith("dr_risk", StringComparison.Ordinal) && !Opportunity.Verdict.Contains(k) && k != Opportunity.Id)
                .OrderBy(k => k, StringComparer.Ordinal).ToList();
            // A child row asks for the judgement; of those, only a move of the process bar changes the stage as judged without salesstage.
            if (target.Contains(Opportunity.RiskRecalculationRequestedOn))
                columns.Insert(0, target.Contains(Opportunity.JudgedStage) && !target.Contains(Opportunity.SalesStage) ? "the process bar" : "a product line, requirement or allocation");
            return ColumnLimits.HistoryTrigger.Fit(message + (columns.Count == 0 ? "" : ": " + string.Join(", ", columns)));
        }

        private static string? Codes(TextLimit limit, string? codes) =>
            codes == null ? null : limit.FitList(codes.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries));

        private static object? Copy(Entity source, string column) =>
            source.GetAttributeValue<OptionSetValue>(column) is OptionSetValue v ? new OptionSetValue(v.Value) : null;

        /// <summary>
        /// The stage the suite judged the deal in (its process bar's, which moving the bar leaves off salesstage); a deal
        /// not judged since that column came keeps only salesstage.
        /// </summary>
        private static int? Stage(Entity deal) =>
            (deal.GetAttributeValue<OptionSetValue>(Opportunity.JudgedStage) ?? deal.GetAttributeValue<OptionSetValue>(Opportunity.SalesStage))?.Value;

        private static object? Value(Entity row, string column) => row.Attributes.TryGetValue(column, out var value) ? value : null;

        private static bool Same(object? a, object? b) => a == null || b == null ? a == null && b == null : a.Equals(b);

        /// <summary>A stable id for the row recording this version of the deal (name-based, as RFC 4122 version 5 does).</summary>
        internal static Guid RowId(Guid opportunityId, string key)
        {
            using var sha = SHA1.Create();
            var hash = sha.ComputeHash(Encoding.UTF8.GetBytes($"dr_riskhistory|{opportunityId:N}|{key}"));
            var bytes = new byte[16];
            Array.Copy(hash, bytes, 16);
            bytes[7] = (byte)((bytes[7] & 0x0F) | 0x50);
            bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
            return new Guid(bytes);
        }
    }
}
