using System;
using System.Collections.Generic;

namespace CrmPlugins.SolutionModel
{
    /// <summary>
    /// The columns of Microsoft's standard tables that the suite's code and registration use (names from the Dataverse
    /// table/column reference). A solution only carries the columns it adds; these are the ones it may rely on being there.
    /// Columns every table has (createdon, ownerid, statecode, ...) are in <see cref="SystemColumns"/>.
    /// </summary>
    public static class StandardTables
    {
        public static readonly IReadOnlyDictionary<string, IReadOnlyCollection<string>> Columns = new Dictionary<string, IReadOnlyCollection<string>>(StringComparer.Ordinal)
        {
            ["opportunity"] = Set("opportunityid", "name", "customerid", "parentaccountid", "parentcontactid", "estimatedvalue", "estimatedvalue_base", "estimatedclosedate", "closeprobability",
                "salesstage", "salesstagecode", "stepname", "msdyn_forecastcategory", "actualvalue", "actualvalue_base", "actualclosedate", "pricelevelid", "isrevenuesystemcalculated",
                "totalamount", "totalamount_base", "totallineitemamount", "discountpercentage", "discountamount", "description", "purchasetimeframe", "budgetamount", "opportunityratingcode"),
            ["opportunityproduct"] = Set("opportunityproductid", "opportunityid", "productid", "productdescription", "isproductoverridden", "ispriceoverridden", "quantity", "priceperunit",
                "priceperunit_base", "baseamount", "baseamount_base", "extendedamount", "extendedamount_base", "manualdiscountamount", "manualdiscountamount_base", "volumediscountamount", "tax", "uomid", "lineitemnumber"),
            ["product"] = Set("productid", "name", "productnumber", "currentcost", "currentcost_base", "standardcost", "standardcost_base", "price", "price_base", "defaultuomid", "defaultuomscheduleid", "quantitydecimal"),
            ["systemuser"] = Set("systemuserid", "fullname", "firstname", "lastname", "domainname", "internalemailaddress", "parentsystemuserid", "businessunitid", "isdisabled", "accessmode"),
            ["team"] = Set("teamid", "name", "administratorid", "businessunitid", "teamtype", "isdefault"),
            ["businessunit"] = Set("businessunitid", "name", "parentbusinessunitid"),
            ["appnotification"] = Set("appnotificationid", "title", "body", "ownerid", "icontype", "toasttype", "priority", "data", "ttlinseconds", "isread"),
            ["opportunityclose"] = Set("activityid", "opportunityid", "subject", "actualrevenue", "actualend", "competitorid", "description"),
        };

        /// <summary>Columns the platform maintains on every table.</summary>
        public static readonly IReadOnlyCollection<string> SystemColumns = Set(
            "createdon", "createdby", "modifiedon", "modifiedby", "createdonbehalfby", "modifiedonbehalfby", "ownerid", "owninguser", "owningteam", "owningbusinessunit",
            "statecode", "statuscode", "versionnumber", "transactioncurrencyid", "exchangerate", "overriddencreatedon", "importsequencenumber",
            "timezoneruleversionnumber", "utcconversiontimezonecode");

        private static IReadOnlyCollection<string> Set(params string[] names) => new HashSet<string>(names, StringComparer.Ordinal);
    }
}
