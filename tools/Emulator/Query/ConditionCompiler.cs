using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace CrmPlugins.Emulator.Query
{
    /// <summary>
    /// The engine's one condition evaluator: compiles SDK <see cref="FilterExpression"/>s and
    /// <see cref="ConditionExpression"/>s (from QueryExpression, QueryByAttribute and FetchXML alike) into
    /// predicates over joined rows. Null handling follows Dataverse: a null column satisfies only Null,
    /// NotEqual (Dataverse's "ne" also returns rows whose column is null), NotEqualUserId,
    /// NotEqualBusinessId and DoesNotContainValues. Operators it cannot answer faithfully throw
    /// <see cref="QueryNotSupportedException"/> when the query is compiled, before any row is read.
    /// </summary>
    internal sealed class ConditionCompiler
    {
        /// <summary>Dataverse's ne matches null columns (SQL4CDS converts SQL "&lt;&gt;" to "ne" + "not-null" for that reason).</summary>
        private const bool NotEqualMatchesNull = true;

        private readonly QueryPlan _plan;

        public ConditionCompiler(QueryPlan plan)
        {
            _plan = plan;
        }

        /// <summary>A predicate true when all of the given are (null when there are none).</summary>
        public static RowPredicate? All(List<RowPredicate> predicates)
        {
            switch (predicates.Count)
            {
                case 0:
                    return null;
                case 1:
                    return predicates[0];
                default:
                    var array = predicates.ToArray();
                    return row =>
                    {
                        foreach (var predicate in array)
                            if (!predicate(row)) return false;
                        return true;
                    };
            }
        }

        /// <summary>Compiles a filter: conditions and child filters joined by its And/Or (an empty filter is true).</summary>
        public RowPredicate CompileFilter(FilterExpression filter, int defaultSlot)
        {
            var parts = new List<RowPredicate>();
            foreach (var condition in filter.Conditions)
                if (condition != null) parts.Add(CompileCondition(condition, defaultSlot));
            foreach (var child in filter.Filters)
                if (child != null) parts.Add(CompileFilter(child, defaultSlot));
            if (parts.Count == 0) return _ => true;
            if (filter.FilterOperator == LogicalOperator.And) return All(parts)!;
            var array = parts.ToArray();
            return row =>
            {
                foreach (var predicate in array)
                    if (predicate(row)) return true;
                return false;
            };
        }

        /// <summary>True when every condition of the filter reads only the given slot.</summary>
        public bool ReadsOnly(FilterExpression filter, int slot, int defaultSlot)
        {
            foreach (var condition in filter.Conditions)
                if (condition != null && !ReadsOnly(condition, slot, defaultSlot)) return false;
            foreach (var child in filter.Filters)
                if (child != null && !ReadsOnly(child, slot, defaultSlot)) return false;
            return true;
        }

        /// <summary>True when the condition reads only the given slot.</summary>
        public bool ReadsOnly(ConditionExpression condition, int slot, int defaultSlot) =>
            _plan.ResolveSlot(condition.EntityName, defaultSlot).Index == slot;

        /// <summary>Compiles one condition of the given default slot (its EntityName may name another).</summary>
        public RowPredicate CompileCondition(ConditionExpression condition, int defaultSlot)
        {
            var slot = _plan.ResolveSlot(condition.EntityName, defaultSlot);
            _plan.EnsureColumn(slot, condition.AttributeName);
            var c = new Compiled(slot, condition.AttributeName, condition.Operator, QueryValues.Flatten(condition.Values));
            if (condition.CompareColumns) return CompileColumnComparison(c);
            var op = condition.Operator;
            switch (op)
            {
                case ConditionOperator.Equal:
                    c.RequireCount(1);
                    c.RequireNonNullValues();
                    return Typed(c, false, (v, ops) => Eq(v, ops[0]), (set, ints) => SetEquals(set, ints));
                case ConditionOperator.NotEqual:
                    c.RequireCount(1);
                    c.RequireNonNullValues();
                    return Typed(c, NotEqualMatchesNull, (v, ops) => !Eq(v, ops[0]), (set, ints) => !SetEquals(set, ints));
                case ConditionOperator.GreaterThan:
                    c.RequireCount(1);
                    return Typed(c, false, (v, ops) => Cmp(v, ops[0]) is int r && r > 0);
                case ConditionOperator.GreaterEqual:
                    c.RequireCount(1);
                    return Typed(c, false, (v, ops) => Cmp(v, ops[0]) is int r && r >= 0);
                case ConditionOperator.LessThan:
                    c.RequireCount(1);
                    return Typed(c, false, (v, ops) => Cmp(v, ops[0]) is int r && r < 0);
                case ConditionOperator.LessEqual:
                    c.RequireCount(1);
                    return Typed(c, false, (v, ops) => Cmp(v, ops[0]) is int r && r <= 0);
                case ConditionOperator.In:
                    {
                        c.RequireAtLeast(1);
                        var among = Typed(c, false, (v, ops) => c.AmongOperands(v, ops), (set, ints) => SetEquals(set, ints));
                        // A lookup's id is tested against the ids the values became for the first id read (a page's In of 1,000
                        // deals over its 10,000 lines): the answer the general test gives, without unwrapping and boxing each id.
                        return row => c.Get(row) switch
                        {
                            EntityReference r when c.GuidOperands() is { } ids => ids.Contains(r.Id),
                            Guid id when c.GuidOperands() is { } ids => ids.Contains(id),
                            _ => among(row),
                        };
                    }

                case ConditionOperator.NotIn:
                    c.RequireAtLeast(1);
                    return Typed(c, false, (v, ops) => !c.AmongOperands(v, ops), (set, ints) => !SetEquals(set, ints));
                case ConditionOperator.Between:
                    c.RequireCount(2);
                    return Typed(c, false, (v, ops) => Cmp(v, ops[0]) is int lo && lo >= 0 && Cmp(v, ops[1]) is int hi && hi <= 0);
                case ConditionOperator.NotBetween:
                    c.RequireCount(2);
                    return Typed(c, false, (v, ops) => Cmp(v, ops[0]) is int lo && Cmp(v, ops[1]) is int hi && (lo < 0 || hi > 0));
                case ConditionOperator.Null:
                    c.RequireCount(0);
                    return row => c.Get(row) == null;
                case ConditionOperator.NotNull:
                    c.RequireCount(0);
                    return row => c.Get(row) != null;
                case ConditionOperator.Like:
                case ConditionOperator.NotLike:
                    {
                        c.RequireCount(1);
                        var pattern = LikePattern.Create(c.StringValue(0));
                        var negate = op == ConditionOperator.NotLike;
                        return Text(c, s => pattern.IsMatch(s) != negate);
                    }

                case ConditionOperator.BeginsWith:
                case ConditionOperator.DoesNotBeginWith:
                    {
                        c.RequireCount(1);
                        var prefix = c.StringValue(0);
                        var negate = op == ConditionOperator.DoesNotBeginWith;
                        return Text(c, s => s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) != negate);
                    }

                case ConditionOperator.EndsWith:
                case ConditionOperator.DoesNotEndWith:
                    {
                        c.RequireCount(1);
                        var suffix = c.StringValue(0);
                        var negate = op == ConditionOperator.DoesNotEndWith;
                        return Text(c, s => s.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) != negate);
                    }

                case ConditionOperator.EqualUserId:
                    c.RequireCount(0);
                    return GuidEquals(c, _plan.Source.CallerId, false);
                case ConditionOperator.NotEqualUserId:
                    c.RequireCount(0);
                    return GuidEquals(c, _plan.Source.CallerId, true);
                case ConditionOperator.EqualBusinessId:
                    c.RequireCount(0);
                    return GuidEquals(c, _plan.Source.CallerBusinessUnitId, false);
                case ConditionOperator.NotEqualBusinessId:
                    c.RequireCount(0);
                    return GuidEquals(c, _plan.Source.CallerBusinessUnitId, true);
                case ConditionOperator.ContainValues:
                    {
                        c.RequireAtLeast(1);
                        var wanted = c.IntValues();
                        return MultiSelect(c, false, set => set.Any(o => o != null && wanted.Contains(o.Value)));
                    }

                case ConditionOperator.DoesNotContainValues:
                    {
                        c.RequireAtLeast(1);
                        var unwanted = c.IntValues();
                        return MultiSelect(c, true, set => !set.Any(o => o != null && unwanted.Contains(o.Value)));
                    }

                case ConditionOperator.Contains:
                case ConditionOperator.DoesNotContain:
                    throw new QueryNotSupportedException(
                        $"the condition operator '{op}'",
                        $"It is SQL full-text search on '{slot.Table}.{condition.AttributeName}' and needs a full-text index; use Like with '%text%' instead.");
                default:
                    var dates = CompileDateCondition(c);
                    if (dates != null) return dates;
                    throw new QueryNotSupportedException(
                        $"the condition operator '{op}'",
                        $"It is used on '{slot.Table}.{condition.AttributeName}'.");
            }
        }

        private RowPredicate? CompileDateCondition(Compiled c)
        {
            if (c.Operator is ConditionOperator.LastXHours or ConditionOperator.NextXHours or ConditionOperator.OlderThanXHours or ConditionOperator.OlderThanXMinutes
                && _plan.Source.DateBehavior(c.Slot.Table, c.Column) == DateTimeBehavior.DateOnly)
                throw QueryFaults.TimeOperatorOnDateOnly(c.Slot.Table, c.Column, c.Operator);
            var d = _plan.Dates;
            switch (c.Operator)
            {
                case ConditionOperator.Today: c.RequireCount(0); return InWindow(c, d.Today);
                case ConditionOperator.Yesterday: c.RequireCount(0); return InWindow(c, d.Yesterday);
                case ConditionOperator.Tomorrow: c.RequireCount(0); return InWindow(c, d.Tomorrow);
                case ConditionOperator.Last7Days: c.RequireCount(0); return InWindow(c, d.Last7Days);
                case ConditionOperator.Next7Days: c.RequireCount(0); return InWindow(c, d.Next7Days);
                case ConditionOperator.LastWeek: c.RequireCount(0); return InWindow(c, d.LastWeek);
                case ConditionOperator.ThisWeek: c.RequireCount(0); return InWindow(c, d.ThisWeek);
                case ConditionOperator.NextWeek: c.RequireCount(0); return InWindow(c, d.NextWeek);
                case ConditionOperator.LastMonth: c.RequireCount(0); return InWindow(c, d.LastMonth);
                case ConditionOperator.ThisMonth: c.RequireCount(0); return InWindow(c, d.ThisMonth);
                case ConditionOperator.NextMonth: c.RequireCount(0); return InWindow(c, d.NextMonth);
                case ConditionOperator.LastYear: c.RequireCount(0); return InWindow(c, d.LastYear);
                case ConditionOperator.ThisYear: c.RequireCount(0); return InWindow(c, d.ThisYear);
                case ConditionOperator.NextYear: c.RequireCount(0); return InWindow(c, d.NextYear);
                case ConditionOperator.LastXHours: return InWindow(c, d.LastXHours(c.SingleInt()));
                case ConditionOperator.NextXHours: return InWindow(c, d.NextXHours(c.SingleInt()));
                case ConditionOperator.LastXDays: return InWindow(c, d.LastXDays(c.SingleInt()));
                case ConditionOperator.NextXDays: return InWindow(c, d.NextXDays(c.SingleInt()));
                case ConditionOperator.LastXWeeks: return InWindow(c, d.LastXWeeks(c.SingleInt()));
                case ConditionOperator.NextXWeeks: return InWindow(c, d.NextXWeeks(c.SingleInt()));
                case ConditionOperator.LastXMonths: return InWindow(c, d.LastXMonths(c.SingleInt()));
                case ConditionOperator.NextXMonths: return InWindow(c, d.NextXMonths(c.SingleInt()));
                case ConditionOperator.LastXYears: return InWindow(c, d.LastXYears(c.SingleInt()));
                case ConditionOperator.NextXYears: return InWindow(c, d.NextXYears(c.SingleInt()));
                case ConditionOperator.OlderThanXMinutes: return InWindow(c, d.OlderThanXMinutes(c.SingleInt()));
                case ConditionOperator.OlderThanXHours: return InWindow(c, d.OlderThanXHours(c.SingleInt()));
                case ConditionOperator.OlderThanXDays: return InWindow(c, d.OlderThanXDays(c.SingleInt()));
                case ConditionOperator.OlderThanXWeeks: return InWindow(c, d.OlderThanXWeeks(c.SingleInt()));
                case ConditionOperator.OlderThanXMonths: return InWindow(c, d.OlderThanXMonths(c.SingleInt()));
                case ConditionOperator.OlderThanXYears: return InWindow(c, d.OlderThanXYears(c.SingleInt()));
                case ConditionOperator.On: return InWindow(c, DateWindows.On(c.SingleDate()));
                case ConditionOperator.OnOrBefore: return InWindow(c, DateWindows.OnOrBefore(c.SingleDate()));
                case ConditionOperator.OnOrAfter: return InWindow(c, DateWindows.OnOrAfter(c.SingleDate()));
                case ConditionOperator.NotOn:
                    {
                        var day = DateWindows.On(c.SingleDate());
                        return DatePredicate(c, date => !day.Contains(date));
                    }

                case ConditionOperator.ThisFiscalYear: c.RequireCount(0); return InWindow(c, d.ThisFiscalYear);
                case ConditionOperator.LastFiscalYear: c.RequireCount(0); return InWindow(c, d.LastFiscalYear);
                case ConditionOperator.NextFiscalYear: c.RequireCount(0); return InWindow(c, d.NextFiscalYear);
                case ConditionOperator.ThisFiscalPeriod: c.RequireCount(0); return InWindow(c, d.ThisFiscalPeriod);
                case ConditionOperator.LastFiscalPeriod: c.RequireCount(0); return InWindow(c, d.LastFiscalPeriod);
                case ConditionOperator.NextFiscalPeriod: c.RequireCount(0); return InWindow(c, d.NextFiscalPeriod);
                case ConditionOperator.InFiscalYear: return InWindow(c, d.FiscalYear(c.SingleInt()));
                case ConditionOperator.InFiscalPeriod:
                    {
                        var period = c.Period(0, 1);
                        return DatePredicate(c, date => d.FiscalPeriodOf(date) == period);
                    }

                case ConditionOperator.InFiscalPeriodAndYear:
                case ConditionOperator.InOrBeforeFiscalPeriodAndYear:
                case ConditionOperator.InOrAfterFiscalPeriodAndYear:
                    {
                        var period = c.Period(0, 2);
                        var window = d.FiscalPeriod(period, c.IntValue(1));
                        if (c.Operator == ConditionOperator.InOrBeforeFiscalPeriodAndYear) window = DateWindow.Before(window.To);
                        if (c.Operator == ConditionOperator.InOrAfterFiscalPeriodAndYear) window = DateWindow.Since(window.From);
                        return InWindow(c, window);
                    }

                default:
                    return null;
            }
        }

        private static RowPredicate InWindow(Compiled c, DateWindow window) => DatePredicate(c, window.Contains);

        private static RowPredicate DatePredicate(Compiled c, Func<DateTime, bool> test) => row =>
        {
            var raw = c.Get(row);
            if (raw == null) return false;
            if (QueryValues.Core(raw) is DateTime date) return test(date);
            throw c.NotValidFor(raw);
        };

        private static RowPredicate Typed(Compiled c, bool nullResult, Func<object, object?[], bool> test,
            Func<OptionSetValueCollection, HashSet<int>, bool>? multiSelect = null)
        {
            HashSet<int>? ints = null;
            return row =>
            {
                var raw = c.Get(row);
                if (raw == null) return nullResult;
                var core = QueryValues.Core(raw)!;
                if (core is OptionSetValueCollection set)
                {
                    if (multiSelect == null) throw c.NotValidFor(raw);
                    ints ??= c.IntValues();
                    return multiSelect(set, ints);
                }

                return test(core, c.Operands(core, raw));
            };
        }

        private static RowPredicate Text(Compiled c, Func<string, bool> test) => row =>
        {
            var raw = c.Get(row);
            if (raw == null) return false;
            if (raw is string text) return test(text);
            throw c.NotValidFor(raw);
        };

        private static RowPredicate GuidEquals(Compiled c, Guid expected, bool negate) => row =>
        {
            var raw = c.Get(row);
            if (raw == null) return negate && NotEqualMatchesNull;
            if (QueryValues.Core(raw) is Guid id) return (id == expected) != negate;
            throw c.NotValidFor(raw);
        };

        private static RowPredicate MultiSelect(Compiled c, bool nullResult, Func<OptionSetValueCollection, bool> test) => row =>
        {
            var raw = c.Get(row);
            if (raw == null) return nullResult;
            if (raw is OptionSetValueCollection set) return test(set);
            throw c.NotValidFor(raw);
        };

        private RowPredicate CompileColumnComparison(Compiled c)
        {
            c.RequireCount(1);
            var otherName = c.StringValue(0);
            _plan.EnsureColumn(c.Slot, otherName);
            var other = c.Slot.Getter(otherName);
            Func<int, bool> accept = c.Operator switch
            {
                ConditionOperator.Equal => r => r == 0,
                ConditionOperator.NotEqual => r => r != 0,
                ConditionOperator.GreaterThan => r => r > 0,
                ConditionOperator.GreaterEqual => r => r >= 0,
                ConditionOperator.LessThan => r => r < 0,
                ConditionOperator.LessEqual => r => r <= 0,
                _ => throw QueryFaults.InvalidArgumentFault(
                    $"The condition operator '{c.Operator}' cannot compare column '{c.Slot.Table}.{c.Column}' with another column; use Equal, NotEqual, GreaterThan, GreaterEqual, LessThan or LessEqual."),
            };
            return row =>
            {
                var left = c.Get(row);
                var right = other(row);
                if (left == null || right == null) return false;
                var leftCore = QueryValues.Core(left)!;
                if (!QueryValues.TryCoerce(right, QueryValues.KindOf(leftCore), out var rightCore) || rightCore == null)
                    throw QueryFaults.ConditionValueType(c.Slot.Table, c.Column, QueryValues.TypeName(left), QueryValues.TypeName(right));
                var cmp = c.Operator == ConditionOperator.Equal || c.Operator == ConditionOperator.NotEqual
                    ? (QueryValues.CoreEquals(leftCore, rightCore) ? 0 : 1)
                    : QueryValues.CoreCompare(leftCore, rightCore);
                return accept(cmp);
            };
        }

        private static bool Eq(object value, object? operand) => operand != null && QueryValues.CoreEquals(value, operand);

        private static int? Cmp(object value, object? operand) => operand == null ? (int?)null : QueryValues.CoreCompare(value, operand);

        private static bool SetEquals(OptionSetValueCollection set, HashSet<int> values)
        {
            var present = new HashSet<int>();
            foreach (var option in set)
                if (option != null) present.Add(option.Value);
            return present.SetEquals(values);
        }

        /// <summary>A condition being compiled: where it reads, its values, and the operand conversions it caches.</summary>
        private sealed class Compiled
        {
            private readonly List<object?> _values;
            private ValueKind? _kind;
            private object?[]? _operands;
            private Tuple<object?[], HashSet<Guid>>? _guidOperands;

            public Compiled(Slot slot, string column, ConditionOperator op, List<object?> values)
            {
                Slot = slot;
                Column = column;
                Operator = op;
                _values = values;
                Get = slot.Getter(column);
            }

            public Slot Slot { get; }

            public string Column { get; }

            public ConditionOperator Operator { get; }

            public ColumnGetter Get { get; }

            /// <summary>
            /// Whether a value equals one of the operands (In, NotIn). Ids are looked up in a set: a batch's NotIn of 500 deal
            /// ids over a million product lines would otherwise compare every row with every id. Guids compare as Eq does.
            /// </summary>
            public bool AmongOperands(object value, object?[] ops)
            {
                if (value is Guid id && ops.Length > 8) return GuidSet(ops).Contains(id);
                foreach (var operand in ops)
                    if (Eq(value, operand)) return true;
                return false;
            }

            /// <summary>
            /// The operands as a set of ids once they have been converted for an id (<see cref="Operands"/> has met one), else null.
            /// An id is among them exactly when <see cref="AmongOperands"/> finds it: operands converted to ids are ids or null.
            /// </summary>
            public HashSet<Guid>? GuidOperands() => _kind == ValueKind.Guid && _operands is { } ops ? GuidSet(ops) : null;

            private HashSet<Guid> GuidSet(object?[] ops)
            {
                var cached = _guidOperands;
                if (cached == null || !ReferenceEquals(cached.Item1, ops)) _guidOperands = cached = Tuple.Create(ops, new HashSet<Guid>(ops.OfType<Guid>()));
                return cached.Item2;
            }

            public void RequireCount(int count)
            {
                if (_values.Count != count)
                {
                    throw QueryFaults.InvalidArgumentFault(
                        $"Condition for attribute '{Slot.Table}.{Column}': the operator '{Operator}' takes {count} value(s), but {_values.Count} were given.");
                }
            }

            public void RequireAtLeast(int count)
            {
                if (_values.Count < count)
                {
                    throw QueryFaults.InvalidArgumentFault(
                        $"Condition for attribute '{Slot.Table}.{Column}': the operator '{Operator}' takes at least {count} value(s), but {_values.Count} were given.");
                }
            }

            public void RequireNonNullValues()
            {
                if (_values.Any(v => v == null))
                {
                    throw QueryFaults.InvalidArgumentFault(
                        $"Condition for attribute '{Slot.Table}.{Column}': the operator '{Operator}' cannot take a null value; use Null or NotNull.");
                }
            }

            public string StringValue(int index)
            {
                if (_values[index] is string text) return text;
                throw QueryFaults.ConditionValueType(Slot.Table, Column, typeof(string).FullName!, QueryValues.TypeName(_values[index]));
            }

            public int IntValue(int index)
            {
                var core = QueryValues.Core(_values[index]);
                if (core is string text && int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)) return parsed;
                if (core is decimal number && number == decimal.Truncate(number) && number >= int.MinValue && number <= int.MaxValue) return (int)number;
                throw QueryFaults.ConditionValueType(Slot.Table, Column, typeof(int).FullName!, QueryValues.TypeName(_values[index]));
            }

            public int SingleInt()
            {
                RequireCount(1);
                return IntValue(0);
            }

            public DateTime SingleDate()
            {
                RequireCount(1);
                if (QueryValues.TryCoerce(_values[0], ValueKind.DateTime, out var core) && core is DateTime date) return date;
                throw QueryFaults.ConditionValueType(Slot.Table, Column, typeof(DateTime).FullName!, QueryValues.TypeName(_values[0]));
            }

            /// <summary>A fiscal period value: the emulator's fiscal periods are quarters (1-4).</summary>
            public int Period(int index, int count)
            {
                RequireCount(count);
                var period = IntValue(index);
                if (period < 1 || period > 4)
                {
                    throw new QueryNotSupportedException(
                        $"fiscal period {period}",
                        $"The emulator's fiscal periods are quarters (1-4); the condition on '{Slot.Table}.{Column}' asks for period {period}.");
                }

                return period;
            }

            public HashSet<int> IntValues()
            {
                var result = new HashSet<int>();
                for (var i = 0; i < _values.Count; i++)
                {
                    if (_values[i] is OptionSetValue || _values[i] is OptionSetValueCollection)
                        throw QueryFaults.ConditionValueType(Slot.Table, Column, typeof(int).FullName!, QueryValues.TypeName(_values[i]));
                    result.Add(IntValue(i));
                }

                return result;
            }

            /// <summary>The condition values converted to the kind of a stored value (cached per kind).</summary>
            public object?[] Operands(object core, object raw)
            {
                var kind = QueryValues.KindOf(core);
                if (_kind == kind && _operands != null) return _operands;
                var operands = new object?[_values.Count];
                for (var i = 0; i < _values.Count; i++)
                {
                    if (!QueryValues.TryCoerce(_values[i], kind, out var converted))
                        throw QueryFaults.ConditionValueType(Slot.Table, Column, QueryValues.TypeName(raw), QueryValues.TypeName(_values[i]));
                    operands[i] = converted;
                }

                _kind = kind;
                _operands = operands;
                return operands;
            }

            public Exception NotValidFor(object raw)
            {
                var type = raw is OptionSetValueCollection ? "MultiSelectPicklistAttribute" : QueryValues.TypeName(raw);
                return QueryFaults.InvalidArgumentFault(
                    $"The condition operator {Operator} is not valid for {type} type (attribute '{Slot.Table}.{Column}').");
            }
        }
    }
}
