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

        /// <summary>Writes the cookie of a page (every page of every query has one: written straight to text, as the
        /// element tree it equals would write itself).</summary>
        public static string Create(int page, IReadOnlyList<string> orderColumns, string primaryId, Entity?[] first, Entity?[] last, Func<string, Entity?[], object?> read)
        {
            var text = new System.Text.StringBuilder(128);
            using (var writer = XmlWriter.Create(text, CookieSettings))
            {
                writer.WriteStartElement("cookie");
                writer.WriteAttributeString("page", page.ToString(CultureInfo.InvariantCulture));
                foreach (var column in orderColumns.Where(c => c != primaryId).Distinct(StringComparer.Ordinal))
                    Write(writer, column, read, first, last);
                Write(writer, primaryId, read, first, last);
                writer.WriteEndElement();
            }

            return text.ToString();
        }

        // What XElement.ToString(SaveOptions.DisableFormatting) writes with: no declaration, no indentation.
        private static readonly XmlWriterSettings CookieSettings = new() { OmitXmlDeclaration = true };

        private static void Write(XmlWriter writer, string column, Func<string, Entity?[], object?> read, Entity?[] first, Entity?[] last)
        {
            writer.WriteStartElement(column);
            writer.WriteAttributeString("last", Format(read(column, last)));
            writer.WriteAttributeString("first", Format(read(column, first)));
            writer.WriteEndElement();
        }

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
