using System;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator.Pipeline
{
    /// <summary>
    /// The execution context a plugin receives: every member of the numbered contexts up to
    /// <see cref="IPluginExecutionContext7"/>. The pipeline fills it; tests may build one by hand to run a
    /// plugin directly (see <see cref="XrmOrganization.ExecutePlugin"/>).
    /// </summary>
    public sealed class PluginExecutionContext : ExecutionContextBase, IPluginExecutionContext7
    {
        public int Stage { get; set; }
        public IPluginExecutionContext? ParentContext { get; set; }
        public Guid UserAzureActiveDirectoryObjectId { get; set; }
        public Guid InitiatingUserAzureActiveDirectoryObjectId { get; set; }
        public Guid InitiatingUserApplicationId { get; set; }
        public Guid PortalsContactId { get; set; }
        public bool IsPortalsClientCall { get; set; }
        public Guid AuthenticatedUserId { get; set; }
        public EntityImageCollection[] PreEntityImagesCollection { get; set; } = Array.Empty<EntityImageCollection>();
        public EntityImageCollection[] PostEntityImagesCollection { get; set; } = Array.Empty<EntityImageCollection>();
        public string InitiatingUserAgent { get; set; } = "CrmPlugins.Emulator";
        public string EnvironmentId { get; set; } = "";
        public Guid TenantId { get; set; }
        public bool IsApplicationUser { get; set; }

        IPluginExecutionContext IPluginExecutionContext.ParentContext => ParentContext!;
    }

    /// <summary>The facts every execution context carries (IExecutionContext), settable by the pipeline or a test.</summary>
    public abstract class ExecutionContextBase : IExecutionContext
    {
        public int Mode { get; set; }
        public int IsolationMode { get; set; } = 2;
        public int Depth { get; set; } = 1;
        public string MessageName { get; set; } = "";
        public string PrimaryEntityName { get; set; } = "";
        public Guid? RequestId { get; set; }
        public string? SecondaryEntityName { get; set; } = "none";
        public ParameterCollection InputParameters { get; set; } = new();
        public ParameterCollection OutputParameters { get; set; } = new();
        public ParameterCollection SharedVariables { get; set; } = new();
        public Guid UserId { get; set; }
        public Guid InitiatingUserId { get; set; }
        public Guid BusinessUnitId { get; set; }
        public Guid OrganizationId { get; set; }
        public string OrganizationName { get; set; } = "";
        public Guid PrimaryEntityId { get; set; }
        public EntityImageCollection PreEntityImages { get; set; } = new();
        public EntityImageCollection PostEntityImages { get; set; } = new();
        public EntityReference? OwningExtension { get; set; }
        public Guid CorrelationId { get; set; }
        public bool IsExecutingOffline { get; set; }
        public bool IsOfflinePlayback { get; set; }
        public bool IsInTransaction { get; set; }
        public Guid OperationId { get; set; }
        public DateTime OperationCreatedOn { get; set; }

        string IExecutionContext.SecondaryEntityName => SecondaryEntityName!;
        EntityReference IExecutionContext.OwningExtension => OwningExtension!;
    }
}
