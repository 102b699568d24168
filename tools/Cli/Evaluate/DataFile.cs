using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using CrmPlugins.SolutionModel;
using Microsoft.Xrm.Sdk;
using nietras.SeparatedValues;

namespace DealRisk.Cli.Evaluate
{
    /// <summary>A problem in an admin's data file, naming the file, the row and the field.</summary>
    public sealed class DataFileException : Exception
    {
        public DataFileException(string file, string table, int row, string? field, string problem)
            : base($"{file}: {table} row {row}{(field == null ? "" : $", field '{field}'")}: {problem}")
        {
        }

        public DataFileException(string file, string problem) : base($"{file}: {problem}")
        {
        }
    }

    /// <summary>
    /// Reads an admin's export into rows (docs/evaluate-data.md): a JSON file with one array per table of rows keyed by
    /// logical name, or a folder with one CSV per table (&lt;table&gt;.csv, a header row of logical names). Values are
    /// written plainly: money and numbers as numbers, dates as ISO dates, lookups as "table:guid" (or a bare GUID when
    /// the column has one target), choices as their number or their label. Types come from the solution and the
    /// standard columns the suite knows; an unknown table or column is an error naming the file, row and field.
    /// </summary>
    public sealed class DataFile
    {
        /// <summary>
        /// The largest amounts Dataverse stores: MoneyAttributeMetadata, DecimalAttributeMetadata and
        /// DoubleAttributeMetadata .MaxSupportedValue in Microsoft.Xrm.Sdk (the listing in
        /// ../shared/reference/sdk-api/Microsoft.Xrm.Sdk.api.txt; learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.metadata.moneyattributemetadata.maxsupportedvalue).
        /// A value beyond them cannot come from a real org, and would overflow the arithmetic after it.
        /// </summary>
        public const decimal MaxMoney = 922_337_203_685_477m, MaxDecimal = 100_000_000_000m;

        private readonly SolutionSource _solution;
        private readonly Dictionary<Entity, (string File, int Row)> _origins = new(ReferenceEqualityComparer.Instance);
        // The type of each column read, and the primary key of each table: looked up once, not once a row.
        private readonly Dictionary<(string Table, string Column), string?> _types = new();
        private readonly Dictionary<string, string> _primaryKeys = new(StringComparer.Ordinal);

        public DataFile(SolutionSource solution) => _solution = solution;

        /// <summary>The file and row a loaded row came from, for errors that name them.</summary>
        public (string File, int Row) Origin(Entity row) => _origins.TryGetValue(row, out var o) ? o : ("?", 0);

        public List<Entity> Load(string path)
        {
            if (Directory.Exists(path)) return LoadCsvFolder(path);
            if (!File.Exists(path)) throw new DataFileException(path, "the file does not exist");
            return IsCsv(path)
                ? LoadCsv(path, TableOf(path), new List<Entity>())
                : LoadJson(path);
        }

        private List<Entity> LoadJson(string file)
        {
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(File.ReadAllText(file), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            }
            catch (JsonException ex)
            {
                throw new DataFileException(file, $"the JSON is malformed (line {ex.LineNumber + 1}): {ex.Message}");
            }

            using (doc)
            {
                if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new DataFileException(file, "the file must hold an object with one array of rows per table");
                var rows = new List<Entity>();
                foreach (var table in doc.RootElement.EnumerateObject())
                {
                    CheckTable(file, table.Name);
                    if (table.Value.ValueKind != JsonValueKind.Array) throw new DataFileException(file, $"'{table.Name}' must be an array of rows");
                    var n = 0;
                    foreach (var item in table.Value.EnumerateArray())
                    {
                        n++;
                        if (item.ValueKind != JsonValueKind.Object) throw new DataFileException(file, table.Name, n, null, "a row must be an object");
                        var fields = item.EnumerateObject().Select(p => (p.Name, (object?)p.Value)).ToList();
                        rows.Add(Row(file, table.Name, n, fields));
                    }
                }

                return rows;
            }
        }

        private List<Entity> LoadCsvFolder(string folder)
        {
            // Exports from Windows tools write Opportunity.CSV: the pattern "*.csv" matches case-sensitively on Linux and macOS.
            var files = Directory.EnumerateFiles(folder).Where(IsCsv).OrderBy(f => f, StringComparer.Ordinal).ToList();
            if (files.Count == 0) throw new DataFileException(folder, "the folder has no <table>.csv file");
            var rows = new List<Entity>();
            foreach (var f in files) LoadCsv(f, TableOf(f), rows);
            return rows;
        }

        private static bool IsCsv(string file) => Path.GetExtension(file).Equals(".csv", StringComparison.OrdinalIgnoreCase);

        // Logical names are lower case; a file named after its table may not be.
        private static string TableOf(string file) => Path.GetFileNameWithoutExtension(file).ToLowerInvariant();

        private List<Entity> LoadCsv(string file, string table, List<Entity> rows)
        {
            CheckTable(file, table);
            // Sep streams the file a row at a time (an export of a million lines is hundreds of megabytes): only the rows
            // read are held, never the text. The comma is fixed, not sniffed from the header, as the format says.
            try
            {
                using var reader = Sep.New(',').Reader(o => o with { Unescape = true, DisableColCountCheck = true, HasHeader = false }).FromFile(file);
                string[]? header = null;
                var n = 0;
                var fields = new List<(string Name, object? Value)>();
                foreach (var line in reader)
                {
                    if (header == null)
                    {
                        header = new string[line.ColCount];
                        for (var c = 0; c < line.ColCount; c++) header[c] = line[c].ToString().Trim().TrimStart('\uFEFF');
                        continue;
                    }

                    n++;
                    var blank = true;
                    for (var c = 0; c < line.ColCount && blank; c++) blank = line[c].Span.IsWhiteSpace();
                    if (blank) continue;
                    if (line.ColCount != header.Length) throw new DataFileException(file, table, n, null, $"the row has {line.ColCount} fields, the header {header.Length}");
                    fields.Clear();
                    for (var c = 0; c < header.Length; c++) fields.Add((header[c], line[c].Span.IsWhiteSpace() ? null : line[c].ToString()));
                    rows.Add(Row(file, table, n, fields));
                }
            }
            catch (Exception ex) when (ex is InvalidDataException or ArgumentException or NotSupportedException)
            {
                throw new DataFileException(file, $"the CSV cannot be read: {ex.Message}");
            }

            return rows;
        }

        private void CheckTable(string file, string table)
        {
            if (!SolutionValidator.IsTable(_solution, table))
                throw new DataFileException(file, $"'{table}' is not a table the suite reads (its tables: opportunity, opportunityproduct, product, systemuser, team, businessunit, transactioncurrency and the dr_ tables)");
        }

        /// <summary>
        /// A row of <paramref name="table"/> from plainly written values (see the class summary). With
        /// <paramref name="skipUnknown"/> columns the suite does not know are left out instead of failing (the Web API
        /// returns every column of a row).
        /// </summary>
        public Entity Row(string file, string table, int n, IReadOnlyList<(string Name, object? Value)> fields, bool skipUnknown = false)
        {
            if (skipUnknown) fields = fields.Where(f => TypeOf(table, f.Name) != null).ToList();
            return Row(file, table, n, fields);
        }

        private Entity Row(string file, string table, int n, IReadOnlyList<(string Name, object? Value)> fields)
        {
            if (!_primaryKeys.TryGetValue(table, out var primary))
                _primaryKeys[table] = primary = _solution.Table(table)?.PrimaryIdAttribute ?? (table == "opportunityclose" ? "activityid" : table + "id");
            var row = new Entity(table);
            foreach (var (name, raw) in fields)
            {
                var type = TypeOf(table, name) ?? throw new DataFileException(file, table, n, name, $"{table} has no such column");
                object? value;
                try
                {
                    value = Convert(type, raw);
                }
                catch (FormatException ex)
                {
                    throw new DataFileException(file, table, n, name, ex.Message);
                }

                if (name == primary || type == "primarykey")
                {
                    if (value is Guid id) row.Id = id;
                    continue;
                }

                row[name] = value;
            }

            if (row.Id == Guid.Empty) throw new DataFileException(file, table, n, primary, "every row needs its id");
            // Dataverse computes a line's amount as quantity x price and stores it as money: a line beyond that cannot exist.
            if (row.GetAttributeValue<decimal?>("quantity") is decimal quantity && row.GetAttributeValue<Money>("priceperunit")?.Value is decimal price &&
                Math.Abs(quantity) * Math.Abs(price) > MaxMoney)
                throw new DataFileException(file, table, n, "quantity", $"{quantity.ToString(CultureInfo.InvariantCulture)} x {price.ToString(CultureInfo.InvariantCulture)} is beyond the largest amount Dataverse stores ({MaxMoney.ToString("#,0", CultureInfo.InvariantCulture)})");
            _origins[row] = (file, n);
            return row;
        }

        private string? TypeOf(string table, string column)
        {
            if (!_types.TryGetValue((table, column), out var type)) _types[(table, column)] = type = SolutionValidator.TypeOf(_solution, table, column);
            return type;
        }

        private object? Convert(string type, object? raw)
        {
            string? text = raw switch
            {
                null => null,
                JsonElement { ValueKind: JsonValueKind.Null } => null,
                JsonElement { ValueKind: JsonValueKind.String } j => j.GetString(),
                JsonElement j => j.GetRawText(),
                string s => s,
                _ => raw.ToString(),
            };
            if (string.IsNullOrWhiteSpace(text)) return null;
            text = text.Trim();
            var (kind, target) = KindOf(type);
            switch (kind)
            {
                case "primarykey":
                case "uniqueidentifier":
                    return Guid.TryParse(text, out var g) ? g : throw new FormatException($"'{text}' is not a GUID");
                case "nvarchar":
                case "ntext":
                    return text;
                case "int":
                    return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : throw new FormatException($"'{text}' is not a whole number");
                case "bigint":
                    return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l : throw new FormatException($"'{text}' is not a whole number");
                case "decimal":
                    return Number(text, MaxDecimal);
                case "float":
                    return (double)Number(text, MaxDecimal);
                case "money":
                    return new Money(Number(text, MaxMoney));
                case "bit":
                    return text.ToLowerInvariant() switch
                    {
                        "true" or "1" or "yes" => true,
                        "false" or "0" or "no" => false,
                        _ => throw new FormatException($"'{text}' is not true or false"),
                    };
                case "datetime":
                    return IsoDate(text);
                case "picklist":
                case "state":
                case "status":
                    return new OptionSetValue(Option(type, text));
                case "lookup":
                case "owner":
                case "customer":
                    return Lookup(target, text);
                default:
                    throw new FormatException($"columns of type {kind} cannot be loaded");
            }
        }

        private static decimal Number(string text, decimal max)
        {
            if (!decimal.TryParse(text, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var v))
            {
                // decimal.TryParse fails on 1e40 as on "abc": say which it is.
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) v = decimal.MaxValue;
                else throw new FormatException($"'{text}' is not a number (write 1234.5, no currency sign or thousands separator)");
            }

            return Math.Abs(v) <= max ? v : throw new FormatException($"'{text}' is beyond what Dataverse stores in this column (-{max.ToString("#,0", CultureInfo.InvariantCulture)} to {max.ToString("#,0", CultureInfo.InvariantCulture)})");
        }

        private static readonly string[] IsoFormats = new[] { "yyyy-MM-dd" }
            .Concat(new[] { "'T'", " " }.SelectMany(t => new[] { "HH:mm", "HH:mm:ss", "HH:mm:ss.FFFFFFF" }.Select(time => "yyyy-MM-dd" + t + time + "K")))
            .ToArray();

        /// <summary>
        /// ISO 8601 only (a date, or a date and time with an optional Z or offset; no offset means UTC). Anything else is
        /// refused rather than guessed: 01/02/2027 is 1 February in Oslo and 2 January in Seattle, and a close date read
        /// the wrong way round turns a slipping deal into a healthy one.
        /// </summary>
        private static DateTime IsoDate(string text)
        {
            if (DateTime.TryParseExact(text, IsoFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d))
                return DateTime.SpecifyKind(d, DateTimeKind.Utc);
            var parts = System.Text.RegularExpressions.Regex.Match(text, @"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})\b");
            if (parts.Success && int.Parse(parts.Groups[1].Value, CultureInfo.InvariantCulture) is var a and >= 1 and <= 12 &&
                int.Parse(parts.Groups[2].Value, CultureInfo.InvariantCulture) is var b and >= 1 and <= 12 && a != b)
                throw new FormatException($"'{text}' is ambiguous (day/month or month/day?): write the date as yyyy-MM-dd, e.g. 2027-01-31");
            throw new FormatException($"'{text}' is not an ISO date (write 2027-01-31 or 2027-01-31T09:00:00Z; day/month order is never guessed)");
        }

        private int Option(string type, string text)
        {
            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)) return v;
            var labels = _solution.OptionSets.SelectMany(o => o.Options).Where(o => string.Equals(o.Label, text, StringComparison.OrdinalIgnoreCase)).Select(o => o.Value).Distinct().ToList();
            return labels.Count == 1 ? labels[0] : throw new FormatException($"'{text}' is not a choice value (write its number, or a label of the suite's choices)");
        }

        private EntityReference Lookup(string? target, string text)
        {
            var colon = text.IndexOf(':');
            if (colon >= 0 && Guid.TryParse(text.AsSpan(colon + 1), out var id)) return Reference(LogicalName(text.AsSpan(0, colon).Trim()), id);
            if (target != null && Guid.TryParse(text, out var bare)) return Reference(target, bare);
            throw new FormatException($"'{text}' is not a lookup (write table:guid, e.g. systemuser:3f2b...)");
        }

        // Ten lines name their deal, a million lines twenty products: one reference for each row pointed at, shared by the
        // rows that point at it, as the emulator's seed shares what it fills alike (a stored value is never changed in
        // place: every read hands out a copy).
        private readonly Dictionary<(string Table, Guid Id), EntityReference> _references = new();

        private EntityReference Reference(string table, Guid id)
        {
            if (!_references.TryGetValue((table, id), out var reference)) _references[(table, id)] = reference = new EntityReference(table, id);
            return reference;
        }

        // A million lookups name a handful of tables: one string for each name, not one for each lookup.
        private readonly Dictionary<string, string> _logicalNames = new(StringComparer.Ordinal);

        private string LogicalName(ReadOnlySpan<char> name)
        {
            var lookup = _logicalNames.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(name, out var known)) return known;
            var text = name.ToString();
            _logicalNames[text] = text;
            return text;
        }

        // "lookup:systemuser" is the kind and the lookup's one target: split once per type, not once per value.
        private readonly Dictionary<string, (string Kind, string? Target)> _kinds = new(StringComparer.Ordinal);

        private (string Kind, string? Target) KindOf(string type)
        {
            if (_kinds.TryGetValue(type, out var known)) return known;
            var parts = type.Split(':');
            return _kinds[type] = (parts[0], parts.Length > 1 ? parts[1] : null);
        }
    }
}
