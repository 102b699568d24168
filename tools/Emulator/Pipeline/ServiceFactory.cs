using System;
using CrmPlugins.Emulator.Pipeline;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator
{
    /// <summary>The organization services a plugin or activity gets from IOrganizationServiceFactory: its calls run one
    /// level deeper, inside the caller's transaction, and count against the execution.</summary>
    internal sealed class ServiceFactory : IOrganizationServiceFactory
    {
        private readonly XrmOrganization _org;
        private readonly IExecutionContext _context;
        private readonly PluginExecutionContext? _parent;
        private readonly Execution _execution;

        public ServiceFactory(XrmOrganization org, IExecutionContext context, PluginExecutionContext? parent, Execution execution)
        {
            _org = org;
            _context = context;
            _parent = parent;
            _execution = execution;
        }

        /// <summary>null is the SYSTEM user, Guid.Empty the context's UserId, any other id that user
        /// (learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.iorganizationservicefactory.createorganizationservice).</summary>
        public IOrganizationService CreateOrganizationService(Guid? userId) =>
            new OrganizationService(_org, new CallScope(userId == null ? _org.SystemUserId : userId == Guid.Empty ? _context.UserId : userId.Value,
                _context.InitiatingUserId, _context.Depth, _parent, _execution, _context.CorrelationId));
    }
}
