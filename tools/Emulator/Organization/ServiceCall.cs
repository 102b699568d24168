using System;
using CrmPlugins.Emulator.Pipeline;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator
{
    /// <summary>A service call as fault rules see it.</summary>
    public sealed class ServiceCall
    {
        internal ServiceCall(OrganizationRequest request, Guid userId, Execution? caller)
        {
            Request = request;
            UserId = userId;
            Caller = caller;
        }

        public OrganizationRequest Request { get; }

        public string MessageName => Request.RequestName;

        public Guid UserId { get; }

        /// <summary>The plugin or activity execution making the call; null for a call from outside the pipeline.</summary>
        public Execution? Caller { get; }

        public bool FromPlugin => Caller != null;
    }
}
