using System;

namespace DealRisk.Risk
{
    /// <summary>Where an alert stands (dr_alertstatus).</summary>
    public enum AlertStatus
    {
        Open = 0,
        Acknowledged = 1,
        Resolved = 2,
    }

    /// <summary>The open alert of a deal, as the alert rules need it.</summary>
    public sealed class OpenAlert
    {
        public RiskLevel Level { get; set; }

        public AlertStatus Status { get; set; } = AlertStatus.Open;

        public DateTime RaisedOn { get; set; }

        /// <summary>How many levels up the management chain the alert has gone (0: the first recipient).</summary>
        public int EscalationLevel { get; set; }

        public DateTime? EscalatedOn { get; set; }
    }

    public enum AlertAction
    {
        /// <summary>Nothing to do: no alert is due and none is open.</summary>
        None,
        /// <summary>Create an alert and notify the recipient.</summary>
        Create,
        /// <summary>Refresh the open alert (reasons) without notifying again: same or lower level.</summary>
        Refresh,
        /// <summary>The level rose: update the alert and notify again.</summary>
        Raise,
        /// <summary>The deal closed or its risk fell below the alert level: resolve the open alert.</summary>
        Resolve,
    }

    /// <summary>What to do about a deal's alert, and why (for the trace and the activity's output).</summary>
    public sealed class AlertDecision
    {
        public AlertDecision(AlertAction action, string why)
        {
            Action = action;
            Why = why;
        }

        public AlertAction Action { get; }

        public string Why { get; }
    }

    /// <summary>
    /// When managers hear about a deal: one open alert per deal; a repeat at the same or a lower level
    /// refreshes it quietly, a rise in level notifies again, and the alert resolves itself when the deal
    /// closes or its risk falls below the alert level. Unknown never alerts (it is not a known danger).
    /// </summary>
    public static class AlertRules
    {
        public static AlertDecision Decide(RiskLevel current, bool dealClosed, OpenAlert? open, RiskLevel alertLevel, RiskLevel? minimumLevel = null)
        {
            var threshold = minimumLevel is RiskLevel min && min > alertLevel ? min : alertLevel;
            if (dealClosed)
                return open == null ? new AlertDecision(AlertAction.None, "The deal is closed.") : new AlertDecision(AlertAction.Resolve, "The deal closed.");
            if (current == RiskLevel.Unknown || current < threshold)
                return open == null
                    ? new AlertDecision(AlertAction.None, $"Overall risk {current} is below the alert level {threshold}.")
                    : new AlertDecision(AlertAction.Resolve, $"Overall risk fell to {current}, below the alert level {threshold}.");
            if (open == null) return new AlertDecision(AlertAction.Create, $"Overall risk {current} reached the alert level {threshold}.");
            if (current > open.Level) return new AlertDecision(AlertAction.Raise, $"Overall risk rose from {open.Level} to {current}.");
            return new AlertDecision(AlertAction.Refresh, $"Overall risk {current} is already alerted (at {open.Level}).");
        }

        /// <summary>An open, unacknowledged alert is stale once it has waited <paramref name="escalationHours"/> since it was raised or last escalated.</summary>
        public static bool IsStale(OpenAlert alert, DateTime now, int escalationHours)
        {
            if (alert.Status != AlertStatus.Open || escalationHours <= 0) return false;
            var since = alert.EscalatedOn ?? alert.RaisedOn;
            return now - since >= TimeSpan.FromHours(escalationHours);
        }
    }
}
