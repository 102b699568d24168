using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DealRisk.Cli.Reporting
{
    /// <summary>
    /// One coaching activity as the analysis sees it: who recorded it (the manager), the rep, when, how long (null: no
    /// duration was recorded; counted, never guessed) and its kind ("Coaching session", "Pre-brief", "Debrief", "Deal review").
    /// </summary>
    public sealed record CoachingRecord(string Manager, string Rep, DateTime HeldOn, int? Minutes, string Kind);

    /// <summary>
    /// A person's coaching in a calendar quarter beside the outcomes of the deals that closed in that quarter: a rep's own
    /// deals, a manager's reps' deals. Slipped: closed deals whose close date had moved at least once (a forecast that
    /// missed); Slips: all those moves.
    /// </summary>
    public sealed record CoachingFigures(string Role, string Person, string Quarter, int Sessions, decimal Hours, int SessionsWithoutDuration,
        int PreBriefs, int Debriefs, int DealReviews, int Closed, int Won, decimal LostValue, int Slipped, int Slips)
    {
        /// <summary>Fewer than <see cref="OutcomeAnalysis.SmallSample"/> closed deals: the outcomes beside the coaching say nothing.</summary>
        public bool IsSmallSample => Closed < OutcomeAnalysis.SmallSample;
    }

    /// <summary>
    /// Coaching hours and pre-/debriefs per manager and per rep per quarter, beside the win rate, value lost and slips of
    /// the same people's deals closed that quarter. The figures sit side by side; nothing here says one causes the other:
    /// the better reps may simply be coached more, or less, and a quarter holds few deals per person.
    /// </summary>
    public static class CoachingAnalysis
    {
        public const string PreBrief = "Pre-brief";
        public const string Debrief = "Debrief";
        public const string DealReview = "Deal review";

        /// <summary>"2026 Q3".</summary>
        public static string Quarter(DateTime on) => $"{on.Year.ToString(CultureInfo.InvariantCulture)} Q{(on.Month - 1) / 3 + 1}";

        /// <summary>
        /// Managers first, then reps; each by name, then quarter. A person appears for a quarter when they coached or were
        /// coached in it, or when deals of theirs closed in it (so the uncoached are there to compare with).
        /// </summary>
        public static IReadOnlyList<CoachingFigures> Figures(IReadOnlyCollection<CoachingRecord> sessions, IReadOnlyCollection<ClosedDeal> deals)
        {
            var rows = new List<CoachingFigures>();
            rows.AddRange(For("Manager", sessions, s => s.Manager, deals, d => d.OwnerManager));
            rows.AddRange(For("Rep", sessions, s => s.Rep, deals, d => d.Owner));
            return rows;
        }

        private static IEnumerable<CoachingFigures> For(string role, IReadOnlyCollection<CoachingRecord> sessions, Func<CoachingRecord, string> person,
            IReadOnlyCollection<ClosedDeal> deals, Func<ClosedDeal, string?> dealPerson)
        {
            var keys = sessions.Select(s => (Person: person(s), Quarter: Quarter(s.HeldOn)))
                .Concat(deals.Where(d => !string.IsNullOrEmpty(dealPerson(d))).Select(d => (Person: dealPerson(d)!, Quarter: Quarter(d.ClosedOn))))
                .Where(k => !string.IsNullOrEmpty(k.Person)).Distinct()
                .OrderBy(k => k.Person, StringComparer.Ordinal).ThenBy(k => k.Quarter, StringComparer.Ordinal);
            foreach (var (who, quarter) in keys)
            {
                var held = sessions.Where(s => person(s) == who && Quarter(s.HeldOn) == quarter).ToList();
                var closed = deals.Where(d => dealPerson(d) == who && Quarter(d.ClosedOn) == quarter).ToList();
                yield return new CoachingFigures(role, who, quarter, held.Count,
                    decimal.Round(held.Sum(s => s.Minutes ?? 0) / 60m, 1), held.Count(s => s.Minutes == null),
                    held.Count(s => s.Kind == PreBrief), held.Count(s => s.Kind == Debrief), held.Count(s => s.Kind == DealReview),
                    closed.Count, closed.Count(d => d.Won), closed.Where(d => !d.Won).Sum(d => d.Revenue),
                    closed.Count(d => d.SlipCount > 0), (int)closed.Sum(d => d.SlipCount ?? 0m));
            }
        }
    }
}
