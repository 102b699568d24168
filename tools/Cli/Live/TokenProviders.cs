using System;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Identity.Client;

namespace DealRisk.Cli.Live
{
    /// <summary>Gives the bearer token for an environment's Web API.</summary>
    public interface ITokenProvider
    {
        Task<string> GetTokenAsync(CancellationToken cancel);
    }

    /// <summary>How to sign in, from the command line; secrets come from the environment, never from arguments or files in plain text.</summary>
    public sealed record SignIn(Uri Environment, string? TenantId, string? ClientId, string? CertificatePath, bool DeviceCode)
    {
        /// <summary>The client secret of a service principal (read from DEALRISK_CLIENT_SECRET, never from the command line).</summary>
        public const string SecretVariable = "DEALRISK_CLIENT_SECRET";

        /// <summary>A token obtained elsewhere (e.g. `az account get-access-token`), for automation and tests.</summary>
        public const string TokenVariable = "DEALRISK_ACCESS_TOKEN";

        /// <summary>The password of the certificate file, when it has one.</summary>
        public const string CertificatePasswordVariable = "DEALRISK_CERTIFICATE_PASSWORD";

        /// <summary>Microsoft's sample public client id for Dataverse (device code sign-in), used when no --client-id is given.</summary>
        public const string SamplePublicClientId = "51f81489-12ee-4a9e-aaae-a2591f45987d";

        public ITokenProvider Provider(Action<string> say)
        {
            var token = System.Environment.GetEnvironmentVariable(TokenVariable);
            if (!string.IsNullOrWhiteSpace(token)) return new StaticToken(token.Trim());
            var scope = new Uri(Environment, "/.default").AbsoluteUri.Replace("//.default", "/.default", StringComparison.Ordinal);
            var secret = System.Environment.GetEnvironmentVariable(SecretVariable);
            if (!DeviceCode && ClientId != null && (secret != null || CertificatePath != null))
            {
                if (TenantId == null) throw new CliException(ExitCodes.BadInput, "A service principal signs in to a tenant: give --tenant-id.");
                var builder = ConfidentialClientApplicationBuilder.Create(ClientId).WithTenantId(TenantId);
                builder = CertificatePath != null
                    ? builder.WithCertificate(X509CertificateLoader.LoadPkcs12FromFile(CertificatePath, System.Environment.GetEnvironmentVariable(CertificatePasswordVariable)))
                    : builder.WithClientSecret(secret!);
                var app = builder.Build();
                return new MsalToken(cancel => app.AcquireTokenForClient(new[] { scope }).ExecuteAsync(cancel));
            }

            var client = PublicClientApplicationBuilder.Create(ClientId ?? SamplePublicClientId).WithTenantId(TenantId ?? "organizations").WithDefaultRedirectUri().Build();
            return new MsalToken(async cancel =>
            {
                // MSAL's token cache: a second call in the same run is silent.
                var account = (await client.GetAccountsAsync().ConfigureAwait(false)).GetEnumerator();
                if (account.MoveNext())
                {
                    try
                    {
                        return await client.AcquireTokenSilent(new[] { scope }, account.Current).ExecuteAsync(cancel).ConfigureAwait(false);
                    }
                    catch (MsalUiRequiredException)
                    {
                    }
                }

                return await client.AcquireTokenWithDeviceCode(new[] { scope }, code => { say(code.Message); return Task.CompletedTask; }).ExecuteAsync(cancel).ConfigureAwait(false);
            });
        }

        private sealed class StaticToken : ITokenProvider
        {
            private readonly string _token;

            public StaticToken(string token) => _token = token;

            public Task<string> GetTokenAsync(CancellationToken cancel) => Task.FromResult(_token);
        }

        private sealed class MsalToken : ITokenProvider
        {
            private readonly Func<CancellationToken, Task<AuthenticationResult>> _acquire;

            public MsalToken(Func<CancellationToken, Task<AuthenticationResult>> acquire) => _acquire = acquire;

            public async Task<string> GetTokenAsync(CancellationToken cancel)
            {
                try
                {
                    return (await _acquire(cancel).ConfigureAwait(false)).AccessToken;
                }
                catch (MsalException ex)
                {
                    throw new CliException(ExitCodes.BadInput, $"Sign-in failed ({ex.ErrorCode}): {ex.Message}");
                }
            }
        }
    }
}
