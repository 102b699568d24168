using System;
using System.Collections.Generic;
using System.Linq;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using NUnit.Framework;

namespace DealRisk.Plugins.Tests.Scenarios
{
    /// <summary>
    /// Saves in bulk through the registration that ships: the risk and child-row steps are on CreateMultiple and
    /// UpdateMultiple, which the platform runs once per batch with every row in Targets, and also for a single Create or
    /// Update with Targets of one (learn.microsoft.com/power-apps/developer/data-platform/bulk-operations#message-pipelines-merged,
    /// learn.microsoft.com/power-apps/developer/data-platform/write-plugin-multiple-operation). A batch's facts are read with
    /// the same queries as one deal's.
    /// </summary>
    public class BulkScenarios
    {
        private SalesOrg _org = null!;

        [SetUp]
        public void SetUp() => _org = new SalesOrg();

        private sealed record Run(string Message, string Calls, int Targets);

        private static Entity NewDeal(int i) => new(Opportunity.EntityName)
        {
            [Opportunity.Name] = "Deal " + i,
            [Opportunity.EstimatedValue] = new Money(10_000m + i),
            [Opportunity.EstimatedCloseDate] = SalesOrg.Today.Date.AddDays(30 + i % 60),
            [Opportunity.SalesStage] = new OptionSetValue(1),
            [Opportunity.CloseProbability] = 50,
        };

        private Guid[] CreateInBulk(int count) =>
            ((CreateMultipleResponse)_org.RepService.Execute(new CreateMultipleRequest
            {
                Targets = new EntityCollection(Enumerable.Range(0, count).Select(NewDeal).ToList()) { EntityName = Opportunity.EntityName },
            })).Ids;

        private List<Run> RiskExecutionsSince(int before) =>
            _org.Org.Executions.Skip(before).Where(e => e.PluginType == typeof(OpportunityRiskPlugin))
                .Select(e => new Run(e.MessageName, e.Calls.ToString(), e.Context.InputParameters.TryGetValue("Targets", out var t) ? ((EntityCollection)t).Entities.Count : 0))
                .ToList();

        [Test]
        public void CreateMultiple_OfAThousandDeals_RunsTheRiskStepOnce_WithTheQueriesOfOneDeal()
        {
            var before = _org.Org.Executions.Count;

            var ids = CreateInBulk(1_000);

            var runs = RiskExecutionsSince(before);
            Assert.That(runs, Has.Count.EqualTo(1), "one execution for the batch");
            Assert.That(runs[0].Message, Is.EqualTo("CreateMultiple"));
            Assert.That(runs[0].Targets, Is.EqualTo(1_000));
            Assert.That(runs[0].Calls, Is.EqualTo("RetrieveMultiple=1"), "the one query of creating one deal (CallCountScenarios.CreatingADeal_CostsOneQuery)");
            Assert.That(ids.Select(id => SalesOrg.Level(_org.Deal(id), Opportunity.OverallRisk)), Has.All.Not.Null, "every deal of the batch was judged");
        }

        [Test]
        public void UpdateMultiple_OfAThousandDeals_CostsTheSameQueriesAsUpdatingOne()
        {
            var ids = CreateInBulk(1_000);
            var single = _org.Org.Executions.Count;
            _org.RepService.Update(new Entity(Opportunity.EntityName, ids[0]) { [Opportunity.CloseProbability] = 55 });
            var one = RiskExecutionsSince(single).Single();
            var before = _org.Org.Executions.Count;

            _org.RepService.Execute(new UpdateMultipleRequest
            {
                Targets = new EntityCollection(ids.Select(id => new Entity(Opportunity.EntityName, id) { [Opportunity.CloseProbability] = 70 }).ToList()) { EntityName = Opportunity.EntityName },
            });

            var runs = RiskExecutionsSince(before);
            Assert.That(one.Message, Is.EqualTo("UpdateMultiple"), "a single Update runs the step registered on UpdateMultiple");
            Assert.That(one.Targets, Is.EqualTo(1));
            Assert.That(runs, Has.Count.EqualTo(1), "one execution for the batch");
            Assert.That(runs[0].Targets, Is.EqualTo(1_000));
            Assert.That(runs[0].Calls, Is.EqualTo(one.Calls), "1,000 deals cost the queries of one");
            Assert.That(runs[0].Calls, Is.EqualTo("RetrieveMultiple=5"), "deals with no delivery demand: policy, lines, requirements, customer activity, process bar");
        }

        [Test]
        public void UpdateMultiple_JudgesEachDealOnItsOwnFacts()
        {
            var ids = CreateInBulk(3);
            _org.AddRequirement(ids[1], "SAP integration", RequirementPriority.MustHave, RequirementFit.NotSupported);

            _org.RepService.Execute(new UpdateMultipleRequest
            {
                Targets = new EntityCollection(ids.Select(id => new Entity(Opportunity.EntityName, id) { [Opportunity.CloseProbability] = 65 }).ToList()) { EntityName = Opportunity.EntityName },
            });

            Assert.That(SalesOrg.Level(_org.Deal(ids[1]), Opportunity.OverallRisk), Is.EqualTo(RiskLevel.Critical));
            Assert.That(SalesOrg.Level(_org.Deal(ids[0]), Opportunity.OverallRisk), Is.Not.EqualTo(RiskLevel.Critical));
            Assert.That(SalesOrg.Level(_org.Deal(ids[2]), Opportunity.OverallRisk), Is.Not.EqualTo(RiskLevel.Critical));
        }

        [Test]
        public void UpdateMultiple_ADealThatChangedNoInput_IsLeftAsItIs()
        {
            // UpdateMultiple runs the step when any target carries a filtering attribute, so the plugin sees targets that
            // changed none (learn.microsoft.com/power-apps/developer/data-platform/write-plugin-multiple-operation#attribute-filters).
            var ids = CreateInBulk(2);
            var evaluated = _org.Deal(ids[1]).GetAttributeValue<DateTime>(Opportunity.RiskEvaluatedOn);
            _org.Org.UtcNow = SalesOrg.Today.AddHours(3);

            _org.RepService.Execute(new UpdateMultipleRequest
            {
                Targets = new EntityCollection(new List<Entity>
                {
                    new(Opportunity.EntityName, ids[0]) { [Opportunity.CloseProbability] = 80 },
                    new(Opportunity.EntityName, ids[1]) { [Opportunity.Name] = "Renamed" },
                }) { EntityName = Opportunity.EntityName },
            });

            Assert.That(_org.Deal(ids[0]).GetAttributeValue<DateTime>(Opportunity.RiskEvaluatedOn), Is.EqualTo(SalesOrg.Today.AddHours(3)));
            Assert.That(_org.Deal(ids[1]).GetAttributeValue<DateTime>(Opportunity.RiskEvaluatedOn), Is.EqualTo(evaluated), "renaming is not an input: not re-judged");
            Assert.That(_org.Deal(ids[1]).GetAttributeValue<string>(Opportunity.Name), Is.EqualTo("Renamed"));
        }

        [Test]
        public void CreateMultiple_OfLinesOnTwoDeals_AsksEachDealOnce()
        {
            var first = _org.CreateDeal("First");
            var second = _org.CreateDeal("Second");
            Entity Line(Guid deal) => new(OpportunityProduct.EntityName)
            {
                [OpportunityProduct.OpportunityId] = new EntityReference(Opportunity.EntityName, deal),
                [OpportunityProduct.ProductId] = new EntityReference(Product.EntityName, _org.Licence),
                [OpportunityProduct.Quantity] = 1m,
                ["priceperunit"] = new Money(1_000m),
            };
            var before = _org.Org.Executions.Count;

            _org.RepService.Execute(new CreateMultipleRequest
            {
                Targets = new EntityCollection(Enumerable.Range(0, 10).Select(i => Line(i % 2 == 0 ? first : second)).ToList()) { EntityName = OpportunityProduct.EntityName },
            });

            var child = _org.Org.Executions.Skip(before).Where(e => e.PluginType == typeof(ChildRowRiskPlugin)).ToList();
            Assert.That(child, Has.Count.EqualTo(1), "one execution for the batch");
            Assert.That(child[0].MessageName, Is.EqualTo("CreateMultiple"));
            Assert.That(child[0].Calls.ToString(), Is.EqualTo("UpdateMultiple=1"), "ten lines, two deals: one request to judge both again");
            Assert.That(_org.Deal(first).GetAttributeValue<Money>(Opportunity.MarginAmount), Is.Not.Null);
        }

        [Test]
        public void UpdateMultiple_MovingALineToAnotherDeal_AsksBothDeals()
        {
            var from = _org.CreateDeal("From");
            var to = _org.CreateDeal("To");
            var line = _org.AddLine(from, _org.Licence, 1, 1_000m);
            var before = _org.Org.Executions.Count;

            _org.RepService.Execute(new UpdateMultipleRequest
            {
                Targets = new EntityCollection(new List<Entity> { new(OpportunityProduct.EntityName, line) { [OpportunityProduct.OpportunityId] = new EntityReference(Opportunity.EntityName, to) } })
                    { EntityName = OpportunityProduct.EntityName },
            });

            var child = _org.Org.Executions.Skip(before).Single(e => e.PluginType == typeof(ChildRowRiskPlugin));
            Assert.That(child.Calls.ToString(), Is.EqualTo("UpdateMultiple=1"), "the deal it left (from the image of the target) and the deal it joined, in one request");
        }

        [Test]
        public void RiskUpdateStep_FiltersOnTheColumnsThePluginJudgesOn_AndItsImageHoldsWhatTheApprovalRuleCompares()
        {
            var step = CrmPlugins.SolutionModel.StepRegistration.LoadAll(SalesOrg.SolutionFolder)
                .Single(s => s.PluginTypeFullName == typeof(OpportunityRiskPlugin).FullName && s.Message == "UpdateMultiple");

            Assert.That(step.FilteringAttributes, Is.EquivalentTo(Opportunity.JudgedOnChangeOf),
                "a target of UpdateMultiple that carries none of these is not judged, so the two lists must be the same");
            Assert.That(step.Images.Single().Attributes, Is.SupersetOf(new[] { Opportunity.OverallRisk, Opportunity.RiskScore, Opportunity.RiskApprovedBy }));
        }

        [Test]
        public void UpdateMultiple_WithOneRefusedApproval_FailsAsAWhole_AndNamesTheRow()
        {
            // A bulk request on a standard table rolls back as a whole (learn.microsoft.com/power-apps/developer/data-platform/bulk-operations#on-error-behavior-with-standard-tables);
            // the plugin names the failed row in the fault's ErrorDetails (write-plugin-multiple-operation#set-exception-details).
            var ids = CreateInBulk(3);

            var fault = Assert.Throws<System.ServiceModel.FaultException<OrganizationServiceFault>>(() => _org.RepService.Execute(new UpdateMultipleRequest
            {
                Targets = new EntityCollection(new List<Entity>
                {
                    new(Opportunity.EntityName, ids[0]) { [Opportunity.CloseProbability] = 70 },
                    new(Opportunity.EntityName, ids[1]) { [Opportunity.RiskApprovedBy] = new EntityReference(SystemUser.EntityName, _org.Rep) },
                    new(Opportunity.EntityName, ids[2]) { [Opportunity.CloseProbability] = 70 },
                }) { EntityName = Opportunity.EntityName },
            }))!;

            Assert.That(fault.Detail.Message, Is.EqualTo("You cannot approve the risk on a deal you own. Ask your manager to review and approve it."));
            Assert.That(fault.Detail.ErrorDetails["failedRecordId"], Is.EqualTo(ids[1].ToString()));
            Assert.That(_org.Deal(ids[0]).GetAttributeValue<int>(Opportunity.CloseProbability), Is.EqualTo(50), "nothing of the batch is saved");
        }
    }
}
