using System;
using System.Linq;
using System.Reflection;
using Microsoft.Xrm.Sdk;
using NUnit.Framework;

namespace DealRisk.Plugins.Tests
{
    /// <summary>
    /// Dataverse keeps one instance of a plugin class for every execution of its step, on many threads: a plugin that
    /// keeps data between executions leaks memory and mixes up deals. Every plugin class of the assembly holds only
    /// readonly configuration, and no type of the assembly has a mutable static field.
    /// </summary>
    public class StatelessPluginTests
    {
        private static readonly Assembly Suite = typeof(OpportunityRiskPlugin).Assembly;

        [Test]
        public void PluginClasses_HoldNoDataBetweenExecutions()
        {
            var plugins = Suite.GetTypes().Where(t => typeof(IPlugin).IsAssignableFrom(t) && !t.IsAbstract).ToList();
            Assert.That(plugins, Has.Count.GreaterThanOrEqualTo(5));
            foreach (var plugin in plugins)
                for (var type = plugin; type != null && type != typeof(object); type = type.BaseType)
                    foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                        Assert.That(field.IsInitOnly, Is.True, $"{type.Name}.{field.Name} can change after construction: a plugin instance is shared by every execution");
        }

        [Test]
        public void NoTypeOfTheSuite_HasAMutableStaticField()
        {
            var mutable = Suite.GetTypes()
                .SelectMany(t => t.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                .Where(f => !f.IsLiteral && !f.IsInitOnly && !f.Name.Contains('<'))
                .Select(f => $"{f.DeclaringType!.Name}.{f.Name}")
                .ToList();
            Assert.That(mutable, Is.Empty);
        }
    }
}
