using System;
using System.IO;
using System.Reflection;

namespace DealRisk.Cli
{
    /// <summary>The suite's assemblies as the tool runs them (net10.0 builds of the code that ships).</summary>
    public static class Suite
    {
        private static readonly Lazy<Assembly> Workflow = new(() =>
        {
            var path = Path.Combine(AppContext.BaseDirectory, "DealRisk.WorkflowActivities.dll");
            if (!File.Exists(path)) throw new CliException(ExitCodes.BuildFailed, $"{path} is missing: build the tool again (dotnet build tools/Cli).");
            return Assembly.LoadFrom(path);
        });

        /// <summary>DealRisk.WorkflowActivities, loaded beside the tool (it is not referenced: it compiles the domain in).</summary>
        public static Assembly WorkflowAssembly => Workflow.Value;
    }
}
