using System;
using CrmPlugins.Emulator.Pipeline;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace CrmPlugins.Emulator
{
    /// <summary>
    /// The organization service of an <see cref="XrmOrganization"/>. Every call, typed or not, becomes an
    /// <see cref="OrganizationRequest"/> that runs through the event pipeline; responses are Microsoft's typed
    /// response classes (CreateResponse, RetrieveResponse, ...) wherever the SDK has one.
    /// </summary>
    public sealed class OrganizationService : IOrganizationService
    {
        private readonly XrmOrganization _org;
        private readonly CallScope _scope;

        internal OrganizationService(XrmOrganization org, CallScope scope)
        {
            _org = org;
            _scope = scope;
        }

        /// <summary>The user this service runs as.</summary>
        public Guid UserId => _scope.UserId;

        public Guid Create(Entity entity) =>
            (Guid)Execute(Request("Create", ("Target", entity)))["id"];

        public Entity Retrieve(string entityName, Guid id, ColumnSet columnSet) =>
            (Entity)Execute(Request("Retrieve", ("Target", new EntityReference(entityName, id)), ("ColumnSet", columnSet)))["Entity"];

        public void Update(Entity entity) => Execute(Request("Update", ("Target", entity)));

        public void Delete(string entityName, Guid id) => Execute(Request("Delete", ("Target", new EntityReference(entityName, id))));

        public void Associate(string entityName, Guid entityId, Relationship relationship, EntityReferenceCollection relatedEntities) =>
            Execute(Request("Associate", ("Target", new EntityReference(entityName, entityId)), ("Relationship", relationship), ("RelatedEntities", relatedEntities)));

        public void Disassociate(string entityName, Guid entityId, Relationship relationship, EntityReferenceCollection relatedEntities) =>
            Execute(Request("Disassociate", ("Target", new EntityReference(entityName, entityId)), ("Relationship", relationship), ("RelatedEntities", relatedEntities)));

        public EntityCollection RetrieveMultiple(QueryBase query) =>
            (EntityCollection)Execute(Request("RetrieveMultiple", ("Query", query)))["EntityCollection"];

        /// <summary>Runs any message of <see cref="XrmOrganization.Messages"/>. Unknown messages fail with the platform's "not supported" fault.</summary>
        public OrganizationResponse Execute(OrganizationRequest request)
        {
            if (request == null) throw Faults.InvalidArgument("Request cannot be null.");
            if (string.IsNullOrEmpty(request.RequestName)) throw Faults.InvalidArgument("The request has no RequestName.");
            _org.Calls.Add(request.RequestName);
            _scope.Caller?.Calls.Add(request.RequestName);
            _org.CheckFaults(new ServiceCall(request, _scope.UserId, _scope.Caller));
            var handler = _org.Messages.Find(request.RequestName)
                ?? throw Faults.NotSupported($"The emulator does not support the message '{request.RequestName}'.");
            var call = new MessageCall(_org, _scope, request);
            if (_org.Security.Checks(_scope.UserId)) handler.CheckPrivileges(call);
            var previousCaller = _org.CurrentCaller;
            _org.CurrentCaller = _scope.UserId;
            try
            {
                return handler.Execute(call);
            }
            finally
            {
                _org.CurrentCaller = previousCaller;
            }
        }

        private static OrganizationRequest Request(string name, params (string Key, object Value)[] parameters)
        {
            var request = new OrganizationRequest(name);
            foreach (var (key, value) in parameters) request.Parameters[key] = value;
            return request;
        }
    }
}
