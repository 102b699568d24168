using System.Collections.Generic;
using System.Linq;

namespace DealRisk.Risk
{
    /// <summary>Is the deal worth winning? Revenue after discounts minus product cost, cost of sale, commission and unquoted effort.</summary>
    public static class MarginCheck
    {
        public sealed class Result
        {
            public RiskLevel Level { get; set; } = RiskLevel.Low;

            public decimal? Amount { get; set; }

            public decimal? Percent { get; set; }
        }

        public static Result Evaluate(DealFacts facts, RiskPolicy policy, decimal unquotedEffortCost, List<RiskFinding> findings)
        {
            var result = new Result();
            Judge(facts, policy, unquotedEffortCost, findings, result);
            return result;
        }

        /// <summary>The finding that says the margin rests on the opportunity's amount, not on product lines.</summary>
        public const string MarginFromAmount = "MARGIN_FROM_AMOUNT";

        private static void Judge(DealFacts facts, RiskPolicy policy, decimal unquotedEffortCost, List<RiskFinding> findings, Result result)
        {
            decimal revenue;
            decimal productCost = 0m;
            var unknown = false;
            if (facts.Lines.Count == 0)
            {
                revenue = facts.Current.Amount ?? 0m;
                if (revenue > 0m)
                    findings.Add(new RiskFinding(RiskCheck.Margin, MarginFromAmount, RiskLevel.Low,
                        "Margin is estimated from the opportunity's amount: the deal has no product lines yet, so product cost is not counted."));
            }
            else
            {
                revenue = 0m;
                foreach (var line in facts.Lines)
                {
                    revenue += line.NetAmount ?? line.GrossAmount ?? 0m;
                    if (line.ProductMissing)
                    {
                        unknown = true;
                        findings.Add(new RiskFinding(RiskCheck.Margin, "MARGIN_PRODUCT_MISSING", RiskLevel.Unknown,
                            $"Margin cannot be judged: a line refers to product '{line.ProductName}', which no longer exists."));
                    }
                    else if (line.IsWriteIn || line.UnitCost == null)
                    {
                        unknown = true;
                        findings.Add(new RiskFinding(RiskCheck.Margin, "MARGIN_COST_UNKNOWN", RiskLevel.Unknown,
                            $"Margin cannot be judged: product '{line.ProductName}' has no cost recorded."));
                    }
                    else
                    {
                        productCost += (line.Quantity ?? 0m) * line.UnitCost.Value;
                    }

                    CheckDiscount(line, policy, findings);
                }
            }

            if (revenue <= 0m)
            {
                result.Level = RiskLevel.Unknown;
                findings.Add(new RiskFinding(RiskCheck.Margin, "MARGIN_NO_REVENUE", RiskLevel.Unknown,
                    facts.Lines.Count == 0
                        ? "Margin cannot be judged: the deal has no product lines and no estimated revenue."
                        : $"Margin cannot be judged: the product lines add up to a revenue of {Format.Amount(revenue)}."));
                return;
            }

            if (unknown)
            {
                result.Level = RiskLevel.Unknown;
                return;
            }

            var costOfSale = facts.EstimatedCostOfSale ?? 0m;
            if (costOfSale < 0m)
            {
                findings.Add(new RiskFinding(RiskCheck.Margin, "COST_OF_SALE_NEGATIVE", RiskLevel.Low,
                    $"The estimated cost of sale ({Format.Amount(costOfSale)}) is negative and was counted as 0."));
                costOfSale = 0m;
            }

            var commission = revenue * policy.CommissionPercent / 100m;
            var margin = revenue - productCost - costOfSale - commission - unquotedEffortCost;
            var percent = margin / revenue * 100m;
            result.Amount = decimal.Round(margin, 2);
            result.Percent = decimal.Round(percent, 2);

            if (percent < policy.MarginCriticalPercent)
            {
                findings.Add(new RiskFinding(RiskCheck.Margin, "MARGIN_BELOW_FLOOR", RiskLevel.Critical,
                    $"Margin {Format.Percent(percent)} is below the {Format.Percent(policy.MarginCriticalPercent)} floor{CostNote(productCost, costOfSale, commission, unquotedEffortCost)}."));
            }
            else if (percent < policy.MarginWarningPercent)
            {
                findings.Add(new RiskFinding(RiskCheck.Margin, "MARGIN_BELOW_TARGET", RiskLevel.High,
                    $"Margin {Format.Percent(percent)} is below the {Format.Percent(policy.MarginWarningPercent)} target{CostNote(productCost, costOfSale, commission, unquotedEffortCost)}."));
            }

            var worst = findings.Where(f => f.Check == RiskCheck.Margin).Select(f => f.Level).DefaultIfEmpty(RiskLevel.Low).Max();
            result.Level = worst < RiskLevel.Low ? RiskLevel.Low : worst;
        }

        private static void CheckDiscount(DealLine line, RiskPolicy policy, List<RiskFinding> findings)
        {
            if (line.GrossAmount is not decimal gross || gross <= 0m || line.NetAmount is not decimal net || net >= gross) return;
            var discount = (gross - net) / gross * 100m;
            if (discount > policy.MaxDiscountPercent)
                findings.Add(new RiskFinding(RiskCheck.Margin, "DISCOUNT_ABOVE_MAX", RiskLevel.Medium,
                    $"Product '{line.ProductName}' is discounted {Format.Percent(discount)}, above the {Format.Percent(policy.MaxDiscountPercent)} maximum."));
        }

        private static string CostNote(decimal product, decimal costOfSale, decimal commission, decimal unquoted)
        {
            var parts = new List<string> { $"product cost {Format.Amount(product)}" };
            if (costOfSale > 0m) parts.Add($"cost of sale {Format.Amount(costOfSale)}");
            if (commission > 0m) parts.Add($"commission {Format.Amount(commission)}");
            if (unquoted > 0m) parts.Add($"unquoted effort {Format.Amount(unquoted)}");
            return " (" + string.Join(", ", parts) + ")";
        }
    }
}
