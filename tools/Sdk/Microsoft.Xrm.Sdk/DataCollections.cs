using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace Microsoft.Xrm.Sdk
{
    /// <summary>A list of SDK values (columns, conditions, entities...). As Microsoft's, a
    /// <see cref="Collection{T}"/> with range helpers.</summary>
    public class DataCollection<T> : Collection<T>
    {
        // Microsoft's DataCollection<T> has no public constructor: only the SDK creates one.
        internal DataCollection() { }

        /// <summary>Appends every item in order.</summary>
        public void AddRange(params T[] items)
        {
            if (items == null) return;
            foreach (var item in items) Add(item);
        }

        /// <summary>Appends every item in order.</summary>
        public void AddRange(IEnumerable<T> items)
        {
            if (items == null) return;
            foreach (var item in items) Add(item);
        }

        /// <summary>Copies the items into a new array.</summary>
        public T[] ToArray()
        {
            var array = new T[Count];
            CopyTo(array, 0);
            return array;
        }
    }

    /// <summary>A dictionary of SDK values keyed by name (attributes, parameters, images). As in
    /// Microsoft's SDK, keys are compared ordinally (case-sensitive), the indexer throws
    /// <see cref="KeyNotFoundException"/> for a missing key, and <c>Add</c> rejects a duplicate key.</summary>
    public abstract class DataCollection<TKey, TValue> : IEnumerable<KeyValuePair<TKey, TValue>>, IEnumerable
    {
        private readonly IDictionary<TKey, TValue> _inner;

        protected DataCollection(IDictionary<TKey, TValue> dictionary)
        {
            _inner = dictionary ?? throw new ArgumentNullException(nameof(dictionary));
        }

        protected DataCollection()
            : this(new Dictionary<TKey, TValue>())
        {
        }

        /// <summary>Gets or sets the value for a key; getting a missing key throws <see cref="KeyNotFoundException"/>.</summary>
        public TValue this[TKey key]
        {
            get => _inner[key];
            set => _inner[key] = value;
        }

        public int Count => _inner.Count;

        public ICollection<TKey> Keys => _inner.Keys;

        public ICollection<TValue> Values => _inner.Values;

        public bool IsReadOnly => _inner.IsReadOnly;

        public void Add(KeyValuePair<TKey, TValue> item) => _inner.Add(item);

        public void AddRange(params KeyValuePair<TKey, TValue>[] items)
        {
            if (items == null) return;
            foreach (var item in items) _inner.Add(item);
        }

        public void AddRange(IEnumerable<KeyValuePair<TKey, TValue>> items)
        {
            if (items == null) return;
            foreach (var item in items) _inner.Add(item);
        }

        /// <summary>Adds a value; throws <see cref="ArgumentException"/> when the key is already there.</summary>
        public void Add(TKey key, TValue value) => _inner.Add(key, value);

        public void Clear() => _inner.Clear();

        /// <summary>True when the key is present (even with a null value).</summary>
        public bool Contains(TKey key) => _inner.ContainsKey(key);

        public bool Contains(KeyValuePair<TKey, TValue> key) => _inner.Contains(key);

        public bool TryGetValue(TKey key, out TValue value) => _inner.TryGetValue(key, out value);

        public void CopyTo(KeyValuePair<TKey, TValue>[] array, int index) => _inner.CopyTo(array, index);

        public bool ContainsKey(TKey key) => _inner.ContainsKey(key);

        public bool Remove(TKey key) => _inner.Remove(key);

        public bool Remove(KeyValuePair<TKey, TValue> item) => _inner.Remove(item);

        public IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator() => _inner.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => _inner.GetEnumerator();
    }

    /// <summary>The columns of an <see cref="Entity"/>, keyed by logical name.</summary>
    public sealed class AttributeCollection : DataCollection<string, object>
    {
        public AttributeCollection() { }

        public AttributeCollection(IDictionary<string, object> dictionary) : base(dictionary) { }
    }

    /// <summary>Display text of column values (option labels, formatted money), keyed by logical name.</summary>
    public sealed class FormattedValueCollection : DataCollection<string, string>
    {
        public FormattedValueCollection() { }

        public FormattedValueCollection(IDictionary<string, string> dictionary) : base(dictionary) { }
    }

    /// <summary>Extra details of a service fault.</summary>
    public sealed class ErrorDetailCollection : DataCollection<string, object>
    {
        public ErrorDetailCollection() { }
    }

    /// <summary>Request, response, input, output and shared-variable parameters, keyed by name.</summary>
    public class ParameterCollection : DataCollection<string, object>
    {
        public ParameterCollection() { }

        public ParameterCollection(IDictionary<string, object> dictionary) : base(dictionary) { }

        /// <summary>Sets the parameter when <paramref name="value"/> is not null; does nothing otherwise.</summary>
        public void AddOrUpdateIfNotNull(string key, object value)
        {
            if (value != null) this[key] = value;
        }

        /// <summary>Gets the parameter as <typeparamref name="T"/>; false when it is missing or of another type.</summary>
        public bool TryGetValue<T>(string key, out T value)
        {
            // base.: in this class, TryGetValue(key, out object) would bind to this method again.
            if (base.TryGetValue(key, out var raw) && raw is T typed)
            {
                value = typed;
                return true;
            }

            value = default(T);
            return false;
        }
    }

    /// <summary>Pre- or post-images of a plugin step, keyed by the image's entity alias.</summary>
    public class EntityImageCollection : DataCollection<string, Entity>
    {
        public EntityImageCollection() { }

        public EntityImageCollection(IDictionary<string, Entity> dictionary) : base(dictionary) { }
    }

    /// <summary>Related rows of an entity, keyed by relationship.</summary>
    public sealed class RelatedEntityCollection : DataCollection<Relationship, EntityCollection>
    {
        public RelatedEntityCollection() { }
    }

    /// <summary>Alternate-key values that identify a row, keyed by column logical name.</summary>
    public sealed class KeyAttributeCollection : DataCollection<string, object>
    {
        public KeyAttributeCollection() { }

        public KeyAttributeCollection(IDictionary<string, object> dictionary) : base(dictionary) { }
    }

    /// <summary>A list of entity references (Associate / Disassociate targets).</summary>
    public sealed class EntityReferenceCollection : DataCollection<EntityReference>
    {
        public EntityReferenceCollection() { }

        public EntityReferenceCollection(IList<EntityReference> list)
        {
            AddRange(list);
        }
    }

    /// <summary>The values of a multi-select choice column.</summary>
    public sealed class OptionSetValueCollection : DataCollection<OptionSetValue>
    {
        public OptionSetValueCollection() { }

        public OptionSetValueCollection(IList<OptionSetValue> list)
        {
            AddRange(list);
        }
    }

    /// <summary>The requests of an ExecuteMultiple or ExecuteTransaction request.</summary>
    public sealed class OrganizationRequestCollection : DataCollection<OrganizationRequest>
    {
        public OrganizationRequestCollection() { }
    }

    /// <summary>The responses of an ExecuteTransaction request.</summary>
    public sealed class OrganizationResponseCollection : DataCollection<OrganizationResponse>
    {
        public OrganizationResponseCollection() { }
    }
}
