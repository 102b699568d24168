using System;
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
        internal void PrepareNewRow(Entity row, Guid callerId, Guid? onBehalfOf = null)
        {
            var table = Metadata.Table(row.LogicalName);
            if (row.Id == Guid.Empty && row.Attributes.TryGetValue(table.PrimaryIdAttribute, out var idValue) && idValue is Guid given) row.Id = given;
            if (row.Id == Guid.Empty) row.Id = Guid.NewGuid();
            row[table.PrimaryIdAttribute] = row.Id;
            var now = UtcNow;
            var caller = new EntityReference("systemuser", callerId);
            SetIfMissing(row, "createdon", now);
            SetIfMissing(row, "modifiedon", now);
            SetIfMissing(row, "createdby", caller);
            SetIfMissing(row, "modifiedby", AttributeValues.CloneReference(caller));
            // Impersonation: the row is the impersonated user's, and records who acted for them
            // (learn.microsoft.com/power-apps/developer/data-platform/impersonate-another-user).
            if (onBehalfOf is Guid actor)
            {
                row["createdonbehalfby"] = new EntityReference("systemuser", actor);
                row["modifiedonbehalfby"] = new EntityReference("systemuser", actor);
            }
            if (table.Ownership == OwnershipType.UserOwned)
            {
                SetIfMissing(row, "ownerid", AttributeValues.CloneReference(caller));
                var owner = row.GetAttributeValue<EntityReference>("ownerid");
                if (owner != null && owner.LogicalName == "systemuser") row["owninguser"] = new EntityReference("systemuser", owner.Id);
                if (owner != null && owner.LogicalName == "team") row["owningteam"] = new EntityReference("team", owner.Id);
                SetIfMissing(row, "owningbusinessunit", new EntityReference("businessunit", OwnerBusinessUnit(owner) ?? BusinessUnitOf(callerId)));
            }

            if (table.Ownership != OwnershipType.None)
            {
                SetIfMissing(row, "statecode", new OptionSetValue(0));
                SetIfMissing(row, "statuscode", new OptionSetValue(1));
            }

            Stamp(row);
        }

        /// <summary>Applies the platform's calculations (line amounts), sets the version and the base-currency twins of money columns.</summary>
        internal void Stamp(Entity row)
        {
            PlatformCalculations.Apply(row);
            var version = NextVersion();
            row["versionnumber"] = version;
            row.RowVersion = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var money = row.Attributes.Where(a => a.Value is Money && !a.Key.EndsWith("_base", StringComparison.Ordinal)).Select(a => a.Key).ToList();
            if (money.Count == 0) return;
            if (row.GetAttributeValue<EntityReference>("transactioncurrencyid") == null)
                row["transactioncurrencyid"] = new EntityReference("transactioncurrency", BaseCurrencyId);
            var currencyId = row.GetAttributeValue<EntityReference>("transactioncurrencyid").Id;
            var currency = Store.Find("transactioncurrency", currencyId) ?? throw Faults.NotFound("transactioncurrency", currencyId);
            var rate = currency.GetAttributeValue<decimal?>("exchangerate") ?? 1m;
            if (rate <= 0) throw Faults.InvalidArgument($"The exchange rate of currency {currencyId} must be greater than zero.");
            row["exchangerate"] = rate;
            foreach (var column in money)
                row[column + "_base"] = new Money(decimal.Round(row.GetAttributeValue<Money>(column).Value / rate, 4));
        }

        private Guid? OwnerBusinessUnit(EntityReference? owner) =>
            owner == null ? null : Store.Find(owner.LogicalName, owner.Id)?.GetAttributeValue<EntityReference>("businessunitid")?.Id;

        private static void SetIfMissing(Entity row, string column, object value)
        {
            if (!row.Attributes.TryGetValue(column, out var current) || current == null) row[column] = value;
        }
    }
}
