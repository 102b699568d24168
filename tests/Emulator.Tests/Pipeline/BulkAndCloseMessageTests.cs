using System;
using System.Collections.Generic;
using System.Linq;
using CrmPlugins.Emulator.Pipeline;
using Microsoft.Crm.Sdk.Messages;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using NUnit.Framework;

namespace CrmPlugins.Emulator.Tests.Pipeline
{
    /// <summary>
    /// The bulk messages' merged pipelines and the close messages, as Microsoft documents them:
    /// - learn.microsoft.com/power-apps/developer/data-platform/bulk-operations#message-pipelines-merged: a bulk message
    ///   raises the single event for each entity of Targets; a single message raises the bulk event with Targets of one.
    /// - learn.microsoft.com/power-apps/developer/data-platform/write-plugin-multiple-operation: Targets is an
    ///   EntityCollection; images come per entity in IPluginExecutionContext4.PreEntityImagesCollection /
    ///   PostEntityImagesCollection, in the order of Targets; an UpdateMultiple step's filtering attributes pass when any
    ///   entity of Targets carries one of them.
    /// - learn.microsoft.com/dotnet/api/microsoft.crm.sdk.messages.winopportunityrequest (and LoseOpportunityRequest):
    ///   the opportunityclose activity is created and the opportunity takes the given status; whether Update steps run for
    ///   Win and Lose is not documented, which <see cref="XrmOrganization.ClosingOpportunityRunsUpdateSteps"/> makes a choice.
    /// </summary>
    public class BulkAndCloseMessageTests
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

        private Guid[] Accounts(params string[] names) => names.Select(n => _service.Create(new Entity("account") { ["name"] = n })).ToArray();

        private void UpdateMultiple(params Entity[] targets) =>
            _service.Execute(new UpdateMultipleRequest { Targets = new EntityCollection(targets.ToList()) { EntityName = targets[0].LogicalName } });

        [Test]
        public void UpdateMultipleStep_RunsOncePerBatch_WithTargets_AndAnImagePerTargetInOrder()
        {
            var ids = Accounts("A", "B", "C");
            _org.RegisterPlugin<RecordingPlugin>("UpdateMultiple", "account", Stages.PostOperation)
                .WithImage("pre", ImageType.PreImage, "name").WithImage("post", ImageType.PostImage, "name");

            UpdateMultiple(ids.Select((id, i) => new Entity("account", id) { ["name"] = "new " + i }).ToArray());

            var context = (IPluginExecutionContext4)RecordingPlugin.Seen.Single();
            Assert.That(context.MessageName, Is.EqualTo("UpdateMultiple"));
            Assert.That(((EntityCollection)context.InputParameters["Targets"]).Entities.Select(e => e.Id), Is.EqualTo(ids));
            Assert.That(context.PreEntityImagesCollection.Select(i => i["pre"]["name"]), Is.EqualTo(new[] { "A", "B", "C" }));
            Assert.That(context.PostEntityImagesCollection.Select(i => i["post"]["name"]), Is.EqualTo(new[] { "new 0", "new 1", "new 2" }));
        }

        [Test]
        public void UpdateStep_RunsForEachTargetOfUpdateMultiple()
        {
            var ids = Accounts("A", "B");
            _org.RegisterPlugin<RecordingPlugin>("Update", "account", Stages.PreOperation);

            UpdateMultiple(ids.Select(id => new Entity("account", id) { ["name"] = "x" }).ToArray());

            Assert.That(RecordingPlugin.Seen.Select(c => c.MessageName), Is.EqualTo(new[] { "Update", "Update" }));
            Assert.That(RecordingPlugin.Seen.Select(c => ((Entity)c.InputParameters["Target"]).Id), Is.EqualTo(ids));
        }

        [Test]
        public void UpdateMultipleStep_AlsoRunsForUpdate_WithTargetsOfOne_AndImagesOfOne()
        {
            var id = Accounts("A").Single();
            _org.RegisterPlugin<RecordingPlugin>("UpdateMultiple", "account", Stages.PreOperation).WithImage("pre", ImageType.PreImage, "name");

            _service.Update(new Entity("account", id) { ["name"] = "B" });

            var context = (IPluginExecutionContext4)RecordingPlugin.Seen.Single();
            Assert.That(context.MessageName, Is.EqualTo("UpdateMultiple"));
            Assert.That(((EntityCollection)context.InputParameters["Targets"]).Entities.Single()["name"], Is.EqualTo("B"));
            Assert.That(context.InputParameters.Contains("Target"), Is.False);
            Assert.That(context.PreEntityImagesCollection.Single()["pre"]["name"], Is.EqualTo("A"));
        }

        [Test]
        public void UpdateMultipleStep_ItsFilteringAttributesPass_WhenAnyTargetCarriesOne()
        {
            var ids = Accounts("A", "B");
            _org.RegisterPlugin<RecordingPlugin>("UpdateMultiple", "account", Stages.PreOperation).WithFilteringAttributes("telephone1");

            UpdateMultiple(new Entity("account", ids[0]) { ["name"] = "x" }, new Entity("account", ids[1]) { ["telephone1"] = "555" });
            Assert.That(RecordingPlugin.Seen, Has.Count.EqualTo(1), "one target carries telephone1: the step runs, with both");
            Assert.That(((EntityCollection)RecordingPlugin.Seen[0].InputParameters["Targets"]).Entities, Has.Count.EqualTo(2));

            UpdateMultiple(new Entity("account", ids[0]) { ["name"] = "y" }, new Entity("account", ids[1]) { ["name"] = "z" });
            Assert.That(RecordingPlugin.Seen, Has.Count.EqualTo(1), "no target carries it: the step does not run");
        }

        [Test]
        public void CreateMultipleStep_RunsOncePerBatch_AndCreateStepsRunPerTarget()
        {
            _org.RegisterPlugin<RecordingPlugin>("CreateMultiple", "account", Stages.PreOperation);
            _org.RegisterPlugin<RecordingPlugin>("Create", "account", Stages.PostOperation);

            _service.Execute(new CreateMultipleRequest { Targets = new EntityCollection(new List<Entity> { new("account") { ["name"] = "A" }, new("account") { ["name"] = "B" } }) { EntityName = "account" } });

            Assert.That(RecordingPlugin.Seen.Select(c => c.MessageName), Is.EqualTo(new[] { "CreateMultiple", "Create", "Create" }));
            Assert.That(((EntityCollection)RecordingPlugin.Seen[0].InputParameters["Targets"]).Entities, Has.Count.EqualTo(2));
        }

        private Guid OpenOpportunity() => _service.Create(new Entity("opportunity") { ["name"] = "Deal" });

        private static OrganizationRequest Win(Guid id) => new WinOpportunityRequest
        {
            OpportunityClose = new Entity("opportunityclose") { ["opportunityid"] = new EntityReference("opportunity", id), ["actualrevenue"] = new Money(10m) },
            Status = new OptionSetValue(3),
        };

        [TestCase(true)]
        [TestCase(false)]
        public void Win_RunsItsOwnSteps_WithTheOpportunityClose_AndUpdateStepsOnlyWhenTheOrganizationSaysSo(bool closeRunsUpdateSteps)
        {
            _org.ClosingOpportunityRunsUpdateSteps = closeRunsUpdateSteps;
            var id = OpenOpportunity();
            _org.RegisterPlugin<RecordingPlugin>("Win", "opportunity", Stages.PreValidation);
            _org.RegisterPlugin<RecordingPlugin>("Update", "opportunity", Stages.PreOperation);

            _service.Execute(Win(id));

            Assert.That(RecordingPlugin.Seen[0].MessageName, Is.EqualTo("Win"));
            Assert.That(((Entity)RecordingPlugin.Seen[0].InputParameters["OpportunityClose"]).GetAttributeValue<EntityReference>("opportunityid").Id, Is.EqualTo(id));
            Assert.That(RecordingPlugin.Seen.Count(c => c.MessageName == "Update"), Is.EqualTo(closeRunsUpdateSteps ? 1 : 0));
            var deal = _org.Get("opportunity", id)!;
            Assert.That(deal.GetAttributeValue<OptionSetValue>("statecode").Value, Is.EqualTo(1), "won either way");
            Assert.That(deal.GetAttributeValue<OptionSetValue>("statuscode").Value, Is.EqualTo(3));
            Assert.That(deal.GetAttributeValue<Money>("actualvalue").Value, Is.EqualTo(10m));
            Assert.That(_org.All("opportunityclose"), Has.Count.EqualTo(1));
        }

        [TestCase("Win")]
        [TestCase("Lose")]
        public void CloseRunningUpdateSteps_GivesThemTheCloseAsParentContext(string message)
        {
            // The platform's own Update of a Win or Lose is a child operation: its steps can tell it from a rep's Update of
            // statecode (learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.ipluginexecutioncontext.parentcontext).
            _org.ClosingOpportunityRunsUpdateSteps = true;
            var id = OpenOpportunity();
            _org.RegisterPlugin<RecordingPlugin>("Update", "opportunity", Stages.PreOperation);

            _service.Execute(message == "Win" ? Win(id) : new LoseOpportunityRequest
            {
                OpportunityClose = new Entity("opportunityclose") { ["opportunityid"] = new EntityReference("opportunity", id) },
                Status = new OptionSetValue(4),
            });
            _service.Update(new Entity("opportunity", id) { ["name"] = "Renamed" });

            var update = RecordingPlugin.Seen.Where(c => c.MessageName == "Update").ToList();
            Assert.That(update, Has.Count.EqualTo(2));
            Assert.That(update[0].ParentContext?.MessageName, Is.EqualTo(message));
            Assert.That(update[0].ParentContext?.PrimaryEntityId, Is.EqualTo(id));
            Assert.That(update[0].Depth, Is.EqualTo(1), "the same depth as before: the platform's work, not a plugin's call");
            Assert.That(update[1].ParentContext, Is.Null, "a rep's own Update has no parent");
        }

        [Test]
        public void Lose_RunsLoseSteps_NotWinSteps()
        {
            var id = OpenOpportunity();
            _org.RegisterPlugin<RecordingPlugin>("Win", "opportunity", Stages.PreValidation);
            _org.RegisterPlugin<RecordingPlugin>("Lose", "opportunity", Stages.PreValidation);

            _service.Execute(new LoseOpportunityRequest
            {
                OpportunityClose = new Entity("opportunityclose") { ["opportunityid"] = new EntityReference("opportunity", id) },
                Status = new OptionSetValue(4),
            });

            Assert.That(RecordingPlugin.Seen.Select(c => c.MessageName), Is.EqualTo(new[] { "Lose" }));
            Assert.That(_org.Get("opportunity", id)!.GetAttributeValue<OptionSetValue>("statecode").Value, Is.EqualTo(2));
        }

        [Test]
        public void SetState_RunsSetStateSteps_ThenUpdateSteps()
        {
            var id = Accounts("A").Single();
            _org.RegisterPlugin<RecordingPlugin>("SetState", "account", Stages.PreValidation);
            _org.RegisterPlugin<RecordingPlugin>("Update", "account", Stages.PreValidation);

            _service.Execute(new SetStateRequest { EntityMoniker = new EntityReference("account", id), State = new OptionSetValue(1), Status = new OptionSetValue(2) });

            Assert.That(RecordingPlugin.Seen.Select(c => c.MessageName), Is.EqualTo(new[] { "SetState", "Update" }));
            Assert.That(RecordingPlugin.Seen[1].ParentContext?.MessageName, Is.EqualTo("SetState"), "the platform's own Update is the SetState's child");
            Assert.That(((OptionSetValue)RecordingPlugin.Seen[0].InputParameters["State"]).Value, Is.EqualTo(1));
        }

        [Test]
        public void PluginExceptionDetails_ReachTheCaller_InTheFaultsErrorDetails()
        {
            var ids = Accounts("A", "B");
            _org.RegisterPlugin<RefuseSecondTargetPlugin>("UpdateMultiple", "account", Stages.PreOperation);

            var fault = Assert.Throws<System.ServiceModel.FaultException<OrganizationServiceFault>>(() =>
                UpdateMultiple(new Entity("account", ids[0]) { ["name"] = "x" }, new Entity("account", ids[1]) { ["name"] = "y" }))!;

            Assert.That(fault.Detail.ErrorDetails["failedRecordId"], Is.EqualTo(ids[1].ToString()));
            Assert.That(_org.Get("account", ids[0])!["name"], Is.EqualTo("A"), "the batch rolled back");
        }

        /// <summary>Refuses the second target of a bulk request, naming it as Microsoft's page shows.</summary>
        public sealed class RefuseSecondTargetPlugin : IPlugin
        {
            public void Execute(IServiceProvider serviceProvider)
            {
                var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
                var second = ((EntityCollection)context.InputParameters["Targets"]).Entities[1];
                throw new InvalidPluginExecutionException("Refused.", new Dictionary<string, string> { ["failedRecordId"] = second.Id.ToString() });
            }
        }
    }
}
