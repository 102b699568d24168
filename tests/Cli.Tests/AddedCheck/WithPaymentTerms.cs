using System;
using System.Linq;
using DealRisk.Plugins;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;

namespace DealRisk.Cli.Tests.AddedCheck
{
    /// <summary>The shipped risk plugin with <see cref="PaymentTermsCheck"/> added to its list: what the step runs in the test.</summary>
    public sealed class WithPaymentTerms : IPlugin
    {
        private readonly OpportunityRiskPlugin _plugin;

        public WithPaymentTerms(string unsecureConfiguration, string secureConfiguration) =>
            _plugin = new OpportunityRiskPlugin(unsecureConfiguration, secureConfiguration, RiskChecks.Default.Append(new PaymentTermsCheck()).ToArray());

        public void Execute(IServiceProvider serviceProvider) => _plugin.Execute(serviceProvider);
    }
}
