using System;
using System.Collections.Generic;
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

        /// <summary>
        /// SeedInPlace fills each row on one reused entity and gives the row its columns at their final size; Seed fills a
        /// copy of each row. On generated rows of several tables (owned or not, given an owner, a state, a currency that is
        /// not the base one, the id as a column only, narrow and wider than the compact store holds), both store the same
        /// rows: the same columns in the same order, the same values, ids and versions.
        /// </summary>
        [Test]
        public void SeedInPlace_OfGeneratedRows_StoresWhatSeedStores_ColumnForColumn()
        {
            var random = new Random(11);
            var euro = new Guid("10000000-0000-0000-0000-0000000000e0");
            var rows = new List<Entity> { new("transactioncurrency", euro) { ["currencyname"] = "Euro", ["isocurrencycode"] = "EUR", ["exchangerate"] = 0.9m } };
            for (var n = 0; n < 300; n++) rows.Add(GeneratedRow(random, n, euro));
            var now = new DateTime(2026, 11, 30, 8, 0, 0, DateTimeKind.Utc);
            var copied = new XrmOrganization { UtcNow = now };
            var inPlace = new XrmOrganization { UtcNow = now };

            copied.Seed(rows.Select(AttributeValues.CloneEntity));
            inPlace.SeedInPlace(rows.Select(AttributeValues.CloneEntity).ToList());

            // The rows every organization starts with were made at its creation, on the clock of that moment.
            var own = new[] { inPlace.OrganizationId, inPlace.BaseCurrencyId, inPlace.RootBusinessUnitId, inPlace.SystemUserId, inPlace.AdministratorId };
            var compared = 0;
            foreach (var table in rows.Select(r => r.LogicalName).Distinct())
            {
                var expected = copied.All(table).Where(r => !own.Contains(r.Id)).ToDictionary(r => r.Id);
                var stored = inPlace.All(table).Where(r => !own.Contains(r.Id)).ToList();
                Assert.That(stored, Has.Count.EqualTo(expected.Count), table);
                foreach (var row in stored) Assert.That(Generated.Xml(row), Is.EqualTo(Generated.Xml(expected[row.Id])), $"{table} {row.Id}");
                compared += stored.Count;
            }

            Assert.That(compared, Is.EqualTo(rows.Count));

            Assert.That(inPlace.All("dr_wide").Max(r => r.Attributes.Count), Is.GreaterThan(40), "rows wider than the compact store were seeded");
        }

        private static Entity GeneratedRow(Random random, int n, Guid euro)
        {
            var id = Generated.Id(random);
            switch (n % 4)
            {
                case 0:
                {
                    // The id as its column only: the seed takes it from there.
                    var row = new Entity("account") { ["accountid"] = id, ["name"] = "Account " + n, ["revenue"] = new Money(Math.Round((decimal)random.NextDouble() * 1e6m, random.Next(0, 5))) };
                    if (random.Next(2) == 0) row["transactioncurrencyid"] = new EntityReference("transactioncurrency", euro);
                    if (random.Next(3) == 0) row["ownerid"] = new EntityReference("team", Generated.Id(random));
                    if (random.Next(3) == 0) row["statecode"] = new OptionSetValue(1);
                    if (random.Next(3) == 0) row["createdon"] = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddHours(random.Next(10000));
                    return row;
                }
                case 1:
                    return new Entity("opportunityproduct", id)
                    {
                        ["quantity"] = (decimal)random.Next(1, 50), ["priceperunit"] = new Money(Math.Round((decimal)random.NextDouble() * 500m, 2)),
                        ["manualdiscountamount"] = random.Next(2) == 0 ? null : new Money(random.Next(0, 20)),
                    };
                case 2:
                    return new Entity("systemuser", id) { ["fullname"] = "User " + n, ["businessunitid"] = new EntityReference("businessunit", Generated.Id(random)) };
                default:
                {
                    var row = new Entity("dr_wide", id);
                    var columns = random.Next(1, 45);
                    for (var c = 0; c < columns; c++)
                        row[$"dr_c{c:00}"] = (c % 5) switch
                        {
                            0 => "text " + random.Next(),
                            1 => random.Next(),
                            2 => new OptionSetValue(random.Next(1, 5)),
                            3 => new Money(random.Next(1, 1000)),
                            _ => new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Unspecified).AddMinutes(random.Next(100000)),
                        };
                    return row;
                }
            }
        }


    }
}
