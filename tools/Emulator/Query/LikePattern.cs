using System;
using System.Text;
using System.Text.RegularExpressions;

namespace CrmPlugins.Emulator.Query
{
    /// <summary>
    /// SQL LIKE as Dataverse evaluates it: <c>%</c> any run of characters, <c>_</c> one character,
    /// <c>[abc]</c>, <c>[a-c]</c> and <c>[^a]</c> character sets; case-insensitive.
    /// </summary>
    internal sealed class LikePattern
    {
        private readonly Regex _regex;

        private LikePattern(Regex regex)
        {
            _regex = regex;
        }

        public static LikePattern Create(string pattern)
        {
            var builder = new StringBuilder("^");
            for (var i = 0; i < pattern.Length; i++)
            {
                var ch = pattern[i];
                switch (ch)
                {
                    case '%':
                        builder.Append(".*");
                        break;
                    case '_':
                        builder.Append('.');
                        break;
                    case '[':
                        var close = pattern.IndexOf(']', i + 1);
                        if (close < 0)
                        {
                            builder.Append(Regex.Escape("["));
                            break;
                        }

                        var set = pattern.Substring(i + 1, close - i - 1);
                        builder.Append('[');
                        if (set.StartsWith("^", StringComparison.Ordinal))
                        {
                            builder.Append('^');
                            set = set.Substring(1);
                        }

                        foreach (var member in set)
                        {
                            if (member == '-') builder.Append('-');
                            else builder.Append(Regex.Escape(member.ToString())
                                .Replace("]", "\\]", StringComparison.Ordinal));
                        }

                        builder.Append(']');
                        i = close;
                        break;
                    default:
                        builder.Append(Regex.Escape(ch.ToString()));
                        break;
                }
            }

            builder.Append('$');
            return new LikePattern(new Regex(builder.ToString(),
                RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline));
        }

        public bool IsMatch(string value) => _regex.IsMatch(value);
    }
}
