using System;
using System.IO;
using System.Linq;
using DealRisk.Cli.Evaluate;
using DealRisk.Plugins.Ledger;
using DealRisk.Plugins.Schema;
using Microsoft.Xrm.Sdk;
using NUnit.Framework;

namespace DealRisk.Cli.Tests
{
    /// <summary>dealrisk evaluate builds the demand ledger from the data's deals, never from the ledger rows the data carries.</summary>
    [TestFixture]
    public sealed class EvaluateLedgerTests
    {
        private string _dir = null!;

        [SetUp]
        public void TempFolder() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "dealrisk-ledger-" + Guid.NewGuid().ToString("N")));

        [TearDown]
        public void CleanUp() => Directory.Delete(_dir, recursive: true);

        [Test]
        public void Evaluate_DataCarryingLedgerRows_LeavesThemOut_AndRebuildsTheLedgerFromTheDeals()
        {
            var data = Path.Combine(_dir, "data");
            Directory.CreateDirectory(data);
            File.WriteAllText(Path.Combine(data, "product.csv"),
                "productid,name,currentcost,dr_deliveryhoursperunit,dr_deliveryrole\ne0000000-0000-0000-0000-000000000021,Onboarding package,2500,60,Consultant\n");
            // Two open deals closing on 15 Jan, one won on 10 Nov (inside the 90 + 31 days before 23 Nov), one lost. The
            // second open deal carries a dr_demandposted text claiming 9,999 hours, and the file an invented ledger row.
            File.WriteAllText(Path.Combine(data, "opportunity.csv"),
                "opportunityid,name,estimatedclosedate,closeprobability,statecode,statuscode,actualclosedate,dr_demandposted\n" +
                "e0000000-0000-0000-0000-000000000051,Open at 60%,2027-01-15,60,0,1,,\n" +
                "e0000000-0000-0000-0000-000000000052,Open at 25%,2027-01-15,25,0,1,,v1;w=1;d=2027-01-15;Consultant=9999\n" +
                "e0000000-0000-0000-0000-000000000053,Won,2026-11-10,100,1,3,2026-11-10,\n" +
                "e0000000-0000-0000-0000-000000000054,Lost,2026-11-10,0,2,4,2026-11-10,\n");
            File.WriteAllText(Path.Combine(data, "opportunityproduct.csv"),
                "opportunityproductid,opportunityid,productid,quantity,priceperunit\n" +
                "e0000000-0000-0000-0000-000000000061,e0000000-0000-0000-0000-000000000051,e0000000-0000-0000-0000-000000000021,2,5000\n" +
                "e0000000-0000-0000-0000-000000000062,e0000000-0000-0000-0000-000000000052,e0000000-0000-0000-0000-000000000021,1,5000\n" +
                "e0000000-0000-0000-0000-000000000063,e0000000-0000-0000-0000-000000000053,e0000000-0000-0000-0000-000000000021,1,5000\n" +
                "e0000000-0000-0000-0000-000000000064,e0000000-0000-0000-0000-000000000054,e0000000-0000-0000-0000-000000000021,3,5000\n");
            File.WriteAllText(Path.Combine(data, "dr_demandentry.csv"),
                "dr_demandentryid,dr_name,dr_role,dr_day,dr_weightedhours\ne0000000-0000-0000-0000-000000000071,Invented,Consultant,2027-01-15,5000\n");
            var log = new StringWriter();
            var error = new StringWriter();

            var outcome = EvaluateCommand.Run(data, Path.Combine(_dir, "out"), "2026-11-23", log, error: error);

            // Consultant, 15 Jan: 120 h × 0.6 = 72 and 60 h × 0.25 = 15: 87. Consultant, 10 Nov: the won deal's 60 h in full.
            var ledger = outcome.Org.All(DemandEntryTable.EntityName);
            Assert.That(ledger.Select(r => r.GetAttributeValue<OptionSetValue>(DemandEntryTable.StateCode).Value), Has.All.EqualTo(LedgerFold.Active), "no folded row kept beside");
            Assert.That(ledger.Select(DemandLedger.Entry).Select(e => (e!.Role, e.Day, e.WeightedHours)).OrderBy(e => e.Day), Is.EqualTo(new (string, DateTime?, decimal)[]
            {
                ("Consultant", new DateTime(2026, 11, 10), 60m),
                ("Consultant", new DateTime(2027, 1, 15), 87m),
            }));
            Assert.That(outcome.Org.Get(Opportunity.EntityName, new Guid("e0000000-0000-0000-0000-000000000052"))!.GetAttributeValue<string>(Opportunity.DemandPosted),
                Is.EqualTo("v1;w=0.25;d=2027-01-15;Consultant=60"));
            Assert.That(outcome.Ledger!.Deals, Is.EqualTo(3), "the two open deals and the won one");
            Assert.That(log.ToString(), Does.Contain("Left out 1 dr_demandentry row(s) and 1 dr_demandposted value(s): the demand ledger is rebuilt from the deals."));
            Assert.That(log.ToString(), Does.Contain("Built the demand ledger: 3 deal(s) read in 1 page(s), 2 role-day change(s) posted, 0 folded row(s) deleted."));
            Assert.That(error.ToString(), Does.Contain("Building the demand ledger: 3 of 3 (100%)").And.Match(@"Time: .*seed [0-9.]+ s, ledger [0-9.]+ s, judging"));
            Assert.That(outcome.Evaluated, Is.EqualTo(2));
        }

        [Test]
        public void Evaluate_OfAnOrgLargerThanAPage_RebuildsPageByPage_AndDeletesTheFoldedRows()
        {
            // 1,500 open deals at 50% on one close day, one package each: two pages of the API, the second folding into
            // the first's row. 1,500 × 60 h × 0.5 = 45,000 h, in one active row and nothing beside.
            var data = Path.Combine(_dir, "data");
            Directory.CreateDirectory(data);
            File.WriteAllText(Path.Combine(data, "product.csv"),
                "productid,name,currentcost,dr_deliveryhoursperunit,dr_deliveryrole\ne0000000-0000-0000-0000-000000000021,Onboarding package,2500,60,Consultant\n");
            using (var deals = new StreamWriter(Path.Combine(data, "opportunity.csv")))
            using (var lines = new StreamWriter(Path.Combine(data, "opportunityproduct.csv")))
            {
                deals.WriteLine("opportunityid,name,estimatedclosedate,closeprobability");
                lines.WriteLine("opportunityproductid,opportunityid,productid,quantity");
                for (var i = 1; i <= 1500; i++)
                {
                    deals.WriteLine($"e0000000-0000-0000-0001-{i:x12},Deal {i},2027-01-15,50");
                    lines.WriteLine($"e0000000-0000-0000-0002-{i:x12},e0000000-0000-0000-0001-{i:x12},e0000000-0000-0000-0000-000000000021,1");
                }
            }

            var outcome = EvaluateCommand.Run(data, Path.Combine(_dir, "out"), "2026-11-23", TextWriter.Null);

            // Each page folds its change straight into the ledger (LedgerFold.Post): no change row is written to be deactivated.
            Assert.That(outcome.Ledger, Is.EqualTo(new EvaluateLedger.Built(Deals: 1500, Entries: 2, Pages: 2, RowsDeleted: 1)),
                "the first page's row, replaced by the second with both pages' hours; the one row it deactivated deleted");
            var ledger = outcome.Org.All(DemandEntryTable.EntityName);
            Assert.That(ledger.Select(DemandLedger.Entry).Select(e => (e!.Role, e.Day, e.WeightedHours)), Is.EqualTo(new (string, DateTime?, decimal)[] { ("Consultant", new DateTime(2027, 1, 15), 45_000m) }));
        }
    }
}
