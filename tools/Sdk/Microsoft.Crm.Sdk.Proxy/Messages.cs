using System;
using System.Runtime.Serialization;
using Microsoft.Xrm.Sdk;

namespace Microsoft.Crm.Sdk.Messages
{
    // Messages of Microsoft.Crm.Sdk.Proxy the suite uses. As in Microsoft's classes, a request names itself and keeps its
    // properties in Parameters; a missing parameter reads as null/default.

    /// <summary>Closes an opportunity as won (message "WinOpportunity"; plugins see it as "Win").</summary>
    [DataContract(Namespace = "http://schemas.microsoft.com/crm/2011/Contracts")]
    public sealed class WinOpportunityRequest : OrganizationRequest
    {
        public WinOpportunityRequest() { RequestName = "WinOpportunity"; }

        /// <summary>The opportunityclose activity: opportunityid, actualrevenue, actualend, subject.</summary>
        public Entity OpportunityClose { get => Parameters.Read<Entity>("OpportunityClose"); set => Parameters["OpportunityClose"] = value; }

        /// <summary>The won status reason (statuscode), e.g. 3 Won.</summary>
        public OptionSetValue Status { get => Parameters.Read<OptionSetValue>("Status"); set => Parameters["Status"] = value; }
    }

    [DataContract(Namespace = "http://schemas.microsoft.com/crm/2011/Contracts")]
    public sealed class WinOpportunityResponse : OrganizationResponse
    {
        public WinOpportunityResponse() { }
    }

    /// <summary>Closes an opportunity as lost (message "LoseOpportunity"; plugins see it as "Lose").</summary>
    [DataContract(Namespace = "http://schemas.microsoft.com/crm/2011/Contracts")]
    public sealed class LoseOpportunityRequest : OrganizationRequest
    {
        public LoseOpportunityRequest() { RequestName = "LoseOpportunity"; }

        public Entity OpportunityClose { get => Parameters.Read<Entity>("OpportunityClose"); set => Parameters["OpportunityClose"] = value; }

        /// <summary>The lost status reason (statuscode), e.g. 4 Canceled, 5 Out-Sold.</summary>
        public OptionSetValue Status { get => Parameters.Read<OptionSetValue>("Status"); set => Parameters["Status"] = value; }
    }

    [DataContract(Namespace = "http://schemas.microsoft.com/crm/2011/Contracts")]
    public sealed class LoseOpportunityResponse : OrganizationResponse
    {
        public LoseOpportunityResponse() { }
    }

    /// <summary>Sets a row's state and status (message "SetState").</summary>
    [DataContract(Namespace = "http://schemas.microsoft.com/crm/2011/Contracts")]
    public sealed class SetStateRequest : OrganizationRequest
    {
        public SetStateRequest() { RequestName = "SetState"; }

        public EntityReference EntityMoniker { get => Parameters.Read<EntityReference>("EntityMoniker"); set => Parameters["EntityMoniker"] = value; }

        public OptionSetValue State { get => Parameters.Read<OptionSetValue>("State"); set => Parameters["State"] = value; }

        public OptionSetValue Status { get => Parameters.Read<OptionSetValue>("Status"); set => Parameters["Status"] = value; }
    }

    [DataContract(Namespace = "http://schemas.microsoft.com/crm/2011/Contracts")]
    public sealed class SetStateResponse : OrganizationResponse
    {
        public SetStateResponse() { }
    }

    /// <summary>Gives a row to another owner (message "Assign").</summary>
    [DataContract(Namespace = "http://schemas.microsoft.com/crm/2011/Contracts")]
    public sealed class AssignRequest : OrganizationRequest
    {
        public AssignRequest() { RequestName = "Assign"; }

        public EntityReference Target { get => Parameters.Read<EntityReference>("Target"); set => Parameters["Target"] = value; }

        public EntityReference Assignee { get => Parameters.Read<EntityReference>("Assignee"); set => Parameters["Assignee"] = value; }
    }

    [DataContract(Namespace = "http://schemas.microsoft.com/crm/2011/Contracts")]
    public sealed class AssignResponse : OrganizationResponse
    {
        public AssignResponse() { }
    }

    /// <summary>
    /// Submits a bulk delete job (message "BulkDelete"): a system job that deletes, when the asynchronous service runs it,
    /// the rows the queries match (learn.microsoft.com/power-apps/developer/data-platform/delete-data-bulk).
    /// </summary>
    [DataContract(Namespace = "http://schemas.microsoft.com/crm/2011/Contracts")]
    public sealed class BulkDeleteRequest : OrganizationRequest
    {
        public BulkDeleteRequest() { RequestName = "BulkDelete"; }

        public Microsoft.Xrm.Sdk.Query.QueryExpression[] QuerySet { get => Parameters.Read<Microsoft.Xrm.Sdk.Query.QueryExpression[]>("QuerySet"); set => Parameters["QuerySet"] = value; }

        public string JobName { get => Parameters.Read<string>("JobName"); set => Parameters["JobName"] = value; }

        public bool SendEmailNotification { get => Parameters.Read<bool>("SendEmailNotification"); set => Parameters["SendEmailNotification"] = value; }

        public Guid[] ToRecipients { get => Parameters.Read<Guid[]>("ToRecipients"); set => Parameters["ToRecipients"] = value; }

        public Guid[] CCRecipients { get => Parameters.Read<Guid[]>("CCRecipients"); set => Parameters["CCRecipients"] = value; }

        /// <summary>Empty for one run; e.g. "FREQ=DAILY;INTERVAL=1;" to run again every day.</summary>
        public string RecurrencePattern { get => Parameters.Read<string>("RecurrencePattern"); set => Parameters["RecurrencePattern"] = value; }

        public DateTime StartDateTime { get => Parameters.Read<DateTime>("StartDateTime"); set => Parameters["StartDateTime"] = value; }

        public Guid? SourceImportId { get => Parameters.Read<Guid?>("SourceImportId"); set => Parameters["SourceImportId"] = value; }

        public bool RunNow { get => Parameters.Read<bool>("RunNow"); set => Parameters["RunNow"] = value; }
    }

    [DataContract(Namespace = "http://schemas.microsoft.com/crm/2011/Contracts")]
    public sealed class BulkDeleteResponse : OrganizationResponse
    {
        public BulkDeleteResponse() { }

        /// <summary>The system job (asyncoperation) that carries out the deletion.</summary>
        public Guid JobId => Results.Read<Guid>("JobId");
    }

    /// <summary>Who the caller is (message "WhoAmI").</summary>
    [DataContract(Namespace = "http://schemas.microsoft.com/crm/2011/Contracts")]
    public sealed class WhoAmIRequest : OrganizationRequest
    {
        public WhoAmIRequest() { RequestName = "WhoAmI"; }
    }

    [DataContract(Namespace = "http://schemas.microsoft.com/crm/2011/Contracts")]
    public sealed class WhoAmIResponse : OrganizationResponse
    {
        public WhoAmIResponse() { }

        public Guid UserId => Results.Read<Guid>("UserId");

        public Guid BusinessUnitId => Results.Read<Guid>("BusinessUnitId");

        public Guid OrganizationId => Results.Read<Guid>("OrganizationId");
    }
}

namespace Microsoft.Crm.Sdk.Messages
{
    internal static class ParameterValues
    {
        /// <summary>The parameter as <typeparamref name="T"/>, or default when it is missing.</summary>
        public static T Read<T>(this ParameterCollection parameters, string key) =>
            parameters.Contains(key) ? (T)parameters[key] : default(T);
    }
}
