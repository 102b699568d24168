using System;
using System.IO;
using System.Linq;
using System.Runtime.Loader;
using NUnit.Framework;

namespace CrmPlugins.Solution.Tests
{
    /// <summary>
    /// The deployable (net462) assemblies run the domain as the net10.0 builds the other tests run do. They are compiled
    /// against .NET Framework's API, so the same source can bind to other methods: `array.Contains(x)` binds to
    /// MemoryExtensions (a span: a null array is an empty one) on net10.0 and to Enumerable.Contains (a null array throws)
    /// on net462. Microsoft's net462 assemblies load and run under .NET 10, and so do ours: each is loaded alone and a deal
    /// with findings is judged and its fixes searched, through the public domain API.
    /// </summary>
    public sealed class DeployableDomainTests
    {
        [TestCase("DealRisk.Plugins")]
        [TestCase("DealRisk.WorkflowActivities")]
        public void Net462Build_JudgesADealAndFindsItsFixes(string assembly)
        {
            var path = Repo.BuiltAssemblies[assembly];
            Assert.That(File.Exists(path), Is.True, $"{path} is not built: the test project builds the net462 assemblies first.");
            var context = new AssemblyLoadContext("net462 " + assembly, isCollectible: true);
            context.Resolving += (c, name) => File.Exists(Path.Combine(Path.GetDirectoryName(path)!, name.Name + ".dll"))
                ? c.LoadFromAssemblyPath(Path.Combine(Path.GetDirectoryName(path)!, name.Name + ".dll")) : null;
            try
            {
                var built = context.LoadFromAssemblyPath(path);
                Type Domain(string name) => built.GetType("DealRisk.Risk." + name, throwOnError: true)!;

                // A deal sold below cost whose delivery roles are booked past capacity: margin and resource findings, whose
                // fix searches copy the deal for every change they try.
                var today = new DateTime(2026, 11, 2);
                dynamic facts = Activator.CreateInstance(Domain("DealFacts"))!;
                facts.Name = "Thin margin, booked roles";
                facts.Today = today;
                dynamic current = Activator.CreateInstance(Domain("ForecastSnapshot"))!;
                current.Amount = 10_000m;
                current.CloseDate = today.AddDays(20);
                current.SalesStage = 2;
                current.Probability = 60;
                facts.Current = current;
                for (var i = 0; i < 4; i++)
                {
                    dynamic line = Activator.CreateInstance(Domain("DealLine"))!;
                    line.ProductName = "Product " + i;
                    line.Quantity = 2m;
                    line.GrossAmount = 2_000m;
                    line.NetAmount = 1_500m;
                    line.UnitCost = 700m;
                    line.DeliveryHoursPerUnit = 40m;
                    line.DeliveryRole = "Consultant";
                    facts.Lines.Add(line);
                }

                for (var m = 0; m < 12; m++)
                {
                    var month = new DateTime(today.Year, today.Month, 1).AddMonths(m);
                    facts.Capacity.Add((dynamic)Activator.CreateInstance(Domain("RoleCapacity"), "Consultant", month, 100m)!);
                    facts.OtherDemand.Add((dynamic)Activator.CreateInstance(Domain("RoleDemand"), "Consultant", month, 500m)!);
                }

                dynamic policy = Activator.CreateInstance(Domain("RiskPolicy"))!;
                var checks = Domain("RiskChecks").GetField("Default")!.GetValue(null);
                var assessment = Domain("RiskEvaluator").GetMethod("Evaluate", new[] { Domain("DealFacts"), Domain("RiskPolicy") })!.Invoke(null, new object[] { facts, policy });
                var judged = (int)Domain("RiskFixes").GetMethod("Attach")!.Invoke(null, new[] { assessment, facts, policy, checks })!;

                var findings = ((System.Collections.IEnumerable)((dynamic)assessment!).Findings).Cast<dynamic>().ToList();
                Assert.That(findings.Select(f => (string)f.CheckName), Does.Contain("Margin").And.Contain("Resource"), "the deal's findings");
                Assert.That(judged, Is.GreaterThan(0), "the deal was judged again to find the fixes");
                Assert.That(findings.Where(f => f.Fix != null).Select(f => (string)f.CheckName), Does.Contain("Margin").And.Contain("Resource"), "fixes found");
            }
            finally
            {
                context.Unload();
            }
        }
    }
}
