
namespace CrmPlugins.Emulator
{
    /// <summary>The platform's error codes the emulator reports (Microsoft's "Web service error codes" list).</summary>
    public static class ErrorCodes
    {
        /// <summary>0x80060882 ConcurrencyVersionMismatch: "The version of the existing record doesn't match the RowVersion
        /// property provided." (learn.microsoft.com/power-apps/developer/data-platform/optimistic-concurrency).</summary>
        public const int ConcurrencyVersionMismatch = -2147088254;
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
        /// <summary>0x80044182 SdkCorrelationTokenDepthTooHigh: depth exceeded, the platform's infinite-loop guard
        /// ("This workflow job was canceled because the workflow that started it included an infinite loop...").</summary>
        public const int InfiniteLoop = -2147204734;
        /// <summary>0x80040216 UnExpected: an unhandled (non-ISV) exception in a plugin.</summary>
        public const int Unexpected = -2147220970;
        /// <summary>0x80044331 StringLengthTooLong: text longer than the column's MaxLength.</summary>
        public const int StringLengthTooLong = -2147204303;
        /// <summary>0x80044180 SdkMessageNotSupportedOnServer ("The message requested is not supported on the server."): a
        /// message, or a feature of one, the emulator does not model.</summary>
        public const int NotSupported = -2147204736;
        /// <summary>0x80040224 IsvUnExpected: a plugin threw something other than InvalidPluginExecutionException
        /// ("An unexpected error occurred from ISV code.").</summary>
        public const int IsvUnExpected = -2147220956;
        /// <summary>0x80044190 UnableToLoadPluginType ("Unable to load plug-in type."): the plugin cannot be constructed.</summary>
        public const int UnableToLoadPluginType = -2147204720;
        /// <summary>0x80044171 SandboxClientPluginTimeout: a synchronous plugin ran past the execution time limit.</summary>
        public const int SandboxClientPluginTimeout = -2147204751;
        /// <summary>0x8004416e SdkMessageDoesNotSupportPostImageRegistration: a post image on a PreValidation/PreOperation step.</summary>
        public const int PostImageOnPreEvent = -2147204754;
        /// <summary>0x8004416d SdkMessageInvalidImageTypeRegistration: an image kind the message cannot give (a pre image on Create).</summary>
        public const int InvalidImageType = -2147204755;
        /// <summary>0x80044189 SdkMessageDoesNotSupportImageRegistration: images on a message that has none.</summary>
        public const int MessageHasNoImages = -2147204727;
        /// <summary>-2146893812: a synchronous plugin caught the fault of one of its service calls and carried on; the
        /// transaction was already ended ("ISV code reduced the open transaction count...").</summary>
        public const int IsvReducedTransactionCount = -2146893812;
    }
}
