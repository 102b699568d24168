using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.Serialization;
using Microsoft.Xrm.Sdk.Client;

namespace Microsoft.Xrm.Sdk
{
    /// <summary>A row of a Dataverse table: its logical name, id and columns.</summary>
    [DataContract(Name = "Entity", Namespace = Contracts.V2011)]
    public class Entity : IExtensibleDataObject
    {
        private string _logicalName;
        private Guid _id;
        private AttributeCollection _attributes;
        private FormattedValueCollection _formattedValues;
        private RelatedEntityCollection _relatedEntities;
        private KeyAttributeCollection _keyAttributes;

        public Entity()
            : this((string)null)
        {
        }

        public Entity(string entityName)
        {
            _logicalName = entityName;
        }

        public Entity(string entityName, Guid id)
            : this(entityName)
        {
            _id = id;
        }

        /// <summary>A row identified by one alternate-key column.</summary>
        public Entity(string entityName, string keyName, object keyValue)
            : this(entityName)
        {
            KeyAttributes[keyName] = keyValue;
        }

        /// <summary>A row identified by its alternate-key columns.</summary>
        public Entity(string entityName, KeyAttributeCollection keyAttributes)
            : this(entityName)
        {
            _keyAttributes = keyAttributes;
        }

        /// <summary>The table's logical name. It can be set again to another name, as with Microsoft's SDK (only
        /// <see cref="ToEntity{T}"/> checks it against an early-bound class).</summary>
        [DataMember]
        public string LogicalName
        {
            get => _logicalName;
            set => _logicalName = value;
        }

        /// <summary>The row's id (<see cref="Guid.Empty"/> until known). Setting it does not set the primary key column.</summary>
        [DataMember]
        public virtual Guid Id
        {
            get => _id;
            set => _id = value;
        }

        [DataMember]
        public AttributeCollection Attributes
        {
            get => _attributes ?? (_attributes = new AttributeCollection());
            set => _attributes = value;
        }

        [DataMember]
        public EntityState? EntityState { get; set; }

        [DataMember]
        public FormattedValueCollection FormattedValues
        {
            get => _formattedValues ?? (_formattedValues = new FormattedValueCollection());
            set => _formattedValues = value;
        }

        [DataMember]
        public RelatedEntityCollection RelatedEntities
        {
            get => _relatedEntities ?? (_relatedEntities = new RelatedEntityCollection());
            set => _relatedEntities = value;
        }

        /// <summary>The version stamp the platform returns; used for optimistic concurrency.</summary>
        [DataMember]
        public string RowVersion { get; set; }

        [DataMember]
        public KeyAttributeCollection KeyAttributes
        {
            get => _keyAttributes ?? (_keyAttributes = new KeyAttributeCollection());
            set => _keyAttributes = value;
        }

        public ExtensionDataObject ExtensionData { get; set; }

        /// <summary>Gets or sets a column. Getting a column the entity does not contain throws
        /// <see cref="KeyNotFoundException"/>; use <see cref="GetAttributeValue{T}"/> for a default.</summary>
        public object this[string attributeName]
        {
            get => Attributes[attributeName];
            set => Attributes[attributeName] = value;
        }

        /// <summary>True when the column is present, even with a null value.</summary>
        public bool Contains(string attributeName) => Attributes.Contains(attributeName);

        /// <summary>The column's value, or <c>default(T)</c> when the column is missing or null.
        /// A value of another type throws <see cref="InvalidCastException"/>; a null, empty or blank name
        /// <see cref="ArgumentNullException"/>, as with Microsoft's SDK.</summary>
        public virtual T GetAttributeValue<T>(string attributeLogicalName)
        {
            if (string.IsNullOrWhiteSpace(attributeLogicalName)) throw new ArgumentNullException(nameof(attributeLogicalName));
            if (!Attributes.TryGetValue(attributeLogicalName, out var value) || value == null) return default(T);
            return (T)value;
        }

        /// <summary>Gets the column's value when present and of type <typeparamref name="T"/> (false for a null name).</summary>
        public bool TryGetAttributeValue<T>(string attributeKey, out T result)
        {
            if (attributeKey != null && Attributes.TryGetValue(attributeKey, out var value) && value is T typed)
            {
                result = typed;
                return true;
            }

            result = default(T);
            return false;
        }

        /// <summary>Sets (adds or replaces) a column. Protected, as in Microsoft's SDK: early-bound classes use it.</summary>
        protected virtual void SetAttributeValue(string attributeLogicalName, object value)
        {
            if (string.IsNullOrWhiteSpace(attributeLogicalName)) throw new ArgumentNullException(nameof(attributeLogicalName));
            Attributes[attributeLogicalName] = value;
        }

        /// <summary>The formatted text of a column, or an empty string when there is none. Protected, as in Microsoft's SDK.</summary>
        protected virtual string GetFormattedAttributeValue(string attributeLogicalName)
        {
            if (attributeLogicalName == null) throw new ArgumentNullException(nameof(attributeLogicalName));
            return FormattedValues.TryGetValue(attributeLogicalName, out var text) ? text : string.Empty;
        }

        /// <summary>A reference to this row: its logical name (null when unset), id and row version, as Microsoft's
        /// SDK makes it (no alternate keys, no primary name).</summary>
        public EntityReference ToEntityReference() => new EntityReference(LogicalName, Id) { RowVersion = RowVersion };

        /// <summary>A shallow copy of this row as <typeparamref name="T"/>: <see cref="Entity"/>, or an
        /// early-bound class whose <see cref="EntityLogicalNameAttribute"/> matches the logical name.</summary>
        public T ToEntity<T>() where T : Entity
        {
            if (typeof(T) == typeof(Entity))
            {
                var copy = new Entity();
                ShallowCopyTo(copy);
                return (T)copy;
            }

            if (string.IsNullOrWhiteSpace(_logicalName))
                throw new NotSupportedException("LogicalName must be set before calling ToEntity()");
            var attribute = typeof(T).GetCustomAttributes(typeof(EntityLogicalNameAttribute), true)
                .OfType<EntityLogicalNameAttribute>().FirstOrDefault();
            if (attribute == null || string.IsNullOrWhiteSpace(attribute.LogicalName))
                throw new NotSupportedException("Cannot convert to type that is does not have EntityLogicalNameAttribute");
            if (attribute.LogicalName != _logicalName)
                throw new NotSupportedException("Cannot convert entity " + _logicalName + " to " + attribute.LogicalName);
            var target = (T)Activator.CreateInstance(typeof(T));
            ShallowCopyTo(target);
            return target;
        }

        /// <summary>The single related row through a relationship, or null.</summary>
        protected virtual TEntity GetRelatedEntity<TEntity>(string relationshipSchemaName, EntityRole? primaryEntityRole) where TEntity : Entity
        {
            var key = new Relationship(relationshipSchemaName) { PrimaryEntityRole = primaryEntityRole };
            if (!RelatedEntities.TryGetValue(key, out var collection) || collection.Entities.Count == 0) return null;
            return collection.Entities[0].ToEntity<TEntity>();
        }

        /// <summary>Sets (or with null removes) the single related row through a relationship.</summary>
        protected virtual void SetRelatedEntity<TEntity>(string relationshipSchemaName, EntityRole? primaryEntityRole, TEntity entity) where TEntity : Entity
        {
            var key = new Relationship(relationshipSchemaName) { PrimaryEntityRole = primaryEntityRole };
            if (entity == null)
            {
                RelatedEntities.Remove(key);
                return;
            }

            RelatedEntities[key] = new EntityCollection(new List<Entity> { entity }) { EntityName = entity.LogicalName };
        }

        /// <summary>The related rows through a relationship, or null.</summary>
        protected virtual IEnumerable<TEntity> GetRelatedEntities<TEntity>(string relationshipSchemaName, EntityRole? primaryEntityRole) where TEntity : Entity
        {
            var key = new Relationship(relationshipSchemaName) { PrimaryEntityRole = primaryEntityRole };
            if (!RelatedEntities.TryGetValue(key, out var collection)) return null;
            return collection.Entities.Select(e => e.ToEntity<TEntity>()).ToList();
        }

        /// <summary>Sets (or with null removes) the related rows through a relationship.</summary>
        protected virtual void SetRelatedEntities<TEntity>(string relationshipSchemaName, EntityRole? primaryEntityRole, IEnumerable<TEntity> entities) where TEntity : Entity
        {
            var key = new Relationship(relationshipSchemaName) { PrimaryEntityRole = primaryEntityRole };
            if (entities == null)
            {
                RelatedEntities.Remove(key);
                return;
            }

            var list = entities.Cast<Entity>().ToList();
            RelatedEntities[key] = new EntityCollection(list) { EntityName = list.Count > 0 ? list[0].LogicalName : null };
        }

        private void ShallowCopyTo(Entity target)
        {
            target._logicalName = _logicalName;
            target.Id = Id;
            target.EntityState = EntityState;
            target.RowVersion = RowVersion;
            target.ExtensionData = ExtensionData;
            target.Attributes = Attributes;
            target.FormattedValues = FormattedValues;
            target.RelatedEntities = RelatedEntities;
            target.KeyAttributes = KeyAttributes;
        }
    }

    /// <summary>A reference to a row: its table's logical name and id (or alternate keys).</summary>
    [DataContract(Name = "EntityReference", Namespace = Contracts.V2011)]
    [Serializable]
    public sealed class EntityReference : IExtensibleDataObject
    {
        private KeyAttributeCollection _keyAttributes;

        public EntityReference() { }

        public EntityReference(string logicalName)
        {
            LogicalName = logicalName;
        }

        public EntityReference(string logicalName, Guid id)
        {
            LogicalName = logicalName;
            Id = id;
        }

        public EntityReference(string logicalName, string keyName, object keyValue)
        {
            LogicalName = logicalName;
            KeyAttributes[keyName] = keyValue;
        }

        public EntityReference(string logicalName, KeyAttributeCollection keyAttributeCollection)
        {
            LogicalName = logicalName;
            _keyAttributes = keyAttributeCollection;
        }

        [DataMember]
        public Guid Id { get; set; }

        [DataMember]
        public string LogicalName { get; set; }

        /// <summary>The primary name of the referenced row, as the platform returns it (informational).</summary>
        [DataMember]
        public string Name { get; set; }

        [DataMember]
        public KeyAttributeCollection KeyAttributes
        {
            get => _keyAttributes ?? (_keyAttributes = new KeyAttributeCollection());
            set => _keyAttributes = value;
        }

        [DataMember]
        public string RowVersion { get; set; }

        [NonSerialized]
        private ExtensionDataObject _extensionData;

        public ExtensionDataObject ExtensionData
        {
            get => _extensionData;
            set => _extensionData = value;
        }

        /// <summary>Two references are equal when id, logical name (ordinal) and alternate keys (the same columns with
        /// equal values, in any order) are; the name and row version are not compared. As Microsoft's SDK.</summary>
        public override bool Equals(object obj)
        {
            if (ReferenceEquals(this, obj)) return true;
            if (!(obj is EntityReference other) || other.Id != Id || !string.Equals(other.LogicalName, LogicalName, StringComparison.Ordinal))
                return false;
            var mine = _keyAttributes?.Count ?? 0;
            var theirs = other._keyAttributes?.Count ?? 0;
            if (mine != theirs) return false;
            if (mine == 0) return true;
            foreach (var key in _keyAttributes)
                if (!other._keyAttributes.TryGetValue(key.Key, out var value) || !Equals(key.Value, value)) return false;
            return true;
        }

        public override int GetHashCode()
        {
            var hash = Id.GetHashCode() ^ (LogicalName?.GetHashCode() ?? 0);
            if (_keyAttributes != null)
                foreach (var key in _keyAttributes) hash ^= key.Key.GetHashCode() ^ (key.Value?.GetHashCode() ?? 0);
            return hash;
        }
    }

    /// <summary>A page of rows returned by RetrieveMultiple, with the paging state.</summary>
    [DataContract(Name = "EntityCollection", Namespace = Contracts.V2011)]
    public sealed class EntityCollection : IExtensibleDataObject
    {
        private DataCollection<Entity> _entities;

        public EntityCollection() { }

        public EntityCollection(IList<Entity> list)
        {
            Entities.AddRange(list);
        }

        [DataMember]
        public DataCollection<Entity> Entities
        {
            get => _entities ?? (_entities = new DataCollection<Entity>());
            set => _entities = value;
        }

        /// <summary>True when another page follows this one.</summary>
        [DataMember]
        public bool MoreRecords { get; set; }

        /// <summary>The cookie that asks for the next page.</summary>
        [DataMember]
        public string PagingCookie { get; set; }

        [DataMember]
        public string MinActiveRowVersion { get; set; }

        /// <summary>The total count when the query asked for it, else -1.</summary>
        [DataMember]
        public int TotalRecordCount { get; set; }

        [DataMember]
        public bool TotalRecordCountLimitExceeded { get; set; }

        public Entity this[int index]
        {
            get => Entities[index];
            set => Entities[index] = value;
        }

        [DataMember]
        public string EntityName { get; set; }

        public ExtensionDataObject ExtensionData { get; set; }
    }
}
