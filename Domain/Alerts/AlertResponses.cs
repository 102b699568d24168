using System;
using System.Collections.Generic;

namespace DealRisk.Risk
{
    /// <summary>What a manager did about a risk alert (dr_alertresponse).</summary>
    public enum AlertResponse
    {
        CoachedRep = 0,
        DealReview = 1,
        AcceptedRisk = 2,
        RescopeOrRequote = 3,
        Dismissed = 4,
    }

    /// <summary>What a coaching activity was (dr_coachingkind, in this order).</summary>
    public enum CoachingKind
    {
        Coaching = 0,
        PreBrief = 1,
        Debrief = 2,
        DealReview = 3,
    }

    /// <summary>
    /// Who may respond to an alert and what a response does: only the alert's recipient, or a manager above them in the
    /// management chain, may record one; a dismissal needs a note saying why; a dismissal resolves the alert, any other
    /// response acknowledges it; accepting the risk also approves it on the deal.
    /// </summary>
    public static class AlertResponseRules
    {
        public static string Label(AlertResponse response) => response switch
        {
            AlertResponse.CoachedRep => "Coached the rep",
            AlertResponse.DealReview => "Held a deal review",
            AlertResponse.AcceptedRisk => "Accepted the risk",
            AlertResponse.RescopeOrRequote => "Asked for a re-scope or re-quote",
            AlertResponse.Dismissed => "Dismissed",
            _ => response.ToString(),
        };

        /// <summary>
        /// Why the response is refused, or null when it may be recorded. <paramref name="chainAboveRecipient"/> lists the
        /// recipient's manager, their manager, and so on; <paramref name="recipientName"/> is asked only for a refusal.
        /// </summary>
        public static string? Refusal(Guid actor, Guid? recipient, Func<string> recipientName, IReadOnlyCollection<Guid> chainAboveRecipient, AlertResponse response, string? note)
        {
            if (recipient is not Guid r)
                return "This alert has no recipient, so nobody can respond to it yet.";
            if (actor != r && !Contains(chainAboveRecipient, actor))
                return $"Only the alert's recipient ({recipientName()}) or a manager above them can respond to this alert.";
            if (response == AlertResponse.Dismissed && string.IsNullOrWhiteSpace(note))
                return "Say why you dismiss this alert in 'Response note', then save again.";
            return null;
        }

        /// <summary>
        /// The coaching a response records as an activity with the rep (so it counts with the coaching held outside alerts):
        /// coaching the rep is a coaching session, a deal review is a deal review; the other responses are not time with the rep.
        /// </summary>
        public static CoachingKind? CoachingLogged(AlertResponse response) => response switch
        {
            AlertResponse.CoachedRep => CoachingKind.Coaching,
            AlertResponse.DealReview => CoachingKind.DealReview,
            _ => null,
        };

        /// <summary>The alert status a response leaves: Dismissed resolves the alert, other responses acknowledge an open one.</summary>
        public static AlertStatus StatusAfter(AlertResponse response, AlertStatus current) =>
            response == AlertResponse.Dismissed ? AlertStatus.Resolved : current == AlertStatus.Open ? AlertStatus.Acknowledged : current;

        private static bool Contains(IReadOnlyCollection<Guid> ids, Guid id)
        {
            foreach (var x in ids)
                if (x == id) return true;
            return false;
        }
    }
}
