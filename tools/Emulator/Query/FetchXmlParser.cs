using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Xml;
using System.Xml.Linq;
using Microsoft.Xrm.Sdk.Query;

namespace CrmPlugins.Emulator.Query
{
    /// <summary>
    /// Reads FetchXML (names as in Microsoft's Fetch.xsd) into the engine's <see cref="QueryModel"/>; conditions
    /// become SDK <see cref="ConditionExpression"/>s so that FetchXML and QueryExpression share one evaluator.
    /// Elements and attributes the schema does not allow are platform faults; ones the schema allows but the
    /// emulator does not implement throw <see cref="QueryNotSupportedException"/> naming them.
    /// </summary>
    internal static class FetchXmlParser
    {
        private static readonly Dictionary<string, ConditionOperator> Operators = new Dictionary<string, ConditionOperator>(StringComparer.Ordinal)
        {
            ["eq"] = ConditionOperator.Equal,
            ["neq"] = ConditionOperator.NotEqual,
            ["ne"] = ConditionOperator.NotEqual,
            ["gt"] = ConditionOperator.GreaterThan,
            ["ge"] = ConditionOperator.GreaterEqual,
            ["le"] = ConditionOperator.LessEqual,
            ["lt"] = ConditionOperator.LessThan,
            ["like"] = ConditionOperator.Like,
            ["not-like"] = ConditionOperator.NotLike,
            ["in"] = ConditionOperator.In,
            ["not-in"] = ConditionOperator.NotIn,
            ["between"] = ConditionOperator.Between,
            ["not-between"] = ConditionOperator.NotBetween,
            ["null"] = ConditionOperator.Null,
            ["not-null"] = ConditionOperator.NotNull,
            ["yesterday"] = ConditionOperator.Yesterday,
            ["today"] = ConditionOperator.Today,
            ["tomorrow"] = ConditionOperator.Tomorrow,
            ["last-seven-days"] = ConditionOperator.Last7Days,
            ["next-seven-days"] = ConditionOperator.Next7Days,
            ["last-week"] = ConditionOperator.LastWeek,
            ["this-week"] = ConditionOperator.ThisWeek,
            ["next-week"] = ConditionOperator.NextWeek,
            ["last-month"] = ConditionOperator.LastMonth,
            ["this-month"] = ConditionOperator.ThisMonth,
            ["next-month"] = ConditionOperator.NextMonth,
            ["on"] = ConditionOperator.On,
            ["not-on"] = ConditionOperator.NotOn,
            ["on-or-before"] = ConditionOperator.OnOrBefore,
            ["on-or-after"] = ConditionOperator.OnOrAfter,
            ["last-year"] = ConditionOperator.LastYear,
            ["this-year"] = ConditionOperator.ThisYear,
            ["next-year"] = ConditionOperator.NextYear,
            ["last-x-hours"] = ConditionOperator.LastXHours,
            ["next-x-hours"] = ConditionOperator.NextXHours,
            ["last-x-days"] = ConditionOperator.LastXDays,
            ["next-x-days"] = ConditionOperator.NextXDays,
            ["last-x-weeks"] = ConditionOperator.LastXWeeks,
            ["next-x-weeks"] = ConditionOperator.NextXWeeks,
            ["last-x-months"] = ConditionOperator.LastXMonths,
            ["next-x-months"] = ConditionOperator.NextXMonths,
            ["olderthan-x-months"] = ConditionOperator.OlderThanXMonths,
            ["olderthan-x-years"] = ConditionOperator.OlderThanXYears,
            ["olderthan-x-weeks"] = ConditionOperator.OlderThanXWeeks,
            ["olderthan-x-days"] = ConditionOperator.OlderThanXDays,
            ["olderthan-x-hours"] = ConditionOperator.OlderThanXHours,
            ["olderthan-x-minutes"] = ConditionOperator.OlderThanXMinutes,
            ["last-x-years"] = ConditionOperator.LastXYears,
            ["next-x-years"] = ConditionOperator.NextXYears,
            ["eq-userid"] = ConditionOperator.EqualUserId,
            ["ne-userid"] = ConditionOperator.NotEqualUserId,
            ["eq-userteams"] = ConditionOperator.EqualUserTeams,
            ["eq-useroruserteams"] = ConditionOperator.EqualUserOrUserTeams,
            ["eq-useroruserhierarchy"] = ConditionOperator.EqualUserOrUserHierarchy,
            ["eq-useroruserhierarchyandteams"] = ConditionOperator.EqualUserOrUserHierarchyAndTeams,
            ["eq-businessid"] = ConditionOperator.EqualBusinessId,
            ["ne-businessid"] = ConditionOperator.NotEqualBusinessId,
            ["eq-userlanguage"] = ConditionOperator.EqualUserLanguage,
            ["this-fiscal-year"] = ConditionOperator.ThisFiscalYear,
            ["this-fiscal-period"] = ConditionOperator.ThisFiscalPeriod,
            ["next-fiscal-year"] = ConditionOperator.NextFiscalYear,
            ["next-fiscal-period"] = ConditionOperator.NextFiscalPeriod,
            ["last-fiscal-year"] = ConditionOperator.LastFiscalYear,
            ["last-fiscal-period"] = ConditionOperator.LastFiscalPeriod,
            ["last-x-fiscal-years"] = ConditionOperator.LastXFiscalYears,
            ["last-x-fiscal-periods"] = ConditionOperator.LastXFiscalPeriods,
            ["next-x-fiscal-years"] = ConditionOperator.NextXFiscalYears,
            ["next-x-fiscal-periods"] = ConditionOperator.NextXFiscalPeriods,
            ["in-fiscal-year"] = ConditionOperator.InFiscalYear,
            ["in-fiscal-period"] = ConditionOperator.InFiscalPeriod,
            ["in-fiscal-period-and-year"] = ConditionOperator.InFiscalPeriodAndYear,
            ["in-or-before-fiscal-period-and-year"] = ConditionOperator.InOrBeforeFiscalPeriodAndYear,
            ["in-or-after-fiscal-period-and-year"] = ConditionOperator.InOrAfterFiscalPeriodAndYear,
            ["begins-with"] = ConditionOperator.BeginsWith,
            ["not-begin-with"] = ConditionOperator.DoesNotBeginWith,
            ["ends-with"] = ConditionOperator.EndsWith,
            ["not-end-with"] = ConditionOperator.DoesNotEndWith,
            ["under"] = ConditionOperator.Under,
            ["eq-or-under"] = ConditionOperator.UnderOrEqual,
            ["not-under"] = ConditionOperator.NotUnder,
            ["above"] = ConditionOperator.Above,
            ["eq-or-above"] = ConditionOperator.AboveOrEqual,
            ["contain-values"] = ConditionOperator.ContainValues,
            ["not-contain-values"] = ConditionOperator.DoesNotContainValues,
        };

        private static readonly Dictionary<string, JoinOperator> LinkTypes = new Dictionary<string, JoinOperator>(StringComparer.Ordinal)
        {
            ["inner"] = JoinOperator.Inner,
            ["outer"] = JoinOperator.LeftOuter,
            ["natural"] = JoinOperator.Natural,
            ["matchfirstrowusingcrossapply"] = JoinOperator.MatchFirstRowUsingCrossApply,
            ["in"] = JoinOperator.In,
            ["exists"] = JoinOperator.Exists,
            ["any"] = JoinOperator.Any,
            ["not any"] = JoinOperator.NotAny,
            ["all"] = JoinOperator.All,
            ["not all"] = JoinOperator.NotAll,
        };

        // Attributes per element: the ones the engine reads, the ones it accepts without effect, and the ones it refuses.
        private static readonly string[] FetchRead = { "count", "page", "paging-cookie", "aggregate", "distinct", "top", "returntotalrecordcount", "aggregatelimit", "mapping" };
        private static readonly string[] FetchIgnored = { "version", "output-format", "no-lock", "useraworderby", "latematerialize", "options" };
        private static readonly string[] FetchRefused = { "utc-offset", "min-active-row-version", "datasource" };
        private static readonly string[] EntityRead = { "name" };
        private static readonly string[] EntityIgnored = { "enableprefiltering", "prefilterparametername" };
        private static readonly string[] LinkRead = { "name", "from", "to", "alias", "link-type" };
        private static readonly string[] LinkIgnored = { "visible", "intersect", "enableprefiltering", "prefilterparametername" };
        private static readonly string[] AttributeRead = { "name", "alias", "aggregate", "groupby", "dategrouping", "distinct", "usertimezone" };
        private static readonly string[] AttributeIgnored = { "build", "addedby" };
        private static readonly string[] AttributeRefused = { "rowaggregate" };
        private static readonly string[] OrderRead = { "attribute", "alias", "descending", "entityname" };
        private static readonly string[] FilterRead = { "type" };
        private static readonly string[] FilterIgnored = { "isquickfindfields", "overridequickfindrecordlimitenabled", "overridequickfindrecordlimitdisabled", "hint" };
        private static readonly string[] ConditionRead = { "attribute", "operator", "value", "entityname", "valueof" };
        private static readonly string[] ConditionIgnored = { "uiname", "uitype", "uihidden" };
        private static readonly string[] ConditionRefused = { "column", "aggregate", "rowaggregate", "alias" };
        private static readonly string[] ValueIgnored = { "uiname", "uitype" };

        /// <summary>Parses a FetchXML string; malformed or invalid FetchXML is a fault.</summary>
        public static QueryModel Parse(string? fetchXml)
        {
            if (string.IsNullOrWhiteSpace(fetchXml)) throw QueryFaults.MalformedXml("the FetchXML", "the query is empty.");
            XElement fetch;
            try
            {
                fetch = XElement.Parse(fetchXml!, LoadOptions.None);
            }
            catch (XmlException e)
            {
                throw QueryFaults.MalformedXml("the FetchXML", e.Message);
            }

            if (fetch.Name.LocalName != "fetch") throw QueryFaults.InvalidFetchNode("(document)", fetch.Name.LocalName, "fetch");
            CheckAttributes(fetch, FetchRead, FetchIgnored, FetchRefused);
            var mapping = (string?)fetch.Attribute("mapping");
            if (mapping != null && mapping != "logical")
                throw new QueryNotSupportedException($"mapping='{mapping}'", "The emulator reads logical names only.");

            XElement? entity = null;
            foreach (var child in fetch.Elements())
            {
                if (child.Name.LocalName == "entity")
                {
                    if (entity != null) throw QueryFaults.InvalidFetchNode("fetch", "entity", "a single entity");
                    entity = child;
                }
                else if (child.Name.LocalName == "order")
                {
                    throw new QueryNotSupportedException("the <order> element directly under <fetch>", "It is for report views; put <order> in <entity>.");
                }
                else
                {
                    throw QueryFaults.InvalidFetchNode("fetch", child.Name.LocalName, "entity, order");
                }
            }

            if (entity == null) throw QueryFaults.InvalidFetchNode("fetch", "(none)", "entity");
            CheckAttributes(entity, EntityRead, EntityIgnored, Array.Empty<string>());
            var model = new QueryModel(RequiredAttribute(entity, "name"), QueryOrigin.FetchXml)
            {
                Distinct = Bool(fetch, "distinct"),
                Aggregate = Bool(fetch, "aggregate"),
                AggregateLimit = OptionalInt(fetch, "aggregatelimit"),
                Top = OptionalInt(fetch, "top"),
            };
            model.Paging.Count = OptionalInt(fetch, "count") ?? 0;
            model.Paging.PageNumber = OptionalInt(fetch, "page") ?? 0;
            model.Paging.Cookie = (string?)fetch.Attribute("paging-cookie");
            model.Paging.ReturnTotalRecordCount = Bool(fetch, "returntotalrecordcount");
            ReadNode(entity, model.Root, model.Aggregate);
            // An entity with no attribute element returns all its columns (learn.microsoft.com/power-apps/developer/data-platform/fetchxml/select-columns);
            // no-attrs asks for none.
            if (!model.Aggregate && !model.Root.AllColumns && model.Root.Columns.Count == 0 && !entity.Elements("no-attrs").Any())
                model.Root.AllColumns = true;
            return model;
        }

        private static void ReadNode(XElement element, NodeModel node, bool aggregate)
        {
            var filters = new List<FilterExpression>();
            foreach (var child in element.Elements())
            {
                switch (child.Name.LocalName)
                {
                    case "all-attributes":
                        CheckAttributes(child, Array.Empty<string>(), Array.Empty<string>(), Array.Empty<string>());
                        node.AllColumns = true;
                        break;
                    case "no-attrs":
                        break;
                    case "attribute":
                        node.Columns.Add(ReadAttribute(child, aggregate));
                        break;
                    case "order":
                        CheckAttributes(child, OrderRead, Array.Empty<string>(), Array.Empty<string>());
                        node.Orders.Add(new OrderModel
                        {
                            Attribute = (string?)child.Attribute("attribute"),
                            Alias = (string?)child.Attribute("alias"),
                            EntityName = (string?)child.Attribute("entityname"),
                            Descending = Bool(child, "descending"),
                        });
                        break;
                    case "filter":
                        filters.Add(ReadFilter(child));
                        break;
                    case "link-entity":
                        node.Links.Add(ReadLink(child, aggregate));
                        break;
                    default:
                        throw QueryFaults.InvalidFetchNode(element.Name.LocalName, child.Name.LocalName,
                            "filter, order, link-entity, attribute, all-attributes, no-attrs");
                }
            }

            if (filters.Count == 1)
            {
                node.Criteria = filters[0];
            }
            else if (filters.Count > 1)
            {
                var all = new FilterExpression(LogicalOperator.And);
                foreach (var filter in filters) all.AddFilter(filter);
                node.Criteria = all;
            }
        }

        private static LinkModel ReadLink(XElement element, bool aggregate)
        {
            CheckAttributes(element, LinkRead, LinkIgnored, Array.Empty<string>());
            var table = RequiredAttribute(element, "name");
            var from = (string?)element.Attribute("from");
            var to = (string?)element.Attribute("to");
            if (string.IsNullOrEmpty(from) || string.IsNullOrEmpty(to))
            {
                throw new QueryNotSupportedException("a link-entity without both 'from' and 'to'",
                    $"The link to '{table}' must name both columns; the emulator has no relationship metadata to infer them.");
            }

            var linkType = (string?)element.Attribute("link-type") ?? "inner";
            if (!LinkTypes.TryGetValue(linkType, out var join)) throw QueryFaults.InvalidLinkType(linkType);
            var link = new LinkModel(table, to!, from!, join, (string?)element.Attribute("alias"));
            ReadNode(element, link, aggregate);
            return link;
        }

        private static ColumnModel ReadAttribute(XElement element, bool aggregate)
        {
            CheckAttributes(element, AttributeRead, AttributeIgnored, AttributeRefused);
            var column = new ColumnModel(RequiredAttribute(element, "name"))
            {
                Alias = (string?)element.Attribute("alias"),
                GroupBy = Bool(element, "groupby"),
                Distinct = Bool(element, "distinct"),
            };
            var aggregateName = (string?)element.Attribute("aggregate");
            if (aggregateName != null)
            {
                column.Aggregate = aggregateName switch
                {
                    "count" => AggregateFunction.Count,
                    "countcolumn" => AggregateFunction.CountColumn,
                    "sum" => AggregateFunction.Sum,
                    "avg" => AggregateFunction.Avg,
                    "min" => AggregateFunction.Min,
                    "max" => AggregateFunction.Max,
                    _ => throw QueryFaults.InvalidArgumentFault($"'{aggregateName}' is not a valid aggregate (count, countcolumn, sum, avg, min, max)."),
                };
            }

            var grouping = (string?)element.Attribute("dategrouping");
            if (grouping != null)
            {
                column.DateGrouping = grouping switch
                {
                    "day" => DateGrouping.Day,
                    "week" => DateGrouping.Week,
                    "month" => DateGrouping.Month,
                    "quarter" => DateGrouping.Quarter,
                    "year" => DateGrouping.Year,
                    "fiscal-period" => DateGrouping.FiscalPeriod,
                    "fiscal-year" => DateGrouping.FiscalYear,
                    _ => throw QueryFaults.InvalidArgumentFault($"'{grouping}' is not a valid dategrouping."),
                };
            }

            if (!aggregate && (column.Aggregate != AggregateFunction.None || column.GroupBy))
            {
                throw QueryFaults.InvalidArgumentFault(
                    $"The attribute '{column.Name}' has aggregate or groupby, but the fetch element does not set aggregate='true'.");
            }

            return column;
        }

        private static FilterExpression ReadFilter(XElement element)
        {
            CheckAttributes(element, FilterRead, FilterIgnored, Array.Empty<string>());
            var type = (string?)element.Attribute("type") ?? "and";
            var filter = type switch
            {
                "and" => new FilterExpression(LogicalOperator.And),
                "or" => new FilterExpression(LogicalOperator.Or),
                _ => throw QueryFaults.InvalidArgumentFault($"'{type}' is not a valid filter type (and, or)."),
            };
            filter.IsQuickFindFilter = Bool(element, "isquickfindfields");
            foreach (var child in element.Elements())
            {
                switch (child.Name.LocalName)
                {
                    case "condition":
                        filter.AddCondition(ReadCondition(child));
                        break;
                    case "filter":
                        filter.AddFilter(ReadFilter(child));
                        break;
                    case "link-entity":
                        throw new QueryNotSupportedException("a link-entity inside a filter",
                            "Put the link-entity (link-type exists, in, any or not any) under the entity instead.");
                    default:
                        throw QueryFaults.InvalidFetchNode("filter", child.Name.LocalName, "condition, filter, link-entity");
                }
            }

            return filter;
        }

        private static ConditionExpression ReadCondition(XElement element)
        {
            CheckAttributes(element, ConditionRead, ConditionIgnored, ConditionRefused);
            var attribute = RequiredAttribute(element, "attribute");
            var operatorName = RequiredAttribute(element, "operator");
            if (!Operators.TryGetValue(operatorName, out var op)) throw QueryFaults.InvalidOperator(operatorName);
            var values = new List<object>();
            var valueAttribute = (string?)element.Attribute("value");
            var valueOf = (string?)element.Attribute("valueof");
            foreach (var child in element.Elements())
            {
                if (child.Name.LocalName != "value") throw QueryFaults.InvalidFetchNode("condition", child.Name.LocalName, "value");
                CheckAttributes(child, Array.Empty<string>(), ValueIgnored, Array.Empty<string>());
                values.Add(child.Value);
            }

            if (valueOf != null)
            {
                if (valueAttribute != null || values.Count > 0)
                    throw QueryFaults.InvalidArgumentFault($"The condition on '{attribute}' cannot have both valueof and a value.");
                return new ConditionExpression((string?)element.Attribute("entityname"), attribute, op, true, new object[] { valueOf });
            }

            if (valueAttribute != null)
            {
                if (values.Count > 0) throw QueryFaults.InvalidArgumentFault($"The condition on '{attribute}' cannot have both a value attribute and value elements.");
                // An empty value attribute on an operator that takes none (e.g. value="" with null) is allowed.
                if (valueAttribute.Length > 0 || TakesValue(op)) values.Add(valueAttribute);
            }

            return new ConditionExpression((string?)element.Attribute("entityname"), attribute, op, values.ToArray());
        }

        private static bool TakesValue(ConditionOperator op) => op switch
        {
            ConditionOperator.Null or ConditionOperator.NotNull or ConditionOperator.Today or ConditionOperator.Yesterday
                or ConditionOperator.Tomorrow or ConditionOperator.Last7Days or ConditionOperator.Next7Days or ConditionOperator.LastWeek
                or ConditionOperator.ThisWeek or ConditionOperator.NextWeek or ConditionOperator.LastMonth or ConditionOperator.ThisMonth
                or ConditionOperator.NextMonth or ConditionOperator.LastYear or ConditionOperator.ThisYear or ConditionOperator.NextYear
                or ConditionOperator.EqualUserId or ConditionOperator.NotEqualUserId or ConditionOperator.EqualBusinessId
                or ConditionOperator.NotEqualBusinessId or ConditionOperator.ThisFiscalYear or ConditionOperator.ThisFiscalPeriod
                or ConditionOperator.LastFiscalYear or ConditionOperator.LastFiscalPeriod or ConditionOperator.NextFiscalYear
                or ConditionOperator.NextFiscalPeriod => false,
            _ => true,
        };

        private static void CheckAttributes(XElement element, string[] read, string[] ignored, string[] refused)
        {
            foreach (var attribute in element.Attributes())
            {
                if (attribute.IsNamespaceDeclaration || attribute.Name.Namespace != XNamespace.None) continue;
                var name = attribute.Name.LocalName;
                if (Array.IndexOf(read, name) >= 0 || Array.IndexOf(ignored, name) >= 0) continue;
                if (Array.IndexOf(refused, name) >= 0)
                {
                    throw new QueryNotSupportedException($"the FetchXML attribute '{name}' on <{element.Name.LocalName}>",
                        "Remove it or run the query against Dataverse.");
                }

                throw QueryFaults.InvalidFetchAttribute(element.Name.LocalName, name);
            }
        }

        private static string RequiredAttribute(XElement element, string name)
        {
            var value = (string?)element.Attribute(name);
            if (string.IsNullOrEmpty(value))
                throw QueryFaults.InvalidArgumentFault($"The FetchXML element <{element.Name.LocalName}> requires the attribute '{name}'.");
            return value!;
        }

        private static bool Bool(XElement element, string name)
        {
            var value = (string?)element.Attribute(name);
            if (value == null) return false;
            switch (value.Trim())
            {
                case "true":
                case "1":
                    return true;
                case "false":
                case "0":
                    return false;
                default:
                    throw QueryFaults.InvalidArgumentFault($"'{value}' is not a valid boolean for the attribute '{name}' of <{element.Name.LocalName}>.");
            }
        }

        private static int? OptionalInt(XElement element, string name)
        {
            var value = (string?)element.Attribute(name);
            if (value == null) return null;
            if (int.TryParse(value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)) return parsed;
            throw QueryFaults.InvalidArgumentFault($"'{value}' is not a valid integer for the attribute '{name}' of <{element.Name.LocalName}>.");
        }
    }
}
