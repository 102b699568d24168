using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace DealRisk.Cli
{
    /// <summary>
    /// Text from a server or an admin's data on its way to the terminal: control characters (ESC sequences that move
    /// the cursor, clear the screen or retitle the window, a bare CR that overwrites a line, BEL) and the bidirectional
    /// overrides that reorder what is shown are dropped, so what an admin reads is what was sent.
    /// </summary>
    public static class ConsoleText
    {
        /// <summary>Whether <paramref name="c"/> may reach the terminal; line feeds and tabs only when <paramref name="layout"/>.</summary>
        public static bool IsSafe(char c, bool layout) =>
            c is '\n' or '\t' ? layout : !char.IsControl(c) && !IsBidiControl(c);

        private static bool IsBidiControl(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F' or '\u061C';

        /// <summary>Server or data text on one line: control characters dropped, line breaks and tabs become spaces.</summary>
        public static string OneLine(string? text)
        {
            if (string.IsNullOrEmpty(text)) return "";
            var b = new StringBuilder(text.Length);
            foreach (var c in text)
            {
                if (c is '\n' or '\r' or '\t') { if (b.Length > 0 && b[^1] != ' ') b.Append(' '); }
                else if (IsSafe(c, layout: false)) b.Append(c);
            }

            return b.ToString().Trim();
        }

        /// <summary>A writer that drops what <see cref="IsSafe"/> refuses (keeping line feeds and tabs): the console of every command.</summary>
        public sealed class Writer : TextWriter
        {
            private readonly TextWriter _inner;

            public Writer(TextWriter inner) => _inner = inner;

            public override Encoding Encoding => _inner.Encoding;

            public override IFormatProvider FormatProvider => CultureInfo.InvariantCulture;

            public override string NewLine
            {
                get => _inner.NewLine;
#pragma warning disable CS8765 // TextWriter's own setter takes null to mean the default.
                set => _inner.NewLine = value;
#pragma warning restore CS8765
            }

            public override void Write(char value)
            {
                if (IsSafe(value, layout: true)) _inner.Write(value);
            }

            // A whole string at once: the console's writer flushes on every write, and a character at a time is a
            // system call per character (the report of 100,000 deals is millions of characters).
            public override void Write(string? value)
            {
                if (value != null) _inner.Write(Safe(value));
            }

            private static string Safe(string value)
            {
                var safe = 0;
                while (safe < value.Length && IsSafe(value[safe], layout: true)) safe++;
                if (safe == value.Length) return value;
                var kept = new StringBuilder(value.Length);
                foreach (var c in value)
                    if (IsSafe(c, layout: true)) kept.Append(c);
                return kept.ToString();
            }

            public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

            // The console's own line ending (\r\n on Windows) is layout, not data.
            public override void WriteLine() => _inner.WriteLine();

            public override void WriteLine(string? value) => _inner.WriteLine(value == null ? null : Safe(value));

            public override void Flush() => _inner.Flush();
        }
    }
}
