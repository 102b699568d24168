
namespace CrmPlugins.Emulator
{
    /// <summary>The platform's error codes the emulator reports (Microsoft's "Web service error codes" list).</summary>
    public static class ErrorCodes
    {
        /// <summary>0x80040217 ObjectDoesNotExist: "{table} With Id = {id} Does Not Exist".</summary>
        public const int ObjectDoesNotExist = -2147220969;
        /// <summary>0x80040237 DuplicateRecord: "Cannot insert duplicate key."</summary>
        public const int DuplicateRecord = -2147220937;
        /// <summary>0x80040203 InvalidArgument.</summary>
        public const int InvalidArgument = -2147220989;
        /// <summary>0x80041103 QueryBuilderNoAttribute: a column the table does not have.</summary>
        public const int QueryBuilderNoAttribute = -2147217149;
        /// <summary>0x80040265 IsvAborted: a plugin threw InvalidPluginExecutionException.</summary>
        public const int IsvAborted = -2147220891;
        /// <summary>0x80040220 PrivilegeDenied / missing privilege ("Principal user is missing privilege").</summary>
        public const int PrivilegeDenied = -2147220960;
        /// <summary>Depth exceeded: the platform's infinite-loop guard. The message is the platform's; the code
        /// is the emulator's choice (the published list does not name one for plugins).</summary>
        public const int InfiniteLoop = -2147180286;
        /// <summary>0x80040216 UnExpected: an unhandled (non-ISV) exception in a plugin.</summary>
        public const int Unexpected = -2147220970;
        /// <summary>0x80044331 StringLengthTooLong: text longer than the column's MaxLength.</summary>
        public const int StringLengthTooLong = -2147204303;
        /// <summary>0x80040224 the request is not supported by this organization.</summary>
        public const int NotSupported = -2147220956;
    }
}
