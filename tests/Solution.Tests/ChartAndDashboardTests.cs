using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;
using CrmPlugins.SolutionModel;
using NUnit.Framework;

namespace CrmPlugins.Solution.Tests
{
    /// <summary>
    /// The system charts and the Deal Risk dashboard, in the layout a real export has them. Facts taken from Microsoft's own
    /// unpacked solution, microsoft/coe-starter-kit (CenterofExcellenceCoreComponents/SolutionPackage/src):
    /// - a chart is Entities/&lt;table&gt;/Visualizations/{id}.xml, root &lt;visualization&gt; with savedqueryvisualizationid,
    ///   datadescription holding &lt;datadefinition&gt;&lt;fetchcollection&gt;&lt;fetch aggregate="true"&gt; and &lt;categorycollection&gt;
    ///   as elements (not escaped text), presentationdescription holding &lt;Chart&gt;&lt;Series&gt;&lt;Series ChartType=".."&gt;,
    ///   then isdefault, LocalizedNames, IsCustomizable, IntroducedVersion, CanBeDeleted
    ///   (Entities/admin_Maker/Visualizations/{E3360984-0571-E911-A833-000D3A375590}.xml at ea811d5f28659cd930e76b410291c4c3a1bdf538);
    /// - a dashboard is Dashboards/{formid}.xml, root &lt;Dashboard&gt; with LocalizedNames, FormId, IsCustomizable, IsDefault,
    ///   FormXml/forms type="dashboard", IntroducedVersion, IsTabletEnabled; a chart cell is a subgrid control
    ///   (classid {E7A81278-8635-4d9e-8D4D-59480B391C5B}) with TargetEntityType, ViewId and VisualizationId
    ///   (Dashboards/{cf839870-ff70-e911-a833-000d3a375590}.xml at a80ed90cd556315aa79aad333a1c71909276ef3e), the dashboard is
    ///   a root component of type 60 and Other/Customizations.xml has a &lt;Dashboards /&gt; slot after &lt;optionsets /&gt;
    ///   (Other/Solution.xml at 02dcb64d24f6dde91d3b59d4dd11e9f0e2355fe1, Other/Customizations.xml at 050826dfb078dd46f0f43ecd1b007c281016689f).
    /// That Entity.xml needs a &lt;Visualizations /&gt; slot for the packer to place the charts was found with Microsoft's
    /// SolutionPackager itself (MicrosoftPackagerTests). A dashboard's site map entry (DefaultDashboard with
    /// Url="/workplace/home_dashboards.aspx") is checked against SiteMapType.xsd, which declares SubArea/@DefaultDashboard.
    /// </summary>
    [TestFixture]
    public sealed class ChartAndDashboardTests
    {
        private static readonly string[] ExpectedCharts =
        {
            "opportunity:Open pipeline by overall risk", "opportunity:Risk by owner", "opportunity:Revenue flagged by finding",
            "dr_riskalert:Open alerts by recipient and age", "dr_riskhistory:Verdict changes over time",
        };

        private SolutionSource _source = null!;

        [OneTimeSetUp]
        public void Load() => _source = SolutionSource.Load(Repo.SolutionFolder);

        [Test]
        public void Solution_ShipsTheFiveCharts_OnTheirTables()
        {
            var charts = _source.Tables.SelectMany(t => t.Charts.Select(c => $"{t.LogicalName}:{c.Name}")).ToList();

            Assert.That(charts, Is.EquivalentTo(ExpectedCharts));
        }

        [Test]
        public void Charts_PassTheStructureChecks_AndTheirFetchValidatesAgainstMicrosoftsFetchSchema()
        {
            Assert.That(ChartChecks.Problems(_source), Is.Empty);
            foreach (var chart in _source.Tables.SelectMany(t => t.Charts))
                Assert.That(SchemaCheck.Fetch(chart.Fetch), Is.Empty, chart.Name);
        }

        [Test]
        public void Dashboard_ShowsEveryChart_BesideTheFourViews()
        {
            var dashboard = _source.Dashboards.Single();
            var views = _source.Tables.SelectMany(t => t.Views).ToDictionary(v => v.Id, v => v.Name);

            Assert.That(dashboard.Name, Is.EqualTo("Deal Risk"));
            Assert.That(dashboard.Cells.Select(c => c.ChartId).OfType<Guid>(), Is.EquivalentTo(_source.Tables.SelectMany(t => t.Charts).Select(c => c.Id)));
            Assert.That(dashboard.Cells.Where(c => c.ChartId == null).Select(c => views[c.ViewId]),
                Is.EquivalentTo(new[] { "Flagged opportunities", "My team's risky deals", "My open risk alerts", "Stalled or past due deals" }));
        }

        [Test]
        public void Dashboard_IsARootComponent_InTheAppAndItsSiteMap()
        {
            var id = _source.Dashboards.Single().FormId;
            var roots = _source.Manifest.RootComponents.Where(r => (string?)r.Attribute("type") == "60").Select(r => Guid.Parse((string)r.Attribute("id")!));
            var siteMap = XDocument.Load(Path.Combine(_source.Folder, "AppModuleSiteMaps", "dr_DealRisk", "AppModuleSiteMap.xml"));
            var subArea = siteMap.Descendants("SubArea").Single(s => s.Attribute("DefaultDashboard") != null);

            Assert.That(roots, Is.EqualTo(new[] { id }));
            Assert.That(Guid.Parse((string)subArea.Attribute("DefaultDashboard")!), Is.EqualTo(id));
            Assert.That((string?)subArea.Attribute("Url"), Is.EqualTo("/workplace/home_dashboards.aspx"));
            Assert.That(SolutionLayout.Validate(_source), Is.Empty);
        }

        [Test]
        public void Pack_PutsTheChartsUnderTheirTables_AndTheDashboardInItsSlot()
        {
            var customizations = SolutionPacker.BuildCustomizations(_source).Root!;
            var charts = customizations.Element("Entities")!.Elements("Entity")
                .SelectMany(e => (e.Element("Visualizations")?.Elements("visualization") ?? Enumerable.Empty<XElement>()).Select(v => Guid.Parse((string)v.Element("savedqueryvisualizationid")!)));
            var dashboards = customizations.Element("Dashboards")!.Elements("Dashboard").Select(d => Guid.Parse((string)d.Element("FormId")!));
            var order = customizations.Elements().Select(e => e.Name.LocalName).ToList();

            Assert.That(charts, Is.EquivalentTo(_source.Tables.SelectMany(t => t.Charts).Select(c => c.Id)));
            Assert.That(dashboards, Is.EqualTo(new[] { _source.Dashboards.Single().FormId }));
            Assert.That(order.IndexOf("Dashboards"), Is.EqualTo(order.IndexOf("optionsets") + 1));
        }

        [Test]
        public void Layout_WhenEntityXmlHasNoVisualizationsSlot_SaysMicrosoftsPackerWouldDropTheCharts()
        {
            using var broken = BrokenSolution.With(s => s.ReplaceText("Entities/dr_RiskAlert/Entity.xml", "  <Visualizations />\n", ""));

            Assert.That(SolutionLayout.Validate(broken.Load()), Has.Some.Contains("Entities/dr_RiskAlert/Entity.xml: <Visualizations /> is missing"));
        }

        [Test]
        public void ChartChecks_WhenAMeasureNamesNoAliasOfTheFetch_RejectTheChart()
        {
            using var broken = BrokenSolution.With(s => s.ReplaceText(s.Single("Entities/dr_RiskHistory/Visualizations", "*.xml"), "<measure alias=\"changes\" />", "<measure alias=\"verdicts\" />"));

            Assert.That(ChartChecks.Problems(broken.Load()), Has.One.Contains("the measure 'verdicts' is not an aggregate alias"));
        }

        [Test]
        public void ChartChecks_WhenAChartReadsAColumnItsTableLacks_RejectTheChart()
        {
            using var broken = BrokenSolution.With(s => s.ReplaceText(s.Single("Entities/dr_RiskAlert/Visualizations", "*.xml"), "name=\"dr_recipientid\"", "name=\"dr_recipient\""));

            Assert.That(ChartChecks.Problems(broken.Load()), Has.Some.Contains("'dr_recipient', which is not a column of dr_riskalert"));
        }

        [Test]
        public void ChartChecks_WhenTheDashboardShowsAViewNobodyShips_SayWhich()
        {
            using var broken = BrokenSolution.With(s => s.ReplaceText(s.Single("Dashboards", "*.xml"), "{17F55A47-A7E0-5D16-B078-8DF24F3411E5}</ViewId>", "{17F55A47-A7E0-5D16-B078-8DF24F3411E6}</ViewId>"));

            Assert.That(ChartChecks.Problems(broken.Load()), Has.One.Contains("the view {17f55a47-a7e0-5d16-b078-8df24f3411e6} of dr_riskalert"));
        }

        [Test]
        public void Schema_WhenAChartsIsDefaultIsNotZeroOrOne_RejectsIt()
        {
            using var broken = BrokenSolution.With(s => s.ReplaceText(s.Single("Entities/dr_RiskHistory/Visualizations", "*.xml"), "<isdefault>0</isdefault>", "<isdefault>perhaps</isdefault>"));

            SchemaTests.AssertRejected(broken, "perhaps");
        }

        [Test]
        public void Schema_WhenADashboardChartCellSaysIsUserChartMaybe_RejectsIt()
        {
            // FormXml.xsd types IsUserChart as a boolean (ChartGridMode is a plain string there, so it proves nothing).
            using var broken = BrokenSolution.With(s => s.ReplaceText(s.Single("Dashboards", "*.xml"), "<IsUserChart>false</IsUserChart>", "<IsUserChart>maybe</IsUserChart>"));

            SchemaTests.AssertRejected(broken, "maybe");
        }

        [Test]
        public void Schema_WhenAChartsFetchHasAnUnknownAggregate_RejectsIt()
        {
            using var broken = BrokenSolution.With(s => s.ReplaceText(s.Single("Entities/dr_RiskHistory/Visualizations", "*.xml"), "aggregate=\"count\"", "aggregate=\"median\""));
            var chart = broken.Load().Table("dr_riskhistory")!.Charts.Single();

            Assert.That(SchemaCheck.Fetch(chart.Fetch), Has.Some.Contains("median"));
        }

        [Test]
        public void Zip_HoldsTheChartsAndTheDashboard()
        {
            var folder = Directory.CreateTempSubdirectory("dealrisk-charts-").FullName;
            try
            {
                var zips = SolutionPacker.Pack(_source, Repo.BuiltAssemblies, folder);
                foreach (var zip in new[] { zips.UnmanagedZip, zips.ManagedZip })
                {
                    var customizations = Zips.ReadXml(zip, "customizations.xml").Root!;
                    Assert.That(customizations.Descendants("visualization").Count(), Is.EqualTo(ExpectedCharts.Length), zip);
                    Assert.That(customizations.Element("Dashboards")!.Elements("Dashboard").Count(), Is.EqualTo(1), zip);
                    Assert.That(Zips.ReadXml(zip, "solution.xml").Descendants("RootComponent").Count(r => (string?)r.Attribute("type") == "60"), Is.EqualTo(1), zip);
                }
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
