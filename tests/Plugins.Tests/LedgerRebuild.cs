using System.Collections.Generic;
using CrmPlugins.Emulator;
using DealRisk.Plugins.Ledger;
using Microsoft.Xrm.Sdk;
using NUnit.Framework;

namespace DealRisk.Plugins.Tests
{
    /// <summary>
    /// Calls the Custom API dr_RebuildDemandLedger page by page until it is done, as the administrator, for tests whose
    /// deals are seeded straight into the store (seeded deals bypass the risk step, so the ledger does not hold them).
    /// </summary>
    public static class LedgerRebuild
    {
        /// <summary>The responses of every page, the last one with an empty continuation.</summary>
        public static IReadOnlyList<OrganizationResponse> Run(XrmOrganization org, int pageSize = 250)
        {
            var service = org.GetOrganizationService(org.AdministratorId);
            var responses = new List<OrganizationResponse>();
            string? continuation = null;
            do
            {
                var request = new OrganizationRequest(RebuildDemandLedgerPlugin.MessageName) { [RebuildDemandLedgerPlugin.PageSizeParameter] = pageSize };
                if (continuation != null) request[RebuildDemandLedgerPlugin.ContinuationParameter] = continuation;
                var response = service.Execute(request);
                responses.Add(response);
                continuation = (string)response.Results[RebuildDemandLedgerPlugin.ContinuationProperty];
                Assert.That(responses, Has.Count.LessThan(10_000), "the rebuild never reported done");
            }
            while (continuation.Length > 0);
            return responses;
        }
    }
}
