using System.Collections.Generic;
using DealRisk.Risk;

namespace DealRisk.Plugins.Schema
{
    /// <summary>
    /// The suite's choice values. The publisher's option value prefix is 59870, so every value the suite
    /// defines is 598700000 + n (Dataverse's convention for a publisher's options).
    /// </summary>
    public static class OptionSets
    {
        public const int Prefix = 598700000;

        /// <summary>dr_risklevel (global): Unknown, Low, Medium, High, Critical.</summary>
        public static int RiskLevelValue(RiskLevel level) => Prefix + (int)level;

        public static RiskLevel? RiskLevelOf(int? value) =>
            value is int v && v >= Prefix && v <= Prefix + (int)RiskLevel.Critical ? (RiskLevel)(v - Prefix) : null;

        /// <summary>dr_requirementpriority (global): Must have, Should have, Nice to have.</summary>
        public static RequirementPriority PriorityOf(int? value) => value switch
        {
            Prefix => RequirementPriority.MustHave,
            Prefix + 2 => RequirementPriority.NiceToHave,
            _ => RequirementPriority.ShouldHave,
        };

        /// <summary>dr_requirementfit (global): Standard, Configuration, Customisation, Not supported, Unknown.</summary>
        public static RequirementFit FitOf(int? value) => value switch
        {
            Prefix => RequirementFit.Standard,
            Prefix + 1 => RequirementFit.Configuration,
            Prefix + 2 => RequirementFit.Customisation,
            Prefix + 3 => RequirementFit.NotSupported,
            _ => RequirementFit.Unknown,
        };

        public static int PriorityValue(RequirementPriority priority) => Prefix + (int)priority;

        public static int FitValue(RequirementFit fit) => Prefix + (int)fit;

        /// <summary>dr_deliveryrole (global): the delivery roles the suite ships with. Values an admin adds are named by value.</summary>
        public static readonly IReadOnlyDictionary<int, string> DeliveryRoles = new Dictionary<int, string>
        {
            [Prefix] = "Consultant",
            [Prefix + 1] = "Solution Architect",
            [Prefix + 2] = "Developer",
            [Prefix + 3] = "Project Manager",
            [Prefix + 4] = "Trainer",
            [Prefix + 5] = "Data Specialist",
        };

        public static string? RoleName(int? value) =>
            value is int v ? (DeliveryRoles.TryGetValue(v, out var name) ? name : "Role " + v) : null;

        /// <summary>The dr_deliveryrole value <see cref="RoleName"/> names (any case), or null for a name it never gives.</summary>
        public static int? RoleValue(string? name)
        {
            if (string.IsNullOrWhiteSpace(name)) return null;
            var trimmed = name!.Trim();
            foreach (var role in DeliveryRoles)
                if (string.Equals(role.Value, trimmed, System.StringComparison.OrdinalIgnoreCase)) return role.Key;
            return trimmed.StartsWith("Role ", System.StringComparison.OrdinalIgnoreCase) && int.TryParse(trimmed.Substring(5), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : (int?)null;
        }

        /// <summary>dr_alertstatus (global): Open, Acknowledged, Resolved.</summary>
        public static int AlertStatusValue(Risk.AlertStatus status) => Prefix + (int)status;

        public static Risk.AlertStatus AlertStatusOf(int? value) =>
            value is int v && v >= Prefix && v <= Prefix + 2 ? (Risk.AlertStatus)(v - Prefix) : Risk.AlertStatus.Open;

        /// <summary>dr_alertresponse (global): Coached the rep, Held a deal review, Accepted the risk, Asked for a re-scope or re-quote, Dismissed.</summary>
        public static int ResponseValue(Risk.AlertResponse response) => Prefix + (int)response;

        public static Risk.AlertResponse? ResponseOf(int? value) =>
            value is int v && v >= Prefix && v <= Prefix + (int)Risk.AlertResponse.Dismissed ? (Risk.AlertResponse)(v - Prefix) : null;

        /// <summary>msdyn_forecastcategory values (Pipeline, Best case, Committed, Omitted, Won, Lost) ranked by commitment.</summary>
        public static int? ForecastRank(int? value) => value switch
        {
            100000001 => 1,
            100000002 => 2,
            100000003 => 3,
            100000004 => 0,
            _ => null,
        };
    }
}
