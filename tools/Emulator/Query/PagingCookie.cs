using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Xml;
using System.Xml.Linq;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator.Query
{
    /// <summary>
    /// Dataverse's paging cookie: <c>&lt;cookie page="1"&gt;&lt;name last="..." first="..." /&gt;&lt;accountid last="{GUID}" first="{GUID}" /&gt;&lt;/cookie&gt;</c>,
    /// one element per order column of the main table and one for its primary key, holding the values of the
    /// page's first and last rows.
    /// </summary>
    internal sealed class PagingCookie
    {
        private PagingCookie(int page, Guid? lastId)
        {
            Page = page;
            LastId = lastId;
        }

        /// <summary>The page the cookie was returned with.</summary>
        public int Page { get; }

        /// <summary>The primary key of the last row of that page.</summary>
        public Guid? LastId { get; }

        /// <summary>Reads a cookie; a cookie that is not XML is a fault.</summary>
        public static PagingCookie Parse(string text, string primaryId)
        {
            XElement root;
            try
            {
                root = XElement.Parse(text);
            }
            catch (XmlException e)
            {
                throw QueryFaults.MalformedXml("the paging cookie", e.Message);
            }

            if (root.Name.LocalName != "cookie") throw QueryFaults.InvalidArgumentFault($"The paging cookie must have a 'cookie' root element, not '{root.Name.LocalName}'.");
            var page = int.TryParse((string?)root.Attribute("page"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) ? p : 0;
            Guid? lastId = null;
            var idElement = root.Elements().FirstOrDefault(e => e.Name.LocalName == primaryId);
            if (idElement != null && Guid.TryParse(((string?)idElement.Attribute("last") ?? string.Empty).Trim(), out var id)) lastId = id;
            return new PagingCookie(page, lastId);
        }

        /// <summary>Writes the cookie of a page: the page number and, for each order column and the primary key, the
        /// values of the page's last and first rows.</summary>
        public static string Create(int page, IReadOnlyList<string> orderColumns, string primaryId, Entity?[] first, Entity?[] last, Func<string, Entity?[], object?> read)
        {
            var columns = new List<(string Column, string Last, string First)>(orderColumns.Count + 1);
            foreach (var column in orderColumns.Where(c => c != primaryId).Distinct(StringComparer.Ordinal))
                columns.Add((column, Format(read(column, last)), Format(read(column, first))));
            columns.Add((primaryId, Format(read(primaryId, last)), Format(read(primaryId, first))));

            // Every page of every query gets a cookie: written directly when no name or value needs escaping (ids, numbers,
            // dates, plain names), as the XmlWriter below writes it; the writer (kilobytes of buffers each time) otherwise.
            if (columns.TrueForAll(c => PlainName(c.Column) && Plain(c.Last) && Plain(c.First)))
            {
                var plain = new System.Text.StringBuilder(64 + 96 * columns.Count);
                plain.Append("<cookie page=\"").Append(page.ToString(CultureInfo.InvariantCulture)).Append("\">");
                foreach (var (column, lastValue, firstValue) in columns)
                    plain.Append('<').Append(column).Append(" last=\"").Append(lastValue).Append("\" first=\"").Append(firstValue).Append("\" />");
                return plain.Append("</cookie>").ToString();
            }

            var text = new System.Text.StringBuilder(128);
            using (var writer = XmlWriter.Create(text, CookieSettings))
            {
                writer.WriteStartElement("cookie");
                writer.WriteAttributeString("page", page.ToString(CultureInfo.InvariantCulture));
                foreach (var (column, lastValue, firstValue) in columns)
                {
                    writer.WriteStartElement(column);
                    writer.WriteAttributeString("last", lastValue);
                    writer.WriteAttributeString("first", firstValue);
                    writer.WriteEndElement();
                }

                writer.WriteEndElement();
            }

            return text.ToString();
        }

        /// <summary>A column name the XmlWriter writes as it is: ASCII letters, digits and underscores, not starting with a digit.</summary>
        private static bool PlainName(string name)
        {
            if (name.Length == 0 || char.IsAsciiDigit(name[0])) return false;
            foreach (var c in name)
                if (!(char.IsAsciiLetterOrDigit(c) || c == '_')) return false;
            return true;
        }

        /// <summary>Text the XmlWriter writes as it is: letters, digits and the few marks ids, numbers and dates use.</summary>
        private static bool Plain(string text)
        {
            foreach (var c in text)
                if (!(char.IsAsciiLetterOrDigit(c) || c is '{' or '}' or '-' or ':' or '.' or ' ' or '_')) return false;
            return true;
        }

        // What XElement.ToString(SaveOptions.DisableFormatting) writes with: no declaration, no indentation.
        private static readonly XmlWriterSettings CookieSettings = new() { OmitXmlDeclaration = true };

        private static string Format(object? raw)
        {
            switch (QueryValues.Core(raw))
            {
                case null:
                    return string.Empty;
                case Guid id:
                    return "{" + id.ToString("D").ToUpperInvariant() + "}";
                case DateTime date:
                    return date.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
                case bool flag:
                    return flag ? "1" : "0";
                case IFormattable formattable:
                    return formattable.ToString(null, CultureInfo.InvariantCulture);
                case var other:
                    return other.ToString() ?? string.Empty;
            }
        }
    }
}
