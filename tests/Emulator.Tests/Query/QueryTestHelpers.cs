using System.Linq;
using System.ServiceModel;
using CrmPlugins.Emulator.Query;
using Microsoft.Xrm.Sdk;
using NUnit.Framework;

namespace CrmPlugins.Emulator.Tests.Query
{
    internal static class QueryTestHelpers
    {
        /// <summary>The fault detail of the platform fault the action throws.</summary>
        public static OrganizationServiceFault Fault(TestDelegate action) =>
            Assert.Throws<FaultException<OrganizationServiceFault>>(action)!.Detail;

        /// <summary>The emulator-gap exception the action throws.</summary>
        public static QueryNotSupportedException NotSupported(TestDelegate action) =>
            Assert.Throws<QueryNotSupportedException>(action)!;

        /// <summary>The values of a string column of the results, in order.</summary>
        public static string?[] Names(EntityCollection results, string column = "name") =>
            results.Entities.Select(e => e.GetAttributeValue<string>(column)).ToArray();

        /// <summary>The value inside an AliasedValue column.</summary>
        public static object? Aliased(Entity entity, string key) => ((AliasedValue)entity[key]).Value;
    }
}
