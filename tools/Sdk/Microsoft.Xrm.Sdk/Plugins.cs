using System;
using System.Collections.Generic;
using System.ServiceModel;
using Microsoft.Xrm.Sdk.Query;

namespace Microsoft.Xrm.Sdk
{
    /// <summary>A plugin: the platform calls <see cref="Execute"/> with a service provider that gives the
    /// execution context, tracing, the organization service factory and the telemetry logger.</summary>
    public interface IPlugin
    {
        void Execute(IServiceProvider serviceProvider);
    }

    /// <summary>What the platform tells a plugin or workflow activity about the operation that runs it.</summary>
    public interface IExecutionContext
    {
        /// <summary>0 synchronous, 1 asynchronous.</summary>
        int Mode { get; }
        /// <summary>1 none, 2 sandbox.</summary>
        int IsolationMode { get; }
        /// <summary>How deep in nested plugin calls this execution runs (1 for a call from outside).</summary>
        int Depth { get; }
        string MessageName { get; }
        string PrimaryEntityName { get; }
        Guid? RequestId { get; }
        string SecondaryEntityName { get; }
        ParameterCollection InputParameters { get; }
        ParameterCollection OutputParameters { get; }
        ParameterCollection SharedVariables { get; }
        Guid UserId { get; }
        Guid InitiatingUserId { get; }
        Guid BusinessUnitId { get; }
        Guid OrganizationId { get; }
        string OrganizationName { get; }
        Guid PrimaryEntityId { get; }
        EntityImageCollection PreEntityImages { get; }
        EntityImageCollection PostEntityImages { get; }
        EntityReference OwningExtension { get; }
        Guid CorrelationId { get; }
        bool IsExecutingOffline { get; }
        bool IsOfflinePlayback { get; }
        bool IsInTransaction { get; }
        Guid OperationId { get; }
        DateTime OperationCreatedOn { get; }
    }

    /// <summary>The execution context of a plugin: adds the pipeline stage and the parent context.</summary>
    public interface IPluginExecutionContext : IExecutionContext
    {
        /// <summary>10 pre-validation, 20 pre-operation, 30 main operation, 40 post-operation.</summary>
        int Stage { get; }
        IPluginExecutionContext ParentContext { get; }
    }

    public interface IPluginExecutionContext2 : IPluginExecutionContext, IExecutionContext
    {
        Guid UserAzureActiveDirectoryObjectId { get; }
        Guid InitiatingUserAzureActiveDirectoryObjectId { get; }
        Guid InitiatingUserApplicationId { get; }
        Guid PortalsContactId { get; }
        bool IsPortalsClientCall { get; }
    }

    public interface IPluginExecutionContext3 : IPluginExecutionContext2, IPluginExecutionContext, IExecutionContext
    {
        Guid AuthenticatedUserId { get; }
    }

    /// <summary>Adds the images of every target of a CreateMultiple / UpdateMultiple operation.</summary>
    public interface IPluginExecutionContext4 : IPluginExecutionContext3, IPluginExecutionContext2, IPluginExecutionContext, IExecutionContext
    {
        EntityImageCollection[] PreEntityImagesCollection { get; }
        EntityImageCollection[] PostEntityImagesCollection { get; }
    }

    public interface IPluginExecutionContext5 : IPluginExecutionContext4, IPluginExecutionContext3, IPluginExecutionContext2, IPluginExecutionContext, IExecutionContext
    {
        string InitiatingUserAgent { get; }
    }

    public interface IPluginExecutionContext6 : IPluginExecutionContext5, IPluginExecutionContext4, IPluginExecutionContext3, IPluginExecutionContext2, IPluginExecutionContext, IExecutionContext
    {
        string EnvironmentId { get; }
        Guid TenantId { get; }
    }

    public interface IPluginExecutionContext7 : IPluginExecutionContext6, IPluginExecutionContext5, IPluginExecutionContext4, IPluginExecutionContext3, IPluginExecutionContext2, IPluginExecutionContext, IExecutionContext
    {
        bool IsApplicationUser { get; }
    }

    /// <summary>Writes lines to the plugin trace log.</summary>
    public interface ITracingService
    {
        void Trace(string format, params object[] args);
    }

    /// <summary>The Dataverse organization service.</summary>
    [ServiceContract(Name = "IOrganizationService", Namespace = "http://schemas.microsoft.com/xrm/2011/Contracts/Services")]
    public interface IOrganizationService
    {
        [OperationContract]
        [FaultContract(typeof(OrganizationServiceFault))]
        Guid Create(Entity entity);

        [OperationContract]
        [FaultContract(typeof(OrganizationServiceFault))]
        Entity Retrieve(string entityName, Guid id, ColumnSet columnSet);

        [OperationContract]
        [FaultContract(typeof(OrganizationServiceFault))]
        void Update(Entity entity);

        [OperationContract]
        [FaultContract(typeof(OrganizationServiceFault))]
        void Delete(string entityName, Guid id);

        [OperationContract]
        [FaultContract(typeof(OrganizationServiceFault))]
        OrganizationResponse Execute(OrganizationRequest request);

        [OperationContract]
        [FaultContract(typeof(OrganizationServiceFault))]
        void Associate(string entityName, Guid entityId, Relationship relationship, EntityReferenceCollection relatedEntities);

        [OperationContract]
        [FaultContract(typeof(OrganizationServiceFault))]
        void Disassociate(string entityName, Guid entityId, Relationship relationship, EntityReferenceCollection relatedEntities);

        [OperationContract]
        [FaultContract(typeof(OrganizationServiceFault))]
        EntityCollection RetrieveMultiple(QueryBase query);
    }

    /// <summary>Creates organization services that run as a given user (null: the step's run-as user).</summary>
    public interface IOrganizationServiceFactory
    {
        IOrganizationService CreateOrganizationService(Guid? userId);
    }

    /// <summary>Posts the execution context to a service endpoint (Azure Service Bus, webhook).</summary>
    public interface IServiceEndpointNotificationService
    {
        string Execute(EntityReference serviceEndpoint, IExecutionContext context);
    }
}
