using System;
using System.IO;
using System.Linq;
using System.Runtime.Serialization;
using System.Text;
using System.Xml;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using NUnit.Framework;

namespace CrmPlugins.XrmSdk.Tests
{
    /// <summary>
    /// The SDK's serializable types carry Microsoft's data contracts (the details listing, surface tests), so the same
    /// objects write the same XML as with Microsoft's assemblies and read it back: what a plugin serializing an Entity or a
    /// query (shared variables, a queue message) relies on. Also run on Microsoft's DLLs (-p:XrmSdkDir).
    /// </summary>
    public class ContractTests
    {
        // Written by Microsoft.Xrm.Sdk 9.0.2.56 (DataContractSerializer, no XML declaration, no indentation) for the entity
        // built in SampleOpportunity; only its ids were chosen.
        private const string MicrosoftsEntityXml =
            "<Entity xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns=\"http://schemas.microsoft.com/xrm/2011/Contracts\">" +
            "<Attributes xmlns:d2p1=\"http://schemas.datacontract.org/2004/07/System.Collections.Generic\">" +
            "<KeyValuePairOfstringanyType><d2p1:key>name</d2p1:key><d2p1:value xmlns:d4p1=\"http://www.w3.org/2001/XMLSchema\" i:type=\"d4p1:string\">Big deal</d2p1:value></KeyValuePairOfstringanyType>" +
            "<KeyValuePairOfstringanyType><d2p1:key>estimatedvalue</d2p1:key><d2p1:value i:type=\"Money\"><Value>120000</Value></d2p1:value></KeyValuePairOfstringanyType>" +
            "<KeyValuePairOfstringanyType><d2p1:key>dr_risklevel</d2p1:key><d2p1:value i:type=\"OptionSetValue\"><Value>3</Value></d2p1:value></KeyValuePairOfstringanyType>" +
            "<KeyValuePairOfstringanyType><d2p1:key>parentaccountid</d2p1:key><d2p1:value i:type=\"EntityReference\"><Id>6f1c3a52-0000-4000-8000-000000000002</Id>" +
            "<KeyAttributes xmlns:d5p1=\"http://schemas.microsoft.com/xrm/7.1/Contracts\" /><LogicalName>account</LogicalName><Name i:nil=\"true\" /><RowVersion i:nil=\"true\" /></d2p1:value></KeyValuePairOfstringanyType>" +
            "</Attributes><EntityState i:nil=\"true\" /><FormattedValues xmlns:d2p1=\"http://schemas.datacontract.org/2004/07/System.Collections.Generic\" />" +
            "<Id>6f1c3a52-0000-4000-8000-000000000001</Id>" +
            "<KeyAttributes xmlns:d2p1=\"http://schemas.microsoft.com/xrm/7.1/Contracts\" xmlns:d2p2=\"http://schemas.datacontract.org/2004/07/System.Collections.Generic\" />" +
            "<LogicalName>opportunity</LogicalName><RelatedEntities xmlns:d2p1=\"http://schemas.datacontract.org/2004/07/System.Collections.Generic\" />" +
            "<RowVersion i:nil=\"true\" /></Entity>";

        private static Entity SampleOpportunity() => new Entity("opportunity", new Guid("6f1c3a52-0000-4000-8000-000000000001"))
        {
            ["name"] = "Big deal",
            ["estimatedvalue"] = new Money(120000m),
            ["dr_risklevel"] = new OptionSetValue(3),
            ["parentaccountid"] = new EntityReference("account", new Guid("6f1c3a52-0000-4000-8000-000000000002")),
        };

        [Test]
        public void Entity_SerializesToTheXmlMicrosoftsSdkWrites() =>
            Assert.That(Write(SampleOpportunity()), Is.EqualTo(MicrosoftsEntityXml));

        [Test]
        public void Entity_ReadsBackFromMicrosoftsXml()
        {
            var entity = Read<Entity>(MicrosoftsEntityXml);

            Assert.That((entity.LogicalName, entity.Id), Is.EqualTo(("opportunity", new Guid("6f1c3a52-0000-4000-8000-000000000001"))));
            Assert.That(entity.GetAttributeValue<string>("name"), Is.EqualTo("Big deal"));
            Assert.That(entity.GetAttributeValue<Money>("estimatedvalue"), Is.EqualTo(new Money(120000m)));
            Assert.That(entity.GetAttributeValue<OptionSetValue>("dr_risklevel"), Is.EqualTo(new OptionSetValue(3)));
            Assert.That(entity.GetAttributeValue<EntityReference>("parentaccountid"), Is.EqualTo(new EntityReference("account", new Guid("6f1c3a52-0000-4000-8000-000000000002"))));
        }

        [Test]
        public void QueryExpression_RoundTripsAsAQueryBase()
        {
            var query = new QueryExpression("opportunity") { ColumnSet = new ColumnSet("name", "estimatedvalue"), TopCount = 50 };
            query.Criteria.AddCondition("statecode", ConditionOperator.Equal, 0);
            query.AddLink("account", "parentaccountid", "accountid", JoinOperator.LeftOuter).EntityAlias = "a";
            query.AddOrder("estimatedvalue", OrderType.Descending);

            var xml = Write<QueryBase>(query);
            var copy = (QueryExpression)Read<QueryBase>(xml);

            Assert.That(xml, Does.StartWith("<QueryBase ").And.Contain("i:type=\"QueryExpression\""));
            Assert.That((copy.EntityName, copy.TopCount, copy.ColumnSet.Columns.ToArray()), Is.EqualTo(("opportunity", (int?)50, new[] { "name", "estimatedvalue" })));
            var condition = copy.Criteria.Conditions.Single();
            Assert.That((condition.AttributeName, condition.Operator, condition.Values.Single()), Is.EqualTo(("statecode", ConditionOperator.Equal, (object)0)));
            var link = copy.LinkEntities.Single();
            Assert.That((link.LinkFromEntityName, link.LinkToEntityName, link.JoinOperator, link.EntityAlias), Is.EqualTo(("opportunity", "account", JoinOperator.LeftOuter, "a")));
            Assert.That(copy.Orders.Single().OrderType, Is.EqualTo(OrderType.Descending));
        }

        [Test]
        public void OrganizationServiceFault_RoundTrips_WithItsInnerFault()
        {
            var fault = new OrganizationServiceFault { ErrorCode = unchecked((int)0x80040265), Message = "Refused", InnerFault = new OrganizationServiceFault { Message = "inner" } };

            var copy = Read<OrganizationServiceFault>(Write(fault));

            Assert.That((copy.ErrorCode, copy.Message, copy.InnerFault.Message), Is.EqualTo((unchecked((int)0x80040265), "Refused", "inner")));
        }

        private static string Write<T>(T value)
        {
            var text = new StringBuilder();
            using (var writer = XmlWriter.Create(text, new XmlWriterSettings { OmitXmlDeclaration = true }))
                new DataContractSerializer(typeof(T)).WriteObject(writer, value);
            return text.ToString();
        }

        private static T Read<T>(string xml)
        {
            using var reader = XmlReader.Create(new StringReader(xml));
            return (T)new DataContractSerializer(typeof(T)).ReadObject(reader)!;
        }
    }
}
