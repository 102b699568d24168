namespace DealRisk.Plugins.Schema
{
    /// <summary>opportunityproduct: the deal's product lines.</summary>
    public static class OpportunityProduct
    {
        public const string EntityName = "opportunityproduct";
        public const string Id = "opportunityproductid";
        public const string OpportunityId = "opportunityid";
        public const string ProductId = "productid";
        public const string ProductDescription = "productdescription";
        public const string IsProductOverridden = "isproductoverridden";
        public const string Quantity = "quantity";
        public const string BaseAmountBase = "baseamount_base";
        public const string ExtendedAmountBase = "extendedamount_base";
        public const string TaxBase = "tax_base";
    }

    /// <summary>product: cost and delivery effort per unit.</summary>
    public static class Product
    {
        public const string EntityName = "product";
        public const string Id = "productid";
        public const string Name = "name";
        public const string CurrentCostBase = "currentcost_base";
        public const string DeliveryHoursPerUnit = "dr_deliveryhoursperunit";
        public const string DeliveryRole = "dr_deliveryrole";
    }

    /// <summary>dr_requirement: what the customer asked for, and how the solution fits it.</summary>
    public static class Requirement
    {
        public const string EntityName = "dr_requirement";
        public const string Id = "dr_requirementid";
        public const string Name = "dr_name";
        public const string OpportunityId = "dr_opportunityid";
        public const string Priority = "dr_priority";
        public const string Fit = "dr_fit";
        public const string EffortHours = "dr_efforthours";
        public const string Role = "dr_role";
        public const string Quoted = "dr_quoted";
    }

    /// <summary>dr_resourceallocation: hours of a role booked for the deal, to a named person or team.</summary>
    public static class ResourceAllocation
    {
        public const string EntityName = "dr_resourceallocation";
        public const string Id = "dr_resourceallocationid";
        public const string Name = "dr_name";
        public const string OpportunityId = "dr_opportunityid";
        public const string Role = "dr_role";
        public const string Hours = "dr_hours";
        public const string UserId = "dr_userid";
        public const string TeamId = "dr_teamid";
        public const string Start = "dr_start";
    }

    /// <summary>dr_capacity: hours a role can deliver in a month.</summary>
    public static class Capacity
    {
        public const string EntityName = "dr_capacity";
        public const string Id = "dr_capacityid";
        public const string Name = "dr_name";
        public const string Role = "dr_role";
        public const string Month = "dr_month";
        public const string Hours = "dr_hours";
    }

    /// <summary>
    /// dr_demandentry: the demand ledger. Weighted delivery hours of open deals per role and the day their delivery starts
    /// (empty for a deal without a close date: it starts today). Saves append change rows; the daily sweep folds the active
    /// rows of a role and day into one. Written only by the suite, as SYSTEM (docs/performance.md, "The demand ledger").
    /// </summary>
    public static class DemandEntryTable
    {
        public const string EntityName = "dr_demandentry";
        public const string Id = "dr_demandentryid";
        public const string Name = "dr_name";
        public const string Role = "dr_role";
        public const string Day = "dr_day";
        public const string WeightedHours = "dr_weightedhours";
        public const string StateCode = "statecode";
        public const string StatusCode = "statuscode";
        public const string CreatedOn = "createdon";
    }

    /// <summary>dr_riskpolicy: the thresholds; one default row and optional rows for a business unit or team.</summary>
    public static class RiskPolicyTable
    {
        public const string EntityName = "dr_riskpolicy";
        public const string Id = "dr_riskpolicyid";
        public const string Name = "dr_name";
        public const string StateCode = "statecode";
        public const string BusinessUnitId = "dr_businessunitid";
        public const string TeamId = "dr_teamid";
        public const string MarginWarningPercent = "dr_marginwarningpercent";
        public const string MarginCriticalPercent = "dr_margincriticalpercent";
        public const string MaxDiscountPercent = "dr_maxdiscountpercent";
        public const string CommissionPercent = "dr_commissionpercent";
        public const string HourlyCost = "dr_hourlycost";
        public const string UnquotedEffortWarningHours = "dr_unquotedeffortwarninghours";
        public const string UnquotedEffortCriticalHours = "dr_unquotedeffortcriticalhours";
        public const string LateSalesStage = "dr_latesalesstage";
        public const string AllocationLeadDays = "dr_allocationleaddays";
        public const string DeliveryWindowDays = "dr_deliverywindowdays";
        public const string UtilisationWarningPercent = "dr_utilisationwarningpercent";
        public const string UtilisationCriticalPercent = "dr_utilisationcriticalpercent";
        public const string SlipWarningCount = "dr_slipwarningcount";
        public const string SlipCriticalCount = "dr_slipcriticalcount";
        public const string AmountDropWarningPercent = "dr_amountdropwarningpercent";
        public const string MarginDropWarningPoints = "dr_margindropwarningpoints";
        public const string ProbabilityCutWarningPoints = "dr_probabilitycutwarningpoints";
        public const string ForecastLookbackDays = "dr_forecastlookbackdays";
        public const string AlertLevel = "dr_alertlevel";
        public const string EscalationHours = "dr_escalationhours";
        public const string EscalationUserId = "dr_escalationuserid";
        public const string EscalationTeamId = "dr_escalationteamid";
        public const string ProductCostIncludesDelivery = "dr_productcostincludesdelivery";
        public const string SlipLongDays = "dr_sliplongdays";
        public const string SlipOutOfQuarterLevel = "dr_slipoutofquarterlevel";
        public const string MissingFactsDays = "dr_missingfactsdays";
        public const string MissingFactsLateLevel = "dr_missingfactslatelevel";
        public const string InactivityDays = "dr_inactivitydays";
        public const string StageMaxDays = "dr_stagemaxdays";
        public const string StageGates = "dr_stagegates";

        /// <summary>The org's won deals' median days per stage ("Develop=20 (31)"), written by the daily sweep from the risk history.</summary>
        public const string WonStageDays = "dr_wonstagedays";
    }

    /// <summary>systemuser and team columns the suite reads.</summary>
    public static class SystemUser
    {
        public const string EntityName = "systemuser";
        public const string Id = "systemuserid";
        public const string FullName = "fullname";
        public const string ParentSystemUserId = "parentsystemuserid";
        public const string BusinessUnitId = "businessunitid";
        public const string IsDisabled = "isdisabled";
    }

    /// <summary>transactioncurrency: a currency of the organization, its rate to the base currency.</summary>
    public static class TransactionCurrency
    {
        public const string EntityName = "transactioncurrency";
        public const string ExchangeRate = "exchangerate";
    }

    public static class Team
    {
        public const string EntityName = "team";
        public const string Id = "teamid";
        public const string Name = "name";
        public const string AdministratorId = "administratorid";
        public const string BusinessUnitId = "businessunitid";
    }
}

namespace DealRisk.Plugins.Schema
{
    /// <summary>dr_riskalert: an alert to a manager about a flagged deal, and what the manager did.</summary>
    public static class RiskAlert
    {
        public const string EntityName = "dr_riskalert";
        public const string Id = "dr_riskalertid";
        public const string Name = "dr_name";
        public const string StateCode = "statecode";
        public const string OpportunityId = "dr_opportunityid";
        public const string OwnerId = "ownerid";
        public const string Level = "dr_level";
        public const string Reasons = "dr_reasons";
        public const string RecipientId = "dr_recipientid";
        public const string Status = "dr_status";
        public const string RaisedOn = "dr_raisedon";
        public const string LastRaisedOn = "dr_lastraisedon";
        public const string AcknowledgedOn = "dr_acknowledgedon";
        public const string ResolvedOn = "dr_resolvedon";
        public const string Resolution = "dr_resolution";
        public const string EscalationLevel = "dr_escalationlevel";
        public const string EscalatedOn = "dr_escalatedon";
        public const string OriginalRecipientId = "dr_originalrecipientid";
        public const string Response = "dr_response";
        public const string ResponseNote = "dr_responsenote";
        public const string RespondedOn = "dr_respondedon";
        public const string RespondedBy = "dr_respondedbyid";
        public const string ResponseMinutes = "dr_responseminutes";
    }

    /// <summary>appnotification: Dataverse's in-app notification (values from Microsoft's "Send in-app notifications").</summary>
    public static class AppNotification
    {
        public const string EntityName = "appnotification";
        public const string Title = "title";
        public const string Body = "body";
        public const string OwnerId = "ownerid";
        public const string IconType = "icontype";
        public const string ToastType = "toasttype";
        public const string Priority = "priority";
        public const string Data = "data";
        public const int IconWarning = 100000003;
        public const int IconFailure = 100000002;
        public const int ToastTimed = 200000000;
        public const int PriorityNormal = 200000000;
        public const int PriorityHigh = 200000001;
    }
}

namespace DealRisk.Plugins.Schema
{
    /// <summary>dr_riskhistory: one row per change of a deal's verdict or sales stage, and one when it closes.</summary>
    public static class RiskHistory
    {
        public const string EntityName = "dr_riskhistory";
        public const string Id = "dr_riskhistoryid";
        public const string Name = "dr_name";
        public const string OpportunityId = "dr_opportunityid";
        public const string Kind = "dr_kind";
        public const string RecordedOn = "dr_recordedon";
        public const string OverallRisk = "dr_overallrisk";
        public const string MarginRisk = "dr_marginrisk";
        public const string ResourceRisk = "dr_resourcerisk";
        public const string FitRisk = "dr_fitrisk";
        public const string ForecastRisk = "dr_forecastrisk";
        public const string RiskScore = "dr_riskscore";
        public const string FindingCodes = "dr_findingcodes";
        public const string Reasons = "dr_reasons";
        public const string ChangedBy = "dr_changedbyid";
        public const string Trigger = "dr_trigger";
        public const string Outcome = "dr_outcome";
        public const string ActualRevenue = "dr_actualrevenue";
        public const string MarginPercentAtClose = "dr_marginpercentatclose";
        public const string FindingsEverCarried = "dr_findingsevercarried";
        public const string SourceVersion = "dr_sourceversion";
        public const string SalesStage = "dr_salesstage";
        public const string StageEnteredOn = "dr_stageenteredon";

        /// <summary>dr_historykind: a change of the verdict, or the deal's close.</summary>
        public const int KindChange = OptionSets.Prefix;
        public const int KindClose = OptionSets.Prefix + 1;

        /// <summary>dr_dealoutcome: Won, Lost.</summary>
        public const int OutcomeWon = OptionSets.Prefix;
        public const int OutcomeLost = OptionSets.Prefix + 1;
    }
}

namespace DealRisk.Plugins.Schema
{
    /// <summary>dr_coachingsession: an activity a manager records with a rep (coaching, a pre-brief, a debrief, a deal review).</summary>
    public static class CoachingSession
    {
        public const string EntityName = "dr_coachingsession";
        public const string Id = "activityid";
        public const string Subject = "subject";
        public const string Kind = "dr_kind";
        public const string DurationMinutes = "actualdurationminutes";
        public const string HeldOn = "scheduledstart";
        public const string OpportunityId = "dr_opportunityid";
        public const string RepId = "dr_repid";
        public const string Description = "description";
        public const string OwnerId = "ownerid";

        /// <summary>dr_coachingkind: Coaching session, Pre-brief, Debrief, Deal review.</summary>
        public const int KindCoaching = OptionSets.Prefix;
        public const int KindPreBrief = OptionSets.Prefix + 1;
        public const int KindDebrief = OptionSets.Prefix + 2;
        public const int KindDealReview = OptionSets.Prefix + 3;
    }
}
