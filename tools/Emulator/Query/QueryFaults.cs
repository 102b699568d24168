using System;
using System.ServiceModel;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator.Query
{
    /// <summary>
    /// The faults Dataverse returns for bad queries, built as the platform throws them:
    /// <c>FaultException&lt;OrganizationServiceFault&gt;</c> with the platform's error code and message.
    /// The codes are Microsoft's (the SDK's error-code list); the emulator's organization service
    /// reuses these helpers for the same faults outside queries.
    /// </summary>
    public static class QueryFaults
    {
        /// <summary>0x80040201: the XML (FetchXML, paging cookie) is not well formed.</summary>
        public const int InvalidXml = unchecked((int)0x80040201);

        /// <summary>0x80040203: an argument of the request is not valid.</summary>
        public const int InvalidArgument = ErrorCodes.InvalidArgument;

        /// <summary>0x80040217: the requested row does not exist.</summary>
        public const int ObjectDoesNotExist = ErrorCodes.ObjectDoesNotExist;

        /// <summary>0x80041102: the table is not in the metadata.</summary>
        public const int QueryBuilderNoEntity = unchecked((int)0x80041102);

        /// <summary>0x80041103: the table has no column with that name.</summary>
        public const int QueryBuilderNoAttribute = ErrorCodes.QueryBuilderNoAttribute;

        /// <summary>0x80041107: an aggregate query asks for a column that is neither grouped nor aggregated.</summary>
        public const int QueryBuilderAttributeWithAggregate = unchecked((int)0x80041107);

        /// <summary>0x80041109: an alias is used twice or is not valid.</summary>
        public const int QueryBuilderInvalidAlias = unchecked((int)0x80041109);

        /// <summary>0x8004110A: a condition or order names an alias the query does not define.</summary>
        public const int QueryBuilderAliasDoesNotExist = unchecked((int)0x8004110A);

        /// <summary>0x8004110B: an aggregate column has no alias.</summary>
        public const int QueryBuilderNoAlias = unchecked((int)0x8004110B);

        /// <summary>0x8004110F: a QueryByAttribute has a different number of attributes and values.</summary>
        public const int QueryBuilderByAttributeMismatch = unchecked((int)0x8004110F);

        /// <summary>0x80041110: a QueryByAttribute has no attribute.</summary>
        public const int QueryBuilderByAttributeNonEmpty = unchecked((int)0x80041110);

        /// <summary>0x8004111C: FetchXML has an element or attribute the schema does not allow there.</summary>
        public const int QueryBuilderDeserializeInvalidNode = unchecked((int)0x8004111C);

        /// <summary>0x80041120: the condition operator is not valid.</summary>
        public const int QueryBuilderInvalidConditionOperator = unchecked((int)0x80041120);

        /// <summary>0x80041121: the join operator (link type) is not valid.</summary>
        public const int QueryBuilderInvalidJoinOperator = unchecked((int)0x80041121);

        /// <summary>0x80041127: TopCount must be greater than zero.</summary>
        public const int QueryBuilderTopCountGreaterThanZero = unchecked((int)0x80041127);

        /// <summary>0x8004430D: more than 15 link entities in one query.</summary>
        public const int TooManyLinkEntities = unchecked((int)0x8004430D);

        /// <summary>0x8004E023: an aggregate query reads more rows than its limit (50,000 by default).</summary>
        public const int AggregateQueryRecordLimitExceeded = unchecked((int)0x8004E023);

        /// <summary>The most link entities one query may have.</summary>
        public const int MaxLinkEntities = 15;

        /// <summary>The most rows an aggregate query may read.</summary>
        public const int AggregateRecordLimit = 50000;

        /// <summary>A fault as the organization service throws it (built by <see cref="Faults.Create"/>).</summary>
        public static FaultException<OrganizationServiceFault> Fault(int errorCode, string message) => Faults.Create(errorCode, message);

        /// <summary>0x80041102 "The entity with a name = 'x' with namemapping = 'Logical' was not found in the MetadataCache."</summary>
        public static FaultException<OrganizationServiceFault> UnknownTable(string table) =>
            Fault(QueryBuilderNoEntity, $"The entity with a name = '{table}' with namemapping = 'Logical' was not found in the MetadataCache.");

        /// <summary>0x80041103 "'account' entity doesn't contain attribute with Name = 'foo' and NameMapping = 'Logical'."</summary>
        public static FaultException<OrganizationServiceFault> UnknownColumn(string table, string column) =>
            Fault(QueryBuilderNoAttribute, $"'{table}' entity doesn't contain attribute with Name = '{column}' and NameMapping = 'Logical'.");

        /// <summary>0x80040203 with the given message.</summary>
        public static FaultException<OrganizationServiceFault> InvalidArgumentFault(string message) => Fault(InvalidArgument, message);

        /// <summary>0x80040203: a condition value that does not fit the column's type.</summary>
        public static FaultException<OrganizationServiceFault> ConditionValueType(string table, string column, string expectedType, string receivedType) =>
            Fault(InvalidArgument, $"Condition for attribute '{table}.{column}': expected argument(s) of type '{expectedType}' but received '{receivedType}'.");

        /// <summary>0x80040203: QueryExpression.TopCount together with a PageInfo.</summary>
        public static FaultException<OrganizationServiceFault> TopCountWithPaging(int topCount) =>
            Fault(InvalidArgument, $"The Top.Count = {topCount} can't be specified with pagingInfo");

        /// <summary>0x80040203: FetchXML top together with a paging attribute.</summary>
        public static FaultException<OrganizationServiceFault> FetchTopWithPaging(string pagingAttribute) =>
            Fault(InvalidArgument, $"The top attribute can't be specified with paging attribute {pagingAttribute}");

        /// <summary>0x80041127: TopCount of zero or less.</summary>
        public static FaultException<OrganizationServiceFault> TopCountNotPositive(int topCount) =>
            Fault(QueryBuilderTopCountGreaterThanZero, $"The TopCount must be greater than zero; it is {topCount}.");

        /// <summary>0x80041110: QueryByAttribute without attributes.</summary>
        public static FaultException<OrganizationServiceFault> QueryByAttributeEmpty() =>
            Fault(QueryBuilderByAttributeNonEmpty, "QueryByAttribute must specify a non-empty attribute array.");

        /// <summary>0x8004110F: QueryByAttribute with a different number of attributes and values.</summary>
        public static FaultException<OrganizationServiceFault> QueryByAttributeMismatch(int attributes, int values) =>
            Fault(QueryBuilderByAttributeMismatch, $"QueryByAttribute must have as many values as attributes: {attributes} attribute(s), {values} value(s).");

        /// <summary>0x80040201: XML that cannot be read.</summary>
        public static FaultException<OrganizationServiceFault> MalformedXml(string what, string detail) =>
            Fault(InvalidXml, $"Invalid XML in {what}: {detail}");

        /// <summary>0x8004111C: an element the FetchXML schema does not allow at that place.</summary>
        public static FaultException<OrganizationServiceFault> InvalidFetchNode(string parent, string node, string validNodes) =>
            Fault(QueryBuilderDeserializeInvalidNode, $"Invalid Child Node, valid nodes are {validNodes}. NodeName = {node} Parent = {parent}");

        /// <summary>0x8004111C: an attribute the FetchXML schema does not define for the element.</summary>
        public static FaultException<OrganizationServiceFault> InvalidFetchAttribute(string element, string attribute) =>
            Fault(QueryBuilderDeserializeInvalidNode, $"The attribute '{attribute}' is not valid for the FetchXML element '{element}'.");

        /// <summary>0x80041120: a FetchXML operator name that does not exist.</summary>
        public static FaultException<OrganizationServiceFault> InvalidOperator(string name) =>
            Fault(QueryBuilderInvalidConditionOperator, $"'{name}' is not a valid condition operator.");

        /// <summary>0x80041121: a link type that does not exist.</summary>
        public static FaultException<OrganizationServiceFault> InvalidLinkType(string name) =>
            Fault(QueryBuilderInvalidJoinOperator, $"'{name}' is not a valid link type.");

        /// <summary>0x8004110A: a condition or order names an alias the query does not define.</summary>
        public static FaultException<OrganizationServiceFault> UnknownAlias(string alias) =>
            Fault(QueryBuilderAliasDoesNotExist, $"No link entity with name or alias '{alias}' is defined in the query.");

        /// <summary>0x80041109: two link entities with one alias.</summary>
        public static FaultException<OrganizationServiceFault> DuplicateAlias(string alias) =>
            Fault(QueryBuilderInvalidAlias, $"The alias '{alias}' is used more than once in the query.");

        /// <summary>0x8004430D "Number of link entities in query exceeded maximum limit."</summary>
        public static FaultException<OrganizationServiceFault> LinkEntityLimit() =>
            Fault(TooManyLinkEntities, "Number of link entities in query exceeded maximum limit.");

        /// <summary>0x8004E023 "AggregateQueryRecordLimit exceeded. Cannot perform this operation."</summary>
        public static FaultException<OrganizationServiceFault> AggregateLimit() =>
            Fault(AggregateQueryRecordLimitExceeded, "AggregateQueryRecordLimit exceeded. Cannot perform this operation.");

        /// <summary>
        /// 0x80041120: an hour or minute operator (last-x-hours, next-x-hours, olderthan-x-hours, olderthan-x-minutes) on a
        /// date-only column, which holds no time (learn.microsoft.com/power-apps/developer/data-platform/behavior-format-date-time-attribute).
        /// The code is the invalid-operator code; the message is the emulator's.
        /// </summary>
        public static FaultException<OrganizationServiceFault> TimeOperatorOnDateOnly(string table, string column, Microsoft.Xrm.Sdk.Query.ConditionOperator op) =>
            Fault(QueryBuilderInvalidConditionOperator, $"The condition operator '{op}' is not valid for '{table}.{column}': the column's behavior is DateOnly and it holds no time.");

        /// <summary>
        /// Simple paging (a page number without a paging cookie) reaching past the 50,000th row
        /// (learn.microsoft.com/power-apps/developer/data-platform/fetchxml/page-results); the message is the platform's as
        /// reported in github.com/bcolpaert/Colso.Xrm.DataTransporter issue 4, the code (invalid argument) the emulator's.
        /// </summary>
        public static FaultException<OrganizationServiceFault> PagingCookieRequired() =>
            Fault(InvalidArgument, "Paging cookie is required when trying to retrieve a set of records on any high pages.");

        /// <summary>The most rows simple paging (page number, no cookie) reaches.</summary>
        public const int SimplePagingRecordLimit = 50000;

        /// <summary>0x80041107: an aggregate query column that is neither grouped nor aggregated.</summary>
        public static FaultException<OrganizationServiceFault> AttributeWithAggregate(string column) =>
            Fault(QueryBuilderAttributeWithAggregate,
                $"An attribute can not be requested when an aggregate operation has been specified and its neither groupby nor aggregate. NodeXml: <attribute name=\"{column}\" />");

        /// <summary>0x8004110B: an aggregate column without alias.</summary>
        public static FaultException<OrganizationServiceFault> AggregateWithoutAlias(string column) =>
            Fault(QueryBuilderNoAlias, $"The aggregate attribute '{column}' must have an alias.");
    }
}
