using System;
using DealRisk.Risk;
using NUnit.Framework;

namespace DealRisk.Plugins.Tests.Risk
{
    public class AlertRulesTests
    {
        private static readonly DateTime Now = new(2026, 11, 2, 9, 0, 0);

        [TestCase(RiskLevel.High, AlertAction.Create)]
        [TestCase(RiskLevel.Critical, AlertAction.Create)]
        [TestCase(RiskLevel.Medium, AlertAction.None)]
        [TestCase(RiskLevel.Unknown, AlertAction.None)]
        public void Decide_WithoutAnOpenAlert_CreatesOneFromTheAlertLevel(RiskLevel current, AlertAction expected) =>
            Assert.That(AlertRules.Decide(current, false, null, RiskLevel.High).Action, Is.EqualTo(expected));

        [TestCase(RiskLevel.High, RiskLevel.High, AlertAction.Refresh)]
        [TestCase(RiskLevel.Critical, RiskLevel.High, AlertAction.Refresh)]
        [TestCase(RiskLevel.High, RiskLevel.Critical, AlertAction.Raise)]
        [TestCase(RiskLevel.High, RiskLevel.Medium, AlertAction.Resolve)]
        public void Decide_WithAnOpenAlert_DeduplicatesRaisesOrResolves(RiskLevel alerted, RiskLevel current, AlertAction expected) =>
            Assert.That(AlertRules.Decide(current, false, new OpenAlert { Level = alerted, RaisedOn = Now }, RiskLevel.High).Action, Is.EqualTo(expected));

        [Test]
        public void Decide_WhenTheDealCloses_ResolvesTheOpenAlert()
        {
            var decision = AlertRules.Decide(RiskLevel.Critical, true, new OpenAlert { Level = RiskLevel.Critical }, RiskLevel.High);
            Assert.That(decision.Action, Is.EqualTo(AlertAction.Resolve));
            Assert.That(decision.Why, Is.EqualTo("The deal closed."));
        }

        [Test]
        public void Decide_HonoursAMinimumLevelAboveThePolicy()
        {
            Assert.That(AlertRules.Decide(RiskLevel.High, false, null, RiskLevel.Medium, RiskLevel.Critical).Action, Is.EqualTo(AlertAction.None));
            Assert.That(AlertRules.Decide(RiskLevel.Critical, false, null, RiskLevel.Medium, RiskLevel.Critical).Action, Is.EqualTo(AlertAction.Create));
        }

        [Test]
        public void IsStale_CountsFromTheLastEscalation_AndNeverForAcknowledgedAlerts()
        {
            var alert = new OpenAlert { RaisedOn = Now.AddHours(-50), EscalatedOn = Now.AddHours(-10) };
            Assert.That(AlertRules.IsStale(alert, Now, 48), Is.False);
            Assert.That(AlertRules.IsStale(alert, Now.AddHours(38), 48), Is.True);
            alert.Status = AlertStatus.Acknowledged;
            Assert.That(AlertRules.IsStale(alert, Now.AddDays(30), 48), Is.False);
        }
    }
}
