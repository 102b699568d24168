using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DealRisk.Risk
{
    /// <summary>
    /// What clears a margin finding. Knobs: the prices (every line's gross and net amount, or the opportunity's amount when it
    /// has no lines, raised by a percentage), the discounts (every line's discount held to at most a percentage), one line's
    /// discount, one line's unit cost, the estimated revenue, the cost of sale.
    /// </summary>
    internal static class MarginFixes
    {
        private const decimal MoneyMax = 922_337_203_685_477m;

        // Searched in tenths of a percent, the precision a reason shows.
        private const long Tenths = 1000;

        public static FindingFix? BelowTarget(FixRun run, RiskFinding finding, ISet<string> taken)
        {
            var policy = run.Policy;
            var floor = finding.Code == "MARGIN_BELOW_FLOOR";
            bool Clears(RiskAssessment v) => run.Cleared(v, finding);
            bool AboveFloor(RiskAssessment v) => run.Cleared(v, finding, RiskLevel.High);

            var raise = RaiseLimit(run.Facts);
            long? PriceFor(Func<RiskAssessment, bool> goal, decimal percent)
            {
                if (raise <= 0) return null;
                var known = new Dictionary<long, bool>();
                bool Ok(long n) => known.TryGetValue(n, out var v) ? v : known[n] = goal(run.JudgePrices(f => Raise(f, n), finding));
                // The raise the margin gives, proved where the answer turns (clears there, not a tenth below); the highest raise
                // is judged first, as the bisection does, so a deal no raise clears costs no more than by bisection.
                if (!run.Exhaustive && RaiseStep(run, percent, raise) is long step && Ok(raise))
                {
                    for (var n = Math.Max(1, step - 1); n <= Math.Min(raise, step + 1); n++)
                        if (Ok(n) && (n == 1 || !Ok(n - 1))) return n;
                }

                return FixRun.Smallest(1, raise, Ok);
            }
            var discounted = run.Facts.Lines.Any(l => DiscountTenths(l) > 0);
            var deepest = discounted ? run.Facts.Lines.Max(DiscountTenths) : 0;
            long? DiscountFor(Func<RiskAssessment, bool> goal) => discounted ? FixRun.Largest(0, deepest - 1, d => goal(run.JudgePrices(f => CapDiscounts(f, d), finding))) : null;

            var price = PriceFor(Clears, policy.MarginWarningPercent);
            var discount = DiscountFor(Clears);
            var target = $"the {Format.Percent(policy.MarginWarningPercent)} target";
            var parts = new List<string>();
            if (price != null) parts.Add(RaiseText(run.Facts, price.Value));
            if (discount != null) parts.Add($"cut every discount to at most {TenthsText(discount.Value)}");
            var text = parts.Count > 0 ? Format.Capital(string.Join(", or ", parts)) + " to reach " + target + "." : "";
            if (parts.Count > 0 && discount == null && discounted)
                text += $" No cut of the discounts alone reaches it (with none the margin is {MarginAfter(run, finding, f => CapDiscounts(f, 0))}).";

            if (floor)
            {
                var floorPrice = PriceFor(AboveFloor, policy.MarginCriticalPercent);
                var floorDiscount = DiscountFor(AboveFloor);
                var floorParts = new List<string>();
                if (floorPrice != null) floorParts.Add(RaiseText(run.Facts, floorPrice.Value));
                if (floorDiscount != null) floorParts.Add(floorDiscount.Value == 0 ? "no discount" : $"discounts of at most {TenthsText(floorDiscount.Value)}");
                if (floorParts.Count > 0)
                    text += (text.Length > 0 ? " " : "") + Format.Capital(string.Join(" or ", floorParts)) + $" clear the {Format.Percent(policy.MarginCriticalPercent)} floor (the margin is then High risk).";
                if (price == null && discount == null && (floorPrice != null || floorDiscount != null))
                    return new FindingFix(text, floorPrice != null ? Change(f => Raise(f, floorPrice.Value)) : Change(f => CapDiscounts(f, floorDiscount!.Value)), RiskLevel.High);
            }

            if (price != null) return new FindingFix(text, Change(f => Raise(f, price.Value)));
            if (discount != null) return new FindingFix(text, Change(f => CapDiscounts(f, discount.Value)));

            // Nothing single clears it (commission and costs eat any price): say so, and give the change that helps most.
            var most = "Nothing single clears it: no price within Dataverse's money range reaches " + target + ".";
            if (!discounted) return new FindingFix(most, null, finding.Level);
            return new FindingFix(most + $" Removing every discount helps most (margin {MarginAfter(run, finding, f => CapDiscounts(f, 0))}).",
                Change(f => CapDiscounts(f, 0)), finding.Level);
        }

        public static FindingFix? Discount(FixRun run, RiskFinding finding, ISet<string> taken)
        {
            // The line whose discount, taken away, clears the finding (two lines of one product differ in their discount).
            var i = RiskFixes.Subject(finding, run.Facts.Lines, l => l.ProductName, taken,
                fits: j => DiscountTenths(run.Facts.Lines[j]) > 0 && run.Cleared(run.JudgePrices(f => LineDiscount(f, j, 0), finding), finding));
            if (i < 0) return null;
            var line = run.Facts.Lines[i];
            var d = FixRun.Largest(0, DiscountTenths(line) - 1, t => run.Cleared(run.JudgePrices(f => LineDiscount(f, i, t), finding), finding));
            if (d == null) return new FindingFix($"Nothing single clears it: even with no discount on '{line.ProductName}' the finding stays.", null, finding.Level);
            var net = line.GrossAmount!.Value * (1m - d.Value / (decimal)Tenths); // before tax, as the discount counts it
            return new FindingFix($"Cut the discount on '{line.ProductName}' to at most {TenthsText(d.Value)} (net {Format.Amount(net)}).", Change(f => LineDiscount(f, i, d.Value)));
        }

        /// <summary>
        /// The opportunity's own discount held to what keeps the deal's whole discount within the maximum: as a rate when the
        /// deal has only a rate, else as an amount (the rate cleared), searched in tenths of a percent or whole cents.
        /// </summary>
        public static FindingFix? DealDiscount(FixRun run, RiskFinding finding, ISet<string> taken)
        {
            var facts = run.Facts;
            var pct = facts.DealDiscountPercent is decimal p && p > 0m ? p : 0m;
            var amount = facts.DealDiscountAmount is decimal a && a > 0m ? a : 0m;
            if (pct == 0m && amount == 0m) return null;
            if (amount == 0m)
            {
                var now = (long)Math.Min(Tenths * 100, decimal.Ceiling(pct * 10m));
                var rate = FixRun.Largest(0, now - 1, t => run.Cleared(run.JudgePrices(f => DealRate(f, t), finding), finding));
                if (rate != null)
                    return new FindingFix($"Cut the opportunity's discount to at most {TenthsText(rate.Value)} (now {Format.Percent(pct)}).", Change(f => DealRate(f, rate.Value)));
            }
            else
            {
                var revenue = facts.Lines.Sum(l => l.Revenue);
                var now = (long)Math.Min(MoneyMax * 100m, decimal.Ceiling((amount + revenue * pct / 100m) * 100m));
                var cents = FixRun.Largest(0, now - 1, c => run.Cleared(run.JudgePrices(f => DealAmount(f, c), finding), finding));
                if (cents != null)
                    return new FindingFix($"Cut the opportunity's discount to at most {Cents(cents.Value)} (now {Format.Amount(amount)}{(pct > 0m ? $" and {Format.Percent(pct)}; clear the rate" : "")}).",
                        Change(f => DealAmount(f, cents.Value)));
            }

            return new FindingFix("Nothing single clears it: even with no discount on the opportunity the lines' own discounts are above the maximum; cut those.",
                Change(f => DealAmount(f, 0)), finding.Level);
        }

        private static DealFacts DealRate(DealFacts facts, long tenths)
        {
            facts.DealDiscountPercent = tenths / 10m;
            return facts;
        }

        private static DealFacts DealAmount(DealFacts facts, long cents)
        {
            facts.DealDiscountPercent = null;
            facts.DealDiscountAmount = cents / 100m;
            return facts;
        }

        public static FindingFix? CostUnknown(FixRun run, RiskFinding finding, ISet<string> taken)
        {
            var missing = finding.Code == "MARGIN_PRODUCT_MISSING";
            var i = RiskFixes.Subject(finding, run.Facts.Lines, l => l.ProductName, taken,
                fits: j => missing ? run.Facts.Lines[j].ProductMissing : !run.Facts.Lines[j].ProductMissing && (run.Facts.Lines[j].IsWriteIn || run.Facts.Lines[j].UnitCost == null));
            if (i < 0) return null;
            var line = run.Facts.Lines[i];
            var what = missing ? $"Replace '{line.ProductName}' (deleted) with a catalogue product"
                : line.IsWriteIn ? $"Replace the write-in '{line.ProductName}' with a catalogue product" : $"Record the cost of '{line.ProductName}'";
            var probe = new RiskFinding(finding.CheckName, "MARGIN_BELOW_TARGET", RiskLevel.High, "");
            bool Known(RiskAssessment v) => run.Cleared(v, finding);
            bool Healthy(RiskAssessment v) => Known(v) && FixRun.Count(v, probe) == 0;
            // Whole cents, up to the money range.
            var cents = FixRun.Largest(0, (long)(MoneyMax * 100m), c => Healthy(run.JudgePrices(f => Cost(f, i, c), finding)));
            if (cents != null)
            {
                var most = cents.Value == (long)(MoneyMax * 100m) ? "at any cost" : $"costing up to {Cents(cents.Value)} a unit";
                return new FindingFix($"{what}: {most} the margin reaches the {Format.Percent(run.Policy.MarginWarningPercent)} target.", Change(f => Cost(f, i, cents.Value)));
            }

            var alone = Known(run.JudgePrices(f => Cost(f, i, 0), finding));
            var others = run.Facts.Lines.Where((l, j) => j != i && (l.ProductMissing || l.IsWriteIn || l.UnitCost == null)).Any();
            var note = others ? " (the margin is judged once every line has a cost)" : $" (even at no cost the margin stays below the {Format.Percent(run.Policy.MarginWarningPercent)} target)";
            return alone ? new FindingFix(what + note + ".", Change(f => Cost(f, i, 0))) : new FindingFix(what + note + ".", null, finding.Level);
        }

        public static FindingFix? NoRevenue(FixRun run, RiskFinding finding, ISet<string> taken)
        {
            if (run.Facts.Lines.Count == 0)
            {
                var probe = new RiskFinding(finding.CheckName, "MARGIN_BELOW_TARGET", RiskLevel.High, "");
                Func<DealFacts, DealFacts> Amount(long a) => f => { f.Current.Amount = a; return f; };
                var healthy = FixRun.Smallest(1, (long)MoneyMax, a => { var v = run.JudgePrices(Amount(a), finding); return run.Cleared(v, finding) && FixRun.Count(v, probe) == 0; });
                if (healthy != null)
                    return new FindingFix($"Enter the estimated revenue: at least {Format.Amount(healthy.Value)} reaches the {Format.Percent(run.Policy.MarginWarningPercent)} target.", Change(Amount(healthy.Value)));
                return run.Cleared(run.JudgePrices(Amount(1), finding), finding)
                    ? new FindingFix($"Enter the estimated revenue (no amount reaches the {Format.Percent(run.Policy.MarginWarningPercent)} target).", Change(Amount(1)))
                    : null;
            }

            Func<DealFacts, DealFacts> undiscounted = f => CapDiscounts(f, 0);
            if (run.Facts.Lines.Any(l => l.GrossAmount > 0m) && run.Cleared(run.JudgePrices(undiscounted, finding), finding))
                return new FindingFix("Remove the discounts that take the lines' revenue to nothing, or price the lines.", Change(undiscounted));
            return new FindingFix("Price the product lines: they add up to no revenue.", null, finding.Level);
        }

        public static FindingFix? NegativeCostOfSale(FixRun run, RiskFinding finding, ISet<string> taken)
        {
            Func<DealFacts, DealFacts> zero = f => { f.EstimatedCostOfSale = 0m; return f; };
            return run.Cleared(run.JudgePrices(zero, finding), finding)
                ? new FindingFix("Correct the estimated cost of sale: 0 or more (0 when there is none).", Change(zero))
                : null;
        }

        // ---- the knobs: each changes a copy of the facts the search made ----

        /// <summary>The largest raise (tenths of a percent) that keeps every amount within Dataverse's money range.</summary>
        private static long RaiseLimit(DealFacts facts)
        {
            var amounts = facts.Lines.Count == 0
                ? new[] { facts.Current.Amount ?? 0m }
                : facts.Lines.SelectMany(l => new[] { l.GrossAmount ?? 0m, l.NetAmount ?? 0m });
            var largest = amounts.Select(Math.Abs).DefaultIfEmpty(0m).Max();
            if (largest <= 0m) return 0;
            var factor = MoneyMax / largest;
            return factor <= 1m ? 0 : (long)Math.Min(1_000_000_000m, decimal.Floor((factor - 1m) * Tenths));
        }

        /// <summary>
        /// The raise (tenths of a percent) that takes the margin to <paramref name="percent"/>, worked out from the margin as
        /// judged: the check's margin is revenue less the costs that do not move with the price, less the commission, over
        /// revenue, so with the revenue raised by k it is a - (a - m) / k (a: 100 less the commission, m: the margin now). The
        /// margin shown is rounded to a hundredth and each line to cents, so the answer is looked for beside it too. An amount off
        /// the opportunity does not move with the price: that deal is left to the bisection. Null over a short range, where
        /// the bisection judges no more.
        /// </summary>
        private static long? RaiseStep(FixRun run, decimal percent, long raise)
        {
            if (raise < 64 || run.Assessment.MarginPercent is not decimal margin || run.Facts.DealDiscountAmount > 0m) return null;
            var a = 100m - run.Policy.CommissionPercent;
            if (a <= percent || margin >= percent) return null;
            decimal tenths;
            try
            {
                tenths = decimal.Ceiling(((a - margin) / (a - percent) - 1m) * Tenths);
            }
            catch (OverflowException)
            {
                return null;
            }

            return tenths >= 1m && tenths <= raise ? (long)tenths : null;
        }

        private static DealFacts Raise(DealFacts facts, long tenths)
        {
            var k = 1m + tenths / (decimal)Tenths;
            if (facts.Lines.Count == 0)
            {
                if (facts.Current.Amount is decimal a) facts.Current.Amount = decimal.Round(a * k, 2);
                return facts;
            }

            for (var i = 0; i < facts.Lines.Count; i++)
            {
                var line = FactsCopy.Of(facts.Lines[i]);
                if (line.GrossAmount is decimal g) line.GrossAmount = decimal.Round(g * k, 2);
                // The tax is charged on the price: it rises with it, so the revenue (net less tax) rises by the same share,
                // rounded as the gross is (never above it when it was not).
                if (line.NetAmount != null)
                {
                    var revenue = decimal.Round(line.Revenue * k, 2);
                    if (line.Tax is decimal t) line.Tax = decimal.Round(t * k, 2);
                    line.NetAmount = revenue + (line.Tax ?? 0m);
                }
                facts.Lines[i] = line;
            }

            return facts;
        }

        /// <summary>Every line's discount held to at most <paramref name="tenths"/> tenths of a percent.</summary>
        private static DealFacts CapDiscounts(DealFacts facts, long tenths)
        {
            for (var i = 0; i < facts.Lines.Count; i++)
                if (DiscountTenths(facts.Lines[i]) > tenths) LineDiscount(facts, i, tenths);
            return facts;
        }

        private static DealFacts LineDiscount(DealFacts facts, int i, long tenths)
        {
            var line = FactsCopy.Of(facts.Lines[i]);
            // The discount is on the price before tax; the tax follows the discounted price at the line's own rate.
            var rate = line.Tax is decimal t && line.NetAmount != null && line.Revenue > 0m ? t / line.Revenue : 0m;
            var revenue = decimal.Round(line.GrossAmount!.Value * (1m - tenths / (decimal)Tenths), 2);
            if (line.Tax != null) line.Tax = decimal.Round(revenue * rate, 2);
            line.NetAmount = revenue + (line.Tax ?? 0m);
            facts.Lines[i] = line;
            return facts;
        }

        private static DealFacts Cost(DealFacts facts, int i, long cents)
        {
            var line = FactsCopy.Of(facts.Lines[i]);
            line.UnitCost = cents / 100m;
            line.IsWriteIn = false;
            line.ProductMissing = false;
            facts.Lines[i] = line;
            return facts;
        }

        /// <summary>A line's discount in whole tenths of a percent, rounded up (0 when not discounted).</summary>
        private static long DiscountTenths(DealLine line)
        {
            // Net of tax, as the margin check compares it.
            if (line.GrossAmount is not decimal gross || gross <= 0m || line.NetAmount == null || line.Revenue >= gross) return 0;
            return (long)Math.Min(Tenths, decimal.Ceiling((gross - line.Revenue) / gross * Tenths));
        }

        private static string RaiseText(DealFacts facts, long tenths)
        {
            // As the margin counts revenue: net of tax and of the line discounts (the opportunity's discount is named apart).
            var raised = Raise(FactsCopy.Of(facts), tenths);
            var before = facts.Lines.Count == 0 ? facts.Current.Amount ?? 0m : facts.Lines.Sum(l => l.Revenue);
            var after = facts.Lines.Count == 0 ? raised.Current.Amount ?? 0m : raised.Lines.Sum(l => l.Revenue);
            return $"raise the prices by {TenthsText(tenths)} ({(facts.Lines.Count == 0 ? "estimated revenue" : "the lines")} {Format.Amount(before)} to {Format.Amount(after)})";
        }

        private static string MarginAfter(FixRun run, RiskFinding finding, Func<DealFacts, DealFacts> change) =>
            run.JudgePrices(change, finding).MarginPercent is decimal m ? Format.Percent(m) : "not known";

        private static string TenthsText(long tenths) => (tenths / 10m).ToString("0.#", CultureInfo.InvariantCulture) + "%";

        private static string Cents(long cents) => (cents / 100m).ToString("#,0.##", CultureInfo.InvariantCulture);

        /// <summary>The change as a fix carries it: applied to a copy, never to the facts it is given.</summary>
        internal static Func<DealFacts, DealFacts> Change(Func<DealFacts, DealFacts> change) => facts => change(FactsCopy.Of(facts));
    }
}
