using System;
using System.Globalization;

namespace DealRisk.Risk
{
    /// <summary>Numbers and dates in reasons: invariant culture, so a reason reads the same for every user and in every test.</summary>
    internal static class Format
    {
        public static string Percent(decimal value) => decimal.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture) + "%";

        public static string Amount(decimal value) => decimal.Round(value, 0).ToString("#,0", CultureInfo.InvariantCulture);

        public static string Hours(decimal value) => decimal.Round(value, 1).ToString("#,0.#", CultureInfo.InvariantCulture) + " h";

        public static string Date(DateTime value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        public static string Month(DateTime value) => value.ToString("MMM yyyy", CultureInfo.InvariantCulture);

        public static string Days(int days) => days == 1 ? "1 day" : days.ToString(CultureInfo.InvariantCulture) + " days";

        /// <summary>A phrase made a sentence's start: its first letter upper case.</summary>
        public static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s.Substring(1);
    }
}
