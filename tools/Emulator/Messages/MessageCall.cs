using System;
using CrmPlugins.Emulator.Pipeline;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator
{
    /// <summary>One request as a message handler receives it: the request, who makes it, and the organization.</summary>
    public sealed class MessageCall
    {
        internal MessageCall(XrmOrganization organization, CallScope scope, OrganizationRequest request)
        {
            Organization = organization;
            Scope = scope;
            Request = request;
        }

        /// <summary>The organization the request runs in.</summary>
        public XrmOrganization Organization { get; }

        /// <summary>The request as the caller sent it (the pipeline works on a copy of its parameters).</summary>
        public OrganizationRequest Request { get; }

        /// <summary>The user the request runs as.</summary>
        public Guid UserId => Scope.UserId;

        /// <summary>An organization service of the same caller, for a handler whose work is made of other requests.</summary>
        public IOrganizationService Service => new OrganizationService(Organization, Scope);

        internal CallScope Scope { get; }

        /// <summary>
        /// Runs the request through the event pipeline: the steps registered on <paramref name="messageName"/> (and
        /// <paramref name="primaryEntityName"/>) at PreValidation, PreOperation and PostOperation, with
        /// <paramref name="mainOperation"/> as stage 30 inside the transaction. Returns the output parameters.
        /// </summary>
        public ParameterCollection RunPipeline(string messageName, string? primaryEntityName, Guid primaryEntityId, Action<MessageOperation> mainOperation)
        {
            var op = NewOperation(messageName, primaryEntityName, primaryEntityId);
            Organization.Pipeline.Run(op, Scope, o => mainOperation(new MessageOperation(this, o)));
            return op.OutputParameters;
        }

        internal PipelineOperation NewOperation(string messageName, string? primaryEntityName, Guid primaryEntityId)
        {
            // The pipeline works on what it deserialized from the request, never on the caller's objects.
            var inputs = PlatformOperations.Deserialized(Request);
            return new PipelineOperation(messageName, primaryEntityName, inputs, Organization.UtcNow)
            {
                RequestId = Request.RequestId,
                PrimaryEntityId = primaryEntityId,
            };
        }
    }

    /// <summary>The main operation (stage 30) of a request: the input parameters as the earlier steps left them, and the
    /// output parameters it fills.</summary>
    public sealed class MessageOperation
    {
        private readonly PipelineOperation _op;

        internal MessageOperation(MessageCall call, PipelineOperation op)
        {
            Call = call;
            _op = op;
        }

        /// <summary>The request this operation carries out.</summary>
        public MessageCall Call { get; }

        /// <summary>The request's parameters as the PreValidation and PreOperation steps left them.</summary>
        public ParameterCollection InputParameters => _op.InputParameters;

        /// <summary>The response's results; PostOperation steps see them too.</summary>
        public ParameterCollection OutputParameters => _op.OutputParameters;

        /// <summary>The row the operation is about (PostOperation steps see it as PrimaryEntityId).</summary>
        public Guid PrimaryEntityId
        {
            get => _op.PrimaryEntityId;
            set => _op.PrimaryEntityId = value;
        }

        internal PipelineOperation Pipeline => _op;
    }
}
