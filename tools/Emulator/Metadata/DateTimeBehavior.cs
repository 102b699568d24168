using System;
using System.Globalization;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator
{
    /// <summary>
    /// How a date and time column stores its values (DateTimeAttributeMetadata.DateTimeBehavior; the numbers are the
    /// ones Entity.xml's &lt;Behavior&gt; and the SDK use: learn.microsoft.com/power-apps/developer/data-platform/behavior-format-date-time-attribute).
    /// </summary>
    public enum DateTimeBehavior
    {
        /// <summary>Stored in UTC and returned in UTC; a value that is not UTC is converted from the user's time zone.</summary>
        UserLocal = 1,
        /// <summary>The date alone: the time is 00:00 and no time zone applies.</summary>
        DateOnly = 2,
        /// <summary>Stored and returned as given, with no time zone conversion.</summary>
        TimeZoneIndependent = 3,
    }

    /// <summary>How a date and time column is shown (DateTimeAttributeMetadata.Format; Entity.xml &lt;Format&gt; date / datetime).</summary>
    public enum DateTimeFormat
    {
        DateAndTime,
        DateOnly,
    }

    /// <summary>The platform's rules for date and time values written to a row.</summary>
    public static class DateTimeValues
    {
        /// <summary>The earliest value a Dataverse date and time column holds (1/1/1753 12:00 AM).</summary>
        public static readonly DateTime MinValue = new(1753, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        /// <summary>0x80040239: a date earlier than the platform supports.</summary>
        public const int DateTimeOutOfRange = unchecked((int)0x80040239);

        /// <summary>
        /// The value as the platform stores it under <paramref name="behavior"/> (UserLocal when the column is not declared):
        /// UserLocal keeps a UTC value, converts a Local one to UTC and reads an Unspecified one in the user's time zone
        /// (the emulated user's zone is UTC); DateOnly keeps the date with the time 00:00 and no kind; TimeZoneIndependent
        /// keeps the clock time with no kind. A date before 1753-01-01 is refused with the platform's 0x80040239 and its
        /// message (as a real environment answered it: github.com/microsoft/coe-starter-kit issue 6417).
        /// </summary>
        public static DateTime Store(DateTime value, DateTimeBehavior behavior)
        {
            var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
            if (utc < MinValue)
                throw Faults.Create(DateTimeOutOfRange,
                    "DateTime is less than minumum value supported by CrmDateTime. Actual value: "
                    + utc.ToString("MM/dd/yyyy HH:mm:ss", CultureInfo.InvariantCulture)
                    + ", Minimum value supported: 01/01/1753 00:00:00");
            return behavior switch
            {
                DateTimeBehavior.DateOnly => DateTime.SpecifyKind(value.Date, DateTimeKind.Unspecified),
                DateTimeBehavior.TimeZoneIndependent => DateTime.SpecifyKind(value, DateTimeKind.Unspecified),
                _ => DateTime.SpecifyKind(utc, DateTimeKind.Utc),
            };
        }

        /// <summary>Applies <see cref="Store"/> to every date and time value of the row.</summary>
        public static void StoreAll(Entity row, TableMetadata table)
        {
            // Not through Attributes.Keys: a dictionary keeps the key collection it hands out, and a seeded row is kept for good.
            System.Collections.Generic.List<(string Key, DateTime Value)>? dates = null;
            foreach (var a in row.Attributes)
                if (a.Value is DateTime value) (dates ??= new()).Add((a.Key, value));
            if (dates == null) return;
            foreach (var (key, value) in dates)
            {
                var stored = Store(value, table.Columns.TryGetValue(key, out var column) ? column.Behavior ?? DateTimeBehavior.UserLocal : DateTimeBehavior.UserLocal);
                if (stored != value || stored.Kind != value.Kind) row[key] = stored;
            }
        }
    }
}
