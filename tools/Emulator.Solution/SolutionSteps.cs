using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using CrmPlugins.Emulator.Pipeline;
using CrmPlugins.SolutionModel;

namespace CrmPlugins.Emulator
{
    /// <summary>Registers the steps an unpacked solution declares, so tests exercise the registration that ships.</summary>
    public static class SolutionSteps
    {
        /// <summary>
        /// Reads SdkMessageProcessingSteps/*.xml of <paramref name="solutionFolder"/> and registers each step with
        /// the plugin type found by full name in <paramref name="pluginAssemblies"/>. A step naming a type that is
        /// not there fails with the file and the type named.
        /// </summary>
        public static IReadOnlyList<PluginStep> RegisterFromSolution(this XrmOrganization org, string solutionFolder, params Assembly[] pluginAssemblies) =>
            org.RegisterSteps(StepRegistration.LoadAll(solutionFolder), pluginAssemblies);

        /// <summary>Registers steps already read from solution source (see <see cref="RegisterFromSolution"/>).</summary>
        public static IReadOnlyList<PluginStep> RegisterSteps(this XrmOrganization org, IEnumerable<StepRegistration> registrations, params Assembly[] pluginAssemblies)
        {
            var types = ExportedTypes(pluginAssemblies);
            var registered = new List<PluginStep>();
            foreach (var registration in registrations)
            {
                if (!types.TryGetValue((registration.PluginAssemblyName, registration.PluginTypeFullName), out var type))
                    throw new SolutionFormatException(registration.SourceFile,
                        $"the plugin type '{registration.PluginTypeFullName}' is not in {string.Join(", ", pluginAssemblies.Select(a => a.GetName().Name))}");
                var step = new PluginStep(registration.Name, type, registration.Message, registration.PrimaryEntity, registration.Stage, registration.Mode)
                {
                    Id = registration.Id,
                    Rank = registration.Rank,
                    FilteringAttributes = registration.FilteringAttributes.Count == 0 ? null : registration.FilteringAttributes.ToList(),
                    UnsecureConfiguration = registration.Configuration,
                    AsyncAutoDelete = registration.AsyncAutoDelete,
                };
                foreach (var image in registration.Images)
                    step.Images.Add(new StepImage(image.EntityAlias, (ImageType)image.ImageType, image.Attributes.ToArray()));
                registered.Add(org.RegisterStep(step));
            }

            return registered;
        }

        /// <summary>The exported types of the assemblies, keyed by assembly and type: two assemblies may compile the same shared types in.</summary>
        internal static Dictionary<(string Assembly, string Type), Type> ExportedTypes(IEnumerable<Assembly> assemblies) =>
            assemblies.SelectMany(a => a.GetExportedTypes()).ToDictionary(t => (t.Assembly.GetName().Name!, t.FullName!), t => t);
    }
}
