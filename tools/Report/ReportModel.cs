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
    IReadOnlyList<ManagerActionRow> ManagerActions);

/// <summary>
/// One deal. Levels are strings: "Unknown", "Low", "Medium", "High", "Critical". State: "Open", "Won", "Lost".
/// <paramref name="MarginPercent"/> is in percent (23.5 means 23.5 %).
/// </summary>
public sealed record DealRow(Guid Id, string Name, string Owner, string Manager, string BusinessUnit,
    DateTime? EstimatedClose, decimal? Revenue, decimal? MarginPercent,
    string Overall, string Margin, string Resource, string Fit, string Forecast,
    int Score, IReadOnlyList<string> Reasons, bool Approved, string State);

/// <summary>One risk alert sent to a recipient, and what became of it.</summary>
public sealed record AlertRow(string Deal, string Recipient, string Level, string Status, DateTime RaisedOnUtc, int EscalationLevel, string? Resolution);

/// <summary>One change to a deal's forecast (date slipped, revenue changed, ...).</summary>
public sealed record ForecastChangeRow(string Deal, string Owner, DateTime OnUtc, string Kind, string Detail);

/// <summary>Demand against capacity for one role in one month.</summary>
public sealed record UtilisationRow(string Role, DateTime Month, decimal DemandHours, decimal CapacityHours);

/// <summary>Which findings preceded lost deals: of the closed deals that carried this finding, how many were won/lost.</summary>
public sealed record FindingOutcomeRow(string Finding, int Won, int Lost);

/// <summary>Whether a threshold separates good deals from bad: closed deals per band of a measure (e.g. "Margin %" band "&lt; 10%").</summary>
public sealed record ThresholdBandRow(string Measure, string Band, int Won, int Lost);

/// <summary>What managers did with their alerts.</summary>
public sealed record ManagerActionRow(string Manager, int Received, int Acknowledged, int Resolved, int Escalated, double? MedianHoursToAcknowledge);
