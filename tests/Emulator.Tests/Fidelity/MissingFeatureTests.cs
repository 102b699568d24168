using System;
using System.ServiceModel;
using System.Threading;
using CrmPlugins.Emulator.Pipeline;
using Microsoft.Xrm.Sdk;
using NUnit.Framework;

namespace CrmPlugins.Emulator.Tests.Fidelity
{
    /// <summary>Platform features the emulator now models (impersonation, the plugin time limit) and the ones it refuses
    /// loudly instead of passing quietly.</summary>
    public class MissingFeatureTests
    {
        private XrmOrganization _org = null!;
        private readonly Guid _integration = new("00000000-0000-0000-0000-0000000001a1");
        private readonly Guid _rep = new("00000000-0000-0000-0000-0000000001a2");

        [SetUp]
        public void SetUp()
        {
            _org = new XrmOrganization();
            _org.Seed(new Entity("systemuser", _integration) { ["fullname"] = "Integration" }, new Entity("systemuser", _rep) { ["fullname"] = "Rep" });
        }

        private OrganizationService ServiceActingFor(Guid actor, Guid user)
        {
            var service = (OrganizationService)_org.GetOrganizationService(actor);
            service.CallerId = user;
            return service;
        }

        // Impersonation (learn.microsoft.com/power-apps/developer/data-platform/impersonate-another-user): the row is the
        // impersonated user's; createdonbehalfby records who acted; the actor needs prvActOnBehalfOfAnotherUser, and "user (A)
        // is allowed to do something if and only if user (A) and the impersonated user (B) have the privilege".
        [Test]
        public void Create_WithCallerId_IsTheImpersonatedUsersRow_RecordingWhoActedOnTheirBehalf()
        {
            var id = ServiceActingFor(_integration, _rep).Create(new Entity("account") { ["name"] = "Contoso" });

            var row = _org.Get("account", id)!;
            Assert.That(row.GetAttributeValue<EntityReference>("createdby").Id, Is.EqualTo(_rep));
            Assert.That(row.GetAttributeValue<EntityReference>("ownerid").Id, Is.EqualTo(_rep));
            Assert.That(row.GetAttributeValue<EntityReference>("createdonbehalfby").Id, Is.EqualTo(_integration));
            Assert.That(row.GetAttributeValue<EntityReference>("modifiedonbehalfby").Id, Is.EqualTo(_integration));
        }

        [Test]
        public void Update_WithCallerId_RecordsModifiedOnBehalfBy_AndPluginsRunAsTheImpersonatedUser()
        {
            _org.RegisterPlugin<RecordingPlugin>("Update", "account", Stages.PreOperation);
            RecordingPlugin.Seen.Clear();
            var id = _org.GetOrganizationService().Create(new Entity("account") { ["name"] = "Contoso" });

            ServiceActingFor(_integration, _rep).Update(new Entity("account", id) { ["name"] = "Contoso Ltd" });

            Assert.That(_org.Get("account", id)!.GetAttributeValue<EntityReference>("modifiedonbehalfby").Id, Is.EqualTo(_integration));
            Assert.That(RecordingPlugin.Seen[0].UserId, Is.EqualTo(_rep));
        }

        [Test]
        public void CallerId_WithoutActOnBehalfOfAnotherUser_IsRefused()
        {
            Enforce(integrationRoles: new[] { ("prvCreatedr_thing", "Global") }, repRoles: new[] { ("prvCreatedr_thing", "Global") });

            var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() => ServiceActingFor(_integration, _rep).Create(new Entity("dr_thing")))!.Detail;

            Assert.That(fault.ErrorCode, Is.EqualTo(ErrorCodes.PrivilegeDenied));
            Assert.That(fault.Message, Does.Contain("prvActOnBehalfOfAnotherUser"));
        }

        [Test]
        public void CallerId_NeedsThePrivilegeOfTheImpersonatedUser_AsWellAsTheActors()
        {
            Enforce(integrationRoles: new[] { ("prvCreatedr_thing", "Global"), ("prvActOnBehalfOfAnotherUser", "Global") }, repRoles: Array.Empty<(string, string)>());

            var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() => ServiceActingFor(_integration, _rep).Create(new Entity("dr_thing")))!.Detail;

            Assert.That(fault.Message, Does.Contain(_rep.ToString()).And.Contain("prvCreatedr_thing"));
            Assert.That(_org.All("dr_thing"), Is.Empty);
        }

        [Test]
        public void CallerId_WithBothUsersPrivileged_Creates()
        {
            Enforce(integrationRoles: new[] { ("prvCreatedr_thing", "Global"), ("prvActOnBehalfOfAnotherUser", "Global") }, repRoles: new[] { ("prvCreatedr_thing", "Global") });

            ServiceActingFor(_integration, _rep).Create(new Entity("dr_thing"));

            Assert.That(_org.All("dr_thing"), Has.Count.EqualTo(1));
        }

        private void Enforce((string, string)[] integrationRoles, (string, string)[] repRoles)
        {
            _org.Security.Govern("dr_thing");
            _org.Security.DefineRole("integration", integrationRoles);
            _org.Security.DefineRole("rep", repRoles);
            _org.Security.AssignRole(_integration, "integration");
            _org.Security.AssignRole(_rep, "rep");
            _org.Security.Enforced = true;
        }

        [Test]
        public void SynchronousPlugin_RunningPastTheTimeLimit_FailsWithTheSandboxTimeoutFault_AndNothingIsSaved()
        {
            // The sandbox's limit is 2 minutes ("a hard 2-minute time limit", learn.microsoft.com/power-apps/developer/data-platform/analyze-performance#time-and-resource-constraints);
            // the fault is SandboxClientPluginTimeout 0x80044171 "The plug-in execution failed because the operation has
            // timed-out at the Sandbox Client." A test shortens the limit; the plugin sleeps well past it.
            Assert.That(new XrmOrganization().PluginExecutionTimeLimit, Is.EqualTo(TimeSpan.FromMinutes(2)));
            _org.PluginExecutionTimeLimit = TimeSpan.FromMilliseconds(50);
            _org.RegisterPlugin<SlowPlugin>("Create", "account", Stages.PreOperation);

            var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() => _org.GetOrganizationService().Create(new Entity("account")))!.Detail;

            Assert.That(fault.ErrorCode, Is.EqualTo(unchecked((int)0x80044171)));
            Assert.That(fault.Message, Does.StartWith("The plug-in execution failed because the operation has timed-out at the Sandbox Client."));
            Assert.That(_org.All("account"), Is.Empty);
        }

        [Test]
        public void PlatformService_TheEmulatorDoesNotModel_FailsLoudly_NamingIt()
        {
            _org.RegisterPlugin<NotifyingPlugin>("Create", "account", Stages.PostOperation);

            var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() => _org.GetOrganizationService().Create(new Entity("account")))!.Detail;

            Assert.That(fault.ErrorCode, Is.EqualTo(ErrorCodes.NotSupported));
            Assert.That(fault.Message, Does.Contain(typeof(IServiceEndpointNotificationService).FullName));
        }

        [Test]
        public void Message_TheEmulatorDoesNotModel_FailsWithTheNotSupportedFault()
        {
            var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() => _org.GetOrganizationService().Execute(new OrganizationRequest("QualifyLead")))!.Detail;

            // 0x80044180 SdkMessageNotSupportedOnServer.
            Assert.That(fault.ErrorCode, Is.EqualTo(unchecked((int)0x80044180)));
            Assert.That(fault.Message, Does.Contain("QualifyLead"));
        }

        public sealed class SlowPlugin : IPlugin
        {
            public void Execute(IServiceProvider serviceProvider) => Thread.Sleep(300);
        }

        public sealed class NotifyingPlugin : IPlugin
        {
            public void Execute(IServiceProvider serviceProvider)
            {
                var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
                var notifications = (IServiceEndpointNotificationService)serviceProvider.GetService(typeof(IServiceEndpointNotificationService))!;
                notifications.Execute(new EntityReference("serviceendpoint", Guid.NewGuid()), context);
            }
        }
    }
}
