using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace DealRisk.Risk
{
    /// <summary>
    /// Copies of facts for the fix search, which judges changed facts without touching the rep's. Copied by their public
    /// properties, so a fact added to <see cref="DealFacts"/>, <see cref="DealLine"/> or the others carries over with no
    /// edit here. Immutable items (capacity, demand, recorded changes: no parameterless constructor) are shared.
    /// </summary>
    public static class FactsCopy
    {
        /// <summary>A copy of the deal: its own lists and snapshots; the items of the lists are shared until <see cref="Of{T}"/> copies one to change it.</summary>
        public static DealFacts Of(DealFacts facts)
        {
            var copy = Shallow(facts);
            copy.Current = Shallow(facts.Current);
            if (facts.Previous != null) copy.Previous = Shallow(facts.Previous);
            copy.Lines = new List<DealLine>(facts.Lines);
            copy.Requirements = new List<DealRequirement>(facts.Requirements);
            copy.Allocations = new List<DealAllocation>(facts.Allocations);
            copy.Capacity = new List<RoleCapacity>(facts.Capacity);
            copy.OtherDemand = new List<RoleDemand>(facts.OtherDemand);
            copy.RecordedChanges = new List<ForecastChange>(facts.RecordedChanges);
            foreach (var p in Properties<DealFacts>.Settable)
                if (p.GetValue(copy) is IList list && ReferenceEquals(list, p.GetValue(facts)) && NewList(list) is { } fresh)
                    p.SetValue(copy, fresh);
            return copy;
        }

        /// <summary>A copy of one item (a line, a requirement) with the same values, to change.</summary>
        public static T Of<T>(T item) where T : class, new() => Shallow(item);

        private static T Shallow<T>(T item) where T : class, new()
        {
            var copy = new T();
            foreach (var p in Properties<T>.Settable) p.SetValue(copy, p.GetValue(item));
            return copy;
        }

        // A list another change added to DealFacts: a list of its own, so changing the copy leaves the rep's facts alone.
        private static IList? NewList(IList list)
        {
            var item = list.GetType().GetInterfaces().Concat(new[] { list.GetType() })
                .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IList<>))?.GetGenericArguments()[0];
            if (item == null) return null;
            var fresh = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(item))!;
            foreach (var x in list) fresh.Add(x);
            return fresh;
        }

        private static class Properties<T>
        {
            public static readonly PropertyInfo[] Settable = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.CanRead && p.CanWrite && p.GetIndexParameters().Length == 0).ToArray();
        }
    }
}
