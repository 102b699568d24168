using System;
using System.Activities;
using System.Collections.Generic;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator.Pipeline
{
    /// <summary>The record of one run of a custom workflow activity, with its outputs by argument name.</summary>
    public sealed class ActivityExecution : Execution
    {
        internal ActivityExecution(Type activityType, WorkflowContext context)
        {
            ActivityType = activityType;
            Context = context;
        }

        public Type ActivityType { get; }

        public WorkflowContext Context { get; }

        public override int Depth => Context.Depth;

        /// <summary>The activity's Out and InOut arguments after it ran, by property name.</summary>
        public IDictionary<string, object?> Outputs { get; internal set; } = new Dictionary<string, object?>();
    }
}
