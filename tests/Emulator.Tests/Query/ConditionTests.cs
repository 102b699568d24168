using System;
using System.Collections.Generic;
using CrmPlugins.Emulator.Query;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using NUnit.Framework;
using static CrmPlugins.Emulator.Tests.Query.QueryTestHelpers;

namespace CrmPlugins.Emulator.Tests.Query
{
    [TestFixture]
    public class ConditionTests
    {
        private InMemoryRowSource _source = null!;
        private QueryEngine _engine = null!;
        private Guid _contactA;
        private Guid _otherUser;

        [SetUp]
        public void SetUp()
        {
            _source = new InMemoryRowSource();
            _engine = new QueryEngine(_source);
            _contactA = Guid.NewGuid();
            _otherUser = Guid.NewGuid();
            _source.Add("account",
                ("name", "Contoso"), ("numberofemployees", 10), ("revenue", new Money(100m)), ("industrycode", new OptionSetValue(1)),
                ("primarycontactid", new EntityReference("contact", _contactA)), ("ownerid", new EntityReference("systemuser", _source.CallerId)),
                ("owningbusinessunit", new EntityReference("businessunit", _source.CallerBusinessUnitId)), ("creditlimit", new Money(100m)),
                ("donotphone", true), ("services", new OptionSetValueCollection(new List<OptionSetValue> { new OptionSetValue(1), new OptionSetValue(2) })));
            _source.Add("account",
                ("name", "Fabrikam"), ("numberofemployees", 50), ("revenue", new Money(500m)), ("industrycode", new OptionSetValue(2)),
                ("primarycontactid", new EntityReference("contact", Guid.NewGuid())), ("ownerid", new EntityReference("systemuser", _otherUser)),
                ("owningbusinessunit", new EntityReference("businessunit", Guid.NewGuid())), ("creditlimit", new Money(400m)),
                ("donotphone", false), ("services", new OptionSetValueCollection(new List<OptionSetValue> { new OptionSetValue(2) })));
            _source.Add("account", ("name", "Adventure Works"), ("ownerid", new EntityReference("systemuser", _otherUser)));
            _source.Add("account", ("name", "contoso east"), ("numberofemployees", 30), ("revenue", new Money(300m)),
                ("services", new OptionSetValueCollection(new List<OptionSetValue> { new OptionSetValue(3) })));
        }

        private string?[] Run(string attribute, ConditionOperator op, params object[] values)
        {
            var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name") };
            query.Criteria.AddCondition(new ConditionExpression(attribute, op, values));
            query.AddOrder("name", OrderType.Ascending);
            return Names(_engine.Execute(query));
        }

        [Test]
        public void Execute_WhenEqualOnString_MatchesCaseInsensitively()
        {
            Assert.That(Run("name", ConditionOperator.Equal, "CONTOSO"), Is.EqualTo(new[] { "Contoso" }));
        }

        [Test]
        public void Execute_WhenEqualOnNullColumn_DoesNotMatch()
        {
            Assert.That(Run("numberofemployees", ConditionOperator.Equal, 10), Is.EqualTo(new[] { "Contoso" }));
        }

        [Test]
        public void Execute_WhenNotEqual_AlsoReturnsRowsWhereTheColumnIsNull_AsDataverseNeDoes()
        {
            Assert.That(Run("numberofemployees", ConditionOperator.NotEqual, 10), Is.EqualTo(new[] { "Adventure Works", "contoso east", "Fabrikam" }));
        }

        [TestCase(ConditionOperator.GreaterThan, 30, new[] { "Fabrikam" })]
        [TestCase(ConditionOperator.GreaterEqual, 30, new[] { "contoso east", "Fabrikam" })]
        [TestCase(ConditionOperator.LessThan, 30, new[] { "Contoso" })]
        [TestCase(ConditionOperator.LessEqual, 30, new[] { "Contoso", "contoso east" })]
        public void Execute_WhenComparingWholeNumbers_ExcludesNulls(ConditionOperator op, int value, string[] expected)
        {
            Assert.That(Run("numberofemployees", op, value), Is.EqualTo(expected));
        }

        [Test]
        public void Execute_WhenComparingMoney_AcceptsDecimalIntAndMoneyValues()
        {
            Assert.That(Run("revenue", ConditionOperator.GreaterThan, 250m), Is.EqualTo(new[] { "contoso east", "Fabrikam" }));
            Assert.That(Run("revenue", ConditionOperator.Equal, 500), Is.EqualTo(new[] { "Fabrikam" }));
            Assert.That(Run("revenue", ConditionOperator.LessEqual, new Money(300m)), Is.EqualTo(new[] { "Contoso", "contoso east" }));
        }

        [Test]
        public void Execute_WhenComparingChoices_AcceptsIntAndOptionSetValue()
        {
            Assert.That(Run("industrycode", ConditionOperator.Equal, 2), Is.EqualTo(new[] { "Fabrikam" }));
            Assert.That(Run("industrycode", ConditionOperator.Equal, new OptionSetValue(1)), Is.EqualTo(new[] { "Contoso" }));
        }

        [Test]
        public void Execute_WhenComparingLookups_AcceptsGuidEntityReferenceAndGuidText()
        {
            Assert.That(Run("primarycontactid", ConditionOperator.Equal, _contactA), Is.EqualTo(new[] { "Contoso" }));
            Assert.That(Run("primarycontactid", ConditionOperator.Equal, new EntityReference("contact", _contactA)), Is.EqualTo(new[] { "Contoso" }));
            Assert.That(Run("primarycontactid", ConditionOperator.Equal, _contactA.ToString()), Is.EqualTo(new[] { "Contoso" }));
        }

        [Test]
        public void Execute_WhenComparingBooleans_AcceptsBoolAndText()
        {
            Assert.That(Run("donotphone", ConditionOperator.Equal, true), Is.EqualTo(new[] { "Contoso" }));
            Assert.That(Run("donotphone", ConditionOperator.Equal, "0"), Is.EqualTo(new[] { "Fabrikam" }));
        }

        [TestCase("cont%", new[] { "Contoso", "contoso east" })]
        [TestCase("%works", new[] { "Adventure Works" })]
        [TestCase("%a%", new[] { "Adventure Works", "contoso east", "Fabrikam" })]
        [TestCase("Contos_", new[] { "Contoso" })]
        [TestCase("[cf]%", new[] { "Contoso", "contoso east", "Fabrikam" })]
        [TestCase("[^c]%", new[] { "Adventure Works", "Fabrikam" })]
        public void Execute_WhenLike_UsesSqlWildcardsCaseInsensitively(string pattern, string[] expected)
        {
            Assert.That(Run("name", ConditionOperator.Like, pattern), Is.EqualTo(expected));
        }

        [Test]
        public void Execute_WhenNotLike_ReturnsTheOthers()
        {
            Assert.That(Run("name", ConditionOperator.NotLike, "cont%"), Is.EqualTo(new[] { "Adventure Works", "Fabrikam" }));
        }

        [TestCase(ConditionOperator.BeginsWith, "CONT", new[] { "Contoso", "contoso east" })]
        [TestCase(ConditionOperator.DoesNotBeginWith, "cont", new[] { "Adventure Works", "Fabrikam" })]
        [TestCase(ConditionOperator.EndsWith, "KAM", new[] { "Fabrikam" })]
        [TestCase(ConditionOperator.DoesNotEndWith, "kam", new[] { "Adventure Works", "Contoso", "contoso east" })]
        public void Execute_WhenPrefixOrSuffixOperator_MatchesCaseInsensitively(ConditionOperator op, string value, string[] expected)
        {
            Assert.That(Run("name", op, value), Is.EqualTo(expected));
        }

        [Test]
        public void Execute_WhenIn_MatchesAnyValue()
        {
            Assert.That(Run("numberofemployees", ConditionOperator.In, 10, 30, 99), Is.EqualTo(new[] { "Contoso", "contoso east" }));
            Assert.That(Run("name", ConditionOperator.In, "fabrikam", "none"), Is.EqualTo(new[] { "Fabrikam" }));
        }

        [Test]
        public void Execute_WhenInGetsAnArrayAsOneValue_UsesItsItems()
        {
            var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name") };
            query.Criteria.AddCondition("numberofemployees", ConditionOperator.In, new object[] { new[] { 10, 50 } });
            query.AddOrder("name", OrderType.Ascending);

            Assert.That(Names(_engine.Execute(query)), Is.EqualTo(new[] { "Contoso", "Fabrikam" }));
        }

        [Test]
        public void Execute_WhenNotIn_ExcludesListedValuesAndNulls()
        {
            Assert.That(Run("numberofemployees", ConditionOperator.NotIn, 10, 30), Is.EqualTo(new[] { "Fabrikam" }));
        }

        [Test]
        public void Execute_WhenBetween_IncludesBothEnds()
        {
            Assert.That(Run("numberofemployees", ConditionOperator.Between, 10, 30), Is.EqualTo(new[] { "Contoso", "contoso east" }));
            Assert.That(Run("numberofemployees", ConditionOperator.NotBetween, 10, 30), Is.EqualTo(new[] { "Fabrikam" }));
        }

        [Test]
        public void Execute_WhenNullOrNotNull_TestsPresence()
        {
            Assert.That(Run("numberofemployees", ConditionOperator.Null), Is.EqualTo(new[] { "Adventure Works" }));
            Assert.That(Run("numberofemployees", ConditionOperator.NotNull), Is.EqualTo(new[] { "Contoso", "contoso east", "Fabrikam" }));
        }

        [Test]
        public void Execute_WhenUserAndBusinessUnitOperators_CompareWithTheCaller()
        {
            Assert.That(Run("ownerid", ConditionOperator.EqualUserId), Is.EqualTo(new[] { "Contoso" }));
            Assert.That(Run("ownerid", ConditionOperator.NotEqualUserId), Is.EqualTo(new[] { "Adventure Works", "contoso east", "Fabrikam" }));
            Assert.That(Run("owningbusinessunit", ConditionOperator.EqualBusinessId), Is.EqualTo(new[] { "Contoso" }));
        }

        [Test]
        public void Execute_WhenContainValues_MatchesAnyOverlapAndNotContainValuesTheRest()
        {
            Assert.That(Run("services", ConditionOperator.ContainValues, 1, 3), Is.EqualTo(new[] { "Contoso", "contoso east" }));
            Assert.That(Run("services", ConditionOperator.DoesNotContainValues, 1), Is.EqualTo(new[] { "Adventure Works", "contoso east", "Fabrikam" }));
        }

        [Test]
        public void Execute_WhenEqualOrInOnMultiSelect_MatchesTheExactSet()
        {
            Assert.That(Run("services", ConditionOperator.Equal, 2), Is.EqualTo(new[] { "Fabrikam" }));
            Assert.That(Run("services", ConditionOperator.In, 2, 1), Is.EqualTo(new[] { "Contoso" }));
        }

        [Test]
        public void Execute_WhenCompareColumns_ComparesWithAnotherColumnOfTheRow()
        {
            var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name") };
            query.Criteria.AddCondition(new ConditionExpression("revenue", ConditionOperator.GreaterThan, true, "creditlimit"));

            Assert.That(Names(_engine.Execute(query)), Is.EqualTo(new[] { "Fabrikam" }));
        }

        [Test]
        public void Execute_WhenCompareColumnsEqual_MatchesEqualColumns()
        {
            var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name") };
            query.Criteria.AddCondition(new ConditionExpression("revenue", ConditionOperator.Equal, true, "creditlimit"));

            Assert.That(Names(_engine.Execute(query)), Is.EqualTo(new[] { "Contoso" }));
        }

        [Test]
        public void Execute_WhenNestedAndOrFilters_CombinesThem()
        {
            var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name") };
            query.AddOrder("name", OrderType.Ascending);
            var or = query.Criteria.AddFilter(LogicalOperator.Or);
            or.AddCondition("name", ConditionOperator.Equal, "Fabrikam");
            var and = or.AddFilter(LogicalOperator.And);
            and.AddCondition("name", ConditionOperator.Like, "cont%");
            and.AddCondition("numberofemployees", ConditionOperator.GreaterThan, 20);
            query.Criteria.AddCondition("revenue", ConditionOperator.NotNull);

            Assert.That(Names(_engine.Execute(query)), Is.EqualTo(new[] { "contoso east", "Fabrikam" }));
        }

        [Test]
        public void Execute_WhenTopLevelFilterIsOr_MatchesEitherCondition()
        {
            var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name") };
            query.AddOrder("name", OrderType.Ascending);
            query.Criteria.FilterOperator = LogicalOperator.Or;
            query.Criteria.AddCondition("name", ConditionOperator.Equal, "Fabrikam");
            query.Criteria.AddCondition("numberofemployees", ConditionOperator.Null);

            Assert.That(Names(_engine.Execute(query)), Is.EqualTo(new[] { "Adventure Works", "Fabrikam" }));
        }

        [TestCase(ConditionOperator.Under)]
        [TestCase(ConditionOperator.Above)]
        [TestCase(ConditionOperator.EqualUserTeams)]
        [TestCase(ConditionOperator.ChildOf)]
        [TestCase(ConditionOperator.Mask)]
        [TestCase(ConditionOperator.EqualUserLanguage)]
        [TestCase(ConditionOperator.LastXFiscalYears)]
        public void Execute_WhenOperatorIsNotImplemented_ThrowsNotSupportedNamingIt(ConditionOperator op)
        {
            var error = NotSupported(() => Run("ownerid", op, Guid.NewGuid()));

            Assert.That(error, Is.InstanceOf<NotSupportedException>());
            Assert.That(error.Message, Does.Contain($"'{op}'"));
        }

        [Test]
        public void Execute_WhenContainsFullTextOperator_ThrowsNotSupportedSuggestingLike()
        {
            var error = NotSupported(() => Run("name", ConditionOperator.Contains, "onto"));

            Assert.That(error.Message, Does.Contain("'Contains'").And.Contain("Like"));
        }

        [Test]
        public void Execute_WhenOperatorGetsTheWrongNumberOfValues_FaultsWithInvalidArgument()
        {
            Assert.That(Fault(() => Run("numberofemployees", ConditionOperator.Between, 1)).ErrorCode, Is.EqualTo(QueryFaults.InvalidArgument));
            Assert.That(Fault(() => Run("numberofemployees", ConditionOperator.Equal)).ErrorCode, Is.EqualTo(QueryFaults.InvalidArgument));
            Assert.That(Fault(() => Run("numberofemployees", ConditionOperator.Null, 1)).ErrorCode, Is.EqualTo(QueryFaults.InvalidArgument));
        }

        [Test]
        public void Execute_WhenValueDoesNotFitTheColumnType_FaultsNamingTheTypes()
        {
            var fault = Fault(() => Run("numberofemployees", ConditionOperator.Equal, "many"));

            Assert.That(fault.ErrorCode, Is.EqualTo(QueryFaults.InvalidArgument));
            Assert.That(fault.Message, Is.EqualTo(
                "Condition for attribute 'account.numberofemployees': expected argument(s) of type 'System.Int32' but received 'System.String'."));
        }

        [Test]
        public void Execute_WhenEqualGetsNull_FaultsInsteadOfGuessing()
        {
            var query = new QueryExpression("account");
            query.Criteria.AddCondition(new ConditionExpression("name", ConditionOperator.Equal, (object)null!));

            Assert.That(Fault(() => _engine.Execute(query)).ErrorCode, Is.EqualTo(QueryFaults.InvalidArgument));
        }

        [Test]
        public void Execute_WhenLikeOnANumberColumn_Faults()
        {
            Assert.That(Fault(() => Run("numberofemployees", ConditionOperator.Like, "1%")).Message, Does.Contain("Like"));
        }

        [Test]
        public void Execute_WhenOrderingOperatorOnMultiSelect_FaultsAsDataverse()
        {
            Assert.That(Fault(() => Run("services", ConditionOperator.GreaterThan, 1)).Message, Does.Contain("MultiSelectPicklistAttribute"));
        }
    }
}
