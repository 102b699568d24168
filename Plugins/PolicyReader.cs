using System;
using System.Collections.Generic;
using System.Linq;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;

namespace DealRisk.Plugins
{
    // Compiled into both deployable assemblies (plugins and workflow activities).
    /// <summary>
    /// Picks the policy of a deal from the active dr_riskpolicy rows: the row for the owning team, else the row
    /// for the owning business unit, else the default row (neither set); with no row, the built-in defaults.
    /// A row's empty column falls back to the built-in value for that threshold.
    /// </summary>
    public static class PolicyReader
    {
        public static readonly string[] Columns =
        {
            RiskPolicyTable.Name, RiskPolicyTable.BusinessUnitId, RiskPolicyTable.TeamId, RiskPolicyTable.MarginWarningPercent,
            RiskPolicyTable.MarginCriticalPercent, RiskPolicyTable.MaxDiscountPercent, RiskPolicyTable.CommissionPercent, RiskPolicyTable.HourlyCost,
            RiskPolicyTable.UnquotedEffortWarningHours, RiskPolicyTable.UnquotedEffortCriticalHours, RiskPolicyTable.LateSalesStage,
            RiskPolicyTable.AllocationLeadDays, RiskPolicyTable.DeliveryWindowDays, RiskPolicyTable.UtilisationWarningPercent,
            RiskPolicyTable.UtilisationCriticalPercent, RiskPolicyTable.SlipWarningCount, RiskPolicyTable.SlipCriticalCount,
            RiskPolicyTable.AmountDropWarningPercent, RiskPolicyTable.MarginDropWarningPoints, RiskPolicyTable.ProbabilityCutWarningPoints,
            RiskPolicyTable.ForecastLookbackDays, RiskPolicyTable.AlertLevel, RiskPolicyTable.EscalationHours,
            RiskPolicyTable.EscalationUserId, RiskPolicyTable.EscalationTeamId, RiskPolicyTable.ProductCostIncludesDelivery,
            RiskPolicyTable.SlipLongDays, RiskPolicyTable.SlipOutOfQuarterLevel, RiskPolicyTable.MissingFactsDays, RiskPolicyTable.MissingFactsLateLevel,
            RiskPolicyTable.InactivityDays, RiskPolicyTable.StageMaxDays, RiskPolicyTable.StageGates, RiskPolicyTable.WonStageDays,
        };

        /// <summary>The policy of a deal read with its owner and owning business unit: its row's, or the built-in defaults.</summary>
        public static RiskPolicy ForDeal(IEnumerable<Entity> rows, Entity deal) =>
            Read(Pick(rows, deal.GetAttributeValue<EntityReference>(Opportunity.OwnerId), deal.GetAttributeValue<EntityReference>(Opportunity.OwningBusinessUnit)?.Id));

        /// <summary>The row that applies to a deal owned by <paramref name="owner"/> in <paramref name="businessUnitId"/>, or null.</summary>
        public static Entity? Pick(IEnumerable<Entity> rows, EntityReference? owner, Guid? businessUnitId)
        {
            var list = rows.ToList();
            if (owner?.LogicalName == Team.EntityName)
            {
                var team = list.FirstOrDefault(r => r.GetAttributeValue<EntityReference>(RiskPolicyTable.TeamId)?.Id == owner.Id);
                if (team != null) return team;
            }

            if (businessUnitId is Guid bu)
            {
                var unit = list.FirstOrDefault(r => r.GetAttributeValue<EntityReference>(RiskPolicyTable.TeamId) == null &&
                                                    r.GetAttributeValue<EntityReference>(RiskPolicyTable.BusinessUnitId)?.Id == bu);
                if (unit != null) return unit;
            }

            return list
                .Where(r => r.GetAttributeValue<EntityReference>(RiskPolicyTable.TeamId) == null && r.GetAttributeValue<EntityReference>(RiskPolicyTable.BusinessUnitId) == null)
                .OrderBy(r => r.GetAttributeValue<string>(RiskPolicyTable.Name), StringComparer.Ordinal)
                .FirstOrDefault();
        }

        /// <summary>The policy a row describes; null row: the built-in defaults.</summary>
        public static RiskPolicy Read(Entity? row)
        {
            var policy = RiskPolicy.Default();
            if (row == null) return policy;
            policy.Source = row.GetAttributeValue<string>(RiskPolicyTable.Name) ?? row.Id.ToString();
            policy.MarginWarningPercent = Dec(row, RiskPolicyTable.MarginWarningPercent) ?? policy.MarginWarningPercent;
            policy.MarginCriticalPercent = Dec(row, RiskPolicyTable.MarginCriticalPercent) ?? policy.MarginCriticalPercent;
            policy.MaxDiscountPercent = Dec(row, RiskPolicyTable.MaxDiscountPercent) ?? policy.MaxDiscountPercent;
            policy.CommissionPercent = Dec(row, RiskPolicyTable.CommissionPercent) ?? policy.CommissionPercent;
            policy.HourlyCost = row.GetAttributeValue<Money>(RiskPolicyTable.HourlyCost + "_base")?.Value ?? row.GetAttributeValue<Money>(RiskPolicyTable.HourlyCost)?.Value ?? policy.HourlyCost;
            policy.UnquotedEffortWarningHours = Dec(row, RiskPolicyTable.UnquotedEffortWarningHours) ?? policy.UnquotedEffortWarningHours;
            policy.UnquotedEffortCriticalHours = Dec(row, RiskPolicyTable.UnquotedEffortCriticalHours) ?? policy.UnquotedEffortCriticalHours;
            policy.LateSalesStage = row.GetAttributeValue<OptionSetValue>(RiskPolicyTable.LateSalesStage)?.Value ?? policy.LateSalesStage;
            policy.AllocationLeadDays = Int(row, RiskPolicyTable.AllocationLeadDays) ?? policy.AllocationLeadDays;
            policy.DeliveryWindowDays = Int(row, RiskPolicyTable.DeliveryWindowDays) ?? policy.DeliveryWindowDays;
            policy.UtilisationWarningPercent = Dec(row, RiskPolicyTable.UtilisationWarningPercent) ?? policy.UtilisationWarningPercent;
            policy.UtilisationCriticalPercent = Dec(row, RiskPolicyTable.UtilisationCriticalPercent) ?? policy.UtilisationCriticalPercent;
            policy.SlipWarningCount = Int(row, RiskPolicyTable.SlipWarningCount) ?? policy.SlipWarningCount;
            policy.SlipCriticalCount = Int(row, RiskPolicyTable.SlipCriticalCount) ?? policy.SlipCriticalCount;
            policy.AmountDropWarningPercent = Dec(row, RiskPolicyTable.AmountDropWarningPercent) ?? policy.AmountDropWarningPercent;
            policy.MarginDropWarningPoints = Dec(row, RiskPolicyTable.MarginDropWarningPoints) ?? policy.MarginDropWarningPoints;
            policy.ProbabilityCutWarningPoints = Int(row, RiskPolicyTable.ProbabilityCutWarningPoints) ?? policy.ProbabilityCutWarningPoints;
            policy.ForecastLookbackDays = Int(row, RiskPolicyTable.ForecastLookbackDays) ?? policy.ForecastLookbackDays;
            policy.AlertLevel = OptionSets.RiskLevelOf(row.GetAttributeValue<OptionSetValue>(RiskPolicyTable.AlertLevel)?.Value) ?? policy.AlertLevel;
            policy.EscalationHours = Int(row, RiskPolicyTable.EscalationHours) ?? policy.EscalationHours;
            policy.EscalationUserId = row.GetAttributeValue<EntityReference>(RiskPolicyTable.EscalationUserId)?.Id;
            policy.EscalationTeamId = row.GetAttributeValue<EntityReference>(RiskPolicyTable.EscalationTeamId)?.Id;
            policy.ProductCostIncludesDelivery = row.GetAttributeValue<bool?>(RiskPolicyTable.ProductCostIncludesDelivery) ?? policy.ProductCostIncludesDelivery;
            policy.SlipLongDays = Int(row, RiskPolicyTable.SlipLongDays) ?? policy.SlipLongDays;
            policy.SlipOutOfQuarterLevel = OptionSets.RiskLevelOf(row.GetAttributeValue<OptionSetValue>(RiskPolicyTable.SlipOutOfQuarterLevel)?.Value) ?? policy.SlipOutOfQuarterLevel;
            policy.MissingFactsDays = Int(row, RiskPolicyTable.MissingFactsDays) ?? policy.MissingFactsDays;
            policy.MissingFactsLateLevel = OptionSets.RiskLevelOf(row.GetAttributeValue<OptionSetValue>(RiskPolicyTable.MissingFactsLateLevel)?.Value) ?? policy.MissingFactsLateLevel;
            policy.Time.InactivityDays = Int(row, RiskPolicyTable.InactivityDays) ?? policy.Time.InactivityDays;
            policy.Time.ReadStageDays(row.GetAttributeValue<string>(RiskPolicyTable.StageMaxDays));
            policy.Time.ReadStageGates(row.GetAttributeValue<string>(RiskPolicyTable.StageGates));
            return policy;
        }

        /// <summary>
        /// The org's won deals' median days per stage that the daily sweep keeps on the row (dr_wonstagedays), for the stall
        /// finding; read with the policy, so it costs a save no query. A part that cannot be read is named in the policy's problems.
        /// </summary>
        public static IDictionary<int, StageBenchmark> WonStageDays(Entity? row, RiskPolicy policy) =>
            StageBenchmark.Read(row?.GetAttributeValue<string>(RiskPolicyTable.WonStageDays), policy.Time.Problems);

        private static decimal? Dec(Entity row, string column) => row.GetAttributeValue<decimal?>(column);

        private static int? Int(Entity row, string column) => row.GetAttributeValue<int?>(column);
    }
}
