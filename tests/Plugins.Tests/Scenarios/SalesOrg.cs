using System;
using System.IO;
using System.Linq;
using CrmPlugins.Emulator;
using CrmPlugins.Emulator.Pipeline;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;

namespace DealRisk.Plugins.Tests.Scenarios
{
    /// <summary>
    /// A small sales organization with the suite registered from Solution/ (the registration that ships):
    /// a manager and a rep, products with costs and delivery effort, consultant capacity, and a clock.
    /// </summary>
    internal sealed class SalesOrg
    {
        public static readonly DateTime Today = new(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc);
        public readonly Guid Manager = new("10000000-0000-0000-0000-000000000001");
        public readonly Guid Rep = new("10000000-0000-0000-0000-000000000002");
        public readonly Guid Licence = new("20000000-0000-0000-0000-000000000001");
        public readonly Guid ImplementationPack = new("20000000-0000-0000-0000-000000000002");
        public readonly Guid Support = new("20000000-0000-0000-0000-000000000003");

        public SalesOrg()
        {
            Org = new XrmOrganization { UtcNow = Today };
            // Imported as an admin imports the zip: the suite's tables and columns, and its steps.
            Org.ImportSolution(SolutionFolder, typeof(OpportunityRiskPlugin).Assembly);
            var bu = new EntityReference("businessunit", Org.RootBusinessUnitId);
            Org.Seed(
                new Entity(SystemUser.EntityName, Manager) { [SystemUser.FullName] = "Mia Manager", [SystemUser.BusinessUnitId] = bu },
                new Entity(SystemUser.EntityName, Rep) { [SystemUser.FullName] = "Rob Rep", [SystemUser.BusinessUnitId] = bu, [SystemUser.ParentSystemUserId] = new EntityReference(SystemUser.EntityName, Manager) },
                new Entity(Product.EntityName, Licence) { [Product.Name] = "CRM Licence", ["currentcost"] = new Money(400m) },
                new Entity(Product.EntityName, ImplementationPack)
                {
                    [Product.Name] = "Implementation pack", ["currentcost"] = new Money(2_000m),
                    [Product.DeliveryHoursPerUnit] = 40m, [Product.DeliveryRole] = new OptionSetValue(OptionSets.Prefix),
                },
                new Entity(Product.EntityName, Support) { [Product.Name] = "Premium support" });
            for (var m = 0; m < 12; m++)
                Org.Seed(new Entity(Capacity.EntityName)
                {
                    [Capacity.Name] = "Consultants", [Capacity.Role] = new OptionSetValue(OptionSets.Prefix),
                    [Capacity.Month] = new DateTime(2026, 11, 1).AddMonths(m), [Capacity.Hours] = 320m,
                });
            RepService = Org.GetOrganizationService(Rep);
            ManagerService = Org.GetOrganizationService(Manager);
        }

        public XrmOrganization Org { get; }

        /// <summary>The solution's roles and field security enforced: the rep a salesperson, the manager a manager who approves.</summary>
        public SalesOrg WithRolesEnforced()
        {
            Org.Security.AssignRole(Rep, "Deal Risk Salesperson");
            Org.Security.AssignFieldProfile(Rep, "Deal Risk Viewers");
            Org.Security.AssignRole(Manager, "Deal Risk Manager");
            Org.Security.AssignFieldProfile(Manager, "Deal Risk Approvers");
            Org.Security.Enforced = true;
            return this;
        }

        public IOrganizationService RepService { get; }

        public IOrganizationService ManagerService { get; }

        public static string SolutionFolder =>
            CrmPlugins.SolutionModel.SolutionSource.FindInRepository() ?? throw new InvalidOperationException("CrmPlugins.sln not found above the test folder.");

        /// <summary>
        /// A deal the rep creates: 100,000 estimated, closing in <paramref name="closeInDays"/> days, in Develop. The rep has
        /// followed the sales process (every step through Propose recorded, <see cref="FollowedTheProcess"/>), so the built-in
        /// stage gates stay quiet in scenarios about something else; <paramref name="processFollowed"/> false leaves the steps empty.
        /// </summary>
        public Guid CreateDeal(string name = "Contoso CRM rollout", decimal? amount = 100_000m, int closeInDays = 60, Action<Entity>? more = null, bool processFollowed = true)
        {
            var deal = new Entity(Opportunity.EntityName)
            {
                [Opportunity.Name] = name,
                [Opportunity.EstimatedValue] = amount is decimal a ? new Money(a) : null,
                [Opportunity.EstimatedCloseDate] = Today.Date.AddDays(closeInDays),
                [Opportunity.SalesStage] = new OptionSetValue(1),
                [Opportunity.CloseProbability] = 60,
            };
            if (processFollowed) FollowedTheProcess(deal);
            more?.Invoke(deal);
            return RepService.Create(deal);
        }

        /// <summary>The Opportunity Sales Process's steps of Qualify, Develop and Propose recorded as a rep records them in the process bar.</summary>
        public static Entity FollowedTheProcess(Entity deal)
        {
            deal[OpportunitySalesProcess.DecisionMaker] = true;
            deal[OpportunitySalesProcess.BudgetAmount] = new Money(120_000m);
            deal[OpportunitySalesProcess.PurchaseTimeframe] = new OptionSetValue(1);
            deal[OpportunitySalesProcess.PurchaseProcess] = new OptionSetValue(1);
            deal[OpportunitySalesProcess.CustomerNeed] = "Replace the spreadsheets the sales team tracks deals in.";
            deal[OpportunitySalesProcess.ProposedSolution] = "CRM licences with an implementation pack.";
            foreach (var step in new[]
                     {
                         OpportunitySalesProcess.IdentifyCustomerContacts, OpportunitySalesProcess.IdentifyCompetitors, OpportunitySalesProcess.IdentifyPursuitTeam,
                         OpportunitySalesProcess.DevelopProposal, OpportunitySalesProcess.CompleteInternalReview, OpportunitySalesProcess.PresentProposal,
                     })
                deal[step] = true;
            return deal;
        }

        public Guid AddLine(Guid deal, Guid product, decimal quantity, decimal pricePerUnit, decimal discount = 0m) =>
            RepService.Create(new Entity(OpportunityProduct.EntityName)
            {
                [OpportunityProduct.OpportunityId] = new EntityReference(Opportunity.EntityName, deal),
                [OpportunityProduct.ProductId] = new EntityReference(Product.EntityName, product),
                [OpportunityProduct.Quantity] = quantity,
                ["priceperunit"] = new Money(pricePerUnit),
                ["manualdiscountamount"] = new Money(discount),
            });

        public Guid AddRequirement(Guid deal, string name, RequirementPriority priority, RequirementFit fit, decimal? hours = null, bool quoted = false) =>
            RepService.Create(new Entity(Requirement.EntityName)
            {
                [Requirement.OpportunityId] = new EntityReference(Opportunity.EntityName, deal),
                [Requirement.Name] = name,
                [Requirement.Priority] = new OptionSetValue(OptionSets.PriorityValue(priority)),
                [Requirement.Fit] = new OptionSetValue(OptionSets.FitValue(fit)),
                [Requirement.EffortHours] = hours,
                [Requirement.Role] = hours == null ? null : new OptionSetValue(OptionSets.Prefix),
                [Requirement.Quoted] = quoted,
            });

        public Guid Allocate(Guid deal, decimal hours, Guid? person = null) =>
            RepService.Create(new Entity(ResourceAllocation.EntityName)
            {
                [ResourceAllocation.OpportunityId] = new EntityReference(Opportunity.EntityName, deal),
                [ResourceAllocation.Role] = new OptionSetValue(OptionSets.Prefix),
                [ResourceAllocation.Hours] = hours,
                [ResourceAllocation.UserId] = person is Guid p ? new EntityReference(SystemUser.EntityName, p) : null,
            });

        /// <summary>An open Critical alert on the deal, raised yesterday to <paramref name="recipient"/> and owned by them, as the alert activity leaves it.</summary>
        public Guid SeedOpenAlert(Guid deal, Guid recipient)
        {
            var id = Guid.NewGuid();
            Org.Seed(new Entity(RiskAlert.EntityName, id)
            {
                [RiskAlert.Name] = "Critical risk: " + (Deal(deal).GetAttributeValue<string>(Opportunity.Name) ?? "deal"),
                [RiskAlert.OpportunityId] = new EntityReference(Opportunity.EntityName, deal),
                [RiskAlert.RecipientId] = new EntityReference(SystemUser.EntityName, recipient),
                [RiskAlert.OwnerId] = new EntityReference(SystemUser.EntityName, recipient),
                [RiskAlert.Level] = new OptionSetValue(OptionSets.RiskLevelValue(RiskLevel.Critical)),
                [RiskAlert.Status] = new OptionSetValue(OptionSets.AlertStatusValue(AlertStatus.Open)),
                [RiskAlert.RaisedOn] = Today.AddDays(-1),
            });
            return id;
        }

        /// <summary>The stored opportunity as the rep would see it.</summary>
        public Entity Deal(Guid id) => Org.Get(Opportunity.EntityName, id)!;

        public static RiskLevel? Level(Entity deal, string column) => OptionSets.RiskLevelOf(deal.GetAttributeValue<OptionSetValue>(column)?.Value);

        public OrganizationRequest Win(Guid deal) => new("WinOpportunity")
        {
            ["OpportunityClose"] = new Entity("opportunityclose") { ["opportunityid"] = new EntityReference(Opportunity.EntityName, deal), ["actualrevenue"] = new Money(100_000m) },
            ["Status"] = new OptionSetValue(3),
        };

        public int MaxDepth => Org.Executions.Select(e => e.Depth).DefaultIfEmpty(0).Max();
    }
}
