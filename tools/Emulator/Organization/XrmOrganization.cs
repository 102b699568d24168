using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using System.ServiceModel;
using CrmPlugins.Emulator.Pipeline;
using CrmPlugins.Emulator.Query;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator
{
    /// <summary>
    /// An in-process Dataverse organization: rows, metadata, users and business units, registered plugin
    /// steps, and organization services that run every request through the event pipeline.
    /// The FakeXrmEasy-style entry points are <see cref="Seed(Entity[])"/> (arrange), <see cref="GetOrganizationService"/>
    /// (act through the pipeline), <see cref="ExecutePlugin{TPlugin}"/> (run one plugin with a given context)
    /// and <see cref="Get"/> (assert on what is stored).
    /// </summary>
    public sealed partial class XrmOrganization
    {
        private readonly List<PluginExecution> _executions = new();
        private readonly List<AsyncOperation> _asyncOperations = new();
        private readonly List<FaultRule> _faultRules = new();
        private long _version = 1000;
        private DateTime? _fixedNow;

        public XrmOrganization(string organizationName = "emulated")
        {
            OrganizationName = organizationName;
            Store = new EntityStore();
            Pipeline = new MessagePipeline(this);
            Rows = new StoreRowSource(this);
            Messages = new MessageRegistry(BuiltInMessages.All());

            Seed(new Entity("organization", OrganizationId) { ["name"] = organizationName, ["basecurrencyid"] = new EntityReference("transactioncurrency", BaseCurrencyId) });
            Seed(new Entity("transactioncurrency", BaseCurrencyId)
            {
                ["currencyname"] = "US Dollar", ["isocurrencycode"] = "USD", ["currencysymbol"] = "$",
                ["exchangerate"] = 1.0m, ["currencyprecision"] = 2,
            });
            Seed(new Entity("businessunit", RootBusinessUnitId) { ["name"] = organizationName });
            Seed(new Entity("systemuser", SystemUserId) { ["fullname"] = "SYSTEM", ["businessunitid"] = new EntityReference("businessunit", RootBusinessUnitId) });
            Seed(new Entity("systemuser", AdministratorId) { ["fullname"] = "Administrator", ["businessunitid"] = new EntityReference("businessunit", RootBusinessUnitId), ["isdisabled"] = false });
        }

        public Guid OrganizationId { get; } = new("00000000-0000-0000-0000-00000000000a");

        public string OrganizationName { get; }

        /// <summary>The organization's base currency (US Dollar, exchange rate 1).</summary>
        public Guid BaseCurrencyId { get; } = new("00000000-0000-0000-0000-0000000000c1");

        /// <summary>The root business unit.</summary>
        public Guid RootBusinessUnitId { get; } = new("00000000-0000-0000-0000-0000000000b1");

        /// <summary>The SYSTEM user: CreateOrganizationService(null) runs as it.</summary>
        public Guid SystemUserId { get; } = new("00000000-0000-0000-0000-000000000051");

        /// <summary>The user a service runs as when no user is given.</summary>
        public Guid AdministratorId { get; } = new("00000000-0000-0000-0000-0000000000ad");

        /// <summary>The maximum plugin depth (the platform's default is 8); deeper calls fail as an infinite loop.</summary>
        public int MaxDepth { get; set; } = 8;

        /// <summary>The most requests an ExecuteMultiple or ExecuteTransaction may carry (the platform's usual 1000).</summary>
        public int MaxBatchSize { get; set; } = 1000;

        /// <summary>
        /// How long a plugin execution may run (the sandbox's limit is 2 minutes); one that runs longer fails with the
        /// platform's SandboxClientPluginTimeout fault. A test sets a few milliseconds to prove a plugin's handling of it.
        /// </summary>
        public TimeSpan PluginExecutionTimeLimit { get; set; } = TimeSpan.FromMinutes(2);

        /// <summary>
        /// Whether WinOpportunity / LoseOpportunity run the steps registered on Update of opportunity (true: the close is
        /// carried out as a nested Update of statecode, statuscode, actualvalue and actualclosedate). Microsoft documents
        /// the Win and Lose messages but not whether Update steps run for them, so code that must hold on every close
        /// registers on Win and Lose too, and its tests run both ways.
        /// </summary>
        public bool ClosingOpportunityRunsUpdateSteps { get; set; } = true;

        /// <summary>
        /// Whether a Create or Update whose lookup points to a row that does not exist fails as in Dataverse (default true:
        /// "{table} With Id = {id} Does Not Exist", 0x80040217). Seeded rows are not checked.
        /// </summary>
        public bool ValidateReferences { get; set; } = true;

        /// <summary>The first month (1-12) of the fiscal year, for fiscal date operators.</summary>
        public int FiscalYearStartMonth { get; set; } = 1;

        /// <summary>The organization's clock (UTC). Set <see cref="UtcNow"/> for deterministic tests.</summary>
        public DateTime UtcNow
        {
            get => _fixedNow ?? DateTime.UtcNow;
            set => _fixedNow = DateTime.SpecifyKind(value, DateTimeKind.Utc);
        }

        public OrganizationMetadata Metadata { get; } = new();

        /// <summary>Security roles and field security (off until <see cref="OrganizationSecurity.Enforced"/> is set).</summary>
        public OrganizationSecurity Security => _security ??= new OrganizationSecurity(this);

        private OrganizationSecurity? _security;

        /// <summary>The messages the organization answers, by name: the built-in ones, and those added from outside
        /// (custom messages, Custom APIs, mocks).</summary>
        public MessageRegistry Messages { get; }

        /// <summary>
        /// Fakes a message (FakeXrmEasy's fake message executor): every call to <paramref name="messageName"/> answers
        /// what <paramref name="respond"/> returns, with no pipeline, no steps and no security check. Calls are still
        /// counted and fault rules still apply. Replaces the message when it exists.
        /// </summary>
        public void Mock(string messageName, Func<OrganizationRequest, OrganizationResponse> respond) =>
            Messages.Replace(new MockMessage(messageName, respond));

        /// <summary>The registered plugin steps.</summary>
        public IList<PluginStep> Steps { get; } = new List<PluginStep>();

        /// <summary>Every plugin execution so far, in order, with its trace and service calls (the latest
        /// <see cref="ExecutionRecordLimit"/> of them when that is set).</summary>
        public IReadOnlyList<PluginExecution> Executions => _executions;

        /// <summary>
        /// How many records of plugin and workflow activity executions, and of succeeded system jobs, are kept: the
        /// latest ones. Null (the default) keeps every one, as tests that assert on them need; a bulk run over a whole
        /// org sets a bound, since each record holds its context, images and trace, and 0 keeps none. Failed jobs are
        /// always kept, with the record of their last attempt.
        /// </summary>
        public int? ExecutionRecordLimit { get; set; }

        /// <summary>
        /// The most rows an aggregate query may read (Dataverse's AggregateQueryRecordLimit: 50,000 online, where it cannot be
        /// raised). Lowering it lets a test meet the limit with a few thousand rows.
        /// </summary>
        public int AggregateQueryRecordLimit { get; set; } = Query.QueryFaults.AggregateRecordLimit;

        /// <summary>Drops the oldest records past <see cref="ExecutionRecordLimit"/>, in chunks so that adding stays cheap.</summary>
        internal void Bound<T>(List<T> records)
        {
            if (ExecutionRecordLimit is int limit && records.Count > 2 * Math.Max(limit, 1)) records.RemoveRange(0, records.Count - limit);
        }

        /// <summary>Every organization service call made through any service of this organization, by message.</summary>
        public ServiceCallCounter Calls { get; } = new();

        /// <summary>System jobs of asynchronous steps (waiting, succeeded or failed).</summary>
        public IReadOnlyList<AsyncOperation> AsyncOperations => _asyncOperations;

        /// <summary>The rows as the query engine reads them.</summary>
        public IRowSource Rows { get; }

        internal EntityStore Store { get; }

        internal MessagePipeline Pipeline { get; }

        internal List<QueuedAsync>? PendingAsync { get; set; }

        /// <summary>An organization service running as the user (default: <see cref="AdministratorId"/>). Every call goes through the pipeline.</summary>
        public IOrganizationService GetOrganizationService(Guid? userId = null) =>
            new OrganizationService(this, CallScope.External(userId ?? AdministratorId));

        /// <summary>Registers a step and returns it for further set-up (images, filtering attributes...).</summary>
        public PluginStep RegisterStep(PluginStep step)
        {
            step.CheckImages();
            Steps.Add(step);
            return step;
        }

        /// <summary>Registers a plugin type on a message, table and stage.</summary>
        public PluginStep RegisterPlugin<TPlugin>(string message, string? primaryEntity, int stage, int mode = Modes.Synchronous) where TPlugin : IPlugin =>
            RegisterStep(new PluginStep($"{typeof(TPlugin).Name}: {message} of {primaryEntity ?? "any"}", typeof(TPlugin), message, primaryEntity, stage, mode));

        /// <summary>Adds rows as they are, without running the pipeline (arrange step of a test). Missing ids, owner,
        /// state and audit columns are filled as a create would.</summary>
        public void Seed(params Entity[] rows) => Seed((IEnumerable<Entity>)rows);

        public void Seed(IEnumerable<Entity> rows)
        {
            foreach (var row in rows)
            {
                var copy = AttributeValues.ForStore(row);
                DateTimeValues.StoreAll(copy, Metadata.Table(copy.LogicalName));
                PrepareNewRow(copy, AdministratorId);
                Store.Insert(copy);
            }
        }

        /// <summary>
        /// Adds rows as <see cref="Seed(IEnumerable{Entity})"/> does, but stores the given objects themselves rather than
        /// copies, filling what a create fills in place: a bulk load (an export of a million rows) then holds each row
        /// once. The rows are the organization's afterwards: the caller must not change them, nor rely on them showing
        /// later writes (the store replaces a row on update). As with every stored row, formatted values and alternate keys
        /// on a row, or on a lookup with an id, are not read back (<see cref="AttributeValues.ForStore"/>).
        /// </summary>
        public void SeedInPlace(IEnumerable<Entity> rows)
        {
            var shared = new SharedValues();
            // Each row is filled on one entity whose columns' room, grown by the first rows, serves all the others, then
            // gets its own columns made at their final size: a row's dictionary grown a column at a time held up to twice
            // the room it needs, and growing it (twice a row, to a million rows) was most of what seeding threw away.
            // Columns are moved through an array kept for it (CopyTo), not enumerated: an enumerator is an object a walk.
            var filling = new Entity();
            var buffer = new KeyValuePair<string, object>[SmallRowColumns];
            var columns = new List<KeyValuePair<string, object>>(SmallRowColumns);
            foreach (var row in rows)
            {
                filling.LogicalName = row.LogicalName;
                filling.Id = row.Id;
                filling.RowVersion = row.RowVersion;
                filling.Attributes.Clear();
                var given = Columns(row, ref buffer);
                for (var i = 0; i < given; i++) filling.Attributes.Add(buffer[i]);
                DateTimeValues.StoreAll(filling, Metadata.Table(row.LogicalName));
                PrepareNewRow(filling, AdministratorId, shared: shared);
                var filled = Columns(filling, ref buffer);
                columns.Clear();
                for (var i = 0; i < filled; i++) columns.Add(buffer[i]);
                row.Attributes = new AttributeCollection();
                row.Attributes.AddRange(columns);
                if (row.Id != filling.Id) row.Id = filling.Id;
                row.RowVersion = filling.RowVersion;
                Store.Insert(row);
            }
        }

        // Room for the columns of most rows, so that neither the filling nor the list grows after the first rows.
        private const int SmallRowColumns = 32;

        /// <summary>Copies the row's columns to the start of <paramref name="buffer"/> (made larger when they do not fit) and
        /// returns how many there are.</summary>
        private static int Columns(Entity row, ref KeyValuePair<string, object>[] buffer)
        {
            var count = row.Attributes.Count;
            if (buffer.Length < count) buffer = new KeyValuePair<string, object>[count * 2];
            row.Attributes.CopyTo(buffer, 0);
            return count;
        }

        /// <summary>A copy of a stored row, or null when there is none.</summary>
        public Entity? Get(string table, Guid id)
        {
            var row = Store.Find(table, id);
            return row == null ? null : AttributeValues.CopyStored(row);
        }

        /// <summary>Copies of every stored row of a table.</summary>
        public IReadOnlyList<Entity> All(string table) => Store.Rows(table).Select(r => AttributeValues.CopyStored(r)).ToList();

        /// <summary>A deep copy of every row, to compare the organization before and after an operation.</summary>
        public IReadOnlyDictionary<(string Table, Guid Id), Entity> Snapshot() => Store.Snapshot();

        /// <summary>Runs one plugin directly with a context built by the test (FakeXrmEasy's ExecutePluginWith):
        /// no pipeline, no transaction; the plugin's service calls do run through the pipeline.</summary>
        public PluginExecution ExecutePlugin<TPlugin>(PluginExecutionContext context, string? unsecureConfiguration = null, string? secureConfiguration = null) where TPlugin : IPlugin
        {
            var step = new PluginStep(typeof(TPlugin).Name, typeof(TPlugin), context.MessageName, context.PrimaryEntityName, context.Stage == 0 ? Stages.PreOperation : context.Stage)
            {
                UnsecureConfiguration = unsecureConfiguration,
                SecureConfiguration = secureConfiguration,
            };
            if (context.UserId == Guid.Empty) context.UserId = AdministratorId;
            if (context.InitiatingUserId == Guid.Empty) context.InitiatingUserId = context.UserId;
            if (context.OrganizationId == Guid.Empty) context.OrganizationId = OrganizationId;
            if (context.BusinessUnitId == Guid.Empty) context.BusinessUnitId = BusinessUnitOf(context.UserId);
            if (context.CorrelationId == Guid.Empty) context.CorrelationId = Guid.NewGuid();
            return RunPlugin(step, step.PluginType, () => step.Instance, context, CallScope.External(context.UserId));
        }

        /// <summary>The business unit of a user (the root business unit when unknown).</summary>
        public Guid BusinessUnitOf(Guid userId) =>
            Store.Find("systemuser", userId)?.GetAttributeValue<EntityReference>("businessunitid")?.Id ?? RootBusinessUnitId;

        internal PluginExecution RunPlugin(PluginStep? step, Type pluginType, IPlugin plugin, PluginExecutionContext context, CallScope scope) =>
            RunPlugin(step, pluginType, () => plugin, context, scope);

        /// <summary>
        /// Runs one plugin execution as the sandbox does: the plugin is constructed (a constructor that throws, or none
        /// the platform can call, is the platform's UnableToLoadPluginType), gets its own deserialized copy of the context
        /// and hands its parameters and shared variables back serialized; a synchronous execution that outlives
        /// <see cref="PluginExecutionTimeLimit"/> times out, and one that caught the fault of its own service call and
        /// carried on fails, because that fault already ended the transaction. Whatever it throws reaches the caller as a
        /// <c>FaultException&lt;OrganizationServiceFault&gt;</c>.
        /// </summary>
        internal PluginExecution RunPlugin(PluginStep? step, Type pluginType, Func<IPlugin> plugin, PluginExecutionContext context, CallScope scope)
        {
            var execution = new PluginExecution(step, pluginType, context);
            context.Record = execution;
            _executions.Add(execution);
            Bound(_executions);
            var tracing = new TracingService(execution);
            try
            {
                var instance = Construct(pluginType, plugin, execution);
                var sandboxed = step?.Sandboxed ?? true;
                if (sandboxed) SandboxBoundary.Enter(context);
                var factory = new ServiceFactory(this, context, context, execution);
                var started = Stopwatch.GetTimestamp();
                instance.Execute(new PluginServiceProvider(context, tracing, factory));
                if (Stopwatch.GetElapsedTime(started) > PluginExecutionTimeLimit)
                    throw Faults.Create(ErrorCodes.SandboxClientPluginTimeout,
                        $"The plug-in execution failed because the operation has timed-out at the Sandbox Client. ({pluginType.FullName} ran longer than {PluginExecutionTimeLimit}.)", execution.Trace);
                if (execution.SwallowedFault != null)
                    throw Faults.Create(ErrorCodes.IsvReducedTransactionCount,
                        "ISV code reduced the open transaction count. Custom plug-ins should not catch exceptions from OrganizationService calls and continue processing.",
                        execution.Trace, execution.SwallowedFault.Detail);
                if (sandboxed) SandboxBoundary.Leave(context);
                return execution;
            }
            catch (Exception ex)
            {
                execution.Exception = ex;
                throw ToFault(ex, pluginType, execution.Trace);
            }
        }

        private static IPlugin Construct(Type pluginType, Func<IPlugin> plugin, PluginExecution execution)
        {
            try
            {
                return plugin();
            }
            catch (Exception ex)
            {
                var cause = ex is TargetInvocationException { InnerException: { } inner } ? $"its constructor threw {inner.GetType().FullName}: {inner.Message}" : ex.Message;
                throw Faults.Create(ErrorCodes.UnableToLoadPluginType, $"Unable to load plug-in type. {pluginType.FullName}: {cause}", execution.Trace);
            }
        }

        /// <summary>
        /// Runs <paramref name="work"/> in the open database transaction, or in a new one that commits when the work
        /// ends (queueing the asynchronous steps it triggered) and rolls back every write when it throws.
        /// </summary>
        internal T InTransaction<T>(Func<T> work)
        {
            if (Store.Transaction != null) return work();
            var transaction = new StoreTransaction();
            Store.Transaction = transaction;
            PendingAsync = new List<QueuedAsync>();
            T result;
            try
            {
                result = work();
            }
            catch
            {
                transaction.Rollback();
                Store.Transaction = null;
                PendingAsync = null;
                throw;
            }

            var pending = PendingAsync;
            Store.Transaction = null;
            PendingAsync = null;
            foreach (var queued in pending) QueueAsync(queued);
            return result;
        }

        internal void InTransaction(Action work) => InTransaction(() => { work(); return true; });

        /// <summary>Turns what a plugin threw into what the caller of the organization service sees: an
        /// InvalidPluginExecutionException as IsvAborted (or its own error code) with its message and details, anything
        /// else as IsvUnExpected with the platform's "Unexpected exception from plug-in (Execute)" text
        /// (learn.microsoft.com/power-apps/developer/data-platform/best-practices/business-logic/use-invalidpluginexecutionexception-plugin-workflow-activities).</summary>
        private static Exception ToFault(Exception ex, Type pluginType, string trace) => ex switch
        {
            FaultException<OrganizationServiceFault> fault => fault,
            InvalidPluginExecutionException ipe => WithDetails(Faults.Create(IsCustomErrorCode(ipe.ErrorCode) ? ipe.ErrorCode : ErrorCodes.IsvAborted, ipe.Message, trace), ipe.ExceptionDetails),
            NotSerializableValueException bad => Faults.Create(ErrorCodes.IsvUnExpected,
                $"An unexpected error occurred from ISV code. (ErrorType = ClientError) Unexpected exception from plug-in (Execute): {pluginType.FullName}: {typeof(System.Runtime.Serialization.SerializationException).FullName}: {bad.Message}", trace),
            _ => Faults.Create(ErrorCodes.IsvUnExpected,
                $"An unexpected error occurred from ISV code. (ErrorType = ClientError) Unexpected exception from plug-in (Execute): {pluginType.FullName}: {ex.GetType().FullName}: {ex.Message}", trace),
        };

        /// <summary>The plugin's exception details reach the caller in the fault's ErrorDetails, e.g. which row of a bulk
        /// request failed (learn.microsoft.com/power-apps/developer/data-platform/write-plugin-multiple-operation#get-exception-details).</summary>
        private static FaultException<OrganizationServiceFault> WithDetails(FaultException<OrganizationServiceFault> fault, IReadOnlyDictionary<string, string> details)
        {
            foreach (var detail in details) fault.Detail.ErrorDetails[detail.Key] = detail.Value;
            return fault;
        }

        /// <summary>A plugin exception's ErrorCode is its HResult (Microsoft's SDK): a code the plugin gave, or
        /// <see cref="Exception"/>'s own 0x80131500 when it gave none, which the caller sees as IsvAborted.</summary>
        private static bool IsCustomErrorCode(int errorCode) => errorCode != 0 && errorCode != unchecked((int)0x80131500);

        /// <summary>The user of the request being executed (for EqualUserId).</summary>
        internal Guid CurrentCaller { get; set; }
    }
}
