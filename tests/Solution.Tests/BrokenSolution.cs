using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using CrmPlugins.SolutionModel;

namespace CrmPlugins.Solution.Tests
{
    /// <summary>
    /// A copy of Solution/ in a temporary folder with one thing broken: <c>BrokenSolution.With(s => s.EditXml(...))</c>.
    /// Paths are relative to the solution folder with forward slashes, as the validator's problem lines name them.
    /// </summary>
    internal sealed class BrokenSolution : IDisposable
    {
        private BrokenSolution()
        {
            Folder = Directory.CreateTempSubdirectory("dealrisk-solution-").FullName;
            foreach (var file in Directory.EnumerateFiles(Repo.SolutionFolder, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(Folder, Path.GetRelativePath(Repo.SolutionFolder, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
        }

        public string Folder { get; }

        /// <summary>An unbroken copy.</summary>
        public static BrokenSolution Copy() => new();

        /// <summary>A copy broken by <paramref name="breakIt"/>.</summary>
        public static BrokenSolution With(Action<BrokenSolution> breakIt)
        {
            var copy = new BrokenSolution();
            try
            {
                breakIt(copy);
                return copy;
            }
            catch
            {
                copy.Dispose();
                throw;
            }
        }

        public string PathOf(string relative) => Path.Combine(Folder, relative.Replace('/', Path.DirectorySeparatorChar));

        /// <summary>The files under <paramref name="sub"/> (recursively), relative, in ordinal order.</summary>
        public IReadOnlyList<string> Files(string sub, string pattern = "*.xml") =>
            Directory.EnumerateFiles(PathOf(sub), pattern, SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(Folder, f).Replace(Path.DirectorySeparatorChar, '/'))
                .OrderBy(f => f, StringComparer.Ordinal).ToList();

        /// <summary>The step files whose root matches <paramref name="match"/>.</summary>
        public IReadOnlyList<string> Steps(Func<XElement, bool> match) =>
            Files("SdkMessageProcessingSteps").Where(f => match(XDocument.Load(PathOf(f)).Root!)).ToList();

        /// <summary>The step files registering <paramref name="pluginType"/> (full name).</summary>
        public IReadOnlyList<string> StepsOf(string pluginType) =>
            Steps(s => ((string?)s.Element("PluginTypeName") ?? "").StartsWith(pluginType + ",", StringComparison.Ordinal));

        /// <summary>The one file under <paramref name="sub"/> matching <paramref name="pattern"/>.</summary>
        public string Single(string sub, string pattern) => Files(sub, pattern).Single();

        public void EditXml(string relative, Action<XDocument> edit)
        {
            var doc = XDocument.Load(PathOf(relative), LoadOptions.PreserveWhitespace);
            edit(doc);
            doc.Save(PathOf(relative), SaveOptions.DisableFormatting);
        }

        /// <summary>Replaces text that must be there (so a test cannot silently break nothing).</summary>
        public void ReplaceText(string relative, string find, string replacement)
        {
            var text = File.ReadAllText(PathOf(relative));
            if (!text.Contains(find, StringComparison.Ordinal)) throw new InvalidOperationException($"{relative} does not contain '{find}': the test no longer breaks anything.");
            File.WriteAllText(PathOf(relative), text.Replace(find, replacement, StringComparison.Ordinal));
        }

        public void WriteText(string relative, string text) => File.WriteAllText(PathOf(relative), text);

        public void Delete(string relative) => File.Delete(PathOf(relative));

        public SolutionSource Load() => SolutionSource.Load(Folder);

        public IReadOnlyList<string> Problems() => SolutionValidator.Validate(Load(), Repo.Inspected);

        public void Dispose() => Directory.Delete(Folder, recursive: true);
    }
}
