using System.Collections.Generic;
using DealRisk.Risk;

namespace DealRisk.Plugins.Schema
{
    /// <summary>
    /// The standard opportunity columns behind the Opportunity Sales Process's steps, and the stage gate each answers
    /// (steps from Microsoft's Opportunity Sales Process as the getActivePath reference prints them; names, types and choice
    /// values from the opportunity table reference; both compared in tests/Plugins.Tests/Schema/SalesProcessTests).
    /// </summary>
    public static class OpportunitySalesProcess
    {
        public const string EntityName = "opportunity";
        public const string CreatedOn = "createdon";
        public const string DecisionMaker = "decisionmaker";
        public const string BudgetAmount = "budgetamount";
        public const string PurchaseTimeframe = "purchasetimeframe";
        public const string PurchaseProcess = "purchaseprocess";
        public const string CustomerNeed = "customerneed";
        public const string ProposedSolution = "proposedsolution";
        public const string IdentifyCustomerContacts = "identifycustomercontacts";
        public const string IdentifyCompetitors = "identifycompetitors";
        public const string IdentifyPursuitTeam = "identifypursuitteam";
        public const string DevelopProposal = "developproposal";
        public const string CompleteInternalReview = "completeinternalreview";
        public const string PresentProposal = "presentproposal";
        public const string CompleteFinalProposal = "completefinalproposal";
        public const string FinalDecisionDate = "finaldecisiondate";

        /// <summary>purchasetimeframe 4 and purchaseprocess 2 are "Unknown": chosen, but not an answer.</summary>
        public const int PurchaseTimeframeUnknown = 4;
        public const int PurchaseProcessUnknown = 2;

        /// <summary>The column of each gate the policy may name.</summary>
        public static readonly IReadOnlyDictionary<string, string> GateColumns = new Dictionary<string, string>
        {
            [StageGate.DecisionMaker] = DecisionMaker, [StageGate.Budget] = BudgetAmount, [StageGate.PurchaseTimeframe] = PurchaseTimeframe,
            [StageGate.PurchaseProcess] = PurchaseProcess, [StageGate.CustomerNeed] = CustomerNeed, [StageGate.ProposedSolution] = ProposedSolution,
            [StageGate.CustomerContacts] = IdentifyCustomerContacts, [StageGate.Competitors] = IdentifyCompetitors, [StageGate.PursuitTeam] = IdentifyPursuitTeam,
            [StageGate.ProposalDeveloped] = DevelopProposal, [StageGate.InternalReview] = CompleteInternalReview, [StageGate.ProposalPresented] = PresentProposal,
            [StageGate.FinalProposal] = CompleteFinalProposal, [StageGate.FinalDecisionDate] = FinalDecisionDate,
        };
    }

    /// <summary>
    /// opportunitysalesprocess: the Opportunity Sales Process's instance for a deal (a business process flow table). The
    /// process bar a rep moves is this row's active stage, not a column of the opportunity: salesstage is a choice of its
    /// own that the bar does not set, and the opportunity's stageid is deprecated and not kept in step (Microsoft; cited in
    /// tests/Plugins.Tests/Schema/ProcessStageTests).
    /// </summary>
    public static class SalesProcessInstance
    {
        public const string EntityName = "opportunitysalesprocess";
        public const string Id = "businessprocessflowinstanceid";
        public const string OpportunityId = "opportunityid";
        public const string ActiveStageId = "activestageid";
        public const string ActiveStageStartedOn = "activestagestartedon";
        public const string StateCode = "statecode";
        public const string ModifiedOn = "modifiedon";

        /// <summary>statecode 0: the instance is the deal's running process (1 is Inactive: finished or abandoned).</summary>
        public const int Active = 0;
    }

    /// <summary>processstage: a stage of a process; stagecategory is what a stage means whatever it is called.</summary>
    public static class ProcessStage
    {
        public const string EntityName = "processstage";
        public const string Id = "processstageid";
        public const string StageName = "stagename";
        public const string StageCategory = "stagecategory";

        /// <summary>The stage categories that are sales stages: processstage_category 0 Qualify .. 3 Close, numbered as salesstage.</summary>
        public const int LastSalesCategory = 3;
    }

    /// <summary>The activity tables whose completed rows regarding a deal count as customer activity (statecode 1 Completed on each).</summary>
    public static class PhoneCall
    {
        public const string EntityName = "phonecall";
        public const string RegardingObjectId = "regardingobjectid";
        public const string ActualEnd = "actualend";
    }

    public static class Appointment
    {
        public const string EntityName = "appointment";
        public const string RegardingObjectId = "regardingobjectid";
        public const string ActualEnd = "actualend";
    }

    public static class Email
    {
        public const string EntityName = "email";
        public const string RegardingObjectId = "regardingobjectid";
        public const string ActualEnd = "actualend";
    }

    public static class TaskActivity
    {
        public const string EntityName = "task";
        public const string RegardingObjectId = "regardingobjectid";
        public const string ActualEnd = "actualend";
    }

    /// <summary>
    /// Every activity of every activity table, as Dataverse presents it for reading across types (read-only; Microsoft:
    /// "Activity tables", the ActivityPointer table). activitytypecode names the table an activity lives in.
    /// </summary>
    public static class ActivityPointer
    {
        public const string EntityName = "activitypointer";
        public const string RegardingObjectId = "regardingobjectid";
        public const string ActualEnd = "actualend";
        public const string ActivityTypeCode = "activitytypecode";
        public const string StateCode = "statecode";
    }

    /// <summary>statecode of the activity tables: 1 is Completed on phone call, appointment, email and task alike.</summary>
    public static class ActivityState
    {
        public const int Completed = 1;
    }
}
