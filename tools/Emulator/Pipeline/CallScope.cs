using System;

namespace CrmPlugins.Emulator.Pipeline
{
    /// <summary>Who is calling the organization service and from where: a test (depth 0), or a plugin
    /// execution whose calls run one level deeper and count against it.</summary>
    internal sealed class CallScope
    {
        public CallScope(Guid userId, Guid initiatingUserId, int depth, PluginExecutionContext? parentContext, Execution? caller, Guid correlationId)
        {
            UserId = userId;
            InitiatingUserId = initiatingUserId;
            Depth = depth;
            ParentContext = parentContext;
            Caller = caller;
            CorrelationId = correlationId;
        }

        /// <summary>The user the calls run as.</summary>
        public Guid UserId { get; }

        public Guid InitiatingUserId { get; }

        /// <summary>The depth of the plugin execution that made the call (0 for a call from outside).</summary>
        public int Depth { get; }

        public PluginExecutionContext? ParentContext { get; }

        /// <summary>The plugin or activity execution whose service made the call, if any.</summary>
        public Execution? Caller { get; }

        public Guid CorrelationId { get; }

        /// <summary>The user acting on behalf of <see cref="UserId"/> (CallerId impersonation), if any.</summary>
        public Guid? ImpersonatorId { get; init; }

        public static CallScope External(Guid userId) => new(userId, userId, 0, null, null, Guid.NewGuid());
    }
}
