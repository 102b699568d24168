using System;
using System.Runtime.Serialization;
using Microsoft.Xrm.Sdk.Query;

namespace Microsoft.Xrm.Sdk.Messages
{
    // The SDK's typed messages: each request sets its RequestName and keeps its properties in Parameters under
    // Microsoft's names; each response reads its Results. A missing parameter reads as null/default.

    /// <summary>Creates a row (message "Create").</summary>
    [DataContract(Namespace = Contracts.V2011)]
    public sealed class CreateRequest : OrganizationRequest
    {
        public CreateRequest() { RequestName = "Create"; }

        public Entity Target { get => Parameters.Read<Entity>("Target"); set => Parameters["Target"] = value; }
    }

    [DataContract(Namespace = Contracts.V2011)]
    public sealed class CreateResponse : OrganizationResponse
    {
        public CreateResponse() { }

        /// <summary>The id of the new row.</summary>
        public Guid id => Results.Read<Guid>("id");
    }

    /// <summary>Retrieves one row with the given columns (message "Retrieve").</summary>
    [DataContract(Namespace = Contracts.V2011)]
    public sealed class RetrieveRequest : OrganizationRequest
    {
        public RetrieveRequest() { RequestName = "Retrieve"; }

        public EntityReference Target { get => Parameters.Read<EntityReference>("Target"); set => Parameters["Target"] = value; }

        public ColumnSet ColumnSet { get => Parameters.Read<ColumnSet>("ColumnSet"); set => Parameters["ColumnSet"] = value; }
    }

    [DataContract(Namespace = Contracts.V2011)]
    public sealed class RetrieveResponse : OrganizationResponse
    {
        public RetrieveResponse() { }

        public Entity Entity => Results.Read<Entity>("Entity");
    }

    /// <summary>Runs a query (message "RetrieveMultiple").</summary>
    [DataContract(Namespace = Contracts.V2011)]
    public sealed class RetrieveMultipleRequest : OrganizationRequest
    {
        public RetrieveMultipleRequest() { RequestName = "RetrieveMultiple"; }

        public QueryBase Query { get => Parameters.Read<QueryBase>("Query"); set => Parameters["Query"] = value; }
    }

    [DataContract(Namespace = Contracts.V2011)]
    public sealed class RetrieveMultipleResponse : OrganizationResponse
    {
        public RetrieveMultipleResponse() { }

        public EntityCollection EntityCollection => Results.Read<EntityCollection>("EntityCollection");
    }

    /// <summary>Updates a row's columns (message "Update").</summary>
    [DataContract(Namespace = Contracts.V2011)]
    public sealed class UpdateRequest : OrganizationRequest
    {
        public UpdateRequest() { RequestName = "Update"; }

        public Entity Target { get => Parameters.Read<Entity>("Target"); set => Parameters["Target"] = value; }

        public ConcurrencyBehavior ConcurrencyBehavior { get => Parameters.Read<ConcurrencyBehavior>("ConcurrencyBehavior"); set => Parameters["ConcurrencyBehavior"] = value; }
    }

    [DataContract(Namespace = Contracts.V2011)]
    public sealed class UpdateResponse : OrganizationResponse
    {
        public UpdateResponse() { }
    }

    /// <summary>Deletes a row (message "Delete").</summary>
    [DataContract(Namespace = Contracts.V2011)]
    public sealed class DeleteRequest : OrganizationRequest
    {
        public DeleteRequest() { RequestName = "Delete"; }

        public EntityReference Target { get => Parameters.Read<EntityReference>("Target"); set => Parameters["Target"] = value; }

        public ConcurrencyBehavior ConcurrencyBehavior { get => Parameters.Read<ConcurrencyBehavior>("ConcurrencyBehavior"); set => Parameters["ConcurrencyBehavior"] = value; }
    }

    [DataContract(Namespace = Contracts.V2011)]
    public sealed class DeleteResponse : OrganizationResponse
    {
        public DeleteResponse() { }
    }

    /// <summary>Links rows through a relationship (message "Associate").</summary>
    [DataContract(Namespace = Contracts.V2011)]
    public sealed class AssociateRequest : OrganizationRequest
    {
        public AssociateRequest() { RequestName = "Associate"; }

        public EntityReference Target { get => Parameters.Read<EntityReference>("Target"); set => Parameters["Target"] = value; }

        public Relationship Relationship { get => Parameters.Read<Relationship>("Relationship"); set => Parameters["Relationship"] = value; }

        public EntityReferenceCollection RelatedEntities { get => Parameters.Read<EntityReferenceCollection>("RelatedEntities"); set => Parameters["RelatedEntities"] = value; }
    }

    [DataContract(Namespace = Contracts.V2011)]
    public sealed class AssociateResponse : OrganizationResponse
    {
        public AssociateResponse() { }
    }

    /// <summary>Unlinks rows (message "Disassociate").</summary>
    [DataContract(Namespace = Contracts.V2011)]
    public sealed class DisassociateRequest : OrganizationRequest
    {
        public DisassociateRequest() { RequestName = "Disassociate"; }

        public EntityReference Target { get => Parameters.Read<EntityReference>("Target"); set => Parameters["Target"] = value; }

        public Relationship Relationship { get => Parameters.Read<Relationship>("Relationship"); set => Parameters["Relationship"] = value; }

        public EntityReferenceCollection RelatedEntities { get => Parameters.Read<EntityReferenceCollection>("RelatedEntities"); set => Parameters["RelatedEntities"] = value; }
    }

    [DataContract(Namespace = Contracts.V2011)]
    public sealed class DisassociateResponse : OrganizationResponse
    {
        public DisassociateResponse() { }
    }

    /// <summary>Creates the row, or updates it when it exists (by id or alternate key) (message "Upsert").</summary>
    [DataContract(Namespace = Contracts.V2011)]
    public sealed class UpsertRequest : OrganizationRequest
    {
        public UpsertRequest() { RequestName = "Upsert"; }

        public Entity Target { get => Parameters.Read<Entity>("Target"); set => Parameters["Target"] = value; }
    }

    [DataContract(Namespace = Contracts.V2011)]
    public sealed class UpsertResponse : OrganizationResponse
    {
        public UpsertResponse() { }

        public bool RecordCreated => Results.Read<bool>("RecordCreated");

        public EntityReference Target => Results.Read<EntityReference>("Target");
    }

    /// <summary>Runs requests one by one, each in its own transaction (message "ExecuteMultiple").</summary>
    [DataContract(Namespace = Contracts.V2011)]
    public sealed class ExecuteMultipleRequest : OrganizationRequest
    {
        public ExecuteMultipleRequest() { RequestName = "ExecuteMultiple"; }

        public OrganizationRequestCollection Requests { get => Parameters.Read<OrganizationRequestCollection>("Requests"); set => Parameters["Requests"] = value; }

        public ExecuteMultipleSettings Settings { get => Parameters.Read<ExecuteMultipleSettings>("Settings"); set => Parameters["Settings"] = value; }
    }

    [DataContract(Namespace = Contracts.V2011)]
    public sealed class ExecuteMultipleResponse : OrganizationResponse
    {
        public ExecuteMultipleResponse() { }

        public bool IsFaulted => Results.Read<bool>("IsFaulted");

        public ExecuteMultipleResponseItemCollection Responses => Results.Read<ExecuteMultipleResponseItemCollection>("Responses");
    }

    /// <summary>Runs requests in one transaction: all or nothing (message "ExecuteTransaction").</summary>
    [DataContract(Namespace = Contracts.V2011)]
    public sealed class ExecuteTransactionRequest : OrganizationRequest
    {
        public ExecuteTransactionRequest() { RequestName = "ExecuteTransaction"; }

        public OrganizationRequestCollection Requests { get => Parameters.Read<OrganizationRequestCollection>("Requests"); set => Parameters["Requests"] = value; }

        public bool? ReturnResponses { get => Parameters.Read<bool?>("ReturnResponses"); set => Parameters["ReturnResponses"] = value; }
    }

    [DataContract(Namespace = Contracts.V2011)]
    public sealed class ExecuteTransactionResponse : OrganizationResponse
    {
        public ExecuteTransactionResponse() { }

        public OrganizationResponseCollection Responses => Results.Read<OrganizationResponseCollection>("Responses");
    }

    /// <summary>Creates many rows of one table (message "CreateMultiple").</summary>
    [DataContract(Namespace = Contracts.V2011)]
    public sealed class CreateMultipleRequest : OrganizationRequest
    {
        public CreateMultipleRequest() { RequestName = "CreateMultiple"; }

        public EntityCollection Targets { get => Parameters.Read<EntityCollection>("Targets"); set => Parameters["Targets"] = value; }
    }

    [DataContract(Namespace = Contracts.V2011)]
    public sealed class CreateMultipleResponse : OrganizationResponse
    {
        public CreateMultipleResponse() { }

        public Guid[] Ids => Results.Read<Guid[]>("Ids");
    }

    /// <summary>Updates many rows of one table (message "UpdateMultiple").</summary>
    [DataContract(Namespace = Contracts.V2011)]
    public sealed class UpdateMultipleRequest : OrganizationRequest
    {
        public UpdateMultipleRequest() { RequestName = "UpdateMultiple"; }

        public EntityCollection Targets { get => Parameters.Read<EntityCollection>("Targets"); set => Parameters["Targets"] = value; }

        public ConcurrencyBehavior ConcurrencyBehavior { get => Parameters.Read<ConcurrencyBehavior>("ConcurrencyBehavior"); set => Parameters["ConcurrencyBehavior"] = value; }
    }

    [DataContract(Namespace = Contracts.V2011)]
    public sealed class UpdateMultipleResponse : OrganizationResponse
    {
        public UpdateMultipleResponse() { }
    }
}
