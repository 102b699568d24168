
namespace CrmPlugins.Emulator
{
    /// <summary>A relationship the emulator can Associate / Disassociate through.</summary>
    public sealed class RelationshipMetadata
    {
        private RelationshipMetadata(string schemaName, bool manyToMany, string entity1, string entity1Attribute, string entity2, string entity2Attribute, string? intersect)
        {
            SchemaName = schemaName;
            IsManyToMany = manyToMany;
            Entity1 = entity1;
            Entity1Attribute = entity1Attribute;
            Entity2 = entity2;
            Entity2Attribute = entity2Attribute;
            IntersectEntity = intersect;
        }

        public string SchemaName { get; }

        public bool IsManyToMany { get; }

        /// <summary>N:N: the first table; 1:N: the referenced (one) table.</summary>
        public string Entity1 { get; }

        /// <summary>N:N: the intersect column pointing to Entity1; 1:N: the referenced table's id column.</summary>
        public string Entity1Attribute { get; }

        /// <summary>N:N: the second table; 1:N: the referencing (many) table.</summary>
        public string Entity2 { get; }

        /// <summary>N:N: the intersect column pointing to Entity2; 1:N: the lookup column on the referencing table.</summary>
        public string Entity2Attribute { get; }

        public string? IntersectEntity { get; }

        public static RelationshipMetadata ManyToMany(string schemaName, string intersectEntity, string entity1, string entity1Attribute, string entity2, string entity2Attribute) =>
            new(schemaName, true, entity1, entity1Attribute, entity2, entity2Attribute, intersectEntity);

        public static RelationshipMetadata OneToMany(string schemaName, string referencedEntity, string referencingEntity, string lookupAttribute) =>
            new(schemaName, false, referencedEntity, referencedEntity + "id", referencingEntity, lookupAttribute, null);
    }
}
