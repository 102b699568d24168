using System;
using System.Collections.Generic;
using System.Linq;
using System.ServiceModel;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator.Pipeline
{
    /// <summary>
    /// Runs one request the way Dataverse's event pipeline does: PreValidation (outside the transaction
    /// for a call from outside), then inside one database transaction PreOperation, the main operation and
    /// synchronous PostOperation; asynchronous PostOperation steps are queued when the outermost
    /// transaction commits. Any exception rolls the whole transaction back and reaches the caller as a
    /// <c>FaultException&lt;OrganizationServiceFault&gt;</c>, as the platform shows it.
    /// </summary>
    internal sealed class MessagePipeline
    {
        private readonly XrmOrganization _org;

        public MessagePipeline(XrmOrganization org) => _org = org;

        // The organization's id as text, which every context carries: made once, not for each context.
        private string? _environmentId;

        /// <summary>Runs a request through the pipeline. <paramref name="mainOperation"/> is the platform's
        /// own work (stage 30); it reads the possibly changed input parameters and fills the outputs.</summary>
        public void Run(PipelineOperation op, CallScope scope, Action<PipelineOperation> mainOperation)
        {
            var depth = scope.Depth + 1;
            if (depth > _org.MaxDepth)
                throw Faults.Create(ErrorCodes.InfiniteLoop,
                    "This workflow job was canceled because the workflow that started it included an infinite loop. Correct the workflow logic and try again. For information about workflow logic, see Help.");

            op.Depth = depth;
            var steps = StepsFor(op);

            // A call from outside runs PreValidation before the transaction opens; a nested call is already inside one.
            RunStage(op, scope, depth, steps, Stages.PreValidation, inTransaction: _org.Store.Transaction != null);

            _org.InTransaction(() =>
            {
                RunStage(op, scope, depth, steps, Stages.PreOperation, inTransaction: true);
                op.PreImageRow ??= op.ReadPreImage?.Invoke();
                mainOperation(op);
                op.PostImageRow = op.ReadPostImage?.Invoke();
                RunStage(op, scope, depth, steps, Stages.PostOperation, inTransaction: true);
                foreach (var step in steps)
                    if (step.Stage == Stages.PostOperation && step.Mode == Modes.Asynchronous && Applies(step, op))
                        _org.PendingAsync!.Add(new QueuedAsync(step, BuildContext(op, scope, depth, step, inTransaction: false)));
            });
        }

        /// <summary>
        /// The steps of the operation in the order they run: by stage, by the message they are registered on (a Create's
        /// own steps before those of CreateMultiple), by rank, then as registered. Asked for every request, nested ones
        /// included: a plain loop, since most requests match no step or one.
        /// </summary>
        private List<PluginStep> StepsFor(PipelineOperation op)
        {
            var all = _org.Steps;
            List<(PluginStep Step, int Message, int Index)>? found = null;
            for (var i = 0; i < all.Count; i++)
            {
                var step = all[i];
                for (var m = 0; m < op.MessageNames.Length; m++)
                {
                    if (!step.AppliesTo(op.MessageNames[m], op.PrimaryEntityName)) continue;
                    (found ??= new()).Add((step, MessageIndex(op.MessageNames, step.Message), i));
                    break;
                }
            }

            // Most requests (a plugin's queries, the platform's own writes) match no step: they share one empty list.
            if (found == null) return NoSteps;
            if (found.Count > 1)
                found.Sort((a, b) => a.Step.Stage != b.Step.Stage ? a.Step.Stage.CompareTo(b.Step.Stage)
                    : a.Message != b.Message ? a.Message.CompareTo(b.Message)
                    : a.Step.Rank != b.Step.Rank ? a.Step.Rank.CompareTo(b.Step.Rank)
                    : a.Index.CompareTo(b.Index));
            var steps = new List<PluginStep>(found.Count);
            foreach (var f in found) steps.Add(f.Step);
            return steps;
        }

        // A loop, not Array.FindIndex with a lambda: the lambda's capture of the step was made for every step on every request.
        private static int MessageIndex(string[] messageNames, string message)
        {
            for (var i = 0; i < messageNames.Length; i++)
                if (string.Equals(messageNames[i], message, StringComparison.OrdinalIgnoreCase)) return i;
            return -1;
        }

        // Never added to: StepsFor's answer is only read.
        private static readonly List<PluginStep> NoSteps = new(0);

        private void RunStage(PipelineOperation op, CallScope scope, int depth, List<PluginStep> steps, int stage, bool inTransaction)
        {
            foreach (var step in steps)
            {
                if (step.Stage != stage || step.Mode != Modes.Synchronous || !Applies(step, op)) continue;
                var context = BuildContext(op, scope, depth, step, inTransaction);
                _org.RunPlugin(step, step.PluginType, () => step.Instance, context, scope);
                TakeBack(op, context);
            }
        }

        /// <summary>
        /// What a plugin hands back becomes the operation's (the plugin worked on its own deserialized copy): a
        /// PreValidation / PreOperation plugin's Target is what the platform saves, the shared variables it set reach the
        /// later stages, and what a PostOperation plugin leaves in the output parameters is what the caller receives.
        /// </summary>
        internal static void TakeBack(PipelineOperation op, PluginExecutionContext context)
        {
            foreach (var p in context.InputParameters)
                if (op.InputParameters.ContainsKey(p.Key)) op.InputParameters[p.Key] = p.Value;
            // A CreateMultiple / UpdateMultiple step run for a single Create / Update saw its Target as Targets of one.
            if (!op.InputParameters.ContainsKey("Targets") && op.InputParameters.ContainsKey("Target") &&
                context.InputParameters.TryGetValue("Targets", out var targets) && targets is EntityCollection { Entities.Count: 1 } one)
                op.InputParameters["Target"] = one.Entities[0];
            op.SharedVariables.Clear();
            foreach (var v in context.SharedVariables) op.SharedVariables[v.Key] = v.Value;
            if (context.Stage < Stages.MainOperation) return;
            op.OutputParameters.Clear();
            foreach (var o in context.OutputParameters) op.OutputParameters[o.Key] = o.Value;
        }

        private static bool Applies(PluginStep step, PipelineOperation op) =>
            op.ChangedColumns == null || step.PassesFilter(op.ChangedColumns());

        internal PluginExecutionContext BuildContext(PipelineOperation op, CallScope scope, int depth, PluginStep step, bool inTransaction)
        {
            var async = step.Mode == Modes.Asynchronous;
            var context = NewContext(op, scope, depth, step.RunAsUserId ?? scope.UserId, step.Stage, inTransaction);
            context.MessageName = step.Message.Equals(op.MessageName, StringComparison.OrdinalIgnoreCase) ? op.MessageName : step.Message;
            context.Mode = step.Mode;
            context.OwningExtension = new EntityReference("sdkmessageprocessingstep", step.Id) { Name = step.Name };
            // Async steps get a copy; synchronous steps of one operation share the variables.
            context.SharedVariables = async ? Copy(op.SharedVariables) : op.SharedVariables;

            var forMultiple = step.Message.EndsWith("Multiple", StringComparison.OrdinalIgnoreCase) && !op.MessageName.EndsWith("Multiple", StringComparison.OrdinalIgnoreCase);
            var forSingle = !step.Message.EndsWith("Multiple", StringComparison.OrdinalIgnoreCase) && op.MessageName.EndsWith("Multiple", StringComparison.OrdinalIgnoreCase);
            foreach (var p in op.InputParameters) context.InputParameters[p.Key] = async ? AttributeValues.Clone(p.Value) : p.Value;
            foreach (var p in op.OutputParameters) context.OutputParameters[p.Key] = p.Value;
            if (forMultiple && op.InputParameters.TryGetValue("Target", out var single) && single is Entity singleTarget)
            {
                // A step on CreateMultiple / UpdateMultiple also runs for Create / Update, with a Targets collection of one.
                context.InputParameters.Remove("Target");
                context.InputParameters["Targets"] = new EntityCollection(new List<Entity> { singleTarget }) { EntityName = singleTarget.LogicalName };
            }

            // Steps on Create / Update run per target inside a *Multiple operation's main operation, never here.
            if (forSingle) throw new InvalidOperationException($"Step {step.Name} on {step.Message} cannot run for {op.MessageName} directly.");

            context.PreEntityImages = Images(step, op.PreImageRow, pre: true, stage: step.Stage);
            context.PostEntityImages = step.Stage == Stages.PostOperation ? Images(step, op.PostImageRow, pre: false, stage: step.Stage) : new EntityImageCollection();
            if (op.PreImageRows != null)
                context.PreEntityImagesCollection = Images(step, op.PreImageRows, pre: true);
            else if (forMultiple)
                context.PreEntityImagesCollection = new[] { context.PreEntityImages };
            if (op.PostImageRows != null && step.Stage == Stages.PostOperation)
                context.PostEntityImagesCollection = Images(step, op.PostImageRows, pre: false);
            else if (forMultiple)
                context.PostEntityImagesCollection = new[] { context.PostEntityImages };
            context.ImagesMadeForIt = true;
            return context;
        }

        /// <summary>The context of a plugin that is the main operation (stage 30) itself, as a Custom API's plugin is:
        /// no step, no images; it reads the request's parameters and fills the response's.</summary>
        internal PluginExecutionContext MainOperationContext(PipelineOperation op, CallScope scope, EntityReference owningExtension)
        {
            var context = NewContext(op, scope, op.Depth, scope.UserId, Stages.MainOperation, inTransaction: true);
            context.MessageName = op.MessageName;
            context.Mode = Modes.Synchronous;
            context.OwningExtension = owningExtension;
            context.SharedVariables = op.SharedVariables;
            foreach (var p in op.InputParameters) context.InputParameters[p.Key] = p.Value;
            return context;
        }

        /// <summary>The context of an operation as its child operations see it in ParentContext: its message, table, row and
        /// input parameters at the main operation.</summary>
        internal PluginExecutionContext OperationContext(PipelineOperation op, CallScope scope)
        {
            var context = NewContext(op, scope, op.Depth, scope.UserId, Stages.MainOperation, inTransaction: true);
            context.MessageName = op.MessageName;
            context.Mode = Modes.Synchronous;
            context.SharedVariables = op.SharedVariables;
            foreach (var p in op.InputParameters) context.InputParameters[p.Key] = p.Value;
            return context;
        }

        private PluginExecutionContext NewContext(PipelineOperation op, CallScope scope, int depth, Guid userId, int stage, bool inTransaction) => new()
        {
            PrimaryEntityName = op.PrimaryEntityName ?? "none",
            PrimaryEntityId = op.PrimaryEntityId,
            SecondaryEntityName = "none",
            Stage = stage,
            Depth = depth,
            UserId = userId,
            InitiatingUserId = scope.InitiatingUserId,
            BusinessUnitId = _org.BusinessUnitOf(userId),
            OrganizationId = _org.OrganizationId,
            OrganizationName = _org.OrganizationName,
            CorrelationId = scope.CorrelationId,
            OperationId = op.OperationId,
            OperationCreatedOn = op.CreatedOn,
            RequestId = op.RequestId,
            IsInTransaction = inTransaction,
            ParentContext = scope.ParentContext,
            EnvironmentId = _environmentId ??= _org.OrganizationId.ToString(),
        };

        private static EntityImageCollection Images(PluginStep step, Entity? row, bool pre, int stage)
        {
            var images = new EntityImageCollection();
            if (row == null) return images;
            foreach (var image in step.Images)
            {
                if (pre ? !image.IsPre : !image.IsPost) continue;
                // The operation's images are stored rows themselves (never changed in place): the image is a copy of its columns.
                images[image.EntityAlias] = AttributeValues.CopyStored(row, image.Attributes);
            }

            return images;
        }

        /// <summary>The images of each row of a *Multiple operation, in order (a loop: a lambda here captured the step on
        /// every context built, whether or not it had rows).</summary>
        private static EntityImageCollection[] Images(PluginStep step, List<Entity?> rows, bool pre)
        {
            var images = new EntityImageCollection[rows.Count];
            for (var i = 0; i < rows.Count; i++) images[i] = Images(step, rows[i], pre, step.Stage);
            return images;
        }

        private static ParameterCollection Copy(ParameterCollection source)
        {
            var copy = new ParameterCollection();
            foreach (var p in source) copy[p.Key] = AttributeValues.Clone(p.Value);
            return copy;
        }
    }
}
