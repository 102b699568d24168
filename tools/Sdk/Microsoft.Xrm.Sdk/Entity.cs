using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.Serialization;
using Microsoft.Xrm.Sdk.Client;

namespace Microsoft.Xrm.Sdk
{
    /// <summary>A row of a Dataverse table: its logical name, id and columns.</summary>
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

        /// <summary>The table's logical name. Once set it cannot be changed to another name
        /// (<see cref="NotSupportedException"/>), as in Microsoft's SDK.</summary>
        public string LogicalName
        {
            get => _logicalName;
            set
            {
                if (!string.IsNullOrWhiteSpace(_logicalName) && _logicalName != value)
                    throw new NotSupportedException("Changing the logical name of an entity is not supported.");
                _logicalName = value;
            }
        }

        /// <summary>The row's id (<see cref="Guid.Empty"/> until known). Setting it does not set the primary key column.</summary>
        public virtual Guid Id
        {
            get => _id;
            set => _id = value;
        }

        public AttributeCollection Attributes
        {
            get => _attributes ?? (_attributes = new AttributeCollection());
            set => _attributes = value;
        }

        public EntityState? EntityState { get; set; }

        public FormattedValueCollection FormattedValues
        {
            get => _formattedValues ?? (_formattedValues = new FormattedValueCollection());
            set => _formattedValues = value;
        }

        public RelatedEntityCollection RelatedEntities
        {
            get => _relatedEntities ?? (_relatedEntities = new RelatedEntityCollection());
            set => _relatedEntities = value;
        }

        /// <summary>The version stamp the platform returns; used for optimistic concurrency.</summary>
        public string RowVersion { get; set; }

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
        /// A value of another type throws <see cref="InvalidCastException"/>.</summary>
        public virtual T GetAttributeValue<T>(string attributeLogicalName)
        {
            if (attributeLogicalName == null) throw new ArgumentNullException(nameof(attributeLogicalName));
            if (!Attributes.TryGetValue(attributeLogicalName, out var value) || value == null) return default(T);
            return (T)value;
        }

        /// <summary>Gets the column's value when present and of type <typeparamref name="T"/>.</summary>
        public bool TryGetAttributeValue<T>(string attributeKey, out T result)
        {
            if (Attributes.TryGetValue(attributeKey, out var value) && value is T typed)
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

        /// <summary>A reference to this row (logical name, id, alternate keys and row version).</summary>
        public EntityReference ToEntityReference()
        {
            if (string.IsNullOrWhiteSpace(LogicalName))
                throw new NotSupportedException("LogicalName must be set before calling ToEntityReference()");
            return new EntityReference(LogicalName, Id)
            {
                KeyAttributes = _keyAttributes,
                RowVersion = RowVersion,
            };
        }

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

        public Guid Id { get; set; }

        public string LogicalName { get; set; }

        /// <summary>The primary name of the referenced row, as the platform returns it (informational).</summary>
        public string Name { get; set; }

        public KeyAttributeCollection KeyAttributes
        {
            get => _keyAttributes ?? (_keyAttributes = new KeyAttributeCollection());
            set => _keyAttributes = value;
        }

        public string RowVersion { get; set; }

        public ExtensionDataObject ExtensionData { get; set; }

        /// <summary>Two references are equal when both id and logical name are equal (the name is not compared).</summary>
        public override bool Equals(object obj)
        {
            if (ReferenceEquals(this, obj)) return true;
            return obj is EntityReference other && other.Id == Id && string.Equals(other.LogicalName, LogicalName, StringComparison.Ordinal);
        }

        public override int GetHashCode() => Id.GetHashCode() ^ (LogicalName?.GetHashCode() ?? 0);
    }

    /// <summary>A page of rows returned by RetrieveMultiple, with the paging state.</summary>
    public sealed class EntityCollection : IExtensibleDataObject
    {
        private DataCollection<Entity> _entities;

        public EntityCollection() { }

        public EntityCollection(IList<Entity> list)
        {
            Entities.AddRange(list);
        }

        public DataCollection<Entity> Entities
        {
            get => _entities ?? (_entities = new DataCollection<Entity>());
            set => _entities = value;
        }

        /// <summary>True when another page follows this one.</summary>
        public bool MoreRecords { get; set; }

        /// <summary>The cookie that asks for the next page.</summary>
        public string PagingCookie { get; set; }

        public string MinActiveRowVersion { get; set; }

        /// <summary>The total count when the query asked for it, else -1.</summary>
        public int TotalRecordCount { get; set; }

        public bool TotalRecordCountLimitExceeded { get; set; }

        public Entity this[int index]
        {
            get => Entities[index];
            set => Entities[index] = value;
        }

        public string EntityName { get; set; }

        public ExtensionDataObject ExtensionData { get; set; }
    }
}
