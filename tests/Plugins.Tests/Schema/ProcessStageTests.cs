using System.Linq;
using CrmPlugins.SolutionModel;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using NUnit.Framework;

namespace DealRisk.Plugins.Tests.Schema
{
    /// <summary>
    /// Where a real org records a deal's stage. Moving the process bar sets the active stage of the deal's Opportunity Sales
    /// Process instance; the opportunity's own columns are not kept in step with it:
    /// - salesstage is a choice a user selects ("Select the sales stage of this opportunity", opportunity.md) and "Process
    ///   stage and sales stage are not tied together–there is no relationship" (https://crmtipoftheday.com/46/dont-combine-multiple-sales-process-methods/);
    /// - stageid and traversedpath on the opportunity are "(Deprecated)" (opportunity.md) and "not always updated or kept
    ///   consistent with the actual state of the business process flow" (https://microsoft.com/en-us/power-platform/blog/?p=111025);
    /// - stepname (Pipeline Phase, "Shows the current phase in the sales pipeline", text such as "1-Qualify") is said to take
    ///   the active stage's category (https://crmtipoftheday.com/168/renumber-the-pipeline-stage) and, since version 9, not
    ///   to advance with the bar (https://www.blackfincloud.com/2018/12/): not a reading to rely on.
    /// The instance and its stage (MicrosoftDocs/dynamics-365-customer-engagement@2a867447a152a239a0a9eef9f042b1102c42fc1e
    /// ce/sales/developer/entities/opportunitysalesprocess.md; MicrosoftDocs/powerapps-docs@0658c0190ab339809eef47dfc80a212bc31af224
    /// powerapps-docs/developer/data-platform/reference/entities/processstage.md) are what the suite reads.
    /// </summary>
    public class ProcessStageTests
    {
        [Test]
        public void TheColumnsRead_AreTheInstancesAndTheStagesColumns_WithMicrosoftsTypes()
        {
            var instance = StandardTables.Types[SalesProcessInstance.EntityName];
            Assert.That(instance[SalesProcessInstance.Id], Is.EqualTo("primarykey"));
            Assert.That(instance[SalesProcessInstance.OpportunityId], Is.EqualTo("lookup:opportunity"));
            Assert.That(instance[SalesProcessInstance.ActiveStageId], Is.EqualTo("lookup:processstage"));
            Assert.That(instance[SalesProcessInstance.ActiveStageStartedOn], Is.EqualTo("datetime"));
            var stage = StandardTables.Types[ProcessStage.EntityName];
            Assert.That(stage[ProcessStage.Id], Is.EqualTo("primarykey"));
            Assert.That(stage[ProcessStage.StageName], Is.EqualTo("nvarchar"));
            Assert.That(stage[ProcessStage.StageCategory], Is.EqualTo("picklist"));
            // statecode 0 Active / 1 Inactive (statuscode 2 Finished, 3 Aborted) on the instance.
            Assert.That(SalesProcessInstance.Active, Is.EqualTo(0));
        }

        [Test]
        public void TheStageCategories_ThatAreSalesStages_NumberThemAsSalesStageDoes()
        {
            // processstage_category: 0 Qualify, 1 Develop, 2 Propose, 3 Close, 4 Identify, 5 Research, 6 Resolve, 7 Approval;
            // opportunity.salesstage: 0 Qualify, 1 Develop, 2 Propose, 3 Close.
            var categories = new[] { "Qualify", "Develop", "Propose", "Close", "Identify", "Research", "Resolve", "Approval" };

            Assert.That(categories.Take(ProcessStage.LastSalesCategory + 1), Is.EqualTo(TimePolicy.StageNames));
        }
    }
}
