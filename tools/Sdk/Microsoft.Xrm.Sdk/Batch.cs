using System.Runtime.Serialization;

namespace Microsoft.Xrm.Sdk
{
    /// <summary>How ExecuteMultiple runs its requests: go on after a fault, return the responses.</summary>
    public sealed class ExecuteMultipleSettings : IExtensibleDataObject
    {
        public ExecuteMultipleSettings() { }

        /// <summary>Run the remaining requests after one faults (false: stop at the first fault).</summary>
        public bool ContinueOnError { get; set; }

        /// <summary>Return a response item for every successful request (faults are always returned).</summary>
        public bool ReturnResponses { get; set; }

        public ExtensionDataObject ExtensionData { get; set; }
    }

    /// <summary>The outcome of one request of an ExecuteMultiple: its index and its response or fault.</summary>
    public sealed class ExecuteMultipleResponseItem : IExtensibleDataObject
    {
        public ExecuteMultipleResponseItem() { }

        public int RequestIndex { get; set; }

        public OrganizationResponse Response { get; set; }

        public OrganizationServiceFault Fault { get; set; }

        public ExtensionDataObject ExtensionData { get; set; }
    }

    /// <summary>The response items of an ExecuteMultiple, in request order.</summary>
    public sealed class ExecuteMultipleResponseItemCollection : DataCollection<ExecuteMultipleResponseItem>
    {
        public ExecuteMultipleResponseItemCollection() { }
    }

    internal static class ParameterValues
    {
        /// <summary>The parameter as <typeparamref name="T"/>, or default when it is missing (as the SDK's message classes read them).</summary>
        public static T Read<T>(this ParameterCollection parameters, string key) =>
            parameters.Contains(key) ? (T)parameters[key] : default(T);
    }
}

namespace Microsoft.Xrm.Sdk
{
    /// <summary>The fault of an ExecuteTransaction: which request failed (every request was rolled back).</summary>
    public sealed class ExecuteTransactionFault : OrganizationServiceFault
    {
        public ExecuteTransactionFault() { }

        /// <summary>The index of the request that failed.</summary>
        public int FaultedRequestIndex { get; set; }
    }
}
