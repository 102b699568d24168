using System.Collections.Generic;
using System.IO;
using System.Text;
using NUnit.Framework;

namespace DealRisk.Cli.Tests
{
    /// <summary>
    /// The console of every command drops control characters from what it prints, and hands the console a whole string
    /// at a time: the console's writer flushes on every write, so a character at a time was a system call per character
    /// (minutes for the report of 100,000 deals).
    /// </summary>
    public class ConsoleWriterTests
    {
        /// <summary>Records each write it is handed, as the console would flush it.</summary>
        private sealed class Recording : TextWriter
        {
            public readonly List<string> Writes = new();

            public override Encoding Encoding => Encoding.UTF8;

            public override void Write(char value) => Writes.Add(value.ToString());

            public override void Write(string? value) => Writes.Add(value ?? "");

            public override void WriteLine(string? value) => Writes.Add((value ?? "") + "\n");

            public override void WriteLine() => Writes.Add("\n");
        }

        [Test]
        public void WriteLine_OfAReportLine_IsOneWrite_WithoutItsControlCharacters()
        {
            var console = new Recording();
            var writer = new ConsoleText.Writer(console);

            writer.WriteLine("  Critical Open\tDeal \u001b[31m7\u202E");
            writer.Write("plain");
            writer.Write(new[] { 'a', '\u0007', 'b' }, 0, 3);

            Assert.That(console.Writes, Is.EqualTo(new[] { "  Critical Open\tDeal [31m7\n", "plain", "ab" }));
        }
    }
}
