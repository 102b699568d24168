using System;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator.Pipeline
{
    /// <summary>The record of one plugin execution: which step ran, with which context.</summary>
    public sealed class PluginExecution : Execution
    {
        internal PluginExecution(PluginStep? step, Type pluginType, PluginExecutionContext context)
        {
            Step = step;
            PluginType = pluginType;
            Context = context;
        }

        public PluginStep? Step { get; }

        public Type PluginType { get; }

        public PluginExecutionContext Context { get; }

        public string MessageName => Context.MessageName;

        public int Stage => Context.Stage;

        public override int Depth => Context.Depth;
    }
}
