using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Runtime.Serialization;
using System.Text;

namespace Microsoft.Xrm.Sdk
{
    /// <summary>The common part of the faults the Dataverse services return.</summary>
    public abstract class BaseServiceFault : IExtensibleDataObject
    {
        private ErrorDetailCollection _errorDetails;

        protected BaseServiceFault() { }

        public string Message { get; set; }

        /// <summary>The platform's error code, e.g. -2147220969 (0x80040217) for "does not exist".</summary>
        public int ErrorCode { get; set; }

        public string HelpLink { get; set; }

        public DateTime Timestamp { get; set; }

        public Guid ActivityId { get; set; }

        public ErrorDetailCollection ErrorDetails
        {
            get => _errorDetails ?? (_errorDetails = new ErrorDetailCollection());
            set => _errorDetails = value;
        }

        public ExtensionDataObject ExtensionData { get; set; }
    }

    /// <summary>The detail of a <c>FaultException&lt;OrganizationServiceFault&gt;</c> thrown by the organization service.</summary>
    public class OrganizationServiceFault : BaseServiceFault
    {
        public OrganizationServiceFault() { }

        /// <summary>The plugin trace of the failed operation, where there is one.</summary>
        public string TraceText { get; set; }

        public OrganizationServiceFault InnerFault { get; set; }

        public override string ToString()
        {
            var text = new StringBuilder();
            text.Append("OrganizationServiceFault: ErrorCode=0x").Append(ErrorCode.ToString("X8")).Append(", Message=").Append(Message);
            if (InnerFault != null) text.Append(" ---> ").Append(InnerFault);
            return text.ToString();
        }
    }

    /// <summary>The exception a plugin throws to cancel the operation and show its message to the user.</summary>
    [Serializable]
    public sealed class InvalidPluginExecutionException : Exception, ISerializable
    {
        private static readonly IReadOnlyDictionary<string, string> NoDetails = new ReadOnlyDictionary<string, string>(new Dictionary<string, string>());
        private readonly Dictionary<string, string> _details;

        public InvalidPluginExecutionException()
            : this(OperationStatus.Failed, 0, null, PluginHttpStatusCode.NotSet, null, null)
        {
        }

        public InvalidPluginExecutionException(OperationStatus status)
            : this(status, 0, null, PluginHttpStatusCode.NotSet, null, null)
        {
        }

        public InvalidPluginExecutionException(string message)
            : this(OperationStatus.Failed, 0, message, PluginHttpStatusCode.NotSet, null, null)
        {
        }

        public InvalidPluginExecutionException(OperationStatus status, string message)
            : this(status, 0, message, PluginHttpStatusCode.NotSet, null, null)
        {
        }

        public InvalidPluginExecutionException(string message, Exception inner)
            : this(OperationStatus.Failed, 0, message, PluginHttpStatusCode.NotSet, null, inner)
        {
        }

        public InvalidPluginExecutionException(OperationStatus status, int errorCode, string message)
            : this(status, errorCode, message, PluginHttpStatusCode.NotSet, null, null)
        {
        }

        public InvalidPluginExecutionException(string message, PluginHttpStatusCode httpStatus)
            : this(OperationStatus.Failed, 0, message, httpStatus, null, null)
        {
        }

        public InvalidPluginExecutionException(string message, PluginHttpStatusCode httpStatus, Dictionary<string, string> exceptionDetails)
            : this(OperationStatus.Failed, 0, message, httpStatus, exceptionDetails, null)
        {
        }

        public InvalidPluginExecutionException(OperationStatus status, int errorCode, string message, PluginHttpStatusCode httpStatus)
            : this(status, errorCode, message, httpStatus, null, null)
        {
        }

        public InvalidPluginExecutionException(string message, Dictionary<string, string> exceptionDetails)
            : this(OperationStatus.Failed, 0, message, PluginHttpStatusCode.NotSet, exceptionDetails, null)
        {
        }

        public InvalidPluginExecutionException(OperationStatus status, string message, Dictionary<string, string> exceptionDetails)
            : this(status, 0, message, PluginHttpStatusCode.NotSet, exceptionDetails, null)
        {
        }

        private InvalidPluginExecutionException(OperationStatus status, int errorCode, string message, PluginHttpStatusCode httpStatus,
            Dictionary<string, string> details, Exception inner)
            : base(message, inner)
        {
            Status = status;
            ErrorCode = errorCode;
            HttpStatus = httpStatus;
            _details = details;
        }

        /// <summary>How the platform treats the failure (Failed by default; Retry asks an async step to be retried).</summary>
        public OperationStatus Status { get; }

        public int ErrorCode { get; }

        public PluginHttpStatusCode HttpStatus { get; }

        public IReadOnlyDictionary<string, string> ExceptionDetails =>
            _details == null ? NoDetails : new ReadOnlyDictionary<string, string>(_details);

#if NET8_0_OR_GREATER
        [Obsolete("Formatter-based serialization is obsolete.", DiagnosticId = "SYSLIB0051")]
#endif
        public override void GetObjectData(SerializationInfo info, StreamingContext context)
        {
            base.GetObjectData(info, context);
            info.AddValue("Status", (int)Status);
            info.AddValue("ErrorCode", ErrorCode);
        }

        public override string ToString() => base.ToString() + Environment.NewLine + "Status: " + Status + ", ErrorCode: " + ErrorCode;
    }
}
