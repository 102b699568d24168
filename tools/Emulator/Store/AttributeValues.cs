using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator
{
    /// <summary>Copies and compares column values the way the platform stores them.</summary>
    public static class AttributeValues
    {
        /// <summary>A copy of a value that shares no mutable object with the original.</summary>
        public static object? Clone(object? value) => value switch
        {
            null => null,
            EntityReference r => CloneReference(r),
            Money m => new Money(m.Value),
            OptionSetValue o => new OptionSetValue(o.Value),
            OptionSetValueCollection c => new OptionSetValueCollection(c.Select(o => new OptionSetValue(o.Value)).ToList()),
            AliasedValue a => new AliasedValue(a.EntityLogicalName, a.AttributeLogicalName, Clone(a.Value)),
            Entity e => CloneEntity(e),
            EntityCollection c => new EntityCollection(c.Entities.Select(CloneEntity).ToList()) { EntityName = c.EntityName },
            byte[] b => (byte[])b.Clone(),
            _ => value,
        };

        /// <summary>A copy of a reference (id, logical name, name, keys).</summary>
        public static EntityReference CloneReference(EntityReference r)
        {
            var copy = new EntityReference(r.LogicalName, r.Id) { Name = r.Name, RowVersion = r.RowVersion };
            foreach (var key in r.KeyAttributes) copy.KeyAttributes[key.Key] = Clone(key.Value);
            return copy;
        }

        /// <summary>A copy of an entity with every column value copied.</summary>
        public static Entity CloneEntity(Entity source) => CloneEntity(source, null);

        /// <summary>A copy of an entity with only the given columns (all when null).</summary>
        public static Entity CloneEntity(Entity source, IEnumerable<string>? columns)
        {
            var copy = new Entity(source.LogicalName, source.Id) { RowVersion = source.RowVersion, EntityState = source.EntityState };
            // The copy's columns are gathered first and added at once, so its dictionary is made at its size rather than
            // grown a column at a time (every image and every read of a row is such a copy).
            if (columns == null)
            {
                var values = new List<KeyValuePair<string, object>>(source.Attributes.Count);
                foreach (var a in source.Attributes) values.Add(new KeyValuePair<string, object>(a.Key, Clone(a.Value)!));
                copy.Attributes.AddRange(values);
                foreach (var f in source.FormattedValues) copy.FormattedValues[f.Key] = f.Value;
            }
            else
            {
                var values = new List<KeyValuePair<string, object>>(columns is ICollection<string> known ? Math.Min(known.Count, source.Attributes.Count) : source.Attributes.Count);
                foreach (var c in columns)
                {
                    if (source.Attributes.TryGetValue(c, out var v) && !Named(values, c)) values.Add(new KeyValuePair<string, object>(c, Clone(v)!));
                    if (source.FormattedValues.TryGetValue(c, out var f)) copy.FormattedValues[c] = f;
                }

                copy.Attributes.AddRange(values);
            }

            foreach (var k in source.KeyAttributes) copy.KeyAttributes[k.Key] = Clone(k.Value);
            return copy;
        }

        // A column named twice in a column set is copied once (a few columns: a scan costs less than a set).
        private static bool Named(List<KeyValuePair<string, object>> values, string column)
        {
            foreach (var v in values)
                if (string.Equals(v.Key, column, StringComparison.Ordinal)) return true;
            return false;
        }

        /// <summary>The key an index stores a value under: references by id, choices by value, money by
        /// amount, strings case-insensitively (Dataverse's default collation), null as null.</summary>
        public static object? IndexKey(object? value) => value switch
        {
            null => null,
            EntityReference r => r.Id,
            OptionSetValue o => o.Value,
            Money m => m.Value,
            string s => s.ToUpperInvariant(),
            int i => i,
            _ => value,
        };

        /// <summary>Whether two stored values are the same for the purpose of "did this column change".</summary>
        public static bool SameValue(object? a, object? b)
        {
            if (a == null || b == null) return a == null && b == null;
            if (a is EntityReference ra && b is EntityReference rb) return ra.Id == rb.Id && ra.LogicalName == rb.LogicalName;
            if (a is OptionSetValueCollection ca && b is OptionSetValueCollection cb)
                return ca.Select(o => o.Value).OrderBy(v => v).SequenceEqual(cb.Select(o => o.Value).OrderBy(v => v));
            if (a is string sa && b is string sb) return string.Equals(sa, sb, StringComparison.Ordinal);
            return Equals(a, b);
        }
    }
}
