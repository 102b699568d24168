using System;
using Microsoft.Xrm.Sdk;
using NUnit.Framework;

namespace CrmPlugins.Emulator.Tests.Fidelity
{
    /// <summary>
    /// A rep moving the process bar: the Opportunity Sales Process's instance (opportunitysalesprocess, primary key
    /// businessprocessflowinstanceid, "Added by: Sales Solution") gets the new activestageid (a lookup to processstage) and the
    /// time the stage started, activestagestartedon ("Date and time when current active stage is started")
    /// (MicrosoftDocs/dynamics-365-customer-engagement@2a867447a152a239a0a9eef9f042b1102c42fc1e ce/sales/developer/entities/opportunitysalesprocess.md).
    /// "Whenever ... the stage is transitioned to a new stage ... the values of Active Stage and Active Stage Started On are
    /// updated" (https://powerapps.ninja/bpf-automation-scenario-preserving-history-of-stage-duration/).
    /// The opportunity is not touched: Microsoft's update_bpf_stage reference says moving a process's stage does not move
    /// other fields of the underlying record (https://learn.microsoft.com/en-us/dynamics365/developer/reference/mcp-tools/update_bpf_stage);
    /// its salesstage is "not tied" to the process stage (https://crmtipoftheday.com/46/dont-combine-multiple-sales-process-methods/);
    /// its stageid and traversedpath are deprecated and "not always updated or kept consistent with the actual state of the
    /// business process flow" (Microsoft Power Platform blog, https://microsoft.com/en-us/power-platform/blog/?p=111025; the
    /// opportunity reference names them "(Deprecated) Stage Id" and "(Deprecated) Traversed Path",
    /// MicrosoftDocs/dynamics-365-customer-engagement@0c0112486f7882018d8c9b09ef75c3e99a5f3927 ce/sales/developer/entities/opportunity.md).
    /// Pipeline Phase (stepname) is reported both ways (kept in step: https://crmtipoftheday.com/168/renumber-the-pipeline-stage;
    /// no longer advanced since version 9: https://www.blackfincloud.com/2018/12/), so the emulator does not write it either.
    /// </summary>
    public class BusinessProcessFlowTests
    {
        private static readonly DateTime Now = new(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc);
        private XrmOrganization _org = null!;
        private IOrganizationService _service = null!;
        private Guid _develop;
        private Guid _propose;

        [SetUp]
        public void SetUp()
        {
            _org = new XrmOrganization { UtcNow = Now };
            _service = _org.GetOrganizationService();
            _develop = Guid.NewGuid();
            _propose = Guid.NewGuid();
            _org.Seed(new Entity("processstage", _develop) { ["stagename"] = "Develop", ["stagecategory"] = new OptionSetValue(1) },
                new Entity("processstage", _propose) { ["stagename"] = "Propose", ["stagecategory"] = new OptionSetValue(2) });
        }

        private (Guid Deal, Guid Instance) DealInDevelop()
        {
            var deal = _service.Create(new Entity("opportunity") { ["name"] = "Contoso", ["salesstage"] = new OptionSetValue(1), ["stepname"] = "2-Develop" });
            var instance = _service.Create(new Entity("opportunitysalesprocess")
            {
                ["name"] = "Opportunity Sales Process", ["opportunityid"] = new EntityReference("opportunity", deal), ["activestageid"] = new EntityReference("processstage", _develop),
            });
            return (deal, instance);
        }

        [Test]
        public void Create_OfAnInstance_IsKeyedByBusinessProcessFlowInstanceId_AndStartsItsStageNow()
        {
            var (_, instance) = DealInDevelop();

            var row = _org.Get("opportunitysalesprocess", instance)!;
            Assert.That(row.GetAttributeValue<Guid>("businessprocessflowinstanceid"), Is.EqualTo(instance));
            Assert.That(row.GetAttributeValue<DateTime?>("activestagestartedon"), Is.EqualTo(Now));
            Assert.That(row.GetAttributeValue<OptionSetValue>("statecode")?.Value, Is.EqualTo(0), "Active");
        }

        [Test]
        public void Update_OfTheActiveStage_RecordsWhenTheStageStarted_AndLeavesTheOpportunityAsItWas()
        {
            var (deal, instance) = DealInDevelop();
            var before = _org.Get("opportunity", deal)!;
            _org.UtcNow = Now.AddDays(10);

            _service.Update(new Entity("opportunitysalesprocess", instance) { ["activestageid"] = new EntityReference("processstage", _propose) });

            Assert.That(_org.Get("opportunitysalesprocess", instance)!.GetAttributeValue<DateTime?>("activestagestartedon"), Is.EqualTo(Now.AddDays(10)));
            var after = _org.Get("opportunity", deal)!;
            Assert.That(after.GetAttributeValue<OptionSetValue>("salesstage").Value, Is.EqualTo(1), "salesstage stays Develop");
            Assert.That(after.GetAttributeValue<string>("stepname"), Is.EqualTo("2-Develop"));
            Assert.That(after.GetAttributeValue<long>("versionnumber"), Is.EqualTo(before.GetAttributeValue<long>("versionnumber")), "the opportunity row is not written");
        }

        [Test]
        public void Update_ThatKeepsTheStage_OrGivesItsOwnStartTime_IsNotRestamped()
        {
            var (_, instance) = DealInDevelop();
            _org.UtcNow = Now.AddDays(3);
            _service.Update(new Entity("opportunitysalesprocess", instance) { ["activestageid"] = new EntityReference("processstage", _develop) });
            Assert.That(_org.Get("opportunitysalesprocess", instance)!.GetAttributeValue<DateTime?>("activestagestartedon"), Is.EqualTo(Now), "same stage: the clock runs on");

            var given = Now.AddDays(1);
            _service.Update(new Entity("opportunitysalesprocess", instance) { ["activestageid"] = new EntityReference("processstage", _propose), ["activestagestartedon"] = given });
            Assert.That(_org.Get("opportunitysalesprocess", instance)!.GetAttributeValue<DateTime?>("activestagestartedon"), Is.EqualTo(given), "a caller's value is kept");
        }
    }
}
