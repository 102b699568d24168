using System;
using System.Runtime.Serialization;

namespace Microsoft.Xrm.Sdk
{
    /// <summary>How ExecuteMultiple runs its requests: go on after a fault, return the responses.</summary>
    [DataContract(Name = "ExecuteMultipleSettings", Namespace = Contracts.V2012)]
    public sealed class ExecuteMultipleSettings : IExtensibleDataObject
    {
        public ExecuteMultipleSettings() { }

        /// <summary>Run the remaining requests after one faults (false: stop at the first fault).</summary>
        [DataMember]
        public bool ContinueOnError { get; set; }

        /// <summary>Return a response item for every successful request (faults are always returned).</summary>
        [DataMember]
        public bool ReturnResponses { get; set; }

        public ExtensionDataObject ExtensionData { get; set; }
    }

    /// <summary>The outcome of one request of an ExecuteMultiple: its index and its response or fault.</summary>
    [DataContract(Name = "ExecuteMultipleResponseItem", Namespace = Contracts.V2012)]
    public sealed class ExecuteMultipleResponseItem : IExtensibleDataObject
    {
        public ExecuteMultipleResponseItem() { }

        [DataMember]
        public int RequestIndex { get; set; }

        [DataMember]
        public OrganizationResponse Response { get; set; }

        [DataMember]
        public OrganizationServiceFault Fault { get; set; }

        public ExtensionDataObject ExtensionData { get; set; }
    }

    /// <summary>The response items of an ExecuteMultiple, in request order.</summary>
    [CollectionDataContract(Name = "OrganizationResponseCollection", Namespace = Contracts.V2012)]
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
    [DataContract(Name = "ExecuteTransactionFault", Namespace = Contracts.V71)]
    [Serializable]
    public sealed class ExecuteTransactionFault : OrganizationServiceFault
    {
        public ExecuteTransactionFault() { }

        /// <summary>The index of the request that failed.</summary>
        [DataMember]
        public int FaultedRequestIndex { get; set; }
    }
}
