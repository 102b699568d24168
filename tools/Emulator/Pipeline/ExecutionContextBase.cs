using System;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator.Pipeline
{
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
