using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace DealRisk.Cli.Live
{
    /// <summary>
    /// A small client of Dataverse's Web API (v9.2): paged reads that follow @odata.nextLink, actions, and the
    /// service-protection rules: 429 and 503 are retried after the Retry-After the platform gives (bounded), 401 and
    /// error bodies become one clear error. Nothing secret is printed.
    /// </summary>
    public sealed class WebApiClient : IDisposable
    {
        public const int MaxRetries = 5;

        private readonly HttpClient _http;
        private readonly ITokenProvider _tokens;
        private readonly Action<string> _say;

        public WebApiClient(Uri environment, ITokenProvider tokens, Action<string>? say = null, HttpMessageHandler? handler = null)
        {
            Environment = environment;
            _tokens = tokens;
            _say = say ?? (_ => { });
            _http = handler == null ? new HttpClient() : new HttpClient(handler);
            _http.BaseAddress = new Uri(environment, "/api/data/v9.2/");
            _http.Timeout = TimeSpan.FromMinutes(5);
        }

        public Uri Environment { get; }

        /// <summary>The longest wait a Retry-After may impose before the client gives up (service protection).</summary>
        public TimeSpan MaxRetryWait { get; init; } = TimeSpan.FromMinutes(5);

        /// <summary>How many requests were retried after a 429 or 503.</summary>
        public int Retries { get; private set; }

        /// <summary>Every row of a query, page by page (5,000 per page unless the server pages smaller).</summary>
        public async Task<IReadOnlyList<JsonElement>> GetAllAsync(string relativeUrl, CancellationToken cancel, int pageSize = 5000)
        {
            var rows = new List<JsonElement>();
            string? next = relativeUrl;
            while (next != null)
            {
                using var doc = await SendAsync(() =>
                {
                    var request = new HttpRequestMessage(HttpMethod.Get, next);
                    request.Headers.Add("Prefer", $"odata.maxpagesize={pageSize},odata.include-annotations=\"*\"");
                    return request;
                }, cancel).ConfigureAwait(false);
                foreach (var row in doc.RootElement.GetProperty("value").EnumerateArray()) rows.Add(row.Clone());
                next = doc.RootElement.TryGetProperty("@odata.nextLink", out var link) ? link.GetString() : null;
            }

            return rows;
        }

        public async Task<JsonElement> GetAsync(string relativeUrl, CancellationToken cancel)
        {
            using var doc = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, relativeUrl), cancel).ConfigureAwait(false);
            return doc.RootElement.Clone();
        }

        /// <summary>Calls an unbound action with a JSON body; returns its response (an empty object for 204).</summary>
        public async Task<JsonElement> PostAsync(string action, object body, CancellationToken cancel)
        {
            var json = JsonSerializer.Serialize(body);
            using var doc = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, action) { Content = new StringContent(json, Encoding.UTF8, "application/json") }, cancel).ConfigureAwait(false);
            return doc.RootElement.Clone();
        }

        private async Task<JsonDocument> SendAsync(Func<HttpRequestMessage> build, CancellationToken cancel)
        {
            for (var attempt = 0; ; attempt++)
            {
                using var request = build();
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await _tokens.GetTokenAsync(cancel).ConfigureAwait(false));
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                request.Headers.Add("OData-MaxVersion", "4.0");
                request.Headers.Add("OData-Version", "4.0");
                HttpResponseMessage response;
                try
                {
                    response = await _http.SendAsync(request, cancel).ConfigureAwait(false);
                }
                catch (HttpRequestException ex)
                {
                    throw new CliException(ExitCodes.Failed, $"Cannot reach {Environment.Host}: {ex.Message}");
                }

                using (response)
                {
                    var text = await response.Content.ReadAsStringAsync(cancel).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode)
                        return JsonDocument.Parse(string.IsNullOrWhiteSpace(text) ? "{}" : text);

                    if ((response.StatusCode == (HttpStatusCode)429 || response.StatusCode == HttpStatusCode.ServiceUnavailable) && attempt < MaxRetries)
                    {
                        var wait = RetryAfter(response) ?? TimeSpan.FromSeconds(Math.Pow(2, attempt));
                        if (wait > MaxRetryWait)
                            throw new CliException(ExitCodes.Failed, $"{Environment.Host} asks to wait {wait.TotalSeconds:0} s (service protection limits): try again later.");
                        Retries++;
                        _say($"  {(int)response.StatusCode} from the server (service protection): retrying in {wait.TotalSeconds:0.#} s...");
                        await Task.Delay(wait, cancel).ConfigureAwait(false);
                        continue;
                    }

                    if (response.StatusCode == HttpStatusCode.NotFound) throw new WebApiNotFoundException(Describe(response.StatusCode, text));
                    throw new CliException(ExitCodes.Failed, Describe(response.StatusCode, text));
                }
            }
        }

        private static TimeSpan? RetryAfter(HttpResponseMessage response)
        {
            if (response.Headers.RetryAfter?.Delta is TimeSpan delta) return delta;
            if (response.Headers.RetryAfter?.Date is DateTimeOffset date) return date - DateTimeOffset.UtcNow;
            return null;
        }

        private string Describe(HttpStatusCode status, string body)
        {
            string? message = null, code = null;
            try
            {
                using var doc = JsonDocument.Parse(body);
                if (doc.RootElement.TryGetProperty("error", out var error))
                {
                    message = error.TryGetProperty("message", out var m) ? m.GetString() : null;
                    code = error.TryGetProperty("code", out var c) ? c.GetString() : null;
                }
            }
            catch (JsonException)
            {
            }

            return status switch
            {
                HttpStatusCode.Unauthorized => $"{Environment.Host} refused the sign-in (401): sign in again, and check the account is a user of the environment with a security role.",
                HttpStatusCode.Forbidden => $"{Environment.Host} refused the request (403){(message != null ? ": " + message : "")}. The account needs the privileges listed in README (Live environments).",
                _ => $"{Environment.Host} answered {(int)status} {status}{(code != null ? $" ({code})" : "")}{(message != null ? ": " + message : "")}",
            };
        }

        public void Dispose() => _http.Dispose();

        /// <summary>Formats a GUID for a URL key: (00000000-...).</summary>
        public static string Key(Guid id) => "(" + id.ToString("D", CultureInfo.InvariantCulture) + ")";
    }
}
