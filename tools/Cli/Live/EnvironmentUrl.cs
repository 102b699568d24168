using System;
using System.Text.RegularExpressions;

namespace DealRisk.Cli.Live
{
    /// <summary>
    /// Which addresses the live commands send a bearer token to. A token for Dataverse is a key to the organization's
    /// data, so a mistyped or pasted --url must not receive it: https only (plain http only on the loopback address, where
    /// the tests' local Web API runs), and a Dataverse environment's host name unless the admin says otherwise.
    /// </summary>
    public static class EnvironmentUrl
    {
        /// <summary>
        /// Dataverse environment hosts: &lt;org&gt;.crm[N].dynamics.com (the commercial regions: crm, crm2 ... crm21, crm9 for
        /// GCC), &lt;org&gt;.crm.microsoftdynamics.us (GCC High), &lt;org&gt;.crm.appsplatform.us (DoD), &lt;org&gt;.crm.dynamics.cn (China).
        /// </summary>
        private static readonly Regex DataverseHost = new(
            @"^[a-z0-9][a-z0-9-]*\.(crm[0-9]*\.dynamics\.com|crm\.microsoftdynamics\.us|crm\.appsplatform\.us|crm\.dynamics\.cn)$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>The environment's root address from --url, or a one-line usage error (exit 2).</summary>
        public static Uri Parse(string url, bool allowAnyHost)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.IsFile || uri.IsUnc || string.IsNullOrEmpty(uri.Host))
                throw new CliException(ExitCodes.BadInput, $"--url '{url}' is not an address of an environment (e.g. https://contoso.crm4.dynamics.com).");
            if (!IsTrustedScheme(uri))
                throw new CliException(ExitCodes.BadInput, $"--url '{url}' is not an https address of an environment: the sign-in token is sent over https only.");
            if (!uri.IsLoopback && !allowAnyHost && !DataverseHost.IsMatch(uri.Host))
                throw new CliException(ExitCodes.BadInput, $"--url '{url}' is not a Dataverse environment address (<org>.crm<N>.dynamics.com and the government and China clouds): " +
                    "the sign-in token would go to it. Pass --allow-any-url if this host really is your environment.");
            return new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
        }

        /// <summary>https anywhere; http only to the loopback address.</summary>
        public static bool IsTrustedScheme(Uri uri) => uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback);

        /// <summary>Whether a request to <paramref name="target"/> may carry the token of <paramref name="environment"/>: same scheme, host and port.</summary>
        public static bool SameOrigin(Uri environment, Uri target) =>
            string.Equals(environment.Scheme, target.Scheme, StringComparison.OrdinalIgnoreCase) &&
            string.Equals(environment.IdnHost, target.IdnHost, StringComparison.OrdinalIgnoreCase) &&
            environment.Port == target.Port;
    }
}
