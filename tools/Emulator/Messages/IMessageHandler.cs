using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator
{
    /// <summary>
    /// What the organization service does for one message, found by its request name in
    /// <see cref="XrmOrganization.Messages"/>: its security check, then its work (validation, pipeline, images).
    /// Built-in messages, custom messages, Custom APIs and mocks are all handlers.
    /// </summary>
    public interface IMessageHandler
    {
        /// <summary>The request name this handler answers (OrganizationRequest.RequestName).</summary>
        string MessageName { get; }

        /// <summary>Refuses the call with the platform's privilege fault when its user may not make it. Called only
        /// while <see cref="OrganizationSecurity.Enforced"/> is set and the caller is neither SYSTEM nor the administrator.</summary>
        void CheckPrivileges(MessageCall call);

        /// <summary>Carries out the request and returns its response.</summary>
        OrganizationResponse Execute(MessageCall call);
    }
}
