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
            var trials = run.JudgesPricesAlone(finding) ? new PriceTrials(run) : null;
            bool Cleared(Pricing price, RiskLevel? above) =>
                trials?.Cleared(price, finding, above) ?? run.Cleared(run.JudgePrices(price.Apply, finding), finding, above);

            var raise = RaiseLimit(run.Facts);
            long? PriceFor(RiskLevel? above, decimal percent)
            {
                if (raise <= 0) return null;
                var known = new Dictionary<long, bool>();
                bool Ok(long n) => known.TryGetValue(n, out var v) ? v : known[n] = Cleared(new Raise(n), above);
                // The raise the margin gives, proved where the answer turns (clears there, not a tenth below); the highest raise
                // is judged first, as the bisection does, so a deal no raise clears costs no more than by bisection.
                if (!run.Exhaustive && RaiseStep(run, percent, raise) is long step && Ok(raise))
                {
                    for (var n = Math.Max(1, step - 1); n <= Math.Min(raise, step + 1); n++)
                        if (Ok(n) && (n == 1 || !Ok(n - 1))) return n;
                }

                return FixRun.Smallest(1, raise, Ok);
            }
            var deepest = 0L;
            foreach (var line in run.Facts.Lines) deepest = Math.Max(deepest, DiscountTenths(line));
            var discounted = deepest > 0;
            long? DiscountFor(RiskLevel? above) => discounted ? FixRun.Largest(0, deepest - 1, d => Cleared(new CapDiscounts(d), above)) : null;
            string MarginAfter(Pricing price) =>
                (trials != null ? trials.Figures(price).Percent : run.JudgePrices(price.Apply, finding).MarginPercent) is decimal m ? Format.Percent(m) : "not known";

            // The target clears the finding; the floor leaves it at High (a finding below the floor cleared above High).
            var price = PriceFor(null, policy.MarginWarningPercent);
            var discount = DiscountFor(null);
            var target = $"the {Format.Percent(policy.MarginWarningPercent)} target";
            var parts = new List<string>();
            if (price != null) parts.Add(RaiseText(run.Facts, price.Value));
            if (discount != null) parts.Add($"cut every discount to at most {TenthsText(discount.Value)}");
            var text = parts.Count > 0 ? Format.Capital(string.Join(", or ", parts)) + " to reach " + target + "." : "";
            if (parts.Count > 0 && discount == null && discounted)
                text += $" No cut of the discounts alone reaches it (with none the margin is {MarginAfter(new CapDiscounts(0))}).";

            if (floor)
            {
                var floorPrice = PriceFor(RiskLevel.High, policy.MarginCriticalPercent);
                var floorDiscount = DiscountFor(RiskLevel.High);
                var floorParts = new List<string>();
                if (floorPrice != null) floorParts.Add(RaiseText(run.Facts, floorPrice.Value));
                if (floorDiscount != null) floorParts.Add(floorDiscount.Value == 0 ? "no discount" : $"discounts of at most {TenthsText(floorDiscount.Value)}");
                if (floorParts.Count > 0)
                    text += (text.Length > 0 ? " " : "") + Format.Capital(string.Join(" or ", floorParts)) + $" clear the {Format.Percent(policy.MarginCriticalPercent)} floor (the margin is then High risk).";
                if (price == null && discount == null && (floorPrice != null || floorDiscount != null))
                    return new FindingFix(text, Change(floorPrice != null ? new Raise(floorPrice.Value) : new CapDiscounts(floorDiscount!.Value)), RiskLevel.High);
            }

            if (price != null) return new FindingFix(text, Change(new Raise(price.Value)));
            if (discount != null) return new FindingFix(text, Change(new CapDiscounts(discount.Value)));

            // Nothing single clears it (commission and costs eat any price): say so, and give the change that helps most.
            var most = "Nothing single clears it: no price within Dataverse's money range reaches " + target + ".";
            if (!discounted) return new FindingFix(most, null, finding.Level);
            return new FindingFix(most + $" Removing every discount helps most (margin {MarginAfter(new CapDiscounts(0))}).",
                Change(new CapDiscounts(0)), finding.Level);
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

            var undiscounted = new CapDiscounts(0);
            if (run.Facts.Lines.Any(l => l.GrossAmount > 0m) && run.Cleared(run.JudgePrices(undiscounted.Apply, finding), finding))
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
            var largest = 0m;
            if (facts.Lines.Count == 0) largest = Math.Abs(facts.Current.Amount ?? 0m);
            foreach (var line in facts.Lines)
                largest = Math.Max(largest, Math.Max(Math.Abs(line.GrossAmount ?? 0m), Math.Abs(line.NetAmount ?? 0m)));
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

        /// <summary>
        /// A change of the prices: each line's gross, net and tax (or the estimated revenue of a deal without lines). Set on a
        /// copy for the fix the finding carries (<see cref="Apply"/>), or into the lines a <see cref="PriceTrials"/> keeps.
        /// </summary>
        private abstract class Pricing
        {
            /// <summary>Sets the gross, net and tax of <paramref name="into"/>: those of <paramref name="from"/>, changed.</summary>
            public abstract void Line(DealLine from, DealLine into);

            /// <summary>The estimated revenue of a deal without lines, changed.</summary>
            public virtual decimal? Amount(decimal? amount) => amount;

            /// <summary>The change made to <paramref name="facts"/> (a copy whose lines may be shared): each line replaced by a changed copy.</summary>
            public DealFacts Apply(DealFacts facts)
            {
                if (facts.Lines.Count == 0) facts.Current.Amount = Amount(facts.Current.Amount);
                for (var i = 0; i < facts.Lines.Count; i++)
                {
                    var from = facts.Lines[i];
                    var into = FactsCopy.Of(from);
                    Line(from, into);
                    facts.Lines[i] = into;
                }

                return facts;
            }
        }

        /// <summary>Every price raised by a number of tenths of a percent.</summary>
        private sealed class Raise : Pricing
        {
            private readonly decimal _k;

            public Raise(long tenths) => _k = 1m + tenths / (decimal)Tenths;

            public override decimal? Amount(decimal? amount) => amount is decimal a ? decimal.Round(a * _k, 2) : amount;

            public override void Line(DealLine from, DealLine into)
            {
                into.GrossAmount = from.GrossAmount is decimal g ? decimal.Round(g * _k, 2) : (decimal?)null;
                into.Tax = from.Tax;
                into.NetAmount = from.NetAmount;
                // The tax is charged on the price: it rises with it, so the revenue (net less tax) rises by the same share,
                // rounded as the gross is (never above it when it was not).
                if (from.NetAmount == null) return;
                var revenue = decimal.Round(from.Revenue * _k, 2);
                if (from.Tax is decimal t) into.Tax = decimal.Round(t * _k, 2);
                into.NetAmount = revenue + (into.Tax ?? 0m);
            }
        }

        /// <summary>Every line's discount held to at most a number of tenths of a percent.</summary>
        private sealed class CapDiscounts : Pricing
        {
            private readonly long _tenths;

            public CapDiscounts(long tenths) => _tenths = tenths;

            public override void Line(DealLine from, DealLine into)
            {
                into.GrossAmount = from.GrossAmount;
                into.NetAmount = from.NetAmount;
                into.Tax = from.Tax;
                if (DiscountTenths(from) > _tenths) Discounted(from, into, _tenths);
            }
        }

        /// <summary>
        /// The margin of the deal at other prices, for the trials of <see cref="BelowTarget"/>: the prices set into lines of
        /// its own (copied once per search) and the margin check's figures alone read (<see cref="MarginCheck.Figures(DealFacts, RiskPolicy, decimal)"/>).
        /// The same answer as <see cref="FixRun.JudgePrices"/>, without a copy of the deal and its lines, nor the findings'
        /// sentences, for each price tried (a search tries dozens).
        /// </summary>
        private sealed class PriceTrials
        {
            private readonly FixRun _run;
            private readonly DealFacts _trial;
            private readonly MarginCheck.Result _figures = new MarginCheck.Result();
            private readonly decimal[] _room;

            public PriceTrials(FixRun run)
            {
                _run = run;
                _trial = FactsCopy.WithOwnLines(run.Facts);
                for (var i = 0; i < _trial.Lines.Count; i++) _trial.Lines[i] = FactsCopy.Of(_trial.Lines[i]);
                _room = new decimal[4 * _trial.Lines.Count];
            }

            /// <summary>The margin check's figures at the prices <paramref name="price"/> sets (read before the next trial).</summary>
            public MarginCheck.Result Figures(Pricing price)
            {
                var facts = _run.Facts;
                // As JudgePrices: the change is made before the judgement (a change that overflows is no fix), the judgement
                // guarded as the evaluator guards a check (a margin that overflows is Unknown, with no finding of its family).
                if (facts.Lines.Count == 0) _trial.Current.Amount = price.Amount(facts.Current.Amount);
                for (var i = 0; i < facts.Lines.Count; i++) price.Line(facts.Lines[i], _trial.Lines[i]);
                _run.Counted();
                try
                {
                    MarginCheck.Figures(_trial, _run.Policy, _run.Assessment.UnquotedEffortCost, _figures, _room);
                }
                catch (OverflowException)
                {
                    _figures.Level = RiskLevel.Unknown;
                    _figures.Amount = null;
                    _figures.Percent = null;
                    _figures.BelowLevel = null;
                }

                return _figures;
            }

            /// <summary>
            /// What <see cref="FixRun.Cleared"/> says of the margin <paramref name="finding"/> at the prices <paramref name="price"/>
            /// sets: fewer findings of its family above <paramref name="above"/>. The shipped margin check gives at most one, so
            /// the reasons the general test compares never decide; a verdict holding more (a check of another name reporting as
            /// the margin) is judged the general way.
            /// </summary>
            public bool Cleared(Pricing price, RiskFinding finding, RiskLevel? above)
            {
                var before = FixRun.Count(_run.Assessment, finding, above);
                if (before > 1) return _run.Cleared(_run.JudgePrices(price.Apply, finding), finding, above);
                var after = Figures(price).BelowLevel is RiskLevel level && (above == null || level > above.Value) ? 1 : 0;
                return after < before;
            }
        }

        private static DealFacts LineDiscount(DealFacts facts, int i, long tenths)
        {
            var line = FactsCopy.Of(facts.Lines[i]);
            Discounted(facts.Lines[i], line, tenths);
            facts.Lines[i] = line;
            return facts;
        }

        /// <summary>Sets the net and tax of <paramref name="into"/>: <paramref name="from"/>'s price discounted by <paramref name="tenths"/> tenths of a percent.</summary>
        private static void Discounted(DealLine from, DealLine into, long tenths)
        {
            // The discount is on the price before tax; the tax follows the discounted price at the line's own rate.
            var rate = from.Tax is decimal t && from.NetAmount != null && from.Revenue > 0m ? t / from.Revenue : 0m;
            var revenue = decimal.Round(from.GrossAmount!.Value * (1m - tenths / (decimal)Tenths), 2);
            into.Tax = from.Tax != null ? decimal.Round(revenue * rate, 2) : (decimal?)null;
            into.NetAmount = revenue + (into.Tax ?? 0m);
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
            var raise = new Raise(tenths);
            decimal before, after;
            if (facts.Lines.Count == 0)
            {
                before = facts.Current.Amount ?? 0m;
                after = raise.Amount(facts.Current.Amount) ?? 0m;
            }
            else
            {
                before = 0m;
                after = 0m;
                var raised = new DealLine();
                foreach (var line in facts.Lines)
                {
                    raise.Line(line, raised);
                    before += line.Revenue;
                    after += raised.Revenue;
                }
            }

            return $"raise the prices by {TenthsText(tenths)} ({(facts.Lines.Count == 0 ? "estimated revenue" : "the lines")} {Format.Amount(before)} to {Format.Amount(after)})";
        }

        private static string TenthsText(long tenths) => (tenths / 10m).ToString("0.#", CultureInfo.InvariantCulture) + "%";

        private static string Cents(long cents) => (cents / 100m).ToString("#,0.##", CultureInfo.InvariantCulture);

        /// <summary>The change as a fix carries it: applied to a copy, never to the facts it is given.</summary>
        internal static Func<DealFacts, DealFacts> Change(Func<DealFacts, DealFacts> change) => facts => change(FactsCopy.Of(facts));

        private static Func<DealFacts, DealFacts> Change(Pricing price) => Change(price.Apply);
    }
}
