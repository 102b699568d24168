using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Runtime.Serialization;
using Microsoft.Xrm.Sdk.Query;

namespace Microsoft.Xrm.Sdk
{
    /// <summary>A list of SDK values (columns, conditions, entities...). As Microsoft's, a
    /// <see cref="Collection{T}"/> with range helpers.</summary>
    [Serializable]
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
    [Serializable]
    public abstract class DataCollection<TKey, TValue> : IEnumerable<KeyValuePair<TKey, TValue>>, IEnumerable
    {
        // Made on the first write (or when Keys or Values, live views, are asked for): most rows have no formatted values
        // or alternate keys, and an emulated org of a million rows would hold an empty dictionary for each.
        private IDictionary<TKey, TValue> _inner;

        /// <summary>Wraps the dictionary given (not a copy). Protected internal, as in Microsoft's SDK: in Dataverse's
        /// sandbox a plugin cannot call it, so plugins fill a collection through its indexer or <c>Add</c>.</summary>
        protected internal DataCollection(IDictionary<TKey, TValue> collection)
        {
            _inner = collection ?? throw new ArgumentNullException(nameof(collection));
        }

        protected internal DataCollection()
        {
        }

        private IDictionary<TKey, TValue> Inner => _inner ?? (_inner = Own(0));

        // The store a collection makes for itself is compact (SmallDictionary: a million rows held two arrays each instead
        // of a Dictionary's object, buckets and entries); one given through the constructor above stays as it is.
        private static IDictionary<TKey, TValue> Own(int capacity) =>
            SmallDictionary<TKey, TValue>.Supported ? new SmallDictionary<TKey, TValue>(capacity) : (IDictionary<TKey, TValue>)new Dictionary<TKey, TValue>(capacity);

        // What reads see before the first write: always empty, never written to.
        private static readonly Dictionary<TKey, TValue> Empty = new Dictionary<TKey, TValue>();

        private IDictionary<TKey, TValue> Read => _inner ?? Empty;

        /// <summary>Gets or sets the value for a key; getting a missing key throws <see cref="KeyNotFoundException"/>.</summary>
        public virtual TValue this[TKey key]
        {
            get => Read[key];
            set => Inner[key] = value;
        }

        public int Count => _inner?.Count ?? 0;

        public ICollection<TKey> Keys => Inner.Keys;

        public ICollection<TValue> Values => Inner.Values;

        public virtual bool IsReadOnly => _inner?.IsReadOnly ?? false;

        public void Add(KeyValuePair<TKey, TValue> item) => Inner.Add(item);

        public void AddRange(params KeyValuePair<TKey, TValue>[] items)
        {
            if (items == null) return;
            if (_inner == null && items.Length > 0) _inner = Own(items.Length);
            foreach (var item in items) Inner.Add(item);
        }

        public void AddRange(IEnumerable<KeyValuePair<TKey, TValue>> items)
        {
            if (items == null) return;
            // Sized once for what comes: a row built this way holds no room it will never use.
            if (_inner == null && items is ICollection<KeyValuePair<TKey, TValue>> known) _inner = Own(known.Count);

            foreach (var item in items) Inner.Add(item);
        }

        /// <summary>Adds a value; throws <see cref="ArgumentException"/> when the key is already there.</summary>
        public void Add(TKey key, TValue value) => Inner.Add(key, value);

        public void Clear() => _inner?.Clear();

        /// <summary>True when the key is present (even with a null value).</summary>
        public bool Contains(TKey key) => Read.ContainsKey(key);

        public bool Contains(KeyValuePair<TKey, TValue> key) => Read.Contains(key);

        public bool TryGetValue(TKey key, out TValue value) => Read.TryGetValue(key, out value);

        public void CopyTo(KeyValuePair<TKey, TValue>[] array, int arrayIndex) => Read.CopyTo(array, arrayIndex);

        public bool ContainsKey(TKey key) => Read.ContainsKey(key);

        public bool Remove(TKey key) => Read.Remove(key);

        public bool Remove(KeyValuePair<TKey, TValue> item) => Read.Remove(item);

        public IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator() => Read.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>The columns of an <see cref="Entity"/>, keyed by logical name.</summary>
    [CollectionDataContract(Name = "AttributeCollection", Namespace = Contracts.V2011)]
    [KnownType("GetKnownParameterTypes")]
    public sealed class AttributeCollection : DataCollection<string, object>
    {
        public AttributeCollection() { }

#pragma warning disable CS0628 // protected internal in a sealed class: Microsoft's access, exactly
        protected internal AttributeCollection(IDictionary<string, object> collection) : base(collection) { }
#pragma warning restore CS0628

        private static IEnumerable<Type> GetKnownParameterTypes() => Contracts.ParameterTypes;
    }

    /// <summary>Display text of column values (option labels, formatted money), keyed by logical name.</summary>
    [CollectionDataContract(Name = "FormattedValueCollection", Namespace = Contracts.V2011)]
    public sealed class FormattedValueCollection : DataCollection<string, string>
    {
        public FormattedValueCollection() { }

#pragma warning disable CS0628 // protected internal in a sealed class: Microsoft's access, exactly
        protected internal FormattedValueCollection(IDictionary<string, string> collection) : base(collection) { }
#pragma warning restore CS0628
    }

    /// <summary>Extra details of a service fault.</summary>
    [CollectionDataContract(Name = "ErrorDetailCollection", Namespace = Contracts.V2011)]
    [Serializable]
    public sealed class ErrorDetailCollection : DataCollection<string, object>
    {
        public ErrorDetailCollection() { }
    }

    /// <summary>Request, response, input, output and shared-variable parameters, keyed by name.</summary>
    [CollectionDataContract(Name = "ParameterCollection", Namespace = Contracts.V2011)]
    [KnownType("GetKnownParameterTypes")]
    public class ParameterCollection : DataCollection<string, object>
    {
        public ParameterCollection() { }

        protected ParameterCollection(IDictionary<string, object> collection) : base(collection) { }

        /// <summary>Sets the parameter when <paramref name="obj"/> is not null; does nothing otherwise.</summary>
        public void AddOrUpdateIfNotNull(string key, object obj)
        {
            if (obj != null) this[key] = obj;
        }

        private static IEnumerable<Type> GetKnownParameterTypes() => Contracts.ParameterTypes;

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
    [CollectionDataContract(Name = "EntityImageCollection", Namespace = Contracts.V2011)]
    public class EntityImageCollection : DataCollection<string, Entity>
    {
        public EntityImageCollection() { }

        protected internal EntityImageCollection(IDictionary<string, Entity> collection) : base(collection) { }
    }

    /// <summary>Related rows of an entity, keyed by relationship.</summary>
    [CollectionDataContract(Name = "RelatedEntityCollection", Namespace = Contracts.V2011)]
    public sealed class RelatedEntityCollection : DataCollection<Relationship, EntityCollection>
    {
        public RelatedEntityCollection() { }
    }

    /// <summary>Alternate-key values that identify a row, keyed by column logical name.</summary>
    [CollectionDataContract(Name = "KeyAttributeCollection", Namespace = Contracts.V71)]
    [Serializable]
    public sealed class KeyAttributeCollection : DataCollection<string, object>
    {
        public KeyAttributeCollection() { }

#pragma warning disable CS0628 // protected internal in a sealed class: Microsoft's access, exactly
        protected internal KeyAttributeCollection(IDictionary<string, object> collection) : base(collection) { }
#pragma warning restore CS0628
    }

    /// <summary>A list of entity references (Associate / Disassociate targets).</summary>
    [CollectionDataContract(Name = "EntityReferenceCollection", Namespace = Contracts.V2011)]
    public sealed class EntityReferenceCollection : DataCollection<EntityReference>
    {
        public EntityReferenceCollection() { }

        public EntityReferenceCollection(IList<EntityReference> list)
        {
            AddRange(list);
        }
    }

    /// <summary>The values of a multi-select choice column.</summary>
    [CollectionDataContract(Name = "OptionSetValueCollection", Namespace = Contracts.V90)]
    public sealed class OptionSetValueCollection : DataCollection<OptionSetValue>
    {
        public OptionSetValueCollection() { }

        public OptionSetValueCollection(IList<OptionSetValue> list)
        {
            AddRange(list);
        }
    }

    /// <summary>The requests of an ExecuteMultiple or ExecuteTransaction request.</summary>
    [CollectionDataContract(Name = "OrganizationRequestCollection", Namespace = Contracts.V2012)]
    [KnownType(typeof(EntityImageCollection))]
    public sealed class OrganizationRequestCollection : DataCollection<OrganizationRequest>
    {
        public OrganizationRequestCollection() { }
    }

    /// <summary>The responses of an ExecuteTransaction request.</summary>
    [CollectionDataContract(Name = "OrganizationResponseCollection", Namespace = Contracts.V71)]
    public sealed class OrganizationResponseCollection : DataCollection<OrganizationResponse>
    {
        public OrganizationResponseCollection() { }
    }
}

namespace Microsoft.Xrm.Sdk
{
    /// <summary>The data-contract namespaces of Microsoft's SDK (one a version of the contracts), and the value types a
    /// parameter or column may hold, so that the same XML is written and read as with Microsoft's assemblies.</summary>
    internal static class Contracts
    {
        public const string V2011 = "http://schemas.microsoft.com/xrm/2011/Contracts";
        public const string V2012 = "http://schemas.microsoft.com/xrm/2012/Contracts";
        public const string V71 = "http://schemas.microsoft.com/xrm/7.1/Contracts";
        public const string V90 = "http://schemas.microsoft.com/xrm/9.0/Contracts";
        public const string Crm2011 = "http://schemas.microsoft.com/crm/2011/Contracts";

        public static readonly Type[] ParameterTypes =
        {
            typeof(AliasedValue), typeof(Entity), typeof(Entity[]), typeof(EntityCollection), typeof(EntityReference),
            typeof(EntityReference[]), typeof(EntityReferenceCollection), typeof(Money), typeof(OptionSetValue),
            typeof(OptionSetValue[]), typeof(OptionSetValueCollection), typeof(Relationship), typeof(ColumnSet),
            typeof(QueryExpression), typeof(QueryByAttribute), typeof(FetchExpression), typeof(PagingInfo),
            typeof(EntityState), typeof(EntityRole), typeof(OrganizationRequest), typeof(OrganizationResponse),
            typeof(OrganizationRequestCollection), typeof(OrganizationResponseCollection), typeof(ExecuteMultipleSettings),
            typeof(ExecuteMultipleResponseItemCollection), typeof(ParameterCollection), typeof(Guid[]), typeof(string[]),
            typeof(int[]), typeof(bool[]), typeof(decimal[]), typeof(double[]), typeof(long[]), typeof(DateTime[]),
        };
    }
}
