// Enum members and values copied from Microsoft's listing (../shared/reference/sdk-api) by gen-enums.py.
namespace Microsoft.Xrm.Sdk
{
    /// <summary>Values exactly as Microsoft's EntityState.</summary>
    public enum EntityState
    {
        Unchanged = 0,
        Created = 1,
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
    public enum EntityRole
    {
        Referencing = 0,
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

// Enum members and values copied from Microsoft's listing (../shared/reference/sdk-api) by gen-enums.py.
namespace Microsoft.Xrm.Sdk
{
    /// <summary>Values exactly as Microsoft's ConcurrencyBehavior.</summary>
    public enum ConcurrencyBehavior
    {
        Default = 0,
        IfRowVersionMatches = 1,
        AlwaysOverwrite = 2,
    }
}

