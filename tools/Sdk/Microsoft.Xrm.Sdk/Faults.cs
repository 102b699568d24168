using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Runtime.Serialization;
using System.Text;

namespace Microsoft.Xrm.Sdk
{
    /// <summary>The common part of the faults the Dataverse services return.</summary>
    [DataContract(Name = "BaseServiceFault", Namespace = Contracts.V2011)]
    [KnownType(typeof(ExecuteTransactionFault))]
    [KnownType(typeof(OrganizationServiceFault))]
    [Serializable]
    public abstract class BaseServiceFault : IExtensibleDataObject
    {
        private ErrorDetailCollection _errorDetails;

        protected BaseServiceFault() { }

        [DataMember]
        public string Message { get; set; }

        /// <summary>The platform's error code, e.g. -2147220969 (0x80040217) for "does not exist".</summary>
        [DataMember]
        public int ErrorCode { get; set; }

        [DataMember]
        public string HelpLink { get; set; }

        [DataMember]
        public DateTime Timestamp { get; set; }

        [DataMember]
        public Guid ActivityId { get; set; }

        [DataMember]
        public ErrorDetailCollection ErrorDetails
        {
            get => _errorDetails ?? (_errorDetails = new ErrorDetailCollection());
            set => _errorDetails = value;
        }

        public ExtensionDataObject ExtensionData { get; set; }
    }

    /// <summary>The detail of a <c>FaultException&lt;OrganizationServiceFault&gt;</c> thrown by the organization service.</summary>
    [DataContract(Name = "OrganizationServiceFault", Namespace = Contracts.V2011)]
    [Serializable]
    public class OrganizationServiceFault : BaseServiceFault
    {
        public OrganizationServiceFault() { }

        /// <summary>The plugin trace of the failed operation, where there is one.</summary>
        [DataMember]
        public string TraceText { get; set; }

        [DataMember]
        public OrganizationServiceFault InnerFault { get; set; }

        // Part of the fault's data contract as the platform sends it; nothing here reads them.
        [DataMember]
        private bool ExceptionRetriable { get; set; }

        [DataMember]
        private string ExceptionSource { get; set; }

        [DataMember]
        private string OriginalException { get; set; }

        [IgnoreDataMember]
        private BaseServiceFault InnerServiceFault => InnerFault;

        public override string ToString()
        {
            var text = new StringBuilder();
            text.Append("OrganizationServiceFault: ErrorCode=0x").Append(ErrorCode.ToString("X8")).Append(", Message=").Append(Message);
            if (InnerFault != null) text.Append(" ---> ").Append(InnerFault);
            return text.ToString();
        }
    }

    /// <summary>The exception a plugin throws to cancel the operation and show its message to the user. As in
    /// Microsoft's SDK, <see cref="ErrorCode"/> is the exception's HResult: the code given to a constructor that takes
    /// one (unless 0), else <see cref="Exception"/>'s own (0x80131500): never 0.</summary>
    [Serializable]
    public sealed class InvalidPluginExecutionException : Exception, ISerializable
    {
        private static readonly IReadOnlyDictionary<string, string> NoDetails = new ReadOnlyDictionary<string, string>(new Dictionary<string, string>());
        private readonly Dictionary<string, string> _details;

        public InvalidPluginExecutionException()
            : this(OperationStatus.Failed, null, null, PluginHttpStatusCode.NotSet, null, null)
        {
        }

        public InvalidPluginExecutionException(OperationStatus status)
            : this(status, null, null, PluginHttpStatusCode.NotSet, null, null)
        {
        }

        public InvalidPluginExecutionException(string message)
            : this(OperationStatus.Failed, null, message, PluginHttpStatusCode.NotSet, null, null)
        {
        }

        public InvalidPluginExecutionException(OperationStatus status, string message)
            : this(status, null, message, PluginHttpStatusCode.NotSet, null, null)
        {
        }

        public InvalidPluginExecutionException(string message, Exception exception)
            : this(OperationStatus.Failed, null, message, PluginHttpStatusCode.NotSet, null, exception)
        {
        }

        public InvalidPluginExecutionException(OperationStatus status, int errorCode, string message)
            : this(status, errorCode, message, PluginHttpStatusCode.NotSet, null, null)
        {
        }

        public InvalidPluginExecutionException(string message, PluginHttpStatusCode httpStatus)
            : this(OperationStatus.Failed, null, message, httpStatus, null, null)
        {
        }

        public InvalidPluginExecutionException(string message, PluginHttpStatusCode httpStatus, Dictionary<string, string> exceptionDetails)
            : this(OperationStatus.Failed, null, message, httpStatus, exceptionDetails, null)
        {
        }

        public InvalidPluginExecutionException(OperationStatus status, int errorCode, string message, PluginHttpStatusCode httpStatus)
            : this(status, errorCode, message, httpStatus, null, null)
        {
        }

        public InvalidPluginExecutionException(string message, Dictionary<string, string> exceptionDetails)
            : this(OperationStatus.Failed, null, message, PluginHttpStatusCode.NotSet, exceptionDetails, null)
        {
        }

        public InvalidPluginExecutionException(OperationStatus status, string message, Dictionary<string, string> exceptionDetails)
            : this(status, null, message, PluginHttpStatusCode.NotSet, exceptionDetails, null)
        {
        }

        private InvalidPluginExecutionException(OperationStatus status, int? errorCode, string message, PluginHttpStatusCode httpStatus,
            Dictionary<string, string> details, Exception inner)
            : base(message, inner)
        {
            Status = status;
            if (errorCode.GetValueOrDefault() != 0) HResult = errorCode.Value;
            HttpStatus = httpStatus;
            _details = details;
        }

        /// <summary>How the platform treats the failure (Failed by default; Retry asks an async step to be retried).</summary>
        public OperationStatus Status { get; }

        public int ErrorCode => HResult;

        public PluginHttpStatusCode HttpStatus { get; }

        public IReadOnlyDictionary<string, string> ExceptionDetails =>
            _details == null ? NoDetails : new ReadOnlyDictionary<string, string>(_details);

        // Not [Obsolete] in .NET 10 either: Microsoft's method carries no such attribute (the details listing).
#pragma warning disable CS0672, SYSLIB0051
        public override void GetObjectData(SerializationInfo info, StreamingContext context)
        {
            base.GetObjectData(info, context);
            info.AddValue("Status", (int)Status);
            info.AddValue("ErrorCode", ErrorCode);
        }
#pragma warning restore CS0672, SYSLIB0051

        public override string ToString() => base.ToString() + Environment.NewLine + "Status: " + Status + ", ErrorCode: " + ErrorCode;
    }
}
