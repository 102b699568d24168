using System;
using System.ServiceModel;
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

        /// <summary>
        /// The user this service acts for (impersonation, as <c>CallerId</c> of Microsoft's ServiceClient and
        /// OrganizationServiceProxy; Guid.Empty: nobody). Calls run as that user and the rows they write record the
        /// service's own user in <c>createdonbehalfby</c> / <c>modifiedonbehalfby</c>; when security is enforced the
        /// service's user needs prvActOnBehalfOfAnotherUser and each call needs the privileges of both users
        /// (learn.microsoft.com/power-apps/developer/data-platform/impersonate-another-user).
        /// </summary>
        public Guid CallerId { get; set; }

        /// <summary>Runs any message of <see cref="XrmOrganization.Messages"/>. Unknown messages fail with the platform's "not supported" fault.</summary>
        public OrganizationResponse Execute(OrganizationRequest request)
        {
            if (request == null) throw Faults.InvalidArgument("Request cannot be null.");
            if (string.IsNullOrEmpty(request.RequestName)) throw Faults.InvalidArgument("The request has no RequestName.");
            var scope = CallerId == Guid.Empty || CallerId == _scope.UserId
                ? _scope
                : new CallScope(CallerId, CallerId, _scope.Depth, _scope.ParentContext, _scope.Caller, _scope.CorrelationId) { ImpersonatorId = _scope.UserId };
            _org.Calls.Add(request.RequestName);
            scope.Caller?.Calls.Add(request.RequestName);
            var previousCaller = _org.CurrentCaller;
            try
            {
                _org.CheckFaults(new ServiceCall(request, scope.UserId, scope.Caller));
                var handler = _org.Messages.Find(request.RequestName)
                    ?? throw Faults.NotSupported($"The emulator does not support the message '{request.RequestName}'.");
                var call = new MessageCall(_org, scope, request);
                if (scope.ImpersonatorId is Guid actor && _org.Security.Checks(actor))
                {
                    _org.Security.DemandPrivilege(actor, "prvActOnBehalfOfAnotherUser");
                    handler.CheckPrivileges(new MessageCall(_org, _scope, request));
                }

                if (_org.Security.Checks(scope.UserId)) handler.CheckPrivileges(call);
                _org.CurrentCaller = scope.UserId;
                return handler.Execute(call);
            }
            catch (FaultException<OrganizationServiceFault> fault) when (scope.Caller is PluginExecution { Context: { IsInTransaction: true, Mode: Modes.Synchronous } } caller && _org.Store.Transaction != null)
            {
                // A failed data operation ends the whole transaction, whether or not the plugin catches the fault
                // (learn.microsoft.com/power-apps/developer/data-platform/troubleshoot-plug-in#transaction-errors).
                caller.SwallowedFault ??= fault;
                throw;
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
