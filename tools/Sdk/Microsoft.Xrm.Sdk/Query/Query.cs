using System;
using System.Collections;
using System.Linq;
using System.Runtime.Serialization;

namespace Microsoft.Xrm.Sdk.Query
{
    /// <summary>The base of the queries RetrieveMultiple takes.</summary>
    public abstract class QueryBase : IExtensibleDataObject
    {
        protected QueryBase() { }

        public ExtensionDataObject ExtensionData { get; set; }
    }

    /// <summary>The columns to return: a list of logical names, or all columns. An empty ColumnSet
    /// returns no columns but the id.</summary>
    public sealed class ColumnSet : IExtensibleDataObject
    {
        private DataCollection<string> _columns;

        public ColumnSet() { }

        public ColumnSet(bool allColumns)
        {
            AllColumns = allColumns;
        }

        public ColumnSet(params string[] columns)
        {
            Columns.AddRange(columns);
        }

        public bool AllColumns { get; set; }

        public DataCollection<string> Columns
        {
            get => _columns ?? (_columns = new DataCollection<string>());
            set => _columns = value;
        }

        public ExtensionDataObject ExtensionData { get; set; }

        public void AddColumns(params string[] columns) => Columns.AddRange(columns);

        public void AddColumn(string column) => Columns.Add(column);
    }

    /// <summary>One condition: a column, an operator and its values (or, with CompareColumns, another column).</summary>
    public sealed class ConditionExpression : IExtensibleDataObject
    {
        private readonly DataCollection<object> _values = new DataCollection<object>();

        public ConditionExpression() { }

        public ConditionExpression(string attributeName, ConditionOperator conditionOperator, params object[] values)
            : this(null, attributeName, conditionOperator, false, values)
        {
        }

        public ConditionExpression(string entityName, string attributeName, ConditionOperator conditionOperator, params object[] values)
            : this(entityName, attributeName, conditionOperator, false, values)
        {
        }

        public ConditionExpression(string entityName, string attributeName, ConditionOperator conditionOperator, bool compareColumns, object[] values)
        {
            EntityName = entityName;
            AttributeName = attributeName;
            Operator = conditionOperator;
            CompareColumns = compareColumns;
            if (values != null) _values.AddRange(values);
        }

        public ConditionExpression(string entityName, string attributeName, ConditionOperator conditionOperator, bool compareColumns, object value)
            : this(entityName, attributeName, conditionOperator, compareColumns, new[] { value })
        {
        }

        public ConditionExpression(string attributeName, ConditionOperator conditionOperator, bool compareColumns, object value)
            : this(null, attributeName, conditionOperator, compareColumns, new[] { value })
        {
        }

        public ConditionExpression(string attributeName, ConditionOperator conditionOperator, bool compareColumns, object[] values)
            : this(null, attributeName, conditionOperator, compareColumns, values)
        {
        }

        public ConditionExpression(string attributeName, ConditionOperator conditionOperator, object value)
            : this(null, attributeName, conditionOperator, false, new[] { value })
        {
        }

        public ConditionExpression(string entityName, string attributeName, ConditionOperator conditionOperator, object value)
            : this(entityName, attributeName, conditionOperator, false, new[] { value })
        {
        }

        public ConditionExpression(string attributeName, ConditionOperator conditionOperator)
            : this(null, attributeName, conditionOperator, false, (object[])null)
        {
        }

        public ConditionExpression(string entityName, string attributeName, ConditionOperator conditionOperator)
            : this(entityName, attributeName, conditionOperator, false, (object[])null)
        {
        }

        public ConditionExpression(string attributeName, ConditionOperator conditionOperator, ICollection values)
            : this(null, attributeName, conditionOperator, false, values?.Cast<object>().ToArray())
        {
        }

        /// <summary>The alias or name of a linked table the column belongs to (null: the query's own table).</summary>
        public string EntityName { get; set; }

        /// <summary>True when the value is another column's name to compare with.</summary>
        public bool CompareColumns { get; set; }

        public string AttributeName { get; set; }

        public ConditionOperator Operator { get; set; }

        public DataCollection<object> Values => _values;

        public ExtensionDataObject ExtensionData { get; set; }
    }

    /// <summary>Conditions and nested filters joined by And or Or.</summary>
    public sealed class FilterExpression : IExtensibleDataObject
    {
        private readonly DataCollection<ConditionExpression> _conditions = new DataCollection<ConditionExpression>();
        private readonly DataCollection<FilterExpression> _filters = new DataCollection<FilterExpression>();

        public FilterExpression() { }

        public FilterExpression(LogicalOperator filterOperator)
        {
            FilterOperator = filterOperator;
        }

        public LogicalOperator FilterOperator { get; set; }

        public string FilterHint { get; set; }

        public DataCollection<ConditionExpression> Conditions => _conditions;

        public DataCollection<FilterExpression> Filters => _filters;

        public bool IsQuickFindFilter { get; set; }

        public ExtensionDataObject ExtensionData { get; set; }

        public void AddCondition(string attributeName, ConditionOperator conditionOperator, params object[] values) =>
            _conditions.Add(new ConditionExpression(attributeName, conditionOperator, values));

        public void AddCondition(string entityName, string attributeName, ConditionOperator conditionOperator, params object[] values) =>
            _conditions.Add(new ConditionExpression(entityName, attributeName, conditionOperator, values));

        public void AddCondition(ConditionExpression condition) => _conditions.Add(condition);

        /// <summary>Adds and returns a new child filter.</summary>
        public FilterExpression AddFilter(LogicalOperator logicalOperator)
        {
            var child = new FilterExpression(logicalOperator);
            _filters.Add(child);
            return child;
        }

        public void AddFilter(FilterExpression childFilter)
        {
            if (childFilter != null) _filters.Add(childFilter);
        }
    }

    /// <summary>A join from the query's table (or a parent link) to another table.</summary>
    public sealed class LinkEntity : IExtensibleDataObject
    {
        private readonly DataCollection<LinkEntity> _linkEntities = new DataCollection<LinkEntity>();
        private readonly DataCollection<OrderExpression> _orders = new DataCollection<OrderExpression>();
        private FilterExpression _linkCriteria;
        private ColumnSet _columns;

        public LinkEntity() { }

        public LinkEntity(string linkFromEntityName, string linkToEntityName, string linkFromAttributeName, string linkToAttributeName, JoinOperator joinOperator)
        {
            LinkFromEntityName = linkFromEntityName;
            LinkToEntityName = linkToEntityName;
            LinkFromAttributeName = linkFromAttributeName;
            LinkToAttributeName = linkToAttributeName;
            JoinOperator = joinOperator;
        }

        public string LinkFromAttributeName { get; set; }

        public string LinkFromEntityName { get; set; }

        public string LinkToEntityName { get; set; }

        public string LinkToAttributeName { get; set; }

        public JoinOperator JoinOperator { get; set; }

        public FilterExpression LinkCriteria
        {
            get => _linkCriteria ?? (_linkCriteria = new FilterExpression());
            set => _linkCriteria = value;
        }

        public DataCollection<LinkEntity> LinkEntities => _linkEntities;

        public ColumnSet Columns
        {
            get => _columns ?? (_columns = new ColumnSet());
            set => _columns = value;
        }

        /// <summary>The alias that prefixes this link's columns in results ("alias.column").</summary>
        public string EntityAlias { get; set; }

        public DataCollection<OrderExpression> Orders => _orders;

        public ExtensionDataObject ExtensionData { get; set; }

        public LinkEntity AddLink(string linkToEntityName, string linkFromAttributeName, string linkToAttributeName) =>
            AddLink(linkToEntityName, linkFromAttributeName, linkToAttributeName, JoinOperator.Inner);

        public LinkEntity AddLink(string linkToEntityName, string linkFromAttributeName, string linkToAttributeName, JoinOperator joinOperator)
        {
            var link = new LinkEntity(LinkToEntityName, linkToEntityName, linkFromAttributeName, linkToAttributeName, joinOperator);
            _linkEntities.Add(link);
            return link;
        }
    }

    /// <summary>A sort on a column, ascending or descending.</summary>
    public sealed class OrderExpression : IExtensibleDataObject
    {
        public OrderExpression() { }

        public OrderExpression(string attributeName, OrderType orderType)
        {
            AttributeName = attributeName;
            OrderType = orderType;
        }

        public OrderExpression(string attributeName, OrderType orderType, string alias)
            : this(attributeName, orderType)
        {
            Alias = alias;
        }

        public OrderExpression(string attributeName, OrderType orderType, string alias, string entityName)
            : this(attributeName, orderType, alias)
        {
            EntityName = entityName;
        }

        public string AttributeName { get; set; }

        public OrderType OrderType { get; set; }

        public string Alias { get; set; }

        public string EntityName { get; set; }

        public ExtensionDataObject ExtensionData { get; set; }
    }

    /// <summary>Which page of results to return, and how many rows a page holds.</summary>
    public sealed class PagingInfo : IExtensibleDataObject
    {
        public PagingInfo() { }

        public int PageNumber { get; set; }

        public int Count { get; set; }

        public bool ReturnTotalRecordCount { get; set; }

        public string PagingCookie { get; set; }

        public ExtensionDataObject ExtensionData { get; set; }
    }

    /// <summary>A query in FetchXML.</summary>
    public sealed class FetchExpression : QueryBase
    {
        public FetchExpression() { }

        public FetchExpression(string query)
        {
            Query = query;
        }

        public string Query { get; set; }
    }

    /// <summary>A query of rows whose columns equal the given values (all joined by And).</summary>
    public sealed class QueryByAttribute : QueryBase
    {
        private readonly DataCollection<string> _attributes = new DataCollection<string>();
        private readonly DataCollection<object> _values = new DataCollection<object>();
        private readonly DataCollection<OrderExpression> _orders = new DataCollection<OrderExpression>();
        private ColumnSet _columnSet;
        private PagingInfo _pageInfo;

        public QueryByAttribute() { }

        public QueryByAttribute(string entityName)
        {
            EntityName = entityName;
        }

        public string EntityName { get; set; }

        public DataCollection<string> Attributes => _attributes;

        public DataCollection<object> Values => _values;

        public PagingInfo PageInfo
        {
            get => _pageInfo ?? (_pageInfo = new PagingInfo());
            set => _pageInfo = value;
        }

        public ColumnSet ColumnSet
        {
            get => _columnSet ?? (_columnSet = new ColumnSet());
            set => _columnSet = value;
        }

        public DataCollection<OrderExpression> Orders => _orders;

        public int? TopCount { get; set; }

        public void AddOrder(string attributeName, OrderType orderType) => _orders.Add(new OrderExpression(attributeName, orderType));

        public void AddAttributeValue(string attributeName, object value)
        {
            _attributes.Add(attributeName);
            _values.Add(value);
        }
    }

    /// <summary>A query of a table with columns, criteria, links, orders and paging.</summary>
    public sealed class QueryExpression : QueryBase
    {
        private readonly DataCollection<LinkEntity> _linkEntities = new DataCollection<LinkEntity>();
        private readonly DataCollection<OrderExpression> _orders = new DataCollection<OrderExpression>();
        private FilterExpression _criteria;
        private ColumnSet _columnSet;
        private PagingInfo _pageInfo;

        public QueryExpression() { }

        public QueryExpression(string entityName)
        {
            EntityName = entityName;
        }

        public bool Distinct { get; set; }

        /// <summary>Accepted for compatibility; Dataverse no longer takes row locks for reads.</summary>
        public bool NoLock { get; set; }

        public PagingInfo PageInfo
        {
            get => _pageInfo ?? (_pageInfo = new PagingInfo());
            set => _pageInfo = value;
        }

        public DataCollection<LinkEntity> LinkEntities => _linkEntities;

        public FilterExpression Criteria
        {
            get => _criteria ?? (_criteria = new FilterExpression());
            set => _criteria = value;
        }

        public DataCollection<OrderExpression> Orders => _orders;

        public string EntityName { get; set; }

        public ColumnSet ColumnSet
        {
            get => _columnSet ?? (_columnSet = new ColumnSet());
            set => _columnSet = value;
        }

        public int? TopCount { get; set; }

        public void AddOrder(string attributeName, OrderType orderType) => _orders.Add(new OrderExpression(attributeName, orderType));

        public LinkEntity AddLink(string linkToEntityName, string linkFromAttributeName, string linkToAttributeName) =>
            AddLink(linkToEntityName, linkFromAttributeName, linkToAttributeName, JoinOperator.Inner);

        public LinkEntity AddLink(string linkToEntityName, string linkFromAttributeName, string linkToAttributeName, JoinOperator joinOperator)
        {
            var link = new LinkEntity(EntityName, linkToEntityName, linkFromAttributeName, linkToAttributeName, joinOperator);
            _linkEntities.Add(link);
            return link;
        }
    }
}
