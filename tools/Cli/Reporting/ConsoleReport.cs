using System;
using System.IO;
using System.Linq;
using CrmPlugins.Report;

namespace DealRisk.Cli.Reporting
{
    /// <summary>The report's essentials as plain text for the terminal.</summary>
    public static class ConsoleReport
    {
        /// <summary>
        /// The most rows a list shows on the terminal (the worst deals first); the rest are counted and left to the HTML report,
        /// which holds every one: an org of 100,000 deals would otherwise print half a million lines nobody reads.
        /// </summary>
        public const int ShownPerList = 50;

        public static void Write(RiskReport report, TextWriter o)
        {
            o.WriteLine();
            o.WriteLine("Pipeline (worst first)");
            o.WriteLine($"  {"Deal",-30} {"Owner",-12} {"State",-5} {"Overall",-8} {"Score",5} {"Margin",7}  Top reason");
            foreach (var d in report.Deals.Take(ShownPerList))
            {
                var margin = d.MarginPercent is decimal m ? m.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "%" : "?";
                var reason = ConsoleText.OneLine(d.Reasons.FirstOrDefault());
                if (reason.Length > 90) reason = reason[..87] + "...";
                o.WriteLine($"  {Cut(d.Name, 30),-30} {Cut(d.Owner, 12),-12} {d.State,-5} {d.Overall + (d.Approved ? "*" : ""),-8} {d.Score,5} {margin,7}  {reason}");
            }

            More(o, report.Deals.Count, "deals");
            if (report.Deals.Take(ShownPerList).Any(d => d.Approved)) o.WriteLine("  * a manager approved the known risk");
            o.WriteLine();
            o.WriteLine("What clears the flagged deals");
            var flagged = report.Deals.Where(d => d.Overall is "High" or "Critical" && d.State == "Open" && d.Fixes.Count > 0).ToList();
            if (flagged.Count == 0) o.WriteLine("  none");
            foreach (var d in flagged.Take(ShownPerList))
            {
                o.WriteLine($"  {ConsoleText.OneLine(d.Name)} ({d.Overall}):");
                foreach (var fix in d.Fixes) o.WriteLine("    " + ConsoleText.OneLine(fix));
            }

            More(o, flagged.Count, "flagged deals");

            o.WriteLine();
            o.WriteLine("Alerts by manager");
            if (report.Alerts.Count == 0) o.WriteLine("  none");
            var shown = 0;
            foreach (var group in report.Alerts.GroupBy(a => a.Recipient).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                if (shown == ShownPerList) break;
                o.WriteLine($"  {ConsoleText.OneLine(group.Key)}:");
                foreach (var a in group.Take(ShownPerList - shown))
                {
                    o.WriteLine($"    {a.Level,-8} {a.Status,-12} {ConsoleText.OneLine(a.Deal)}{(a.Resolution is { Length: > 0 } r ? " (" + ConsoleText.OneLine(r) + ")" : "")}");
                    shown++;
                }
            }

            More(o, report.Alerts.Count, "alerts");
            o.WriteLine();
            o.WriteLine("Forecast changes detected");
            if (report.ForecastChanges.Count == 0) o.WriteLine("  none");
            foreach (var c in report.ForecastChanges.Take(ShownPerList)) o.WriteLine($"  {c.OnUtc:yyyy-MM-dd} {Cut(c.Deal, 30),-30} {ConsoleText.OneLine(c.Detail)}");
            More(o, report.ForecastChanges.Count, "forecast changes");
        }

        private static void More(TextWriter o, int count, string what)
        {
            if (count > ShownPerList) o.WriteLine($"  ... and {count - ShownPerList:N0} more {what}: every one is in the HTML report.");
        }

        /// <summary>The outcome analysis: closed deals, win rate by risk at close and by finding (with counts), the threshold check and manager follow-through.</summary>
        public static void WriteOutcomes(RiskReport report, TextWriter o)
        {
            var inv = System.Globalization.CultureInfo.InvariantCulture;
            o.WriteLine();
            o.WriteLine("Outcomes of closed deals");
            if (report.Outcomes is not { Closed: > 0 } s)
            {
                o.WriteLine("  no closed deals yet");
                return;
            }

            o.WriteLine($"  {s.Period}: {s.Closed} closed, win rate {OutcomeAnalysis.WinRate(s.Won, s.Closed)}, won {s.WonRevenue.ToString("#,0", inv)}, lost {s.LostValue.ToString("#,0", inv)}" +
                $", realised margin {(s.RealisedMarginPercent is decimal m ? m.ToString("0.0", inv) + "%" : "unknown")}");
            if (s.ClosedWithoutHistory > 0) o.WriteLine($"  {s.ClosedWithoutHistory} closed with no risk history (closed before the suite was installed): counted apart");
            if (s.Reopened > 0) o.WriteLine($"  {s.Reopened} reopened after a close: their latest close counts");
            foreach (var dimension in report.FindingOutcomes.GroupBy(f => f.Dimension))
            {
                o.WriteLine($"  By {dimension.Key.ToLowerInvariant()}:");
                foreach (var f in dimension)
                    o.WriteLine($"    {Cut(f.Finding, 34),-34} lost {f.Lost} of {f.Deals}{(f.IsSmallSample ? " (small sample)" : "")}");
            }

            foreach (var suggestion in report.Suggestions) o.WriteLine("  Suggestion: " + suggestion.Suggestion);
            o.WriteLine("  Managers:");
            foreach (var mgr in report.ManagerActions)
                o.WriteLine($"    {ConsoleText.OneLine(mgr.Manager)}{(mgr.LeftCompany ? " (left)" : "")}: {mgr.Received} alerts, {mgr.Acknowledged} responded" +
                    $"{(mgr.MedianHoursToAcknowledge is double h ? $" (median {h.ToString("0", inv)} h)" : "")}; acted on: won {mgr.ActedOnWon}, lost {mgr.ActedOnLost}; ignored: won {mgr.IgnoredWon}, lost {mgr.IgnoredLost}");
        }

        /// <summary>Prints the report's essentials and writes the HTML report into <paramref name="output"/>; returns its path.</summary>
        public static string Publish(RiskReport report, string output, TextWriter log)
        {
            Write(report, log);
            WriteOutcomes(report, log);
            Directory.CreateDirectory(output);
            var path = Path.GetFullPath(Path.Combine(output, "deal-risk-report.html"));
            HtmlReport.Write(report, path);
            log.WriteLine();
            log.WriteLine("Report:   " + path);
            return path;
        }

        // A name from the data is one line on the terminal: a line break inside it would forge a row of the table.
        private static string Cut(string s, int n)
        {
            s = ConsoleText.OneLine(s);
            return s.Length <= n ? s : s[..(n - 1)] + "~";
        }
    }
}
