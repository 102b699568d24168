using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace DealRisk.Cli.Tests
{
    /// <summary>
    /// A Dataverse Web API on the loopback address, speaking the requests and responses the live commands use: entity
    /// sets with paging (@odata.nextLink), WhoAmI, solutions, ImportSolutionAsync with its system job and import job,
    /// PublishAllXml; and the failures: 401 for a wrong token, 429 with Retry-After, 404 for tables that do not exist,
    /// error bodies. It records every request.
    /// Rows go out as a real organization sends them (see <see cref="Shape"/>): every row of a table with money carries
    /// its currency and exchange rate, money its _base twin, lookups their annotations, values their formatted text.
    /// </summary>
    public sealed class FakeDataverse : IDisposable
    {
        public const string Token = "test-token";
        private readonly HttpListener _listener = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private int _asyncPolls;

        public FakeDataverse()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Url = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Add(Url + "/");
            _listener.Start();
            Sets["transactioncurrencies"] = new() { Currency(BaseCurrencyId, "USD", "US Dollar", "$", 1.0m) };
            // Every environment has system jobs; BulkDelete adds one.
            Sets["asyncoperations"] = new();
            _loop = Task.Run(Serve);
        }

        public string Url { get; }

        /// <summary>The organization's base currency (US Dollar, exchange rate 1), the first row of <c>transactioncurrencies</c>.</summary>
        public const string BaseCurrencyId = "44444444-0000-0000-0000-0000000000c1";

        /// <summary>Lookups whose target a real row's annotation names, for rows a test writes without one.</summary>
        private static readonly Dictionary<string, string> LookupTargets = new(StringComparer.Ordinal)
        {
            ["transactioncurrencyid"] = "transactioncurrency", ["createdby"] = "systemuser", ["modifiedby"] = "systemuser", ["owninguser"] = "systemuser",
            ["owningbusinessunit"] = "businessunit", ["businessunitid"] = "businessunit", ["parentsystemuserid"] = "systemuser", ["opportunityid"] = "opportunity",
            ["productid"] = "product", ["administratorid"] = "systemuser", ["parentbusinessunitid"] = "businessunit", ["organizationid"] = "organization",
        };

        /// <summary>Entity sets whose rows have money, so a currency and an exchange rate (Dataverse adds them with the first money column).</summary>
        private static readonly HashSet<string> SetsWithMoney = new(StringComparer.Ordinal) { "opportunities", "opportunityproducts", "products", "dr_riskpolicies" };

        private static readonly HashSet<string> MoneyColumns = new(StringComparer.Ordinal)
        {
            "estimatedvalue", "actualvalue", "totalamount", "budgetamount", "currentcost", "standardcost", "price", "priceperunit", "baseamount",
            "extendedamount", "manualdiscountamount", "volumediscountamount", "tax", "dr_estimatedcostofsale", "dr_marginamount", "dr_unquotedeffortcost", "dr_hourlycost",
        };

        /// <summary>A currency of the organization, as transactioncurrencies returns it.</summary>
        public static JsonObject Currency(string id, string code, string name, string symbol, decimal rate, int precision = 2) => new()
        {
            ["transactioncurrencyid"] = id, ["isocurrencycode"] = code, ["currencyname"] = name, ["currencysymbol"] = symbol,
            ["exchangerate"] = rate, ["currencyprecision"] = precision, ["statecode"] = 0,
        };

        /// <summary>Rows per entity set; an entity set not here answers 404 (the table does not exist).</summary>
        public Dictionary<string, List<JsonObject>> Sets { get; } = new(StringComparer.Ordinal);

        public int PageSize { get; set; } = 2;

        /// <summary>How many of the next requests answer 429 (Retry-After: 0).</summary>
        public int ThrottleNext { get; set; }

        /// <summary>Set: the import's system job fails with this message.</summary>
        public string? ImportFailure { get; set; }

        public List<JsonObject> Solutions { get; } = new();

        /// <summary>
        /// The table and column definitions the environment has (EntityDefinitions paths): by default those Dynamics 365 Sales
        /// brings that the solution declares among its MissingDependencies, as in an environment with Sales installed.
        /// </summary>
        public HashSet<string> Definitions { get; } = new(StringComparer.Ordinal)
        {
            "EntityDefinitions(LogicalName='opportunity')", "EntityDefinitions(LogicalName='opportunityproduct')", "EntityDefinitions(LogicalName='opportunitysalesprocess')", "EntityDefinitions(LogicalName='product')",
            "EntityDefinitions(LogicalName='opportunity')/Attributes(LogicalName='msdyn_forecastcategory')",
        };

        /// <summary>Set: answers a request for this resource (the path after /api/data/v9.2/) as given, instead of as Dataverse would: an HTML page, a body without 'value', a nextLink elsewhere.</summary>
        public Func<string, (int Status, string ContentType, string Body)?>? Override { get; set; }

        /// <summary>How long every answer is held back (a slow or hung environment); the wait ends when the server is disposed.</summary>
        public TimeSpan Delay { get; set; }

        /// <summary>Set: the import's system job stays "in progress" for ever.</summary>
        public bool ImportNeverEnds { get; set; }

        /// <summary>The solution zip the last ImportSolutionAsync carried (CustomizationFile, decoded).</summary>
        public byte[]? ImportedZip { get; private set; }

        public ConcurrentQueue<(string Method, string PathAndQuery, string Body)> Requests { get; } = new();

        private async Task Serve()
        {
            while (!_stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync().ConfigureAwait(false);
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (HttpListenerException)
                {
                    return;
                }

                if (Delay > TimeSpan.Zero)
                {
                    try
                    {
                        await Task.Delay(Delay, _stop.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }

                try
                {
                    Handle(context);
                }
                catch (Exception ex)
                {
                    Reply(context, 500, new JsonObject { ["error"] = new JsonObject { ["code"] = "0x80040216", ["message"] = "fake server: " + ex.Message } });
                }
            }
        }

        private void Handle(HttpListenerContext context)
        {
            var request = context.Request;
            var body = request.HasEntityBody ? new System.IO.StreamReader(request.InputStream, Encoding.UTF8).ReadToEnd() : "";
            var path = request.Url!.AbsolutePath;
            Requests.Enqueue((request.HttpMethod, request.Url.PathAndQuery, body));
            if (request.Headers["Authorization"] != "Bearer " + Token)
            {
                Reply(context, 401, new JsonObject { ["error"] = new JsonObject { ["code"] = "0x80072560", ["message"] = "The user is not a member of the organization." } });
                return;
            }

            if (ThrottleNext > 0)
            {
                ThrottleNext--;
                context.Response.Headers["Retry-After"] = "0";
                Reply(context, 429, new JsonObject { ["error"] = new JsonObject { ["code"] = "0x80072322", ["message"] = "Number of requests exceeded the limit of 6000 over time window of 300 seconds." } });
                return;
            }

            const string root = "/api/data/v9.2/";
            if (!path.StartsWith(root, StringComparison.Ordinal))
            {
                Reply(context, 404, null);
                return;
            }

            var resource = path[root.Length..];
            if (Override?.Invoke(resource) is var (overrideStatus, contentType, text))
            {
                var bytes = Encoding.UTF8.GetBytes(text);
                context.Response.StatusCode = overrideStatus;
                context.Response.ContentType = contentType;
                if (overrideStatus is >= 300 and < 400) context.Response.Headers["Location"] = text;
                context.Response.ContentLength64 = bytes.Length;
                context.Response.OutputStream.Write(bytes);
                context.Response.Close();
                return;
            }

            switch (request.HttpMethod, resource)
            {
                case ("GET", "WhoAmI"):
                    Reply(context, 200, new JsonObject { ["UserId"] = "11111111-0000-0000-0000-000000000001", ["BusinessUnitId"] = "11111111-0000-0000-0000-000000000002", ["OrganizationId"] = "11111111-0000-0000-0000-000000000003" });
                    return;
                case ("GET", "solutions"):
                    Reply(context, 200, new JsonObject { ["value"] = new JsonArray(Solutions.Select(s => (JsonNode)s.DeepClone()).ToArray()) });
                    return;
                case ("POST", "ImportSolutionAsync"):
                    var parameters = JsonNode.Parse(body)!.AsObject();
                    if (parameters["CustomizationFile"] is null || parameters["ImportJobId"] is null)
                    {
                        Reply(context, 400, new JsonObject { ["error"] = new JsonObject { ["code"] = "0x80040203", ["message"] = "CustomizationFile and ImportJobId are required." } });
                        return;
                    }

                    ImportedZip = Convert.FromBase64String(parameters["CustomizationFile"]!.GetValue<string>());
                    _asyncPolls = 0;
                    Reply(context, 200, new JsonObject { ["AsyncOperationId"] = "22222222-0000-0000-0000-000000000001", ["ImportJobKey"] = "key" });
                    return;
                case ("POST", "opportunities/Microsoft.Dynamics.CRM.UpdateMultiple"):
                    var targets = JsonNode.Parse(body)!["Targets"]!.AsArray();
                    if (targets.Count > 1000 || targets.Any(t => t!["@odata.type"]?.GetValue<string>() != "Microsoft.Dynamics.CRM.opportunity"))
                    {
                        Reply(context, 400, new JsonObject { ["error"] = new JsonObject { ["code"] = "0x80048d19", ["message"] = "Targets must be opportunities, at most 1,000." } });
                        return;
                    }

                    Reply(context, 204, null);
                    return;
                case ("POST", "PublishAllXml"):
                    Reply(context, 204, null);
                    return;
                case ("POST", "BulkDelete"):
                    BulkDelete(context, JsonNode.Parse(body)!.AsObject());
                    return;
            }

            if (request.HttpMethod == "GET" && resource.StartsWith("asyncoperations(", StringComparison.Ordinal))
            {
                var done = ++_asyncPolls >= 2 && !ImportNeverEnds;
                var status = !done ? 20 : ImportFailure == null ? 30 : 31;
                if (done && ImportFailure == null)
                    Solutions.Add(new JsonObject { ["uniquename"] = "DealRisk", ["version"] = "1.0.0.0", ["ismanaged"] = true, ["installedon"] = "2026-11-23T08:00:00Z" });
                Reply(context, 200, new JsonObject { ["statecode"] = done ? 3 : 2, ["statuscode"] = status, ["friendlymessage"] = status == 31 ? ImportFailure : null });
                return;
            }

            if (request.HttpMethod == "GET" && resource.StartsWith("EntityDefinitions(", StringComparison.Ordinal))
            {
                // The table or column definition when the environment has it (the path without its query), else the 404 deploy's check reads as missing.
                var definition = resource.Split('?')[0];
                if (Definitions.Contains(definition))
                    Reply(context, 200, new JsonObject { ["LogicalName"] = definition[(definition.LastIndexOf("='", StringComparison.Ordinal) + 2)..^2] });
                else
                    Reply(context, 404, new JsonObject { ["error"] = new JsonObject { ["code"] = "0x80060888", ["message"] = $"Could not find a definition for '{definition}'." } });
                return;
            }

            if (request.HttpMethod == "GET" && resource.StartsWith("importjobs(", StringComparison.Ordinal))
            {
                Reply(context, 200, new JsonObject { ["progress"] = _asyncPolls >= 2 && !ImportNeverEnds ? 100.0 : 50.0 });
                return;
            }

            if (request.HttpMethod == "GET" && Sets.TryGetValue(resource, out var rows))
            {
                var skip = int.TryParse(request.QueryString["$skiptoken"], out var s) ? s : 0;
                var annotations = (request.Headers["Prefer"] ?? "").Contains("odata.include-annotations", StringComparison.Ordinal);
                var page = rows.Skip(skip).Take(PageSize).Select(r => (JsonNode)Shape(resource, r, annotations)).ToArray();
                var result = new JsonObject { ["value"] = new JsonArray(page) };
                if (skip + PageSize < rows.Count) result["@odata.nextLink"] = $"{Url}{root}{resource}?$skiptoken={skip + PageSize}";
                Reply(context, 200, result);
                return;
            }

            Reply(context, 404, new JsonObject { ["error"] = new JsonObject { ["code"] = "0x80060888", ["message"] = $"Resource not found for the segment '{resource}'." } });
        }

        /// <summary>Set: BulkDelete answers 403 as to a caller without prvBulkDelete.</summary>
        public bool BulkDeleteDenied { get; set; }

        /// <summary>
        /// The BulkDelete action (learn.microsoft.com/power-apps/developer/data-platform/delete-data-bulk): the parameters the
        /// request requires or it is refused with 400 as the platform refuses a missing one; a recurring job becomes a system
        /// job (operation type 13) waiting for its first run, and the answer is its JobId.
        /// </summary>
        private void BulkDelete(HttpListenerContext context, JsonObject parameters)
        {
            if (BulkDeleteDenied)
            {
                Reply(context, 403, new JsonObject { ["error"] = new JsonObject { ["code"] = "0x80040220", ["message"] = "Principal user (Id=11111111-0000-0000-0000-000000000001, type=8) is missing prvBulkDelete privilege." } });
                return;
            }

            var missing = new[] { "QuerySet", "JobName", "ToRecipients", "CCRecipients" }.FirstOrDefault(p => parameters[p] is null);
            if (missing == null && (parameters["QuerySet"] is not JsonArray { Count: > 0 } queries || queries.Any(q => q?["EntityName"] is null || q["@odata.type"]?.GetValue<string>() != "Microsoft.Dynamics.CRM.QueryExpression")))
                missing = "QuerySet";
            if (missing != null)
            {
                Reply(context, 400, new JsonObject { ["error"] = new JsonObject { ["code"] = "0x80040203", ["message"] = $"Required field '{missing}' is missing." } });
                return;
            }

            var id = $"22222222-0000-0000-0000-{Sets["asyncoperations"].Count + 100:D12}";
            Sets["asyncoperations"].Add(new JsonObject
            {
                ["asyncoperationid"] = id, ["name"] = parameters["JobName"]!.GetValue<string>(), ["operationtype"] = 13, ["statecode"] = 1, ["statuscode"] = 10,
                ["recurrencepattern"] = parameters["RecurrencePattern"]?.GetValue<string>() ?? "", ["postponeuntil"] = parameters["StartDateTime"]?.GetValue<string>(),
            });
            Reply(context, 200, new JsonObject { ["JobId"] = id });
        }

        /// <summary>
        /// A row as a real organization's Web API sends it (https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/query/select-columns,
        /// "Lookup property data" and "Formatted values"; https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/web-api-navigation-properties):
        /// an @odata.etag; on a table with money, _transactioncurrencyid_value (the base currency unless the row names one) and
        /// exchangerate, and each money column's _base twin (value / rate); the audit columns and version; and, when the request's
        /// Prefer header asks for annotations (odata.include-annotations="*", as the live commands do), each lookup's
        /// @Microsoft.Dynamics.CRM.lookuplogicalname, @Microsoft.Dynamics.CRM.associatednavigationproperty and formatted
        /// value (the target's name), and the formatted value of money, numbers, choices and dates. Without that header, no
        /// annotation but @odata ones.
        /// </summary>
        private JsonObject Shape(string set, JsonObject stored, bool annotations)
        {
            var row = (JsonObject)stored.DeepClone();
            var version = 1000 + Math.Abs(row.ToJsonString().GetHashCode() % 100000);
            row["@odata.etag"] = $"W/\"{version}\"";
            row.TryAdd("versionnumber", version);
            row.TryAdd("createdon", "2026-01-05T08:30:00Z");
            row.TryAdd("modifiedon", "2026-11-20T16:45:12Z");
            row.TryAdd("_createdby_value", "44444444-0000-0000-0000-000000000051");
            row.TryAdd("_modifiedby_value", "44444444-0000-0000-0000-000000000051");
            row.TryAdd("importsequencenumber", null);
            row.TryAdd("overriddencreatedon", null);
            if (SetsWithMoney.Contains(set))
            {
                row.TryAdd("_transactioncurrencyid_value", BaseCurrencyId);
                var currencyId = row["_transactioncurrencyid_value"]?.GetValue<string>();
                var currency = Sets["transactioncurrencies"].FirstOrDefault(c => c["transactioncurrencyid"]?.GetValue<string>() == currencyId);
                var rate = Number(currency?["exchangerate"]) ?? 1m;
                row.TryAdd("exchangerate", rate);
                foreach (var column in row.Select(p => p.Key).Where(MoneyColumns.Contains).ToList())
                {
                    var value = Number(row[column]);
                    row[column + "_base"] = value is decimal amount ? decimal.Round(amount / rate, 4) : null;
                    if (annotations && value is decimal shown)
                        row[column + "@OData.Community.Display.V1.FormattedValue"] = (currency?["currencysymbol"]?.GetValue<string>() ?? "") + shown.ToString("N2", System.Globalization.CultureInfo.GetCultureInfo("en-US"));
                }
            }

            if (!annotations)
            {
                foreach (var key in row.Select(p => p.Key).Where(k => k.Contains('@') && !k.StartsWith("@odata", StringComparison.Ordinal)).ToList()) row.Remove(key);
                return row;
            }

            foreach (var (key, value) in row.ToList())
            {
                if (key.Contains('@')) continue;
                if (key.StartsWith("_", StringComparison.Ordinal) && key.EndsWith("_value", StringComparison.Ordinal))
                {
                    if (value == null) continue;
                    var column = key[1..^6];
                    var target = row[key + "@Microsoft.Dynamics.CRM.lookuplogicalname"]?.GetValue<string>() ?? (LookupTargets.TryGetValue(column, out var t) ? t : null);
                    if (target == null) continue;
                    row[key + "@Microsoft.Dynamics.CRM.lookuplogicalname"] = target;
                    row[key + "@Microsoft.Dynamics.CRM.associatednavigationproperty"] = column == "ownerid" ? "ownerid" : column;
                    row[key + "@OData.Community.Display.V1.FormattedValue"] = NameOf(target, value.GetValue<string>());
                    continue;
                }

                if (value is JsonValue plain && !row.ContainsKey(key + "@OData.Community.Display.V1.FormattedValue") && !key.EndsWith("_base", StringComparison.Ordinal))
                {
                    if (key is "statecode") row[key + "@OData.Community.Display.V1.FormattedValue"] = plain.ToJsonString() == "0" ? "Open" : "Closed";
                    else if (Number(plain) is decimal number) row[key + "@OData.Community.Display.V1.FormattedValue"] = number.ToString("N0", System.Globalization.CultureInfo.GetCultureInfo("en-US"));
                    else if (plain.TryGetValue<string>(out var text) && DateTime.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal, out var date) && text.Length >= 10 && text[4] == '-')
                        row[key + "@OData.Community.Display.V1.FormattedValue"] = date.ToString("M/d/yyyy", System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            return row;
        }

        private static decimal? Number(JsonNode? node) =>
            node is JsonValue v && v.GetValueKind() == JsonValueKind.Number &&
            decimal.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : null;

        /// <summary>The primary name of a row the fake holds, as a lookup's formatted value gives it (the id when unknown).</summary>
        private string NameOf(string table, string? id)
        {
            foreach (var rows in Sets.Values)
                foreach (var r in rows)
                    if (r[table + "id"]?.GetValue<string>() == id)
                        return (r["name"] ?? r["fullname"] ?? r["currencyname"] ?? r["dr_name"])?.GetValue<string>() ?? id ?? "";
            return id ?? "";
        }

        private static void Reply(HttpListenerContext context, int status, JsonObject? body)
        {
            context.Response.StatusCode = status;
            if (body != null)
            {
                var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
                context.Response.ContentType = "application/json; odata.metadata=minimal";
                context.Response.ContentLength64 = bytes.Length;
                context.Response.OutputStream.Write(bytes);
            }

            context.Response.Close();
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _listener.Close();
            try
            {
                _loop.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
            }
        }
    }
}
