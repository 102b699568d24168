using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;

namespace CrmPlugins.XrmSdk.Tests
{
    /// <summary>
    /// Where the build put the assemblies the metadata tests read (declared once, in XrmSdk.Tests.csproj's
    /// Inspected items), and where ../shared (Microsoft's listings, asmcheck) is when it is there.
    /// </summary>
    internal static class BuiltAssemblies
    {
        /// <summary>The SDK stand-ins that carry Microsoft's identity.</summary>
        public static readonly string[] StandIns = { "Microsoft.Xrm.Sdk", "Microsoft.Xrm.Sdk.Workflow", "Microsoft.Crm.Sdk.Proxy" };

        /// <summary>Assemblies Dataverse loads (and the idiom samples built the same way).</summary>
        public static readonly string[] Deployables = { "DealRisk.Plugins", "DealRisk.WorkflowActivities", "SdkIdioms" };

        private static readonly Dictionary<string, string> Paths = typeof(BuiltAssemblies).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .ToDictionary(a => a.Key, a => a.Value!);

        public static string Path(string framework, string assembly)
        {
            var path = Paths[framework + ":" + assembly];
            if (!File.Exists(path)) throw new FileNotFoundException($"{assembly} ({framework}) was not built where expected: {path}");
            return path;
        }

        public static string RepoRoot => Paths["RepoRoot"];

        /// <summary>"StandIn", or "Microsoft" when the build swapped in Microsoft's DLLs (-p:XrmSdkDir, -p:XrmSdk=Official).</summary>
        public static string SdkUnderTest => Paths["XrmSdkUnderTest"];

        /// <summary>../shared beside the repository, or null when this clone has none (a user's clone).</summary>
        public static string? Shared
        {
            get
            {
                var shared = System.IO.Path.GetFullPath(System.IO.Path.Combine(RepoRoot, "..", "shared"));
                return Directory.Exists(System.IO.Path.Combine(shared, "reference", "sdk-api")) ? shared : null;
            }
        }

        public const string NoSharedReason = "../shared (Microsoft's SDK listings and asmcheck) is not beside this clone; the surface and reference checks run in CI.";
    }
}
