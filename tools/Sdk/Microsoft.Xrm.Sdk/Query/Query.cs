using System;
using System.Collections;
using System.Linq;
using System.Runtime.Serialization;

namespace Microsoft.Xrm.Sdk.Query
{
    /// <summary>The base of the queries RetrieveMultiple takes.</summary>
    [DataContract(Name = "QueryBase", Namespace = Contracts.V2011)]
    [KnownType(typeof(FetchExpression))]
    [KnownType(typeof(QueryByAttribute))]
    [KnownType(typeof(QueryExpression))]
    public abstract class QueryBase : IExtensibleDataObject
    {
        protected QueryBase() { }

        public ExtensionDataObject ExtensionData { get; set; }
    }

    /// <summary>The columns to return: a list of logical names, or all columns. An empty ColumnSet
    /// returns no columns but the id.</summary>
    [DataContract(Name = "ColumnSet", Namespace = Contracts.V2011)]
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

        [DataMember]
        public bool AllColumns { get; set; }

        [DataMember]
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
    [DataContract(Name = "ConditionExpression", Namespace = Contracts.V2011)]
    public sealed class ConditionExpression : IExtensibleDataObject
    {
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
            if (values != null) Values.AddRange(values);
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
        [DataMember(Order = 60)]
        public string EntityName { get; set; }

        /// <summary>True when the value is another column's name to compare with.</summary>
        [DataMember]
        public bool CompareColumns { get; set; }

        [DataMember]
        public string AttributeName { get; set; }

        [DataMember]
        public ConditionOperator Operator { get; set; }

        [DataMember]
        public DataCollection<object> Values { get; private set; } = new DataCollection<object>();

        public ExtensionDataObject ExtensionData { get; set; }
    }

    /// <summary>Conditions and nested filters joined by And or Or.</summary>
    [DataContract(Name = "FilterExpression", Namespace = Contracts.V2011)]
    public sealed class FilterExpression : IExtensibleDataObject
    {
        public FilterExpression() { }

        public FilterExpression(LogicalOperator filterOperator)
        {
            FilterOperator = filterOperator;
        }

        [DataMember]
        public LogicalOperator FilterOperator { get; set; }

        [DataMember(EmitDefaultValue = false, Order = 82)]
        public string FilterHint { get; set; }

        [DataMember]
        public DataCollection<ConditionExpression> Conditions { get; private set; } = new DataCollection<ConditionExpression>();

        [DataMember]
        public DataCollection<FilterExpression> Filters { get; private set; } = new DataCollection<FilterExpression>();

        [DataMember(EmitDefaultValue = false, Order = 51)]
        public bool IsQuickFindFilter { get; set; }

        public ExtensionDataObject ExtensionData { get; set; }

        public void AddCondition(string attributeName, ConditionOperator conditionOperator, params object[] values) =>
            Conditions.Add(new ConditionExpression(attributeName, conditionOperator, values));

        public void AddCondition(string entityName, string attributeName, ConditionOperator conditionOperator, params object[] values) =>
            Conditions.Add(new ConditionExpression(entityName, attributeName, conditionOperator, values));

        /// <summary>With <paramref name="compareColumns"/> true, <paramref name="value"/> names the column to compare with.
        /// The overload <c>AddCondition("a", ConditionOperator.Equal, true, "b")</c> binds to with Microsoft's SDK.</summary>
        public void AddCondition(string attributeName, ConditionOperator conditionOperator, bool compareColumns, object value) =>
            Conditions.Add(new ConditionExpression(attributeName, conditionOperator, compareColumns, value));

        public void AddCondition(string attributeName, ConditionOperator conditionOperator, bool compareColumns, object[] values) =>
            Conditions.Add(new ConditionExpression(attributeName, conditionOperator, compareColumns, values));

        public void AddCondition(string entityName, string attributeName, ConditionOperator conditionOperator, bool compareColumns, object value) =>
            Conditions.Add(new ConditionExpression(entityName, attributeName, conditionOperator, compareColumns, value));

        public void AddCondition(string entityName, string attributeName, ConditionOperator conditionOperator, bool compareColumns, object[] values) =>
            Conditions.Add(new ConditionExpression(entityName, attributeName, conditionOperator, compareColumns, values));

        public void AddCondition(ConditionExpression condition) => Conditions.Add(condition);

        /// <summary>Adds and returns a new child filter.</summary>
        public FilterExpression AddFilter(LogicalOperator logicalOperator)
        {
            var child = new FilterExpression(logicalOperator);
            Filters.Add(child);
            return child;
        }

        public void AddFilter(FilterExpression childFilter)
        {
            if (childFilter != null) Filters.Add(childFilter);
        }
    }

    /// <summary>A join from the query's table (or a parent link) to another table.</summary>
    [DataContract(Name = "LinkEntity", Namespace = Contracts.V2011)]
    public sealed class LinkEntity : IExtensibleDataObject
    {
        private ColumnSet _columns;

        public LinkEntity()
        {
            LinkCriteria = new FilterExpression();
        }

        public LinkEntity(string linkFromEntityName, string linkToEntityName, string linkFromAttributeName, string linkToAttributeName, JoinOperator joinOperator)
            : this()
        {
            LinkFromEntityName = linkFromEntityName;
            LinkToEntityName = linkToEntityName;
            LinkFromAttributeName = linkFromAttributeName;
            LinkToAttributeName = linkToAttributeName;
            JoinOperator = joinOperator;
        }

        [DataMember]
        public string LinkFromAttributeName { get; set; }

        [DataMember]
        public string LinkFromEntityName { get; set; }

        [DataMember]
        public string LinkToEntityName { get; set; }

        [DataMember]
        public string LinkToAttributeName { get; set; }

        [DataMember]
        public JoinOperator JoinOperator { get; set; }

        /// <summary>The link's filter: a new one on a new link; set to null it stays null (as Microsoft's SDK).</summary>
        [DataMember]
        public FilterExpression LinkCriteria { get; set; }

        [DataMember]
        public DataCollection<LinkEntity> LinkEntities { get; private set; } = new DataCollection<LinkEntity>();

        /// <summary>The link's columns: never null (a new, empty ColumnSet when unset or set to null, as Microsoft's SDK).</summary>
        [DataMember]
        public ColumnSet Columns
        {
            get => _columns ?? (_columns = new ColumnSet());
            set => _columns = value;
        }

        /// <summary>The alias that prefixes this link's columns in results ("alias.column").</summary>
        [DataMember]
        public string EntityAlias { get; set; }

        [DataMember(Order = 80)]
        public DataCollection<OrderExpression> Orders { get; private set; } = new DataCollection<OrderExpression>();

        public ExtensionDataObject ExtensionData { get; set; }

        public LinkEntity AddLink(string linkToEntityName, string linkFromAttributeName, string linkToAttributeName) =>
            AddLink(linkToEntityName, linkFromAttributeName, linkToAttributeName, JoinOperator.Inner);

        /// <summary>Adds a link nested in this one. As Microsoft's SDK builds it, the new link's LinkFromEntityName is this
        /// link's LinkFromEntityName (not its LinkToEntityName); the platform joins a nested link from its parent link
        /// whatever that name says.</summary>
        public LinkEntity AddLink(string linkToEntityName, string linkFromAttributeName, string linkToAttributeName, JoinOperator joinOperator)
        {
            var link = new LinkEntity(LinkFromEntityName, linkToEntityName, linkFromAttributeName, linkToAttributeName, joinOperator);
            LinkEntities.Add(link);
            return link;
        }
    }

    /// <summary>A sort on a column, ascending or descending.</summary>
    [DataContract(Name = "OrderExpression", Namespace = Contracts.V2011)]
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

        [DataMember]
        public string AttributeName { get; set; }

        [DataMember]
        public OrderType OrderType { get; set; }

        [DataMember]
        public string Alias { get; set; }

        [DataMember]
        public string EntityName { get; set; }

        public ExtensionDataObject ExtensionData { get; set; }
    }

    /// <summary>Which page of results to return, and how many rows a page holds.</summary>
    [DataContract(Name = "PagingInfo", Namespace = Contracts.V2011)]
    public sealed class PagingInfo : IExtensibleDataObject
    {
        public PagingInfo() { }

        [DataMember]
        public int PageNumber { get; set; }

        [DataMember]
        public int Count { get; set; }

        [DataMember]
        public bool ReturnTotalRecordCount { get; set; }

        [DataMember]
        public string PagingCookie { get; set; }

        public ExtensionDataObject ExtensionData { get; set; }
    }

    /// <summary>A query in FetchXML.</summary>
    [DataContract(Name = "FetchExpression", Namespace = Contracts.V2011)]
    public sealed class FetchExpression : QueryBase
    {
        public FetchExpression() { }

        public FetchExpression(string query)
        {
            Query = query;
        }

        [DataMember]
        public string Query { get; set; }
    }

    /// <summary>A query of rows whose columns equal the given values (all joined by And).</summary>
    [DataContract(Name = "QueryByAttribute", Namespace = Contracts.V2011)]
    public sealed class QueryByAttribute : QueryBase
    {
        public QueryByAttribute() { }

        public QueryByAttribute(string entityName)
        {
            EntityName = entityName;
        }

        [DataMember]
        public string EntityName { get; set; }

        [DataMember]
        public DataCollection<string> Attributes { get; private set; } = new DataCollection<string>();

        [DataMember]
        public DataCollection<object> Values { get; private set; } = new DataCollection<object>();

        /// <summary>Null until set, as with Microsoft's SDK (the platform then returns the first page).</summary>
        [DataMember]
        public PagingInfo PageInfo { get; set; }

        /// <summary>Null until set, as with Microsoft's SDK: the platform then returns only the id.</summary>
        [DataMember]
        public ColumnSet ColumnSet { get; set; }

        [DataMember]
        public DataCollection<OrderExpression> Orders { get; private set; } = new DataCollection<OrderExpression>();

        [DataMember(Order = 50)]
        public int? TopCount { get; set; }

        public void AddOrder(string attributeName, OrderType orderType) => Orders.Add(new OrderExpression(attributeName, orderType));

        public void AddAttributeValue(string attributeName, object value)
        {
            Attributes.Add(attributeName);
            Values.Add(value);
        }
    }

    /// <summary>A query of a table with columns, criteria, links, orders and paging.</summary>
    [DataContract(Name = "QueryExpression", Namespace = Contracts.V2011)]
    public sealed class QueryExpression : QueryBase
    {
        /// <summary>A query with an empty ColumnSet (the id only), an empty And filter and a PagingInfo of its own, as
        /// Microsoft's SDK makes it; each can be replaced, or set to null and then stays null.</summary>
        public QueryExpression()
        {
            ColumnSet = new ColumnSet();
            Criteria = new FilterExpression();
            PageInfo = new PagingInfo();
        }

        public QueryExpression(string entityName)
            : this()
        {
            EntityName = entityName;
        }

        [DataMember]
        public bool Distinct { get; set; }

        /// <summary>Accepted for compatibility; Dataverse no longer takes row locks for reads.</summary>
        [DataMember(Order = 50)]
        public bool NoLock { get; set; }

        [DataMember]
        public PagingInfo PageInfo { get; set; }

        [DataMember]
        public DataCollection<LinkEntity> LinkEntities { get; private set; } = new DataCollection<LinkEntity>();

        [DataMember]
        public FilterExpression Criteria { get; set; }

        [DataMember]
        public DataCollection<OrderExpression> Orders { get; private set; } = new DataCollection<OrderExpression>();

        [DataMember]
        public string EntityName { get; set; }

        [DataMember]
        public ColumnSet ColumnSet { get; set; }

        [DataMember(EmitDefaultValue = false, Order = 50)]
        public int? TopCount { get; set; }

        public void AddOrder(string attributeName, OrderType orderType) => Orders.Add(new OrderExpression(attributeName, orderType));

        public void AddOrder(string attributeName, OrderType orderType, string alias, string entityName) =>
            Orders.Add(new OrderExpression(attributeName, orderType, alias, entityName));

        public LinkEntity AddLink(string linkToEntityName, string linkFromAttributeName, string linkToAttributeName) =>
            AddLink(linkToEntityName, linkFromAttributeName, linkToAttributeName, JoinOperator.Inner);

        public LinkEntity AddLink(string linkToEntityName, string linkFromAttributeName, string linkToAttributeName, JoinOperator joinOperator)
        {
            var link = new LinkEntity(EntityName, linkToEntityName, linkFromAttributeName, linkToAttributeName, joinOperator);
            LinkEntities.Add(link);
            return link;
        }
    }
}
