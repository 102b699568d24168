using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Workflow;

namespace CrmPlugins.Emulator.Pipeline
{
    /// <summary>The context of a workflow step: the execution facts plus the workflow's stage, category and mode.</summary>
    public sealed class WorkflowContext : ExecutionContextBase, IWorkflowContext
    {
        public WorkflowContext()
        {
            Mode = 1;
            MessageName = "Update";
        }

        public string StageName { get; set; } = "";
        public int WorkflowCategory { get; set; }
        public int WorkflowMode { get; set; }
        public IWorkflowContext? ParentContext { get; set; }

        IWorkflowContext IWorkflowContext.ParentContext => ParentContext!;
    }
}
