using System;
using System.Linq;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;

namespace DealRisk.Plugins
{
    /// <summary>One opportunity being saved: the Target (what changes) over the pre-image (what was stored).</summary>
    internal sealed class DealState
    {
        private readonly Guid _callerId;
        private readonly Guid _callerBusinessUnitId;

        public DealState(Entity target, Entity? preImage, bool isCreate, Guid callerId, Guid callerBusinessUnitId)
        {
            Target = target;
            PreImage = preImage;
            IsCreate = isCreate;
            _callerId = callerId;
            _callerBusinessUnitId = callerBusinessUnitId;
        }

        public Entity Target { get; }

        public Entity? PreImage { get; }

        public bool IsCreate { get; }

        /// <summary>The value after the save: the Target's when it has the column, else the stored one.</summary>
        public T? Get<T>(string column)
        {
            if (Target.Attributes.TryGetValue(column, out var value)) return value is T typed ? typed : default;
            return PreImage != null ? PreImage.GetAttributeValue<T>(column) : default;
        }

        public T? Before<T>(string column) => PreImage != null ? PreImage.GetAttributeValue<T>(column) : default;

        public bool IsClosed => (Get<OptionSetValue>(Opportunity.StateCode)?.Value ?? OpportunityState.Open) != OpportunityState.Open;

        /// <summary>The owner; on create without one, the calling user (the platform makes the caller the owner).</summary>
        public EntityReference? Owner => Get<EntityReference>(Opportunity.OwnerId) ?? (IsCreate ? new EntityReference(SystemUser.EntityName, _callerId) : null);

        /// <summary>The owning business unit; on create, the caller's when the owner is the caller.</summary>
        public Guid? BusinessUnitId => Get<EntityReference>(Opportunity.OwningBusinessUnit)?.Id ??
                                       (IsCreate && Owner?.Id == _callerId ? _callerBusinessUnitId : (Guid?)null);

        public DateTime? CloseDate => Get<DateTime?>(Opportunity.EstimatedCloseDate);

        /// <summary>The deal's exchange rate: from the save, the stored row, or its currency (1 for the base currency).</summary>
        public decimal ExchangeRate(RiskFactsReader reader)
        {
            var rate = Get<decimal?>(Opportunity.ExchangeRate);
            var currency = Get<EntityReference>(Opportunity.TransactionCurrencyId);
            var currencyChanged = Target.Contains(Opportunity.TransactionCurrencyId) && !Target.Contains(Opportunity.ExchangeRate);
            if (rate is decimal r && r > 0m && !currencyChanged) return r;
            return currency == null ? 1m : reader.ExchangeRate(currency.Id);
        }

        /// <summary>The facts the domain judges (lines, requirements and allocations are added by the caller).</summary>
        public DealFacts ToFacts(DateTime now, decimal rate)
        {
            decimal? ToBase(Money? money) => money == null ? (decimal?)null : money.Value / rate;
            var facts = new DealFacts
            {
                Name = Get<string>(Opportunity.Name) ?? "",
                Today = now,
                IsClosed = IsClosed,
                EstimatedCostOfSale = ToBase(Get<Money>(Opportunity.EstimatedCostOfSale)),
                DealDiscountAmount = ToBase(Get<Money>(Opportunity.DiscountAmount)),
                DealDiscountPercent = Get<decimal?>(Opportunity.DiscountPercentage),
                Current = new ForecastSnapshot
                {
                    Amount = ToBase(Get<Money>(Opportunity.EstimatedValue)),
                    CloseDate = Get<DateTime?>(Opportunity.EstimatedCloseDate),
                    SalesStage = Get<OptionSetValue>(Opportunity.SalesStage)?.Value,
                    Probability = Get<int?>(Opportunity.CloseProbability),
                    ForecastRank = OptionSets.ForecastRank(Get<OptionSetValue>(Opportunity.ForecastCategory)?.Value),
                },
                PriorSlipCount = Before<int?>(Opportunity.CloseDateSlipCount) ?? 0,
                PriorSlipDays = Before<int?>(Opportunity.CloseDateSlipDays) ?? 0,
                RecordedChanges = ForecastChangeLog.Parse(Before<string>(Opportunity.ForecastChangeLog)),
                StoredMarginPercentLimit = ColumnLimits.OpportunityMarginPercent.Max,
            };
            if (PreImage != null && !IsCreate)
            {
                var previousRate = PreImage.GetAttributeValue<decimal?>(Opportunity.ExchangeRate) is decimal pr && pr > 0m ? pr : rate;
                facts.Previous = new ForecastSnapshot
                {
                    Amount = PreImage.GetAttributeValue<Money>(Opportunity.EstimatedValue) is Money m ? m.Value / previousRate : (decimal?)null,
                    CloseDate = PreImage.GetAttributeValue<DateTime?>(Opportunity.EstimatedCloseDate),
                    SalesStage = PreImage.GetAttributeValue<OptionSetValue>(Opportunity.SalesStage)?.Value,
                    Probability = PreImage.GetAttributeValue<int?>(Opportunity.CloseProbability),
                    ForecastRank = OptionSets.ForecastRank(PreImage.GetAttributeValue<OptionSetValue>(Opportunity.ForecastCategory)?.Value),
                    MarginPercent = PreImage.GetAttributeValue<decimal?>(Opportunity.MarginPercent),
                    MarginFromAmount = (PreImage.GetAttributeValue<string>(Opportunity.RiskFindingCodes) ?? "").Split(',').Contains(MarginCheck.MarginFromAmount),
                };
            }

            return facts;
        }
    }
}
