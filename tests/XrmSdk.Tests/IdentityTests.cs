using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using NUnit.Framework;

namespace CrmPlugins.XrmSdk.Tests
{
    /// <summary>
    /// Identities read from the built assemblies' metadata: the stand-ins carry Microsoft's identity; the deployable
    /// net462 assemblies are strong-named with the project's key, bind to the SDK by Microsoft's identity, and
    /// reference nothing Dataverse does not provide (a plugin assembly is loaded alone).
    /// </summary>
    public class IdentityTests
    {
        private const string MicrosoftToken = "31bf3856ad364e35";
        private const string FrameworkToken = "b77a5c561934e089";

        /// <summary>What a Dataverse sandbox gives a plugin assembly besides itself.</summary>
        private static readonly HashSet<string> Provided = new(StringComparer.Ordinal)
        {
            "mscorlib", "System", "System.Core", "System.Runtime.Serialization", "System.ServiceModel", "System.Xml", "System.Xml.Linq",
            "System.Data", "System.Numerics", "System.Activities", "Microsoft.Xrm.Sdk", "Microsoft.Crm.Sdk.Proxy", "Microsoft.Xrm.Sdk.Workflow",
        };

        private sealed record Identity(string Name, Version Version, string Token, bool StrongNameSigned, string? TargetFramework, IReadOnlyList<(string Name, Version Version, string Token)> References);

        private static Identity Read(string path)
        {
            using var pe = new PEReader(File.OpenRead(path));
            var md = pe.GetMetadataReader();
            var a = md.GetAssemblyDefinition();
            string Token(byte[] key) => key.Length == 0 ? "null" : Convert.ToHexString(SHA1.HashData(key).TakeLast(8).Reverse().ToArray()).ToLowerInvariant();
            var references = md.AssemblyReferences.Select(h => md.GetAssemblyReference(h)).Select(r =>
            {
                var blob = md.GetBlobBytes(r.PublicKeyOrToken);
                var token = blob.Length == 0 ? "null" : (r.Flags & System.Reflection.AssemblyFlags.PublicKey) != 0 ? Token(blob) : Convert.ToHexString(blob).ToLowerInvariant();
                return (md.GetString(r.Name), r.Version, token);
            }).ToList();
            string? framework = null;
            foreach (var ca in md.GetAssemblyDefinition().GetCustomAttributes().Select(md.GetCustomAttribute))
            {
                if (ca.Constructor.Kind != HandleKind.MemberReference) continue;
                var ctor = md.GetMemberReference((MemberReferenceHandle)ca.Constructor);
                if (ctor.Parent.Kind != HandleKind.TypeReference || md.GetString(md.GetTypeReference((TypeReferenceHandle)ctor.Parent).Name) != "TargetFrameworkAttribute") continue;
                var blob = md.GetBlobReader(ca.Value);
                blob.ReadUInt16();
                framework = blob.ReadSerializedString();
            }

            return new Identity(md.GetString(a.Name), a.Version, Token(md.GetBlobBytes(a.PublicKey)),
                (pe.PEHeaders.CorHeader!.Flags & CorFlags.StrongNameSigned) != 0, framework, references);
        }

        /// <summary>
        /// The tests run on the SDK the build chose: the stand-in (file version 9.0.0.0), or Microsoft's DLLs with
        /// -p:XrmSdkDir / -p:XrmSdk=Official (Microsoft.Xrm.Sdk 9.2.49.11611, Microsoft.Xrm.Sdk.Workflow 9.2.49.6961: the
        /// versions of ../shared/reference/sdk-api/README.md). Every other test of the suite then ran on that SDK too.
        /// </summary>
        [Test]
        public void LoadedSdk_IsTheOneTheBuildChose()
        {
            string FileVersion(System.Type type) =>
                System.Diagnostics.FileVersionInfo.GetVersionInfo(type.Assembly.Location).FileVersion ?? "";
            var core = FileVersion(typeof(Microsoft.Xrm.Sdk.Entity));
            var proxy = FileVersion(typeof(Microsoft.Crm.Sdk.Messages.WhoAmIRequest));
            var workflow = FileVersion(typeof(Microsoft.Xrm.Sdk.Workflow.IWorkflowContext));

            var expected = BuiltAssemblies.SdkUnderTest == "Microsoft"
                ? ("9.2.49.11611", "9.2.49.11611", "9.2.49.6961")
                : ("9.0.0.0", "9.0.0.0", "9.0.0.0");
            Assert.That((core, proxy, workflow), Is.EqualTo(expected), "SDK under test: " + BuiltAssemblies.SdkUnderTest);
            Assert.That(typeof(Microsoft.Xrm.Sdk.Entity).Assembly.GetName().Version, Is.EqualTo(new Version(9, 0, 0, 0)));
            TestContext.Out.WriteLine($"SDK under test: {BuiltAssemblies.SdkUnderTest} (Microsoft.Xrm.Sdk file version {core})");
        }

        public static IEnumerable<TestCaseData> StandInBuilds() =>
            from assembly in BuiltAssemblies.StandIns
            from framework in new[] { "net462", "net10.0" }
            select new TestCaseData(assembly, framework).SetName($"StandIn_{assembly}_{framework}_CarriesMicrosoftsIdentity");

        [TestCaseSource(nameof(StandInBuilds))]
        public void StandIn_CarriesMicrosoftsIdentity(string assembly, string framework)
        {
            var id = Read(BuiltAssemblies.Path(framework, assembly));

            Assert.That(id.Name, Is.EqualTo(assembly));
            Assert.That(id.Version, Is.EqualTo(new Version(9, 0, 0, 0)));
            Assert.That(id.Token, Is.EqualTo(MicrosoftToken));
        }

        [Test]
        public void SystemActivitiesStandIn_CarriesTheFrameworksIdentity()
        {
            var id = Read(BuiltAssemblies.Path("net10.0", "System.Activities"));
            Assert.That((id.Name, id.Version, id.Token), Is.EqualTo(("System.Activities", new Version(4, 0, 0, 0), MicrosoftToken)));
        }

        public static IEnumerable<string> Deployables() => BuiltAssemblies.Deployables;

        [TestCaseSource(nameof(Deployables))]
        public void Deployable_IsStrongNamedWithTheProjectsKey_ForNetFramework462(string assembly)
        {
            var id = Read(BuiltAssemblies.Path("net462", assembly));

            Assert.That(id.StrongNameSigned, Is.True, "Dataverse registers only strong-named plugin assemblies");
            Assert.That(id.Token, Is.EqualTo(ProjectKeyToken()));
            Assert.That(id.TargetFramework, Is.EqualTo(".NETFramework,Version=v4.6.2"));
        }

        [TestCaseSource(nameof(Deployables))]
        public void Deployable_BindsToTheSdkByMicrosoftsIdentity_AndNeedsNothingElse(string assembly)
        {
            var id = Read(BuiltAssemblies.Path("net462", assembly));

            var sdk = id.References.Where(r => r.Name.StartsWith("Microsoft.", StringComparison.Ordinal)).ToList();
            Assert.That(sdk.Select(r => r.Name), Does.Contain("Microsoft.Xrm.Sdk"));
            Assert.That(sdk, Is.All.Matches<(string Name, Version Version, string Token)>(r => r.Version == new Version(9, 0, 0, 0) && r.Token == MicrosoftToken));
            var foreign = id.References.Where(r => !Provided.Contains(r.Name)).Select(r => r.Name).ToList();
            Assert.That(foreign, Is.Empty, $"{assembly} needs assemblies Dataverse does not load: {string.Join(", ", foreign)}");
            Assert.That(id.References.Where(r => !r.Name.StartsWith("Microsoft.", StringComparison.Ordinal)).Select(r => r.Token), Is.All.AnyOf(FrameworkToken, MicrosoftToken));
        }

        [Test]
        public void WorkflowActivities_BindToTheFrameworksSystemActivities()
        {
            var id = Read(BuiltAssemblies.Path("net462", "DealRisk.WorkflowActivities"));
            Assert.That(id.References, Has.Some.EqualTo(("System.Activities", new Version(4, 0, 0, 0), MicrosoftToken)));
            Assert.That(id.References, Has.Some.EqualTo(("Microsoft.Xrm.Sdk.Workflow", new Version(9, 0, 0, 0), MicrosoftToken)));
        }

        /// <summary>The token of the public key in build/DealRisk.snk (a CAPI key blob: the public key is its RSA part).</summary>
        private static string ProjectKeyToken()
        {
            var snk = File.ReadAllBytes(Path.Combine(BuiltAssemblies.RepoRoot, "build", "DealRisk.snk"));
            var bitLength = BitConverter.ToInt32(snk, 12);
            var modulus = snk.Skip(20).Take(bitLength / 8).ToArray();
            var exponent = snk.Skip(16).Take(4).ToArray();
            // The strong-name public key blob: SignatureAlgId, HashAlgId, length, then a PUBLICKEYBLOB (RSA1).
            var publicBlob = new List<byte> { 0x06, 0x02, 0x00, 0x00, 0x00, 0x24, 0x00, 0x00 };
            publicBlob.AddRange(BitConverter.GetBytes(0x31415352));
            publicBlob.AddRange(BitConverter.GetBytes(bitLength));
            publicBlob.AddRange(exponent);
            publicBlob.AddRange(modulus);
            var key = new List<byte>();
            key.AddRange(BitConverter.GetBytes(0x00002400));
            key.AddRange(BitConverter.GetBytes(0x00008004));
            key.AddRange(BitConverter.GetBytes(publicBlob.Count));
            key.AddRange(publicBlob);
            return Convert.ToHexString(SHA1.HashData(key.ToArray()).TakeLast(8).Reverse().ToArray()).ToLowerInvariant();
        }
    }
}
