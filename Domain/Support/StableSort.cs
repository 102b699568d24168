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
        private const int InsertionLimit = 32;

        public static List<T> Sorted<T>(IEnumerable<T> items, Comparison<T> compare)
        {
            var sorted = new List<T>(items is ICollection<T> known ? Math.Min(known.Count, InsertionLimit) : 8);
            foreach (var item in items)
            {
                if (sorted.Count == InsertionLimit) return items.OrderBy(x => x, Comparer<T>.Create(compare)).ToList();
                var at = sorted.Count;
                while (at > 0 && compare(sorted[at - 1], item) > 0) at--;
                sorted.Insert(at, item);
            }

            return sorted;
        }
    }
}
