using System;
using System.Collections.Generic;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator.Pipeline
{
    /// <summary>The state of one request as it passes through the pipeline.</summary>
    internal sealed class PipelineOperation
    {
        public PipelineOperation(string messageName, string? primaryEntityName, ParameterCollection inputs, DateTime now)
        {
            MessageName = messageName;
            PrimaryEntityName = primaryEntityName;
            InputParameters = inputs;
            CreatedOn = now;
            MessageNames = new[] { messageName };
        }

        public string MessageName { get; }

        /// <summary>Every message whose steps run for this operation: the message itself, then its merged twin
        /// (Create runs CreateMultiple steps with Targets of one, and so on).</summary>
        public string[] MessageNames { get; set; }

        public string? PrimaryEntityName { get; }

        public Guid PrimaryEntityId { get; set; }

        /// <summary>The plugin depth of the operation (set when it enters the pipeline).</summary>
        public int Depth { get; set; }

        /// <summary>The operation's id, made when a step's context first asks for it: an operation no step sees (a
        /// million deletes of a bulk delete job) never pays for a random GUID.</summary>
        public Guid OperationId => _operationId ??= Guid.NewGuid();

        private Guid? _operationId;

        public Guid? RequestId { get; set; }

        public DateTime CreatedOn { get; }

        public ParameterCollection InputParameters { get; }

        public ParameterCollection OutputParameters { get; } = new();

        public ParameterCollection SharedVariables { get; } = new();

        /// <summary>The columns the request changes, for filtering attributes (null: filtering does not apply).</summary>
        public Func<IEnumerable<string>>? ChangedColumns { get; set; }

        public Func<Entity?>? ReadPreImage { get; set; }

        public Func<Entity?>? ReadPostImage { get; set; }

        public Entity? PreImageRow { get; set; }

        public Entity? PostImageRow { get; set; }

        /// <summary>For *Multiple operations: the images of every target, in order.</summary>
        public List<Entity?>? PreImageRows { get; set; }

        public List<Entity?>? PostImageRows { get; set; }
    }

    /// <summary>An asynchronous step waiting for the transaction that triggered it to commit.</summary>
    internal sealed record QueuedAsync(PluginStep Step, PluginExecutionContext Context);
}
