using System;
using System.Linq;
using System.Reflection;
using CrmPlugins.Emulator.Pipeline;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using NUnit.Framework;

namespace CrmPlugins.Emulator.Tests.Service
{
    /// <summary>
    /// What the store keeps of a row, and what reading and updating it leave behind. Dataverse keeps a lookup as the id
    /// of the row it points to (a lookup given by alternate key is resolved to that row:
    /// learn.microsoft.com/power-apps/developer/data-platform/use-alternate-key-reference-record; the Web API returns a
    /// lookup as the `_name_value` id alone), and formats values on read. The SDK's <c>Entity</c> and
    /// <c>EntityReference</c> make their <c>FormattedValues</c> and <c>KeyAttributes</c> collections on first read, so a
    /// store whose copies read them on stored rows kept an empty collection per stored row and lookup read: at 10,000
    /// judged deals, 430,000 of them.
    /// </summary>
    public class StoredValuesTests
    {
        private static readonly Guid AccountId = new("20000000-0000-0000-0000-00000000000a"), DealId = new("20000000-0000-0000-0000-00000000000d");

        /// <summary>Whether the SDK object made the collection behind <paramref name="field"/> (it does on the first read of the
        /// property). The field is found by the collection's type when the name is not there: Microsoft's SDK names its
        /// private fields its own way, and the tests also run on Microsoft's DLLs.</summary>
        private static bool Made(object sdkObject, string field)
        {
            const BindingFlags Private = BindingFlags.Instance | BindingFlags.NonPublic;
            var type = sdkObject.GetType();
            var collection = field == "_keyAttributes" ? typeof(KeyAttributeCollection) : typeof(FormattedValueCollection);
            var found = type.GetField(field, Private) ?? type.GetFields(Private).SingleOrDefault(f => f.FieldType == collection)
                ?? throw new InvalidOperationException($"{type.Name} has no field {field} nor one of type {collection.Name}: the SDK changed, update this test.");
            return found.GetValue(sdkObject) != null;
        }

        private static XrmOrganization OrgWithADeal(out Entity deal, out EntityReference account)
        {
            var org = new XrmOrganization();
            org.Seed(new Entity("account", AccountId) { ["name"] = "Alpine", ["accountnumber"] = "A-1" });
            account = new EntityReference("account", AccountId);
            deal = new Entity("opportunity", DealId) { ["name"] = "Deal", ["parentaccountid"] = account, ["estimatedvalue"] = new Money(100m) };
            // The rows given to SeedInPlace are the stored rows: the test holds the stored row and lookup themselves.
            org.SeedInPlace(new[] { deal });
            return org;
        }

        [Test]
        public void Retrieve_OfAStoredLookup_LeavesTheStoredReferenceWithoutKeyAttributes()
        {
            var org = OrgWithADeal(out var deal, out var account);
            org.RegisterPlugin<RecordingPlugin>("Update", "opportunity", Stages.PostOperation).WithImage("pre", ImageType.PreImage).WithImage("post", ImageType.PostImage);
            var service = org.GetOrganizationService();

            var read = service.Retrieve("opportunity", DealId, new ColumnSet(true));
            var queried = service.RetrieveMultiple(new QueryExpression("opportunity") { ColumnSet = new ColumnSet("parentaccountid") }).Entities.Single();
            service.Update(new Entity("opportunity", DealId) { ["description"] = "read by images" });

            Assert.That(read.GetAttributeValue<EntityReference>("parentaccountid").Id, Is.EqualTo(AccountId));
            Assert.That(queried.GetAttributeValue<EntityReference>("parentaccountid").Id, Is.EqualTo(AccountId));
            Assert.That(Made(account, "_keyAttributes"), Is.False, "a read of the lookup made no key collection on the stored lookup");
            Assert.That(Made(deal, "_keyAttributes"), Is.False, "nor on the stored row");
            Assert.That(Made(deal, "_formattedValues"), Is.False, "nor a formatted value collection on the stored row");
            var updated = org.Rows.Rows("opportunity").Single();
            Assert.That(Made(updated, "_keyAttributes") || Made(updated, "_formattedValues") || Made(updated.GetAttributeValue<EntityReference>("parentaccountid"), "_keyAttributes"), Is.False,
                "the row the update stored, read by the step's images, made none either");
        }

        [Test]
        public void Create_WithALookupGivenByIdAndAlternateKey_StoresTheLookupByItsId()
        {
            var org = new XrmOrganization();
            var service = org.GetOrganizationService();
            service.Create(new Entity("account", AccountId) { ["name"] = "Alpine", ["accountnumber"] = "A-1" });
            var byBoth = new EntityReference("account", AccountId);
            byBoth.KeyAttributes["accountnumber"] = "A-1";

            service.Create(new Entity("opportunity", DealId) { ["name"] = "Deal", ["parentaccountid"] = byBoth });

            var lookup = service.Retrieve("opportunity", DealId, new ColumnSet("parentaccountid")).GetAttributeValue<EntityReference>("parentaccountid");
            Assert.That(lookup.Id, Is.EqualTo(AccountId));
            Assert.That(lookup.LogicalName, Is.EqualTo("account"));
            Assert.That(lookup.KeyAttributes, Is.Empty, "a lookup is kept by its id");
        }

        [Test]
        public void Update_WithALookupGivenByAlternateKey_PointsToThatRow_WithoutTheKey()
        {
            var org = OrgWithADeal(out _, out _);
            var service = org.GetOrganizationService();
            var other = service.Create(new Entity("account") { ["name"] = "Blue Yonder", ["accountnumber"] = "B-2" });

            service.Update(new Entity("opportunity", DealId) { ["parentaccountid"] = new EntityReference("account", "accountnumber", "B-2") });

            var lookup = service.Retrieve("opportunity", DealId, new ColumnSet("parentaccountid")).GetAttributeValue<EntityReference>("parentaccountid");
            Assert.That(lookup.Id, Is.EqualTo(other));
            Assert.That(lookup.KeyAttributes, Is.Empty);
        }

        [Test]
        public void Create_WithALookupByAlternateKey_AndReferenceChecksOff_KeepsTheKeyItCouldNotResolve()
        {
            // With no id there is nothing else to keep: the lookup reads back as it was given.
            var org = new XrmOrganization { ValidateReferences = false };
            var service = org.GetOrganizationService();

            service.Create(new Entity("opportunity", DealId) { ["name"] = "Deal", ["parentaccountid"] = new EntityReference("account", "accountnumber", "A-1") });

            var lookup = service.Retrieve("opportunity", DealId, new ColumnSet("parentaccountid")).GetAttributeValue<EntityReference>("parentaccountid");
            Assert.That(lookup.Id, Is.EqualTo(Guid.Empty));
            Assert.That(lookup.KeyAttributes["accountnumber"], Is.EqualTo("A-1"));
        }

        [Test]
        public void Update_SharesTheValuesItLeaves_WithTheRowBefore_WhichKeepsItsOwn()
        {
            var org = OrgWithADeal(out var before, out var account);
            var service = org.GetOrganizationService();

            service.Update(new Entity("opportunity", DealId) { ["estimatedvalue"] = new Money(250m) });

            var after = org.Rows.Rows("opportunity").Single();
            Assert.That(after, Is.Not.SameAs(before), "an update stores a new row");
            Assert.That(after["parentaccountid"], Is.SameAs(account), "a column the update leaves is the same stored value, not a copy");
            Assert.That(before.GetAttributeValue<Money>("estimatedvalue").Value, Is.EqualTo(100m), "the row before is not changed in place");
            Assert.That(after.GetAttributeValue<Money>("estimatedvalue").Value, Is.EqualTo(250m));
            Assert.That(after.Attributes.Keys.Take(before.Attributes.Count), Is.EqualTo(before.Attributes.Keys), "the columns keep their order");
        }

        [Test]
        public void Update_ThenChangingWhatWasRead_LeavesBothRowsAsTheyWere()
        {
            var org = OrgWithADeal(out var before, out var account);
            var service = org.GetOrganizationService();
            service.Update(new Entity("opportunity", DealId) { ["name"] = "Renamed" });

            var read = service.Retrieve("opportunity", DealId, new ColumnSet("parentaccountid", "estimatedvalue"));
            read.GetAttributeValue<EntityReference>("parentaccountid").Id = Guid.NewGuid();
            read.GetAttributeValue<Money>("estimatedvalue").Value = 1m;

            var stored = org.Get("opportunity", DealId)!;
            Assert.That(stored.GetAttributeValue<EntityReference>("parentaccountid").Id, Is.EqualTo(AccountId));
            Assert.That(stored.GetAttributeValue<Money>("estimatedvalue").Value, Is.EqualTo(100m));
            Assert.That(account.Id, Is.EqualTo(AccountId));
            Assert.That(before.GetAttributeValue<Money>("estimatedvalue").Value, Is.EqualTo(100m));
        }

        /// <summary>PreOperation on Update: changes the values of its pre-image in place, as a careless plugin might.</summary>
        public sealed class ImageScribblerPlugin : IPlugin
        {
            public void Execute(IServiceProvider serviceProvider)
            {
                var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
                var image = context.PreEntityImages["pre"];
                image.GetAttributeValue<Money>("estimatedvalue").Value = -1m;
                image.GetAttributeValue<EntityReference>("parentaccountid").Id = Guid.Empty;
                image["name"] = "scribbled";
            }
        }

        [Test]
        public void PreImage_ChangedByAPlugin_LeavesTheStoredRowAsItWas()
        {
            var org = OrgWithADeal(out _, out _);
            org.RegisterPlugin<ImageScribblerPlugin>("Update", "opportunity", Stages.PreOperation).WithImage("pre", ImageType.PreImage);
            var service = org.GetOrganizationService();

            service.Update(new Entity("opportunity", DealId) { ["description"] = "saved" });

            var stored = org.Get("opportunity", DealId)!;
            Assert.That(stored.GetAttributeValue<Money>("estimatedvalue").Value, Is.EqualTo(100m));
            Assert.That(stored.GetAttributeValue<EntityReference>("parentaccountid").Id, Is.EqualTo(AccountId));
            Assert.That(stored.GetAttributeValue<string>("name"), Is.EqualTo("Deal"));
            Assert.That(stored.GetAttributeValue<string>("description"), Is.EqualTo("saved"));
        }

        [Test]
        public void Create_OfRowsWithEqualValues_StoresOneOfEach_AndReadsApart()
        {
            var org = new XrmOrganization { UtcNow = new DateTime(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc) };
            var service = org.GetOrganizationService();
            Guid Save(string name) => service.Create(new Entity("task") { ["subject"] = name, ["prioritycode"] = new OptionSetValue(2), ["category"] = "Follow-up" });
            var first = Save("First");
            var second = Save("Second");

            var rows = org.Rows.Rows("task").ToDictionary(r => r.Id);
            foreach (var column in new[] { "prioritycode", "category", "createdby", "ownerid", "owningbusinessunit", "statecode", "createdon" })
                Assert.That(rows[second][column], Is.SameAs(rows[first][column]), column + ": one stored value for both rows");
            Assert.That(rows[second]["subject"], Is.Not.SameAs(rows[first]["subject"]));

            // A caller changing what it read of one row changes neither row.
            var read = service.Retrieve("task", first, new ColumnSet("prioritycode", "createdby"));
            read.GetAttributeValue<OptionSetValue>("prioritycode").Value = 3;
            read.GetAttributeValue<EntityReference>("createdby").Id = Guid.NewGuid();
            foreach (var id in new[] { first, second })
            {
                var stored = org.Get("task", id)!;
                Assert.That(stored.GetAttributeValue<OptionSetValue>("prioritycode").Value, Is.EqualTo(2));
                Assert.That(stored.GetAttributeValue<EntityReference>("createdby").Id, Is.EqualTo(org.AdministratorId));
            }
        }

        [Test]
        public void Create_OfValuesEqualButWrittenApart_KeepsEachAsWritten()
        {
            // 1.0 and 1.00 are equal decimals that print apart; a local and a UTC time of the same ticks are equal DateTimes
            // of another kind: each row reads back what it was given.
            var org = new XrmOrganization();
            var service = org.GetOrganizationService();
            var ticks = new DateTime(2026, 11, 2, 9, 0, 0).Ticks;
            var one = service.Create(new Entity("account") { ["name"] = "One", ["revenue"] = new Money(1.0m), ["exchangerate"] = 1.0m, ["description"] = "x" });
            var two = service.Create(new Entity("account") { ["name"] = "Two", ["revenue"] = new Money(1.00m), ["description"] = "x" });
            var a = service.Create(new Entity("task") { ["subject"] = "A", ["scheduledstart"] = new DateTime(ticks, DateTimeKind.Utc), ["actualdurationminutes"] = 5 });
            var b = service.Create(new Entity("task") { ["subject"] = "B", ["scheduledstart"] = new DateTime(ticks, DateTimeKind.Unspecified), ["actualdurationminutes"] = 5L });

            Assert.That(org.Get("account", one)!.GetAttributeValue<Money>("revenue").Value.ToString(System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo("1.0"));
            Assert.That(org.Get("account", two)!.GetAttributeValue<Money>("revenue").Value.ToString(System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo("1.00"));
            Assert.That(org.Get("task", a)!["scheduledstart"], Is.EqualTo(Stored(org, ticks, DateTimeKind.Utc)));
            Assert.That(((DateTime)org.Get("task", b)!["scheduledstart"]).Kind, Is.EqualTo(((DateTime)Stored(org, ticks, DateTimeKind.Unspecified)).Kind));
            Assert.That(org.Get("task", a)!["actualdurationminutes"], Is.TypeOf<int>());
            Assert.That(org.Get("task", b)!["actualdurationminutes"], Is.TypeOf<long>());
        }

        // What a store without any pooling keeps for a date of the given kind (the behaviour of the column decides).
        private static object Stored(XrmOrganization org, long ticks, DateTimeKind kind)
        {
            var fresh = new XrmOrganization();
            var id = fresh.GetOrganizationService().Create(new Entity("task") { ["subject"] = "Fresh", ["scheduledstart"] = new DateTime(ticks, kind) });
            return fresh.Get("task", id)!["scheduledstart"];
        }
    }
}
