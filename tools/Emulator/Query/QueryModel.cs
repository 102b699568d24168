using System.Collections.Generic;
using Microsoft.Xrm.Sdk.Query;

namespace CrmPlugins.Emulator.Query
{
    /// <summary>Where a query came from; a few faults and defaults differ between the SDK's query types and FetchXML.</summary>
    internal enum QueryOrigin
    {
        QueryExpression,
        QueryByAttribute,
        FetchXml,
    }

    /// <summary>The aggregate functions of FetchXML.</summary>
    internal enum AggregateFunction
    {
        None,
        Count,
        CountColumn,
        Sum,
        Avg,
        Min,
        Max,
    }

    /// <summary>The date parts a FetchXML group-by can use.</summary>
    internal enum DateGrouping
    {
        None,
        Day,
        Week,
        Month,
        Quarter,
        Year,
        FiscalPeriod,
        FiscalYear,
    }

    /// <summary>
    /// The one query model the engine runs. QueryExpression, QueryByAttribute and FetchXML are all
    /// translated into it; criteria stay SDK <see cref="FilterExpression"/>s so that one condition
    /// evaluator serves all three.
    /// </summary>
    internal sealed class QueryModel
    {
        public QueryModel(string entityName, QueryOrigin origin)
        {
            Root = new NodeModel(entityName);
            Origin = origin;
        }

        public QueryOrigin Origin { get; }

        public NodeModel Root { get; }

        public bool Distinct { get; set; }

        public bool Aggregate { get; set; }

        /// <summary>FetchXML aggregatelimit: a lower limit than the platform's 50,000 rows.</summary>
        public int? AggregateLimit { get; set; }

        public int? Top { get; set; }

        public PagingModel Paging { get; } = new PagingModel();
    }

    /// <summary>Page size, page number, cookie and total-count request.</summary>
    internal sealed class PagingModel
    {
        public int Count { get; set; }

        public int PageNumber { get; set; }

        public string? Cookie { get; set; }

        public bool ReturnTotalRecordCount { get; set; }

        /// <summary>True when any paging value is set (Dataverse rejects top/TopCount together with paging).</summary>
        public bool IsSpecified => Count > 0 || PageNumber > 0 || !string.IsNullOrEmpty(Cookie) || ReturnTotalRecordCount;
    }

    /// <summary>The query's table or a linked table: its columns, criteria, orders and links.</summary>
    internal class NodeModel
    {
        public NodeModel(string table)
        {
            Table = table;
        }

        public string Table { get; }

        public bool AllColumns { get; set; }

        public List<ColumnModel> Columns { get; } = new List<ColumnModel>();

        public FilterExpression? Criteria { get; set; }

        public List<OrderModel> Orders { get; } = new List<OrderModel>();

        public List<LinkModel> Links { get; } = new List<LinkModel>();
    }

    /// <summary>A join to another table.</summary>
    internal sealed class LinkModel : NodeModel
    {
        public LinkModel(string table, string fromAttribute, string toAttribute, JoinOperator join, string? alias)
            : base(table)
        {
            FromAttribute = fromAttribute;
            ToAttribute = toAttribute;
            Join = join;
            Alias = alias;
        }

        /// <summary>The parent's column (LinkFromAttributeName; FetchXML "to").</summary>
        public string FromAttribute { get; }

        /// <summary>This table's column (LinkToAttributeName; FetchXML "from").</summary>
        public string ToAttribute { get; }

        public JoinOperator Join { get; }

        public string? Alias { get; }

        /// <summary>LinkFromEntityName of a QueryExpression link, checked against the parent.</summary>
        public string? DeclaredParent { get; set; }
    }

    /// <summary>A requested column, with FetchXML's alias, aggregate and grouping options.</summary>
    internal sealed class ColumnModel
    {
        public ColumnModel(string name)
        {
            Name = name;
        }

        public string Name { get; }

        public string? Alias { get; set; }

        public AggregateFunction Aggregate { get; set; }

        public bool GroupBy { get; set; }

        public DateGrouping DateGrouping { get; set; }

        public bool Distinct { get; set; }
    }

    /// <summary>A sort on a column (of this node or, with EntityName, of a link) or on an aggregate alias.</summary>
    internal sealed class OrderModel
    {
        public string? Attribute { get; set; }

        public string? Alias { get; set; }

        public string? EntityName { get; set; }

        public bool Descending { get; set; }
    }
}
