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
    }
}
