using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CrmPlugins.Emulator;
using CrmPlugins.Emulator.Pipeline;
using DealRisk.Plugins;
using DealRisk.Plugins.Schema;
using Schema = DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;

namespace DealRisk.Cli.Demo
{
    /// <summary>
    /// The embedded sample organization: two sales teams (Enterprise, Mid-market) under a VP, products with costs and
    /// delivery effort, capacity per delivery role, a risk policy, and the suite imported from Solution/. <see cref="Replay"/>
    /// plays a quarter's rep actions through the pipeline; everything the suite does happens in its plugins and workflow.
    /// </summary>
    public sealed class SampleOrg
    {
        public static readonly DateTime Start = new(2026, 10, 5, 9, 0, 0, DateTimeKind.Utc);

        public static readonly Guid Vera = Id(1), Mia = Id(2), Sam = Id(3), Rob = Id(4), Rita = Id(5), Sid = Id(6), Sue = Id(7), Leo = Id(8), Pat = Id(9);
        public static readonly Guid Enterprise = Id(20), MidMarket = Id(21);
        public static readonly Guid Licence = Id(30), ImplementationPack = Id(31), IntegrationModule = Id(32), TrainingDay = Id(33), PremiumSupport = Id(34);

        private readonly Dictionary<string, Guid> _deals = new(StringComparer.Ordinal);
        private readonly Action<string> _progress;

        public SampleOrg(string solutionFolder, Action<string>? progress = null)
        {
            _progress = progress ?? (_ => { });
            Org = new XrmOrganization("Contoso") { UtcNow = Start };
            Org.ImportSolution(solutionFolder, typeof(OpportunityRiskPlugin).Assembly, Suite.WorkflowAssembly);
            SeedPeopleProductsAndCapacity();
        }

        public XrmOrganization Org { get; }

        /// <summary>The deals of the story by name.</summary>
        public IReadOnlyDictionary<string, Guid> Deals => _deals;

        /// <summary>What happened, step by step, for the console.</summary>
        public List<string> Story { get; } = new();

        /// <summary>Refusals the platform gave reps (the win gate), with the message the rep saw.</summary>
        public List<(string Deal, string Message)> Refusals { get; } = new();

        private static Guid Id(int n) => new($"d0000000-0000-0000-0000-{n:D12}");

        private void SeedPeopleProductsAndCapacity()
        {
            var root = new EntityReference("businessunit", Org.RootBusinessUnitId);
            Org.Seed(
                new Entity("businessunit", Enterprise) { ["name"] = "Enterprise", ["parentbusinessunitid"] = root },
                new Entity("businessunit", MidMarket) { ["name"] = "Mid-market", ["parentbusinessunitid"] = root },
                User(Vera, "Vera Vance", Org.RootBusinessUnitId, null),
                User(Mia, "Mia Moreno", Enterprise, Vera),
                User(Sam, "Sam Sato", MidMarket, Vera),
                User(Rob, "Rob Reyes", Enterprise, Mia),
                User(Rita, "Rita Ruiz", Enterprise, Mia),
                User(Sid, "Sid Singh", MidMarket, Sam),
                User(Sue, "Sue Suzuki", MidMarket, Sam),
                User(Leo, "Leo Lindqvist", Enterprise, Vera),
                User(Pat, "Pat Patel", Enterprise, Leo),
                Product(Licence, "CRM licence (annual)", 400m, null, null),
                Product(ImplementationPack, "Implementation pack", 2_000m, 40m, 0),
                Product(IntegrationModule, "Integration module", 1_500m, 30m, 2),
                Product(TrainingDay, "Training day", 300m, 8m, 4),
                Product(PremiumSupport, "Premium support", null, null, null),
                new Entity(RiskPolicyTable.EntityName, Id(40))
                {
                    [RiskPolicyTable.Name] = "Default", [RiskPolicyTable.AlertLevel] = new OptionSetValue(OptionSets.RiskLevelValue(RiskLevel.High)),
                    // This org allows proposals up to two months (the built-in allows 30 days in Propose); its won deals needed 22 days
                    // there, so the week-8 sweep's median (from the risk history) catches the proposals that drag past that.
                    [RiskPolicyTable.StageMaxDays] = "Propose=60",
                },
                new Entity(RiskPolicyTable.EntityName, Id(41))
                {
                    [RiskPolicyTable.Name] = "Mid-market", [RiskPolicyTable.BusinessUnitId] = new EntityReference("businessunit", MidMarket),
                    [RiskPolicyTable.MarginWarningPercent] = 20m, [RiskPolicyTable.MarginCriticalPercent] = 10m, [RiskPolicyTable.StageMaxDays] = "Propose=60",
                    [RiskPolicyTable.AlertLevel] = new OptionSetValue(OptionSets.RiskLevelValue(RiskLevel.High)),
                });
            var roles = new (int Role, decimal Hours)[] { (0, 320m), (1, 120m), (2, 240m), (3, 160m), (4, 60m) };
            for (var m = 0; m < 18; m++)
            {
                var month = new DateTime(2026, 1, 1).AddMonths(m);
                foreach (var (role, hours) in roles)
                    Org.Seed(new Entity(Capacity.EntityName)
                    {
                        [Capacity.Name] = $"{OptionSets.RoleName(OptionSets.Prefix + role)}, {month:MMMM yyyy}",
                        [Capacity.Role] = new OptionSetValue(OptionSets.Prefix + role), [Capacity.Month] = month, [Capacity.Hours] = hours,
                    });
            }
        }

        private static Entity User(Guid id, string name, Guid businessUnit, Guid? manager) => new(SystemUser.EntityName, id)
        {
            [SystemUser.FullName] = name,
            [SystemUser.BusinessUnitId] = new EntityReference("businessunit", businessUnit),
            [SystemUser.ParentSystemUserId] = manager is Guid m ? new EntityReference(SystemUser.EntityName, m) : null,
            [SystemUser.IsDisabled] = false,
        };

        private static Entity Product(Guid id, string name, decimal? cost, decimal? hours, int? role) => new(Schema.Product.EntityName, id)
        {
            [Schema.Product.Name] = name,
            ["currentcost"] = cost is decimal c ? new Money(c) : null,
            [Schema.Product.DeliveryHoursPerUnit] = hours,
            [Schema.Product.DeliveryRole] = role is int r ? new OptionSetValue(OptionSets.Prefix + r) : null,
        };

        /// <summary>Plays the quarter: deals created and worked, slips, a deeper discount, a must-have found unsupported, a blocked then approved win, a lost deal.</summary>
        public SampleOrg Replay()
        {
            ReplayHistory();
            Org.UtcNow = Start;
            Step("Week 1: reps create their deals and add products, requirements and allocations");
            var fabrikam = Deal(Rob, "Fabrikam CRM rollout", 60, 40, probability: 60);
            Line(Rob, fabrikam, Licence, 20, 1_000m);
            Line(Rob, fabrikam, ImplementationPack, 2, 6_000m);
            Allocate(Rob, fabrikam, 0, 80m, Rob);

            var northwind = Deal(Rob, "Northwind service desk", 45, 60, probability: 50);
            Line(Rob, northwind, Licence, 50, 900m, discount: 9_000m);
            Line(Rob, northwind, ImplementationPack, 1, 5_000m);

            var adventure = Deal(Rita, "Adventure Works field service", 50, 50, probability: 60);
            Line(Rita, adventure, Licence, 30, 1_000m);
            Line(Rita, adventure, ImplementationPack, 1, 6_000m);
            Requirement(Rita, adventure, "Offline mobile inspections", RequirementPriority.MustHave, RequirementFit.Unknown);
            Requirement(Rita, adventure, "Route planning", RequirementPriority.ShouldHave, RequirementFit.Standard);

            var pharma = Deal(Rita, "Contoso Pharma portal", 75, 90, probability: 40);
            Line(Rita, pharma, Licence, 40, 1_100m);
            Line(Rita, pharma, IntegrationModule, 2, 7_000m);
            Requirement(Rita, pharma, "Validated audit trail (GxP)", RequirementPriority.MustHave, RequirementFit.Customisation, hours: 260m, role: 2);

            var litware = Deal(Sid, "Litware analytics", 30, 45, probability: 70);
            Line(Sid, litware, Licence, 25, 1_000m);
            Line(Sid, litware, TrainingDay, 3, 1_200m);
            Allocate(Sid, litware, 4, 24m, Sue);

            var tailspin = Deal(Sid, "Tailspin onboarding", 20, 70, probability: 80);
            Line(Sid, tailspin, Licence, 60, 800m);
            Line(Sid, tailspin, ImplementationPack, 10, 5_500m);
            Allocate(Sid, tailspin, 0, 400m, null);

            var wwi = Deal(Sue, "Wide World Importers upgrade", 40, 45, probability: 50);
            Line(Sue, wwi, Licence, 15, 1_000m);
            Line(Sue, wwi, PremiumSupport, 1, 8_000m);

            var blueYonder = Deal(Sue, "Blue Yonder renewal", 25, 30, probability: 90);
            Line(Sue, blueYonder, Licence, 40, 1_000m);

            var coho = Deal(Rob, "Coho Winery CRM", 15, 30, probability: 80);
            Line(Rob, coho, Licence, 10, 1_000m);
            Line(Rob, coho, ImplementationPack, 1, 6_000m);
            Requirement(Rob, coho, "Excise duty reporting", RequirementPriority.MustHave, RequirementFit.NotSupported);
            Allocate(Rob, coho, 0, 40m, Rob);

            // Nobody saves this deal again this quarter: only the daily sweep (week 8) sees its close date pass and the customer go quiet.
            var trey = Deal(Sue, "Trey Research renewal", 30, 40, probability: 70);
            Line(Sue, trey, Licence, 40, 1_000m);

            var proseware = Deal(Sid, "Proseware ERP link", 35, 55, probability: 40);
            Line(Sid, proseware, Licence, 20, 900m);
            Requirement(Sid, proseware, "Real-time ERP sync", RequirementPriority.MustHave, RequirementFit.Customisation, hours: 180m, role: 2);

            // Two deals that each fit the project managers alone (320 h over the delivery window: 68.9% of 160 h in
            // December) and together do not (with the other at 80%: 124%), though nobody is allocated to either yet.
            var datum = Deal(Rob, "A. Datum PMO rollout", 56, 50, probability: 80);
            Line(Rob, datum, Licence, 30, 1_000m);
            Requirement(Rob, datum, "Programme management", RequirementPriority.ShouldHave, RequirementFit.Standard, hours: 320m, role: 3);
            var relecloud = Deal(Sid, "Relecloud PMO rollout", 56, 50, probability: 80);
            Line(Sid, relecloud, Licence, 30, 1_000m);
            Requirement(Sid, relecloud, "Programme management", RequirementPriority.ShouldHave, RequirementFit.Standard, hours: 320m, role: 3);

            // Quoted with 20% tax on every line and 3,000 off the whole deal: 28,800 with tax, 21,000 net of tax and discount.
            var alpine = Deal(Rita, "Alpine Ski House booking", 50, 25, probability: 60);
            Line(Rita, alpine, ImplementationPack, 1, 6_000m, tax: 1_200m);
            Line(Rita, alpine, Licence, 30, 600m, tax: 3_600m);
            Update(Rita, alpine, new Entity(Opportunity.EntityName) { [Opportunity.DiscountAmount] = new Money(3_000m) });

            Advance(14);
            Step("Week 3: Litware's close date slips; Northwind's discount is deepened");
            Update(Sid, litware, new Entity(Opportunity.EntityName) { [Opportunity.EstimatedCloseDate] = Org.UtcNow.Date.AddDays(35) });
            var northwindLicences = Org.All(OpportunityProduct.EntityName).First(l => l.GetAttributeValue<EntityReference>(OpportunityProduct.OpportunityId).Id == northwind &&
                l.GetAttributeValue<EntityReference>(OpportunityProduct.ProductId).Id == Licence).Id;
            Update(Rob, northwindLicences, new Entity(OpportunityProduct.EntityName) { ["manualdiscountamount"] = new Money(27_000m) }, OpportunityProduct.EntityName);

            Advance(14);
            Step("Week 5: the must-have on Adventure Works is found unsupported; Litware slips again; Tailspin's amount is cut; A. Datum's probability rises; Fourth Coffee reaches Close 12 days before its close date with no products and none of the sales process's Propose steps done");
            var offline = Org.All(Schema.Requirement.EntityName).First(r => r.GetAttributeValue<string>(Schema.Requirement.Name) == "Offline mobile inspections").Id;
            Update(Rita, offline, new Entity(Schema.Requirement.EntityName) { [Schema.Requirement.Fit] = new OptionSetValue(OptionSets.FitValue(RequirementFit.NotSupported)) }, Schema.Requirement.EntityName);
            Update(Sid, litware, new Entity(Opportunity.EntityName) { [Opportunity.EstimatedCloseDate] = Org.UtcNow.Date.AddDays(40), [Opportunity.CloseProbability] = 40 });
            Update(Sid, tailspin, new Entity(Opportunity.EntityName) { [Opportunity.EstimatedValue] = new Money(60_000m), [Opportunity.SalesStage] = new OptionSetValue(1) });
            Update(Rob, datum, new Entity(Opportunity.EntityName) { [Opportunity.CloseProbability] = 85 });
            // Moved to Close without the Propose steps of the sales process (no sales team, proposal or review recorded): the stage gate on that save.
            var fourthCoffee = Deal(Sue, "Fourth Coffee kiosks", 12, 70, probability: 70);
            Update(Sue, fourthCoffee, new Entity(Opportunity.EntityName) { [Opportunity.SalesStage] = new OptionSetValue(3) });

            Advance(7);
            Step("Week 6: Rob tries to win Coho Winery (Critical, not approved); Mia approves the known risk; the win goes through");
            Win(Rob, coho);
            Update(Mia, coho, new Entity(Opportunity.EntityName) { [Opportunity.RiskApprovedBy] = new EntityReference(SystemUser.EntityName, Mia) });
            Win(Rob, coho);
            Win(Sue, blueYonder);

            Advance(7);
            Step("Week 7: Proseware is lost");
            Lose(Sid, proseware);

            Advance(7);
            Step("Week 8: the daily risk sweep runs (dr_RunRiskSweep, as the scheduled flow calls it): Trey Research, untouched since week 1, is past its close date with no customer activity");
            Sweep();
            return this;
        }


        /// <summary>
        /// Three quarters of closed deals before the demo's quarter, each worked and closed through the pipeline, so the
        /// risk history and the outcome analysis have real figures: healthy deals, thin margins, unsupported must-haves,
        /// unquoted customisation and slipping deals; managers respond to some alerts; Leo, who managed the public
        /// sector team, has since left the company.
        /// </summary>
        private void ReplayHistory()
        {
            Step("Before the quarter: three quarters of deals are worked and closed (the risk history the outcome analysis reads)");
            var reps = new[] { Rob, Rita, Sid, Sue, Pat };
            var seen = new int[5];
            for (var i = 0; i < 30; i++)
            {
                Org.UtcNow = new DateTime(2026, 1, 5, 9, 0, 0, DateTimeKind.Utc).AddDays(i * 8);
                var rep = reps[i % reps.Length];
                var kind = (i * 2 + i / 5) % 5;
                var name = $"{PastCustomers[i % PastCustomers.Length]} {(kind switch { 0 => "renewal", 1 => "expansion", 2 => "field service", 3 => "portal", _ => "analytics" })} (Q{i / 10 + 1})";
                var deal = Deal(rep, name, 25, 40 + (i % 4) * 10, probability: 60);
                var nth = seen[kind]++;
                var won = kind switch
                {
                    0 => nth % 6 != 5,          // healthy: 5 in 6 won
                    1 => nth % 4 == 0,          // thin margin after a deep discount: 1 in 4 won
                    2 => nth % 3 == 0,          // a must-have not supported: lost unless the risk was accepted (1 in 3)
                    3 => nth % 2 == 0,          // unquoted customisation: half
                    _ => nth % 3 == 0,          // slipping: 1 in 3 won
                };
                // Products before allocations, the consultant named before the pack that needs her: no save of the build-up
                // leaves the deal without lines or with unallocated hours (each would be a finding the deal carries for life).
                Line(rep, deal, Licence, 20, 1_000m, discount: kind == 1 ? 11_000m : 0m);
                if (kind != 4) Allocate(rep, deal, 0, 40m, rep);
                Line(rep, deal, ImplementationPack, 1, 6_000m);
                if (kind == 2) Requirement(rep, deal, "Offline inspections", RequirementPriority.MustHave, RequirementFit.NotSupported);
                if (kind == 3) Requirement(rep, deal, "Custom approval flow", RequirementPriority.ShouldHave, RequirementFit.Customisation, hours: 120m, role: 2);
                Org.UtcNow = Org.UtcNow.AddDays(10);
                if (kind == 4)
                {
                    Update(rep, deal, new Entity(Opportunity.EntityName) { [Opportunity.EstimatedCloseDate] = Org.UtcNow.Date.AddDays(30) });
                    Update(rep, deal, new Entity(Opportunity.EntityName) { [Opportunity.EstimatedCloseDate] = Org.UtcNow.Date.AddDays(45) });
                }

                Respond(deal, i, won);
                Org.UtcNow = Org.UtcNow.AddDays(12);
                if (won) Win(rep, deal);
                else Lose(rep, deal);
            }

            RecordCoaching();

            // Leo has left: his user is disabled; his alerts and their outcomes stay in the figures, labelled.
            Org.GetOrganizationService().Update(new Entity(SystemUser.EntityName, Leo) { [SystemUser.IsDisabled] = true });
            Story.RemoveAll(line => line.StartsWith("  ", StringComparison.Ordinal));
            Refusals.Clear();
            _deals.Clear();
        }

        private static readonly string[] PastCustomers =
        {
            "Trey Research", "Lucerne Publishing", "Margie's Travel", "Graphic Design Institute", "School of Fine Art", "Humongous Insurance",
            "Woodgrove Bank", "City Power & Light", "Relecloud", "VanArsdel",
        };

        /// <summary>The manager's response to the deal's open alert, when there is one: some coach, some review, some accept the risk of a deal they will win.</summary>
        private void Respond(Guid deal, int i, bool won)
        {
            var alert = Org.All(RiskAlert.EntityName).FirstOrDefault(a => a.GetAttributeValue<EntityReference>(RiskAlert.OpportunityId)?.Id == deal &&
                OptionSets.AlertStatusOf(a.GetAttributeValue<OptionSetValue>(RiskAlert.Status)?.Value) == AlertStatus.Open);
            if (alert == null) return;
            var critical = OptionSets.RiskLevelOf(Org.Get(Opportunity.EntityName, deal)!.GetAttributeValue<OptionSetValue>(Opportunity.OverallRisk)?.Value) == RiskLevel.Critical;
            AlertResponse? response = won && critical ? AlertResponse.AcceptedRisk : (i % 4) switch
            {
                0 => AlertResponse.CoachedRep,
                1 => AlertResponse.DealReview,
                2 => null,
                _ => AlertResponse.RescopeOrRequote,
            };
            if (response == null) return;
            var manager = alert.GetAttributeValue<EntityReference>(RiskAlert.RecipientId).Id;
            Update(manager, alert.Id, new Entity(RiskAlert.EntityName)
            {
                [RiskAlert.Response] = new OptionSetValue(OptionSets.ResponseValue(response.Value)),
                [RiskAlert.ResponseNote] = AlertResponseRules.Label(response.Value) + " after the alert.",
            }, RiskAlert.EntityName);
        }

        private void Step(string text)
        {
            Story.Add(text);
            _progress(text);
        }

        private void Advance(int days)
        {
            Org.RunAsyncOperations();
            LogCalls();
            Org.UtcNow = Org.UtcNow.AddDays(days);
        }

        /// <summary>Deals nobody calls about: the sweep's story (no save would catch them).</summary>
        private static readonly string[] LeftAlone = { "Trey Research renewal" };

        /// <summary>Reps log a completed call on each open deal they work, every time the story moves on (activities run no risk step).</summary>
        private void LogCalls()
        {
            foreach (var deal in Org.All(Opportunity.EntityName).Where(d => (d.GetAttributeValue<OptionSetValue>(Opportunity.StateCode)?.Value ?? 0) == OpportunityState.Open &&
                                                                             !LeftAlone.Contains(d.GetAttributeValue<string>(Opportunity.Name))).ToList())
                Org.Seed(new Entity(Schema.PhoneCall.EntityName)
                {
                    ["subject"] = "Call about " + deal.GetAttributeValue<string>(Opportunity.Name),
                    [Schema.PhoneCall.RegardingObjectId] = new EntityReference(Opportunity.EntityName, deal.Id),
                    [Schema.PhoneCall.ActualEnd] = Org.UtcNow,
                    ["statecode"] = new OptionSetValue(Schema.ActivityState.Completed),
                    ["statuscode"] = new OptionSetValue(2),
                });
        }

        private IOrganizationService As(Guid user) => Org.GetOrganizationService(user);

        /// <summary>Calls the sweep's Custom API until it reports done, as the solution's daily flow does, then lets the alert workflow run.</summary>
        private void Sweep()
        {
            var token = "";
            for (var call = 0; call < 100; call++)
            {
                var request = new OrganizationRequest(Plugins.Sweep.RiskSweepPlugin.MessageName) { [Plugins.Sweep.RiskSweepPlugin.PageSizeParameter] = 250 };
                if (token.Length > 0) request[Plugins.Sweep.RiskSweepPlugin.ContinuationTokenParameter] = token;
                var response = As(Vera).Execute(request);
                Story.Add("  " + (string)response.Results[Plugins.Sweep.RiskSweepPlugin.SummaryProperty]);
                if ((bool)response.Results[Plugins.Sweep.RiskSweepPlugin.DoneProperty]) break;
                token = (string)response.Results[Plugins.Sweep.RiskSweepPlugin.ContinuationTokenProperty];
            }

            Org.RunAsyncOperations();
        }

        /// <summary>
        /// The coaching managers recorded in Dynamics over the three quarters, besides what their alert responses logged:
        /// Mia coaches Rob weekly-ish and Rita now and then, with pre-briefs and debriefs around Rob's big meetings; Sam
        /// coaches Sid, not Sue; Leo sees Pat once a quarter. Each is created by the manager, owned by the rep.
        /// </summary>
        private void RecordCoaching()
        {
            var plan = new (Guid Manager, Guid Rep, int PerQuarter, int Minutes, int Kind)[]
            {
                (Mia, Rob, 6, 45, CoachingSession.KindCoaching), (Mia, Rob, 2, 20, CoachingSession.KindPreBrief), (Mia, Rob, 2, 15, CoachingSession.KindDebrief),
                (Mia, Rita, 2, 30, CoachingSession.KindCoaching), (Sam, Sid, 4, 60, CoachingSession.KindCoaching), (Sam, Sid, 1, 30, CoachingSession.KindDealReview),
                (Sam, Sue, 1, 20, CoachingSession.KindDebrief), (Leo, Pat, 1, 60, CoachingSession.KindCoaching),
            };
            var kinds = new Dictionary<int, string> { [CoachingSession.KindCoaching] = "One-on-one", [CoachingSession.KindPreBrief] = "Pre-brief", [CoachingSession.KindDebrief] = "Debrief", [CoachingSession.KindDealReview] = "Deal review" };
            for (var quarter = 0; quarter < 3; quarter++)
                foreach (var (manager, rep, perQuarter, minutes, kind) in plan)
                    for (var n = 0; n < perQuarter; n++)
                    {
                        var held = new DateTime(2026, 1 + quarter * 3, 6, 10, 0, 0, DateTimeKind.Utc).AddDays(n * 80 / perQuarter + (int)kind % 7);
                        Org.UtcNow = held;
                        As(manager).Create(new Entity(CoachingSession.EntityName)
                        {
                            [CoachingSession.Subject] = kinds[kind], [CoachingSession.Kind] = new OptionSetValue(kind), [CoachingSession.HeldOn] = held,
                            [CoachingSession.DurationMinutes] = minutes, [CoachingSession.RepId] = new EntityReference(SystemUser.EntityName, rep),
                            [CoachingSession.OwnerId] = new EntityReference(SystemUser.EntityName, rep),
                        });
                    }
        }

        /// <summary>
        /// A deal the rep creates in Propose, with the steps of the sales process done so far recorded as reps record them in
        /// the process bar (Qualify's: decision maker, estimated budget, timeframe, purchase process; Develop's: need,
        /// solution, stakeholders, competitors), so the built-in stage gates speak only where a step was skipped.
        /// </summary>
        private Guid Deal(Guid rep, string name, int closeInDays, decimal amountThousands, int probability)
        {
            var id = As(rep).Create(new Entity(Opportunity.EntityName)
            {
                [Opportunity.Name] = name,
                [Opportunity.EstimatedValue] = new Money(amountThousands * 1_000m),
                [Opportunity.EstimatedCloseDate] = Org.UtcNow.Date.AddDays(closeInDays),
                [Opportunity.CloseProbability] = probability,
                [Opportunity.SalesStage] = new OptionSetValue(2),
                [Opportunity.EstimatedCostOfSale] = new Money(1_500m),
                [OpportunitySalesProcess.DecisionMaker] = true,
                [OpportunitySalesProcess.BudgetAmount] = new Money(amountThousands * 1_100m),
                [OpportunitySalesProcess.PurchaseTimeframe] = new OptionSetValue(closeInDays <= 90 ? 1 : 2),
                [OpportunitySalesProcess.PurchaseProcess] = new OptionSetValue(amountThousands >= 50 ? 1 : 0),
                [OpportunitySalesProcess.CustomerNeed] = "What " + name + " has to deliver, as the customer described it.",
                [OpportunitySalesProcess.ProposedSolution] = "Licences and services as quoted on the product lines.",
                [OpportunitySalesProcess.IdentifyCustomerContacts] = true,
                [OpportunitySalesProcess.IdentifyCompetitors] = true,
            });
            _deals[name] = id;
            Org.RunAsyncOperations();
            return id;
        }

        private void Line(Guid rep, Guid deal, Guid product, decimal quantity, decimal price, decimal discount = 0m, decimal tax = 0m)
        {
            As(rep).Create(new Entity(OpportunityProduct.EntityName)
            {
                [OpportunityProduct.OpportunityId] = new EntityReference(Opportunity.EntityName, deal),
                [OpportunityProduct.ProductId] = new EntityReference(Schema.Product.EntityName, product),
                [OpportunityProduct.Quantity] = quantity,
                ["priceperunit"] = new Money(price),
                ["manualdiscountamount"] = new Money(discount),
                ["tax"] = new Money(tax),
            });
            Org.RunAsyncOperations();
        }

        private void Requirement(Guid rep, Guid deal, string name, RequirementPriority priority, RequirementFit fit, decimal? hours = null, int role = 0)
        {
            As(rep).Create(new Entity(Schema.Requirement.EntityName)
            {
                [Schema.Requirement.OpportunityId] = new EntityReference(Opportunity.EntityName, deal),
                [Schema.Requirement.Name] = name,
                [Schema.Requirement.Priority] = new OptionSetValue(OptionSets.PriorityValue(priority)),
                [Schema.Requirement.Fit] = new OptionSetValue(OptionSets.FitValue(fit)),
                [Schema.Requirement.EffortHours] = hours,
                [Schema.Requirement.Role] = hours == null ? null : new OptionSetValue(OptionSets.Prefix + role),
                [Schema.Requirement.Quoted] = false,
            });
            Org.RunAsyncOperations();
        }

        private void Allocate(Guid rep, Guid deal, int role, decimal hours, Guid? person)
        {
            As(rep).Create(new Entity(ResourceAllocation.EntityName)
            {
                [ResourceAllocation.Name] = $"{OptionSets.RoleName(OptionSets.Prefix + role)} for the deal",
                [ResourceAllocation.OpportunityId] = new EntityReference(Opportunity.EntityName, deal),
                [ResourceAllocation.Role] = new OptionSetValue(OptionSets.Prefix + role),
                [ResourceAllocation.Hours] = hours,
                [ResourceAllocation.UserId] = person is Guid p ? new EntityReference(SystemUser.EntityName, p) : null,
            });
            Org.RunAsyncOperations();
        }

        private void Update(Guid user, Guid id, Entity changes, string table = Opportunity.EntityName)
        {
            changes.LogicalName = table;
            changes.Id = id;
            As(user).Update(changes);
            Org.RunAsyncOperations();
        }

        private void Win(Guid rep, Guid deal)
        {
            var name = _deals.First(d => d.Value == deal).Key;
            try
            {
                As(rep).Execute(new OrganizationRequest("WinOpportunity")
                {
                    ["OpportunityClose"] = new Entity("opportunityclose") { ["opportunityid"] = new EntityReference(Opportunity.EntityName, deal), ["subject"] = "Won", ["actualrevenue"] = Org.Get(Opportunity.EntityName, deal)!.GetAttributeValue<Money>(Opportunity.EstimatedValue) },
                    ["Status"] = new OptionSetValue(3),
                });
                Story.Add($"  {name}: won.");
            }
            catch (System.ServiceModel.FaultException<OrganizationServiceFault> refusal)
            {
                Refusals.Add((name, refusal.Detail.Message));
                Story.Add($"  {name}: the win was refused: {refusal.Detail.Message}");
            }

            Org.RunAsyncOperations();
        }

        private void Lose(Guid rep, Guid deal)
        {
            As(rep).Execute(new OrganizationRequest("LoseOpportunity")
            {
                ["OpportunityClose"] = new Entity("opportunityclose") { ["opportunityid"] = new EntityReference(Opportunity.EntityName, deal), ["subject"] = "Lost" },
                ["Status"] = new OptionSetValue(4),
            });
            Story.Add($"  {_deals.First(d => d.Value == deal).Key}: lost.");
            Org.RunAsyncOperations();
        }

        /// <summary>The Solution folder: beside the tool (copied at build) or in the repository.</summary>
        public static string FindSolutionFolder()
        {
            var beside = Path.Combine(AppContext.BaseDirectory, "Solution");
            if (File.Exists(Path.Combine(beside, "Other", "Solution.xml"))) return beside;
            return Repo.SolutionFolder(null);
        }
    }
}
