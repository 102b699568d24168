using System;
using System.Runtime.Serialization;

namespace Microsoft.Xrm.Sdk
{
    /// <summary>A message sent to <see cref="IOrganizationService.Execute"/>: its name and parameters.</summary>
    public class OrganizationRequest : IExtensibleDataObject
    {
        private ParameterCollection _parameters;

        public OrganizationRequest() { }

        public OrganizationRequest(string requestName)
        {
            RequestName = requestName;
        }

        public string RequestName { get; set; }

        /// <summary>Gets or sets a parameter; getting a missing one throws <see cref="System.Collections.Generic.KeyNotFoundException"/>.</summary>
        public object this[string parameterName]
        {
            get => Parameters[parameterName];
            set => Parameters[parameterName] = value;
        }

        public ParameterCollection Parameters
        {
            get => _parameters ?? (_parameters = new ParameterCollection());
            set => _parameters = value;
        }

        public Guid? RequestId { get; set; }

        public ExtensionDataObject ExtensionData { get; set; }
    }

    /// <summary>The answer to an <see cref="OrganizationRequest"/>: its name and results.</summary>
    public class OrganizationResponse : IExtensibleDataObject
    {
        private ParameterCollection _results;

        public OrganizationResponse() { }

        public string ResponseName { get; set; }

        public object this[string parameterName]
        {
            get => Results[parameterName];
            set => Results[parameterName] = value;
        }

        public ParameterCollection Results
        {
            get => _results ?? (_results = new ParameterCollection());
            set => _results = value;
        }

        public ExtensionDataObject ExtensionData { get; set; }
    }
}
