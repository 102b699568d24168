using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using CrmPlugins.SolutionModel;

namespace DealRisk.Cli.Live
{
    /// <summary>
    /// What deploy checks before it imports (the environment has the Dynamics 365 components the solution declares in
    /// its MissingDependencies) and what status reports after (whether each step is enabled and the workflow activated).
    /// </summary>
    public static class SolutionState
    {
        /// <summary>
        /// Takes the &lt;MissingDependencies&gt; of the zip's solution.xml (read once, by <see cref="SolutionZip.Read"/>) and asks the environment for each table and column;
        /// stops (exit 1) naming everything that is not there, before anything is imported.
        /// </summary>
        public static void CheckDependencies(WebApiClient api, SolutionZip solution, TextWriter log, CancellationToken cancel)
        {
            var required = solution.Dependencies.Select(d => d.Required).GroupBy(r => (r.Type, r.Parent, r.SchemaName)).Select(g => g.First()).ToList();
            if (required.Count == 0) return;
            var missing = required.Where(r => !Exists(api, r, cancel)).ToList();
            if (missing.Count > 0)
                throw new CliException(ExitCodes.Failed,
                    $"{api.Environment.Host} lacks what DealRisk needs, so nothing was imported: " +
                    string.Join("; ", missing.GroupBy(r => r.Solution).Select(g => $"from {g.Key}: {string.Join(", ", g.Select(r => r.Describe()))}")) +
                    ". Install Dynamics 365 Sales in the environment (it brings these), then deploy again.");
            log.WriteLine($"{api.Environment.Host} has the {required.Count} Dynamics 365 component(s) DealRisk needs ({string.Join(", ", required.Select(r => r.SchemaName).Distinct())}).");
        }

        private static bool Exists(WebApiClient api, RequiredComponent r, CancellationToken cancel)
        {
            var path = r.Type == 2
                ? $"EntityDefinitions(LogicalName='{r.Parent}')/Attributes(LogicalName='{r.SchemaName}')?$select=LogicalName"
                : $"EntityDefinitions(LogicalName='{r.SchemaName}')?$select=LogicalName";
            try
            {
                api.GetAsync(path, cancel).GetAwaiter().GetResult();
                return true;
            }
            catch (WebApiNotFoundException)
            {
                return false;
            }
        }

        /// <summary>
        /// Prints each DealRisk step (enabled or disabled) and the alert workflow (draft, activated or suspended), and how to
        /// turn on what is off; returns how many are off. An import that does not activate them (the maker portal's import
        /// with "Enable plug-in steps and flows" unticked, <c>pac solution import</c> without <c>--activate-plugins</c>) leaves
        /// them off, and the suite then judges nothing.
        /// </summary>
        public static int PrintComponents(WebApiClient api, TextWriter log, CancellationToken cancel)
        {
            IReadOnlyList<JsonElement> steps, workflows;
            try
            {
                steps = api.GetAllAsync("sdkmessageprocessingsteps?$select=name,statecode&$filter=startswith(name,'DealRisk.')", cancel).GetAwaiter().GetResult();
                workflows = api.GetAllAsync("workflows?$select=name,statecode&$filter=type%20eq%201%20and%20category%20eq%200%20and%20startswith(name,'Deal%20Risk')", cancel).GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is WebApiNotFoundException or CliException)
            {
                // Reading the states needs read access to steps and processes; without it, say so rather than fail the status.
                log.WriteLine($"Could not read whether the steps and the workflow are on: {ex.Message}");
                return 0;
            }

            static int State(JsonElement row) => row.TryGetProperty("statecode", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt32() : -1;
            static string Name(JsonElement row) => row.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";

            var disabled = steps.Where(s => State(s) != 0).OrderBy(Name, StringComparer.Ordinal).ToList();
            log.WriteLine($"Steps: {steps.Count - disabled.Count} of {steps.Count} enabled.");
            foreach (var step in steps.OrderBy(Name, StringComparer.Ordinal))
                log.WriteLine($"  {(State(step) == 0 ? "enabled " : "DISABLED")}  {Name(step)}");
            var off = disabled.Count;
            foreach (var wf in workflows.OrderBy(Name, StringComparer.Ordinal))
            {
                var state = State(wf) switch { 0 => "DRAFT (not running)", 1 => "activated", 2 => "SUSPENDED", _ => "in an unknown state" };
                log.WriteLine($"Workflow \"{Name(wf)}\": {state}.");
                if (State(wf) != 1) off++;
            }

            if (workflows.Count == 0) log.WriteLine("Workflow: the alert workflow is not in the environment.");
            if (off > 0)
                log.WriteLine("Turn them on in make.powerapps.com > Solutions > DealRisk (the steps under Plug-in steps, the workflow under Processes: Turn on / Activate). " +
                              "`dealrisk deploy` imports with PublishWorkflows, which turns them on; an import without it leaves them off.");
            return off;
        }
    }
}
