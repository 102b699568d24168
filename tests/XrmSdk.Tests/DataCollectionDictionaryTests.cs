using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Xrm.Sdk;
using NUnit.Framework;

namespace CrmPlugins.XrmSdk.Tests
{
    /// <summary>
    /// A keyed collection of the SDK (<see cref="AttributeCollection"/>, <see cref="FormattedValueCollection"/>) behaves as
    /// the <see cref="Dictionary{TKey,TValue}"/> Microsoft's is made of (Microsoft.Xrm.Sdk 9.0.2.56: DataCollection&lt;TKey,
    /// TValue&gt; wraps one), whatever store the stand-in keeps underneath: the same answers, exceptions and order, including
    /// Dictionary's reuse of a removed key's slot, and enumerators stopped by the same changes. The reference is .NET 10's
    /// own Dictionary, run beside it on the same operations; like the rest of this project, these tests run on Microsoft's
    /// DLLs as well. What .NET 10's Dictionary does was read by experiment: adding a key (Add or the indexer) makes a
    /// running enumerator throw InvalidOperationException; setting an existing key's value, Remove and Clear do not.
    /// </summary>
    public class DataCollectionDictionaryTests
    {
        // More names than the stand-in keeps in its small store (SmallDictionary.LargeAt, 32), of one length and of others
        // and alike at most places (col00..col47), so that sequences cross the move to a Dictionary and names share buckets.
        private static readonly string[] Names = Enumerable.Range(0, 48).Select(i => i % 5 == 4 ? "dr_longer_column_" + i : "col" + i.ToString("00")).ToArray();

        // The stand-in keeps up to 32 keys in its own store; the random sequences must go past it (checked below).
        private const int SmallStoreKeys = 32;

        private static Microsoft.FSharp.Core.FSharpOption<Replay> Seed(ulong seed) => new Replay(new Rnd(seed, 0x9E3779B97F4A7C15UL), Microsoft.FSharp.Core.FSharpOption<int>.None);

        [Test]
        public void RandomOperations_GiveWhatADictionaryGives_AcrossTheMoveToALargeStore()
        {
            var sequences = Sequences(200);
            var widest = new List<int>();
            Prop.ForAll(sequences.ToArbitrary(), ops => Replay(ops, new AttributeCollection(), v => v < 0 ? null : (object)v, widest))
                .Check(Config.QuickThrowOnFailure.WithMaxTest(600).WithReplay(Seed(23)));

            Assert.That(widest.Count(w => w > SmallStoreKeys), Is.GreaterThan(50), "enough sequences hold more keys than the small store");
            Assert.That(widest.Count(w => w <= SmallStoreKeys), Is.GreaterThan(50), "and enough stay within it");
        }

        [Test]
        public void RandomOperations_OnFormattedValues_GiveWhatADictionaryGives()
        {
            var sequences = Sequences(120);
            Prop.ForAll(sequences.ToArbitrary(), ops => Replay(ops, new FormattedValueCollection(), v => v < 0 ? null! : "$" + v, new List<int>()))
                .Check(Config.QuickThrowOnFailure.WithMaxTest(200).WithReplay(Seed(230)));
        }

        [Test]
        public void RemoveThenAdd_KeepsDictionaryOrder()
        {
            var row = Row("a", "b", "c", "d");
            row.Remove("b");
            row["e"] = 5;

            Assert.That(row.Select(a => a.Key), Is.EqualTo(new[] { "a", "e", "c", "d" }), "the new key takes the removed one's place");
        }

        [Test]
        public void SeveralRemovesThenAdds_FillTheLastRemovedFirst_ThenAppend()
        {
            var row = Row("a", "b", "c", "d");
            row.Remove("b");
            row.Remove("d");
            row.Remove("a");
            foreach (var name in new[] { "x", "y", "z", "w" }) row.Add(name, 0);

            Assert.That(row.Keys, Is.EqualTo(new[] { "x", "z", "c", "y", "w" }));
            Assert.That(row.Keys, Is.EqualTo(DictionaryAfter(new[] { "a", "b", "c", "d" }, new[] { "b", "d", "a" }, new[] { "x", "y", "z", "w" }).Keys));
        }

        [Test]
        public void RemovingEveryKey_ThenAdding_FillsTheFreedSlotsLastRemovedFirst()
        {
            var row = Row("a", "b");
            row.Remove("a");
            row.Remove("b");
            row["c"] = 1;
            row["d"] = 2;

            Assert.That(row.Keys, Is.EqualTo(new[] { "d", "c" }));
        }

        [Test]
        public void Clear_ForgetsRemovedSlots_AndOrderStartsAgain()
        {
            var row = Row("a", "b", "c");
            row.Remove("a");
            row.Clear();
            row["z"] = 1;
            row["y"] = 2;

            Assert.That(row.Keys, Is.EqualTo(new[] { "z", "y" }));
        }

        [Test]
        public void RemoveThenAdd_PastTheSmallStore_KeepsDictionaryOrder()
        {
            var names = Names.Take(SmallStoreKeys + 6).ToArray();
            var row = Row(names);
            row.Remove(names[3]);
            row.Remove(names[27]);
            row["new1"] = 1;
            row["new2"] = 2;
            row["new3"] = 3;

            Assert.That(row.Keys, Is.EqualTo(DictionaryAfter(names, new[] { names[3], names[27] }, new[] { "new1", "new2", "new3" }).Keys));
        }

        [Test]
        public void GrowingPastTheSmallStore_AfterRemoves_KeepsDictionaryOrder()
        {
            var names = Names.Take(SmallStoreKeys).ToArray();
            var row = Row(names);
            row.Remove(names[5]);
            var added = Names.Skip(SmallStoreKeys).Concat(new[] { "more1", "more2" }).ToArray();
            foreach (var name in added) row[name] = 0;

            Assert.That(row.Keys, Is.EqualTo(DictionaryAfter(names, new[] { names[5] }, added).Keys));
        }

        [Test]
        public void NamesAlikeButForAFewCharacters_AreEachFound_RemovedAndKeptInOrder()
        {
            // Seven characters alike but for the first, second and fifth: a store that hashes a sample of characters
            // puts them all in one bucket; each must still be found by an equal string made elsewhere.
            var names = Enumerable.Range(0, 30).Select(i => $"{(char)('a' + i % 3)}{(char)('a' + i / 3 % 4)}__{(char)('a' + i / 12)}__").ToArray();
            var row = new AttributeCollection();
            var reference = new Dictionary<string, object>();
            foreach (var name in names)
            {
                row[name] = name.Length;
                reference[name] = name.Length;
            }

            foreach (var name in new[] { names[2], names[17], names[9] })
            {
                row.Remove(new string(name.AsSpan()));
                reference.Remove(name);
            }

            row["zz__z__"] = 1;
            reference["zz__z__"] = 1;

            Assert.That(names.Select(n => row.ContainsKey(new string(n.AsSpan()))), Is.EqualTo(names.Select(reference.ContainsKey)));
            Assert.That(row.Keys, Is.EqualTo(reference.Keys));
        }

        [Test]
        public void SettingAnExistingColumn_KeepsItsPlace_AndItsFirstKeyObject()
        {
            var first = new string("name".AsSpan());
            var row = new AttributeCollection { { first, "a" }, { "other", 1 } };
            row[new string("name".AsSpan())] = "b";

            Assert.That(row.Keys, Is.EqualTo(new[] { "name", "other" }));
            Assert.That(row.Keys.First(), Is.SameAs(first), "as Dictionary, an overwrite keeps the stored key");
            Assert.That(row["name"], Is.EqualTo("b"));
        }

        [Test]
        public void Enumerating_WhileAColumnIsAdded_Throws_ButNotWhileOneIsSetRemovedOrCleared()
        {
            Assert.That(() => EnumerateAndChange(r => r["new"] = 1), Throws.InvalidOperationException);
            Assert.That(() => EnumerateAndChange(r => r.Add("new", 1)), Throws.InvalidOperationException);
            Assert.That(EnumerateAndChange(r => r["b"] = 9), Is.EqualTo(new[] { "a", "b", "c" }));
            Assert.That(EnumerateAndChange(r => r.Remove("b")), Is.EqualTo(new[] { "a", "c" }));
            Assert.That(EnumerateAndChange(r => r.Clear()), Is.EqualTo(new[] { "a" }));
        }

        [Test]
        public void Enumerating_AnEmptyCollection_ThenAdding_EndsQuietly_AsDictionarysSharedEmptyEnumerator()
        {
            var row = new AttributeCollection { { "a", 1 } };
            row.Remove("a");
            using var e = row.GetEnumerator();
            row["b"] = 2;

            Assert.That(e.MoveNext(), Is.False, ".NET 10's Dictionary hands an empty dictionary's callers one shared enumerator");
            Assert.That(() => e.Current, Throws.InvalidOperationException);
        }

        [Test]
        public void KeysAndValues_AreLiveReadOnlyViews()
        {
            var row = Row("a", "b");
            var keys = row.Keys;
            var values = row.Values;
            row["c"] = 2;
            row.Remove("a");

            Assert.That(keys, Is.EqualTo(new[] { "b", "c" }));
            Assert.That(values, Is.EqualTo(new object[] { 1, 2 }));
            Assert.That(keys.IsReadOnly && values.IsReadOnly, Is.True);
            Assert.That(() => keys.Add("d"), Throws.TypeOf<NotSupportedException>());
            Assert.That(() => values.Clear(), Throws.TypeOf<NotSupportedException>());
        }

        [Test]
        public void NullKey_IsRefusedByEveryKeyedMember()
        {
            var row = Row("a");
            Assert.Multiple(() =>
            {
                Assert.That(() => row.Add(null!, 1), Throws.ArgumentNullException);
                Assert.That(() => row[null!] = 1, Throws.ArgumentNullException);
                Assert.That(() => row[null!], Throws.ArgumentNullException);
                Assert.That(() => row.TryGetValue(null!, out _), Throws.ArgumentNullException);
                Assert.That(() => row.ContainsKey(null!), Throws.ArgumentNullException);
                Assert.That(() => row.Remove(null!), Throws.ArgumentNullException);
                Assert.That(() => new AttributeCollection().Remove(null!), Throws.ArgumentNullException, "on a collection never written to as well");
            });
        }

        private static AttributeCollection Row(params string[] names)
        {
            var row = new AttributeCollection();
            for (var i = 0; i < names.Length; i++) row[names[i]] = i;
            return row;
        }

        private static Dictionary<string, object> DictionaryAfter(string[] names, string[] removed, string[] added)
        {
            var d = new Dictionary<string, object>();
            for (var i = 0; i < names.Length; i++) d[names[i]] = i;
            foreach (var name in removed) d.Remove(name);
            foreach (var name in added) d[name] = 0;
            return d;
        }

        private static string[] EnumerateAndChange(Action<AttributeCollection> change)
        {
            var row = Row("a", "b", "c");
            var seen = new List<string>();
            using var e = row.GetEnumerator();
            e.MoveNext();
            seen.Add(e.Current.Key);
            change(row);
            while (e.MoveNext()) seen.Add(e.Current.Key);
            return seen.ToArray();
        }

        // One operation of a random sequence; which fields matter depends on the kind.
        public sealed record Op(Kind Kind, int Key, int OtherKey, bool FreshString, int Value, int Steps, Kind Change);

        public enum Kind
        {
            Add, Set, Get, TryGet, ContainsKey, Remove, RemovePair, ContainsPair, Clear, Enumerate, Keys, Values, CopyTo,
            KeysCopyTo, ValuesCopyTo, RemoveThenAdd, ChangeWhileEnumerating, ChangeWhileEnumeratingKeys, ChangeWhileEnumeratingValues, NullKey,
        }

        // Random operations, after a first fill of up to 44 names at times: without it few sequences outgrow the small
        // store between their removes and clears.
        private static Gen<Op[]> Sequences(int longest) =>
            from fill in Gen.Frequency((1, Gen.Constant(0)), (1, Gen.Choose(0, Names.Length - 4)))
            from n in Gen.Choose(0, longest)
            from ops in Gen.ArrayOf(Operation(), n)
            select Enumerable.Range(0, fill).Select(i => new Op(Kind.Set, i, 0, false, i % 6, 0, Kind.Set)).Concat(ops).ToArray();

        private static Gen<Op> Operation() =>
            from kind in Gen.Frequency(
                (12, Gen.Constant(Kind.Add)), (12, Gen.Constant(Kind.Set)), (3, Gen.Constant(Kind.Get)), (3, Gen.Constant(Kind.TryGet)),
                (2, Gen.Constant(Kind.ContainsKey)), (5, Gen.Constant(Kind.Remove)), (2, Gen.Constant(Kind.RemovePair)),
                (2, Gen.Constant(Kind.ContainsPair)), (1, Gen.Constant(Kind.Clear)), (2, Gen.Constant(Kind.Enumerate)),
                (1, Gen.Constant(Kind.Keys)), (1, Gen.Constant(Kind.Values)), (2, Gen.Constant(Kind.CopyTo)), (1, Gen.Constant(Kind.KeysCopyTo)),
                (1, Gen.Constant(Kind.ValuesCopyTo)), (4, Gen.Constant(Kind.RemoveThenAdd)), (3, Gen.Constant(Kind.ChangeWhileEnumerating)),
                (1, Gen.Constant(Kind.ChangeWhileEnumeratingKeys)), (1, Gen.Constant(Kind.ChangeWhileEnumeratingValues)), (1, Gen.Constant(Kind.NullKey)))
            from key in Gen.Choose(0, Names.Length - 1)
            from other in Gen.Choose(0, Names.Length - 1)
            from fresh in Gen.Elements(false, true)
            from value in Gen.Choose(-1, 5)
            from steps in Gen.Choose(-1, 30)
            from change in Gen.Elements(Kind.Add, Kind.Set, Kind.Remove, Kind.RemovePair, Kind.Clear, Kind.TryGet, Kind.RemoveThenAdd)
            select new Op(kind, key, other, fresh, value, steps, change);

        // Both sides get the same operations; every answer, exception and the whole content in order must agree.
        private static bool Replay<TValue>(Op[] ops, DataCollection<string, TValue> collection, Func<int, TValue> valueOf, List<int> widest)
        {
            var most = 0;
            var sdk = new Sides<TValue>(new CollectionAsDictionary<TValue>(collection), valueOf);
            var reference = new Sides<TValue>(new Dictionary<string, TValue>(), valueOf);
            for (var i = 0; i < ops.Length; i++)
            {
                var got = sdk.Apply(ops[i]);
                var expected = reference.Apply(ops[i]);
                Assert.That(got, Is.EqualTo(expected), $"operation {i}: {ops[i]}");
                Assert.That(sdk.Describe(), Is.EqualTo(reference.Describe()), $"content after operation {i}: {ops[i]}");
                most = Math.Max(most, collection.Count);
            }

            widest.Add(most);
            return true;
        }

        /// <summary>Runs an operation on one side (the SDK's collection or the reference Dictionary) and tells what it saw.</summary>
        private sealed class Sides<TValue>
        {
            private readonly IDictionary<string, TValue> _d;
            private readonly Func<int, TValue> _valueOf;

            public Sides(IDictionary<string, TValue> d, Func<int, TValue> valueOf)
            {
                _d = d;
                _valueOf = valueOf;
            }

            public string Describe() => _d.Count + ":" + string.Join(",", _d.Select(p => p.Key + "=" + Show(p.Value)));

            public string Apply(Op op)
            {
                try
                {
                    return Run(op);
                }
                catch (Exception e) when (e is ArgumentException || e is KeyNotFoundException || e is InvalidOperationException || e is NotSupportedException)
                {
                    return "threw " + e.GetType().Name + (e is ArgumentException a && a.ParamName != null ? "(" + a.ParamName + ")" : "");
                }
            }

            private static string Show(object? value) => value?.ToString() ?? "null";

            private TValue Value(Op op) => _valueOf(op.Value);

            private string Run(Op op)
            {
                var d = _d;
                var key = Key(op, op.Key);
                switch (op.Kind)
                {
                    case Kind.Add: d.Add(key, Value(op)); return "added";
                    case Kind.Set: d[key] = Value(op); return "set";
                    case Kind.Get: return "got " + Show(d[key]);
                    case Kind.TryGet: return d.TryGetValue(key, out var v) ? "found " + Show(v) : "none " + Show(v);
                    case Kind.ContainsKey: return d.ContainsKey(key) + " " + d.Keys.Contains(key);
                    case Kind.Remove: return "removed " + d.Remove(key);
                    case Kind.RemovePair: return "removed " + d.Remove(new KeyValuePair<string, TValue>(key, Value(op)));
                    case Kind.ContainsPair: return "contains " + d.Contains(new KeyValuePair<string, TValue>(key, Value(op))) + " " + d.Values.Contains(Value(op));
                    case Kind.Clear: d.Clear(); return "cleared";
                    case Kind.Enumerate: return string.Join(",", d.Select(p => p.Key)) + " / " + NonGeneric(d);
                    case Kind.Keys: return d.Keys.Count + " " + string.Join(",", d.Keys) + " / " + NonGeneric(d.Keys);
                    case Kind.Values: return d.Values.Count + " " + string.Join(",", d.Values.Select(x => Show(x))) + " / " + NonGeneric(d.Values);
                    case Kind.CopyTo:
                    {
                        // A value below zero makes the array too short; steps give the index, at times past the end or below 0.
                        var array = new KeyValuePair<string, TValue>[Math.Max(0, d.Count + op.Value)];
                        d.CopyTo(array, op.Steps % 4);
                        return string.Join(",", array.Select(p => p.Key ?? "-"));
                    }
                    case Kind.KeysCopyTo:
                    {
                        var array = new string[Math.Max(0, d.Count + op.Value)];
                        d.Keys.CopyTo(array, op.Steps % 4);
                        return string.Join(",", array.Select(k => k ?? "-"));
                    }
                    case Kind.ValuesCopyTo:
                    {
                        var array = new TValue[Math.Max(0, d.Count + op.Value - 1)];
                        d.Values.CopyTo(array, op.Steps % 3);
                        return string.Join(",", array.Select(x => Show(x)));
                    }
                    case Kind.RemoveThenAdd:
                        var removed = d.Remove(key);
                        d[Key(op, op.OtherKey)] = Value(op);
                        return "removed " + removed;
                    case Kind.ChangeWhileEnumerating: return ChangeWhile(d, op);
                    case Kind.ChangeWhileEnumeratingKeys: return ChangeWhile(d.Keys, op);
                    case Kind.ChangeWhileEnumeratingValues: return ChangeWhile(d.Values, op);
                    case Kind.NullKey: return NullKey(op);
                    default: throw new ArgumentOutOfRangeException(nameof(op));
                }
            }

            // Starts an enumeration (of the pairs, the keys or the values), makes a change part-way, and reads on.
            private string ChangeWhile<T>(IEnumerable<T> items, Op op)
            {
                var seen = new List<string>();
                using var e = items.GetEnumerator();
                seen.Add("before:" + Try(() => e.Current));
                for (var i = 0; i < op.Steps && e.MoveNext(); i++) seen.Add(Show(e.Current));
                seen.Add("change:" + Apply(op with { Kind = op.Change }));
                try
                {
                    while (e.MoveNext()) seen.Add(Show(e.Current));
                    seen.Add("end " + e.MoveNext());
                }
                catch (InvalidOperationException)
                {
                    seen.Add("threw");
                    try
                    {
                        e.Reset();
                        seen.Add("reset");
                    }
                    catch (InvalidOperationException)
                    {
                        seen.Add("reset threw");
                    }
                }

                return string.Join(",", seen);
            }

            private string NullKey(Op op)
            {
                var d = _d;
                string? none = null;
                var results = new List<string>();
                foreach (var action in new Action[]
                {
                    () => d.Add(none!, Value(op)), () => d[none!] = Value(op), () => _ = d[none!], () => d.TryGetValue(none!, out _), () => d.ContainsKey(none!),
                    () => d.Remove(none!), () => d.Contains(new KeyValuePair<string, TValue>(none!, Value(op))), () => d.Keys.Contains(none!),
                }.Skip(op.Value + 1).Take(3))
                {
                    try
                    {
                        action();
                        results.Add("ok");
                    }
                    catch (ArgumentNullException e)
                    {
                        results.Add("null " + e.ParamName);
                    }
                }

                return string.Join(",", results);
            }
        }

        private static string Key(Op op, int which) => op.FreshString ? new string(Names[which].AsSpan()) : Names[which];

        private static string NonGeneric(IEnumerable items)
        {
            var e = items.GetEnumerator();
            var before = Try(() => e.Current);
            var seen = new List<string>();
            while (e.MoveNext()) seen.Add(e.Current?.ToString() ?? "null");
            return before + " [" + string.Join(",", seen) + "] " + Try(() => e.Current) + " " + e.MoveNext();
        }

        private static string Try(Func<object?> read)
        {
            try
            {
                return read()?.ToString() ?? "null";
            }
            catch (InvalidOperationException)
            {
                return "threw";
            }
        }

        /// <summary>A collection of the SDK seen as an IDictionary, each member forwarded to the collection's own, so that
        /// the same operations run on it and on a Dictionary.</summary>
        private sealed class CollectionAsDictionary<TValue> : IDictionary<string, TValue>
        {
            private readonly DataCollection<string, TValue> _c;

            public CollectionAsDictionary(DataCollection<string, TValue> collection) => _c = collection;

            public TValue this[string key] { get => _c[key]; set => _c[key] = value; }

            public ICollection<string> Keys => _c.Keys;

            public ICollection<TValue> Values => _c.Values;

            public int Count => _c.Count;

            public bool IsReadOnly => _c.IsReadOnly;

            public void Add(string key, TValue value) => _c.Add(key, value);

            public void Add(KeyValuePair<string, TValue> item) => _c.Add(item);

            public void Clear() => _c.Clear();

            public bool Contains(KeyValuePair<string, TValue> item) => _c.Contains(item);

            public bool ContainsKey(string key) => _c.ContainsKey(key);

            public void CopyTo(KeyValuePair<string, TValue>[] array, int arrayIndex) => _c.CopyTo(array, arrayIndex);

            public IEnumerator<KeyValuePair<string, TValue>> GetEnumerator() => _c.GetEnumerator();

            public bool Remove(string key) => _c.Remove(key);

            public bool Remove(KeyValuePair<string, TValue> item) => _c.Remove(item);

            public bool TryGetValue(string key, out TValue value) => _c.TryGetValue(key, out value!);

            IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
        }
    }
}
