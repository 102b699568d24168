using System.Collections.Generic;
using System.Linq;

namespace DealRisk.Plugins.Schema
{
    /// <summary>The opportunity table: the standard columns the suite reads and the dr_ columns it owns.</summary>
    public static class Opportunity
    {
        public const string EntityName = "opportunity";
        public const string Id = "opportunityid";
        public const string Name = "name";
        public const string StateCode = "statecode";
        public const string StatusCode = "statuscode";
        public const string OwnerId = "ownerid";
        public const string OwningBusinessUnit = "owningbusinessunit";
        public const string EstimatedValue = "estimatedvalue";
        public const string EstimatedValueBase = "estimatedvalue_base";
        public const string EstimatedCloseDate = "estimatedclosedate";
        public const string CloseProbability = "closeprobability";
        public const string SalesStage = "salesstage";
        public const string ForecastCategory = "msdyn_forecastcategory";
        public const string ExchangeRate = "exchangerate";
        public const string TransactionCurrencyId = "transactioncurrencyid";
        public const string ActualValue = "actualvalue";
        public const string ActualCloseDate = "actualclosedate";
        public const string DiscountAmount = "discountamount";
        public const string DiscountPercentage = "discountpercentage";

        // Inputs the suite adds.
        public const string EstimatedCostOfSale = "dr_estimatedcostofsale";

        // The verdict: written only by the suite.
        public const string MarginAmount = "dr_marginamount";
        public const string MarginPercent = "dr_marginpercent";
        public const string MarginRisk = "dr_marginrisk";
        public const string ResourceRisk = "dr_resourcerisk";
        public const string FitRisk = "dr_fitrisk";
        public const string ForecastRisk = "dr_forecastrisk";
        public const string OverallRisk = "dr_overallrisk";
        public const string RiskScore = "dr_riskscore";
        public const string RiskReasons = "dr_riskreasons";
        public const string RiskFindingCodes = "dr_riskfindingcodes";
        public const string RiskEvaluatedOn = "dr_riskevaluatedon";
        public const string UnquotedEffortHours = "dr_unquotedefforthours";
        public const string UnquotedEffortCost = "dr_unquotedeffortcost";
        public const string PeakUtilisation = "dr_peakutilisation";
        public const string CloseDateSlipCount = "dr_closedateslipcount";
        public const string CloseDateSlipDays = "dr_closedateslipdays";
        public const string ForecastChangeLog = "dr_forecastchangelog";
        public const string RiskPolicyUsed = "dr_riskpolicyused";
        public const string RiskFixes = "dr_riskfixes";

        /// <summary>
        /// What the deal last posted to the demand ledger (<see cref="DemandEntryTable"/>), in <c>DemandPosting</c>'s text: its next
        /// judgement posts only the difference. Owned by the suite like the verdict.
        /// </summary>
        public const string DemandPosted = "dr_demandposted";

        /// <summary>Set by the child-row plugins to ask for a re-evaluation (its value is the time of the request).</summary>
        public const string RiskRecalculationRequestedOn = "dr_riskrecalcrequestedon";

        /// <summary>Set by the daily sweep (dr_RunRiskSweep) on each open deal it re-judges: the time of the sweep.</summary>
        public const string LastSweepOn = "dr_lastsweepon";

        /// <summary>When the deal entered its current sales stage (written by the suite when the stage changes).</summary>
        public const string StageEnteredOn = "dr_stageenteredon";

        /// <summary>
        /// The sales stage the suite judged the deal in: its process bar's when it runs one in a sales stage, else salesstage.
        /// The risk history records and watches this column, because moving the bar leaves salesstage as it was.
        /// </summary>
        public const string JudgedStage = "dr_judgedstage";

        // The approval a manager sets to accept a known risk.
        public const string RiskApprovedBy = "dr_riskapprovedby";
        public const string RiskApprovedOn = "dr_riskapprovedon";

        /// <summary>
        /// The level column of each check of the domain's list (<c>RiskChecks</c>), by the check's name, in the order they
        /// are shown. A check without a column here reaches the verdict through the reasons, the codes, the overall level
        /// and the score.
        /// </summary>
        public static readonly IReadOnlyList<KeyValuePair<string, string>> CheckLevels = new[]
        {
            new KeyValuePair<string, string>("Margin", MarginRisk),
            new KeyValuePair<string, string>("Resource", ResourceRisk),
            new KeyValuePair<string, string>("Fit", FitRisk),
            new KeyValuePair<string, string>("Forecast", ForecastRisk),
        };

        /// <summary>Columns whose change changes the verdict: the filtering attributes of the update step.</summary>
        public static readonly string[] Inputs =
        {
            EstimatedValue, EstimatedCloseDate, CloseProbability, SalesStage, ForecastCategory, EstimatedCostOfSale,
            OwnerId, StateCode, RiskRecalculationRequestedOn, RiskApprovedBy, DiscountAmount, DiscountPercentage, LastSweepOn,
        };

        /// <summary>Every column the suite writes on the opportunity; a user's value in any of them is overwritten.</summary>
        public static readonly string[] Verdict =
        {
            MarginAmount, MarginPercent, MarginRisk, ResourceRisk, FitRisk, ForecastRisk, OverallRisk, RiskScore, RiskReasons,
            RiskFindingCodes, RiskEvaluatedOn, UnquotedEffortHours, UnquotedEffortCost, PeakUtilisation, CloseDateSlipCount,
            CloseDateSlipDays, ForecastChangeLog, RiskPolicyUsed, StageEnteredOn,
            RiskFixes, JudgedStage,
        };

        // Declared after Inputs and Verdict: static fields initialise in order.
        /// <summary>The update step's filtering attributes: a change of an input, of the approval, of the currency, or a
        /// value a user writes into a verdict column (which the step overwrites).</summary>
        public static readonly string[] JudgedOnChangeOf =
            Inputs.Concat(new[] { RiskApprovedOn, TransactionCurrencyId }).Concat(Verdict).Concat(OpportunitySalesProcess.GateColumns.Values).Distinct().OrderBy(c => c, System.StringComparer.Ordinal).ToArray();
    }

    /// <summary>Option values of the opportunity's standard choice columns.</summary>
    public static class OpportunityState
    {
        public const int Open = 0;
        public const int Won = 1;
        public const int Lost = 2;
    }
}
