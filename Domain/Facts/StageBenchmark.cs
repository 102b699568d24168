using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DealRisk.Risk
{
    /// <summary>How long the org's won deals stayed in one sales stage: the median days and the number of deals it rests on.</summary>
    public sealed class StageBenchmark
    {
        public StageBenchmark(int medianDays, int dealCount)
        {
            MedianDays = medianDays;
            DealCount = dealCount;
        }

        public int MedianDays { get; }

        public int DealCount { get; }

        /// <summary>
        /// The benchmarks as the policy row keeps them: "Qualify=12 (40); Develop=20 (31)" (stage, median days, won deals),
        /// in stage order; empty when there are none.
        /// </summary>
        public static string Write(IDictionary<int, StageBenchmark> byStage) =>
            string.Join("; ", byStage.OrderBy(b => b.Key).Select(b =>
                $"{Label(b.Key)}={b.Value.MedianDays.ToString(CultureInfo.InvariantCulture)} ({b.Value.DealCount.ToString(CultureInfo.InvariantCulture)})"));

        /// <summary>
        /// Reads what <see cref="Write"/> wrote (stage name or number). A part that cannot be read is left out and named in
        /// <paramref name="problems"/>: an admin may have typed in the column, and a stall is then judged on the policy's days.
        /// </summary>
        public static IDictionary<int, StageBenchmark> Read(string? text, ICollection<string>? problems = null)
        {
            var result = new Dictionary<int, StageBenchmark>();
            if (string.IsNullOrWhiteSpace(text)) return result;
            foreach (var part in text!.Split(';').Select(p => p.Trim()).Where(p => p.Length > 0))
            {
                if (Parse(part) is KeyValuePair<int, StageBenchmark> read) result[read.Key] = read.Value;
                else problems?.Add($"the won deals' stage days '{part}' are not 'Stage=days (deals)' with a known stage; that part is ignored");
            }

            return result;
        }

        private static KeyValuePair<int, StageBenchmark>? Parse(string part)
        {
            var pair = part.Split(new[] { '=' }, 2);
            if (pair.Length != 2 || Stage(pair[0]) is not int stage) return null;
            var value = pair[1].Trim();
            var open = value.IndexOf('(');
            if (open < 0 || !value.EndsWith(")", StringComparison.Ordinal)) return null;
            if (!int.TryParse(value.Substring(0, open).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var days) ||
                !int.TryParse(value.Substring(open + 1, value.Length - open - 2).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var deals)) return null;
            return new KeyValuePair<int, StageBenchmark>(stage, new StageBenchmark(days, deals));
        }

        // A stage the org added to the choice has no name here: its number, which Read takes back.
        private static string Label(int stage) => stage >= 0 && stage < TimePolicy.StageNames.Count ? TimePolicy.StageNames[stage] : stage.ToString(CultureInfo.InvariantCulture);

        private static int? Stage(string text) => TimePolicy.ParseStage(text, NumberStyles.None);
    }
}
