using System;
using System.Linq;
using System.ServiceModel;
using CrmPlugins.Emulator;
using CrmPlugins.Emulator.Pipeline;
using Microsoft.Xrm.Sdk;
using NUnit.Framework;

namespace SdkIdioms.Tests
{
    /// <summary>Plugins written in the idioms of Microsoft's template and samples run unchanged through the emulator.</summary>
    public class IdiomPluginTests
    {
        private XrmOrganization _org = null!;
        private IOrganizationService _service = null!;

        [SetUp]
        public void SetUp()
        {
            _org = new XrmOrganization();
            _service = _org.GetOrganizationService();
        }

        [Test]
        public void TemplatePlugin_CreatesTheFollowUpTask_AndTracesEntryAndExit()
        {
            _org.RegisterPlugin<FollowUpTaskPlugin>("Create", "account", Stages.PostOperation);

            var id = _service.Create(new Entity("account") { ["name"] = "Contoso" });

            var task = _org.All("task").Single();
            Assert.That(task.GetAttributeValue<EntityReference>("regardingobjectid"), Is.EqualTo(new EntityReference("account", id)));
            var trace = _org.Executions.Single().Trace;
            Assert.That(trace, Does.Contain("Entered SdkIdioms.FollowUpTaskPlugin.Execute()"));
            Assert.That(trace, Does.Contain("FollowupPlugin: Creating the task activity."));
            Assert.That(trace, Does.Contain("[Information] [ExecuteDataversePlugin] task created"));
            Assert.That(trace, Does.Contain("Exiting SdkIdioms.FollowUpTaskPlugin.Execute()"));
        }

        [Test]
        public void TemplatePlugin_TurnsAFaultOfItsOwnCallIntoInvalidPluginExecutionException()
        {
            _org.RegisterPlugin<FollowUpTaskPlugin>("Create", "account", Stages.PostOperation);
            _org.FailWhen(call => call.FromPlugin, () => Faults.Create(ErrorCodes.PrivilegeDenied, "Principal user is missing prvCreateTask privilege"));

            var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() => _service.Create(new Entity("account") { ["name"] = "Contoso" }))!;

            Assert.That(fault.Detail.ErrorCode, Is.EqualTo(ErrorCodes.IsvAborted));
            Assert.That(fault.Detail.Message, Is.EqualTo("OrganizationServiceFault: Principal user is missing prvCreateTask privilege"));
            Assert.That(_org.All("account"), Is.Empty);
        }

        [Test]
        public void SamplePlugin_SetsTheAccountNumberInPreOperation()
        {
            _org.RegisterPlugin<AccountNumberPlugin>("Create", "account", Stages.PreOperation);

            var id = _service.Create(new Entity("account") { ["name"] = "contoso" });

            Assert.That(_org.Get("account", id)!["accountnumber"], Is.EqualTo("ACC-CONTOSO"));
        }

        [Test]
        public void SamplePlugin_RefusesAnAccountNumberFromTheUser()
        {
            _org.RegisterPlugin<AccountNumberPlugin>("Create", "account", Stages.PreOperation);

            var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() => _service.Create(new Entity("account") { ["accountnumber"] = "X" }))!;

            Assert.That(fault.Detail.Message, Is.EqualTo("The account number can only be set by the system."));
        }

        [Test]
        public void SharedVariables_FlowFromPreToPostEvent()
        {
            _org.RegisterPlugin<PreEventPlugin>("Create", "account", Stages.PreOperation);
            _org.RegisterPlugin<PostEventPlugin>("Create", "account", Stages.PostOperation);

            _service.Create(new Entity("account"));

            Assert.That(_org.Executions.Last().Trace, Does.Contain("Shared value: account:20"));
        }

        [Test]
        public void QueryIdiom_LinkedQueryFromAPlugin_CountsTheAccountsContacts()
        {
            var account = Guid.NewGuid();
            _org.Seed(new Entity("account", account) { ["name"] = "Contoso" });
            _org.Seed(
                new Entity("contact") { ["fullname"] = "A", ["parentcustomerid"] = new EntityReference("account", account) },
                new Entity("contact") { ["fullname"] = "B", ["parentcustomerid"] = new EntityReference("account", account) },
                new Entity("contact") { ["fullname"] = "C" });
            _org.RegisterPlugin<ContactCountPlugin>("Update", "account", Stages.PreOperation);

            _service.Update(new Entity("account", account) { ["name"] = "Contoso Ltd" });

            Assert.That(_org.Get("account", account)!["numberofemployees"], Is.EqualTo(2));
        }
    }
}

namespace SdkIdioms.Tests
{
    using System.Collections.Generic;
    using CrmPlugins.Emulator.Pipeline;

    /// <summary>A custom workflow activity written in the samples' idiom runs unchanged in the emulator.</summary>
    public class IdiomActivityTests
    {
        [Test]
        public void SampleActivity_ReadsInputs_UsesTheServices_AndSetsItsOutput()
        {
            var org = new XrmOrganization();
            var id = org.GetOrganizationService().Create(new Entity("account") { ["creditlimit"] = new Money(500m) });

            var run = org.ExecuteCodeActivity<IncrementCreditLimit>(
                new Dictionary<string, object?> { ["Account"] = new EntityReference("account", id), ["Increment"] = new Money(250m), ["Rating"] = new OptionSetValue(2) },
                new WorkflowContext { PrimaryEntityName = "account", PrimaryEntityId = id, StageName = "Main" });

            Assert.That(((Money)run.Outputs["NewCreditLimit"]!).Value, Is.EqualTo(750m));
            Assert.That(org.Get("account", id)!.GetAttributeValue<Money>("creditlimit").Value, Is.EqualTo(750m));
            Assert.That(org.Get("account", id)!.GetAttributeValue<OptionSetValue>("accountratingcode").Value, Is.EqualTo(2));
            Assert.That(run.Trace, Does.Contain("stage 'Main' runs for account " + id));
        }
    }
}
