using System;
using System.Collections.Generic;
using System.Linq;
using DealRisk.Plugins.Ledger;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;
using NUnit.Framework;

namespace DealRisk.Plugins.Tests.Scenarios
{
    /// <summary>
    /// The rebuild reads a deal's lines with only the columns its posting needs (<see cref="LedgerLines"/>); what it posts
    /// must be what the judgement's full read of the same lines (<see cref="RiskFactsReader.Lines"/>, whole DealLines) gives
    /// through the same rule, on the lines that have no plain product: write-ins, products gone, no quantity, no role.
    /// </summary>
    [TestFixture]
    public sealed class RebuildLineScenarios
    {
        private static readonly DateTime Dec1 = new(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);
        private readonly Guid _customBuild = new("20000000-0000-0000-0000-000000000004");
        private readonly Guid _training = new("20000000-0000-0000-0000-000000000005");
        private readonly Guid _workshop = new("20000000-0000-0000-0000-000000000006");
        private SalesOrg _org = null!;

        private static int Consultant => OptionSets.Prefix;

        private static int Developer => OptionSets.Prefix + 2;

        [SetUp]
        public void SetUp()
        {
            _org = new SalesOrg();
            _org.Org.Seed(new Entity(Product.EntityName, _customBuild)
            {
                [Product.Name] = "Custom build", [Product.DeliveryHoursPerUnit] = 10m, [Product.DeliveryRole] = new OptionSetValue(Developer),
            });
            // Hours but no delivery role, and a role but no hours: neither is anyone's demand.
            _org.Org.Seed(new Entity(Product.EntityName, _training) { [Product.Name] = "Training day", [Product.DeliveryHoursPerUnit] = 8m });
            _org.Org.Seed(new Entity(Product.EntityName, _workshop) { [Product.Name] = "Workshop", [Product.DeliveryRole] = new OptionSetValue(Consultant) });
        }

        private Guid SeedDeal(string name, int probability)
        {
            var deal = new Entity(Opportunity.EntityName, Guid.NewGuid())
            {
                [Opportunity.Name] = name,
                [Opportunity.StateCode] = new OptionSetValue(OpportunityState.Open),
                [Opportunity.StatusCode] = new OptionSetValue(1),
                [Opportunity.CloseProbability] = probability,
                [Opportunity.EstimatedCloseDate] = Dec1,
            };
            _org.Org.Seed(deal);
            return deal.Id;
        }

        private void SeedLine(Guid deal, Guid? product, decimal? quantity, bool writeIn = false)
        {
            var line = new Entity(OpportunityProduct.EntityName)
            {
                [OpportunityProduct.OpportunityId] = new EntityReference(Opportunity.EntityName, deal),
                [OpportunityProduct.Quantity] = quantity,
                [OpportunityProduct.BaseAmountBase] = new Money(1_000m),
            };
            if (product is Guid p) line[OpportunityProduct.ProductId] = new EntityReference(Product.EntityName, p);
            if (writeIn)
            {
                line[OpportunityProduct.IsProductOverridden] = true;
                line[OpportunityProduct.ProductDescription] = "Typed by the rep";
            }

            _org.Org.Seed(line);
        }

        private void SeedRequirement(Guid deal, decimal hours, int role, RequirementFit fit = RequirementFit.Customisation) =>
            _org.Org.Seed(new Entity(Requirement.EntityName)
            {
                [Requirement.OpportunityId] = new EntityReference(Opportunity.EntityName, deal),
                [Requirement.Name] = "Integration with the ERP",
                [Requirement.Priority] = new OptionSetValue(OptionSets.PriorityValue(RequirementPriority.MustHave)),
                [Requirement.Fit] = new OptionSetValue(OptionSets.FitValue(fit)),
                [Requirement.EffortHours] = hours,
                [Requirement.Role] = new OptionSetValue(role),
            });

        /// <summary>A deal's dr_demandposted; none stays none when its posting is empty, which reads as "".</summary>
        private string Posted(Guid deal) =>
            _org.Org.All(Opportunity.EntityName).Single(o => o.Id == deal).GetAttributeValue<string>(Opportunity.DemandPosted) ?? "";

        [Test]
        public void Rebuild_OfDealsWithAwkwardLines_PostsWhatTheFullLineReadGives()
        {
            // Several roles, and every kind of line that adds nothing beside them.
            var mixed = SeedDeal("Mixed", 60);
            SeedLine(mixed, _org.ImplementationPack, 2);                   // 80 consultant h
            SeedLine(mixed, _customBuild, 3);                              // 30 developer h
            SeedLine(mixed, _org.ImplementationPack, null);                // no quantity
            SeedLine(mixed, _org.ImplementationPack, 0m);                  // none of it
            SeedLine(mixed, _training, 4);                                 // hours, no role
            SeedLine(mixed, _workshop, 4);                                 // role, no hours
            SeedLine(mixed, Guid.NewGuid(), 5);                            // a product since deleted
            SeedLine(mixed, null, 7, writeIn: true);                       // a write-in
            SeedLine(mixed, _customBuild, 1, writeIn: true);               // a write-in still naming a product
            SeedRequirement(mixed, 20m, Developer);
            SeedRequirement(mixed, 50m, Consultant, RequirementFit.NotSupported);
            // Only lines that add nothing: a write-in and a product gone.
            var nothing = SeedDeal("Nothing", 40);
            SeedLine(nothing, null, 3, writeIn: true);
            SeedLine(nothing, Guid.NewGuid(), 3);
            // No lines at all, only a requirement.
            var requirementOnly = SeedDeal("Requirement only", 50);
            SeedRequirement(requirementOnly, 12m, Consultant);

            LedgerRebuild.Run(_org.Org, pageSize: 2);

            var deals = new[] { mixed, nothing, requirementOnly };
            var reader = new RiskFactsReader(_org.Org.GetOrganizationService());
            var lines = reader.Lines(deals);
            var requirements = reader.Requirements(deals);
            Assert.That(lines[mixed].Count(), Is.EqualTo(9), "the full read sees every line of the mixed deal");
            foreach (var deal in deals)
                Assert.That(Posted(deal), Is.EqualTo(Expected(deal, lines, requirements)), $"deal {deal}");
            // The same numbers worked by hand, so the comparison cannot pass on two equally wrong reads.
            Assert.That(Posted(mixed), Is.EqualTo("v1;w=0.6;d=2026-12-01;Consultant=80;Developer=60"));
            Assert.That(Posted(nothing), Is.Empty, "a deal holding nothing keeps no text");
            Assert.That(Posted(requirementOnly), Is.EqualTo("v1;w=0.5;d=2026-12-01;Consultant=12"));
        }

        private string Expected(Guid deal, ILookup<Guid, DealLine> lines, ILookup<Guid, DealRequirement> requirements)
        {
            var row = _org.Org.All(Opportunity.EntityName).Single(o => o.Id == deal);
            return DemandLedger.Open(row.GetAttributeValue<int?>(Opportunity.CloseProbability), row.GetAttributeValue<DateTime?>(Opportunity.EstimatedCloseDate),
                DeliveryDemand.ByRole(lines[deal], requirements[deal])).Format();
        }
    }
}
