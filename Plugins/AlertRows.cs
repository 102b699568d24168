using System;
using System.Linq;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;

namespace DealRisk.Plugins
{
    // Compiled into both deployable assemblies (the sweep's escalation here, the workflow activities' AlertStore there).
    /// <summary>An alert row as the alert rules read it, and the in-app notification the suite sends about a deal.</summary>
    public static class AlertRows
    {
        public static OpenAlert ToRule(Entity alert) => new()
        {
            Level = OptionSets.RiskLevelOf(alert.GetAttributeValue<OptionSetValue>(RiskAlert.Level)?.Value) ?? RiskLevel.Unknown,
            Status = OptionSets.AlertStatusOf(alert.GetAttributeValue<OptionSetValue>(RiskAlert.Status)?.Value),
            RaisedOn = alert.GetAttributeValue<DateTime?>(RiskAlert.RaisedOn) ?? DateTime.MinValue,
            EscalationLevel = alert.GetAttributeValue<int?>(RiskAlert.EscalationLevel) ?? 0,
            EscalatedOn = alert.GetAttributeValue<DateTime?>(RiskAlert.EscalatedOn),
        };

        /// <summary>The change that escalates an alert one level up to <paramref name="recipient"/>, who also owns it from now.</summary>
        public static Entity Escalation(Guid alertId, EntityReference recipient, OpenAlert rule, DateTime now) => new(RiskAlert.EntityName, alertId)
        {
            [RiskAlert.RecipientId] = recipient,
            [RiskAlert.OwnerId] = recipient,
            [RiskAlert.EscalationLevel] = ColumnLimits.AlertEscalationLevel.Fit(rule.EscalationLevel + 1),
            [RiskAlert.EscalatedOn] = now,
        };

        /// <summary>The title of the notification an escalated alert's new recipient gets.</summary>
        public static string EscalationTitle(int escalationHours, Entity deal) =>
            $"Escalated, not acknowledged for {escalationHours} h: {deal.GetAttributeValue<string>(Opportunity.Name) ?? "(unnamed deal)"}";

        /// <summary>An appnotification to <paramref name="recipient"/>: the title, the first reason, and a button opening the deal.</summary>
        public static Entity Notification(Guid recipient, Guid dealId, RiskLevel level, string title, string reasons) => new(AppNotification.EntityName)
        {
            [AppNotification.Title] = title,
            [AppNotification.Body] = reasons.Split('\n').FirstOrDefault(l => l.Length > 0) ?? "",
            [AppNotification.OwnerId] = new EntityReference(SystemUser.EntityName, recipient),
            [AppNotification.IconType] = new OptionSetValue(level == RiskLevel.Critical ? AppNotification.IconFailure : AppNotification.IconWarning),
            [AppNotification.ToastType] = new OptionSetValue(AppNotification.ToastTimed),
            [AppNotification.Priority] = new OptionSetValue(level == RiskLevel.Critical ? AppNotification.PriorityHigh : AppNotification.PriorityNormal),
            [AppNotification.Data] = "{\"actions\":[{\"title\":\"Open the deal\",\"data\":{\"url\":\"?pagetype=entityrecord&etn=opportunity&id=" + dealId + "\",\"navigationTarget\":\"newWindow\"}}]}",
        };
    }
}
