using System;
using System.Collections.Generic;
using System.Linq;

namespace CrmPlugins.Report.Tests;

/// <summary>Reports to render in tests: a realistic quarter, an empty one, and hostile or extreme data.</summary>
public static class SampleReports
{
    public static readonly DateTime GeneratedOn = new(2025, 4, 1, 6, 30, 0, DateTimeKind.Utc);

    /// <summary>A fixed id per deal number, so the page is the same on every run.</summary>
    public static Guid DealId(int n) => new($"00000000-0000-4000-8000-{n:D12}");

    /// <summary>Twelve deals across three managers with every level, alerts, four months of utilisation for three roles, outcomes.</summary>
    public static RiskReport Quarter()
    {
        DealRow Deal(int n, string name, string owner, string manager, int closeMonth, decimal? revenue, decimal? margin,
            string overall, string marginLevel, string resource, string fit, string forecast, int score, string state, bool approved, params string[] reasons) =>
            new(DealId(n), name, owner, manager, "Consulting EMEA", new DateTime(2025, closeMonth, 15, 0, 0, 0, DateTimeKind.Utc), revenue, margin,
                overall, marginLevel, resource, fit, forecast, score, reasons, approved, state);

        var deals = new List<DealRow>
        {
            Deal(1, "Contoso ERP rollout", "Dana Reyes", "Alice Moreau", 5, 1_250_000m, 6.5m, "Critical", "Critical", "High", "Medium", "High", 92, "Open", false,
                "Margin 6.5% is below the 10% floor", "Architects over capacity in May (128%)", "Close date slipped 3 times"),
            Deal(2, "Fabrikam CRM upgrade", "Dana Reyes", "Alice Moreau", 6, 480_000m, 18.2m, "High", "Medium", "High", "Low", "Medium", 71, "Open", false,
                "Developers over capacity in June (112%)", "Margin 18.2% below the 20% target"),
            Deal(3, "Northwind data platform", "Sam Patel", "Alice Moreau", 4, 320_000m, 24.0m, "Medium", "Low", "Medium", "Low", "Low", 45, "Open", true,
                "Resource plan incomplete"),
            Deal(4, "Tailspin support renewal", "Sam Patel", "Alice Moreau", 3, 95_000m, 35.0m, "Low", "Low", "Low", "Low", "Low", 10, "Won", true),
            Deal(5, "Adventure Works analytics", "Lee Wong", "Ben Okafor", 5, 760_000m, 12.0m, "High", "High", "Medium", "Medium", "Medium", 68, "Open", false,
                "Margin 12.0% below the 20% target", "Industry outside core verticals"),
            Deal(6, "Litware migration", "Lee Wong", "Ben Okafor", 2, 210_000m, 8.0m, "High", "Critical", "Low", "Low", "Medium", 64, "Lost", false,
                "Margin 8.0% is below the 10% floor"),
            Deal(7, "Proseware portal", "Ines Costa", "Ben Okafor", 6, null, null, "Unknown", "Unknown", "Unknown", "Unknown", "Unknown", 0, "Open", false),
            Deal(8, "Wide World Importers POS", "Ines Costa", "Ben Okafor", 7, 150_000m, 27.5m, "Low", "Low", "Low", "Medium", "Low", 18, "Open", true,
                "Fit: new product line"),
            Deal(9, "Woodgrove Bank KYC", "Omar Haddad", "Chen Li", 5, 2_100_000m, 15.0m, "Critical", "Medium", "Critical", "High", "High", 95, "Open", false,
                "Developers over capacity in May (135%)", "Close date slipped twice", "Industry outside core verticals"),
            Deal(10, "Coho Winery e-shop", "Omar Haddad", "Chen Li", 3, 60_000m, 42.0m, "Low", "Low", "Low", "Low", "Low", 5, "Won", true),
            Deal(11, "Lucerne Publishing CMS", "Maya Berg", "Chen Li", 4, 180_000m, -2.5m, "Medium", "Critical", "Low", "Low", "Low", 50, "Lost", false,
                "Margin -2.5% is below the 10% floor"),
            Deal(12, "Trey Research lab system", "Maya Berg", "Chen Li", 6, 540_000m, 21.0m, "Medium", "Low", "Medium", "Medium", "Medium", 40, "Open", true,
                "Forecast revenue cut by 20%"),
        };

        var alerts = new List<AlertRow>
        {
            new("Contoso ERP rollout", "Alice Moreau", "Critical", "Acknowledged", At(3, 3, 9), 0, null),
            new("Contoso ERP rollout", "Head of Sales", "Critical", "Escalated", At(3, 5, 9), 1, null),
            new("Fabrikam CRM upgrade", "Alice Moreau", "High", "Resolved", At(3, 10, 14), 0, "Extra developer booked from July"),
            new("Adventure Works analytics", "Ben Okafor", "High", "Open", At(3, 20, 11), 0, null),
            new("Litware migration", "Ben Okafor", "High", "Resolved", At(2, 12, 8), 0, "Deal lost: price"),
            new("Woodgrove Bank KYC", "Chen Li", "Critical", "Acknowledged", At(3, 18, 16), 0, null),
            new("Woodgrove Bank KYC", "Head of Sales", "Critical", "Escalated", At(3, 21, 16), 1, null),
        };

        var changes = new List<ForecastChangeRow>
        {
            new("Contoso ERP rollout", "Dana Reyes", At(3, 2, 10), "Close date", "2025-04-15 → 2025-05-15"),
            new("Contoso ERP rollout", "Dana Reyes", At(3, 25, 10), "Close date", "2025-05-01 → 2025-05-15"),
            new("Woodgrove Bank KYC", "Omar Haddad", At(3, 14, 12), "Revenue", "1,800,000 → 2,100,000"),
            new("Trey Research lab system", "Maya Berg", At(3, 28, 15), "Revenue", "675,000 → 540,000"),
        };

        var utilisation = new List<UtilisationRow>();
        var roles = new (string Role, decimal Capacity, decimal[] Demand)[]
        {
            ("Architect", 640m, [520m, 600m, 820m, 610m]),
            ("Developer", 2400m, [2100m, 2300m, 3240m, 2690m]),
            ("Project manager", 480m, [300m, 360m, 410m, 380m]),
        };
        foreach (var (role, capacity, demand) in roles)
            for (var m = 0; m < demand.Length; m++)
                utilisation.Add(new UtilisationRow(role, new DateTime(2025, 4 + m, 1, 0, 0, 0, DateTimeKind.Utc), demand[m], capacity));

        var findings = new List<FindingOutcomeRow>
        {
            new("Margin below floor", 0, 2),
            new("Resource over capacity", 1, 1),
            new("Close date slipped", 1, 0),
            new("No finding", 2, 0),
        };
        var bands = new List<ThresholdBandRow>
        {
            new("Margin %", "< 10%", 0, 2),
            new("Margin %", "10–20%", 0, 0),
            new("Margin %", "≥ 20%", 2, 0),
            new("Peak utilisation", "≤ 100%", 2, 1),
            new("Peak utilisation", "> 100%", 0, 1),
        };
        var actions = new List<ManagerActionRow>
        {
            new("Alice Moreau", 2, 2, 1, 0, 5.5),
            new("Ben Okafor", 2, 1, 1, 0, 30.0),
            new("Chen Li", 1, 1, 0, 0, 2.0),
            new("Head of Sales", 2, 0, 0, 2, null),
        };

        return new RiskReport("Deal risk — Q2 2025", "Contoso Consulting (sample data)", GeneratedOn,
            deals, alerts, changes, utilisation, findings, bands, actions);
    }

    /// <summary>
    /// The quarter with the outcome analysis of the trailing year: 12 closed deals (7 won, 5 lost, 2 of them closed
    /// before the suite was installed, 1 reopened), grouped by risk at close and by finding (small samples among them),
    /// thresholds around their current value, suggestions, leading and trailing indicators, and managers' responses,
    /// one of them a manager who has left the company.
    /// </summary>
    public static RiskReport QuarterWithOutcomes()
    {
        const string atClose = "Overall risk at close";
        var findings = new List<FindingOutcomeRow>
        {
            new("Low", 5, 1, atClose, 95_000m, 31.2m),
            new("Medium", 1, 1, atClose, 180_000m, 22.0m),
            new("High", 0, 1, atClose, 210_000m, null),
            new("Critical", 0, 1, atClose, 640_000m, null),
            new("No history", 1, 1, atClose, 90_000m, 18.5m),
            new("No finding", 5, 0, "Finding", 0m, 30.8m),
            new("Margin below floor", 0, 3, "Finding", 1_030_000m, null),
            new("Resource over capacity", 1, 2, "Finding", 850_000m, 14.0m),
            new("Close date slipped", 1, 2, "Finding", 820_000m, 19.5m),
        };
        var bands = new List<ThresholdBandRow>
        {
            new("Margin % at close vs margin critical floor", "below 10%", 0, 3, null, 10m),
            new("Margin % at close vs margin critical floor", "10% to 20%", 1, 1, 14.0m, 10m),
            new("Margin % at close vs margin critical floor", "20% and above", 6, 1, 29.1m, 10m),
            new("Peak utilisation vs capacity limit", "100% and below", 6, 2, 27.9m, 100m),
            new("Peak utilisation vs capacity limit", "above 100%", 1, 3, 14.0m, 100m),
        };
        var actions = new List<ManagerActionRow>
        {
            new("Alice Moreau", 2, 2, 1, 0, 5.5, new Dictionary<string, int> { ["Coached the rep"] = 2, ["Held a deal review"] = 1 }, 3, 1, 0, 1),
            new("Ben Okafor", 2, 1, 1, 0, 30.0, new Dictionary<string, int> { ["Held a deal review"] = 1 }, 1, 1, 0, 1),
            new("Chen Li", 1, 1, 0, 0, 2.0, new Dictionary<string, int> { ["Re-planned resources"] = 1 }, 1, 0, 0, 0),
            new("Head of Sales", 2, 0, 0, 2, null),
            new("Marta Nowak", 3, 1, 1, 0, 52.0, new Dictionary<string, int> { ["Coached the rep"] = 1 }, 1, 0, 0, 2, LeftCompany: true),
        };

        return Quarter() with
        {
            FindingOutcomes = findings,
            ThresholdBands = bands,
            ManagerActions = actions,
            Outcomes = new OutcomeSummary("2024-04-01 to 2025-03-31", 12, 7, 5, 1_930_000m, 1_215_000m, 26.4m, 2, 1),
            Suggestions =
            [
                new ThresholdSuggestion("margin critical floor", 10m, "Keep it: all 3 deals closed at margin < 10% were lost, 1 of 2 between 10% and 20%."),
                new ThresholdSuggestion("capacity limit", 100m, "Consider 95%: 3 of 4 deals above 100% were lost (a small sample: no change implied)."),
            ],
            Indicators =
            [
                new IndicatorRow("Leading", "Open deals flagged High or Critical", "4 of 8 (4,590,000 revenue)"),
                new IndicatorRow("Leading", "Close dates slipped this quarter", "2"),
                new IndicatorRow("Leading", "Alerts still open", "1 of 7"),
                new IndicatorRow("Trailing", "Win rate", "7 of 12 (58.3%)"),
                new IndicatorRow("Trailing", "Revenue won", "1,930,000"),
                new IndicatorRow("Trailing", "Value lost", "1,215,000"),
                new IndicatorRow("Trailing", "Realised margin of won deals", "26.4%"),
            ],
        };
    }

    /// <summary>No rows at all.</summary>
    public static RiskReport Empty() => new("", "", GeneratedOn, [], [], [], [], [], [], []);

    /// <summary>The quarter with outcomes plus two deals whose names would run if they were not encoded (one of them flagged High), and a hostile suggestion, indicator and manager.</summary>
    public static RiskReport WithHostileDeals()
    {
        var quarter = QuarterWithOutcomes();
        var hostile = new[]
        {
            new DealRow(DealId(101), "<script>alert(1)</script>", "Mallory", "Alice Moreau", "BU", null, 1m, 1m,
                "High", "High", "Low", "Low", "Low", 70, ["<b>bold</b> reason"], false, "Open"),
            new DealRow(DealId(102), "<img src=x onerror=\"window.__pwned=1\">", "Mallory", "Ben Okafor", "BU", null, null, null,
                "Low", "Low", "Low", "Low", "Low", 1, [], false, "Open"),
        };
        return quarter with
        {
            Deals = quarter.Deals.Concat(hostile).ToList(),
            Suggestions = quarter.Suggestions.Append(new ThresholdSuggestion("<b>floor</b>", 1m, "<img src=x onerror=\"window.__pwned=2\">")).ToList(),
            Indicators = quarter.Indicators.Append(new IndicatorRow("Leading", "<script>window.__pwned=3</script>", "<i>1</i>")).ToList(),
            ManagerActions = quarter.ManagerActions.Append(new ManagerActionRow("<svg onload=\"window.__pwned=4\">", 1, 0, 0, 0, null,
                new Dictionary<string, int> { ["<u>kind</u>"] = 1 }, LeftCompany: true)).ToList(),
        };
    }

    private static DateTime At(int month, int day, int hour) => new(2025, month, day, hour, 0, 0, DateTimeKind.Utc);
}
