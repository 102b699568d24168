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
        public static object? Clone(object? value) => Copy(value, stored: false);

        /// <summary>A copy of a reference (id, logical name, name, keys).</summary>
        public static EntityReference CloneReference(EntityReference r)
        {
            var copy = new EntityReference(r.LogicalName, r.Id) { Name = r.Name, RowVersion = r.RowVersion };
            foreach (var key in r.KeyAttributes) copy.KeyAttributes[key.Key] = Clone(key.Value);
            return copy;
        }

        /// <summary>A copy of an entity with every column value copied.</summary>
        public static Entity CloneEntity(Entity source) => CloneEntity(source, null);

        /// <summary>A copy of an entity with only the given columns (all when null), its formatted values and alternate keys.</summary>
        public static Entity CloneEntity(Entity source, IEnumerable<string>? columns) => CopyEntity(source, columns, stored: false);

        /// <summary>
        /// A copy of a stored row for a caller (a read, an image, a post-operation Target): new SDK objects, never the
        /// store's. The store keeps what Dataverse keeps (<see cref="ForStore"/>): column values, with a lookup's table,
        /// id and name, and neither formatted values nor alternate keys, so the copy reads neither on the stored row. On
        /// the SDK's classes the first read of <c>FormattedValues</c> or <c>KeyAttributes</c> makes an empty collection
        /// that the row or lookup then keeps: read from every stored row and lookup, that was one for each, kept for good.
        /// </summary>
        public static Entity CopyStored(Entity stored, IEnumerable<string>? columns = null) => CopyEntity(stored, columns, stored: true);

        /// <summary>A copy of a stored value for a caller (see <see cref="CopyStored"/>).</summary>
        public static object? CopyStoredValue(object? value) => Copy(value, stored: true);

        private static object? Copy(object? value, bool stored) => value switch
        {
            null => null,
            EntityReference r => stored ? CopyStoredReference(r) : CloneReference(r),
            Money m => new Money(m.Value),
            OptionSetValue o => new OptionSetValue(o.Value),
            OptionSetValueCollection c => new OptionSetValueCollection(c.Select(o => new OptionSetValue(o.Value)).ToList()),
            AliasedValue a => new AliasedValue(a.EntityLogicalName, a.AttributeLogicalName, Copy(a.Value, stored)),
            Entity e => CopyEntity(e, null, stored),
            EntityCollection c => new EntityCollection(c.Entities.Select(e => CopyEntity(e, null, stored)).ToList()) { EntityName = c.EntityName },
            byte[] b => (byte[])b.Clone(),
            _ => value,
        };

        private static Entity CopyEntity(Entity source, IEnumerable<string>? columns, bool stored)
        {
            var copy = new Entity(source.LogicalName, source.Id) { RowVersion = source.RowVersion, EntityState = source.EntityState };
            // The copy's columns are gathered first and added at once, so its dictionary is made at its size rather than
            // grown a column at a time (every image and every read of a row is such a copy).
            if (columns == null)
            {
                var values = new List<KeyValuePair<string, object>>(source.Attributes.Count);
                foreach (var a in source.Attributes) values.Add(new KeyValuePair<string, object>(a.Key, Copy(a.Value, stored)!));
                copy.Attributes.AddRange(values);
                if (!stored)
                    foreach (var f in source.FormattedValues) copy.FormattedValues[f.Key] = f.Value;
            }
            else
            {
                var values = new List<KeyValuePair<string, object>>(columns is ICollection<string> known ? Math.Min(known.Count, source.Attributes.Count) : source.Attributes.Count);
                foreach (var c in columns)
                {
                    if (source.Attributes.TryGetValue(c, out var v) && !Named(values, c)) values.Add(new KeyValuePair<string, object>(c, Copy(v, stored)!));
                    if (!stored && source.FormattedValues.TryGetValue(c, out var f)) copy.FormattedValues[c] = f;
                }

                copy.Attributes.AddRange(values);
            }

            if (!stored)
                foreach (var k in source.KeyAttributes) copy.KeyAttributes[k.Key] = Clone(k.Value);
            return copy;
        }

        /// <summary>
        /// A copy of a stored lookup: table, id, name and version. A lookup is stored by its id; only one the platform
        /// could not resolve (no id: reference checks off) still carries the alternate key it was given, and keeps it.
        /// </summary>
        public static EntityReference CopyStoredReference(EntityReference r)
        {
            var copy = new EntityReference(r.LogicalName, r.Id) { Name = r.Name, RowVersion = r.RowVersion };
            if (r.Id == Guid.Empty)
                foreach (var key in r.KeyAttributes) copy.KeyAttributes[key.Key] = Clone(key.Value);
            return copy;
        }

        /// <summary>
        /// The row as the store keeps it, copied from a row a caller gave (a Create's Target, a seeded row): its columns
        /// with new SDK objects, a lookup by table, id and name (learn.microsoft.com/power-apps/developer/data-platform/use-alternate-key-reference-record:
        /// a lookup given by alternate key points to the row the key finds, which the reference check resolves to its id
        /// first), and neither the row's formatted values (the platform formats on read) nor its alternate key (an
        /// Upsert's key columns are among its columns). <see cref="CopyStored"/> relies on this to read neither.
        /// </summary>
        public static Entity ForStore(Entity given) => CopyEntity(given, null, stored: true);

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
