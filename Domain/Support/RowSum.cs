using System.Collections.Generic;
using System.Linq;

namespace DealRisk.Risk
{
    /// <summary>
    /// Sums over a deal's rows that do not depend on the order the rows came in. Dataverse returns related rows in no set
    /// order, yet decimal addition rounds once a sum passes 28-29 significant digits (hours per unit × quantity with ten
    /// places each, the product of two large numbers), so adding the same values in another order can end a digit apart and
    /// change a reason's text on the next save with no change of data. Adding the values in ascending order makes the sum a
    /// function of the values alone; it overflows only when the negative values alone or the whole sum leave decimal's range
    /// (the running sum falls through the negatives, then rises to the total), whatever the order of the rows.
    /// </summary>
    public static class RowSum
    {
        public static decimal Of(IEnumerable<decimal> values)
        {
            // A deal's rows are few: sorted by insertion, stable as OrderBy is (1.0 and 1.00 are equal, not alike, and keep
            // the order they came in), without the sort's buffers. Many rows: OrderBy, the same order.
            var sorted = new List<decimal>(8);
            foreach (var value in values)
            {
                if (sorted.Count == InsertionLimit) return Sorted(values);
                var i = sorted.Count;
                while (i > 0 && sorted[i - 1] > value) i--;
                sorted.Insert(i, value);
            }

            var sum = 0m;
            for (var i = 0; i < sorted.Count; i++) sum += sorted[i];
            return sum;
        }

        private const int InsertionLimit = 32;

        private static decimal Sorted(IEnumerable<decimal> values)
        {
            var sum = 0m;
            foreach (var value in values.OrderBy(v => v)) sum += value;
            return sum;
        }
    }
}
