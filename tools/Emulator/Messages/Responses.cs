using System;
using System.Collections.Concurrent;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator
{
    /// <summary>Builds the typed response of a message (CreateResponse for "Create", WinOpportunityResponse for
    /// "WinOpportunity"...), as the SDK deserializes it from the service; OrganizationResponse where the SDK has none.</summary>
    internal static class Responses
    {
        private static readonly (string Namespace, string Assembly)[] Namespaces =
        {
            ("Microsoft.Xrm.Sdk.Messages", "Microsoft.Xrm.Sdk"),
            ("Microsoft.Crm.Sdk.Messages", "Microsoft.Crm.Sdk.Proxy"),
        };
        private static readonly ConcurrentDictionary<string, Type?> Types = new(StringComparer.Ordinal);

        public static OrganizationResponse Create(string requestName, ParameterCollection results)
        {
            var type = Types.GetOrAdd(requestName, Find);
            var response = type == null ? new OrganizationResponse() : (OrganizationResponse)Activator.CreateInstance(type)!;
            response.ResponseName = requestName;
            foreach (var r in results) response.Results[r.Key] = r.Value;
            return response;
        }

        private static Type? Find(string requestName)
        {
            foreach (var (ns, assembly) in Namespaces)
            {
                var type = Type.GetType($"{ns}.{requestName}Response, {assembly}", throwOnError: false);
                if (type != null && typeof(OrganizationResponse).IsAssignableFrom(type) && type.GetConstructor(Type.EmptyTypes) != null) return type;
            }

            return null;
        }
    }
}
