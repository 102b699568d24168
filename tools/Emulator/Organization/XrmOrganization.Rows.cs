using System;
using System.Collections.Generic;
using System.Linq;
using CrmPlugins.Emulator.Pipeline;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator
{
    /// <summary>What the platform stamps on a row: ids, owner, state, audit columns, version, base-currency amounts.</summary>
    public sealed partial class XrmOrganization
    {
        internal long NextVersion() => ++_version;

        /// <summary>Fills what the platform fills on create: id and primary key column, owner, business unit,
        /// state, audit columns, version and the base amounts of money columns.</summary>
        internal void PrepareNewRow(Entity row, Guid callerId, Guid? onBehalfOf = null, SharedValues? shared = null)
        {
            var table = Metadata.Table(row.LogicalName);
            if (row.Id == Guid.Empty && row.Attributes.TryGetValue(table.PrimaryIdAttribute, out var idValue) && idValue is Guid given) row.Id = given;
            if (row.Id == Guid.Empty) row.Id = Guid.NewGuid();
            row[table.PrimaryIdAttribute] = row.Id;
            object now = shared?.Now(UtcNow) ?? UtcNow;
            var caller = shared?.Reference("systemuser", callerId) ?? new EntityReference("systemuser", callerId);
            SetIfMissing(row, "createdon", now);
            SetIfMissing(row, "modifiedon", now);
            SetIfMissing(row, "createdby", caller);
            SetIfMissing(row, "modifiedby", shared != null ? caller : AttributeValues.CopyStoredReference(caller));
            // Impersonation: the row is the impersonated user's, and records who acted for them
            // (learn.microsoft.com/power-apps/developer/data-platform/impersonate-another-user).
            if (onBehalfOf is Guid actor)
            {
                row["createdonbehalfby"] = new EntityReference("systemuser", actor);
                row["modifiedonbehalfby"] = new EntityReference("systemuser", actor);
            }
            if (table.Ownership == OwnershipType.UserOwned)
            {
                SetIfMissing(row, "ownerid", shared != null ? caller : AttributeValues.CopyStoredReference(caller));
                var owner = row.GetAttributeValue<EntityReference>("ownerid");
                if (owner != null && owner.LogicalName == "systemuser") row["owninguser"] = shared?.Reference("systemuser", owner.Id) ?? new EntityReference("systemuser", owner.Id);
                if (owner != null && owner.LogicalName == "team") row["owningteam"] = shared?.Reference("team", owner.Id) ?? new EntityReference("team", owner.Id);
                if (!row.Attributes.TryGetValue("owningbusinessunit", out var unit) || unit == null)
                {
                    var unitId = OwnerBusinessUnit(owner) ?? BusinessUnitOf(callerId);
                    row["owningbusinessunit"] = shared?.Reference("businessunit", unitId) ?? new EntityReference("businessunit", unitId);
                }
            }

            if (table.Ownership != OwnershipType.None)
            {
                SetIfMissing(row, "statecode", shared?.Option(0) ?? new OptionSetValue(0));
                SetIfMissing(row, "statuscode", shared?.Option(1) ?? new OptionSetValue(1));
            }

            Stamp(row, shared);
        }

        /// <summary>
        /// The values a bulk seed fills alike in many rows (audit users, owners, the clock, default state, the exchange
        /// rate), made once and shared by the rows that get them. Safe because a stored value is never changed in place:
        /// every read hands out a copy and every write replaces the row with new values.
        /// </summary>
        internal sealed class SharedValues
        {
            private readonly Dictionary<(string, Guid), EntityReference> _references = new();
            private readonly Dictionary<int, OptionSetValue> _options = new();
            private readonly Dictionary<decimal, object> _numbers = new();
            private DateTime _now;
            private object? _boxedNow;

            public EntityReference Reference(string table, Guid id)
            {
                if (!_references.TryGetValue((table, id), out var reference)) _references[(table, id)] = reference = new EntityReference(table, id);
                return reference;
            }

            public OptionSetValue Option(int value)
            {
                if (!_options.TryGetValue(value, out var option)) _options[value] = option = new OptionSetValue(value);
                return option;
            }

            public object Now(DateTime now)
            {
                if (_boxedNow == null || now != _now || now.Kind != _now.Kind) (_now, _boxedNow) = (now, now);
                return _boxedNow;
            }

            public object Number(decimal value)
            {
                if (!_numbers.TryGetValue(value, out var boxed)) _numbers[value] = boxed = value;
                return boxed;
            }
        }

        /// <summary>Equal values of the rows written through the service, kept once (see <see cref="ValuePool"/>).</summary>
        internal ValuePool Written { get; } = new();

        /// <summary>
        /// Equal values written to the same column by many saves (a judged deal's choices, its history row's user, owner,
        /// business unit and clock, the same set of finding codes), kept once: the values are handed out as copies and
        /// never changed in place, so rows can share them as a bulk seed's rows share theirs (<see cref="SharedValues"/>).
        /// A column is pooled while it holds few distinct values; one that shows many (a name, an id, a version) stops
        /// being pooled and its pool is let go, so the pool stays small whatever is written.
        /// </summary>
        internal sealed class ValuePool
        {
            /// <summary>Distinct values a column may show before it stops being pooled.</summary>
            public const int MaxValuesPerColumn = 256;

            /// <summary>Strings longer than this are not pooled: verdict texts are the deal's own.</summary>
            public const int MaxTextLength = 200;

            private readonly Dictionary<string, Dictionary<object, object>?> _columns = new(StringComparer.Ordinal);

            /// <summary>Puts the pooled equal value in place of each value of the columns given (all when null).</summary>
            public void Share(Entity row, IEnumerable<string>? columns = null)
            {
                List<KeyValuePair<string, object>>? replaced = null;
                if (columns == null)
                {
                    foreach (var a in row.Attributes) Check(a.Key, a.Value, ref replaced);
                }
                else
                {
                    foreach (var c in columns)
                        if (row.Attributes.TryGetValue(c, out var v)) Check(c, v, ref replaced);
                }

                if (replaced == null) return;
                foreach (var r in replaced) row[r.Key] = r.Value;
            }

            private void Check(string column, object? value, ref List<KeyValuePair<string, object>>? replaced)
            {
                var pooled = Pooled(column, value);
                if (pooled != null && !ReferenceEquals(pooled, value)) (replaced ??= new()).Add(new KeyValuePair<string, object>(column, pooled));
            }

            /// <summary>The pooled value equal to <paramref name="value"/> (the value itself the first time), or null when it is not pooled.</summary>
            private object? Pooled(string column, object? value)
            {
                var key = Key(value);
                if (key == null) return null;
                if (!_columns.TryGetValue(column, out var pool))
                    _columns[column] = pool = new Dictionary<object, object>();
                if (pool == null) return null;
                if (pool.TryGetValue(key, out var shared)) return shared;
                if (pool.Count == MaxValuesPerColumn)
                {
                    _columns[column] = null;
                    return null;
                }

                pool[key] = value!;
                return value;
            }

            /// <summary>
            /// What makes two values the same value, to the last detail a caller can see: a choice by its number, a lookup
            /// by table, id and name (one with a version or no id is not pooled), a date with its kind, a decimal or an
            /// amount with its scale (1.0 and 1.00 print apart), text ordinally. Other values are not pooled.
            /// </summary>
            private static object? Key(object? value) => value switch
            {
                string s => s.Length <= MaxTextLength ? s : null,
                OptionSetValue o => (nameof(OptionSetValue), o.Value),
                EntityReference r => r.Id != Guid.Empty && r.RowVersion == null ? (r.LogicalName, r.Id, r.Name) : null,
                DateTime d => (d.Ticks, d.Kind),
                decimal d => (nameof(Decimal), d, d.Scale),
                Money m => (nameof(Money), m.Value, m.Value.Scale),
                int or long or bool or Guid => value,
                _ => null,
            };
        }

        /// <summary>Applies the platform's calculations (line amounts), sets the version and the base-currency twins of money columns.</summary>
        internal void Stamp(Entity row, SharedValues? shared = null)
        {
            PlatformCalculations.Apply(row);
            var version = NextVersion();
            row["versionnumber"] = version;
            row.RowVersion = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
            // A loop, not a query: every row seeded or written comes through here (a query here was a third of seeding a million
            // rows), into one list kept for it rather than a list a row.
            var money = _moneyColumns;
            money.Clear();
            foreach (var attribute in row.Attributes)
                if (attribute.Value is Money && !attribute.Key.EndsWith("_base", StringComparison.Ordinal)) money.Add(attribute.Key);
            if (money.Count == 0) return;
            if (row.GetAttributeValue<EntityReference>("transactioncurrencyid") == null)
                row["transactioncurrencyid"] = shared?.Reference("transactioncurrency", BaseCurrencyId) ?? new EntityReference("transactioncurrency", BaseCurrencyId);
            var currencyId = row.GetAttributeValue<EntityReference>("transactioncurrencyid").Id;
            var currency = Store.Find("transactioncurrency", currencyId) ?? throw Faults.NotFound("transactioncurrency", currencyId);
            var rate = currency.GetAttributeValue<decimal?>("exchangerate") ?? 1m;
            if (rate <= 0) throw Faults.InvalidArgument($"The exchange rate of currency {currencyId} must be greater than zero.");
            row["exchangerate"] = shared?.Number(rate) ?? rate;
            foreach (var column in money)
            {
                var amount = row.GetAttributeValue<Money>(column);
                var inBase = decimal.Round(amount.Value / rate, 4);
                var twin = BaseColumn(column);
                // An update that leaves the amount and the rate keeps the twin the row held (the same value to the last digit).
                if (row.Attributes.TryGetValue(twin, out var held) && held is Money kept && kept.Value == inBase && kept.Value.Scale == inBase.Scale) continue;
                // In the base currency (a rate of 1) the twin is the amount itself, to the last digit: the row holds one
                // value for both columns (a million lines, three amounts each), never changed in place as no stored value is.
                row[twin] = shared != null && inBase == amount.Value && inBase.Scale == amount.Value.Scale ? amount : new Money(inBase);
            }
        }

        // The money columns of the row being stamped (Stamp calls nothing that stamps another row meanwhile).
        private readonly List<string> _moneyColumns = new();

        // One name for each money column's twin, not a new string in every row stamped (a million lines, three amounts each).
        private readonly Dictionary<string, string> _baseColumns = new(StringComparer.Ordinal);

        private string BaseColumn(string column)
        {
            if (!_baseColumns.TryGetValue(column, out var name)) _baseColumns[column] = name = column + "_base";
            return name;
        }

        private Guid? OwnerBusinessUnit(EntityReference? owner) =>
            owner == null ? null : Store.Find(owner.LogicalName, owner.Id)?.GetAttributeValue<EntityReference>("businessunitid")?.Id;

        private static void SetIfMissing(Entity row, string column, object value)
        {
            if (!row.Attributes.TryGetValue(column, out var current) || current == null) row[column] = value;
        }
    }
}
