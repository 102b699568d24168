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
            // The copy holds the facts' own values of these (copied by reference): a list among them gets one of its own.
            foreach (var other in Properties<DealFacts>.OtherLists)
                if (other.Value(copy) is IList list && ReferenceEquals(list, other.Value(facts)) && NewList(list) is { } fresh)
                    other.Key.SetValue(copy, fresh);
            return copy;
        }

        /// <summary>
        /// A copy of the deal whose own parts are its values, snapshots and list of lines; its other lists are the facts' own,
        /// shared. For a change of the lines, prices, discounts or costs judged by a check that only reads the facts (the fix
        /// search's margin trials): the org's capacity and other deals' demand are not copied for each price it tries.
        /// </summary>
        internal static DealFacts WithOwnLines(DealFacts facts)
        {
            var copy = Shallow(facts);
            copy.Current = Shallow(facts.Current);
            if (facts.Previous != null) copy.Previous = Shallow(facts.Previous);
            copy.Lines = new List<DealLine>(facts.Lines);
            return copy;
        }

        /// <summary>A copy of one item (a line, a requirement) with the same values, to change.</summary>
        public static T Of<T>(T item) where T : class, new() => Shallow(item);

        private static T Shallow<T>(T item) where T : class, new()
        {
            var copy = new T();
            foreach (var copyOne in Properties<T>.Copiers) copyOne(item, copy);
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

            /// <summary>One copier per property, typed (the fix search copies the facts once per judgement: no boxing, no reflection per copy).</summary>
            public static readonly Action<T, T>[] Copiers = Settable.Select(Copier).ToArray();

            // Set before OtherLists, which reads it: static fields are set in the order written (set after it, it was null, and
            // as an empty span it excluded nothing).
            private static readonly string[] Copied =
            {
                nameof(DealFacts.Current), nameof(DealFacts.Previous), nameof(DealFacts.Lines), nameof(DealFacts.Requirements), nameof(DealFacts.Allocations),
                nameof(DealFacts.Capacity), nameof(DealFacts.OtherDemand), nameof(DealFacts.RecordedChanges),
            };

            /// <summary>
            /// The properties that may hold a list, other than those <see cref="Of(DealFacts)"/> copies by name, each with a typed
            /// getter (the gates and benchmarks are read on every copy; reflection's GetValue is slower).
            /// </summary>
            public static readonly KeyValuePair<PropertyInfo, Func<T, object?>>[] OtherLists = Settable
                .Where(p => !p.PropertyType.IsValueType && p.PropertyType != typeof(string) && typeof(IEnumerable).IsAssignableFrom(p.PropertyType))
                .Where(p => !Copied.Contains(p.Name)).Select(p => new KeyValuePair<PropertyInfo, Func<T, object?>>(p, Getter(p))).ToArray();

            private static Action<T, T> Copier(PropertyInfo p)
            {
                try
                {
                    return (Action<T, T>)typeof(Properties<T>).GetMethod(nameof(Typed), BindingFlags.NonPublic | BindingFlags.Static)!
                        .MakeGenericMethod(p.PropertyType).Invoke(null, new object[] { p })!;
                }
                catch (Exception e) when (e is MemberAccessException || e is System.Security.SecurityException || e is TargetInvocationException)
                {
                    // Where reflection on this assembly's own members is not allowed (a partial-trust sandbox): by value, slower.
                    return (from, to) => p.SetValue(to, p.GetValue(from));
                }
            }

            private static Func<T, object?> Getter(PropertyInfo p)
            {
                try
                {
                    // A getter of a reference type binds to a delegate returning object (return types are covariant).
                    return (Func<T, object?>)Delegate.CreateDelegate(typeof(Func<T, object>), p.GetGetMethod()!);
                }
                catch (Exception e) when (e is MemberAccessException || e is System.Security.SecurityException || e is ArgumentException)
                {
                    return item => p.GetValue(item);
                }
            }

            private static Action<T, T> Typed<TValue>(PropertyInfo p)
            {
                var get = (Func<T, TValue>)Delegate.CreateDelegate(typeof(Func<T, TValue>), p.GetGetMethod()!);
                var set = (Action<T, TValue>)Delegate.CreateDelegate(typeof(Action<T, TValue>), p.GetSetMethod()!);
                return (from, to) => set(to, get(from));
            }
        }
    }
}
