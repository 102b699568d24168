using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using CrmPlugins.Emulator.Pipeline;
using CrmPlugins.SolutionModel;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator
{
    /// <summary>
    /// Imports an unpacked solution into the emulator the way importing its zip sets up an organization: the tables and
    /// columns it defines (typed, so a wrong value type fails as it does in Dataverse), its plugin steps, its
    /// activated classic workflows, and its Custom APIs (customapis/, when present).
    /// </summary>
    public static class SolutionImport
    {
        /// <summary>
        /// Reads <paramref name="solutionFolder"/> and applies it. <paramref name="assemblies"/> hold the plugin and
        /// workflow activity types the registration names (the net10.0 builds of the same code).
        /// </summary>
        public static SolutionSource ImportSolution(this XrmOrganization org, string solutionFolder, params Assembly[] assemblies) =>
            org.ImportSolution(SolutionSource.Load(solutionFolder), assemblies);

        /// <summary>Applies solution source already read (so a caller that reads it for something else reads it once).</summary>
        public static SolutionSource ImportSolution(this XrmOrganization org, SolutionSource source, params Assembly[] assemblies)
        {
            DeclareTables(org, source);
            org.RegisterSteps(source.Steps, assemblies);
            RegisterWorkflows(org, source, assemblies);
            foreach (var api in CustomApiReader.Read(source.Folder, assemblies)) org.Messages.AddCustomApi(api);
            return source;
        }

        /// <summary>Declares the solution's tables and columns (an existing table keeps its standard columns).</summary>
        public static void DeclareTables(XrmOrganization org, SolutionSource source)
        {
            DeclareStandardTables(org);
            var prefix = source.Manifest.CustomizationPrefix + "_";
            foreach (var table in source.Tables)
            {
                TableMetadata metadata;
                if (table.IsNew)
                {
                    var ownership = table.Ownership == "OrganizationOwned" ? OwnershipType.OrganizationOwned : OwnershipType.UserOwned;
                    metadata = org.Metadata.Declare(new TableMetadata(table.LogicalName, ownership, table.PrimaryIdAttribute, table.Column(prefix + "name") != null ? prefix + "name" : null));
                }
                else
                {
                    var existing = org.Metadata.Table(table.LogicalName);
                    metadata = org.Metadata.IsDeclared(table.LogicalName) && existing.HasDeclaredColumns
                        ? existing
                        : org.Metadata.Declare(new TableMetadata(table.LogicalName, existing.Ownership, existing.PrimaryIdAttribute, existing.PrimaryNameAttribute) { ExtensionPrefix = prefix });
                }

                foreach (var column in table.Columns)
                {
                    if (column.Type == "primarykey") continue;
                    // An owner column takes users and teams: its relationship names the abstract "owner" table.
                    metadata.WithColumn(new ColumnMetadata(column.LogicalName, TypeOf(column.Type), column.Type == "owner" ? Array.Empty<string>() : column.Targets.ToArray())
                    {
                        MaxLength = column.MaxLength, MinValue = column.MinValue, MaxValue = column.MaxValue, Precision = column.Precision,
                        Behavior = column.DateTimeBehavior is int b && Enum.IsDefined(typeof(DateTimeBehavior), b) ? (DateTimeBehavior)b : null,
                        Format = column.DateTimeFormat switch { "date" => DateTimeFormat.DateOnly, "datetime" => DateTimeFormat.DateAndTime, _ => null },
                    });
                }
            }

            foreach (var r in source.Relationships)
                org.Metadata.Declare(RelationshipMetadata.OneToMany(r.Name, r.ReferencedEntity, r.ReferencingEntity, r.ReferencingAttribute));

            // Security (checked once org.Security.Enforced is set): the solution's roles govern its new tables; its
            // secured columns need one of its field security profiles.
            foreach (var table in source.Tables.Where(t => t.IsNew)) org.Security.Govern(table.LogicalName);
            foreach (var role in source.Roles) org.Security.DefineRole(role.Name, role.Privileges);
            foreach (var table in source.Tables)
                foreach (var column in table.Columns.Where(c => c.IsSecured)) org.Security.SecureColumn(table.LogicalName, column.LogicalName);
            foreach (var profile in source.FieldSecurityProfiles) org.Security.DefineFieldProfile(profile.Name, profile.Permissions);
        }

        /// <summary>
        /// Declares Microsoft's standard tables the solution relies on with their standard columns
        /// (<see cref="StandardTables"/>, names from the Dataverse table reference), so that writing or querying a column
        /// such a table does not have fails as in Dataverse (0x80041103) instead of being stored silently. A table that
        /// already has declared columns is left as it is.
        /// </summary>
        public static void DeclareStandardTables(XrmOrganization org)
        {
            foreach (var (name, columns) in StandardTables.Types)
            {
                var existing = org.Metadata.Table(name);
                if (org.Metadata.IsDeclared(name) && existing.HasDeclaredColumns) continue;
                var table = org.Metadata.Declare(new TableMetadata(name, existing.Ownership, existing.PrimaryIdAttribute, existing.PrimaryNameAttribute));
                foreach (var (column, spec) in columns)
                {
                    var parts = spec.Split(':');
                    if (parts[0] == "primarykey") continue;
                    var targets = parts.Length > 1 ? parts[1..] : parts[0] == "customer" ? new[] { "account", "contact" } : Array.Empty<string>();
                    table.WithColumn(new ColumnMetadata(column, TypeOf(parts[0]), targets));
                }
            }
        }

        /// <summary>The emulator's column type for a solution attribute &lt;Type&gt;.</summary>
        public static ColumnType TypeOf(string solutionType) => solutionType switch
        {
            "nvarchar" => ColumnType.String,
            "ntext" => ColumnType.Memo,
            "int" => ColumnType.Integer,
            "bigint" => ColumnType.BigInt,
            "decimal" => ColumnType.Decimal,
            "float" => ColumnType.Double,
            "money" => ColumnType.Money,
            "bit" => ColumnType.Boolean,
            "datetime" => ColumnType.DateTime,
            "lookup" => ColumnType.Lookup,
            "owner" => ColumnType.Owner,
            "customer" => ColumnType.Customer,
            "picklist" => ColumnType.Picklist,
            "state" => ColumnType.State,
            "status" => ColumnType.Status,
            "multiselectpicklist" => ColumnType.MultiSelectPicklist,
            "uniqueidentifier" or "primarykey" => ColumnType.UniqueIdentifier,
            "image" => ColumnType.Image,
            "file" => ColumnType.File,
            _ => throw new NotSupportedException($"The column type '{solutionType}' is not known to the emulator."),
        };

        /// <summary>
        /// Registers each activated background workflow as Dataverse runs it: a system job after the create, or after an
        /// update of one of its trigger columns, that runs its XAML's steps (<see cref="ClassicWorkflowRunner"/>: the
        /// designer's Composite steps, their helper variables and the custom activities they call). A workflow in a shape
        /// Dataverse refuses fails the import with the XAML file named. Workflows calling activities of an assembly not in
        /// <paramref name="assemblies"/> are left out.
        /// </summary>
        public static IReadOnlyList<PluginStep> RegisterWorkflows(XrmOrganization org, SolutionSource source, params Assembly[] assemblies)
        {
            var types = SolutionSteps.ExportedTypes(assemblies);
            var steps = new List<PluginStep>();
            var given = assemblies.Select(a => a.GetName().Name).ToHashSet(StringComparer.Ordinal);
            // A workflow whose activity assembly was not given is not registered (a test of the plugins alone).
            foreach (var wf in source.Workflows.Where(w => w.StateCode == 1 && w.Activities.All(c => given.Contains(c.AssemblyName))))
            {
                var runner = new ClassicWorkflowRunner(org, wf, types);
                if (wf.TriggerOnCreate) steps.Add(org.RegisterStep(new PluginStep(wf.Name + ": Create", runner, "Create", wf.PrimaryEntity, Stages.PostOperation, Modes.Asynchronous) { Id = wf.Id }));
                if (wf.TriggerOnUpdateAttributes.Count > 0)
                    steps.Add(org.RegisterStep(new PluginStep(wf.Name + ": Update", runner, "Update", wf.PrimaryEntity, Stages.PostOperation, Modes.Asynchronous)
                    {
                        FilteringAttributes = wf.TriggerOnUpdateAttributes.ToList(),
                    }));
            }

            return steps;
        }
    }
}
