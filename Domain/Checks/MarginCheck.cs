using System;
using System.Collections.Generic;

namespace DealRisk.Risk
{
    /// <summary>Is the deal worth winning? Revenue net of tax and of every discount (lines and deal) minus product cost,
    /// delivery cost (when product cost does not include it), cost of sale, commission and unquoted effort.</summary>
    public static class MarginCheck
    {
        public sealed class Result
        {
            public RiskLevel Level { get; set; } = RiskLevel.Low;

            public decimal? Amount { get; set; }

            public decimal? Percent { get; set; }

            /// <summary>
            /// The level of the margin's floor or target finding (MARGIN_BELOW_FLOOR Critical, MARGIN_BELOW_TARGET High); null
            /// when the margin meets the target or cannot be judged.
            /// </summary>
            public RiskLevel? BelowLevel { get; set; }
        }

        public static Result Evaluate(DealFacts facts, RiskPolicy policy, decimal unquotedEffortCost, List<RiskFinding> findings)
        {
            if (findings == null) throw new ArgumentNullException(nameof(findings));
            var result = new Result();
            Judge(facts, policy, unquotedEffortCost, findings, result, new decimal[4 * facts.Lines.Count]);
            return result;
        }

        /// <summary>
        /// What <see cref="Evaluate"/> gives but the findings: the level, the margin and the level of its floor or target
        /// finding, with no sentence written. The fix search tries dozens of prices on a deal and reads only whether the
        /// margin finding stays; the text of each try would be thrown away.
        /// </summary>
        public static Result Figures(DealFacts facts, RiskPolicy policy, decimal unquotedEffortCost)
        {
            var result = new Result();
            Figures(facts, policy, unquotedEffortCost, result, new decimal[4 * facts.Lines.Count]);
            return result;
        }

        /// <summary>
        /// <see cref="Figures(DealFacts, RiskPolicy, decimal)"/> into <paramref name="result"/>, summing in <paramref name="room"/>
        /// (at least four values a line): a caller judging many tries of one deal reuses both.
        /// </summary>
        internal static void Figures(DealFacts facts, RiskPolicy policy, decimal unquotedEffortCost, Result result, decimal[] room) =>
            Judge(facts, policy, unquotedEffortCost, null, result, room);

        /// <summary>The finding that says the margin rests on the opportunity's amount, not on product lines.</summary>
        public const string MarginFromAmount = "MARGIN_FROM_AMOUNT";

        // Null findings: the figures alone (no finding made, no sentence formatted); the level is what the findings would give.
        private static void Judge(DealFacts facts, RiskPolicy policy, decimal unquotedEffortCost, List<RiskFinding>? findings, Result result, decimal[] room)
        {
            result.Level = RiskLevel.Low;
            result.Amount = null;
            result.Percent = null;
            result.BelowLevel = null;
            var worst = RiskLevel.Low;
            decimal revenue;
            decimal productCost = 0m;
            decimal deliveryCost = 0m;
            var unknown = false;
            var lines = facts.Lines;
            if (lines.Count == 0)
            {
                revenue = facts.Current.Amount ?? 0m;
                if (revenue > 0m)
                    findings?.Add(new RiskFinding(RiskCheck.Margin, MarginFromAmount, RiskLevel.Low,
                        "Margin is estimated from the opportunity's amount: the deal has no product lines yet, so product cost is not counted."));
            }
            else
            {
                // Revenue is what the customer pays us: the extended amount less the tax it carries. Each sum is over the
                // lines' values in one stretch of the room: [0, n) revenue, [n, 2n) gross, then the costs of the lines that have one.
                var n = lines.Count;
                for (var i = 0; i < n; i++)
                {
                    var line = lines[i];
                    var lineRevenue = line.Revenue;
                    room[i] = lineRevenue;
                    room[n + i] = line.GrossAmount ?? lineRevenue;
                }

                revenue = RowSum.Of(room, 0, n);
                var gross = RowSum.Of(room, n, n);
                var productCosts = 0;
                var deliveryCosts = 0;
                for (var i = 0; i < n; i++)
                {
                    var line = lines[i];
                    if (line.ProductMissing)
                    {
                        unknown = true;
                        findings?.Add(new RiskFinding(RiskCheck.Margin, "MARGIN_PRODUCT_MISSING", RiskLevel.Unknown,
                            $"Margin cannot be judged: a line refers to product '{line.ProductName}', which no longer exists."));
                    }
                    else if (line.IsWriteIn || line.UnitCost == null)
                    {
                        unknown = true;
                        findings?.Add(new RiskFinding(RiskCheck.Margin, "MARGIN_COST_UNKNOWN", RiskLevel.Unknown,
                            $"Margin cannot be judged: product '{line.ProductName}' has no cost recorded."));
                    }
                    else
                    {
                        room[2 * n + productCosts++] = (line.Quantity ?? 0m) * line.UnitCost.Value;
                        if (!policy.ProductCostIncludesDelivery && line.DeliveryHoursPerUnit is decimal h && h > 0m && line.Quantity is decimal q && q > 0m)
                            room[3 * n + deliveryCosts++] = h * q * policy.HourlyCost;
                    }

                    if (DiscountAboveMax(line, policy, findings)) worst = Worse(worst, RiskLevel.Medium);
                }

                productCost = RowSum.Of(room, 2 * n, productCosts);
                deliveryCost = RowSum.Of(room, 3 * n, deliveryCosts);

                // The opportunity's own discount comes off the lines' revenue: the rate first, then the amount (both on
                // the line total, as Dataverse's totaldiscountamount adds them).
                var linesRevenue = revenue;
                var dealDiscount = 0m;
                if (facts.DealDiscountPercent is decimal pct && pct > 0m) dealDiscount += linesRevenue * pct / 100m;
                if (facts.DealDiscountAmount is decimal amount && amount > 0m) dealDiscount += amount;
                if (dealDiscount > 0m)
                {
                    revenue -= dealDiscount;
                    if (gross > 0m && (gross - revenue) / gross * 100m is var total && total > policy.MaxDiscountPercent)
                    {
                        worst = Worse(worst, RiskLevel.Medium);
                        findings?.Add(new RiskFinding(RiskCheck.Margin, "DEAL_DISCOUNT_ABOVE_MAX", RiskLevel.Medium,
                            $"The deal is discounted {Format.Percent(total)} in all (the lines' discounts and {Format.Amount(dealDiscount)} off the opportunity), above the {Format.Percent(policy.MaxDiscountPercent)} maximum."));
                    }
                }
            }

            if (revenue <= 0m)
            {
                result.Level = RiskLevel.Unknown;
                findings?.Add(new RiskFinding(RiskCheck.Margin, "MARGIN_NO_REVENUE", RiskLevel.Unknown,
                    lines.Count == 0
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
                findings?.Add(new RiskFinding(RiskCheck.Margin, "COST_OF_SALE_NEGATIVE", RiskLevel.Low,
                    $"The estimated cost of sale ({Format.Amount(costOfSale)}) is negative and was counted as 0."));
                costOfSale = 0m;
            }

            var commission = revenue * policy.CommissionPercent / 100m;
            var margin = revenue - productCost - deliveryCost - costOfSale - commission - unquotedEffortCost;
            var percent = margin / revenue * 100m;
            result.Amount = decimal.Round(margin, 2);
            result.Percent = decimal.Round(percent, 2);

            if (percent < policy.MarginCriticalPercent)
            {
                result.BelowLevel = RiskLevel.Critical;
                findings?.Add(new RiskFinding(RiskCheck.Margin, "MARGIN_BELOW_FLOOR", RiskLevel.Critical,
                    $"Margin {Format.Percent(percent)} is below the {Format.Percent(policy.MarginCriticalPercent)} floor{CostNote(productCost, deliveryCost, costOfSale, commission, unquotedEffortCost)}."));
            }
            else if (percent < policy.MarginWarningPercent)
            {
                result.BelowLevel = RiskLevel.High;
                findings?.Add(new RiskFinding(RiskCheck.Margin, "MARGIN_BELOW_TARGET", RiskLevel.High,
                    $"Margin {Format.Percent(percent)} is below the {Format.Percent(policy.MarginWarningPercent)} target{CostNote(productCost, deliveryCost, costOfSale, commission, unquotedEffortCost)}."));
            }

            // The worst of the findings made on this path (Unknown-level ones return above).
            result.Level = result.BelowLevel is RiskLevel below ? Worse(worst, below) : worst;
        }

        private static RiskLevel Worse(RiskLevel a, RiskLevel b) => a >= b ? a : b;

        /// <summary>Whether the line is discounted above the maximum (then, given findings, says so).</summary>
        private static bool DiscountAboveMax(DealLine line, RiskPolicy policy, List<RiskFinding>? findings)
        {
            // Compared net of tax: a taxed line's extended amount is not a smaller discount.
            if (line.GrossAmount is not decimal gross || gross <= 0m || line.NetAmount == null || line.Revenue >= gross) return false;
            var discount = (gross - line.Revenue) / gross * 100m;
            if (discount <= policy.MaxDiscountPercent) return false;
            findings?.Add(new RiskFinding(RiskCheck.Margin, "DISCOUNT_ABOVE_MAX", RiskLevel.Medium,
                $"Product '{line.ProductName}' is discounted {Format.Percent(discount)}, above the {Format.Percent(policy.MaxDiscountPercent)} maximum."));
            return true;
        }

        private static string CostNote(decimal product, decimal delivery, decimal costOfSale, decimal commission, decimal unquoted)
        {
            var parts = new List<string> { $"product cost {Format.Amount(product)}" };
            if (delivery > 0m) parts.Add($"delivery {Format.Amount(delivery)}");
            if (costOfSale > 0m) parts.Add($"cost of sale {Format.Amount(costOfSale)}");
            if (commission > 0m) parts.Add($"commission {Format.Amount(commission)}");
            if (unquoted > 0m) parts.Add($"unquoted effort {Format.Amount(unquoted)}");
            return " (" + string.Join(", ", parts) + ")";
        }
    }
}
