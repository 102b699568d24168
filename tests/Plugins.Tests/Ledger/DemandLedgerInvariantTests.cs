using System;
using System.Collections.Generic;
using System.Linq;
using System.ServiceModel;
using CrmPlugins.Emulator.Pipeline;
using DealRisk.Plugins.Schema;
using DealRisk.Plugins.Tests.Fixes;
using DealRisk.Plugins.Tests.Scenarios;
using DealRisk.Risk;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Crm.Sdk.Messages;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using NUnit.Framework;

namespace DealRisk.Plugins.Tests.Ledger
{
    /// <summary>
    /// The demand ledger's invariant over random sequences of what reps and the platform do to deals (create, lines and
    /// requirements through the child-row step, probability and close date, win, lose, close and reopen by Update, delete,
    /// batches through UpdateMultiple), run through the pipeline with the registration from Solution/:
    /// <list type="number">
    /// <item>the ledger's active rows summed per role and day equal what <see cref="LiveDemandReference"/> sums from the
    /// stored rows (open deals weighted from their close date, won deals in full from their actual close date);</item>
    /// <item>every deal's verdict is the one the same saves give when the risk step reads the reference instead of the
    /// ledger (a second org runs every operation with that step).</item>
    /// </list>
    /// Quantities carry 5 decimals and hours per unit and requirement effort 2, as the columns keep them.
    /// </summary>
    public class DemandLedgerInvariantTests
    {
        private static readonly Guid BuildSprint = new("20000000-0000-0000-0000-0000000000b5");
        private const int Developer = OptionSets.Prefix + 2;
        private const int Slots = 4;

        public enum Kind { Create, AddLine, AddRequirement, Probability, CloseDate, LineQuantity, Win, Lose, CloseByUpdate, Reopen, Delete, Batch }

        /// <summary>One operation: its kind, the deal slot it acts on and two numbers it draws its values from.</summary>
        public sealed record Op(Kind Kind, int Slot, int A, int B)
        {
            public override string ToString() => $"{Kind}({Slot}, {A}, {B})";
        }

        /// <summary>The risk step reading other deals' demand live from the rows (the reference) instead of the ledger.</summary>
        public sealed class ReferenceReadRiskPlugin : IPlugin
        {
            private readonly OpportunityRiskPlugin _inner;

            public ReferenceReadRiskPlugin(string unsecureConfiguration, string secureConfiguration) =>
                _inner = new OpportunityRiskPlugin(unsecureConfiguration, secureConfiguration, RiskChecks.Default,
                    (service, batch, from, to, now, windowDays) => new LiveDemandReference(service).OtherDemand(batch, from, to, now, windowDays));

            public void Execute(IServiceProvider serviceProvider) => _inner.Execute(serviceProvider);
        }

        private static SalesOrg NewOrg(bool referenceRead)
        {
            var org = new SalesOrg();
            org.Org.Seed(new Entity(Product.EntityName, BuildSprint)
            {
                [Product.Name] = "Build sprint", ["currentcost"] = new Money(900m),
                [Product.DeliveryHoursPerUnit] = 12.75m, [Product.DeliveryRole] = new OptionSetValue(Developer),
            });
            for (var m = 0; m < 12; m++)
                org.Org.Seed(new Entity(Capacity.EntityName)
                {
                    [Capacity.Name] = "Developers", [Capacity.Role] = new OptionSetValue(Developer),
                    [Capacity.Month] = new DateTime(2026, 11, 1).AddMonths(m), [Capacity.Hours] = 160m,
                });
            if (!referenceRead) return org;
            var steps = org.Org.Steps;
            for (var i = 0; i < steps.Count; i++)
            {
                var s = steps[i];
                if (s.PluginType != typeof(OpportunityRiskPlugin)) continue;
                var reference = new PluginStep(s.Name, typeof(ReferenceReadRiskPlugin), s.Message, s.PrimaryEntity, s.Stage, s.Mode)
                {
                    Rank = s.Rank, FilteringAttributes = s.FilteringAttributes, UnsecureConfiguration = s.UnsecureConfiguration,
                    SecureConfiguration = s.SecureConfiguration, RunAsUserId = s.RunAsUserId, Id = s.Id, AsyncAutoDelete = s.AsyncAutoDelete, Enabled = s.Enabled,
                };
                foreach (var image in s.Images) reference.Images.Add(image);
                steps[i] = reference;
            }

            return org;
        }

        /// <summary>The deal of a slot: a fixed id per slot and generation, the same in both orgs.</summary>
        private static Guid DealId(int slot, int generation) => new($"40000000-0000-0000-{slot:D4}-{generation:D12}");

        private sealed class World
        {
            public readonly SalesOrg Org;
            public readonly int[] Generation = new int[Slots];

            public World(bool referenceRead) => Org = NewOrg(referenceRead);

            public Guid Id(int slot) => DealId(slot, Generation[slot]);

            public Entity? Deal(int slot) => Org.Org.Get(Opportunity.EntityName, Id(slot));

            public int? State(int slot) => Deal(slot)?.GetAttributeValue<OptionSetValue>(Opportunity.StateCode)?.Value;
        }

        private static DateTime? CloseDate(int a) => a % 10 == 0 ? null : SalesOrg.Today.Date.AddDays(a % 300 - 100);

        /// <summary>Runs an operation; false when it does not apply to the deal as it is (no deal, a closed deal's inputs).</summary>
        private static bool Apply(World w, Op op)
        {
            // The slot among those the operation applies to, so that most operations act on a deal.
            bool Fits(int s) => op.Kind switch
            {
                Kind.Create => w.State(s) == null,
                Kind.Reopen => w.State(s) is OpportunityState.Won or OpportunityState.Lost,
                Kind.Delete => w.State(s) != null,
                Kind.Batch => true,
                _ => w.State(s) == OpportunityState.Open,
            };
            var fitting = Enumerable.Range(0, Slots).Where(Fits).ToList();
            if (fitting.Count == 0) return false;
            op = op with { Slot = fitting[op.Slot % fitting.Count] };
            var state = w.State(op.Slot);
            var service = w.Org.RepService;
            var deal = new EntityReference(Opportunity.EntityName, w.Id(op.Slot));
            switch (op.Kind)
            {
                case Kind.Create:
                    if (state != null) return false;
                    service.Create(SalesOrg.FollowedTheProcess(new Entity(Opportunity.EntityName, w.Id(op.Slot))
                    {
                        [Opportunity.Name] = "Deal " + op.Slot, [Opportunity.EstimatedValue] = new Money(20_000m + op.A * 100m),
                        [Opportunity.EstimatedCloseDate] = CloseDate(op.A), [Opportunity.CloseProbability] = op.B % 101,
                        [Opportunity.SalesStage] = new OptionSetValue(1),
                    }));
                    return true;
                case Kind.AddLine when state == OpportunityState.Open:
                    service.Create(new Entity(OpportunityProduct.EntityName)
                    {
                        [OpportunityProduct.OpportunityId] = deal,
                        [OpportunityProduct.ProductId] = new EntityReference(Product.EntityName, op.A % 2 == 0 ? BuildSprint : op.A % 3 == 0 ? w.Org.Licence : w.Org.ImplementationPack),
                        [OpportunityProduct.Quantity] = 1m + op.B / 100_000m,
                        ["priceperunit"] = new Money(1_000m + op.A),
                    });
                    return true;
                case Kind.AddRequirement when state == OpportunityState.Open:
                    service.Create(new Entity(Requirement.EntityName)
                    {
                        [Requirement.OpportunityId] = deal, [Requirement.Name] = "R" + op.A,
                        [Requirement.Priority] = new OptionSetValue(OptionSets.PriorityValue(RequirementPriority.ShouldHave)),
                        [Requirement.Fit] = new OptionSetValue(OptionSets.FitValue(op.A % 5 == 0 ? RequirementFit.NotSupported : RequirementFit.Configuration)),
                        [Requirement.EffortHours] = op.B / 100m, [Requirement.Role] = new OptionSetValue(op.A % 2 == 0 ? Developer : OptionSets.Prefix),
                        [Requirement.Quoted] = true,
                    });
                    return true;
                case Kind.Probability when state == OpportunityState.Open:
                    service.Update(new Entity(Opportunity.EntityName, deal.Id) { [Opportunity.CloseProbability] = op.A % 101 });
                    return true;
                case Kind.CloseDate when state == OpportunityState.Open:
                    service.Update(new Entity(Opportunity.EntityName, deal.Id) { [Opportunity.EstimatedCloseDate] = CloseDate(op.A) });
                    return true;
                case Kind.LineQuantity when state == OpportunityState.Open:
                    var line = w.Org.Org.All(OpportunityProduct.EntityName).FirstOrDefault(l => l.GetAttributeValue<EntityReference>(OpportunityProduct.OpportunityId)?.Id == deal.Id);
                    if (line == null) return false;
                    service.Update(new Entity(OpportunityProduct.EntityName, line.Id) { [OpportunityProduct.Quantity] = op.B / 100_000m });
                    return true;
                case Kind.Win when state == OpportunityState.Open:
                    service.Execute(w.Org.Win(deal.Id));
                    return true;
                case Kind.Lose when state == OpportunityState.Open:
                    service.Execute(new LoseOpportunityRequest { OpportunityClose = new Entity("opportunityclose") { ["opportunityid"] = deal }, Status = new OptionSetValue(4) });
                    return true;
                case Kind.CloseByUpdate when state == OpportunityState.Open:
                    var won = op.A % 2 == 0;
                    service.Update(new Entity(Opportunity.EntityName, deal.Id)
                    {
                        [Opportunity.StateCode] = new OptionSetValue(won ? OpportunityState.Won : OpportunityState.Lost), ["statuscode"] = new OptionSetValue(won ? 3 : 4),
                        [Opportunity.ActualCloseDate] = SalesOrg.Today.Date.AddDays(-(op.B % 20)),
                    });
                    return true;
                case Kind.Reopen when state is OpportunityState.Won or OpportunityState.Lost:
                    service.Update(new Entity(Opportunity.EntityName, deal.Id) { [Opportunity.StateCode] = new OptionSetValue(OpportunityState.Open), ["statuscode"] = new OptionSetValue(1) });
                    return true;
                case Kind.Delete when state != null:
                    service.Delete(Opportunity.EntityName, deal.Id);
                    w.Generation[op.Slot]++;
                    return true;
                case Kind.Batch:
                    var open = Enumerable.Range(0, Slots).Where(s => w.State(s) == OpportunityState.Open).ToList();
                    if (open.Count == 0) return false;
                    service.Execute(new UpdateMultipleRequest
                    {
                        Targets = new EntityCollection(open.Select((s, i) => new Entity(Opportunity.EntityName, w.Id(s))
                        {
                            [Opportunity.CloseProbability] = (op.A + 37 * i) % 101,
                            [Opportunity.EstimatedCloseDate] = i % 2 == 0 ? CloseDate(op.B + i) : w.Deal(s)!.GetAttributeValue<DateTime?>(Opportunity.EstimatedCloseDate),
                        }).ToList()) { EntityName = Opportunity.EntityName },
                    });
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>Runs an operation; what happened: not applicable, done, or refused with the fault's message (a refusal rolls back).</summary>
        private static string Run(World w, Op op)
        {
            try
            {
                return Apply(w, op) ? "done" : "n/a";
            }
            catch (FaultException<OrganizationServiceFault> fault)
            {
                return "refused: " + fault.Detail.Message;
            }
        }

        /// <summary>What the reference sums from the rows, weighted, per role and day (a deal without a close date: today).</summary>
        private static IReadOnlyDictionary<(string Role, DateTime Day), decimal> ReferenceFigures(SalesOrg org) =>
            new LiveDemandReference(org.Org.GetOrganizationService())
                .OtherDemand(Array.Empty<Guid>(), new DateTime(2025, 6, 1), new DateTime(2028, 1, 1), SalesOrg.Today, 90)
                .GroupBy(c => (c.Role, c.Start.Date)).Select(g => (g.Key, Sum: g.Sum(c => c.Hours * c.Weight))).Where(x => x.Sum != 0m)
                .ToDictionary(x => x.Key, x => x.Sum);

        private static IReadOnlyDictionary<(string Role, DateTime Day), decimal> LedgerFigures(SalesOrg org) =>
            LedgerSums.Of(org.Org).GroupBy(s => (s.Key.Role, s.Key.Day ?? SalesOrg.Today.Date)).Select(g => (g.Key, Sum: g.Sum(s => s.Value))).Where(x => x.Sum != 0m)
                .ToDictionary(x => x.Key, x => x.Sum);

        private static string Figures(IReadOnlyDictionary<(string Role, DateTime Day), decimal> figures) =>
            string.Join("; ", figures.OrderBy(f => f.Key.Role, StringComparer.Ordinal).ThenBy(f => f.Key.Day).Select(f => $"{f.Key.Role} {f.Key.Day:yyyy-MM-dd} {f.Value}"));

        private static string Verdict(Entity? deal) => deal == null
            ? "(none)"
            : string.Join(" | ", Opportunity.Verdict.Select(c => deal.Attributes.TryGetValue(c, out var v)
                ? v switch { Money m => m.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), OptionSetValue o => o.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), _ => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) }
                : "-"));

        private static Gen<Op> Operation() =>
            from kind in Gen.Frequency(
                (4, Gen.Constant(Kind.Create)), (4, Gen.Constant(Kind.AddLine)), (3, Gen.Constant(Kind.AddRequirement)), (3, Gen.Constant(Kind.Probability)),
                (2, Gen.Constant(Kind.CloseDate)), (2, Gen.Constant(Kind.LineQuantity)), (1, Gen.Constant(Kind.Win)), (1, Gen.Constant(Kind.Lose)),
                (1, Gen.Constant(Kind.CloseByUpdate)), (2, Gen.Constant(Kind.Reopen)), (1, Gen.Constant(Kind.Delete)), (2, Gen.Constant(Kind.Batch)))
            from slot in Gen.Choose(0, 11)
            from a in Gen.Choose(0, 1_000)
            from b in Gen.Choose(1, 300_000)
            select new Op(kind, slot, a, b);

        [Test]
        public void AnySequenceOfSaves_LeavesTheLedgerEqualToTheRows_AndEveryVerdictAsTheReferenceReadGivesIt()
        {
            // What the operations did, printed with the result: most act on a deal (the rest found none they apply to).
            var outcomes = new List<string>();
            var sequences = Gen.Choose(1, 30).SelectMany(n => Gen.ArrayOf(Operation(), n));

            Prop.ForAll(sequences.ToArbitrary(), ops =>
            {
                var ledger = new World(referenceRead: false);
                var reference = new World(referenceRead: true);
                var log = new List<string>();
                foreach (var op in ops)
                {
                    var outcome = Run(ledger, op);
                    log.Add($"{op}: {outcome}");
                    outcomes.Add(op.Kind + " " + (outcome.StartsWith("refused") ? "refused" : outcome));
                    Assert.That(Run(reference, op), Is.EqualTo(outcome), () => "the two orgs took the operation differently:\n" + string.Join("\n", log));
                    for (var s = 0; s < Slots; s++)
                        Assert.That(Verdict(ledger.Deal(s)), Is.EqualTo(Verdict(reference.Deal(s))), () => $"slot {s} after:\n" + string.Join("\n", log));
                }

                Assert.That(Figures(LedgerFigures(ledger.Org)), Is.EqualTo(Figures(ReferenceFigures(ledger.Org))), () => "the ledger after:\n" + string.Join("\n", log));
                Assert.That(Figures(LedgerFigures(reference.Org)), Is.EqualTo(Figures(ReferenceFigures(reference.Org))), () => "the ledger of the reference org after:\n" + string.Join("\n", log));
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(60).WithReplay(FixPropertyTests.Seed(23)));
            foreach (var g in outcomes.GroupBy(o => o).OrderBy(g => g.Key)) TestContext.Out.WriteLine($"{g.Key}: {g.Count()}");
        }
    }
}
