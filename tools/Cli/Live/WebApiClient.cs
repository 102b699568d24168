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
            if (!EnvironmentUrl.IsTrustedScheme(environment))
                throw new CliException(ExitCodes.BadInput, $"{environment} is not an https address: the sign-in token is sent over https only.");
            Environment = environment;
            _tokens = tokens;
            _say = say ?? (_ => { });
            // No automatic redirects: the Web API does not redirect its calls, and a redirect is a way to send a request
            // (with its body) to another origin behind the client's back.
            _http = new HttpClient(handler ?? new SocketsHttpHandler { AllowAutoRedirect = false });
            _http.BaseAddress = new Uri(environment, "/api/data/v9.2/");
            // Each request has its own limit (Timeout), with a line of progress while it runs.
            _http.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
        }

        public Uri Environment { get; }

        /// <summary>How long one request may take before it is given up with a clear message (--timeout).</summary>
        public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

        /// <summary>How often a line says the client is still waiting for an answer.</summary>
        public TimeSpan ProgressEvery { get; init; } = TimeSpan.FromSeconds(10);

        /// <summary>The most pages one query may follow: a server that never stops paging is not followed forever.</summary>
        public int MaxPages { get; init; } = 10_000;

        /// <summary>The longest wait a Retry-After may impose before the client gives up (service protection).</summary>
        public TimeSpan MaxRetryWait { get; init; } = TimeSpan.FromMinutes(5);

        /// <summary>How many requests were retried after a 429 or 503.</summary>
        public int Retries { get; private set; }

        /// <summary>Every row of a query, page by page (5,000 per page unless the server pages smaller).</summary>
        public async Task<IReadOnlyList<JsonElement>> GetAllAsync(string relativeUrl, CancellationToken cancel, int pageSize = 5000)
        {
            var rows = new List<JsonElement>();
            var read = new HashSet<string>(StringComparer.Ordinal);
            Uri? next = new(_http.BaseAddress!, relativeUrl);
            for (var pages = 1; next != null; pages++)
            {
                if (!read.Add(next.AbsoluteUri))
                    throw new CliException(ExitCodes.Failed, $"{Environment.Host} sent a next-page link to a page already read ({Path(next)}): reading stopped instead of looping.");
                if (pages > MaxPages)
                    throw new CliException(ExitCodes.Failed, $"{Environment.Host} still had more pages of {Path(new Uri(_http.BaseAddress!, relativeUrl))} after {MaxPages:N0}: reading stopped.");
                var page = next;
                using var doc = await SendAsync(() =>
                {
                    var request = new HttpRequestMessage(HttpMethod.Get, page);
                    request.Headers.Add("Prefer", $"odata.maxpagesize={pageSize},odata.include-annotations=\"*\"");
                    return request;
                }, cancel).ConfigureAwait(false);
                var value = Require(doc.RootElement, "value", page);
                if (value.ValueKind != JsonValueKind.Array) throw new CliException(ExitCodes.Failed, $"{Environment.Host} answered {Path(page)} with a 'value' that is not a list of rows.");
                foreach (var row in value.EnumerateArray())
                {
                    if (row.ValueKind != JsonValueKind.Object) throw new CliException(ExitCodes.Failed, $"{Environment.Host} answered {Path(page)} with a row that is not an object ({row.ValueKind}).");
                    rows.Add(row.Clone());
                }

                next = doc.RootElement.TryGetProperty("@odata.nextLink", out var link) && link.ValueKind == JsonValueKind.String ? NextPage(link.GetString()!) : null;
            }

            return rows;
        }

        /// <summary>
        /// The page a nextLink names, if the token may go there: the environment's own origin (scheme, host and port),
        /// never another host, a plain-http address or a file. A server (or a man in the middle of a proxy) that names
        /// another origin gets no token and the read stops.
        /// </summary>
        private Uri NextPage(string link)
        {
            if (!Uri.TryCreate(_http.BaseAddress, link, out var uri))
                throw new CliException(ExitCodes.Failed, $"{Environment.Host} sent a next-page link that is not an address ('{ConsoleText.OneLine(link)}'): reading stopped.");
            if (!EnvironmentUrl.SameOrigin(Environment, uri) || !EnvironmentUrl.IsTrustedScheme(uri))
                throw new CliException(ExitCodes.Failed, $"{Environment.Host} sent a next-page link to {ConsoleText.OneLine(uri.GetLeftPart(UriPartial.Authority))}, not to {Environment.GetLeftPart(UriPartial.Authority)}: " +
                    "the sign-in token goes to the environment only, so reading stopped.");
            return uri;
        }

        /// <summary>A property the Web API always sends; its absence is one clear line naming the request, not a KeyNotFoundException.</summary>
        public JsonElement Require(JsonElement answer, string property, Uri request) =>
            answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty(property, out var value)
                ? value
                : throw new CliException(ExitCodes.Failed, $"{Environment.Host} answered {Path(request)} without '{property}': is --url the environment's address?");

        /// <inheritdoc cref="Require(JsonElement, string, Uri)"/>
        public JsonElement Require(JsonElement answer, string property, string relativeUrl) => Require(answer, property, new Uri(_http.BaseAddress!, relativeUrl));

        private string Path(Uri request) => ConsoleText.OneLine(request.IsAbsoluteUri ? request.PathAndQuery : request.ToString());

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
                var target = request.RequestUri!.IsAbsoluteUri ? request.RequestUri : new Uri(_http.BaseAddress!, request.RequestUri);
                if (!EnvironmentUrl.SameOrigin(Environment, target) || !EnvironmentUrl.IsTrustedScheme(target))
                    throw new CliException(ExitCodes.Failed, $"Refused to send the sign-in token to {ConsoleText.OneLine(target.GetLeftPart(UriPartial.Authority))}: it goes to {Environment.Host} only.");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await _tokens.GetTokenAsync(cancel).ConfigureAwait(false));
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                request.Headers.Add("OData-MaxVersion", "4.0");
                request.Headers.Add("OData-Version", "4.0");
                using var response = await ExchangeAsync(request, target, cancel).ConfigureAwait(false);
                var text = response.Text;
                if (response.IsSuccessStatusCode)
                    return Parse(text, response, request.Method, target);

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

                if ((int)response.StatusCode is >= 300 and < 400)
                    throw new CliException(ExitCodes.Failed, $"{Environment.Host} redirected {request.Method} {Path(target)} to {ConsoleText.OneLine(response.Headers.Location?.ToString() ?? "nowhere")}: " +
                        "the Web API does not redirect, so the request was not followed; is --url the environment's address?");
                if (response.StatusCode == HttpStatusCode.NotFound) throw new WebApiNotFoundException(Describe(response.StatusCode, text));
                throw new CliException(ExitCodes.Failed, Describe(response.StatusCode, text));
            }
        }

        /// <summary>A response with its body read, both within <see cref="Timeout"/>.</summary>
        private sealed class Answer : IDisposable
        {
            public Answer(HttpResponseMessage response, string text) => (Response, Text) = (response, text);

            public HttpResponseMessage Response { get; }
            public string Text { get; }
            public bool IsSuccessStatusCode => Response.IsSuccessStatusCode;
            public HttpStatusCode StatusCode => Response.StatusCode;
            public System.Net.Http.Headers.HttpResponseHeaders Headers => Response.Headers;

            public void Dispose() => Response.Dispose();
        }

        /// <summary>
        /// Sends one request and reads its body within <see cref="Timeout"/>, saying every <see cref="ProgressEvery"/> that
        /// it is still waiting (a slow environment is otherwise minutes of silence), and turning the limit into one line.
        /// </summary>
        private async Task<Answer> ExchangeAsync(HttpRequestMessage request, Uri target, CancellationToken cancel)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            limit.CancelAfter(Timeout);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var exchange = Task.Run(async () =>
            {
                var response = await _http.SendAsync(request, limit.Token).ConfigureAwait(false);
                try
                {
                    return new Answer(response, await response.Content.ReadAsStringAsync(limit.Token).ConfigureAwait(false));
                }
                catch
                {
                    response.Dispose();
                    throw;
                }
            }, limit.Token);
            while (!exchange.IsCompleted && !limit.IsCancellationRequested)
            {
                var tick = Task.Delay(ProgressEvery, limit.Token);
                if (await Task.WhenAny(exchange, tick).ConfigureAwait(false) == tick && !exchange.IsCompleted && !limit.IsCancellationRequested)
                    _say($"  still waiting for {Environment.Host} ({request.Method} {Path(target)}): {clock.Elapsed.TotalSeconds:0} s of {Timeout.TotalSeconds:0.#} s...");
            }

            try
            {
                return await exchange.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
                throw new CliException(ExitCodes.Failed, $"{Environment.Host} did not answer {request.Method} {Path(target)} within {Timeout.TotalSeconds:0.#} s: " +
                    "the environment may be busy or unreachable; try again later, or allow longer with --timeout <seconds>.");
            }
            catch (HttpRequestException ex)
            {
                throw new CliException(ExitCodes.Failed, $"Cannot reach {Environment.Host}: {ConsoleText.OneLine(ex.Message)}");
            }
        }

        /// <summary>The JSON of a successful answer; an HTML page (a sign-in or proxy page, a web site that is not the Web API) is one clear line.</summary>
        private JsonDocument Parse(string text, Answer response, HttpMethod method, Uri target)
        {
            if (string.IsNullOrWhiteSpace(text)) return JsonDocument.Parse("{}");
            try
            {
                return JsonDocument.Parse(text);
            }
            catch (JsonException)
            {
                var type = response.Response.Content.Headers.ContentType?.MediaType ?? "no content type";
                throw new CliException(ExitCodes.Failed, $"{Environment.Host} answered {method} {Path(target)} with {type}{(text.TrimStart().StartsWith('<') ? " (a web page)" : "")}, not the Web API's JSON: " +
                    "is --url the environment's address (e.g. https://contoso.crm4.dynamics.com)?");
            }
        }

        private static TimeSpan? RetryAfter(Answer response)
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
                if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
                {
                    message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                    code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                }
            }
            catch (JsonException)
            {
            }

            message = message == null ? null : ConsoleText.OneLine(message);
            code = code == null ? null : ConsoleText.OneLine(code);
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
