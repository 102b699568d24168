using System;
using System.Runtime.Serialization;

namespace Microsoft.Xrm.Sdk
{
    /// <summary>A message sent to <see cref="IOrganizationService.Execute"/>: its name and parameters.</summary>
    [DataContract(Name = "OrganizationRequest", Namespace = Contracts.V2011)]
    [KnownType(typeof(OrganizationRequest))]
    [KnownType(typeof(Messages.AssociateRequest))]
    [KnownType(typeof(Messages.CreateMultipleRequest))]
    [KnownType(typeof(Messages.CreateRequest))]
    [KnownType(typeof(Messages.DeleteRequest))]
    [KnownType(typeof(Messages.DisassociateRequest))]
    [KnownType(typeof(Messages.ExecuteMultipleRequest))]
    [KnownType(typeof(Messages.ExecuteTransactionRequest))]
    [KnownType(typeof(Messages.RetrieveMultipleRequest))]
    [KnownType(typeof(Messages.RetrieveRequest))]
    [KnownType(typeof(Messages.UpdateMultipleRequest))]
    [KnownType(typeof(Messages.UpdateRequest))]
    [KnownType(typeof(Messages.UpsertRequest))]
    public class OrganizationRequest : IExtensibleDataObject
    {
        private ParameterCollection _parameters;

        public OrganizationRequest() { }

        public OrganizationRequest(string requestName)
        {
            RequestName = requestName;
        }

        [DataMember]
        public string RequestName { get; set; }

        /// <summary>Gets or sets a parameter; getting a missing one throws <see cref="System.Collections.Generic.KeyNotFoundException"/>.</summary>
        public object this[string parameterName]
        {
            get => Parameters[parameterName];
            set => Parameters[parameterName] = value;
        }

        [DataMember]
        public ParameterCollection Parameters
        {
            get => _parameters ?? (_parameters = new ParameterCollection());
            set => _parameters = value;
        }

        [DataMember]
        public Guid? RequestId { get; set; }

        public ExtensionDataObject ExtensionData { get; set; }
    }

    /// <summary>The answer to an <see cref="OrganizationRequest"/>: its name and results.</summary>
    [DataContract(Name = "OrganizationResponse", Namespace = Contracts.V2011)]
    [KnownType(typeof(OrganizationResponse))]
    [KnownType(typeof(Messages.AssociateResponse))]
    [KnownType(typeof(Messages.CreateMultipleResponse))]
    [KnownType(typeof(Messages.CreateResponse))]
    [KnownType(typeof(Messages.DeleteResponse))]
    [KnownType(typeof(Messages.DisassociateResponse))]
    [KnownType(typeof(Messages.ExecuteMultipleResponse))]
    [KnownType(typeof(Messages.ExecuteTransactionResponse))]
    [KnownType(typeof(Messages.RetrieveMultipleResponse))]
    [KnownType(typeof(Messages.RetrieveResponse))]
    [KnownType(typeof(Messages.UpdateMultipleResponse))]
    [KnownType(typeof(Messages.UpdateResponse))]
    [KnownType(typeof(Messages.UpsertResponse))]
    public class OrganizationResponse : IExtensibleDataObject
    {
        private ParameterCollection _results;

        public OrganizationResponse() { }

        [DataMember]
        public string ResponseName { get; set; }

        public object this[string parameterName]
        {
            get => Results[parameterName];
            set => Results[parameterName] = value;
        }

        [DataMember]
        public ParameterCollection Results
        {
            get => _results ?? (_results = new ParameterCollection());
            set => _results = value;
        }

        public ExtensionDataObject ExtensionData { get; set; }
    }
}
