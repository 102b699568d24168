namespace DealRisk.Plugins
{
    /// <summary>The platform's error codes the plugins recognise in a fault (Microsoft's "Web service error codes").</summary>
    internal static class PlatformErrors
    {
        /// <summary>0x80040217: the row does not exist.</summary>
        public const int ObjectDoesNotExist = -2147220969;

        /// <summary>0x80040237: a row with that id already exists.</summary>
        public const int DuplicateRecord = -2147220937;

        /// <summary>0x8004E023: an aggregate query would read more rows than the organization's AggregateQueryRecordLimit
        /// (50,000 by default; https://learn.microsoft.com/power-apps/developer/data-platform/fetchxml/aggregate-data#limitations).</summary>
        public const int AggregateQueryRecordLimit = unchecked((int)0x8004E023);
    }
}
