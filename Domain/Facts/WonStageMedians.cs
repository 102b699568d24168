using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DealRisk.Risk
{
    /// <summary>One row of a won deal's risk history, as the median needs it: when, the stage and when the deal entered it, a close row's outcome.</summary>
    public sealed class StageHistoryRow
    {
        public StageHistoryRow(DateTime recordedOn, int? stage, DateTime? stageEnteredOn, bool isClose = false, bool won = false)
        {
            RecordedOn = recordedOn;
            Stage = stage;
            StageEnteredOn = stageEnteredOn;
            IsClose = isClose;
            Won = won;
        }

        public DateTime RecordedOn { get; }

        /// <summary>The deal's sales stage when the row was recorded (null: the row is from before the history recorded stages).</summary>
        public int? Stage { get; }

        public DateTime? StageEnteredOn { get; }

        public bool IsClose { get; }

        public bool Won { get; }
    }

    /// <summary>
    /// The org's own pace: for each sales stage, the median days the won deals spent in it and how many deals that rests
    /// on, from their risk history. A deal's days in a stage run from the stage's entry to the next stage's entry, or to the
    /// close for the stage it was won from; a stage it skipped (or went through twice) gives no sample (or the sum of its
    /// stays). A deal is counted out, and counted, when its history cannot say: none at all (won before the suite was
    /// installed), reopened (more than one close, or rows after it), or rows without a stage (recorded before the history
    /// kept stages).
    /// </summary>
    public sealed class WonStageMedians
    {
        private WonStageMedians(IDictionary<int, StageBenchmark> byStage, int counted, int noHistory, int reopened, int withoutStages)
        {
            ByStage = byStage;
            Counted = counted;
            NoHistory = noHistory;
            Reopened = reopened;
            WithoutStages = withoutStages;
        }

        public IDictionary<int, StageBenchmark> ByStage { get; }

        /// <summary>Won deals whose history gave their days per stage.</summary>
        public int Counted { get; }

        public int NoHistory { get; }

        public int Reopened { get; }

        /// <summary>Won deals with history rows from before the history recorded the stage (or without a close row).</summary>
        public int WithoutStages { get; }

        public int CountedOut => NoHistory + Reopened + WithoutStages;

        /// <summary>"7 won deal(s) counted, 3 counted out (1 with no history, 1 reopened, 1 with history from before stages were recorded)".</summary>
        public string Describe()
        {
            var text = $"{N(Counted)} won deal(s) counted, {N(CountedOut)} counted out";
            var why = new List<string>();
            if (NoHistory > 0) why.Add($"{N(NoHistory)} with no history");
            if (Reopened > 0) why.Add($"{N(Reopened)} reopened");
            if (WithoutStages > 0) why.Add($"{N(WithoutStages)} with history from before stages were recorded");
            return why.Count == 0 ? text : $"{text} ({string.Join(", ", why)})";
        }

        /// <summary>The medians of <paramref name="wonDeals"/>, each deal's history rows in any order.</summary>
        public static WonStageMedians Compute(IEnumerable<IReadOnlyCollection<StageHistoryRow>> wonDeals)
        {
            var days = new Dictionary<int, List<int>>();
            int counted = 0, noHistory = 0, reopened = 0, withoutStages = 0;
            foreach (var deal in wonDeals)
            {
                var rows = deal.OrderBy(r => r.RecordedOn).ToList();
                if (rows.Count == 0)
                {
                    noHistory++;
                    continue;
                }

                var closes = rows.Where(r => r.IsClose).ToList();
                if (closes.Count > 1 || (closes.Count == 1 && (!closes[0].Won || rows.Any(r => r.RecordedOn > closes[0].RecordedOn))))
                {
                    reopened++;
                    continue;
                }

                var stays = closes.Count == 1 && rows.All(r => r.Stage != null && r.StageEnteredOn != null) ? Stays(rows, closes[0].RecordedOn) : null;
                if (stays == null)
                {
                    withoutStages++;
                    continue;
                }

                counted++;
                foreach (var stay in stays)
                {
                    if (!days.TryGetValue(stay.Key, out var list)) days.Add(stay.Key, list = new List<int>());
                    list.Add(stay.Value);
                }
            }

            var byStage = days.ToDictionary(d => d.Key, d => new StageBenchmark(Median(d.Value), d.Value.Count));
            return new WonStageMedians(byStage, counted, noHistory, reopened, withoutStages);
        }

        /// <summary>Days per stage of one deal: each stay from its entry to the next entry, or to the close; null when a stay would end before it began.</summary>
        private static Dictionary<int, int>? Stays(IReadOnlyList<StageHistoryRow> rows, DateTime closedOn)
        {
            var entries = rows.Select(r => new KeyValuePair<int, DateTime>(r.Stage!.Value, r.StageEnteredOn!.Value)).Distinct()
                .OrderBy(e => e.Value).ToList();
            var stays = new Dictionary<int, int>();
            for (var i = 0; i < entries.Count; i++)
            {
                var end = i + 1 < entries.Count ? entries[i + 1].Value : closedOn;
                var length = (end.Date - entries[i].Value.Date).Days;
                if (length < 0) return null;
                stays[entries[i].Key] = (stays.TryGetValue(entries[i].Key, out var before) ? before : 0) + length;
            }

            return stays;
        }

        /// <summary>The middle value; of an even count, the mean of the two middle values, a half rounded up.</summary>
        private static int Median(List<int> values)
        {
            values.Sort();
            var mid = values.Count / 2;
            return values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid] + 1) / 2;
        }

        private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
    }
}
