using System;
using System.Collections.Generic;

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
            var sum = 0m;
            foreach (var value in StableSort.Sorted(values, decimal.Compare)) sum += value;
            return sum;
        }

        /// <summary>
        /// The same sum of <paramref name="count"/> values of <paramref name="values"/> from <paramref name="start"/>, sorted
        /// there (the stretch is the caller's scratch): no list per sum on the paths the fix search runs for every trial.
        /// </summary>
        public static decimal Of(decimal[] values, int start, int count)
        {
            if (count > StableSort.InsertionLimit) return Of(new ArraySegment<decimal>(values, start, count));
            // Insertion, as StableSort sorts few items: a value moves only past larger ones, so equal values (1.0, 1.00) keep
            // their order and the sum its scale.
            for (var i = start + 1; i < start + count; i++)
            {
                var value = values[i];
                var at = i;
                while (at > start && values[at - 1] > value)
                {
                    values[at] = values[at - 1];
                    at--;
                }

                values[at] = value;
            }

            var sum = 0m;
            for (var i = start; i < start + count; i++) sum += values[i];
            return sum;
        }
    }
}
