using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using DealRisk.Cli.Live;
using NUnit.Framework;

namespace DealRisk.Cli.Tests
{
    /// <summary>A token given as is (the tests' sign-in).</summary>
    internal sealed class FixedToken : ITokenProvider
    {
        private readonly string _value;

        public FixedToken(string value = FakeDataverse.Token) => _value = value;

        public Task<string> GetTokenAsync(CancellationToken cancel) => Task.FromResult(_value);
    }

    /// <summary>Each test gets its own local Web API, an output folder, and DEALRISK_ACCESS_TOKEN set to the server's token.</summary>
    public abstract class LiveFixture
    {
        protected FakeDataverse Server { get; private set; } = null!;

        protected string Output { get; private set; } = null!;

        [SetUp]
        public void StartServer()
        {
            Server = new FakeDataverse();
            Output = Directory.CreateTempSubdirectory("dealrisk-live-").FullName;
            Environment.SetEnvironmentVariable(SignIn.TokenVariable, FakeDataverse.Token);
        }

        [TearDown]
        public void StopServer()
        {
            Environment.SetEnvironmentVariable(SignIn.TokenVariable, null);
            Server.Dispose();
            Directory.Delete(Output, recursive: true);
        }
    }
}
