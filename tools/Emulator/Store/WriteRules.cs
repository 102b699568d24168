using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator
{
    /// <summary>
    /// Columns a caller may send but the platform does not write: the audit and version columns are
    /// IsValidForCreate = false and IsValidForUpdate = false on every table (e.g. learn.microsoft.com/power-apps/developer/data-platform/reference/entities/opportunity:
    /// createdon, createdby, modifiedon, modifiedby, versionnumber, createdonbehalfby, modifiedonbehalfby), the base-currency
    /// twins of money columns (<c>*_base</c>) are computed, and <c>overriddencreatedon</c> is valid for create only, where it
    /// becomes the row's <c>createdon</c> (the documented way to keep a migrated row's creation date). Dataverse ignores
    /// such columns instead of failing, so the emulator drops them.
    /// </summary>
    public static class WriteRules
    {
        /// <summary>Columns no Create or Update writes.</summary>
        public static readonly IReadOnlyCollection<string> NeverWritten = new HashSet<string>(StringComparer.Ordinal)
        {
            "createdon", "createdby", "modifiedon", "modifiedby", "versionnumber", "createdonbehalfby", "modifiedonbehalfby",
        };

        /// <summary>Drops what the platform ignores on a Create (<paramref name="creating"/>) or an Update of <paramref name="row"/>.</summary>
        public static void DropNotValidFor(Entity row, bool creating)
        {
            foreach (var column in row.Attributes.Keys.ToList())
            {
                if (NeverWritten.Contains(column)
                    || (column.EndsWith("_base", StringComparison.Ordinal) && (row[column] is Money || row[column] == null))
                    || (!creating && column == "overriddencreatedon"))
                    row.Attributes.Remove(column);
            }

            if (creating && row.GetAttributeValue<DateTime?>("overriddencreatedon") is DateTime overridden) row["createdon"] = overridden;
        }
    }
}
