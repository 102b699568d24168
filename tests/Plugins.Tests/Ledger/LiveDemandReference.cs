using System;
using System.Collections.Generic;
using System.Linq;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace DealRisk.Plugins.Tests.Ledger
{
    /// <summary>
    /// The REFERENCE the demand ledger is checked against: other deals' demand summed live from the stored rows, as the
    /// risk step read it before the ledger (issue 23). Two FetchXML aggregates over every requirement and product line of
    /// the open deals closing in the window (and the won deals closed in it), grouped by role, state, probability and
    /// close day. Its cost grows with the org, which is why the plugin no longer runs it; its answer is what the ledger's
    /// one aggregate must equal wherever the ledger is in step with the rows.
    /// </summary>
    internal sealed class LiveDemandReference
    {
        private readonly IOrganizationService _service;

        public LiveDemandReference(IOrganizationService systemService) => _service = systemService;

        /// <summary>The claims of the deals (but <paramref name="excludedOpportunityIds"/>) whose delivery can touch [since, to), as the risk step read them.</summary>
        public IReadOnlyList<DemandClaim> OtherDemand(IReadOnlyCollection<Guid> excludedOpportunityIds, DateTime from, DateTime to, DateTime now, int windowDays)
        {
            var claims = new List<DemandClaim>();
            var since = RiskFactsReader.DemandSince(from, windowDays);
            foreach (var row in Aggregate(RequirementDemandFetch(excludedOpportunityIds, since, to, true)))
            {
                var role = OptionSets.RoleName(Aliased<OptionSetValue>(row, "role")?.Value);
                var hours = Aliased<decimal?>(row, "hours") ?? 0m;
                if (role != null && hours > 0m) claims.Add(Claim(row, role, hours, now));
            }

            foreach (var row in Aggregate(ProductDemandFetch(excludedOpportunityIds, since, to, true)))
            {
                var role = OptionSets.RoleName(Aliased<OptionSetValue>(row, "role")?.Value);
                var hours = (Aliased<decimal?>(row, "quantity") ?? 0m) * (Aliased<decimal?>(row, "hoursperunit") ?? 0m);
                if (role != null && hours > 0m) claims.Add(Claim(row, role, hours, now));
            }

            return claims;
        }

        private static DemandClaim Claim(Entity row, string role, decimal hours, DateTime now)
        {
            var won = Aliased<OptionSetValue>(row, "state")?.Value == OpportunityState.Won;
            var start = (won ? Day(row, "actual") : Day(row, "close")) ?? now.Date;
            return new DemandClaim(role, won ? 1m : DeliveryDemand.WeightOf(Aliased<int?>(row, "probability")), start, hours);
        }

        /// <summary>The day a group's date falls on, from its year, month and day groupings (UTC).</summary>
        private static DateTime? Day(Entity row, string prefix)
        {
            var y = Aliased<int?>(row, prefix + "year");
            var m = Aliased<int?>(row, prefix + "month");
            var d = Aliased<int?>(row, prefix + "day");
            return y is int year && m is int month && d is int day ? new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc) : (DateTime?)null;
        }

        private static string RequirementDemandFetch(IReadOnlyCollection<Guid> excluded, DateTime since, DateTime to, bool undated) =>
            "<fetch aggregate='true'>" +
            $"<entity name='{Requirement.EntityName}'>" +
            $"<attribute name='{Requirement.EffortHours}' aggregate='sum' alias='hours'/>" +
            $"<attribute name='{Requirement.Role}' groupby='true' alias='role'/>" +
            "<filter>" +
            "<condition attribute='statecode' operator='eq' value='0'/>" +
            $"<condition attribute='{Requirement.Role}' operator='not-null'/>" +
            $"<condition attribute='{Requirement.EffortHours}' operator='gt' value='0'/>" +
            $"<filter type='or'><condition attribute='{Requirement.Fit}' operator='null'/>" +
            $"<condition attribute='{Requirement.Fit}' operator='ne' value='{OptionSets.FitValue(RequirementFit.NotSupported)}'/></filter>" +
            NotIn(Requirement.OpportunityId, excluded) +
            "</filter>" +
            DealLink(Requirement.OpportunityId, since, to, undated) +
            "</entity></fetch>";

        private static string ProductDemandFetch(IReadOnlyCollection<Guid> excluded, DateTime since, DateTime to, bool undated) =>
            "<fetch aggregate='true'>" +
            $"<entity name='{OpportunityProduct.EntityName}'>" +
            $"<attribute name='{OpportunityProduct.Quantity}' aggregate='sum' alias='quantity'/>" +
            $"<filter><condition attribute='{OpportunityProduct.Quantity}' operator='gt' value='0'/>{NotIn(OpportunityProduct.OpportunityId, excluded)}</filter>" +
            $"<link-entity name='{Product.EntityName}' from='{Product.Id}' to='{OpportunityProduct.ProductId}' link-type='inner' alias='product'>" +
            $"<attribute name='{Product.DeliveryRole}' groupby='true' alias='role'/>" +
            $"<attribute name='{Product.DeliveryHoursPerUnit}' groupby='true' alias='hoursperunit'/>" +
            $"<filter><condition attribute='{Product.DeliveryRole}' operator='not-null'/><condition attribute='{Product.DeliveryHoursPerUnit}' operator='gt' value='0'/></filter>" +
            "</link-entity>" +
            DealLink(OpportunityProduct.OpportunityId, since, to, undated) +
            "</entity></fetch>";

        /// <summary>
        /// The deal of a demand row, grouped by what weights and places its demand: state, probability and the close day
        /// (estimated for open deals, actual for won ones; grouped in UTC). Open deals closing in the window (or with no
        /// close date: they start today) and won deals closed in it; lost deals claim nothing.
        /// </summary>
        private static string DealLink(string from, DateTime since, DateTime to, bool undated)
        {
            string Day(string column, string prefix) =>
                $"<attribute name='{column}' groupby='true' dategrouping='year' usertimezone='false' alias='{prefix}year'/>" +
                $"<attribute name='{column}' groupby='true' dategrouping='month' usertimezone='false' alias='{prefix}month'/>" +
                $"<attribute name='{column}' groupby='true' dategrouping='day' usertimezone='false' alias='{prefix}day'/>";
            return $"<link-entity name='{Opportunity.EntityName}' from='{Opportunity.Id}' to='{from}' link-type='inner' alias='deal'>" +
                   $"<attribute name='{Opportunity.StateCode}' groupby='true' alias='state'/>" +
                   $"<attribute name='{Opportunity.CloseProbability}' groupby='true' alias='probability'/>" +
                   Day(Opportunity.EstimatedCloseDate, "close") + Day(Opportunity.ActualCloseDate, "actual") +
                   "<filter type='or'>" +
                   $"<filter><condition attribute='{Opportunity.StateCode}' operator='eq' value='{OpportunityState.Open}'/>" +
                   "<filter type='or'>" + (undated ? $"<condition attribute='{Opportunity.EstimatedCloseDate}' operator='null'/>" : "") +
                   $"<filter><condition attribute='{Opportunity.EstimatedCloseDate}' operator='ge' value='{Iso(since)}'/>" +
                   $"<condition attribute='{Opportunity.EstimatedCloseDate}' operator='lt' value='{Iso(to)}'/></filter></filter></filter>" +
                   $"<filter><condition attribute='{Opportunity.StateCode}' operator='eq' value='{OpportunityState.Won}'/>" +
                   $"<condition attribute='{Opportunity.ActualCloseDate}' operator='ge' value='{Iso(since)}'/>" +
                   $"<condition attribute='{Opportunity.ActualCloseDate}' operator='lt' value='{Iso(to)}'/></filter>" +
                   "</filter></link-entity>";
        }

        private static string NotIn(string column, IReadOnlyCollection<Guid> ids) =>
            ids.Count == 0 ? "" : $"<condition attribute='{column}' operator='not-in'>" + string.Concat(ids.Select(id => "<value>" + id.ToString("D") + "</value>")) + "</condition>";

        private static string Iso(DateTime value) => value.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>Every group of an aggregate, page by page.</summary>
        private IReadOnlyList<Entity> Aggregate(string fetchXml)
        {
            var rows = new List<Entity>();
            for (var page = 1; ; page++)
            {
                var result = _service.RetrieveMultiple(new FetchExpression(fetchXml.Replace("<fetch aggregate='true'>", $"<fetch aggregate='true' count='5000' page='{page}'>")));
                rows.AddRange(result.Entities);
                if (!result.MoreRecords) return rows;
            }
        }

        private static T? Aliased<T>(Entity row, string alias) =>
            row.Attributes.TryGetValue(alias, out var value) && value is AliasedValue aliased && aliased.Value is T typed ? typed : default;
    }
}
