using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.Serialization;
using System.ServiceModel;
using System.Text;
using System.Xml;
using CrmPlugins.Emulator.Pipeline;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using NUnit.Framework;

namespace CrmPlugins.Emulator.Tests.Fidelity
{
    /// <summary>
    /// What crosses the sandbox boundary crosses it serialized: "Dataverse plug-ins run in an isolated sandbox" and the
    /// shared variables "must be serializable" (learn.microsoft.com/power-apps/developer/data-platform/understand-the-data-context#shared-variables;
    /// learn.microsoft.com/power-apps/developer/data-platform/plug-ins#sandbox). FakeXrmEasy hands the plugin the caller's own
    /// objects, so a plugin that puts a non-serializable value in SharedVariables passes there and fails in Dataverse.
    /// </summary>
    public class SerializationFidelityTests
    {
        private XrmOrganization _org = null!;
        private IOrganizationService _service = null!;

        [SetUp]
        public void SetUp()
        {
            _org = new XrmOrganization();
            _service = _org.GetOrganizationService();
            RecordingPlugin.Seen.Clear();
        }

        [Test]
        public void SharedVariable_ThatIsNotADataContract_FailsAsInTheSandbox_NamingTheVariable()
        {
            _org.RegisterPlugin<ListSharingPlugin>("Create", "account", Stages.PreOperation);

            var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() => _service.Create(new Entity("account")))!.Detail;

            Assert.That(fault.ErrorCode, Is.EqualTo(ErrorCodes.IsvUnExpected));
            Assert.That(fault.Message, Does.Contain("SerializationException").And.Contain("SharedVariables[\"ids\"]"));
            Assert.That(_org.All("account"), Is.Empty);
        }

        [Test]
        public void SharedVariable_OfSdkAndPrimitiveTypes_CrossesTheBoundary()
        {
            _org.RegisterPlugin<SdkSharingPlugin>("Create", "account", Stages.PreValidation);
            _org.RegisterPlugin<RecordingPlugin>("Create", "account", Stages.PostOperation);

            _service.Create(new Entity("account"));

            var shared = RecordingPlugin.Seen.Single().SharedVariables;
            Assert.That(shared["count"], Is.EqualTo(3));
            Assert.That(((EntityReference)shared["owner"]).LogicalName, Is.EqualTo("systemuser"));
            Assert.That((Guid[])shared["ids"], Has.Length.EqualTo(2));
        }

        [Test]
        public void ColumnValue_ThatIsNotADataContract_PutOnTheTargetByAPlugin_Fails()
        {
            _org.RegisterPlugin<BadColumnPlugin>("Create", "account", Stages.PreOperation);

            var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() => _service.Create(new Entity("account")))!.Detail;

            Assert.That(fault.ErrorCode, Is.EqualTo(ErrorCodes.IsvUnExpected));
            Assert.That(fault.Message, Does.Contain("'dr_tags'"));
        }

        [Test]
        public void ColumnValue_ThatIsNotADataContract_SentByTheCaller_IsRefused()
        {
            var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() =>
                _service.Create(new Entity("account") { ["dr_tags"] = new List<string> { "a" } }))!.Detail;

            Assert.That(fault.ErrorCode, Is.EqualTo(ErrorCodes.InvalidArgument));
            Assert.That(fault.Message, Does.Contain("dr_tags"));
        }

        [Test]
        public void Plugin_GetsItsOwnCopy_OfTheCallersTarget()
        {
            _org.RegisterPlugin<RecordingPlugin>("Create", "account", Stages.PreOperation);
            var target = new Entity("account") { ["name"] = "Contoso" };

            _service.Create(target);

            Assert.That(RecordingPlugin.Seen.Single().InputParameters["Target"], Is.Not.SameAs(target));
            Assert.That(target.Id, Is.EqualTo(Guid.Empty), "the caller's object is never changed");
        }

        /// <summary>The copy a plugin gets is exactly what the DataContractSerializer round trip gives: the same XML, written
        /// with the SDK's contracts, for a Target holding every kind of plain column value and for an image.</summary>
        [Test]
        public void TargetAndImage_ThePluginGets_SerializeToTheSameXmlAsTheCallersOwn()
        {
            var id = _service.Create(new Entity("account") { ["name"] = "Contoso" });
            _org.RegisterPlugin<RecordingPlugin>("Update", "account", Stages.PreOperation).WithImage("pre", ImageType.PreImage);
            var target = new Entity("account", id)
            {
                ["name"] = "Contoso Ltd", ["revenue"] = new Money(12.5m), ["industrycode"] = new OptionSetValue(3),
                ["primarycontactid"] = new EntityReference("contact", _service.Create(new Entity("contact") { ["lastname"] = "Ann" })) { Name = "Ann" }, ["numberofemployees"] = 42,
                ["creditonhold"] = true, ["exchangerate"] = 1.25m, ["lastusedincampaign"] = new DateTime(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc),
                ["dr_choices"] = new OptionSetValueCollection { new OptionSetValue(1), new OptionSetValue(2) }, ["description"] = null,
            };

            var before = _org.Get("account", id)!;

            _service.Update(target);

            var context = RecordingPlugin.Seen.Single();
            Assert.That(Generated.Xml((Entity)context.InputParameters["Target"]), Is.EqualTo(Generated.Xml(target)));
            Assert.That(Generated.Xml(context.PreEntityImages["pre"]), Is.EqualTo(Generated.Xml(before)));
        }

        [Test]
        public void Query_WithAConditionValueThatIsNotADataContract_IsRefused()
        {
            var query = new QueryExpression("account");
            query.Criteria.AddCondition("name", ConditionOperator.Equal, new StringBuilder("x"));

            var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() => _service.RetrieveMultiple(query))!.Detail;

            Assert.That(fault.ErrorCode, Is.EqualTo(ErrorCodes.InvalidArgument));
            Assert.That(fault.Message, Does.Contain("StringBuilder"));
        }

        public sealed class ListSharingPlugin : IPlugin
        {
            public void Execute(IServiceProvider serviceProvider) =>
                ((IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!).SharedVariables["ids"] = new List<Guid> { Guid.NewGuid() };
        }

        public sealed class SdkSharingPlugin : IPlugin
        {
            public void Execute(IServiceProvider serviceProvider)
            {
                var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
                context.SharedVariables["count"] = 3;
                context.SharedVariables["owner"] = new EntityReference("systemuser", context.UserId);
                context.SharedVariables["ids"] = new[] { Guid.NewGuid(), Guid.NewGuid() };
            }
        }

        public sealed class BadColumnPlugin : IPlugin
        {
            public void Execute(IServiceProvider serviceProvider)
            {
                var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
                ((Entity)context.InputParameters["Target"])["dr_tags"] = new Dictionary<string, int> { ["a"] = 1 };
            }
        }
    }
}
