using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;
using NUnit.Framework;

namespace CrmPlugins.Solution.Tests
{
    /// <summary>Reading the entries of a solution zip (ours, Microsoft's packer's, a real export).</summary>
    internal static class Zips
    {
        public static XDocument ReadXml(string zip, string entry)
        {
            using var archive = ZipFile.OpenRead(zip);
            using var stream = archive.GetEntry(entry)?.Open() ?? throw new AssertionException($"{Path.GetFileName(zip)} has no {entry}");
            return XDocument.Load(stream);
        }

        public static byte[] ReadBytes(string zip, string entry)
        {
            using var archive = ZipFile.OpenRead(zip);
            using var stream = archive.GetEntry(entry)?.Open() ?? throw new AssertionException($"{Path.GetFileName(zip)} has no {entry}");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }

        public static IReadOnlyList<string> Entries(string zip)
        {
            using var archive = ZipFile.OpenRead(zip);
            return archive.Entries.Select(e => Uri.UnescapeDataString(e.FullName)).OrderBy(n => n, StringComparer.Ordinal).ToList();
        }
    }
}
