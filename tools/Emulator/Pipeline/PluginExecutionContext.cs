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

        /// <summary>Whether the images were made by the pipeline for this context alone and not handed to any plugin yet
        /// (<see cref="SandboxBoundary.Enter"/> need not copy them again).</summary>
        internal bool ImagesMadeForIt { get; set; }

        /// <summary>The record of the latest execution run with this context (a system job's last attempt).</summary>
        internal PluginExecution? Record { get; set; }

        IPluginExecutionContext IPluginExecutionContext.ParentContext => ParentContext!;
    }
}
