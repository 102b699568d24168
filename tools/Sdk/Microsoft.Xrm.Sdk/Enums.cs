// Enum members and values copied from Microsoft's listing (../shared/reference/sdk-api) by gen-enums.py.
using System.Runtime.Serialization;

namespace Microsoft.Xrm.Sdk
{
    /// <summary>Values exactly as Microsoft's EntityState.</summary>
    [DataContract(Name = "EntityState", Namespace = "http://schemas.microsoft.com/xrm/2011/Contracts")]
    public enum EntityState
    {
        [EnumMember]
        Unchanged = 0,
        [EnumMember]
        Created = 1,
        [EnumMember]
        Changed = 2,
    }
}

namespace Microsoft.Xrm.Sdk
{
    /// <summary>Values exactly as Microsoft's PluginHttpStatusCode.</summary>
    public enum PluginHttpStatusCode
    {
        NotSet = 0,
        BadRequest = 400,
        Unauthorized = 401,
        Forbidden = 403,
        NotFound = 404,
        MethodNotAllowed = 405,
        RequestTimeout = 408,
        Conflict = 409,
        Gone = 410,
        PreconditionFailed = 412,
        RequestEntityTooLarge = 413,
        ExpectationFailed = 417,
        FailedDependency = 424,
        TooManyRequests = 429,
        InternalServerError = 500,
        BadGateway = 502,
        ServiceUnavailable = 503,
        GatewayTimeout = 504,
    }
}

namespace Microsoft.Xrm.Sdk
{
    /// <summary>Values exactly as Microsoft's EntityRole.</summary>
    [DataContract(Name = "EntityRole", Namespace = "http://schemas.microsoft.com/xrm/2011/Contracts")]
    public enum EntityRole
    {
        [EnumMember]
        Referencing = 0,
        [EnumMember]
        Referenced = 1,
    }
}

namespace Microsoft.Xrm.Sdk
{
    /// <summary>Values exactly as Microsoft's OperationStatus.</summary>
    public enum OperationStatus
    {
        Failed = 0,
        Canceled = 1,
        Retry = 2,
        Suspended = 3,
        Succeeded = 4,
    }
}

namespace Microsoft.Xrm.Sdk.PluginTelemetry
{
    /// <summary>Values exactly as Microsoft's LogLevel.</summary>
    public enum LogLevel
    {
        Trace = 0,
        Debug = 1,
        Information = 2,
        Warning = 3,
        Error = 4,
        Critical = 5,
        None = 6,
    }
}

namespace Microsoft.Xrm.Sdk
{
    /// <summary>Values exactly as Microsoft's ConcurrencyBehavior.</summary>
    [DataContract(Name = "ConcurrencyBehavior", Namespace = "http://schemas.microsoft.com/xrm/7.1/Contracts")]
    public enum ConcurrencyBehavior
    {
        [EnumMember]
        Default = 0,
        [EnumMember]
        IfRowVersionMatches = 1,
        [EnumMember]
        AlwaysOverwrite = 2,
    }
}

