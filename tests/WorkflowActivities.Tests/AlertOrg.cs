using System;
using System.Collections.Generic;
using System.Linq;
using CrmPlugins.Emulator;
using CrmPlugins.Emulator.Pipeline;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;

namespace DealRisk.WorkflowActivities.Tests
{
    /// <summary>An organization with a management chain (VP ← manager ← rep), a team, and deals whose verdicts are set.</summary>
    internal sealed class AlertOrg
    {
        public static readonly DateTime Now = new(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc);
        public readonly Guid Vp = new("30000000-0000-0000-0000-000000000001");
        public readonly Guid Manager = new("30000000-0000-0000-0000-000000000002");
        public readonly Guid Rep = new("30000000-0000-0000-0000-000000000003");
        public readonly Guid Loner = new("30000000-0000-0000-0000-000000000004");
        public readonly Guid Team = new("30000000-0000-0000-0000-000000000010");

        public AlertOrg()
        {
            Org = new XrmOrganization { UtcNow = Now };
            // The suite's tables and columns, as importing the solution creates them (no steps: the activities run alone here).
            SolutionImport.DeclareTables(Org, CrmPlugins.SolutionModel.SolutionSource.Load(SolutionFolder));
            Org.Seed(
                User(Vp, "Vera VP", null),
                User(Manager, "Mia Manager", Vp),
                User(Rep, "Rob Rep", Manager),
                User(Loner, "Lou Loner", null),
                new Entity(DealRisk.Plugins.Schema.Team.EntityName, Team) { [DealRisk.Plugins.Schema.Team.Name] = "Enterprise desk", [DealRisk.Plugins.Schema.Team.AdministratorId] = new EntityReference(SystemUser.EntityName, Manager) });
        }

        public XrmOrganization Org { get; }

        public static string SolutionFolder =>
            CrmPlugins.SolutionModel.SolutionSource.FindInRepository() ?? throw new InvalidOperationException("CrmPlugins.sln not found above the test folder.");

        private Entity User(Guid id, string name, Guid? manager) => new(SystemUser.EntityName, id)
        {
            [SystemUser.FullName] = name,
            [SystemUser.BusinessUnitId] = new EntityReference("businessunit", Org.RootBusinessUnitId),
            [SystemUser.ParentSystemUserId] = manager is Guid m ? new EntityReference(SystemUser.EntityName, m) : null,
            [SystemUser.IsDisabled] = false,
        };

        public Guid Deal(RiskLevel level, Guid? owner = null, string ownerTable = SystemUser.EntityName, bool closed = false)
        {
            var id = Guid.NewGuid();
            Org.Seed(new Entity(Opportunity.EntityName, id)
            {
                [Opportunity.Name] = "Contoso CRM rollout",
                [Opportunity.OwnerId] = new EntityReference(ownerTable, owner ?? Rep),
                [Opportunity.OverallRisk] = new OptionSetValue(OptionSets.RiskLevelValue(level)),
                [Opportunity.RiskScore] = 60,
                [Opportunity.RiskReasons] = $"{level}: Margin 12% is below the 15% floor.",
                [Opportunity.StateCode] = new OptionSetValue(closed ? OpportunityState.Won : OpportunityState.Open),
            });
            return id;
        }

        public void SetLevel(Guid deal, RiskLevel level) =>
            Org.GetOrganizationService().Update(new Entity(Opportunity.EntityName, deal) { [Opportunity.OverallRisk] = new OptionSetValue(OptionSets.RiskLevelValue(level)) });

        public ActivityExecution Raise(Guid deal, RiskLevel? minimum = null) =>
            Org.ExecuteCodeActivity<RaiseRiskAlert>(new Dictionary<string, object?>
            {
                ["Opportunity"] = new EntityReference(Opportunity.EntityName, deal),
                ["MinimumLevel"] = minimum is RiskLevel m ? new OptionSetValue(OptionSets.RiskLevelValue(m)) : null,
            }, new WorkflowContext { PrimaryEntityName = Opportunity.EntityName, PrimaryEntityId = deal, OperationCreatedOn = Org.UtcNow });

        public ActivityExecution Escalate(Guid alert) =>
            Org.ExecuteCodeActivity<EscalateStaleAlert>(new Dictionary<string, object?> { ["Alert"] = new EntityReference(RiskAlert.EntityName, alert) },
                new WorkflowContext { OperationCreatedOn = Org.UtcNow });

        public IReadOnlyList<Entity> Alerts(Guid deal) =>
            Org.All(RiskAlert.EntityName).Where(a => a.GetAttributeValue<EntityReference>(RiskAlert.OpportunityId)?.Id == deal).ToList();

        public IReadOnlyList<Entity> NotificationsFor(Guid user) =>
            Org.All(AppNotification.EntityName).Where(n => n.GetAttributeValue<EntityReference>(AppNotification.OwnerId)?.Id == user).ToList();
    }
}
