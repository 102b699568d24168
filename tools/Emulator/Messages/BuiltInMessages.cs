using System;
using System.Collections.Generic;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using static CrmPlugins.Emulator.PlatformOperations;

namespace CrmPlugins.Emulator
{
    /// <summary>
    /// The messages the emulator knows out of the box, one handler each: which request parameters it reads, the
    /// privilege it demands, and the platform work (<see cref="PlatformOperations"/>) it runs.
    /// </summary>
    internal static class BuiltInMessages
    {
        public static IEnumerable<IMessageHandler> All()
        {
            yield return new BuiltInMessage("Create", (ops, r) => ops.Create(Param<Entity>(r.Parameters, "Target"), r),
                (call, r) => Target<Entity>(r) is { } t ? Both(call, "Create", t, null, create: true) : null);
            yield return new BuiltInMessage("Update", (ops, r) => ops.Update(Param<Entity>(r.Parameters, "Target"), r),
                (call, r) => Target<Entity>(r) is { } t ? Both(call, "Write", t, t.Id, create: false) : null);
            yield return new BuiltInMessage("Delete", (ops, r) => ops.Delete(Param<EntityReference>(r.Parameters, "Target"), r),
                (call, r) => Demand(call, "Delete", Target<EntityReference>(r)));
            yield return new BuiltInMessage("Retrieve", (ops, r) => ops.Retrieve(Param<EntityReference>(r.Parameters, "Target"), Param<ColumnSet>(r.Parameters, "ColumnSet"), r),
                (call, r) => Demand(call, "Read", Target<EntityReference>(r)));
            yield return new BuiltInMessage("RetrieveMultiple", (ops, r) => ops.RetrieveMultiple(Param<QueryBase>(r.Parameters, "Query"), r));
            foreach (var name in new[] { "Associate", "Disassociate" })
                yield return new BuiltInMessage(name, (ops, r) => ops.Associate(name, Param<EntityReference>(r.Parameters, "Target"), Param<Relationship>(r.Parameters, "Relationship"), Param<EntityReferenceCollection>(r.Parameters, "RelatedEntities"), r));
            yield return new BuiltInMessage("Upsert", (ops, r) => ops.Upsert(Param<Entity>(r.Parameters, "Target"), r));
            yield return new BuiltInMessage("CreateMultiple", (ops, r) => ops.CreateMultiple(Param<EntityCollection>(r.Parameters, "Targets"), r));
            yield return new BuiltInMessage("UpdateMultiple", (ops, r) => ops.UpdateMultiple(Param<EntityCollection>(r.Parameters, "Targets"), r));
            yield return new BuiltInMessage("ExecuteMultiple", (ops, r) => ops.ExecuteMultiple(r));
            yield return new BuiltInMessage("ExecuteTransaction", (ops, r) => ops.ExecuteTransaction(r));
            yield return new BuiltInMessage("SetState", (ops, r) => ops.SetState(Param<EntityReference>(r.Parameters, "EntityMoniker"), Param<OptionSetValue>(r.Parameters, "State"), Param<OptionSetValue>(r.Parameters, "Status"), r));
            yield return new BuiltInMessage("Assign", (ops, r) => ops.Assign(Param<EntityReference>(r.Parameters, "Target"), Param<EntityReference>(r.Parameters, "Assignee"), r),
                (call, r) => Demand(call, "Assign", Target<EntityReference>(r)));
            yield return new BuiltInMessage("WinOpportunity", (ops, r) => ops.CloseOpportunity("Win", Param<Entity>(r.Parameters, "OpportunityClose"), OptionalParam<OptionSetValue>(r.Parameters, "Status"), won: true, r));
            yield return new BuiltInMessage("LoseOpportunity", (ops, r) => ops.CloseOpportunity("Lose", Param<Entity>(r.Parameters, "OpportunityClose"), OptionalParam<OptionSetValue>(r.Parameters, "Status"), won: false, r));
            yield return new BuiltInMessage("WhoAmI", (ops, _) => ops.WhoAmI());
            yield return new BulkDeleteMessage();
        }

        private static T? Target<T>(OrganizationRequest request) where T : class =>
            request.Parameters.TryGetValue("Target", out var t) ? t as T : null;

        private static object? Demand(MessageCall call, string action, EntityReference? target)
        {
            if (target != null) call.Organization.Security.Demand(call.UserId, action, target.LogicalName, target.Id);
            return null;
        }

        private static object? Both(MessageCall call, string action, Entity target, Guid? rowId, bool create)
        {
            call.Organization.Security.Demand(call.UserId, action, target.LogicalName, rowId);
            call.Organization.Security.DemandColumns(call.UserId, target, create);
            return null;
        }

        private sealed class BuiltInMessage : IMessageHandler
        {
            private readonly Func<PlatformOperations, OrganizationRequest, ParameterCollection> _run;
            private readonly Func<MessageCall, OrganizationRequest, object?>? _check;

            public BuiltInMessage(string name, Func<PlatformOperations, OrganizationRequest, ParameterCollection> run, Func<MessageCall, OrganizationRequest, object?>? check = null)
            {
                MessageName = name;
                _run = run;
                _check = check;
            }

            public string MessageName { get; }

            public void CheckPrivileges(MessageCall call) => _check?.Invoke(call, call.Request);

            public OrganizationResponse Execute(MessageCall call) =>
                Responses.Create(MessageName, _run(new PlatformOperations(call.Organization, call.Scope), call.Request));
        }
    }
}
