using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using CrmPlugins.SolutionModel;
using NUnit.Framework;

namespace CrmPlugins.Solution.Tests
{
    /// <summary>What an admin finds after import: the form, the views, the roles, field security, relationships and the workflow.</summary>
    [TestFixture]
    public sealed class SolutionContentTests
    {
        /// <summary>System lookups the platform keeps on a new table (its own relationships, not the suite's).</summary>
        private static readonly string[] PlatformLookups = StandardTables.SystemColumnTypes.Keys.Append("organizationid").ToArray();

        private SolutionSource _source = null!;
        private TableDefinition _opportunity = null!;

        [OneTimeSetUp]
        public void Load()
        {
            _source = SolutionSource.Load(Repo.SolutionFolder);
            _opportunity = _source.Table("opportunity")!;
        }

        private XDocument OpportunityForm() =>
            XDocument.Load(Directory.EnumerateFiles(Path.Combine(_opportunity.Folder, "FormXml", "main"), "*.xml").Single());

        private static string? Label(XElement e) => (string?)e.Element("labels")?.Elements("label").FirstOrDefault()?.Attribute("description");

        private static string[] Fields(XElement e) => e.Descendants("control").Select(c => (string?)c.Attribute("datafieldname")).OfType<string>().ToArray();

        [Test]
        public void OpportunityForm_HasADealRiskSection_WithTheVerdict()
        {
            var section = OpportunityForm().Descendants("section").Single(s => Label(s) == "Deal risk");

            Assert.That(Fields(section), Is.SupersetOf(new[] { "dr_overallrisk", "dr_riskscore", "dr_riskreasons" }));
        }

        [Test]
        public void OpportunityForm_HasADealRiskTab_WithTheVerdictAndTheApproval()
        {
            var tab = OpportunityForm().Descendants("tab").Single(t => Label(t) == "Deal risk");

            // The approval sits in its own section of the tab, beside the verdict: it is field-secured.
            Assert.That(Fields(tab), Is.SupersetOf(new[] { "dr_overallrisk", "dr_riskscore", "dr_riskreasons", "dr_riskapprovedby" }));
        }

        [TestCase("Flagged opportunities")]
        [TestCase("My team's risky deals")]
        public void OpportunityView_Exists_AndFiltersOnTheOverallRisk(string name)
        {
            var view = _opportunity.Views.Single(v => v.Name == name);
            var entity = view.FetchXml.Element("entity")!;
            var condition = entity.Elements("filter").Descendants("condition").SingleOrDefault(c => (string?)c.Attribute("attribute") == "dr_overallrisk");

            Assert.That((string?)entity.Attribute("name"), Is.EqualTo("opportunity"));
            Assert.That(condition, Is.Not.Null, $"{name} filters dr_overallrisk");
            var levels = _source.OptionSets.Single(o => o.Name == _opportunity.Column("dr_overallrisk")!.OptionSetName).Options.Select(o => o.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.That(condition!.Elements("value").Select(v => v.Value).Append((string?)condition.Attribute("value")).OfType<string>(), Is.Not.Empty.And.SubsetOf(levels), "the values are risk levels");
        }

        [Test]
        public void Roles_ForManagersAndAdministrators_Exist()
        {
            Assert.That(_source.Roles.Select(r => r.Name), Is.SupersetOf(new[] { "Deal Risk Manager", "Deal Risk Administrator" }));
        }

        [Test]
        public void FieldSecurity_OnlyDealRiskApprovers_MayUpdateTheApproval()
        {
            var mayUpdate = _source.FieldSecurityProfiles.Where(p => p.Permissions.Any(x => x.Table == "opportunity" && x.Column == "dr_riskapprovedby" && x.Update)).Select(p => p.Name);

            Assert.That(_opportunity.Column("dr_riskapprovedby")!.IsSecured, Is.True, "dr_riskapprovedby is field-secured");
            Assert.That(mayUpdate, Is.EqualTo(new[] { "Deal Risk Approvers" }));
        }

        [Test]
        public void EveryLookupTheSuiteAdds_HasOneRelationship_ToATableThatExists()
        {
            var lookups = _source.Tables.SelectMany(t => t.Columns.Where(c => c.Type == "lookup" && (t.IsNew ? !PlatformLookups.Contains(c.LogicalName) : c.LogicalName.StartsWith("dr_", StringComparison.Ordinal)))
                .Select(c => (Table: t.LogicalName, Column: c))).ToList();

            Assert.That(lookups, Is.Not.Empty);
            foreach (var (table, column) in lookups)
            {
                Assert.That(column.Targets, Has.Count.EqualTo(1), $"{table}.{column.LogicalName} has one relationship in Other/Relationships");
                Assert.That(SolutionValidator.IsTable(_source, column.Targets[0]), Is.True, $"{table}.{column.LogicalName} points to {column.Targets[0]}");
            }
        }

        [Test]
        public void EveryNewTable_CarriesThePlatformsRelationships_AsExportsDo()
        {
            foreach (var table in _source.Tables.Where(t => t.IsNew))
            {
                string? Target(string column) => table.Column(column)?.Targets.SingleOrDefault();
                Assert.That(new[] { "createdby", "createdonbehalfby", "modifiedby", "modifiedonbehalfby" }.Select(Target), Is.All.EqualTo("systemuser"), table.LogicalName);
                if (table.Ownership == "UserOwned")
                    Assert.That((Target("ownerid"), Target("owninguser"), Target("owningteam"), Target("owningbusinessunit")), Is.EqualTo(("owner", "systemuser", "team", "businessunit")), table.LogicalName);
                else
                    Assert.That(Target("organizationid"), Is.EqualTo("organization"), table.LogicalName);
            }

            Assert.That(_source.Relationships.Select(r => r.Name), Does.Contain("lk_dr_riskalert_createdby").And.Contain("owner_dr_riskalert").And.Contain("business_unit_dr_requirement"));
        }

        [Test]
        public void AlertWorkflow_IsBackground_Activated_AndTriggersOnTheOverallRisk()
        {
            var workflow = _source.Workflows.Single();

            Assert.That(workflow.PrimaryEntity, Is.EqualTo("opportunity"));
            Assert.That(workflow.Mode, Is.EqualTo(0), "background (asynchronous)");
            Assert.That(workflow.StateCode, Is.EqualTo(1), "activated");
            Assert.That(workflow.TriggerOnUpdateAttributes, Does.Contain("dr_overallrisk"));
            Assert.That(workflow.TriggerOnCreate, Is.True, "a new deal is judged too");
            Assert.That(workflow.TriggerOnUpdateAttributes, Is.EquivalentTo(new[] { "dr_overallrisk", "statecode" }));
        }

        [Test]
        public void OverallRisk_UsesTheRiskLevelChoice_InOrder()
        {
            Assert.That(_opportunity.Column("dr_overallrisk")!.OptionSetName, Is.EqualTo("dr_risklevel"));
            Assert.That(_source.OptionSets.Single(o => o.Name == "dr_risklevel").Options.Select(o => o.Label), Is.EqualTo(new[] { "Unknown", "Low", "Medium", "High", "Critical" }));
        }

        [Test]
        public void Roles_OnOrganizationOwnedTables_GrantGlobalPrivileges()
        {
            Assert.That(_source.Roles.Select(r => r.Name), Is.EquivalentTo(new[] { "Deal Risk Administrator", "Deal Risk Manager", "Deal Risk Salesperson" }));
            foreach (var role in _source.Roles)
                foreach (var (privilege, level) in role.Privileges.Where(p => p.Privilege.EndsWith("dr_RiskPolicy", StringComparison.Ordinal) || p.Privilege.EndsWith("dr_Capacity", StringComparison.Ordinal) || p.Privilege.EndsWith("dr_RiskHistory", StringComparison.Ordinal)))
                    Assert.That(level, Is.EqualTo("Global"), $"{role.Name}: {privilege} is on an organization-owned table");
        }

        [Test]
        public void App_ShowsTheSuitesTables_ToItsRoles()
        {
            var app = _source.AppModules.Single();

            Assert.That(app.UniqueName, Is.EqualTo("dr_DealRisk"));
            Assert.That(app.Tables, Is.SupersetOf(_source.Tables.Where(t => t.IsNew).Select(t => t.LogicalName)).And.Contains("opportunity"));
            Assert.That(app.SiteMaps, Is.EqualTo(new[] { "dr_DealRisk" }));
            Assert.That(app.RoleIds, Is.EquivalentTo(_source.Roles.Select(r => r.Id)));
        }
    }
}
