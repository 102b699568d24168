using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator
{
    /// <summary>The tables and relationships the organization knows. Common system tables are known from the start.</summary>
    public sealed class OrganizationMetadata
    {
        private readonly Dictionary<string, TableMetadata> _tables = new(StringComparer.Ordinal);
        private readonly Dictionary<string, RelationshipMetadata> _relationships = new(StringComparer.Ordinal);

        internal OrganizationMetadata()
        {
            foreach (var t in new[] { "businessunit", "transactioncurrency", "organization", "product", "uom", "uomschedule", "pricelevel", "role", "systemuser", "team" })
                Declare(new TableMetadata(t, OwnershipType.OrganizationOwned));
            // Standard tables exist in every organization (metadata-light: any column is accepted until declared).
            foreach (var t in new[] { "account", "contact", "lead", "opportunity", "opportunityproduct", "quote", "quotedetail", "salesorder", "salesorderdetail", "invoice", "invoicedetail", "annotation", "appnotification", "queue" })
                Declare(new TableMetadata(t, OwnershipType.UserOwned));
            // The Opportunity Sales Process's instances (a business process flow table) and the stages of processes.
            Declare(new TableMetadata("opportunitysalesprocess", OwnershipType.OrganizationOwned, "businessprocessflowinstanceid", "name"));
            Declare(new TableMetadata("processstage", OwnershipType.None, "processstageid", "stagename"));
            // Activities: their primary key is activityid.
            foreach (var t in new[] { "activitypointer", "task", "phonecall", "email", "appointment", "opportunityclose" })
                Declare(new TableMetadata(t, OwnershipType.UserOwned, "activityid"));
        }


        public IReadOnlyDictionary<string, TableMetadata> Tables => _tables;

        public IReadOnlyDictionary<string, RelationshipMetadata> Relationships => _relationships;

        /// <summary>Declares (or replaces) a table.</summary>
        public TableMetadata Declare(TableMetadata table)
        {
            _tables[table.LogicalName] = table;
            return table;
        }

        public RelationshipMetadata Declare(RelationshipMetadata relationship)
        {
            _relationships[relationship.SchemaName] = relationship;
            if (relationship.IsManyToMany && !_tables.ContainsKey(relationship.IntersectEntity!))
                Declare(new TableMetadata(relationship.IntersectEntity!, OwnershipType.None));
            return relationship;
        }

        /// <summary>The table's metadata; an undeclared table gets user-owned defaults.</summary>
        public TableMetadata Table(string logicalName) =>
            _tables.TryGetValue(logicalName, out var t) ? t : new TableMetadata(logicalName);

        public bool IsDeclared(string logicalName) => _tables.ContainsKey(logicalName);
    }
}
