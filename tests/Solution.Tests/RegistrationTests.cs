using System;
using System.Collections.Generic;
using System.Linq;
using CrmPlugins.SolutionModel;
using NUnit.Framework;

namespace CrmPlugins.Solution.Tests
{
    /// <summary>The registration in Solution/ matches the built net462 assemblies, read with <see cref="AssemblyInspector"/>.</summary>
    [TestFixture]
    public sealed class RegistrationTests
    {
        private SolutionSource _source = null!;
        private AssemblyInspector _plugins = null!;
        private AssemblyInspector _activities = null!;

        [OneTimeSetUp]
        public void Read()
        {
            _source = SolutionSource.Load(Repo.SolutionFolder);
            _plugins = Repo.Plugins;
            _activities = Repo.WorkflowActivities;
        }

        private PluginAssemblyDefinition Registered(string assembly) => _source.PluginAssemblies.Single(p => p.Name == assembly);

        [Test]
        public void Validate_TheShippedSolution_HasNoProblem()
        {
            var problems = SolutionValidator.Validate(_source, new[] { _plugins, _activities });
            foreach (var problem in problems) TestContext.Out.WriteLine(problem);

            Assert.That(problems, Is.Empty, () => "The validator found:" + Environment.NewLine + string.Join(Environment.NewLine, problems));
        }

        [Test]
        public void DataFiles_RegisterTheAssembliesThatWereBuilt()
        {
            Assert.That(Registered("DealRisk.Plugins").FullName, Is.EqualTo(_plugins.FullName));
            Assert.That(Registered("DealRisk.WorkflowActivities").FullName, Is.EqualTo(_activities.FullName));
        }

        [Test]
        public void EveryRegisteredPluginType_IsAPublicIPluginClassOfTheBuiltDll()
        {
            foreach (var registered in Registered("DealRisk.Plugins").Types)
            {
                var type = _plugins.Type(registered.TypeName);
                Assert.That(type, Is.Not.Null, $"{registered.TypeName} is not in {_plugins.Path}");
                Assert.That(type!.IsPublic && !type.IsAbstract && _plugins.IsA(type, "Microsoft.Xrm.Sdk.IPlugin"), Is.True, $"{registered.TypeName} is not a public IPlugin class");
            }

            Assert.That(Registered("DealRisk.Plugins").Types.Select(t => t.TypeName), Is.EquivalentTo(_plugins.PluginTypes.Select(t => t.FullName)));
        }

        [Test]
        public void EveryStep_NamesAPluginClassOfTheBuiltDll()
        {
            var plugins = _plugins.PluginTypes.Select(t => t.FullName).ToHashSet(StringComparer.Ordinal);

            Assert.That(_source.Steps, Is.Not.Empty);
            foreach (var step in _source.Steps)
            {
                Assert.That(step.PluginAssemblyName, Is.EqualTo("DealRisk.Plugins"), step.SourceFile);
                Assert.That(plugins, Does.Contain(step.PluginTypeFullName), step.SourceFile);
            }
        }

        [Test]
        public void EveryIPluginClass_HasAStep()
        {
            var stepped = _source.Steps.Select(s => s.PluginTypeFullName).ToHashSet(StringComparer.Ordinal);
            // A Custom API's plugin is the API's main operation: the API is its registration.
            var apiTypes = CustomApiSource.Read(_source.Folder).Select(a => a.PluginTypeId).ToHashSet();
            stepped.UnionWith(_source.PluginAssemblies.SelectMany(a => a.Types).Where(t => apiTypes.Contains(t.Id)).Select(t => t.TypeName));

            Assert.That(_plugins.PluginTypes, Is.Not.Empty);
            Assert.That(_plugins.PluginTypes.Select(t => t.FullName).Where(t => !stepped.Contains(t)), Is.Empty, "plugin classes without a step");
        }

        [Test]
        public void EveryCodeActivityClass_IsRegisteredInTheDealRiskGroup()
        {
            var registered = Registered("DealRisk.WorkflowActivities").Types.ToDictionary(t => t.TypeName, t => t.WorkflowActivityGroupName, StringComparer.Ordinal);

            Assert.That(_activities.ActivityTypes, Is.Not.Empty);
            foreach (var activity in _activities.ActivityTypes)
                Assert.That(registered.GetValueOrDefault(activity.FullName), Is.EqualTo("Deal Risk"), $"{activity.FullName} is registered with WorkflowActivityGroupName 'Deal Risk'");
            Assert.That(registered.Keys, Is.EquivalentTo(_activities.ActivityTypes.Select(t => t.FullName)), "registered activities that are not CodeActivity classes of the DLL");
        }

        [Test]
        public void TheWorkflowXaml_CallsOnlyRegisteredActivities_WithArgumentsTheyHave()
        {
            var registered = _source.PluginAssemblies.SelectMany(p => p.Types.Where(t => t.WorkflowActivityGroupName != null).Select(t => (p.Name, t.TypeName))).ToHashSet();
            var calls = _source.Workflows.SelectMany(w => w.Activities).ToList();

            Assert.That(calls.Select(c => c.TypeFullName), Is.EqualTo(new[] { "DealRisk.WorkflowActivities.RaiseRiskAlert" }));
            foreach (var call in calls)
            {
                Assert.That(registered, Does.Contain((call.AssemblyName, call.TypeFullName)));
                Assert.That(call.Arguments.Keys, Is.SubsetOf(_activities.AllProperties(_activities.Type(call.TypeFullName)!)), call.TypeFullName);
            }
        }
    }
}
