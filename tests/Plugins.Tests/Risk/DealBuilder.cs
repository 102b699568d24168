using System;
using System.Collections.Generic;
using DealRisk.Risk;

namespace DealRisk.Plugins.Tests.Risk
{
    /// <summary>Readable facts for domain tests, with sensible defaults: a healthy 100,000 deal closing in 60 days.</summary>
    internal sealed class DealBuilder
    {
        public static readonly DateTime Today = new(2026, 11, 2);
        private readonly DealFacts _facts = new()
        {
            Name = "Contoso CRM rollout",
            Today = Today,
            Current = new ForecastSnapshot { Amount = 100_000m, CloseDate = Today.AddDays(60), SalesStage = 1, Probability = 60, ForecastRank = 1 },
        };

        public static DealBuilder ADeal() => new();

        public DealBuilder WithLine(string product, decimal quantity, decimal unitPrice, decimal? unitCost, decimal discountPercent = 0m, decimal? deliveryHoursPerUnit = null, string? role = null)
        {
            var gross = quantity * unitPrice;
            _facts.Lines.Add(new DealLine
            {
                ProductName = product, Quantity = quantity, GrossAmount = gross, NetAmount = gross * (1 - discountPercent / 100m),
                UnitCost = unitCost, DeliveryHoursPerUnit = deliveryHoursPerUnit, DeliveryRole = role,
            });
            return this;
        }

        public DealBuilder WithLine(DealLine line)
        {
            _facts.Lines.Add(line);
            return this;
        }

        public DealBuilder WithRequirement(string name, RequirementPriority priority, RequirementFit fit, decimal? hours = null, string? role = null, bool quoted = false)
        {
            _facts.Requirements.Add(new DealRequirement { Name = name, Priority = priority, Fit = fit, EffortHours = hours, Role = role, Quoted = quoted });
            return this;
        }

        public DealBuilder WithAllocation(string role, decimal hours, bool named = true)
        {
            _facts.Allocations.Add(new DealAllocation { Role = role, Hours = hours, Named = named });
            return this;
        }

        public DealBuilder WithCapacity(string role, DateTime month, decimal hours)
        {
            _facts.Capacity.Add(new RoleCapacity(role, month, hours));
            return this;
        }

        public DealBuilder WithOtherDemand(string role, DateTime month, decimal hours)
        {
            _facts.OtherDemand.Add(new RoleDemand(role, month, hours));
            return this;
        }

        public DealBuilder ClosingInDays(int days)
        {
            _facts.Current.CloseDate = Today.AddDays(days);
            return this;
        }

        public DealBuilder WithAmount(decimal? amount)
        {
            _facts.Current.Amount = amount;
            return this;
        }

        public DealBuilder WithCostOfSale(decimal? cost)
        {
            _facts.EstimatedCostOfSale = cost;
            return this;
        }

        public DealBuilder AtStage(int stage)
        {
            _facts.Current.SalesStage = stage;
            return this;
        }

        public DealBuilder ChangedFrom(Action<ForecastSnapshot> before)
        {
            var previous = new ForecastSnapshot
            {
                Amount = _facts.Current.Amount, CloseDate = _facts.Current.CloseDate, SalesStage = _facts.Current.SalesStage,
                Probability = _facts.Current.Probability, ForecastRank = _facts.Current.ForecastRank, MarginPercent = _facts.Current.MarginPercent,
            };
            before(previous);
            _facts.Previous = previous;
            return this;
        }

        public DealBuilder Now(Action<ForecastSnapshot> current)
        {
            current(_facts.Current);
            return this;
        }

        public DealBuilder WithPriorSlips(int count, int days)
        {
            _facts.PriorSlipCount = count;
            _facts.PriorSlipDays = days;
            return this;
        }

        public DealBuilder WithRecordedChange(ForecastChange change)
        {
            _facts.RecordedChanges.Add(change);
            return this;
        }

        public DealFacts Build() => _facts;

        public RiskAssessment Evaluate(RiskPolicy? policy = null) => RiskEvaluator.Evaluate(_facts, policy ?? RiskPolicy.Default());

        /// <summary>Judged by <paramref name="checks"/> instead of the shipped list.</summary>
        public RiskAssessment Evaluate(params DealCheck[] checks) => RiskEvaluator.Evaluate(_facts, RiskPolicy.Default(), checks);
    }
}
