using System;
using System.Collections.Generic;
using System.Linq;

namespace CrmPlugins.SolutionModel
{
    /// <summary>
    /// The columns of Microsoft's standard tables that the suite's code and registration use (names from the Dataverse
    /// table/column reference). A solution only carries the columns it adds; these are the ones it may rely on being there.
    /// Columns every table has (createdon, ownerid, statecode, ...) are in <see cref="SystemColumnTypes"/>.
    /// </summary>
    public static class StandardTables
    {
        public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Types = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal)
        {
            ["opportunity"] = Typed("opportunityid:primarykey name:nvarchar customerid:customer parentaccountid:lookup:account parentcontactid:lookup:contact estimatedvalue:money " +
                "estimatedclosedate:datetime closeprobability:int salesstage:picklist salesstagecode:picklist stepname:nvarchar msdyn_forecastcategory:picklist actualvalue:money " +
                "actualclosedate:datetime pricelevelid:lookup:pricelevel isrevenuesystemcalculated:bit totalamount:money totallineitemamount:money discountpercentage:decimal " +
                "discountamount:money description:ntext purchasetimeframe:picklist budgetamount:money opportunityratingcode:picklist " +
                "customerneed:ntext proposedsolution:ntext currentsituation:ntext customerpainpoints:ntext quotecomments:ntext qualificationcomments:ntext " +
                "timeline:picklist purchaseprocess:picklist decisionmaker:bit budgetstatus:picklist need:picklist " +
                // The Opportunity Sales Process columns stage gates read (MicrosoftDocs/dynamics-365-customer-engagement ce/sales/developer/entities/opportunity.md).
                "identifycustomercontacts:bit identifycompetitors:bit identifypursuitteam:bit developproposal:bit completeinternalreview:bit presentproposal:bit completefinalproposal:bit finaldecisiondate:datetime"),
            ["opportunityproduct"] = Typed("opportunityproductid:primarykey opportunityid:lookup:opportunity productid:lookup:product productdescription:nvarchar isproductoverridden:bit " +
                "ispriceoverridden:bit quantity:decimal priceperunit:money baseamount:money extendedamount:money manualdiscountamount:money volumediscountamount:money tax:money " +
                "uomid:lookup:uom lineitemnumber:int"),
            ["product"] = Typed("productid:primarykey name:nvarchar productnumber:nvarchar currentcost:money standardcost:money price:money defaultuomid:lookup:uom " +
                "defaultuomscheduleid:lookup:uomschedule quantitydecimal:int"),
            ["systemuser"] = Typed("systemuserid:primarykey fullname:nvarchar firstname:nvarchar lastname:nvarchar domainname:nvarchar internalemailaddress:nvarchar " +
                "parentsystemuserid:lookup:systemuser businessunitid:lookup:businessunit isdisabled:bit accessmode:picklist"),
            ["team"] = Typed("teamid:primarykey name:nvarchar administratorid:lookup:systemuser businessunitid:lookup:businessunit teamtype:picklist isdefault:bit"),
            ["businessunit"] = Typed("businessunitid:primarykey name:nvarchar parentbusinessunitid:lookup:businessunit"),
            ["appnotification"] = Typed("appnotificationid:primarykey title:nvarchar body:ntext ownerid:owner icontype:picklist toasttype:picklist priority:picklist data:ntext ttlinseconds:int isread:bit"),
            // A row's currency (transactioncurrencyid, exchangerate) and the org's currencies, which evaluate reads first.
            ["transactioncurrency"] = Typed("transactioncurrencyid:primarykey isocurrencycode:nvarchar currencyname:nvarchar currencysymbol:nvarchar exchangerate:decimal currencyprecision:int"),
            // Customer activities regarding a deal (the daily sweep's "no customer activity" finding).
            ["phonecall"] = Typed("activityid:primarykey subject:nvarchar regardingobjectid:lookup:opportunity actualend:datetime"),
            ["appointment"] = Typed("activityid:primarykey subject:nvarchar regardingobjectid:lookup:opportunity actualend:datetime"),
            ["email"] = Typed("activityid:primarykey subject:nvarchar regardingobjectid:lookup:opportunity actualend:datetime"),
            ["task"] = Typed("activityid:primarykey subject:nvarchar regardingobjectid:lookup:opportunity actualend:datetime"),
            // Every activity of every type, read-only: the sweep reads the last customer activity here in one query.
            ["activitypointer"] = Typed("activityid:primarykey subject:nvarchar regardingobjectid:lookup:opportunity actualend:datetime activitytypecode:nvarchar"),
            // The Opportunity Sales Process's instance of a deal (the process bar) and the stages of processes: writable columns of
            // MicrosoftDocs/dynamics-365-customer-engagement ce/sales/developer/entities/opportunitysalesprocess.md and
            // MicrosoftDocs/powerapps-docs powerapps-docs/developer/data-platform/reference/entities/processstage.md.
            ["opportunitysalesprocess"] = Typed("businessprocessflowinstanceid:primarykey name:nvarchar opportunityid:lookup:opportunity processid:lookup:workflow " +
                "activestageid:lookup:processstage activestagestartedon:datetime completedon:datetime traversedpath:nvarchar quoteid:lookup:quote salesorderid:lookup:salesorder duration:int"),
            ["processstage"] = Typed("processstageid:primarykey stagename:nvarchar stagecategory:picklist processid:lookup:workflow primaryentitytypecode:nvarchar clientdata:ntext"),
            ["opportunityclose"] = Typed("activityid:primarykey opportunityid:lookup:opportunity subject:nvarchar actualrevenue:money actualend:datetime competitorid:lookup:competitor description:ntext"),
        };

        /// <summary>Web API entity set names of the standard tables.</summary>
        public static readonly IReadOnlyDictionary<string, string> EntitySets = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["opportunity"] = "opportunities", ["opportunityproduct"] = "opportunityproducts", ["product"] = "products", ["systemuser"] = "systemusers",
            ["team"] = "teams", ["businessunit"] = "businessunits", ["appnotification"] = "appnotifications", ["opportunityclose"] = "opportunitycloses",
            ["transactioncurrency"] = "transactioncurrencies", ["opportunitysalesprocess"] = "opportunitysalesprocesses", ["processstage"] = "processstages",
        };

        /// <summary>The standard columns by table (names only).</summary>
        public static readonly IReadOnlyDictionary<string, IReadOnlyCollection<string>> Columns =
            Types.ToDictionary(t => t.Key, t => (IReadOnlyCollection<string>)t.Value.Keys.ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);

        /// <summary>Types of the columns every table has ("lookup:target" for lookups).</summary>
        public static readonly IReadOnlyDictionary<string, string> SystemColumnTypes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["createdon"] = "datetime", ["modifiedon"] = "datetime", ["overriddencreatedon"] = "datetime", ["createdby"] = "lookup:systemuser", ["modifiedby"] = "lookup:systemuser",
            ["createdonbehalfby"] = "lookup:systemuser", ["modifiedonbehalfby"] = "lookup:systemuser", ["ownerid"] = "owner", ["owninguser"] = "lookup:systemuser",
            ["owningteam"] = "lookup:team", ["owningbusinessunit"] = "lookup:businessunit", ["statecode"] = "state", ["statuscode"] = "status", ["versionnumber"] = "bigint",
            ["transactioncurrencyid"] = "lookup:transactioncurrency", ["exchangerate"] = "decimal", ["importsequencenumber"] = "int",
            ["timezoneruleversionnumber"] = "int", ["utcconversiontimezonecode"] = "int",
        };

        private static IReadOnlyDictionary<string, string> Typed(string spec) =>
            spec.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(c => c.Split(':', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
    }
}
