using System;
using System.IO;
using System.Linq;
using Microsoft.Xrm.Sdk;
using NUnit.Framework;

namespace DealRisk.Cli.Tests
{
    /// <summary>
    /// What `evaluate` recalculates when it loads an export, exactly as docs/evaluate-data.md says (issue 22, point 8): a
    /// line with a price and a quantity gets its amounts as Dataverse computes them (extendedamount = baseamount −
    /// manualdiscountamount − volumediscountamount + tax, learn.microsoft.com/en-us/dynamics365/sales/developer/entities/opportunityproduct),
    /// replacing the file's; a line without keeps them; money is converted at its currency's rate, which replaces a rate
    /// the row gives.
    /// </summary>
    [TestFixture]
    public sealed class EvaluateRecalculationTests
    {
        private string _dir = null!;

        [SetUp]
        public void TempFolder() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "dealrisk-recalc-" + Guid.NewGuid().ToString("N")));

        [TearDown]
        public void CleanUp() => Directory.Delete(_dir, recursive: true);

        [Test]
        public void Evaluate_RecalculatesPricedLines_KeepsUnpricedOnes_AndConvertsAtTheCurrencysRate()
        {
            // In kroner, at 10 NOK to the base currency (the row's stale rate of 7 is replaced by the currency's).
            // Priced line: 10 × 1,000 = 10,000 − 1,000 discount + 1,800 tax = 10,800 (the file's 1 is replaced); revenue 9,000.
            // Unpriced line: its 5,000 is kept. Revenue 14,000 NOK = 1,400 base. Cost 15 units × 50 = 750; commission
            // 5 % × 1,400 = 70. Margin 1,400 − 750 − 70 = 580 base = 41.43 %, written as 5,800 NOK.
            var file = Path.Combine(_dir, "recalc.json");
            File.WriteAllText(file, @"{
  ""transactioncurrency"": [
    { ""transactioncurrencyid"": ""e0000000-0000-0000-0000-0000000000c2"", ""isocurrencycode"": ""NOK"", ""currencyname"": ""Norwegian krone"", ""exchangerate"": 10, ""currencyprecision"": 2 }
  ],
  ""product"": [ { ""productid"": ""e0000000-0000-0000-0000-000000000020"", ""name"": ""Cloud subscription"", ""currentcost"": 50 } ],
  ""opportunity"": [
    { ""opportunityid"": ""e0000000-0000-0000-0000-000000000001"", ""name"": ""Krone deal"", ""estimatedvalue"": 14000, ""estimatedclosedate"": ""2027-01-15"",
      ""salesstage"": 1, ""transactioncurrencyid"": ""transactioncurrency:e0000000-0000-0000-0000-0000000000c2"", ""exchangerate"": 7 }
  ],
  ""opportunityproduct"": [
    { ""opportunityproductid"": ""e0000000-0000-0000-0000-000000000061"", ""opportunityid"": ""e0000000-0000-0000-0000-000000000001"",
      ""productid"": ""e0000000-0000-0000-0000-000000000020"", ""quantity"": 10, ""priceperunit"": 1000, ""manualdiscountamount"": 1000, ""tax"": 1800,
      ""baseamount"": 1, ""extendedamount"": 1, ""transactioncurrencyid"": ""transactioncurrency:e0000000-0000-0000-0000-0000000000c2"" },
    { ""opportunityproductid"": ""e0000000-0000-0000-0000-000000000062"", ""opportunityid"": ""e0000000-0000-0000-0000-000000000001"",
      ""productid"": ""e0000000-0000-0000-0000-000000000020"", ""quantity"": 5, ""baseamount"": 5000, ""extendedamount"": 5000,
      ""transactioncurrencyid"": ""transactioncurrency:e0000000-0000-0000-0000-0000000000c2"" }
  ]
}");

            var outcome = EvaluateCommand.Run(file, _dir, "2026-11-23", TextWriter.Null);

            Assert.That((outcome.Evaluated, outcome.Failed), Is.EqualTo((1, 0)));
            var lines = outcome.Org.All("opportunityproduct").ToDictionary(l => l.Id.ToString().Substring(24), l => l);
            Assert.That(lines["000000000061"].GetAttributeValue<Money>("extendedamount").Value, Is.EqualTo(10_800m), "recalculated from price, quantity, discount and tax");
            Assert.That(lines["000000000061"].GetAttributeValue<Money>("baseamount").Value, Is.EqualTo(10_000m));
            Assert.That(lines["000000000062"].GetAttributeValue<Money>("extendedamount").Value, Is.EqualTo(5_000m), "no price: kept as given");
            var deal = outcome.Org.All("opportunity").Single();
            Assert.That(deal.GetAttributeValue<decimal>("exchangerate"), Is.EqualTo(10m), "the currency's rate, not the row's 7");
            Assert.That(deal.GetAttributeValue<decimal?>("dr_marginpercent"), Is.EqualTo(41.43m));
            Assert.That(deal.GetAttributeValue<Money>("dr_marginamount").Value, Is.EqualTo(5_800m));
        }
    }
}
