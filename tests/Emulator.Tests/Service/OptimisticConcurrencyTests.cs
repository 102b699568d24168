using System.Linq;
using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;
using NUnit.Framework;

namespace CrmPlugins.Emulator.Tests.Service
{
    /// <summary>
    /// Optimistic concurrency (learn.microsoft.com/power-apps/developer/data-platform/optimistic-concurrency): rows come
    /// with their RowVersion; an Update or UpdateMultiple with ConcurrencyBehavior IfRowVersionMatches is refused with
    /// ConcurrencyVersionMismatch (0x80060882) when the row changed since it was read.
    /// </summary>
    public class OptimisticConcurrencyTests
    {
        private XrmOrganization _org = null!;
        private IOrganizationService _service = null!;

        [SetUp]
        public void SetUp()
        {
            _org = new XrmOrganization();
            _service = _org.GetOrganizationService();
        }

        private Entity Read() => _service.RetrieveMultiple(new QueryExpression("account") { ColumnSet = new ColumnSet("name") }).Entities.Single();

        [Test]
        public void RetrieveMultiple_GivesEachRowItsVersion()
        {
            _service.Create(new Entity("account") { ["name"] = "Contoso" });

            var row = Read();

            Assert.That(row.RowVersion, Is.Not.Null.And.Not.Empty);
            Assert.That(row.RowVersion, Is.EqualTo(_org.All("account").Single().RowVersion));
        }

        [Test]
        public void UpdateMultiple_IfRowVersionMatches_OfARowChangedSinceItWasRead_IsRefusedAndChangesNothing()
        {
            _service.Create(new Entity("account") { ["name"] = "Contoso" });
            var read = Read();
            _service.Update(new Entity("account", read.Id) { ["name"] = "Contoso Ltd" });

            var stale = new UpdateMultipleRequest
            {
                Targets = new EntityCollection { EntityName = "account", Entities = { new Entity("account", read.Id) { ["name"] = "Fabrikam", RowVersion = read.RowVersion } } },
                ConcurrencyBehavior = ConcurrencyBehavior.IfRowVersionMatches,
            };

            Assert.That(() => _service.Execute(stale), Throws.InstanceOf<FaultException<OrganizationServiceFault>>()
                .With.Property("Detail").With.Property("ErrorCode").EqualTo(ErrorCodes.ConcurrencyVersionMismatch)
                .And.Message.EqualTo("The version of the existing record doesn't match the RowVersion property provided."));
            Assert.That(_org.All("account").Single()["name"], Is.EqualTo("Contoso Ltd"));
        }

        [Test]
        public void Update_IfRowVersionMatches_OfTheVersionRead_Writes_AndWithoutTheBehaviourAStaleVersionIsIgnored()
        {
            _service.Create(new Entity("account") { ["name"] = "Contoso" });
            var read = Read();

            _service.Execute(new UpdateRequest { Target = new Entity("account", read.Id) { ["name"] = "Contoso Ltd", RowVersion = read.RowVersion }, ConcurrencyBehavior = ConcurrencyBehavior.IfRowVersionMatches });
            _service.Update(new Entity("account", read.Id) { ["name"] = "Contoso Group", RowVersion = read.RowVersion });

            Assert.That(_org.All("account").Single()["name"], Is.EqualTo("Contoso Group"));
        }
    }
}
