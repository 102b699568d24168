using System;
using System.Collections.Generic;

namespace CrmPlugins.Report;

/// <summary>Everything one report shows. Lists may be empty; the renderer never needs more than this.</summary>
public sealed record RiskReport(
    string Title, string Source, DateTime GeneratedOnUtc,
    IReadOnlyList<DealRow> Deals,
    IReadOnlyList<AlertRow> Alerts,
    IReadOnlyList<ForecastChangeRow> ForecastChanges,
    IReadOnlyList<UtilisationRow> Utilisation,
    IReadOnlyList<FindingOutcomeRow> FindingOutcomes,
    IReadOnlyList<ThresholdBandRow> ThresholdBands,
    IReadOnlyList<ManagerActionRow> ManagerActions)
{
    /// <summary>The closed deals of the period, in one line of figures (null: no analysis was run).</summary>
    public OutcomeSummary? Outcomes { get; init; }

    /// <summary>What the threshold check suggests (never applied by the suite itself).</summary>
    public IReadOnlyList<ThresholdSuggestion> Suggestions { get; init; } = Array.Empty<ThresholdSuggestion>();

    /// <summary>Leading indicators (open pipeline risk, slips, manager actions now) beside trailing ones (won/lost revenue, realised margin).</summary>
    public IReadOnlyList<IndicatorRow> Indicators { get; init; } = Array.Empty<IndicatorRow>();

    /// <summary>Coaching per manager and per rep per quarter beside the same people's closed deals.</summary>
    public IReadOnlyList<CoachingRow> Coaching { get; init; } = Array.Empty<CoachingRow>();
}

/// <summary>
/// A person's coaching in a quarter (Role "Manager": what they held; "Rep": what they received) beside the deals of theirs
/// (a manager's: their reps') that closed in the quarter. Hours count the sessions with a duration; the others are counted
/// in <paramref name="SessionsWithoutDuration"/>. Slipped: closed deals whose close date had moved; Slips: all the moves.
/// </summary>
public sealed record CoachingRow(string Role, string Person, string Quarter, int Sessions, decimal Hours, int SessionsWithoutDuration,
    int PreBriefs, int Debriefs, int DealReviews, int Closed, int Won, decimal LostValue, int Slipped, int Slips)
{
    public bool IsSmallSample => Closed < FindingOutcomeRow.SmallSample;
}

/// <summary>
/// Closed deals of a period: how many, won and lost, the revenue of each, the realised margin of the won ones, and the
/// deals that closed with no risk history (closed before the suite was installed), counted apart, never dropped.
/// </summary>
public sealed record OutcomeSummary(string Period, int Closed, int Won, int Lost, decimal WonRevenue, decimal LostValue, decimal? RealisedMarginPercent, int ClosedWithoutHistory, int Reopened);

/// <summary>A threshold of the policy, its current value and what the closed deals suggest about it.</summary>
public sealed record ThresholdSuggestion(string Threshold, decimal Current, string Suggestion);

/// <summary>One indicator: Kind is "Leading" or "Trailing".</summary>
public sealed record IndicatorRow(string Kind, string Indicator, string Value);

/// <summary>
/// One deal. Levels are strings: "Unknown", "Low", "Medium", "High", "Critical". State: "Open", "Won", "Lost".
/// <paramref name="MarginPercent"/> is in percent (23.5 means 23.5 %).
/// </summary>
public sealed record DealRow(Guid Id, string Name, string Owner, string Manager, string BusinessUnit,
    DateTime? EstimatedClose, decimal? Revenue, decimal? MarginPercent,
    string Overall, string Margin, string Resource, string Fit, string Forecast,
    int Score, IReadOnlyList<string> Reasons, bool Approved, string State)
{
    /// <summary>
    /// The level of each check, in the order the suite shows them (a column each in the deals table). By default the
    /// four shipped checks from the positional levels; a deal judged by more checks lists them all.
    /// </summary>
    public IReadOnlyList<CheckLevelRow> Checks { get; init; } =
        [new("Margin", Margin), new("Resource", Resource), new("Fit", Fit), new("Forecast", Forecast)];

    /// <summary>What clears the findings, one line each (the verdict's dr_riskfixes), shown under the reasons of a flagged deal.</summary>
    public IReadOnlyList<string> Fixes { get; init; } = [];
}

/// <summary>The level (a string as in <see cref="DealRow"/>) one check gave a deal.</summary>
public sealed record CheckLevelRow(string Check, string Level);

/// <summary>One risk alert sent to a recipient, and what became of it.</summary>
public sealed record AlertRow(string Deal, string Recipient, string Level, string Status, DateTime RaisedOnUtc, int EscalationLevel, string? Resolution);

/// <summary>One change to a deal's forecast (date slipped, revenue changed, ...).</summary>
public sealed record ForecastChangeRow(string Deal, string Owner, DateTime OnUtc, string Kind, string Detail);

/// <summary>Demand against capacity for one role in one month.</summary>
public sealed record UtilisationRow(string Role, DateTime Month, decimal DemandHours, decimal CapacityHours);

/// <summary>Which findings preceded lost deals: of the closed deals that carried this finding, how many were won/lost.</summary>
/// <paramref name="Dimension"/> says what the row groups by: "Finding" or "Overall risk at close"; a group of fewer than
/// <see cref="SmallSample"/> deals is a small sample and is shown as such.
public sealed record FindingOutcomeRow(string Finding, int Won, int Lost, string Dimension = "Finding", decimal LostValue = 0m, decimal? RealisedMarginPercent = null)
{
    public const int SmallSample = 5;

    public int Deals => Won + Lost;

    public bool IsSmallSample => Deals < SmallSample;
}

/// <summary>Whether a threshold separates good deals from bad: closed deals per band of a measure (e.g. "Margin %" band "&lt; 10%").</summary>
/// <paramref name="Current"/> is the policy's value of the threshold the measure is checked against.
public sealed record ThresholdBandRow(string Measure, string Band, int Won, int Lost, decimal? RealisedMarginPercent = null, decimal? Current = null)
{
    public bool IsSmallSample => Won + Lost < FindingOutcomeRow.SmallSample;
}

/// <summary>What managers did with their alerts.</summary>
/// <paramref name="ActionsByKind"/> counts what the manager recorded on acknowledging (coached the rep, held a deal review, ...);
/// ActedOn*/Ignored* compare how the deals ended when the manager acted on the alert and when nobody did.
/// <paramref name="LeftCompany"/>: the manager's user is disabled (kept and labelled, never dropped).
public sealed record ManagerActionRow(string Manager, int Received, int Acknowledged, int Resolved, int Escalated, double? MedianHoursToAcknowledge,
    IReadOnlyDictionary<string, int>? ActionsByKind = null, int ActedOnWon = 0, int ActedOnLost = 0, int IgnoredWon = 0, int IgnoredLost = 0, bool LeftCompany = false);
