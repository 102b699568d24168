using System;
using System.Collections.Generic;
using System.Linq;

namespace DealRisk.Risk
{
    /// <summary>
    /// A sort as OrderBy sorts (stable: equal items keep the order they came in), by insertion while the items are few (a
    /// deal's rows, checks and findings: no sort buffers on a path run for every trial of a fix search), by OrderBy past
    /// <see cref="InsertionLimit"/>.
    /// </summary>
    public static class StableSort
    {
        internal const int InsertionLimit = 32;

        public static List<T> Sorted<T>(IEnumerable<T> items, Comparison<T> compare)
        {
            var sorted = new List<T>(items);
            InPlace(sorted, Comparer<T>.Create(compare));
            return sorted;
        }

        /// <summary>Sorts <paramref name="items"/> itself, as <see cref="Sorted{T}"/> would (the evaluator's lists are its own: no second list per judgement).</summary>
        public static void InPlace<T>(List<T> items, IComparer<T> compare)
        {
            if (items.Count > InsertionLimit)
            {
                var sorted = items.OrderBy(x => x, compare).ToList();
                items.Clear();
                items.AddRange(sorted);
                return;
            }

            // An item moves only past larger ones: equal items keep their order.
            for (var i = 1; i < items.Count; i++)
            {
                var item = items[i];
                var at = i;
                while (at > 0 && compare.Compare(items[at - 1], item) > 0)
                {
                    items[at] = items[at - 1];
                    at--;
                }

                items[at] = item;
            }
        }
    }
}
