using System;
using System.IO;
using System.Text.Json;
using NUnit.Framework;

namespace DealRisk.Cli.Tests
{
    /// <summary>
    /// The collector settings the tool ships with, read from the runtimeconfig.json the build writes beside dealrisk.dll
    /// (what `dotnet dealrisk.dll` reads at start): evaluate of 100,000 deals is held to its time and memory with them.
    /// </summary>
    public sealed class RuntimeSettingsTests
    {
        [Test]
        public void Dealrisk_RunsWithTheServerCollector_NotTheBackgroundOne()
        {
            var path = Path.Combine(AppContext.BaseDirectory, "dealrisk.runtimeconfig.json");
            Assert.That(File.Exists(path), Is.True, $"{path} is not beside the tests: the build no longer copies the tool's runtime settings.");
            using var config = JsonDocument.Parse(File.ReadAllText(path));
            var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

            // The server collector uses every core while the org is traced (judging itself is one thread).
            Assert.That(properties.TryGetProperty("System.GC.Server", out var server) && server.GetBoolean(), Is.True, "System.GC.Server");
            // The blocking collector compacts what a background one leaves spread out: the 4 GB of issue 23.
            Assert.That(properties.TryGetProperty("System.GC.Concurrent", out var concurrent) && !concurrent.GetBoolean(), Is.True, "System.GC.Concurrent");
        }
    }
}
