using System;
using System.Activities;
using System.Collections.Generic;
using System.Linq;
using System.ServiceModel;
using CrmPlugins.Emulator.Pipeline;
using Microsoft.Crm.Sdk.Messages;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;
using Microsoft.Xrm.Sdk.Workflow;
using NUnit.Framework;

namespace CrmPlugins.Emulator.Tests.Service
{
    /// <summary>The messages beyond CRUD, with the SDK's typed requests and responses.</summary>
    public class MessageTests
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
        public void Execute_ReturnsTheSdksTypedResponses()
        {
            var created = (CreateResponse)_service.Execute(new CreateRequest { Target = new Entity("account") { ["name"] = "Contoso" } });
            var retrieved = (RetrieveResponse)_service.Execute(new RetrieveRequest { Target = new EntityReference("account", created.id), ColumnSet = new ColumnSet("name") });
            var queried = (RetrieveMultipleResponse)_service.Execute(new RetrieveMultipleRequest { Query = new QueryExpression("account") { ColumnSet = new ColumnSet("name") } });

            Assert.That(retrieved.Entity["name"], Is.EqualTo("Contoso"));
            Assert.That(queried.EntityCollection.Entities.Single().Id, Is.EqualTo(created.id));
        }

        [Test]
        public void Upsert_CreatesThenUpdatesByAlternateKey()
        {
            var first = (UpsertResponse)_service.Execute(new UpsertRequest { Target = new Entity("account", "accountnumber", "A-1") { ["name"] = "Contoso" } });
            var second = (UpsertResponse)_service.Execute(new UpsertRequest { Target = new Entity("account", "accountnumber", "A-1") { ["name"] = "Contoso Ltd" } });

            Assert.That(first.RecordCreated, Is.True);
            Assert.That(second.RecordCreated, Is.False);
            Assert.That(second.Target.Id, Is.EqualTo(first.Target.Id));
            Assert.That(_org.All("account").Single()["name"], Is.EqualTo("Contoso Ltd"));
        }

        [Test]
        public void ExecuteMultiple_ContinueOnError_RunsEveryRequestAndReportsTheFault()
        {
            var missing = Guid.NewGuid();
            var request = new ExecuteMultipleRequest
            {
                Settings = new ExecuteMultipleSettings { ContinueOnError = true, ReturnResponses = true },
                Requests = new OrganizationRequestCollection
                {
                    new CreateRequest { Target = new Entity("account") },
                    new UpdateRequest { Target = new Entity("account", missing) { ["name"] = "x" } },
                    new CreateRequest { Target = new Entity("account") },
                },
            };

            var response = (ExecuteMultipleResponse)_service.Execute(request);

            Assert.That(response.IsFaulted, Is.True);
            Assert.That(response.Responses.Select(r => r.RequestIndex), Is.EqualTo(new[] { 0, 1, 2 }));
            Assert.That(response.Responses[1].Fault.ErrorCode, Is.EqualTo(ErrorCodes.ObjectDoesNotExist));
            Assert.That(response.Responses[2].Response, Is.InstanceOf<CreateResponse>());
            Assert.That(_org.All("account"), Has.Count.EqualTo(2), "each request commits on its own");
        }

        [Test]
        public void ExecuteMultiple_StopsAtTheFirstFault_AndReturnsOnlyFaultsWhenAsked()
        {
            var request = new ExecuteMultipleRequest
            {
                Settings = new ExecuteMultipleSettings { ContinueOnError = false, ReturnResponses = false },
                Requests = new OrganizationRequestCollection
                {
                    new CreateRequest { Target = new Entity("account") },
                    new DeleteRequest { Target = new EntityReference("account", Guid.NewGuid()) },
                    new CreateRequest { Target = new Entity("account") },
                },
            };

            var response = (ExecuteMultipleResponse)_service.Execute(request);

            Assert.That(response.Responses.Select(r => r.RequestIndex), Is.EqualTo(new[] { 1 }));
            Assert.That(_org.All("account"), Has.Count.EqualTo(1));
        }

        [Test]
        public void ExecuteTransaction_RollsBackEverything_WhenOneRequestFails()
        {
            var request = new ExecuteTransactionRequest
            {
                ReturnResponses = true,
                Requests = new OrganizationRequestCollection
                {
                    new CreateRequest { Target = new Entity("account") },
                    new CreateRequest { Target = new Entity("contact") },
                    new UpdateRequest { Target = new Entity("account", Guid.NewGuid()) { ["name"] = "x" } },
                },
            };

            var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() => _service.Execute(request))!;

            Assert.That(((ExecuteTransactionFault)fault.Detail).FaultedRequestIndex, Is.EqualTo(2));
            Assert.That(fault.Detail.ErrorCode, Is.EqualTo(ErrorCodes.ObjectDoesNotExist));
            Assert.That(_org.All("account"), Is.Empty);
            Assert.That(_org.All("contact"), Is.Empty);
        }

        [Test]
        public void ExecuteTransaction_ReturnsTheResponsesInOrder()
        {
            var response = (ExecuteTransactionResponse)_service.Execute(new ExecuteTransactionRequest
            {
                ReturnResponses = true,
                Requests = new OrganizationRequestCollection { new CreateRequest { Target = new Entity("account") }, new WhoAmIRequest() },
            });

            Assert.That(response.Responses[0], Is.InstanceOf<CreateResponse>());
            Assert.That(((WhoAmIResponse)response.Responses[1]).UserId, Is.EqualTo(_org.AdministratorId));
        }

        [Test]
        public void CreateMultiple_RunsCreateStepsPerTarget_AndMultipleStepsOnce()
        {
            _org.RegisterPlugin<RecordingPlugin>("Create", "account", Stages.PreOperation);
            _org.RegisterPlugin<RecordingPlugin>("CreateMultiple", "account", Stages.PostOperation);
            var targets = new EntityCollection(Enumerable.Range(0, 3).Select(i => new Entity("account") { ["name"] = "A" + i }).ToList()) { EntityName = "account" };

            var response = (CreateMultipleResponse)_service.Execute(new CreateMultipleRequest { Targets = targets });

            Assert.That(response.Ids, Has.Length.EqualTo(3));
            Assert.That(_org.All("account").Select(a => a.Id), Is.EquivalentTo(response.Ids));
            Assert.That(RecordingPlugin.Seen.Count(c => c.MessageName == "Create"), Is.EqualTo(3));
            Assert.That(RecordingPlugin.Seen.Count(c => c.MessageName == "CreateMultiple"), Is.EqualTo(1));
        }

        [Test]
        public void UpdateMultiple_GivesEachTargetsPreImage()
        {
            var ids = Enumerable.Range(0, 2).Select(i => _service.Create(new Entity("account") { ["name"] = "old" + i })).ToList();
            _org.RegisterPlugin<RecordingPlugin>("UpdateMultiple", "account", Stages.PostOperation).WithImage("pre", ImageType.PreImage, "name");

            _service.Execute(new UpdateMultipleRequest
            {
                Targets = new EntityCollection(ids.Select(id => new Entity("account", id) { ["name"] = "new" }).ToList()) { EntityName = "account" },
            });

            var context = (IPluginExecutionContext4)RecordingPlugin.Seen.Single();
            Assert.That(context.PreEntityImagesCollection.Select(i => i["pre"]["name"]), Is.EqualTo(new[] { "old0", "old1" }));
            Assert.That(_org.All("account").Select(a => a["name"]), Is.All.EqualTo("new"));
        }

        [Test]
        public void SetState_IsCarriedOutAsAnUpdate()
        {
            var id = _service.Create(new Entity("account"));
            _org.RegisterPlugin<RecordingPlugin>("Update", "account", Stages.PreOperation);

            _service.Execute(new SetStateRequest { EntityMoniker = new EntityReference("account", id), State = new OptionSetValue(1), Status = new OptionSetValue(2) });

            Assert.That(_org.Get("account", id)!.GetAttributeValue<OptionSetValue>("statecode").Value, Is.EqualTo(1));
            Assert.That(((Entity)RecordingPlugin.Seen.Single().InputParameters["Target"]).Contains("statecode"), Is.True);
        }

        [Test]
        public void WinAndLose_CloseTheOpportunityWithAnActivity()
        {
            var won = _service.Create(new Entity("opportunity") { ["name"] = "won" });
            var lost = _service.Create(new Entity("opportunity") { ["name"] = "lost" });

            _service.Execute(new WinOpportunityRequest
            {
                OpportunityClose = new Entity("opportunityclose") { ["opportunityid"] = new EntityReference("opportunity", won), ["actualrevenue"] = new Money(5_000m) },
                Status = new OptionSetValue(3),
            });
            _service.Execute(new LoseOpportunityRequest
            {
                OpportunityClose = new Entity("opportunityclose") { ["opportunityid"] = new EntityReference("opportunity", lost) },
                Status = new OptionSetValue(5),
            });

            var w = _org.Get("opportunity", won)!;
            var l = _org.Get("opportunity", lost)!;
            Assert.That(w.GetAttributeValue<OptionSetValue>("statecode").Value, Is.EqualTo(1));
            Assert.That(w.GetAttributeValue<Money>("actualvalue").Value, Is.EqualTo(5_000m));
            Assert.That(l.GetAttributeValue<OptionSetValue>("statecode").Value, Is.EqualTo(2));
            Assert.That(l.GetAttributeValue<OptionSetValue>("statuscode").Value, Is.EqualTo(5));
            Assert.That(_org.All("opportunityclose"), Has.Count.EqualTo(2));
            Assert.Throws<FaultException<OrganizationServiceFault>>(() => _service.Execute(new WinOpportunityRequest
            {
                OpportunityClose = new Entity("opportunityclose") { ["opportunityid"] = new EntityReference("opportunity", won) },
            }), "a closed opportunity cannot be won again");
        }

        [Test]
        public void WhoAmI_AnswersForTheServicesUser()
        {
            var user = Guid.NewGuid();
            _org.Seed(new Entity("systemuser", user) { ["businessunitid"] = new EntityReference("businessunit", _org.RootBusinessUnitId) });

            var me = (WhoAmIResponse)_org.GetOrganizationService(user).Execute(new WhoAmIRequest());

            Assert.That(me.UserId, Is.EqualTo(user));
            Assert.That(me.BusinessUnitId, Is.EqualTo(_org.RootBusinessUnitId));
            Assert.That(me.OrganizationId, Is.EqualTo(_org.OrganizationId));
        }

        [Test]
        public void Assign_ChangesTheOwner()
        {
            var id = _service.Create(new Entity("account"));
            var user = Guid.NewGuid();
            _org.Seed(new Entity("systemuser", user));

            _service.Execute(new AssignRequest { Target = new EntityReference("account", id), Assignee = new EntityReference("systemuser", user) });

            Assert.That(_org.Get("account", id)!.GetAttributeValue<EntityReference>("ownerid").Id, Is.EqualTo(user));
        }

        [Test]
        public void OpportunityProduct_AmountsAreComputedAsThePricingEngineDoes()
        {
            var id = _service.Create(new Entity("opportunityproduct")
            {
                ["priceperunit"] = new Money(100m), ["quantity"] = 3m, ["manualdiscountamount"] = new Money(20m), ["tax"] = new Money(5m),
            });

            var line = _org.Get("opportunityproduct", id)!;
            Assert.That(line.GetAttributeValue<Money>("baseamount").Value, Is.EqualTo(300m));
            Assert.That(line.GetAttributeValue<Money>("extendedamount").Value, Is.EqualTo(285m));
            Assert.That(line.GetAttributeValue<Money>("extendedamount_base").Value, Is.EqualTo(285m));
        }

        [Test]
        public void ExecuteCodeActivity_BindsInputs_GivesTheExtensions_AndReturnsOutputs()
        {
            var id = _service.Create(new Entity("account") { ["name"] = "Contoso" });

            var run = _org.ExecuteCodeActivity<RenameActivity>(new Dictionary<string, object?> { ["Account"] = new EntityReference("account", id), ["Suffix"] = " Ltd" });

            Assert.That(run.Outputs["NewName"], Is.EqualTo("Contoso Ltd"));
            Assert.That(_org.Get("account", id)!["name"], Is.EqualTo("Contoso Ltd"));
            Assert.That(run.Trace, Does.Contain("renaming Contoso"));
            Assert.That(run.Calls.ToString(), Is.EqualTo("Retrieve=1, Update=1"));
        }

        [Test]
        public void ExecuteCodeActivity_MissingRequiredInput_Fails()
        {
            Assert.Throws<ArgumentException>(() => _org.ExecuteCodeActivity<RenameActivity>(new Dictionary<string, object?> { ["Suffix"] = "x" }));
        }

        [Test]
        public void ExecuteCodeActivity_FailureRollsBackItsWrites()
        {
            var id = _service.Create(new Entity("account") { ["name"] = "Contoso" });

            Assert.Throws<InvalidPluginExecutionException>(() =>
                _org.ExecuteCodeActivity<RenameActivity>(new Dictionary<string, object?> { ["Account"] = new EntityReference("account", id), ["Suffix"] = "!" }));

            Assert.That(_org.Get("account", id)!["name"], Is.EqualTo("Contoso"));
        }

        /// <summary>A custom workflow activity in Microsoft's sample idiom.</summary>
        public sealed class RenameActivity : CodeActivity
        {
            [RequiredArgument]
            [Input("Account")]
            [ReferenceTarget("account")]
            public InArgument<EntityReference> Account { get; set; } = null!;

            [Input("Suffix")]
            [Default(" Inc")]
            public InArgument<string> Suffix { get; set; } = null!;

            [Output("New name")]
            public OutArgument<string> NewName { get; set; } = null!;

            protected override void Execute(CodeActivityContext context)
            {
                var workflow = context.GetExtension<IWorkflowContext>();
                var tracing = context.GetExtension<ITracingService>();
                var service = context.GetExtension<IOrganizationServiceFactory>().CreateOrganizationService(workflow.UserId);
                var account = service.Retrieve("account", Account.Get(context).Id, new ColumnSet("name"));
                tracing.Trace("renaming {0}", account["name"]);
                var name = account["name"] + Suffix.Get(context);
                service.Update(new Entity("account", account.Id) { ["name"] = name });
                if (Suffix.Get(context) == "!") throw new InvalidPluginExecutionException("No exclamation marks.");
                NewName.Set(context, name);
            }
        }
    }
}
