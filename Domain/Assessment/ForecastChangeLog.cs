using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DealRisk.Risk
{
    /// <summary>
    /// The deal's record of forecast changes, kept in one text column: one change a line,
    /// "yyyy-MM-dd|CODE|Level|text". Lines that do not parse are kept as they are but ignored.
    /// </summary>
    public static class ForecastChangeLog
    {
        /// <summary>How many changes the log keeps (the oldest go first).</summary>
        public const int Capacity = 50;

        public static IList<ForecastChange> Parse(string? text)
        {
            var changes = new List<ForecastChange>();
            if (string.IsNullOrWhiteSpace(text)) return changes;
            foreach (var line in text!.Split(new[] { '\n' }, StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = line.TrimEnd('\r').Split(new[] { '|' }, 4);
                if (parts.Length != 4) continue;
                if (!DateTime.TryParseExact(parts[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var on)) continue;
                if (!Enum.TryParse(parts[2], out RiskLevel level)) continue;
                changes.Add(new ForecastChange(on, parts[1], level, parts[3]));
            }

            return changes;
        }

        /// <summary>The log text with the new changes appended (keeping the last <see cref="Capacity"/>).</summary>
        public static string Append(string? text, IEnumerable<ForecastChange> changes)
        {
            var lines = string.IsNullOrWhiteSpace(text)
                ? new List<string>()
                : text!.Split(new[] { '\n' }, StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
            lines.AddRange(changes.Select(c => string.Join("|", Format.Date(c.On), c.Code, c.Level.ToString(), c.Text.Replace("\n", " ").Replace("|", "/"))));
            return string.Join("\n", lines.Skip(Math.Max(0, lines.Count - Capacity)));
        }
    }
}
