using System;

namespace DealRisk.Risk
{
    /// <summary>A change of the forecast detected on a save: a leading indicator, recorded with its date.</summary>
    public sealed class ForecastChange
    {
        public ForecastChange(DateTime on, string code, RiskLevel level, string text)
        {
            On = on.Date;
            Code = code;
            Level = level;
            Text = text;
        }

        public DateTime On { get; }

        public string Code { get; }

        public RiskLevel Level { get; }

        public string Text { get; }
    }
}
