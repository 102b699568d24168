using System;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using NUnit.Framework;

namespace CrmPlugins.Emulator.Tests.Service
{
    /// <summary>
    /// A bulk seed that keeps the rows it is given (an export of a million rows held once, not twice), filled as a
    /// create fills them; the values it fills alike are shared between rows, and no read or write lets one row's value
    /// change another's.
    /// </summary>
    public class SeedInPlaceTests
    {
        private static readonly Guid A = new("10000000-0000-0000-0000-00000000000a"), B = new("10000000-0000-0000-0000-00000000000b");

        [Test]
        public void SeedInPlace_StoresTheRowsGiven_FilledAsSeedFillsThem()
        {
            var org = new XrmOrganization();
            var row = new Entity("account", A) { ["name"] = "Alpine", ["revenue"] = new Money(100m) };
            var copied = new XrmOrganization();
            copied.Seed(new Entity("account", A) { ["name"] = "Alpine", ["revenue"] = new Money(100m) });

            org.SeedInPlace(new[] { row });

            Assert.That(org.Rows.Rows("account").Single(), Is.SameAs(row), "the row itself, not a copy");
            var stored = org.Get("account", A)!;
            var expected = copied.Get("account", A)!;
            Assert.That(stored.Attributes.Select(a => a.Key).OrderBy(k => k, StringComparer.Ordinal),
                Is.EqualTo(expected.Attributes.Select(a => a.Key).OrderBy(k => k, StringComparer.Ordinal)), "the same columns as a seeded copy");
            Assert.That(stored.GetAttributeValue<Money>("revenue_base").Value, Is.EqualTo(100m));
            Assert.That(stored.GetAttributeValue<EntityReference>("ownerid").Id, Is.EqualTo(org.AdministratorId));
        }

        [Test]
        public void SeedInPlace_SharedFilledValues_NeverLeakFromOneRowToAnother()
        {
            var org = new XrmOrganization();
            org.SeedInPlace(new[] { new Entity("account", A) { ["name"] = "Alpine" }, new Entity("account", B) { ["name"] = "Blue Yonder" } });
            var rows = org.Rows.Rows("account").ToList();
            Assert.That(rows[0]["createdby"], Is.SameAs(rows[1]["createdby"]), "one reference for the user both rows were created by");

            // A caller changing what it read, then an update of one row: the other keeps its values.
            var service = org.GetOrganizationService();
            var read = service.Retrieve("account", A, new ColumnSet("ownerid", "createdby", "statecode"));
            read.GetAttributeValue<EntityReference>("createdby").Id = Guid.NewGuid();
            read.GetAttributeValue<OptionSetValue>("statecode").Value = 1;
            service.Update(new Entity("account", A) { ["ownerid"] = new EntityReference("systemuser", org.SystemUserId) });

            var other = org.Get("account", B)!;
            Assert.That(other.GetAttributeValue<EntityReference>("createdby").Id, Is.EqualTo(org.AdministratorId));
            Assert.That(other.GetAttributeValue<EntityReference>("ownerid").Id, Is.EqualTo(org.AdministratorId));
            Assert.That(other.GetAttributeValue<OptionSetValue>("statecode").Value, Is.Zero);
            Assert.That(org.Get("account", A)!.GetAttributeValue<EntityReference>("createdby").Id, Is.EqualTo(org.AdministratorId));
        }
    
        [Test]
        public void SeedInPlace_InTheBaseCurrency_TheBaseTwinIsTheAmountItself_AndReadsApart()
        {
            var org = new XrmOrganization();
            org.SeedInPlace(new[] { new Entity("account", A) { ["name"] = "Alpine", ["revenue"] = new Money(100.5m) }, new Entity("account", B) { ["name"] = "Blue", ["revenue"] = new Money(1.23456m) } });
            var rows = org.Rows.Rows("account").ToDictionary(r => r.Id);

            // One value for both columns where the twin equals the amount to the last digit; a new one where it is rounded.
            Assert.That(rows[A]["revenue_base"], Is.SameAs(rows[A]["revenue"]));
            Assert.That(rows[B].GetAttributeValue<Money>("revenue_base").Value, Is.EqualTo(1.2346m));

            // A caller changing the amount it read changes neither the stored amount nor its twin.
            var service = org.GetOrganizationService();
            var read = service.Retrieve("account", A, new ColumnSet("revenue", "revenue_base"));
            Assert.That(read["revenue"], Is.Not.SameAs(read["revenue_base"]));
            read.GetAttributeValue<Money>("revenue").Value = 1m;
            Assert.That(read.GetAttributeValue<Money>("revenue_base").Value, Is.EqualTo(100.5m));
            var stored = org.Get("account", A)!;
            Assert.That(stored.GetAttributeValue<Money>("revenue").Value, Is.EqualTo(100.5m));
            Assert.That(stored.GetAttributeValue<Money>("revenue_base").Value, Is.EqualTo(100.5m));
        }
    }
}
