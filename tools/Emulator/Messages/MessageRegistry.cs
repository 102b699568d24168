using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator
{
    /// <summary>
    /// The messages an organization answers, by request name (case-insensitive, as the platform's SdkMessage names).
    /// Holds the built-in messages from the start; <see cref="Add(IMessageHandler)"/> adds a message from outside,
    /// <see cref="AddCustomApi"/> a Custom API, and <see cref="XrmOrganization.Mock"/> replaces a message's work with a fake.
    /// </summary>
    public sealed class MessageRegistry
    {
        private readonly Dictionary<string, IMessageHandler> _handlers = new(StringComparer.OrdinalIgnoreCase);

        internal MessageRegistry(IEnumerable<IMessageHandler> builtIn)
        {
            foreach (var handler in builtIn) _handlers.Add(handler.MessageName, handler);
        }

        /// <summary>The names of every message the organization answers.</summary>
        public IReadOnlyCollection<string> Names => _handlers.Keys.ToList();

        /// <summary>Whether the organization answers the message.</summary>
        public bool Contains(string messageName) => _handlers.ContainsKey(messageName);

        /// <summary>The handler of a message; null when the organization does not answer it.</summary>
        public IMessageHandler? Find(string messageName) => _handlers.TryGetValue(messageName, out var h) ? h : null;

        /// <summary>Adds a new message. A name already answered is refused, so a typo cannot silently replace a
        /// built-in message; use <see cref="Replace"/> (or <see cref="XrmOrganization.Mock"/>) to do that on purpose.</summary>
        public MessageRegistry Add(IMessageHandler handler)
        {
            if (handler == null) throw new ArgumentNullException(nameof(handler));
            if (string.IsNullOrEmpty(handler.MessageName)) throw new ArgumentException("A message handler needs a message name.", nameof(handler));
            if (_handlers.ContainsKey(handler.MessageName)) throw new ArgumentException($"The message '{handler.MessageName}' is already registered; use Replace to change what it does.", nameof(handler));
            _handlers.Add(handler.MessageName, handler);
            return this;
        }

        /// <summary>
        /// Adds a custom message that runs through the event pipeline, as a custom process action or Custom API does:
        /// steps registered on <paramref name="messageName"/> run at PreValidation, PreOperation and PostOperation, and
        /// <paramref name="mainOperation"/> is stage 30. A Target that is an EntityReference makes the message bound
        /// to that row (PrimaryEntityName / PrimaryEntityId); otherwise <paramref name="primaryEntityName"/> or none.
        /// </summary>
        public MessageRegistry Add(string messageName, Action<MessageOperation> mainOperation, string? primaryEntityName = null) =>
            Add(new PipelineMessage(messageName, mainOperation, primaryEntityName));

        /// <summary>Registers a Custom API (see <see cref="CustomApi"/>): its plugin runs as the main operation.</summary>
        public MessageRegistry AddCustomApi(CustomApi api) => Add(new CustomApiMessage(api));

        /// <summary>Replaces (or adds) the handler of a message.</summary>
        public MessageRegistry Replace(IMessageHandler handler)
        {
            if (handler == null) throw new ArgumentNullException(nameof(handler));
            _handlers[handler.MessageName] = handler;
            return this;
        }

        /// <summary>Removes a message: calls to it then fail as calls to a message the platform does not know.</summary>
        public bool Remove(string messageName) => _handlers.Remove(messageName);

        /// <summary>A custom message whose work is a delegate run as the pipeline's main operation.</summary>
        private sealed class PipelineMessage : IMessageHandler
        {
            private readonly Action<MessageOperation> _mainOperation;
            private readonly string? _primaryEntityName;

            public PipelineMessage(string messageName, Action<MessageOperation> mainOperation, string? primaryEntityName)
            {
                MessageName = messageName;
                _mainOperation = mainOperation ?? throw new ArgumentNullException(nameof(mainOperation));
                _primaryEntityName = primaryEntityName;
            }

            public string MessageName { get; }

            public void CheckPrivileges(MessageCall call)
            {
            }

            public OrganizationResponse Execute(MessageCall call)
            {
                var target = call.Request.Parameters.TryGetValue("Target", out var t) ? t as EntityReference : null;
                var results = call.RunPipeline(MessageName, target?.LogicalName ?? _primaryEntityName, target?.Id ?? Guid.Empty, _mainOperation);
                return Responses.Create(MessageName, results);
            }
        }
    }

    /// <summary>A fake message (see <see cref="XrmOrganization.Mock"/>): answers with what the test gives, with no pipeline.</summary>
    internal sealed class MockMessage : IMessageHandler
    {
        private readonly Func<OrganizationRequest, OrganizationResponse> _respond;

        public MockMessage(string messageName, Func<OrganizationRequest, OrganizationResponse> respond)
        {
            MessageName = messageName;
            _respond = respond ?? throw new ArgumentNullException(nameof(respond));
        }

        public string MessageName { get; }

        public void CheckPrivileges(MessageCall call)
        {
        }

        public OrganizationResponse Execute(MessageCall call)
        {
            var response = _respond(call.Request) ?? new OrganizationResponse();
            response.ResponseName ??= MessageName;
            return response;
        }
    }
}
