using System;
using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace CrmPlugins.Emulator.Query
{
    /// <summary>
    /// Answers RetrieveMultiple for the emulator: runs a <see cref="QueryExpression"/>, <see cref="QueryByAttribute"/>
    /// or <see cref="FetchExpression"/> (FetchXML, including aggregates) against an <see cref="IRowSource"/> with
    /// Dataverse's semantics.
    /// <para>
    /// Returned entities hold only the requested non-null columns plus the primary key (not for distinct or
    /// aggregate queries); link-entity columns come back as <see cref="AliasedValue"/> under "alias.column"; every
    /// entity and SDK value is a new object, so callers never share the store's objects.
    /// </para>
    /// <para>
    /// Invalid queries throw <c>FaultException&lt;OrganizationServiceFault&gt;</c> with the platform's error code
    /// (see <see cref="QueryFaults"/>). Valid queries the engine cannot answer faithfully throw
    /// <see cref="QueryNotSupportedException"/> before any row is read; the engine never returns rows it is unsure of.
    /// </para>
    /// </summary>
    public sealed class QueryEngine
    {
        private readonly IRowSource _source;

        /// <summary>An engine reading the given rows, indexes, clock and caller.</summary>
        public QueryEngine(IRowSource source)
        {
            _source = source ?? throw new ArgumentNullException(nameof(source));
        }

        /// <summary>
        /// Runs the reference path: the main table read in its order (or through an Equal/In index), each row joined on its
        /// own and each row's groups read on their own. Without it (the default) a join finds each lookup id's matches once,
        /// a filtered link can narrow the main rows, and aggregates group in a tight loop; the answers are the same (the
        /// engine's tests compare both on generated data), only the work differs.
        /// </summary>
        public bool UseReferencePath { get; init; }

        /// <summary>
        /// The most rows an aggregate may read before it is refused (Dataverse's AggregateQueryRecordLimit, 50,000 online); a
        /// fetch's own <c>aggregatelimit</c> can only lower it.
        /// </summary>
        public int AggregateRecordLimit { get; init; } = QueryFaults.AggregateRecordLimit;

        /// <summary>Runs a query and returns one page of results.</summary>
        /// <exception cref="System.ServiceModel.FaultException{OrganizationServiceFault}">The query is not valid for Dataverse.</exception>
        /// <exception cref="QueryNotSupportedException">The query uses a feature the emulator does not implement.</exception>
        public EntityCollection Execute(QueryBase query)
        {
            if (query == null) throw new ArgumentNullException(nameof(query));
            var model = query switch
            {
                QueryExpression expression => FromQueryExpression(expression),
                QueryByAttribute byAttribute => FromQueryByAttribute(byAttribute),
                FetchExpression fetch => FetchXmlParser.Parse(fetch.Query),
                _ => throw new QueryNotSupportedException($"the query type '{query.GetType().Name}'", "Use QueryExpression, QueryByAttribute or FetchExpression."),
            };
            var plan = QueryPlan.Build(model, _source, optimised: !UseReferencePath);
            var rows = JoinExecutor.Run(plan);
            if (!model.Aggregate) return RowResults.Build(plan, rows);
            EntityCollection? page;
            try
            {
                page = Aggregator.Build(plan, rows, AggregateRecordLimit);
            }
            catch (FaultException<OrganizationServiceFault> fault)
                when (plan.MainRowsReordered && fault.Detail?.ErrorCode != QueryFaults.AggregateQueryRecordLimitExceeded)
            {
                // Which row faults first depends on the order: the table's order decides, as on the reference path.
                page = null;
            }

            if (page != null) return page;
            // The answer depends on the order the rows came in (tied groups, floating-point sums): again in the table's order.
            plan = QueryPlan.Build(model, _source, optimised: !UseReferencePath, narrow: false);
            return Aggregator.Build(plan, JoinExecutor.Run(plan), AggregateRecordLimit)!;
        }

        private static QueryModel FromQueryExpression(QueryExpression query)
        {
            var model = new QueryModel(query.EntityName, QueryOrigin.QueryExpression)
            {
                Distinct = query.Distinct,
                Top = query.TopCount,
            };
            CopyPaging(query.PageInfo, model.Paging);
            CopyColumns(query.ColumnSet, model.Root);
            model.Root.Criteria = query.Criteria;
            CopyOrders(query.Orders, model.Root);
            foreach (var link in query.LinkEntities)
                if (link != null) model.Root.Links.Add(FromLinkEntity(link));
            return model;
        }

        private static LinkModel FromLinkEntity(LinkEntity link)
        {
            var model = new LinkModel(link.LinkToEntityName, link.LinkFromAttributeName, link.LinkToAttributeName, link.JoinOperator,
                string.IsNullOrEmpty(link.EntityAlias) ? null : link.EntityAlias)
            {
                DeclaredParent = link.LinkFromEntityName,
                Criteria = link.LinkCriteria,
            };
            CopyColumns(link.Columns, model);
            CopyOrders(link.Orders, model);
            foreach (var child in link.LinkEntities)
                if (child != null) model.Links.Add(FromLinkEntity(child));
            return model;
        }

        private static QueryModel FromQueryByAttribute(QueryByAttribute query)
        {
            if (query.Attributes.Count == 0) throw QueryFaults.QueryByAttributeEmpty();
            if (query.Attributes.Count != query.Values.Count) throw QueryFaults.QueryByAttributeMismatch(query.Attributes.Count, query.Values.Count);
            var model = new QueryModel(query.EntityName, QueryOrigin.QueryByAttribute) { Top = query.TopCount };
            CopyPaging(query.PageInfo, model.Paging);
            CopyColumns(query.ColumnSet, model.Root);
            var criteria = new FilterExpression(LogicalOperator.And);
            for (var i = 0; i < query.Attributes.Count; i++)
                criteria.AddCondition(new ConditionExpression(query.Attributes[i], ConditionOperator.Equal, query.Values[i]));
            model.Root.Criteria = criteria;
            CopyOrders(query.Orders, model.Root);
            return model;
        }

        private static void CopyPaging(PagingInfo? paging, PagingModel target)
        {
            if (paging == null) return;
            target.Count = paging.Count;
            target.PageNumber = paging.PageNumber;
            target.Cookie = paging.PagingCookie;
            target.ReturnTotalRecordCount = paging.ReturnTotalRecordCount;
        }

        private static void CopyColumns(ColumnSet? columns, NodeModel node)
        {
            if (columns == null) return;
            node.AllColumns = columns.AllColumns;
            if (columns.AllColumns) return;
            node.Columns.Capacity = node.Columns.Count + columns.Columns.Count;
            foreach (var column in columns.Columns)
                node.Columns.Add(new ColumnModel(column));
        }

        private static void CopyOrders(DataCollection<OrderExpression> orders, NodeModel node)
        {
            foreach (var order in orders)
            {
                if (order == null) continue;
                if (string.IsNullOrEmpty(order.AttributeName) && !string.IsNullOrEmpty(order.Alias))
                {
                    throw new QueryNotSupportedException("OrderExpression.Alias in a QueryExpression",
                        "Aggregate QueryExpressions are not in the SDK surface the emulator implements; use FetchXML aggregates.");
                }

                node.Orders.Add(new OrderModel
                {
                    Attribute = order.AttributeName,
                    EntityName = order.EntityName,
                    Descending = order.OrderType == OrderType.Descending,
                });
            }
        }
    }
}
