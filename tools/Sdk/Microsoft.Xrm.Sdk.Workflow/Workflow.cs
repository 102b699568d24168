using System;

namespace Microsoft.Xrm.Sdk.Workflow
{
    /// <summary>The execution context of a workflow: the plugin context's facts plus the workflow's stage, category and mode.
    /// A custom activity gets it with <c>context.GetExtension&lt;IWorkflowContext&gt;()</c>.</summary>
    public interface IWorkflowContext : IExecutionContext
    {
        string StageName { get; }

        /// <summary>0 workflow, 1 dialog, 2 business rule, 3 action, 4 business process flow.</summary>
        int WorkflowCategory { get; }

        /// <summary>0 background (asynchronous), 1 real-time.</summary>
        int WorkflowMode { get; }

        IWorkflowContext ParentContext { get; }
    }

    /// <summary>The base of the attributes that name an activity's argument in the workflow designer.</summary>
    [AttributeUsage(AttributeTargets.Property)]
    public abstract class ParameterAttribute : Attribute
    {
        protected ParameterAttribute(string name)
        {
            Name = name;
        }

        /// <summary>The label the designer shows.</summary>
        public string Name { get; }
    }

    /// <summary>Marks an InArgument property as an input of the step, with its label.</summary>
    [AttributeUsage(AttributeTargets.Property)]
    public sealed class InputAttribute : ParameterAttribute
    {
        public InputAttribute(string name)
            : base(name)
        {
        }
    }

    /// <summary>Marks an OutArgument property as an output of the step, with its label.</summary>
    [AttributeUsage(AttributeTargets.Property)]
    public sealed class OutputAttribute : ParameterAttribute
    {
        public OutputAttribute(string name)
            : base(name)
        {
        }
    }

    /// <summary>The table an EntityReference argument points to.</summary>
    [AttributeUsage(AttributeTargets.Property)]
    public sealed class ReferenceTargetAttribute : Attribute
    {
        public ReferenceTargetAttribute(string entityName)
        {
            EntityName = entityName;
        }

        public string EntityName { get; }
    }

    /// <summary>The choice column whose options an OptionSetValue argument takes.</summary>
    [AttributeUsage(AttributeTargets.Property)]
    public sealed class AttributeTargetAttribute : Attribute
    {
        public AttributeTargetAttribute(string entityName, string attributeName)
        {
            EntityName = entityName;
            AttributeName = attributeName;
        }

        public string EntityName { get; }

        public string AttributeName { get; }
    }

    /// <summary>The value an input takes when the workflow gives none (for a reference: the id, with the table).</summary>
    [AttributeUsage(AttributeTargets.Property)]
    public sealed class DefaultAttribute : Attribute
    {
        public DefaultAttribute(string value)
        {
            Value = value;
        }

        public DefaultAttribute(string value, string entityName)
            : this(value)
        {
            EntityName = entityName;
        }

        public string EntityName { get; }

        public string Value { get; }
    }
}
