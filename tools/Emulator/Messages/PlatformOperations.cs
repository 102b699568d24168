using System;
using System.Collections.Generic;
using System.Linq;
using System.ServiceModel;
using CrmPlugins.Emulator.Pipeline;
using CrmPlugins.Emulator.Query;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace CrmPlugins.Emulator
{
    /// <summary>
    /// The platform's own work for each built-in message (stage 30 of the pipeline), and how each message
    /// enters the pipeline: its pipeline message name, primary table, images and filtering columns. Which
    /// request name runs which of these is <see cref="BuiltInMessages"/>.
    /// </summary>
    internal sealed class PlatformOperations
    {
        private readonly XrmOrganization _org;
        private readonly CallScope _scope;

        public PlatformOperations(XrmOrganization org, CallScope scope)
        {
            _org = org;
            _scope = scope;
        }

        private EntityStore Store => _org.Store;

        internal ParameterCollection Create(Entity target, OrganizationRequest request, bool mergeMultiple = true)
        {
            if (string.IsNullOrEmpty(target.LogicalName)) throw Faults.InvalidArgument("The entity to create has no logical name.");
            var op = NewOperation("Create", target.LogicalName, request);
            if (mergeMultiple) op.MessageNames = new[] { "Create", "CreateMultiple" };
            var table = _org.Metadata.Table(target.LogicalName);
            if (target.Id == Guid.Empty && target.Attributes.TryGetValue(table.PrimaryIdAttribute, out var given) && given is Guid id) target.Id = id;
            op.PrimaryEntityId = target.Id;
            op.ReadPostImage = () => StoredRow(target.LogicalName, op.PrimaryEntityId);
            _org.Pipeline.Run(op, _scope, o =>
            {
                var row = AttributeValues.ForStore((Entity)o.InputParameters["Target"]);
                Validate(row, creating: true);
                if (row.Id != Guid.Empty && Store.Find(row.LogicalName, row.Id) != null) throw Faults.Duplicate(row.LogicalName, row.Id);
                _org.PrepareNewRow(row, _scope.UserId, _scope.ImpersonatorId);
                BusinessProcessFlows.Stamp(table, row, row, null, _org.UtcNow);
                _org.Written.Share(row);
                Store.Insert(Refilled(row));
                o.PrimaryEntityId = row.Id;
                o.OutputParameters["id"] = row.Id;
                // PostOperation steps see the Target as it was created: its new id and the columns the platform added.
                var created = (Entity)o.InputParameters["Target"];
                created.Id = row.Id;
                foreach (var column in row.Attributes)
                    if (!created.Attributes.ContainsKey(column.Key)) created[column.Key] = AttributeValues.CopyStoredValue(column.Value);
            });
            return op.OutputParameters;
        }

        internal ParameterCollection Update(Entity target, OrganizationRequest request, bool mergeMultiple = true, string message = "Update")
        {
            var existing = Existing(target);
            CheckRowVersion(target, existing, request);
            var op = NewOperation(message, target.LogicalName, request);
            if (mergeMultiple && message == "Update") op.MessageNames = new[] { "Update", "UpdateMultiple" };
            op.PrimaryEntityId = existing.Id;
            op.ChangedColumns = () => ((Entity)op.InputParameters["Target"]).Attributes.Keys;
            op.PreImageRow = existing;
            op.ReadPostImage = () => StoredRow(target.LogicalName, existing.Id);
            _org.Pipeline.Run(op, _scope, o => ApplyUpdate((Entity)o.InputParameters["Target"], existing.Id));
            return op.OutputParameters;
        }

        private void ApplyUpdate(Entity target, Guid id)
        {
            var current = Store.Find(target.LogicalName, id) ?? throw Faults.NotFound(target.LogicalName, id);
            target = AttributeValues.ForStore(target);
            Validate(target, creating: false);
            var primaryId = _org.Metadata.Table(target.LogicalName).PrimaryIdAttribute;
            var row = Updated(current, target, primaryId);

            row["modifiedon"] = _org.UtcNow;
            row["modifiedby"] = new EntityReference("systemuser", _scope.UserId);
            if (_scope.ImpersonatorId is Guid impersonator) row["modifiedonbehalfby"] = new EntityReference("systemuser", impersonator);
            else row.Attributes.Remove("modifiedonbehalfby");
            BusinessProcessFlows.Stamp(_org.Metadata.Table(target.LogicalName), row, target, current, _org.UtcNow);
            _org.Stamp(row);
            // The columns this save wrote: the others hold what the row held, already shared or the row's own.
            _org.Written.Share(row, target.Attributes.Keys);
            _org.Written.Share(row, PlatformWritten);
            Store.Replace(row);
        }

        /// <summary>
        /// The row with its columns in a dictionary made at their number: the platform's columns, added after the caller's,
        /// grow a dictionary to up to twice the room it needs, and the validation's look at the column names leaves a key
        /// view on it; a stored row keeps either for good.
        /// </summary>
        private static Entity Refilled(Entity row)
        {
            var columns = new List<KeyValuePair<string, object>>(row.Attributes.Count);
            foreach (var a in row.Attributes) columns.Add(a);
            row.Attributes = new AttributeCollection();
            row.Attributes.AddRange(columns);
            return row;
        }

        /// <summary>Columns the platform writes on every update (besides the version, which is new each time).</summary>
        private static readonly string[] PlatformWritten = { "modifiedon", "modifiedby", "modifiedonbehalfby", "exchangerate" };

        /// <summary>
        /// The new stored row of an update: the stored row's values where the update leaves them, the update's where it
        /// sets them. The values left are the stored objects themselves, not copies: no stored value is ever changed in
        /// place (every read hands out a copy and every write replaces the row), so the old row and the new can share
        /// them, and a judged deal's forty untouched columns are not copied on each of its saves. Gathered first so that
        /// the row's dictionary is made at its size.
        /// </summary>
        private static Entity Updated(Entity current, Entity target, string primaryId)
        {
            var values = new List<KeyValuePair<string, object>>(current.Attributes.Count + target.Attributes.Count);
            foreach (var a in current.Attributes)
                values.Add(target.Attributes.TryGetValue(a.Key, out var changed) && a.Key != primaryId ? new KeyValuePair<string, object>(a.Key, changed) : a);
            foreach (var a in target.Attributes)
                if (a.Key != primaryId && !current.Attributes.ContainsKey(a.Key)) values.Add(a);
            var row = new Entity(current.LogicalName, current.Id) { RowVersion = current.RowVersion, EntityState = current.EntityState };
            row.Attributes.AddRange(values);
            return row;
        }

        internal ParameterCollection Delete(EntityReference target, OrganizationRequest request)
        {
            var existing = Store.Find(target.LogicalName, target.Id) ?? throw Faults.NotFound(target.LogicalName, target.Id);
            var op = NewOperation("Delete", target.LogicalName, request);
            op.PrimaryEntityId = target.Id;
            op.PreImageRow = existing;
            _org.Pipeline.Run(op, _scope, _ =>
            {
                Store.Remove(target.LogicalName, target.Id);
                // N:N links of the deleted row go with it, as the platform's cascade does.
                foreach (var rel in _org.Metadata.Relationships.Values.Where(r => r.IsManyToMany && (r.Entity1 == target.LogicalName || r.Entity2 == target.LogicalName)))
                {
                    var column = rel.Entity1 == target.LogicalName ? rel.Entity1Attribute : rel.Entity2Attribute;
                    foreach (var link in Store.RowsWhere(rel.IntersectEntity!, column, target.Id).ToList()) Store.Remove(rel.IntersectEntity!, link.Id);
                }
            });
            return op.OutputParameters;
        }

        internal ParameterCollection Retrieve(EntityReference target, ColumnSet columns, OrganizationRequest request)
        {
            if (columns == null) throw Faults.InvalidArgument("Required field 'ColumnSet' is missing");
            // A reference by alternate key finds its row first; none is the platform's not-found-by-key fault.
            var byKey = target.Id == Guid.Empty && target.KeyAttributes.Count > 0;
            var id = byKey ? Existing(new Entity(target.LogicalName) { KeyAttributes = target.KeyAttributes }).Id : target.Id;
            var op = NewOperation("Retrieve", target.LogicalName, request);
            op.PrimaryEntityId = id;
            _org.Pipeline.Run(op, _scope, o =>
            {
                var row = Store.Find(target.LogicalName, id) ?? throw Faults.NotFound(target.LogicalName, id);
                var table = _org.Metadata.Table(target.LogicalName);
                if (!columns.AllColumns)
                    foreach (var c in columns.Columns)
                        if (!table.HasColumn(c)) throw Faults.NoSuchColumn(target.LogicalName, c);
                var wanted = columns.AllColumns ? row.Attributes.Keys.ToList() : columns.Columns.Append(table.PrimaryIdAttribute).Distinct().ToList();
                var copy = AttributeValues.CopyStored(row, wanted.Where(c => row.Attributes.TryGetValue(c, out var v) && v != null));
                o.OutputParameters["Entity"] = copy;
            });
            return op.OutputParameters;
        }

        internal ParameterCollection RetrieveMultiple(QueryBase query, OrganizationRequest request)
        {
            var entity = query switch
            {
                QueryExpression q => q.EntityName,
                QueryByAttribute q => q.EntityName,
                FetchExpression f => FetchEntity(f.Query),
                _ => null,
            };
            var op = NewOperation("RetrieveMultiple", entity, request);
            _org.Pipeline.Run(op, _scope, o => o.OutputParameters["EntityCollection"] = new QueryEngine(_org.Rows) { AggregateRecordLimit = _org.AggregateQueryRecordLimit }.Execute((QueryBase)o.InputParameters["Query"]));
            return op.OutputParameters;
        }

        /// <summary>The table a FetchXML query reads, so RetrieveMultiple steps on it run for FetchXML as for QueryExpression
        /// (a query the engine cannot read fails there, with its own message).</summary>
        private static string? FetchEntity(string fetchXml)
        {
            try
            {
                return System.Xml.Linq.XDocument.Parse(fetchXml).Root?.Element("entity")?.Attribute("name")?.Value;
            }
            catch (System.Xml.XmlException)
            {
                return null;
            }
        }

        internal ParameterCollection Associate(string message, EntityReference target, Relationship relationship, EntityReferenceCollection related, OrganizationRequest request)
        {
            if (relationship == null || !_org.Metadata.Relationships.TryGetValue(relationship.SchemaName, out var rel))
                throw Faults.InvalidArgument($"The relationship '{relationship?.SchemaName}' is not declared in the organization's metadata.");
            Existing(new Entity(target.LogicalName, target.Id));
            foreach (var r in related) Existing(new Entity(r.LogicalName, r.Id));
            var op = NewOperation(message, target.LogicalName, request);
            op.PrimaryEntityId = target.Id;
            _org.Pipeline.Run(op, _scope, _ =>
            {
                foreach (var other in related)
                {
                    if (rel.IsManyToMany) LinkManyToMany(message == "Associate", rel, target, other);
                    else LinkOneToMany(message == "Associate", rel, target, other);
                }
            });
            return op.OutputParameters;
        }

        private void LinkManyToMany(bool associate, RelationshipMetadata rel, EntityReference a, EntityReference b)
        {
            var (one, two) = a.LogicalName == rel.Entity1 ? (a, b) : (b, a);
            var existing = Store.RowsWhere(rel.IntersectEntity!, rel.Entity1Attribute, one.Id)
                .Where(r => r.GetAttributeValue<Guid>(rel.Entity2Attribute) == two.Id).ToList();
            if (associate)
            {
                if (existing.Count > 0) throw Faults.Duplicate(rel.IntersectEntity!, existing[0].Id);
                var link = new Entity(rel.IntersectEntity!, Guid.NewGuid()) { [rel.Entity1Attribute] = one.Id, [rel.Entity2Attribute] = two.Id };
                _org.PrepareNewRow(link, _scope.UserId, _scope.ImpersonatorId);
                Store.Insert(link);
            }
            else
            {
                foreach (var link in existing) Store.Remove(rel.IntersectEntity!, link.Id);
            }
        }

        private void LinkOneToMany(bool associate, RelationshipMetadata rel, EntityReference a, EntityReference b)
        {
            var (one, many) = a.LogicalName == rel.Entity1 ? (a, b) : (b, a);
            ApplyUpdate(new Entity(many.LogicalName, many.Id) { [rel.Entity2Attribute] = associate ? new EntityReference(one.LogicalName, one.Id) : null }, many.Id);
        }

        /// <summary>Upsert runs its own steps, and as its main operation a Create or an Update that run theirs
        /// (learn.microsoft.com/power-apps/developer/data-platform/use-upsert-insert-update-record).</summary>
        internal ParameterCollection Upsert(Entity target, OrganizationRequest request)
        {
            if (string.IsNullOrEmpty(target.LogicalName)) throw Faults.InvalidArgument("The entity to upsert has no logical name.");
            var op = NewOperation("Upsert", target.LogicalName, request);
            var existing = Find(target);
            op.PrimaryEntityId = existing?.Id ?? target.Id;
            _org.Pipeline.Run(op, _scope, o =>
            {
                // What a PreValidation / PreOperation step left in the Target is what is created or updated.
                var given = (Entity)o.InputParameters["Target"];
                var found = Find(given);
                if (found == null)
                {
                    var create = AttributeValues.CloneEntity(given);
                    foreach (var key in given.KeyAttributes) create[key.Key] = AttributeValues.Clone(key.Value);
                    var id = (Guid)Create(create, new PlatformRequest("Create", create))["id"];
                    o.PrimaryEntityId = id;
                    o.OutputParameters["RecordCreated"] = true;
                    o.OutputParameters["Target"] = new EntityReference(given.LogicalName, id);
                }
                else
                {
                    var update = AttributeValues.CloneEntity(given);
                    update.Id = found.Id;
                    Update(update, new PlatformRequest("Update", update));
                    o.PrimaryEntityId = found.Id;
                    o.OutputParameters["RecordCreated"] = false;
                    o.OutputParameters["Target"] = new EntityReference(given.LogicalName, found.Id);
                }
            });
            return op.OutputParameters;
        }

        internal ParameterCollection CreateMultiple(EntityCollection targets, OrganizationRequest request)
        {
            var table = SingleTable(targets, "CreateMultiple");
            var op = NewOperation("CreateMultiple", table, request);
            var ids = new List<Guid>();
            op.ReadPostImage = null;
            _org.Pipeline.Run(op, _scope, o =>
            {
                foreach (var target in ((EntityCollection)o.InputParameters["Targets"]).Entities)
                {
                    var created = Create(target, new PlatformRequest("Create", target), mergeMultiple: false);
                    target.Id = (Guid)created["id"];
                    ids.Add(target.Id);
                }

                o.OutputParameters["Ids"] = ids.ToArray();
                o.PostImageRows = ids.Select(id => StoredRow(table, id)).ToList();
            });
            return op.OutputParameters;
        }

        internal ParameterCollection UpdateMultiple(EntityCollection targets, OrganizationRequest request)
        {
            var table = SingleTable(targets, "UpdateMultiple");
            foreach (var t in targets.Entities) CheckRowVersion(t, Existing(t), request);
            var op = NewOperation("UpdateMultiple", table, request);
            // A step's filtering attributes pass when any target carries one of them, so a plugin on UpdateMultiple
            // sees targets that changed none (learn.microsoft.com/power-apps/developer/data-platform/write-plugin-multiple-operation#attribute-filters).
            op.ChangedColumns = () => ((EntityCollection)op.InputParameters["Targets"]).Entities.SelectMany(e => e.Attributes.Keys).Distinct();
            op.PreImageRows = targets.Entities.Select(t => (Entity?)Existing(t)).ToList();
            _org.Pipeline.Run(op, _scope, o =>
            {
                foreach (var target in ((EntityCollection)o.InputParameters["Targets"]).Entities)
                    Update(target, new PlatformRequest("Update", target), mergeMultiple: false);
                o.PostImageRows = targets.Entities.Select(t => StoredRow(table, Existing(t).Id)).ToList();
            });
            return op.OutputParameters;
        }

        /// <summary>
        /// Optimistic concurrency (learn.microsoft.com/power-apps/developer/data-platform/optimistic-concurrency): with
        /// ConcurrencyBehavior IfRowVersionMatches, a target whose RowVersion is not the stored row's is refused with
        /// ConcurrencyVersionMismatch, so a writer that read a row another has changed since writes nothing. A target
        /// without a RowVersion is refused too (the emulator's wording).
        /// </summary>
        private static void CheckRowVersion(Entity target, Entity existing, OrganizationRequest request)
        {
            if (!(request.Parameters.TryGetValue("ConcurrencyBehavior", out var b) && b is ConcurrencyBehavior.IfRowVersionMatches)) return;
            if (string.IsNullOrEmpty(target.RowVersion))
                throw Faults.InvalidArgument($"The RowVersion of {target.LogicalName} {target.Id} must be given when ConcurrencyBehavior is IfRowVersionMatches.");
            if (target.RowVersion != existing.RowVersion)
                throw Faults.Create(ErrorCodes.ConcurrencyVersionMismatch, "The version of the existing record doesn't match the RowVersion property provided.");
        }

        internal ParameterCollection SetState(EntityReference moniker, OptionSetValue state, OptionSetValue status, OrganizationRequest request)
        {
            var existing = Existing(new Entity(moniker.LogicalName, moniker.Id));
            var op = NewOperation("SetState", moniker.LogicalName, request);
            op.PrimaryEntityId = moniker.Id;
            op.PreImageRow = existing;
            op.ReadPostImage = () => StoredRow(moniker.LogicalName, moniker.Id);
            // SetState is the deprecated twin of an Update of statecode / statuscode, so Update steps run too
            // (learn.microsoft.com/power-apps/developer/data-platform/special-update-operation-behavior).
            _org.Pipeline.Run(op, _scope, o => Within(o).UpdateWithinOperation(new Entity(moniker.LogicalName, moniker.Id)
            {
                ["statecode"] = new OptionSetValue(state.Value),
                ["statuscode"] = status == null || status.Value < 0 ? null : new OptionSetValue(status.Value),
            }));
            return op.OutputParameters;
        }

        internal ParameterCollection Assign(EntityReference target, EntityReference assignee, OrganizationRequest request)
        {
            var existing = Existing(new Entity(target.LogicalName, target.Id));
            var op = NewOperation("Assign", target.LogicalName, request);
            op.PrimaryEntityId = target.Id;
            op.PreImageRow = existing;
            op.ReadPostImage = () => StoredRow(target.LogicalName, target.Id);
            _org.Pipeline.Run(op, _scope, o => Within(o).UpdateWithinOperation(new Entity(target.LogicalName, target.Id) { ["ownerid"] = AttributeValues.CloneReference(assignee) }));
            return op.OutputParameters;
        }

        /// <summary>WinOpportunity / LoseOpportunity: creates the opportunityclose activity and sets the deal's state and the
        /// given status (learn.microsoft.com/dotnet/api/microsoft.crm.sdk.messages.winopportunityrequest); steps see the
        /// messages as Win and Lose, with OpportunityClose and Status as input parameters.</summary>
        internal ParameterCollection CloseOpportunity(string message, Entity close, OptionSetValue? status, bool won, OrganizationRequest request)
        {
            var opportunity = close.GetAttributeValue<EntityReference>("opportunityid")
                ?? throw Faults.InvalidArgument("The opportunity close activity must have an opportunityid.");
            var existing = Existing(new Entity("opportunity", opportunity.Id));
            if (existing.GetAttributeValue<OptionSetValue>("statecode")?.Value is 1 or 2)
                throw Faults.InvalidArgument("The opportunity is already closed.");
            var op = NewOperation(message, "opportunity", request);
            op.PrimaryEntityId = opportunity.Id;
            op.PreImageRow = existing;
            op.ReadPostImage = () => StoredRow("opportunity", opportunity.Id);
            _org.Pipeline.Run(op, _scope, o =>
            {
                var activity = AttributeValues.ForStore((Entity)o.InputParameters["OpportunityClose"]);
                _org.PrepareNewRow(activity, _scope.UserId, _scope.ImpersonatorId);
                activity["statecode"] = new OptionSetValue(1);
                activity["statuscode"] = new OptionSetValue(2);
                Store.Insert(activity);
                var actualEnd = activity.GetAttributeValue<DateTime?>("actualend") ?? _org.UtcNow.Date;
                var closed = new Entity("opportunity", opportunity.Id)
                {
                    ["statecode"] = new OptionSetValue(won ? 1 : 2),
                    ["statuscode"] = new OptionSetValue(status?.Value > 0 ? status.Value : won ? 3 : 4),
                    ["actualvalue"] = activity.GetAttributeValue<Money>("actualrevenue") is { } revenue ? new Money(revenue.Value) : null,
                    ["actualclosedate"] = actualEnd,
                };
                // Whether the platform runs Update steps when a deal is won or lost is not documented: the organization
                // says which way it models (both ways are tested by whoever depends on it).
                // The platform's own Update runs as a child of the Win / Lose: its steps see that message as ParentContext.
                if (_org.ClosingOpportunityRunsUpdateSteps) Within(o).UpdateWithinOperation(closed);
                else ApplyUpdate(closed, opportunity.Id);
            });
            return op.OutputParameters;
        }

        /// <summary>The platform's operations run by <paramref name="parent"/>'s main operation: the same caller and depth,
        /// with the parent's context as ParentContext, as Assign's internal Update has
        /// (learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.ipluginexecutioncontext.parentcontext).</summary>
        private PlatformOperations Within(PipelineOperation parent) =>
            new(_org, new CallScope(_scope.UserId, _scope.InitiatingUserId, _scope.Depth, _org.Pipeline.OperationContext(parent, _scope), _scope.Caller, _scope.CorrelationId)
            {
                ImpersonatorId = _scope.ImpersonatorId,
            });

        private void UpdateWithinOperation(Entity target) =>
            Update(target, new PlatformRequest("Update", target));

        internal ParameterCollection WhoAmI()
        {
            return new ParameterCollection
            {
                ["UserId"] = _scope.UserId,
                ["BusinessUnitId"] = _org.BusinessUnitOf(_scope.UserId),
                ["OrganizationId"] = _org.OrganizationId,
            };
        }

        internal ParameterCollection ExecuteMultiple(OrganizationRequest request)
        {
            var requests = Param<OrganizationRequestCollection>(request.Parameters, "Requests");
            var settings = OptionalParam<object>(request.Parameters, "Settings");
            var continueOnError = Setting(settings, "ContinueOnError");
            var returnResponses = Setting(settings, "ReturnResponses");
            CheckBatchSize(requests);
            var items = MultipleResponses.NewCollection();
            var faulted = false;
            var service = new OrganizationService(_org, _scope);
            for (var i = 0; i < requests.Count; i++)
            {
                try
                {
                    // "No recursion is allowed": an ExecuteMultiple in the collection is a fault for that item; an
                    // ExecuteTransaction may be one (learn.microsoft.com/power-apps/developer/data-platform/org-service/execute-multiple-requests#run-time-limitations).
                    if (requests[i]?.RequestName == "ExecuteMultiple")
                        throw Faults.InvalidArgument("ExecuteMultipleRequest cannot contain an ExecuteMultipleRequest: no recursion is allowed.");
                    var response = service.Execute(requests[i]);
                    if (returnResponses) items.Add(MultipleResponses.Item(i, response, null));
                }
                catch (FaultException<OrganizationServiceFault> fault)
                {
                    faulted = true;
                    items.Add(MultipleResponses.Item(i, null, fault.Detail));
                    if (!continueOnError) break;
                }
            }

            return new ParameterCollection { ["IsFaulted"] = faulted, ["Responses"] = items };
        }

        internal ParameterCollection ExecuteTransaction(OrganizationRequest request)
        {
            var requests = Param<OrganizationRequestCollection>(request.Parameters, "Requests");
            var returnResponses = OptionalParam<bool?>(request.Parameters, "ReturnResponses") ?? false;
            CheckBatchSize(requests);
            // "An ExecuteTransactionRequest instance may not contain a ExecuteMultipleRequest or ExecuteTransactionRequest"
            // (learn.microsoft.com/power-apps/developer/data-platform/org-service/use-executetransaction).
            var nested = requests.Select((r, i) => (r, i)).FirstOrDefault(x => x.r?.RequestName is "ExecuteMultiple" or "ExecuteTransaction");
            if (nested.r != null)
                throw new FaultException<OrganizationServiceFault>(new ExecuteTransactionFault
                {
                    ErrorCode = ErrorCodes.InvalidArgument,
                    Message = $"ExecuteTransactionRequest cannot contain an {nested.r.RequestName}Request.",
                    Timestamp = DateTime.UtcNow,
                    FaultedRequestIndex = nested.i,
                }, new FaultReason($"ExecuteTransactionRequest cannot contain an {nested.r.RequestName}Request."));
            var responses = new OrganizationResponseCollection();
            var service = new OrganizationService(_org, _scope);
            var index = 0;
            try
            {
                _org.InTransaction(() =>
                {
                    for (index = 0; index < requests.Count; index++)
                    {
                        var response = service.Execute(requests[index]);
                        if (returnResponses) responses.Add(response);
                    }
                });
            }
            catch (FaultException<OrganizationServiceFault> fault)
            {
                // As the platform: an ExecuteTransactionFault naming the request, with the request's own fault inside.
                var detail = fault.Detail;
                var transactionFault = new ExecuteTransactionFault
                {
                    ErrorCode = detail.ErrorCode,
                    Message = detail.Message,
                    TraceText = detail.TraceText,
                    Timestamp = detail.Timestamp,
                    InnerFault = detail,
                    FaultedRequestIndex = index,
                };
                throw new FaultException<OrganizationServiceFault>(transactionFault, new FaultReason(detail.Message));
            }

            return new ParameterCollection { ["Responses"] = responses };
        }

        /// <summary>More requests than the maximum batch size (1000) fault before the first runs, with the maximum in
        /// ErrorDetails["MaxBatchSize"] (learn.microsoft.com/power-apps/developer/data-platform/org-service/execute-multiple-requests#handle-a-batch-size-fault).</summary>
        private void CheckBatchSize(OrganizationRequestCollection requests)
        {
            if (requests.Count <= _org.MaxBatchSize) return;
            var fault = Faults.InvalidArgument($"The number of requests ({requests.Count}) exceeds the maximum batch size of {_org.MaxBatchSize}.");
            fault.Detail.ErrorDetails["MaxBatchSize"] = _org.MaxBatchSize;
            throw fault;
        }

        private PipelineOperation NewOperation(string message, string? table, OrganizationRequest request)
        {
            // The pipeline works on what it deserialized from the request, never on the caller's objects. A request the
            // platform makes itself as part of another (an Update inside SetState) crosses no boundary: a copy will do.
            ParameterCollection inputs;
            if (request is PlatformRequest)
            {
                inputs = new ParameterCollection();
                foreach (var p in request.Parameters) inputs[p.Key] = AttributeValues.Clone(p.Value);
            }
            else inputs = Deserialized(request, observed: Observed(message));
            return new PipelineOperation(message, table, inputs, _org.UtcNow) { RequestId = request.RequestId };
        }

        /// <summary>Whether an enabled step is registered on the message (a loop: asked for every request).</summary>
        private bool Observed(string message)
        {
            var steps = _org.Steps;
            for (var i = 0; i < steps.Count; i++)
                if (steps[i].Enabled && string.Equals(steps[i].Message, message, StringComparison.OrdinalIgnoreCase)) return true;
            return false;
        }

        /// <summary>The request's parameters as the platform receives them: through the SDK's data contracts, so a value no
        /// contract describes is refused as the SDK refuses to send it.</summary>
        internal static ParameterCollection Deserialized(OrganizationRequest request, bool observed = true)
        {
            try
            {
                return SandboxBoundary.Request(request.Parameters, request.RequestName + " request", observed);
            }
            catch (NotSerializableValueException ex)
            {
                throw Faults.InvalidArgument(ex.Message);
            }
        }

        /// <summary>
        /// Holds the columns a Create or Update writes to the platform's rules: columns that are not valid for the
        /// operation are dropped as Dataverse drops them, undeclared columns and wrong types fail, date and time values
        /// are stored as their column's behaviour says, values beyond a column's limits fail, and a lookup must point to
        /// a row that exists.
        /// </summary>
        private void Validate(Entity row, bool creating)
        {
            var table = _org.Metadata.Table(row.LogicalName);
            WriteRules.DropNotValidFor(row, creating);
            if (table.HasDeclaredColumns)
            {
                foreach (var a in row.Attributes)
                {
                    if (!table.HasColumn(a.Key)) throw Faults.NoSuchColumn(row.LogicalName, a.Key);
                    if (table.Columns.TryGetValue(a.Key, out var column) && !column.Accepts(a.Value))
                        throw Faults.InvalidArgument($"Incorrect type of attribute value {a.Value?.GetType().FullName} for '{a.Key}' of '{row.LogicalName}' ({column.Type} expected).");
                }
            }

            DateTimeValues.StoreAll(row, table);
            table.EnforceLimits(row);
            if (_org.ValidateReferences) CheckReferences(row);
        }

        /// <summary>A lookup to a row that does not exist is refused with the platform's ObjectDoesNotExist fault
        /// ("{table} With Id = {id} Does Not Exist"); a lookup given by alternate key gets the row's id.</summary>
        private void CheckReferences(Entity row)
        {
            foreach (var a in row.Attributes.ToList())
            {
                if (a.Value is not EntityReference reference || string.IsNullOrEmpty(reference.LogicalName)) continue;
                if (reference.Id == Guid.Empty && reference.KeyAttributes.Count > 0)
                {
                    var found = Find(new Entity(reference.LogicalName) { KeyAttributes = reference.KeyAttributes })
                        ?? throw Faults.Create(ErrorCodes.ObjectDoesNotExist, $"A record with the specified key values does not exist in {reference.LogicalName} entity");
                    row[a.Key] = new EntityReference(reference.LogicalName, found.Id) { Name = reference.Name };
                    continue;
                }

                if (Store.Find(reference.LogicalName, reference.Id) == null) throw Faults.NotFound(reference.LogicalName, reference.Id);
            }
        }

        /// <summary>The stored row a target points to (by id or alternate key); the platform's fault when there is none.</summary>
        private Entity Existing(Entity target) =>
            Find(target) ?? throw (target.Id != Guid.Empty || target.KeyAttributes.Count == 0
                ? Faults.NotFound(target.LogicalName, target.Id)
                : Faults.Create(ErrorCodes.ObjectDoesNotExist, $"A record with the specified key values does not exist in {target.LogicalName} entity"));

        private Entity? Find(Entity target)
        {
            if (target.Id != Guid.Empty) return Store.Find(target.LogicalName, target.Id);
            if (target.KeyAttributes.Count == 0) return null;
            var first = target.KeyAttributes.First();
            return Store.RowsWhere(target.LogicalName, first.Key, first.Value)
                .FirstOrDefault(r => target.KeyAttributes.All(k => Equals(AttributeValues.IndexKey(r.Attributes.TryGetValue(k.Key, out var v) ? v : null), AttributeValues.IndexKey(k.Value))));
        }

        /// <summary>The stored row itself, for an image: images copy their columns from it (<see cref="AttributeValues.CopyStored"/>),
        /// and a stored row is never changed in place, so what an image reads is the row as it was when read.</summary>
        private Entity? StoredRow(string table, Guid id) => Store.Find(table, id);

        private static string SingleTable(EntityCollection targets, string message)
        {
            if (targets == null || targets.Entities.Count == 0) throw Faults.InvalidArgument($"{message}: Targets must contain at least one entity.");
            var table = targets.EntityName ?? targets.Entities[0].LogicalName;
            if (targets.Entities.Any(e => e.LogicalName != table))
                throw Faults.InvalidArgument($"{message}: every target must be of table '{table}'.");
            return table;
        }

        private static bool Setting(object? settings, string name) =>
            settings?.GetType().GetProperty(name)?.GetValue(settings) is true;

        internal static T Param<T>(ParameterCollection parameters, string key) where T : class =>
            parameters.TryGetValue(key, out var value) && value is T typed
                ? typed
                : throw Faults.InvalidArgument($"Required field '{key}' is missing or is not a {typeof(T).Name}.");

        internal static T? OptionalParam<T>(ParameterCollection parameters, string key) =>
            parameters.TryGetValue(key, out var value) && value is T typed ? typed : default;
    }

    /// <summary>A request the platform makes as part of carrying out another (the Update of a SetState, the Creates of a
    /// CreateMultiple): its values were already deserialized, so it is not serialized again.</summary>
    internal sealed class PlatformRequest : OrganizationRequest
    {
        public PlatformRequest(string name, Entity target)
        {
            RequestName = name;
            Parameters["Target"] = target;
        }
    }
}
