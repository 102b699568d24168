using System;
using System.Linq;
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
        /// <summary>MSAL's HTTP (tests give one that cannot reach the sign-in authority); null: MSAL's own.</summary>
        public IMsalHttpClientFactory? Http { get; init; }

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
            if (!string.IsNullOrWhiteSpace(token))
            {
                token = token.Trim();
                // A token pasted with a line break or a space would make the Authorization header itself invalid.
                if (token.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
                    throw new CliException(ExitCodes.BadInput, $"{TokenVariable} holds a line break, space or control character inside the token: set it to the token alone, on one line.");
                return new StaticToken(token);
            }

            var scope = new Uri(Environment, "/.default").AbsoluteUri.Replace("//.default", "/.default", StringComparison.Ordinal);
            var secret = System.Environment.GetEnvironmentVariable(SecretVariable);
            if (!DeviceCode && ClientId != null && (secret != null || CertificatePath != null))
            {
                if (TenantId == null) throw new CliException(ExitCodes.BadInput, "A service principal signs in to a tenant: give --tenant-id.");
                var builder = ConfidentialClientApplicationBuilder.Create(ClientId).WithTenantId(TenantId);
                if (Http != null) builder = builder.WithHttpClientFactory(Http);
                builder = CertificatePath != null
                    ? builder.WithCertificate(LoadCertificate(CertificatePath))
                    : builder.WithClientSecret(secret!);
                var app = builder.Build();
                return new MsalToken(cancel => app.AcquireTokenForClient(new[] { scope }).ExecuteAsync(cancel));
            }

            var publicBuilder = PublicClientApplicationBuilder.Create(ClientId ?? SamplePublicClientId).WithTenantId(TenantId ?? "organizations").WithDefaultRedirectUri();
            if (Http != null) publicBuilder = publicBuilder.WithHttpClientFactory(Http);
            var client = publicBuilder.Build();
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

        private static X509Certificate2 LoadCertificate(string path)
        {
            if (!System.IO.File.Exists(path)) throw new CliException(ExitCodes.BadInput, $"--certificate {path}: the file does not exist.");
            try
            {
                var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, System.Environment.GetEnvironmentVariable(CertificatePasswordVariable));
                if (!certificate.HasPrivateKey) throw new CliException(ExitCodes.BadInput, $"--certificate {path}: the file holds no private key: export the certificate with its key (.pfx).");
                return certificate;
            }
            catch (System.Security.Cryptography.CryptographicException ex)
            {
                throw new CliException(ExitCodes.BadInput, $"--certificate {path}: not a readable .pfx, or the password in {CertificatePasswordVariable} is wrong ({ConsoleText.OneLine(ex.Message)}).");
            }
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
                    throw new CliException(ExitCodes.BadInput, $"Sign-in failed ({ex.ErrorCode}): {ConsoleText.OneLine(ex.Message)}");
                }
                catch (System.Net.Http.HttpRequestException ex)
                {
                    throw new CliException(ExitCodes.Failed, $"Cannot reach the sign-in service (Microsoft Entra ID): {ConsoleText.OneLine(ex.Message)}. Check the network, a proxy, or --tenant-id.");
                }
                catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
                {
                    throw new CliException(ExitCodes.Failed, "The sign-in service (Microsoft Entra ID) did not answer in time: check the network or a proxy, and try again.");
                }
            }
        }
    }
}
