using System;
using System.Collections.Generic;
using System.Runtime.Serialization;

namespace Microsoft.Xrm.Sdk
{
    /// <summary>A currency amount. Two Money values are equal when their amounts are equal.</summary>
    [DataContract(Name = "Money", Namespace = Contracts.V2011)]
    public sealed class Money : IExtensibleDataObject
    {
        public Money() { }

        public Money(decimal value)
        {
            Value = value;
        }

        [DataMember]
        public decimal Value { get; set; }

        public ExtensionDataObject ExtensionData { get; set; }

        public override bool Equals(object obj) => obj is Money other && other.Value == Value;

        public override int GetHashCode() => Value.GetHashCode();
    }

    /// <summary>The value of a choice (option set) column. Equal when the values are equal.</summary>
    [DataContract(Name = "OptionSetValue", Namespace = Contracts.V2011)]
    public sealed class OptionSetValue : IExtensibleDataObject
    {
        public OptionSetValue() { }

        public OptionSetValue(int value)
        {
            Value = value;
        }

        [DataMember]
        public int Value { get; set; }

        public ExtensionDataObject ExtensionData { get; set; }

        public override bool Equals(object obj) => obj is OptionSetValue other && other.Value == Value;

        public override int GetHashCode() => Value.GetHashCode();
    }

    /// <summary>A column of a linked (aliased) table in a query result: the table and column it came from and its value.</summary>
    [DataContract(Name = "AliasedValue", Namespace = Contracts.V2011)]
    [KnownType("GetKnownAliasedValueTypes")]
    public sealed class AliasedValue : IExtensibleDataObject
    {
        public AliasedValue() { }

        public AliasedValue(string entityLogicalName, string attributeLogicalName, object value)
        {
            EntityLogicalName = entityLogicalName;
            AttributeLogicalName = attributeLogicalName;
            Value = value;
        }

        [DataMember]
        public string AttributeLogicalName { get; private set; }

        [DataMember]
        public string EntityLogicalName { get; private set; }

        [DataMember]
        public object Value { get; private set; }

        // Part of the data contract (the platform sends them with aggregate results); nothing here reads them.
        [DataMember]
        private bool NeedFormatting { get; set; }

        [DataMember]
        private int ReturnType { get; set; }

        private static IEnumerable<Type> GetKnownAliasedValueTypes() => Contracts.ParameterTypes;

        public ExtensionDataObject ExtensionData { get; set; }
    }

    /// <summary>A relationship by schema name, with the role of the primary table for self-referencing ones.</summary>
    [DataContract(Name = "Relationship", Namespace = Contracts.V2011)]
    public sealed class Relationship : IExtensibleDataObject
    {
        public Relationship() { }

        public Relationship(string schemaName)
        {
            SchemaName = schemaName;
        }

        [DataMember]
        public string SchemaName { get; set; }

        [DataMember]
        public EntityRole? PrimaryEntityRole { get; set; }

        public ExtensionDataObject ExtensionData { get; set; }

        /// <summary>Equal when schema name and primary entity role are equal.</summary>
        public override bool Equals(object obj) =>
            obj is Relationship other && string.Equals(other.SchemaName, SchemaName, StringComparison.Ordinal) && other.PrimaryEntityRole == PrimaryEntityRole;

        public override int GetHashCode() => (SchemaName?.GetHashCode() ?? 0) ^ PrimaryEntityRole.GetHashCode();

        public override string ToString() => SchemaName;
    }
}

namespace Microsoft.Xrm.Sdk.Client
{
    /// <summary>Names the table an early-bound class stands for (used by <see cref="Entity.ToEntity{T}"/>).</summary>
    [AttributeUsage(AttributeTargets.Class)]
    public sealed class EntityLogicalNameAttribute : Attribute
    {
        public EntityLogicalNameAttribute(string logicalName)
        {
            if (string.IsNullOrWhiteSpace(logicalName)) throw new ArgumentNullException(nameof(logicalName));
            LogicalName = logicalName;
        }

        public string LogicalName { get; }
    }
}
