using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;

namespace CrmPlugins.XrmSdk.Tests
{
    /// <summary>
    /// The stand-in declares nothing Microsoft's signed SDK does not have, exactly as it has it, and carries every
    /// official detail of what it declares (asmcheck compare: no DIFF, LACKS or EXTRA line; compare-details: access,
    /// modifiers, parameter names and attributes), in both builds.
    /// </summary>
    public class SurfaceTests
    {
        public static IEnumerable<TestCaseData> Builds() =>
            from assembly in BuiltAssemblies.StandIns
            from framework in new[] { "net462", "net10.0" }
            select new TestCaseData(assembly, framework).SetName($"Surface_{assembly}_{framework}_MatchesMicrosoftsListing");

        private static string Shared => BuiltAssemblies.Shared ?? Ignore();

        private static string Ignore()
        {
            Assert.Ignore(BuiltAssemblies.NoSharedReason);
            return "";
        }

        [TestCaseSource(nameof(Builds))]
        public void Surface_MatchesMicrosoftsListing(string assembly, string framework)
        {
            var shared = Shared;
            var (exit, lines) = AsmCheck.Run(shared, new[] { "compare", BuiltAssemblies.Path(framework, assembly) }.Concat(AsmCheck.ListingFiles(shared)).ToArray());

            var problems = lines.Where(l => l.StartsWith("DIFF") || l.StartsWith("LACKS") || l.StartsWith("EXTRA")).ToList();
            Assert.That(problems, Is.Empty, $"{assembly} ({framework}) differs from Microsoft's surface:\n" + string.Join("\n", problems));
            Assert.That(exit, Is.Zero, string.Join("\n", lines));
            TestContext.Out.WriteLine(lines.Last());
        }

        public static IEnumerable<TestCaseData> DetailBuilds() =>
            from assembly in BuiltAssemblies.StandIns
            from framework in new[] { "net462", "net10.0" }
            select new TestCaseData(assembly, framework).SetName($"Details_{assembly}_{framework}_MatchMicrosoftsDetails");

        /// <summary>
        /// What the api listing cannot see (asmcheck compare-details --strict against Microsoft's *.details.txt): access
        /// (public, protected, protected internal), virtual/sealed/static, parameter names, and the serialization and
        /// service-contract attributes, of every type and member the stand-in declares; and every official overload of a
        /// method name it declares. No DIFF, EXTRA or LACKS line, but one kind of LACKS that cannot be closed without
        /// declaring types the suite does not use: a [KnownType(typeof(T))] of Microsoft's whose T the stand-in lacks
        /// (OrganizationRequest and OrganizationResponse name every message of the SDK).
        /// </summary>
        [TestCaseSource(nameof(DetailBuilds))]
        public void Details_MatchMicrosoftsDetails(string assembly, string framework)
        {
            var shared = Shared;
            var dll = BuiltAssemblies.Path(framework, assembly);
            var details = System.IO.Directory.GetFiles(AsmCheck.Listings(shared), "*.details.txt").OrderBy(f => f, System.StringComparer.Ordinal);
            var (exit, lines) = AsmCheck.Run(shared, new[] { "compare-details", "--strict", dll }.Concat(details).ToArray());
            var declared = new HashSet<string>(AsmCheck.Run(shared, "api", dll).Lines
                .Where(l => l.StartsWith("T:", System.StringComparison.Ordinal)).Select(l => l.Substring(2).Split(' ')[0]));

            var knownTypeOfAbsent = new System.Text.RegularExpressions.Regex(@"^LACKS T:\S+ \| \[KnownType\(typeof\(([^)]+)\)\)\]$");
            bool Unclosable(string line)
            {
                var m = knownTypeOfAbsent.Match(line);
                return m.Success && !declared.Contains(m.Groups[1].Value);
            }

            var problems = lines.Where(l => (l.StartsWith("DIFF") || l.StartsWith("LACKS") || l.StartsWith("EXTRA")) && !Unclosable(l)).ToList();
            var unclosable = lines.Count(Unclosable);
            Assert.That(problems, Is.Empty, $"{assembly} ({framework}) differs from Microsoft's details:\n" + string.Join("\n", problems));
            Assert.That(lines.Last(), Does.Match(@"^[1-9]\d* types and \d+ members of .* compared with the listings; 0 DIFF;.*; 0 EXTRA$"), string.Join("\n", lines));
            Assert.That(exit, Is.EqualTo(unclosable == 0 ? 0 : 1), string.Join("\n", lines));
            TestContext.Out.WriteLine(lines.Last() + $" ({unclosable} LACKS are [KnownType] of types the stand-in does not declare)");
        }

        [TestCaseSource(nameof(StandInNames))]
        public void Net10Build_HasTheSameSurfaceAsTheNet462Build(string assembly)
        {
            var shared = Shared;
            var net462 = AsmCheck.Run(shared, "api", BuiltAssemblies.Path("net462", assembly)).Lines;
            var net10 = AsmCheck.Run(shared, "api", BuiltAssemblies.Path("net10.0", assembly)).Lines;

            var onlyNet462 = net462.Except(net10).ToList();
            var onlyNet10 = net10.Except(net462).ToList();
            Assert.That(onlyNet462.Concat(onlyNet10), Is.Empty,
                "Only in net462:\n" + string.Join("\n", onlyNet462) + "\nOnly in net10.0:\n" + string.Join("\n", onlyNet10));
        }

        public static IEnumerable<string> StandInNames() => BuiltAssemblies.StandIns;

        [Test]
        public void SystemActivitiesStandIn_DeclaresOnlyWhatTheFrameworksAssemblyHas()
        {
            var shared = Shared;
            var framework = AsmCheck.Run(shared, "api", BuiltAssemblies.Path("framework", "System.Activities")).Lines;
            var listing = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "crmplugins-System.Activities.api.txt");
            System.IO.File.WriteAllLines(listing, framework);

            var (exit, lines) = AsmCheck.Run(shared, "compare", BuiltAssemblies.Path("net10.0", "System.Activities"), listing);

            var problems = lines.Where(l => l.StartsWith("DIFF") || l.StartsWith("LACKS") || l.StartsWith("EXTRA")).ToList();
            Assert.That(problems, Is.Empty, string.Join("\n", problems));
            Assert.That(exit, Is.Zero);
        }

        [TestCaseSource(nameof(DeployableNames))]
        public void EverySdkReference_OfTheNet462Assembly_ResolvesInMicrosoftsSdk(string assembly)
        {
            var shared = Shared;
            var (exit, lines) = AsmCheck.Run(shared, new[] { "refs", BuiltAssemblies.Path("net462", assembly) }.Concat(AsmCheck.ListingFiles(shared)).ToArray());

            var missing = lines.Where(l => l.StartsWith("MISSING")).ToList();
            Assert.That(missing, Is.Empty, $"{assembly} references SDK members Microsoft's assemblies lack (MissingMethodException in Dataverse):\n" + string.Join("\n", missing));
            Assert.That(exit, Is.Zero, string.Join("\n", lines));
            Assert.That(lines.Last(), Does.EndWith("(0 missing)"));
            TestContext.Out.WriteLine(lines.Last());
        }

        public static IEnumerable<string> DeployableNames() => BuiltAssemblies.Deployables;
    }
}
