using System;
using System.ServiceModel;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator
{
    /// <summary>Builds the faults the organization service throws: <c>FaultException&lt;OrganizationServiceFault&gt;</c>.</summary>
    public static class Faults
    {
        public static FaultException<OrganizationServiceFault> Create(int errorCode, string message, string? traceText = null, OrganizationServiceFault? inner = null)
        {
            var fault = new OrganizationServiceFault
            {
                ErrorCode = errorCode,
                Message = message,
                Timestamp = DateTime.UtcNow,
                TraceText = traceText,
                InnerFault = inner,
            };
            return new FaultException<OrganizationServiceFault>(fault, new FaultReason(message));
        }

        public static FaultException<OrganizationServiceFault> NotFound(string table, Guid id) =>
            Create(ErrorCodes.ObjectDoesNotExist, $"{table} With Id = {id} Does Not Exist");

        public static FaultException<OrganizationServiceFault> Duplicate(string table, Guid id) =>
            Create(ErrorCodes.DuplicateRecord, $"Cannot insert duplicate key. ({table} {id})");

        public static FaultException<OrganizationServiceFault> InvalidArgument(string message) =>
            Create(ErrorCodes.InvalidArgument, message);

        /// <summary>A column the table does not have (the same fault as in queries).</summary>
        public static FaultException<OrganizationServiceFault> NoSuchColumn(string table, string column) => Query.QueryFaults.UnknownColumn(table, column);

        public static FaultException<OrganizationServiceFault> NotSupported(string message) =>
            Create(ErrorCodes.NotSupported, message);
    }
}
