using System;
using System.Linq;
using System.ServiceModel;
using CrmPlugins.Emulator.Pipeline;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using NUnit.Framework;

namespace CrmPlugins.Emulator.Tests.Pipeline
{
    public class PipelineTests
    {
        private XrmOrganization _org = null!;
        private IOrganizationService _service = null!;

        [SetUp]
        public void SetUp()
        {
            _org = new XrmOrganization { UtcNow = new DateTime(2026, 11, 2, 0, 0, 0, DateTimeKind.Utc) };
            _service = _org.GetOrganizationService();
            RecordingPlugin.Seen.Clear();
        }

        [Test]
        public void PreOperation_ChangesToTarget_AreSaved()
        {
            _org.RegisterPlugin<UpperCaseNamePlugin>("Create", "account", Stages.PreOperation);

            var id = _service.Create(new Entity("account") { ["name"] = "contoso" });

            Assert.That(_org.Get("account", id)!["name"], Is.EqualTo("CONTOSO"));
        }

        [Test]
        public void Stages_RunInOrder_WithContextFacts()
        {
            foreach (var stage in new[] { Stages.PostOperation, Stages.PreValidation, Stages.PreOperation })
                _org.RegisterPlugin<RecordingPlugin>("Create", "account", stage);

            var id = _service.Create(new Entity("account") { ["name"] = "Contoso" });

            Assert.That(RecordingPlugin.Seen.Select(c => c.Stage), Is.EqualTo(new[] { 10, 20, 40 }));
            var pre = RecordingPlugin.Seen[0];
            var post = RecordingPlugin.Seen[2];
            Assert.Multiple(() =>
            {
                Assert.That(pre.IsInTransaction, Is.False, "PreValidation of an outside call runs before the transaction");
                Assert.That(RecordingPlugin.Seen[1].IsInTransaction, Is.True);
                Assert.That(post.OutputParameters["id"], Is.EqualTo(id));
                Assert.That(post.PrimaryEntityId, Is.EqualTo(id));
                Assert.That(post.MessageName, Is.EqualTo("Create"));
                Assert.That(post.PrimaryEntityName, Is.EqualTo("account"));
                Assert.That(post.Depth, Is.EqualTo(1));
                Assert.That(post.Mode, Is.EqualTo(0));
                Assert.That(post.UserId, Is.EqualTo(_org.AdministratorId));
                Assert.That(post.InitiatingUserId, Is.EqualTo(_org.AdministratorId));
                Assert.That(post.BusinessUnitId, Is.EqualTo(_org.RootBusinessUnitId));
                Assert.That(post.OrganizationId, Is.EqualTo(_org.OrganizationId));
                Assert.That(post.CorrelationId, Is.EqualTo(pre.CorrelationId));
                Assert.That(post.CorrelationId, Is.Not.EqualTo(Guid.Empty));
            });
        }

        [Test]
        public void Rank_OrdersStepsOfOneStage()
        {
            _org.RegisterPlugin<UpperCaseNamePlugin>("Create", "account", Stages.PreOperation).Rank = 2;
            _org.RegisterPlugin<RecordingPlugin>("Create", "account", Stages.PreOperation).Rank = 1;

            _service.Create(new Entity("account") { ["name"] = "contoso" });

            Assert.That(_org.Executions.Select(e => e.PluginType), Is.EqualTo(new[] { typeof(RecordingPlugin), typeof(UpperCaseNamePlugin) }));
        }

        [Test]
        public void StepsOfOneStageAndRank_RunByMessage_ThenAsRegistered()
        {
            // A Create runs the steps on Create before those on CreateMultiple; steps alike otherwise run as registered.
            var multiple = _org.RegisterPlugin<RecordingPlugin>("CreateMultiple", "account", Stages.PreOperation);
            var first = _org.RegisterPlugin<RecordingPlugin>("Create", "account", Stages.PreOperation);
            var second = _org.RegisterPlugin<RecordingPlugin>("Create", "account", Stages.PreOperation);

            _service.Create(new Entity("account") { ["name"] = "contoso" });

            Assert.That(_org.Executions.Select(e => e.Step), Is.EqualTo(new[] { first, second, multiple }));
        }

        [Test]
        public void SharedVariables_FlowFromPreToPostOperation()
        {
            _org.RegisterPlugin<UpperCaseNamePlugin>("Create", "account", Stages.PreOperation);
            _org.RegisterPlugin<RecordingPlugin>("Create", "account", Stages.PostOperation);

            _service.Create(new Entity("account") { ["name"] = "x" });

            Assert.That(RecordingPlugin.Seen.Single().SharedVariables["touched"], Is.EqualTo(true));
        }

        [Test]
        public void FilteringAttributes_StepRunsOnlyWhenAFilteredColumnChanges()
        {
            _org.RegisterPlugin<RecordingPlugin>("Update", "account", Stages.PostOperation).WithFilteringAttributes("creditlimit");
            var id = _service.Create(new Entity("account") { ["name"] = "x" });

            _service.Update(new Entity("account", id) { ["name"] = "y" });
            Assert.That(RecordingPlugin.Seen, Is.Empty);

            _service.Update(new Entity("account", id) { ["creditlimit"] = new Money(5m) });
            Assert.That(RecordingPlugin.Seen, Has.Count.EqualTo(1));
        }

        [Test]
        public void Images_HoldTheRegisteredColumnsBeforeAndAfter()
        {
            _org.RegisterPlugin<RecordingPlugin>("Update", "account", Stages.PostOperation)
                .WithImage("pre", ImageType.PreImage, "name", "telephone1")
                .WithImage("post", ImageType.PostImage, "name");
            var id = _service.Create(new Entity("account") { ["name"] = "old", ["telephone1"] = "1", ["fax"] = "2" });

            _service.Update(new Entity("account", id) { ["name"] = "new" });

            var context = RecordingPlugin.Seen.Single();
            Assert.That(context.PreEntityImages["pre"]["name"], Is.EqualTo("old"));
            Assert.That(context.PreEntityImages["pre"].Attributes.Keys, Is.EquivalentTo(new[] { "name", "telephone1" }));
            Assert.That(context.PostEntityImages["post"]["name"], Is.EqualTo("new"));
            Assert.That(context.PostEntityImages["post"].Contains("fax"), Is.False);
        }

        [Test]
        public void PostImage_IsNotGivenBeforeTheMainOperation()
        {
            // Registering a post image on PreOperation is refused as Dataverse refuses it (Fidelity/PipelineFidelityTests).
            _org.RegisterPlugin<RecordingPlugin>("Update", "account", Stages.PreOperation).WithImage("pre", ImageType.PreImage);
            var id = _service.Create(new Entity("account") { ["name"] = "old" });

            _service.Update(new Entity("account", id) { ["name"] = "new" });

            var context = RecordingPlugin.Seen.Single();
            Assert.That(context.PreEntityImages.Contains("pre"), Is.True);
            Assert.That(context.PostEntityImages.Count, Is.Zero);
        }

        [Test]
        public void InvalidPluginExecutionException_ReachesTheCallerAsIsvAbortedFault_AndNothingIsSaved()
        {
            _org.RegisterPlugin<RefusePlugin>("Create", "account", Stages.PostOperation);

            var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() => _service.Create(new Entity("account")))!;

            Assert.That(fault.Detail.ErrorCode, Is.EqualTo(ErrorCodes.IsvAborted));
            Assert.That(fault.Detail.Message, Is.EqualTo("Refused: the deal needs a manager's approval."));
            Assert.That(_org.All("account"), Is.Empty);
        }

        [Test]
        public void UnexpectedException_ReachesTheCallerAsPlatformFault()
        {
            _org.RegisterPlugin<BuggyPlugin>("Create", "account", Stages.PreOperation);

            var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() => _service.Create(new Entity("account")))!;

            Assert.That(fault.Detail.ErrorCode, Is.EqualTo(ErrorCodes.IsvUnExpected));
            Assert.That(fault.Detail.Message, Does.StartWith("An unexpected error occurred from ISV code. (ErrorType = ClientError) Unexpected exception from plug-in (Execute)"));
            Assert.That(fault.Detail.Message, Does.Contain("boom"));
        }

        [Test]
        public void FailureAfterNestedWrites_RollsEverythingBack()
        {
            _org.RegisterPlugin<FollowUpPlugin>("Create", "account", Stages.PostOperation);
            var before = _org.Snapshot();

            Assert.Throws<FaultException<OrganizationServiceFault>>(() => _service.Create(new Entity("account") { ["name"] = "fail after write" }));

            Assert.That(_org.All("task"), Is.Empty);
            Assert.That(_org.All("account"), Is.Empty);
            Assert.That(_org.Snapshot().Keys, Is.EquivalentTo(before.Keys));
        }

        [Test]
        public void SamplePlugin_WrittenOnlyAgainstTheSdk_RunsUnchanged()
        {
            _org.RegisterPlugin<FollowUpPlugin>("Create", "account", Stages.PostOperation);

            var id = _service.Create(new Entity("account") { ["name"] = "Contoso" });

            var task = _org.All("task").Single();
            Assert.That(task["subject"], Is.EqualTo("Send e-mail to the new customer."));
            Assert.That(task.GetAttributeValue<EntityReference>("regardingobjectid"), Is.EqualTo(new EntityReference("account", id)));
            var execution = _org.Executions.Single(e => e.PluginType == typeof(FollowUpPlugin));
            Assert.That(execution.Calls["Create"], Is.EqualTo(1));
        }

        [Test]
        public void NestedCalls_IncreaseDepth_AndSetParentContext()
        {
            _org.RegisterPlugin<FollowUpPlugin>("Create", "account", Stages.PostOperation);
            _org.RegisterPlugin<RecordingPlugin>("Create", "task", Stages.PreOperation);

            _service.Create(new Entity("account") { ["name"] = "Contoso" });

            var nested = RecordingPlugin.Seen.Single();
            Assert.That(nested.Depth, Is.EqualTo(2));
            Assert.That(nested.ParentContext, Is.Not.Null);
            Assert.That(nested.ParentContext.PrimaryEntityName, Is.EqualTo("account"));
            Assert.That(nested.IsInTransaction, Is.True, "a nested PreValidation/PreOperation runs inside the caller's transaction");
        }

        [Test]
        public void EndlessLoop_IsStoppedAtTheMaximumDepth_AndRolledBack()
        {
            _org.RegisterPlugin<LoopingPlugin>("Update", "account", Stages.PostOperation);
            var id = _service.Create(new Entity("account") { ["name"] = "x" });

            var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() => _service.Update(new Entity("account", id) { ["name"] = "y" }))!;

            Assert.That(fault.Detail.ErrorCode, Is.EqualTo(ErrorCodes.InfiniteLoop));
            Assert.That(fault.Detail.Message, Does.Contain("infinite loop"));
            Assert.That(_org.Executions.Max(e => e.Depth), Is.EqualTo(8));
            Assert.That(_org.Get("account", id)!["name"], Is.EqualTo("x"));
        }

        [Test]
        public void RunAsUser_IsTheContextsUser_WhileInitiatingUserStaysTheCaller()
        {
            var runAs = Guid.NewGuid();
            _org.Seed(new Entity("systemuser", runAs) { ["fullname"] = "Integration" });
            _org.RegisterPlugin<RecordingPlugin>("Create", "account", Stages.PreOperation).RunAsUserId = runAs;

            _service.Create(new Entity("account"));

            Assert.That(RecordingPlugin.Seen.Single().UserId, Is.EqualTo(runAs));
            Assert.That(RecordingPlugin.Seen.Single().InitiatingUserId, Is.EqualTo(_org.AdministratorId));
        }

        [Test]
        public void StepConfiguration_ReachesThePluginConstructor()
        {
            var step = _org.RegisterPlugin<ConfiguredPlugin>("Create", "account", Stages.PreOperation);
            step.UnsecureConfiguration = "open";
            step.SecureConfiguration = "secret";

            var id = _service.Create(new Entity("account"));

            Assert.That(_org.Get("account", id)!["description"], Is.EqualTo("open|secret"));
        }

        [Test]
        public void Tracing_IsCapturedPerExecution()
        {
            _org.RegisterPlugin<RecordingPlugin>("Create", "account", Stages.PreOperation);
            _service.Create(new Entity("account"));
            Assert.That(_org.Executions.Single().Trace, Does.Contain("seen Create stage 20"));
        }

        [Test]
        public void PluginServiceCalls_AreCountedPerExecutionByMessage()
        {
            _org.RegisterPlugin<QueryingPlugin>("Update", "account", Stages.PreOperation);
            var id = _service.Create(new Entity("account") { ["name"] = "Contoso" });

            _service.Update(new Entity("account", id) { ["name"] = "Contoso" });

            var execution = _org.Executions.Single();
            Assert.That(execution.Calls["RetrieveMultiple"], Is.EqualTo(1));
            Assert.That(execution.Calls["Retrieve"], Is.EqualTo(1));
            Assert.That(execution.Calls.Total, Is.EqualTo(2));
            Assert.That(_org.Get("account", id)!["numberofemployees"], Is.EqualTo(1));
        }

        [Test]
        public void AsyncStep_RunsOnlyAfterCommit_WhenAsked()
        {
            _org.RegisterPlugin<FollowUpPlugin>("Create", "account", Stages.PostOperation, Modes.Asynchronous);

            _service.Create(new Entity("account") { ["name"] = "Contoso" });
            Assert.That(_org.All("task"), Is.Empty, "async work waits for the test to run it");
            Assert.That(_org.AsyncOperations.Single().Status, Is.EqualTo(AsyncOperationStatus.Waiting));

            Assert.That(_org.RunAsyncOperations(), Is.EqualTo(1));
            Assert.That(_org.All("task"), Has.Count.EqualTo(1));
            Assert.That(_org.AsyncOperations.Single().Context.Mode, Is.EqualTo(1));
        }

        [Test]
        public void AsyncStep_IsNotQueued_WhenTheOperationRollsBack()
        {
            _org.RegisterPlugin<FollowUpPlugin>("Create", "account", Stages.PostOperation, Modes.Asynchronous);
            _org.RegisterPlugin<RefusePlugin>("Create", "account", Stages.PostOperation);

            Assert.Throws<FaultException<OrganizationServiceFault>>(() => _service.Create(new Entity("account")));

            Assert.That(_org.AsyncOperations, Is.Empty);
        }

        [Test]
        public void FailedAsyncStep_CanBeRetried_WithoutDuplicates()
        {
            _org.RegisterPlugin<FollowUpPlugin>("Create", "account", Stages.PostOperation, Modes.Asynchronous);
            _service.Create(new Entity("account") { ["name"] = "Contoso" });
            _org.FailWhen(call => call.FromPlugin && call.MessageName == "Create");

            _org.RunAsyncOperations();
            Assert.That(_org.AsyncOperations.Single().Status, Is.EqualTo(AsyncOperationStatus.Failed));
            Assert.That(_org.All("task"), Is.Empty);

            _org.RetryFailedAsyncOperations();
            Assert.That(_org.AsyncOperations.Single().Status, Is.EqualTo(AsyncOperationStatus.Succeeded));
            Assert.That(_org.All("task"), Has.Count.EqualTo(1));
        }

        [Test]
        public void FaultInjection_OnAPluginsCall_RollsBackTheWholeOperation()
        {
            _org.RegisterPlugin<FollowUpPlugin>("Create", "account", Stages.PostOperation);
            _org.FailWhen(call => call.FromPlugin);

            var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() => _service.Create(new Entity("account") { ["name"] = "Contoso" }))!;

            Assert.That(fault.Detail.Message, Is.EqualTo("Injected fault."));
            Assert.That(_org.All("account"), Is.Empty);
        }

        [Test]
        public void CreateMultipleStep_AlsoRunsForCreate_WithTargetsOfOne()
        {
            _org.RegisterPlugin<RecordingPlugin>("CreateMultiple", "account", Stages.PreOperation);

            _service.Create(new Entity("account") { ["name"] = "Contoso" });

            var context = RecordingPlugin.Seen.Single();
            Assert.That(context.MessageName, Is.EqualTo("CreateMultiple"));
            Assert.That(((EntityCollection)context.InputParameters["Targets"]).Entities.Single()["name"], Is.EqualTo("Contoso"));
        }

        [Test]
        public void ExecutePlugin_RunsOnePluginWithAHandBuiltContext()
        {
            var target = new Entity("account") { ["name"] = "contoso" };
            var context = new PluginExecutionContext { MessageName = "Create", PrimaryEntityName = "account", Stage = Stages.PreOperation };
            context.InputParameters["Target"] = target;

            var execution = _org.ExecutePlugin<UpperCaseNamePlugin>(context);

            // The plugin works on its own deserialized copy, as in the sandbox: what it left is on the execution's context.
            Assert.That(((Entity)execution.Context.InputParameters["Target"])["name"], Is.EqualTo("CONTOSO"));
            Assert.That(target["name"], Is.EqualTo("contoso"));
            Assert.That(execution.Exception, Is.Null);
        }

        [Test]
        public void Retrieve_TriggersRetrieveSteps()
        {
            _org.RegisterPlugin<RecordingPlugin>("Retrieve", "account", Stages.PostOperation);
            var id = _service.Create(new Entity("account"));

            _service.Retrieve("account", id, new ColumnSet("name"));

            Assert.That(RecordingPlugin.Seen.Single().OutputParameters["Entity"], Is.InstanceOf<Entity>());
        }
    }
}
