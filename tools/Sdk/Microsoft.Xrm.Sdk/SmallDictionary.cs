using System;
using System.Collections;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace Microsoft.Xrm.Sdk
{
    /// <summary>
    /// The store a <see cref="DataCollection{TKey,TValue}"/> makes for itself: a dictionary that behaves exactly as
    /// .NET's <see cref="Dictionary{TKey,TValue}"/> (Microsoft's collections are one underneath, and the tests run on
    /// Microsoft's DLLs too) but holds its entries in two arrays in enumeration order, found through a table of one byte a
    /// bucket, instead of a Dictionary's 24-byte entries and 4-byte buckets. An entity's columns are a few dozen at most and
    /// an emulated org holds a million rows: a 20-column row takes about 540 bytes here against about 810 in a Dictionary
    /// sized to it, and a lookup costs about what Dictionary's does (tools/Benchmarks, AttributeStoreBenchmarks). Past
    /// <see cref="LargeAt"/> keys it moves its entries into a Dictionary, in order, and forwards to it.
    /// </summary>
    /// <remarks>
    /// What it keeps of a Dictionary (.NET Core 3.0 and later; the stand-in only runs on .NET): keys compared with
    /// <see cref="EqualityComparer{T}.Default"/> (ordinal for strings); a null key throws
    /// <see cref="ArgumentNullException"/>; enumeration in slot order, where a removed key's slot is taken by the next key
    /// added, the last removed first (Dictionary's free list); adding a key (by Add or by the indexer) invalidates the
    /// enumerators, while setting an existing key's value, removing and clearing do not; Keys and Values are live
    /// read-only views. Keys must be a reference type: a free slot is the one whose key is null.
    /// </remarks>
    [Serializable]
    internal sealed class SmallDictionary<TKey, TValue> : IDictionary<TKey, TValue>
    {
        /// <summary>
        /// The most keys held in the arrays. The byte table could index 255; past a few dozen the sampled string hash
        /// (<see cref="Hash"/>) would meet more names alike where it looks, and rows that wide are few.
        /// </summary>
        internal const int LargeAt = 32;

        /// <summary>True when a map can be made for the key type (free slots are marked by a null key).</summary>
        internal static readonly bool Supported = default(TKey) == null;

        private static readonly TKey[] NoKeys = new TKey[0];
        private static readonly TValue[] NoValues = new TValue[0];

        // Slots in enumeration order; a removed key's slot holds a null key until an add takes it again.
        private TKey[] _keys;
        private TValue[] _values;
        private int _slots;
        // Slot + 1 of each key at its hash's bucket or the next free one (linear probing), 0 for none; a power of two
        // at least half again the slots' room, so that a search ends at an empty bucket. Made again on a remove.
        private byte[] _buckets;
        private int _freeCount;
        // The slots freed and not yet taken again, the last freed on top (made on the first remove).
        private int[] _free;
        // Bumped when a key is added, as Dictionary's version: an enumerator stops with InvalidOperationException.
        private int _version;
        private Dictionary<TKey, TValue> _large;
        private KeyView _keyView;
        private ValueView _valueView;

        public SmallDictionary() : this(0) { }

        /// <summary>Room for <paramref name="capacity"/> keys at once (more than <see cref="LargeAt"/>: a Dictionary).</summary>
        public SmallDictionary(int capacity)
        {
            if (capacity > LargeAt)
            {
                _large = new Dictionary<TKey, TValue>(capacity);
                _keys = NoKeys;
                _values = NoValues;
            }
            else
            {
                _keys = capacity == 0 ? NoKeys : new TKey[capacity];
                _values = capacity == 0 ? NoValues : new TValue[capacity];
                if (capacity > 0) _buckets = new byte[BucketsFor(capacity)];
            }
        }

        public int Count => _large?.Count ?? _slots - _freeCount;

        public bool IsReadOnly => false;

        public ICollection<TKey> Keys => _keyView ?? (_keyView = new KeyView(this));

        public ICollection<TValue> Values => _valueView ?? (_valueView = new ValueView(this));

        public TValue this[TKey key]
        {
            get
            {
                if (_large != null) return _large[key];
                var i = IndexOf(key);
                if (i < 0) throw new KeyNotFoundException($"The given key '{key}' was not present in the dictionary.");
                return _values[i];
            }
            set => Insert(key, value, replace: true);
        }

        public void Add(TKey key, TValue value) => Insert(key, value, replace: false);

        public void Add(KeyValuePair<TKey, TValue> item) => Insert(item.Key, item.Value, replace: false);

        public bool ContainsKey(TKey key) => _large != null ? _large.ContainsKey(key) : IndexOf(key) >= 0;

        public bool TryGetValue(TKey key, out TValue value)
        {
            if (_large != null) return _large.TryGetValue(key, out value);
            var i = IndexOf(key);
            if (i < 0)
            {
                value = default(TValue);
                return false;
            }

            value = _values[i];
            return true;
        }

        public bool Contains(KeyValuePair<TKey, TValue> item)
        {
            if (_large != null) return ((ICollection<KeyValuePair<TKey, TValue>>)_large).Contains(item);
            var i = IndexOf(item.Key);
            return i >= 0 && EqualityComparer<TValue>.Default.Equals(_values[i], item.Value);
        }

        public bool Remove(TKey key)
        {
            if (_large != null) return _large.Remove(key);
            var i = IndexOf(key);
            if (i < 0) return false;
            Free(i);
            return true;
        }

        public bool Remove(KeyValuePair<TKey, TValue> item)
        {
            if (_large != null) return ((ICollection<KeyValuePair<TKey, TValue>>)_large).Remove(item);
            var i = IndexOf(item.Key);
            if (i < 0 || !EqualityComparer<TValue>.Default.Equals(_values[i], item.Value)) return false;
            Free(i);
            return true;
        }

        public void Clear()
        {
            // Once large, large for good: an enumerator of the Dictionary must see it cleared, as it would.
            if (_large != null)
            {
                _large.Clear();
                return;
            }

            Array.Clear(_keys, 0, _slots);
            Array.Clear(_values, 0, _slots);
            if (_buckets != null) Array.Clear(_buckets, 0, _buckets.Length);
            _slots = 0;
            _freeCount = 0;
        }

        public void CopyTo(KeyValuePair<TKey, TValue>[] array, int arrayIndex)
        {
            if (_large != null)
            {
                ((ICollection<KeyValuePair<TKey, TValue>>)_large).CopyTo(array, arrayIndex);
                return;
            }

            CheckCopyTo(array, arrayIndex, Count);
            for (var i = 0; i < _slots; i++)
                if (_keys[i] != null) array[arrayIndex++] = new KeyValuePair<TKey, TValue>(_keys[i], _values[i]);
        }

        public IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator() =>
            _large != null ? ((IEnumerable<KeyValuePair<TKey, TValue>>)_large).GetEnumerator() : Count == 0 ? NoItems<KeyValuePair<TKey, TValue>>() : new Enumerator(this);

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        // .NET's Dictionary (and its Keys and Values) hands out a shared empty enumerator when it is empty: one that no later
        // add stops and whose Current always throws. An empty array's is the same kind.
        private static IEnumerator<T> NoItems<T>() => ((IEnumerable<T>)Array.Empty<T>()).GetEnumerator();

        private void Insert(TKey key, TValue value, bool replace)
        {
            if (_large != null)
            {
                if (replace) _large[key] = value;
                else _large.Add(key, value);
                return;
            }

            var i = IndexOf(key);
            if (i >= 0)
            {
                // As Dictionary: the key first stored stays, and the enumerators go on.
                if (!replace) throw new ArgumentException($"An item with the same key has already been added. Key: {key}");
                _values[i] = value;
                return;
            }

            _version++;
            if (_freeCount > 0)
            {
                i = _free[--_freeCount];
            }
            else if (_slots == _keys.Length && _slots == LargeAt)
            {
                // Every slot is taken (no free one is left), so the Dictionary filled in slot order enumerates as we do.
                var large = new Dictionary<TKey, TValue>(_slots * 2);
                for (var s = 0; s < _slots; s++) large.Add(_keys[s], _values[s]);
                large.Add(key, value);
                _large = large;
                _keys = NoKeys;
                _values = NoValues;
                _buckets = null;
                _slots = 0;
                _free = null;
                return;
            }
            else
            {
                if (_slots == _keys.Length) Grow();
                i = _slots++;
            }

            _keys[i] = key;
            _values[i] = value;
            Place(i);
        }

        private void Grow()
        {
            var size = Math.Min(LargeAt, Math.Max(4, _keys.Length * 2));
            Array.Resize(ref _keys, size);
            Array.Resize(ref _values, size);
            if (_buckets == null || _buckets.Length != BucketsFor(size))
            {
                _buckets = new byte[BucketsFor(size)];
                for (var s = 0; s < _slots; s++)
                    if (_keys[s] != null) Place(s);
            }
        }

        private static int BucketsFor(int capacity)
        {
            var size = 4;
            while (size < capacity + capacity / 2 + 1) size *= 2;
            return size;
        }

        private void Place(int slot)
        {
            var buckets = _buckets;
            var mask = buckets.Length - 1;
            var at = Bucket(_keys[slot]) & mask;
            while (buckets[at] != 0) at = (at + 1) & mask;
            buckets[at] = (byte)(slot + 1);
        }

        private static int Bucket(TKey key) => Spread(key is string name ? Hash(name) : EqualityComparer<TKey>.Default.GetHashCode(key));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static int Spread(int hash) => (int)(((uint)hash * 0x9E3779B1u) >> 22);

        // Column names are short and many share a prefix ("dr_", "opportunity"): their length and a few characters from
        // the middle to the end tell them apart in one step, where hashing every character (as Dictionary does) would
        // cost more than the search it saves. Names alike at those places only cost a longer probe.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static int Hash(string s)
        {
            var n = s.Length;
            if (n == 0) return 0;
            return n ^ s[n - 1] << 6 ^ s[n >> 1] << 13 ^ s[n / 3] << 19 ^ s[n - 1 - n / 4] << 25;
        }

        private void Free(int i)
        {
            _keys[i] = default(TKey);
            _values[i] = default(TValue);
            if (_free == null || _free.Length == _freeCount) Array.Resize(ref _free, Math.Max(4, _freeCount * 2));
            _free[_freeCount++] = i;
            // A probe passes over the buckets of other keys: the table is made again rather than mended (a few dozen keys).
            Array.Clear(_buckets, 0, _buckets.Length);
            for (var s = 0; s < _slots; s++)
                if (_keys[s] != null) Place(s);
        }

        // The slot of a key, or -1: the key's bucket, then the next ones up to an empty one.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private int IndexOf(TKey key)
        {
            if (key == null) throw new ArgumentNullException(nameof(key));
            var buckets = _buckets;
            if (buckets == null) return -1;
            var keys = _keys;
            var mask = buckets.Length - 1;
            var name = key as string;
            var at = Spread(name != null ? Hash(name) : EqualityComparer<TKey>.Default.GetHashCode(key)) & mask;
            while (true)
            {
                int b = buckets[at];
                if (b == 0) return -1;
                var k = keys[b - 1];
                if ((object)k == (object)key || (name != null ? string.Equals((string)(object)k, name) : EqualityComparer<TKey>.Default.Equals(k, key))) return b - 1;
                at = (at + 1) & mask;
            }
        }

        private static void CheckCopyTo<T>(T[] array, int index, int count)
        {
            if (array == null) throw new ArgumentNullException(nameof(array));
            if (index < 0 || index > array.Length) throw new ArgumentOutOfRangeException(nameof(index), index, "Non-negative number required.");
            if (array.Length - index < count) throw new ArgumentException("Destination array is not long enough to copy all the items in the collection. Check array index and length.");
        }

        /// <summary>Walks the slots as Dictionary's enumerator walks its entries: by index, skipping free ones, to the
        /// current end, so that a remove or a clear meanwhile is seen and an add stops it.</summary>
        [Serializable]
        private abstract class Walker<T> : IEnumerator<T>
        {
            private readonly SmallDictionary<TKey, TValue> _map;
            private readonly int _version;
            // 0 before the first MoveNext, slot + 1 after it, -1 past the end (Dictionary's "count + 1").
            private int _index;

            protected Walker(SmallDictionary<TKey, TValue> map)
            {
                _map = map;
                _version = map._version;
            }

            public T Current { get; private set; }

            object IEnumerator.Current
            {
                get
                {
                    if (_index <= 0) throw new InvalidOperationException("Enumeration has either not started or has already finished.");
                    return Current;
                }
            }

            public bool MoveNext()
            {
                Check();
                if (_index >= 0)
                {
                    // The map's arrays are read again each time: a Clear or a Remove meanwhile is seen, as in Dictionary.
                    while (_index < _map._slots)
                    {
                        var slot = _index++;
                        var key = _map._keys[slot];
                        if (key == null) continue;
                        Current = Project(key, _map._values[slot]);
                        return true;
                    }
                }

                _index = -1;
                Current = default(T);
                return false;
            }

            public void Reset()
            {
                Check();
                _index = 0;
                Current = default(T);
            }

            public void Dispose() { }

            protected abstract T Project(TKey key, TValue value);

            private void Check()
            {
                if (_version != _map._version) throw new InvalidOperationException("Collection was modified; enumeration operation may not execute.");
            }
        }

        [Serializable]
        private sealed class Enumerator : Walker<KeyValuePair<TKey, TValue>>
        {
            internal Enumerator(SmallDictionary<TKey, TValue> map) : base(map) { }

            protected override KeyValuePair<TKey, TValue> Project(TKey key, TValue value) => new KeyValuePair<TKey, TValue>(key, value);
        }

        [Serializable]
        private sealed class KeyEnumerator : Walker<TKey>
        {
            internal KeyEnumerator(SmallDictionary<TKey, TValue> map) : base(map) { }

            protected override TKey Project(TKey key, TValue value) => key;
        }

        [Serializable]
        private sealed class ValueEnumerator : Walker<TValue>
        {
            internal ValueEnumerator(SmallDictionary<TKey, TValue> map) : base(map) { }

            protected override TValue Project(TKey key, TValue value) => value;
        }

        /// <summary>The keys or the values, live and read-only, as Dictionary's KeyCollection and ValueCollection.</summary>
        [Serializable]
        private abstract class View<T> : ICollection<T>
        {
            protected readonly SmallDictionary<TKey, TValue> Map;

            protected View(SmallDictionary<TKey, TValue> map) => Map = map;

            public int Count => Map.Count;

            public bool IsReadOnly => true;

            public abstract bool Contains(T item);

            public void CopyTo(T[] array, int arrayIndex)
            {
                if (Map._large != null)
                {
                    Large().CopyTo(array, arrayIndex);
                    return;
                }

                CheckCopyTo(array, arrayIndex, Map.Count);
                for (var i = 0; i < Map._slots; i++)
                    if (Map._keys[i] != null) array[arrayIndex++] = At(i);
            }

            public IEnumerator<T> GetEnumerator() =>
                Map._large != null ? ((IEnumerable<T>)Large()).GetEnumerator() : Map.Count == 0 ? NoItems<T>() : Walk();

            IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

            public void Add(T item) => throw ReadOnly();

            public bool Remove(T item) => throw ReadOnly();

            public void Clear() => throw ReadOnly();

            protected abstract ICollection<T> Large();

            protected abstract T At(int slot);

            protected abstract IEnumerator<T> Walk();

            private NotSupportedException ReadOnly() =>
                new NotSupportedException($"Mutating a {(this is KeyView ? "key" : "value")} collection derived from a dictionary is not allowed.");
        }

        [Serializable]
        private sealed class KeyView : View<TKey>
        {
            internal KeyView(SmallDictionary<TKey, TValue> map) : base(map) { }

            public override bool Contains(TKey item) => Map.ContainsKey(item);

            protected override ICollection<TKey> Large() => Map._large.Keys;

            protected override TKey At(int slot) => Map._keys[slot];

            protected override IEnumerator<TKey> Walk() => new KeyEnumerator(Map);
        }

        [Serializable]
        private sealed class ValueView : View<TValue>
        {
            internal ValueView(SmallDictionary<TKey, TValue> map) : base(map) { }

            public override bool Contains(TValue item)
            {
                if (Map._large != null) return Map._large.ContainsValue(item);
                var comparer = EqualityComparer<TValue>.Default;
                for (var i = 0; i < Map._slots; i++)
                    if (Map._keys[i] != null && comparer.Equals(Map._values[i], item)) return true;
                return false;
            }

            protected override ICollection<TValue> Large() => Map._large.Values;

            protected override TValue At(int slot) => Map._values[slot];

            protected override IEnumerator<TValue> Walk() => new ValueEnumerator(Map);
        }
    }
}
