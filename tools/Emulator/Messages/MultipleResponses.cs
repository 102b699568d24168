using Microsoft.Xrm.Sdk;


namespace CrmPlugins.Emulator
{
    /// <summary>The response items of ExecuteMultiple.</summary>
    internal static class MultipleResponses
    {
        public static ExecuteMultipleResponseItemCollection NewCollection() => new();

        public static ExecuteMultipleResponseItem Item(int index, OrganizationResponse? response, OrganizationServiceFault? fault) =>
            new() { RequestIndex = index, Response = response, Fault = fault };
    }
}
