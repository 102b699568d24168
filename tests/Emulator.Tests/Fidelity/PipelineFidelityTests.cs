using System;
using System.Collections.Generic;
using System.Linq;
using System.ServiceModel;
using CrmPlugins.Emulator.Pipeline;
using Microsoft.Crm.Sdk.Messages;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;
using NUnit.Framework;

namespace CrmPlugins.Emulator.Tests.Fidelity
{
    /// <summary>
    /// The event pipeline as Microsoft documents it: which steps get images, what PostOperation sees, what a plugin hands
    /// back, how shared variables and the factory's users work, async retries, doomed transactions and batch limits.
    /// Users reported FakeXrmEasy and XrmMockup wrong on several (see tools/Emulator/README.md, "Dataverse behaviour compared").
    /// </summary>
    public class PipelineFidelityTests
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

        private static OrganizationServiceFault FaultOf(TestDelegate action) => Assert.Throws<FaultException<OrganizationServiceFault>>(action)!.Detail;

        // Registration rules: the "Web service error codes" list (SdkMessageDoesNotSupportPostImageRegistration 0x8004416e,
        // SdkMessageInvalidImageTypeRegistration 0x8004416d, SdkMessageDoesNotSupportImageRegistration 0x80044189) and
        // "Messages that support entity images" (learn.microsoft.com/power-apps/developer/data-platform/understand-the-data-context).
        [Test]
        public void PostImage_OnAPreOperationStep_IsRefusedAtRegistration()
        {
            var fault = FaultOf(() => _org.RegisterPlugin<RecordingPlugin>("Update", "account", Stages.PreOperation).WithImage("post", ImageType.PostImage));

            Assert.That(fault.ErrorCode, Is.EqualTo(unchecked((int)0x8004416e)));
            Assert.That(fault.Message, Does.StartWith("PreEvent step registration does not support Post Image."));
        }

        [Test]
        public void PreImage_OnCreate_AndPostImage_OnDelete_AreRefused()
        {
            Assert.That(FaultOf(() => _org.RegisterPlugin<RecordingPlugin>("Create", "account", Stages.PostOperation).WithImage("pre", ImageType.PreImage)).ErrorCode,
                Is.EqualTo(unchecked((int)0x8004416d)));
            Assert.That(FaultOf(() => _org.RegisterPlugin<RecordingPlugin>("Delete", "account", Stages.PostOperation).WithImage("post", ImageType.PostImage)).ErrorCode,
                Is.EqualTo(unchecked((int)0x8004416d)));
        }

        [Test]
        public void Image_OnAMessageWithoutImages_IsRefused_EvenWhenAddedBeforeRegistration()
        {
            var step = new PluginStep("retrieve step", typeof(RecordingPlugin), "Retrieve", "account", Stages.PostOperation);
            step.Images.Add(new StepImage("pre", ImageType.PreImage));

            var fault = FaultOf(() => _org.RegisterStep(step));

            Assert.That(fault.ErrorCode, Is.EqualTo(unchecked((int)0x80044189)));
            Assert.That(fault.Message, Does.StartWith("Message 'Retrieve' does not support image registration."));
        }

        [Test]
        public void SetState_AndAssign_Steps_GetTheirPreAndPostImages()
        {
            var user = Guid.NewGuid();
            _org.Seed(new Entity("systemuser", user) { ["fullname"] = "Rita" });
            var id = _service.Create(new Entity("account") { ["name"] = "Contoso" });
            _org.RegisterPlugin<RecordingPlugin>("SetState", "account", Stages.PostOperation).WithImage("pre", ImageType.PreImage, "statecode").WithImage("post", ImageType.PostImage, "statecode");
            _org.RegisterPlugin<RecordingPlugin>("Assign", "account", Stages.PostOperation).WithImage("pre", ImageType.PreImage, "ownerid").WithImage("post", ImageType.PostImage, "ownerid");

            _service.Execute(new SetStateRequest { EntityMoniker = new EntityReference("account", id), State = new OptionSetValue(1), Status = new OptionSetValue(2) });
            _service.Execute(new AssignRequest { Target = new EntityReference("account", id), Assignee = new EntityReference("systemuser", user) });

            var setState = RecordingPlugin.Seen.Single(c => c.MessageName == "SetState");
            Assert.That(setState.PreEntityImages["pre"].GetAttributeValue<OptionSetValue>("statecode").Value, Is.EqualTo(0));
            Assert.That(setState.PostEntityImages["post"].GetAttributeValue<OptionSetValue>("statecode").Value, Is.EqualTo(1));
            var assign = RecordingPlugin.Seen.Single(c => c.MessageName == "Assign");
            Assert.That(assign.PreEntityImages["pre"].GetAttributeValue<EntityReference>("ownerid").Id, Is.EqualTo(_org.AdministratorId));
            Assert.That(assign.PostEntityImages["post"].GetAttributeValue<EntityReference>("ownerid").Id, Is.EqualTo(user));
        }

        [Test]
        public void PostOperationCreate_SeesTheNewIdAndTheColumnsThePlatformAdded_OnTheTarget()
        {
            _org.RegisterPlugin<RecordingPlugin>("Create", "account", Stages.PostOperation);

            var id = _service.Create(new Entity("account") { ["name"] = "Contoso" });

            var context = RecordingPlugin.Seen.Single();
            var target = (Entity)context.InputParameters["Target"];
            Assert.That(target.Id, Is.EqualTo(id));
            Assert.That(target["accountid"], Is.EqualTo(id));
            Assert.That(target.Attributes.Keys, Is.SupersetOf(new[] { "createdon", "createdby", "modifiedon", "modifiedby", "ownerid", "statecode", "statuscode" }));
            Assert.That(context.OutputParameters["id"], Is.EqualTo(id), "Create's output parameter is 'id'");
        }

        [Test]
        public void PostOperationPlugin_ReplacingAnOutputParameter_ChangesWhatTheCallerReceives()
        {
            _org.RegisterPlugin<MaskingRetrievePlugin>("Retrieve", "account", Stages.PostOperation);
            var id = _service.Create(new Entity("account") { ["name"] = "Contoso" });

            var entity = _service.Retrieve("account", id, new ColumnSet("name"));

            Assert.That(entity["name"], Is.EqualTo("(hidden)"));
        }

        [Test]
        public void SharedVariables_SetInPreValidation_ReachPreOperationPostOperation_AndTheParentContextOfNestedCalls()
        {
            // learn.microsoft.com/power-apps/developer/data-platform/understand-the-data-context#shared-variables
            _org.RegisterPlugin<SharingPlugin>("Create", "account", Stages.PreValidation);
            _org.RegisterPlugin<RecordingPlugin>("Create", "account", Stages.PreOperation);
            _org.RegisterPlugin<FollowUpTaskPlugin>("Create", "account", Stages.PostOperation);
            _org.RegisterPlugin<RecordingPlugin>("Create", "task", Stages.PreOperation);

            _service.Create(new Entity("account") { ["name"] = "Contoso" });

            var pre = RecordingPlugin.Seen.First(c => c.PrimaryEntityName == "account");
            Assert.That(pre.SharedVariables["from"], Is.EqualTo("PreValidation"));
            var post = _org.Executions.Single(e => e.PluginType == typeof(FollowUpTaskPlugin)).Context;
            Assert.That(post.SharedVariables["from"], Is.EqualTo("PreValidation"));
            var nested = RecordingPlugin.Seen.Single(c => c.PrimaryEntityName == "task");
            Assert.That(nested.ParentContext.SharedVariables["from"], Is.EqualTo("PreValidation"));
        }

        [Test]
        public void CreateOrganizationService_WithGuidEmpty_RunsAsTheContextsUser_AndWithNull_AsSystem()
        {
            // "a null value indicates the SYSTEM user and a Guid.Empty value indicates the same user as
            // IPluginExecutionContext.UserId" (learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.iorganizationservicefactory.createorganizationservice)
            var rep = Guid.NewGuid();
            _org.Seed(new Entity("systemuser", rep) { ["fullname"] = "Rep" });
            _org.RegisterPlugin<WhoAmIPlugin>("Create", "account", Stages.PostOperation);

            _org.GetOrganizationService(rep).Create(new Entity("account"));

            var trace = _org.Executions.Single(e => e.PluginType == typeof(WhoAmIPlugin)).Trace;
            Assert.That(trace, Does.Contain($"empty={rep}").And.Contain($"null={_org.SystemUserId}"));
        }

        [Test]
        public void RetrieveMultipleSteps_RunForFetchXml_AsForQueryExpression()
        {
            _org.RegisterPlugin<RecordingPlugin>("RetrieveMultiple", "account", Stages.PreOperation);

            _service.RetrieveMultiple(new FetchExpression("<fetch><entity name='account'><attribute name='name' /></entity></fetch>"));
            _service.RetrieveMultiple(new QueryExpression("account"));

            Assert.That(RecordingPlugin.Seen.Count(c => c.MessageName == "RetrieveMultiple"), Is.EqualTo(2));
        }

        [Test]
        public void AsyncPlugin_AskingForARetry_RunsFourTimes_ThenTheJobFails()
        {
            // "the asynchronous service will attempt to run your plug-in four times"
            // (learn.microsoft.com/power-apps/developer/data-platform/handle-exceptions#retry-an-asynchronous-plug-in)
            _org.RegisterPlugin<RetryPlugin>("Create", "account", Stages.PostOperation, Modes.Asynchronous);
            _service.Create(new Entity("account") { ["name"] = "never" });

            _org.RunAsyncOperations();

            var job = _org.AsyncOperations.Single();
            Assert.That((job.Status, job.Attempts), Is.EqualTo((AsyncOperationStatus.Failed, 4)));
        }

        [Test]
        public void AsyncPlugin_AskingForARetry_SucceedsWhenALaterAttemptDoes()
        {
            _org.RegisterPlugin<RetryPlugin>("Create", "account", Stages.PostOperation, Modes.Asynchronous);
            _service.Create(new Entity("account") { ["name"] = "third time" });

            _org.RunAsyncOperations();

            var job = _org.AsyncOperations.Single();
            Assert.That((job.Status, job.Attempts), Is.EqualTo((AsyncOperationStatus.Succeeded, 3)));
        }

        [Test]
        public void FaultCaughtByThePlugin_InsideTheTransaction_StillFailsTheOperation_AndRollsItBack()
        {
            // "within the execution of a plug-in any data operation failure will result in rolling back the entire
            // transaction. You can't swallow the error" -2146893812 (learn.microsoft.com/power-apps/developer/data-platform/troubleshoot-plug-in#transaction-errors)
            _org.RegisterPlugin<SwallowingPlugin>("Create", "account", Stages.PostOperation);

            var fault = FaultOf(() => _service.Create(new Entity("account") { ["name"] = "Contoso" }));

            Assert.That(fault.ErrorCode, Is.EqualTo(-2146893812));
            Assert.That(fault.Message, Does.StartWith("ISV code reduced the open transaction count."));
            Assert.That(_org.All("account"), Is.Empty);
            Assert.That(_org.All("task"), Is.Empty);
        }

        [Test]
        public void FaultCaughtInPreValidation_OutsideTheTransaction_DoesNotFailTheOperation()
        {
            _org.RegisterPlugin<SwallowingPlugin>("Create", "account", Stages.PreValidation);

            _service.Create(new Entity("account") { ["name"] = "Contoso" });

            Assert.That(_org.All("account"), Has.Count.EqualTo(1));
        }

        [Test]
        public void ExecuteMultiple_InsideExecuteMultiple_FaultsThatItem_AndRunsTheOthers()
        {
            // "No recursion is allowed ... An ExecuteMultipleRequest found in the request collection will generate a fault
            // for that request item." (learn.microsoft.com/power-apps/developer/data-platform/org-service/execute-multiple-requests#run-time-limitations)
            var inner = new ExecuteMultipleRequest { Requests = new OrganizationRequestCollection(), Settings = new ExecuteMultipleSettings() };
            var outer = new ExecuteMultipleRequest
            {
                Requests = new OrganizationRequestCollection { inner, new CreateRequest { Target = new Entity("account") { ["name"] = "after" } } },
                Settings = new ExecuteMultipleSettings { ContinueOnError = true, ReturnResponses = true },
            };

            var response = (ExecuteMultipleResponse)_service.Execute(outer);

            Assert.That(response.Responses.Single(r => r.RequestIndex == 0).Fault, Is.Not.Null);
            Assert.That(response.Responses.Single(r => r.RequestIndex == 1).Fault, Is.Null);
            Assert.That(_org.All("account"), Has.Count.EqualTo(1));
        }

        [Test]
        public void ExecuteTransaction_ContainingExecuteMultiple_Faults_AndRunsNothing()
        {
            // "An ExecuteTransactionRequest instance may not contain a ExecuteMultipleRequest or ExecuteTransactionRequest."
            // (learn.microsoft.com/power-apps/developer/data-platform/org-service/use-executetransaction)
            var request = new ExecuteTransactionRequest
            {
                Requests = new OrganizationRequestCollection
                {
                    new CreateRequest { Target = new Entity("account") },
                    new ExecuteMultipleRequest { Requests = new OrganizationRequestCollection(), Settings = new ExecuteMultipleSettings() },
                },
            };

            var fault = FaultOf(() => _service.Execute(request));

            Assert.That(((ExecuteTransactionFault)fault).FaultedRequestIndex, Is.EqualTo(1));
            Assert.That(_org.All("account"), Is.Empty);
        }

        [Test]
        public void ExecuteMultiple_OverTheMaximumBatchSize_FaultsBeforeTheFirstRequest_NamingTheMaximum()
        {
            // "If that limit is exceeded, a fault is thrown before the first request is ever executed ... The maximum batch
            // size is returned in the fault" as ErrorDetails["MaxBatchSize"] (execute-multiple-requests#handle-a-batch-size-fault).
            var request = new ExecuteMultipleRequest { Requests = new OrganizationRequestCollection(), Settings = new ExecuteMultipleSettings() };
            for (var i = 0; i < 1001; i++) request.Requests.Add(new CreateRequest { Target = new Entity("account") });

            var fault = FaultOf(() => _service.Execute(request));

            Assert.That(fault.ErrorDetails["MaxBatchSize"], Is.EqualTo(1000));
            Assert.That(_org.All("account"), Is.Empty);
        }

        public sealed class MaskingRetrievePlugin : IPlugin
        {
            public void Execute(IServiceProvider serviceProvider)
            {
                var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
                var entity = (Entity)context.OutputParameters["Entity"];
                context.OutputParameters["Entity"] = new Entity(entity.LogicalName, entity.Id) { ["name"] = "(hidden)" };
            }
        }

        public sealed class SharingPlugin : IPlugin
        {
            public void Execute(IServiceProvider serviceProvider) =>
                ((IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!).SharedVariables["from"] = "PreValidation";
        }

        public sealed class FollowUpTaskPlugin : IPlugin
        {
            public void Execute(IServiceProvider serviceProvider)
            {
                var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
                var factory = (IOrganizationServiceFactory)serviceProvider.GetService(typeof(IOrganizationServiceFactory))!;
                factory.CreateOrganizationService(context.UserId).Create(new Entity("task") { ["subject"] = "Call" });
            }
        }

        public sealed class WhoAmIPlugin : IPlugin
        {
            public void Execute(IServiceProvider serviceProvider)
            {
                var factory = (IOrganizationServiceFactory)serviceProvider.GetService(typeof(IOrganizationServiceFactory))!;
                var tracing = (ITracingService)serviceProvider.GetService(typeof(ITracingService))!;
                var empty = ((WhoAmIResponse)factory.CreateOrganizationService(Guid.Empty).Execute(new WhoAmIRequest())).UserId;
                var none = ((WhoAmIResponse)factory.CreateOrganizationService(null).Execute(new WhoAmIRequest())).UserId;
                tracing.Trace("empty={0} null={1}", empty, none);
            }
        }

        public sealed class RetryPlugin : IPlugin
        {
            private readonly Dictionary<Guid, int> _attempts = new();

            public void Execute(IServiceProvider serviceProvider)
            {
                var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
                var target = (Entity)context.InputParameters["Target"];
                var attempt = _attempts[target.Id] = _attempts.TryGetValue(target.Id, out var n) ? n + 1 : 1;
                if (target.GetAttributeValue<string>("name") == "never" || attempt < 3)
                    throw new InvalidPluginExecutionException(OperationStatus.Retry, "The credit service is busy.");
            }
        }

        /// <summary>Tries a write that fails (a task with a missing id to update), catches the fault and carries on.</summary>
        public sealed class SwallowingPlugin : IPlugin
        {
            public void Execute(IServiceProvider serviceProvider)
            {
                var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
                var service = ((IOrganizationServiceFactory)serviceProvider.GetService(typeof(IOrganizationServiceFactory))!).CreateOrganizationService(context.UserId);
                service.Create(new Entity("task") { ["subject"] = "written before the failure" });
                try
                {
                    service.Update(new Entity("task", Guid.NewGuid()) { ["subject"] = "missing" });
                }
                catch (FaultException<OrganizationServiceFault>)
                {
                    // carry on as if nothing happened
                }
            }
        }
    }
}
