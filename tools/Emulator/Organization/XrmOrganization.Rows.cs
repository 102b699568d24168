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
            SetIfMissing(row, "modifiedby", shared != null ? caller : AttributeValues.CloneReference(caller));
            // Impersonation: the row is the impersonated user's, and records who acted for them
            // (learn.microsoft.com/power-apps/developer/data-platform/impersonate-another-user).
            if (onBehalfOf is Guid actor)
            {
                row["createdonbehalfby"] = new EntityReference("systemuser", actor);
                row["modifiedonbehalfby"] = new EntityReference("systemuser", actor);
            }
            if (table.Ownership == OwnershipType.UserOwned)
            {
                SetIfMissing(row, "ownerid", shared != null ? caller : AttributeValues.CloneReference(caller));
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

        /// <summary>Applies the platform's calculations (line amounts), sets the version and the base-currency twins of money columns.</summary>
        internal void Stamp(Entity row, SharedValues? shared = null)
        {
            PlatformCalculations.Apply(row);
            var version = NextVersion();
            row["versionnumber"] = version;
            row.RowVersion = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var money = row.Attributes.Where(a => a.Value is Money && !a.Key.EndsWith("_base", StringComparison.Ordinal)).Select(a => a.Key).ToList();
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
                // In the base currency (a rate of 1) the twin is the amount itself, to the last digit: the row holds one
                // value for both columns (a million lines, three amounts each), never changed in place as no stored value is.
                row[BaseColumn(column)] = shared != null && inBase == amount.Value && inBase.Scale == amount.Value.Scale ? amount : new Money(inBase);
            }
        }

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
