using System.IO;
using System.Linq;
using System.Xml.Linq;
using CrmPlugins.SolutionModel;
using NUnit.Framework;

namespace CrmPlugins.Solution.Tests
{
    /// <summary>
    /// The demand ledger's status reasons: a save's change row keeps the default Active (1), a row the sweep's fold wrote is
    /// Folded, a second status reason of the Active state, so the fold picks the rows it has still to fold with a condition
    /// on statuscode (no second column, nothing a save has to write).
    /// </summary>
    [TestFixture]
    public sealed class DemandLedgerStatusTests
    {
        private static (int Value, int State, string Label)[] Statuses() =>
            XDocument.Load(Path.Combine(Repo.SolutionFolder, "Entities", "dr_DemandEntry", "Entity.xml"))
                .Descendants("attribute").Single(a => (string?)a.Element("LogicalName") == "statuscode")
                .Descendants("status")
                .Select(s => ((int)s.Attribute("value")!, (int)s.Attribute("state")!, (string)s.Descendants("label").First().Attribute("description")!))
                .ToArray();

        [Test]
        public void DemandEntry_HasActiveAndFoldedInTheActiveState_AndInactive()
        {
            Assert.That(Statuses(), Is.EqualTo(new[] { (1, 0, "Active"), (598700000, 0, "Folded"), (2, 1, "Inactive") }));
        }

        /// <summary>
        /// A status reason the platform adds gets its value from the publisher's option value prefix: "If a null value is
        /// passed the system will generate a new value. The new value will include the option value prefix"
        /// (learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.messages.insertstatusvaluerequest.value); the first such value
        /// is the prefix followed by 0000, as the suite's own choices already number theirs (dr_requirementfit 598700000).
        /// </summary>
        [Test]
        public void Folded_IsNumberedFromThePublishersOptionValuePrefix()
        {
            var prefix = SolutionSource.Load(Repo.SolutionFolder).Manifest.OptionValuePrefix;
            var folded = Statuses().Single(s => s.Label == "Folded");

            Assert.That(prefix, Is.EqualTo(59870));
            Assert.That(folded.Value, Is.EqualTo(prefix * 10_000));
            var requirementFit = XDocument.Load(Path.Combine(Repo.SolutionFolder, "OptionSets", "dr_requirementfit.xml")).Descendants("option").Select(o => (int)o.Attribute("value")!).Min();
            Assert.That(requirementFit, Is.EqualTo(folded.Value), "the same numbering as the suite's first choice");
        }
    }
}
