using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CrmPlugins.SolutionModel;
using DealRisk.Plugins.Schema;
using DealRisk.Plugins.Tests.Scenarios;
using DealRisk.Risk;
using NUnit.Framework;

namespace DealRisk.Plugins.Tests.Schema
{
    /// <summary>
    /// The stage gates against Microsoft's own definition of the Opportunity Sales Process: its stages, the steps of each
    /// and the opportunity column behind each step, and those columns' types and choice values.
    /// </summary>
    public class SalesProcessTests
    {
        /// <summary>
        /// The Opportunity Sales Process as Microsoft prints it: the getActivePath reference's example output "when this sample
        /// is run in the Opportunity form with the Opportunity Sales Process" (stage index, step name, step column; no step is
        /// required). https://learn.microsoft.com/en-us/power-apps/developer/model-driven-apps/clientapi/reference/formcontext-data-process/activepath/getactivepath
        /// (MicrosoftDocs/powerapps-docs@9ad75ef8b5771957813c90e05662940ef36295c7:powerapps-docs/developer/model-driven-apps/clientapi/reference/formContext-data-process/activepath/getActivePath.md).
        /// Stage ids: Qualify 6b9ce798-221a-4260-90b2-2a95ed51a5bc, Develop 650e06b4-789b-46c1-822b-0da76bedb1ed,
        /// Propose d3ca8878-8d7b-47b9-852d-fcd838790cfd, Close bb7e830a-61bd-441b-b1fd-6bb104ffa027.
        /// </summary>
        private static readonly (int Stage, string Step, string Column)[] MicrosoftSteps =
        {
            (0, "Identify Contact", "parentcontactid"), (0, "Identify Account", "parentaccountid"), (0, "Purchase Timeframe", "purchasetimeframe"),
            (0, "Estimated Budget", "budgetamount"), (0, "Purchase Process", "purchaseprocess"), (0, "Identify Decision Maker", "decisionmaker"),
            (0, "Capture Summary", "description"),
            (1, "Customer Need", "customerneed"), (1, "Proposed Solution", "proposedsolution"), (1, "Identify Stakeholders", "identifycustomercontacts"),
            (1, "Identify Competitors", "identifycompetitors"),
            (2, "Identify Sales Team", "identifypursuitteam"), (2, "Develop Proposal", "developproposal"), (2, "Complete Internal Review", "completeinternalreview"),
            (2, "Present Proposal", "presentproposal"),
            (3, "Complete Final Proposal", "completefinalproposal"), (3, "Present Final Proposal", "presentfinalproposal"), (3, "Confirm Decision Date", "finaldecisiondate"),
            (3, "Send Thank You", "sendthankyounote"), (3, "File De-brief", "filedebrief"),
        };

        /// <summary>
        /// Qualify steps that are not gates: the contact and account the deal is with, and the free summary (notes, not a
        /// qualification fact).
        /// </summary>
        private static readonly string[] NotGates = { "parentcontactid", "parentaccountid", "description" };

        /// <summary>
        /// Type and "Unknown" choice of each gate column in Microsoft's opportunity table reference
        /// (MicrosoftDocs/dynamics-365-customer-engagement@ee013c0247dc745380349ac3b842aa91181305db:ce/sales/developer/entities/opportunity.md):
        /// Boolean is bit, Memo ntext, Money money, Picklist picklist, DateTime datetime. PurchaseTimeframe: 0 Immediate,
        /// 1 This Quarter, 2 Next Quarter, 3 This Year, 4 Unknown; PurchaseProcess: 0 Individual, 1 Committee, 2 Unknown;
        /// BudgetAmount: Money, 0 to 1,000,000,000,000 (display name "Budget Amount").
        /// </summary>
        private static readonly Dictionary<string, string> MicrosoftTypes = new()
        {
            ["decisionmaker"] = "bit", ["budgetamount"] = "money", ["purchasetimeframe"] = "picklist", ["purchaseprocess"] = "picklist",
            ["customerneed"] = "ntext", ["proposedsolution"] = "ntext", ["identifycustomercontacts"] = "bit", ["identifycompetitors"] = "bit",
            ["identifypursuitteam"] = "bit", ["developproposal"] = "bit", ["completeinternalreview"] = "bit", ["presentproposal"] = "bit",
            ["completefinalproposal"] = "bit", ["finaldecisiondate"] = "datetime",
        };

        [Test]
        public void EveryGate_IsAStepOfTheOpportunitySalesProcess_InItsStage_ByTheNameTheProcessBarShows()
        {
            Assert.Multiple(() =>
            {
                foreach (var gate in StageGate.Known)
                {
                    var column = OpportunitySalesProcess.GateColumns[gate.Key];
                    var step = MicrosoftSteps.Where(s => s.Column == column).ToList();
                    Assert.That(step, Has.Count.EqualTo(1), $"{gate.Key}: {column} is one step of the process");
                    Assert.That(step.Single().Step, Is.EqualTo(gate.Step), gate.Key);
                    Assert.That(step.Single().Stage, Is.EqualTo(gate.ProcessStage), gate.Key);
                }
            });
            Assert.That(OpportunitySalesProcess.GateColumns.Keys, Is.EquivalentTo(StageGate.Known.Select(g => g.Key)), "every gate has its column");
        }

        [Test]
        public void TheBuiltInGates_OfEachStage_AreTheFactStepsOfTheStageBefore()
        {
            var builtIn = new TimePolicy().StageGates;

            Assert.That(builtIn.ContainsKey(0), Is.False, "nothing comes before Qualify");
            for (var stage = 1; stage <= 3; stage++)
            {
                var steps = MicrosoftSteps.Where(s => s.Stage == stage - 1 && !NotGates.Contains(s.Column)).Select(s => s.Column);
                Assert.That(builtIn[stage].Select(g => OpportunitySalesProcess.GateColumns[g]), Is.EquivalentTo(steps), TimePolicy.StageName(stage));
            }
        }

        [Test]
        public void GateColumns_HaveTheTypesOfMicrosoftsOpportunityTable()
        {
            Assert.Multiple(() =>
            {
                foreach (var column in OpportunitySalesProcess.GateColumns.Values)
                    Assert.That(StandardTables.Types["opportunity"][column], Is.EqualTo(MicrosoftTypes[column]), column);
            });
            Assert.That(OpportunitySalesProcess.PurchaseTimeframeUnknown, Is.EqualTo(4));
            Assert.That(OpportunitySalesProcess.PurchaseProcessUnknown, Is.EqualTo(2));
        }

        [Test]
        public void ThePolicyColumnsHelpText_ReadsAsThePluginsReadIt()
        {
            // What an admin sees under the Stage gates column of the policy form (Solution/Entities/dr_RiskPolicy/Entity.xml).
            var description = XDocument.Load(Path.Combine(SalesOrg.SolutionFolder, "Entities", "dr_RiskPolicy", "Entity.xml"))
                .Descendants("attribute").Single(a => (string?)a.Element("LogicalName") == RiskPolicyTable.StageGates)
                .Descendants("Description").Single().Attribute("description")!.Value;
            var example = Regex.Match(description, "for example (.+?)\\. ").Groups[1].Value;

            var time = new TimePolicy();
            time.ReadStageGates(example);
            Assert.That(time.Problems, Is.Empty, example);
            Assert.That(time.StageGates[1], Is.EqualTo(new[] { StageGate.DecisionMaker, StageGate.Budget }));
            Assert.That(time.StageGates[3], Is.EqualTo(new TimePolicy().StageGates[3]), "a stage not named keeps its built-in gates");
            Assert.That(description, Does.Contain(TimePolicy.NoStageGates + ": no gates at all"));
            time.ReadStageGates(TimePolicy.NoStageGates);
            Assert.That(time.GatesUpTo(3), Is.Empty);
        }

        [Test]
        public void TheSalesStageChoice_NumbersTheProcessStages()
        {
            // SalesStage choices in the opportunity table reference: 0 Qualify, 1 Develop, 2 Propose, 3 Close.
            Assert.That(TimePolicy.StageNames, Is.EqualTo(new[] { "Qualify", "Develop", "Propose", "Close" }));
        }
    }
}
