using System;
using System.Linq;
using System.Xml.Linq;
using CrmPlugins.SolutionModel;
using NUnit.Framework;

namespace CrmPlugins.Solution.Tests
{
    /// <summary>
    /// The alert workflow's XAML in the shape Dataverse's designer writes, compared with the real export's workflow that
    /// calls a custom activity (phuocle/Dynamics-Crm-DevKit@833a2cab, Solutions-Extract/TestPluginWorkflowCustomActionCustomApi_1.0.0000.0.zip,
    /// Workflows/TestAccount-3E6CA9B9-EDB0-4731-94D6-26B96E2DF4CF.xaml), and the shapes Dataverse refuses.
    /// </summary>
    [TestFixture]
    public sealed class WorkflowShapeTests
    {
        private const string X = "http://schemas.microsoft.com/winfx/2006/xaml";
        private const string CrmWorkflow = "Microsoft.Crm.Workflow, Version=9.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35";

        /// <summary>The namespace prefixes the designer declares across the export's workflows (mva, mxs, mxsw, mxswa, s, scg, sco, srs, this, x).</summary>
        private static readonly string[] DesignerPrefixes = { "mva", "mxs", "mxsw", "mxswa", "s", "scg", "sco", "srs", "this", "x" };

        private static SolutionSource Source => SolutionSource.Load(Repo.SolutionFolder);

        private static WorkflowDefinition Alert => Source.Workflows.Single();

        private static XElement Xaml(WorkflowDefinition wf) => XElement.Load(wf.XamlFile);

        /// <summary>The frame of a custom activity step, as text: the composite, its variables, the kinds of its activities, the call's arguments.</summary>
        private static string[] Frame(XElement xaml)
        {
            var read = WorkflowXaml.Read(xaml);
            var step = read.Steps.Single();
            var call = step.Activities.OfType<CustomActivityCall>().Single();
            return new[] { "Composite " + step.DisplayName.Split(':')[0], "Variables " + string.Join(",", step.Variables), "Last " + step.Activities.Last().GetType().Name }
                .Concat(call.Arguments.Select(a => $"{(a.IsOutput ? "Out" : "In")}Argument {a.TypeArgument} {a.Expression}")).ToArray();
        }

        [Test]
        public void AlertWorkflow_HasNothingDataverseRefuses()
        {
            Assert.That(Alert.Xaml.Problems, Is.Empty);
        }

        [Test]
        public void AlertWorkflow_StepIsAComposite_WithItsVariablesInTheVariablesCollection_AsTheDesignerWrites()
        {
            var step = Xaml(Alert).Descendants().Single(e => e.Name.LocalName == "Workflow").Elements().Single();

            Assert.That((string?)step.Attribute("AssemblyQualifiedName"), Is.EqualTo("Microsoft.Crm.Workflow.Activities.Composite, " + CrmWorkflow));
            Assert.That((string?)step.Attribute("DisplayName"), Does.StartWith("CustomActivityStep1: "));
            var collections = step.Descendants().Where(e => e.Name.LocalName == "Collection" && e.Parent!.Name.LocalName == "ActivityReference.Properties").ToList();
            Assert.That(collections.Select(c => (string?)c.Attribute(XName.Get("Key", X))), Is.EqualTo(new[] { "Variables", "Activities" }));
            Assert.That(collections[0].Elements().Select(v => (string?)v.Attribute("Name")), Is.EqualTo(new[] { "CustomActivityStep1_1", "CustomActivityStep1_2", "CustomActivityStep1_1_converted" }));
            Assert.That(step.Descendants().Select(e => e.Name.LocalName), Has.None.EqualTo("Sequence").And.None.EqualTo("Sequence.Variables"));
        }

        [Test]
        public void AlertWorkflow_CallsTheActivityByItsRegisteredAssemblyQualifiedName_WithoutANamespaceForTheAssembly()
        {
            var registered = Source.PluginAssemblies.Single(p => p.Name == "DealRisk.WorkflowActivities");
            var registeredName = XDocument.Load(registered.DataFile).Descendants("PluginType")
                .Select(t => (string)t.Attribute("AssemblyQualifiedName")!).Single(n => n.StartsWith("DealRisk.WorkflowActivities.RaiseRiskAlert,", StringComparison.Ordinal));
            var xaml = Xaml(Alert);

            var call = xaml.Descendants().Where(e => e.Name.LocalName == "ActivityReference").Last();
            Assert.That((string?)call.Attribute("AssemblyQualifiedName"), Is.EqualTo(registeredName));
            var prefixes = xaml.Attributes().Where(a => a.IsNamespaceDeclaration && a.Name.Namespace == XNamespace.Xmlns).Select(a => a.Name.LocalName);
            Assert.That(prefixes, Is.SubsetOf(DesignerPrefixes), "only the namespaces Dataverse's designer declares");
            Assert.That(xaml.ToString(), Does.Not.Contain("assembly=DealRisk"));
        }

        [Test]
        public void AlertWorkflow_PassesTheDealAsAnEntityReference_InVbWithTheFullTypeName()
        {
            var arguments = Frame(Xaml(Alert)).Where(f => f.Contains("Argument ", StringComparison.Ordinal));

            Assert.That(arguments, Is.EqualTo(new[] { "InArgument mxs:EntityReference [DirectCast(CustomActivityStep1_1_converted, Microsoft.Xrm.Sdk.EntityReference)]" }));
        }

        [Test]
        public void AlertWorkflow_HasTheFrameOfTheRealExportsCustomActivityStep()
        {
            var real = RealExport.CustomActivityWorkflow();

            Assert.That(WorkflowXaml.Read(real).Problems, Is.Empty, "the reader accepts the designer's own XAML");
            Assert.That(Frame(Xaml(Alert)), Is.EqualTo(Frame(real)));
            var realPrefixes = real.Attributes().Where(a => a.IsNamespaceDeclaration && a.Name.Namespace == XNamespace.Xmlns).Select(a => a.Name.LocalName);
            var ourPrefixes = Xaml(Alert).Attributes().Where(a => a.IsNamespaceDeclaration && a.Name.Namespace == XNamespace.Xmlns).Select(a => a.Name.LocalName);
            Assert.That(ourPrefixes, Is.SubsetOf(realPrefixes.Append("sco")));
        }

        // The shape the workflow had before: the activity as an element of a clr-namespace for our assembly, a XAML prefix
        // inside VB, variables in a Sequence inside a StepComposite (which real exports use only in business process flows).
        private const string OldShape =
            "<Activity x:Class=\"XrmWorkflow1\" xmlns=\"http://schemas.microsoft.com/netfx/2009/xaml/activities\" xmlns:drwa=\"clr-namespace:DealRisk.WorkflowActivities;assembly=DealRisk.WorkflowActivities, Version=1.0.0.0, Culture=neutral, PublicKeyToken=8bfcff68930dcbc0\" " +
            "xmlns:mxs=\"clr-namespace:Microsoft.Xrm.Sdk;assembly=Microsoft.Xrm.Sdk, Version=9.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35\" xmlns:mxswa=\"clr-namespace:Microsoft.Xrm.Sdk.Workflow.Activities;assembly=Microsoft.Xrm.Sdk.Workflow, Version=9.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35\" " +
            "xmlns:sco=\"clr-namespace:System.Collections.ObjectModel;assembly=mscorlib, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089\" xmlns:x=\"http://schemas.microsoft.com/winfx/2006/xaml\">" +
            "<mxswa:Workflow><mxswa:ActivityReference AssemblyQualifiedName=\"Microsoft.Crm.Workflow.Activities.StepComposite, " + CrmWorkflow + "\" DisplayName=\"RaiseRiskAlertStep1: Raise\">" +
            "<mxswa:ActivityReference.Properties><sco:Collection x:TypeArguments=\"Variable\" x:Key=\"Variables\" /><sco:Collection x:TypeArguments=\"Activity\" x:Key=\"Activities\">" +
            "<Sequence DisplayName=\"RaiseRiskAlertStep1: Raise\"><Sequence.Variables><Variable x:TypeArguments=\"x:Object\" Name=\"RaiseRiskAlertStep1_1_converted\" /></Sequence.Variables>" +
            "<drwa:RaiseRiskAlert DisplayName=\"RaiseRiskAlertStep1: Raise\" Opportunity=\"[DirectCast(RaiseRiskAlertStep1_1_converted, mxs:EntityReference)]\" /></Sequence>" +
            "</sco:Collection></mxswa:ActivityReference.Properties></mxswa:ActivityReference></mxswa:Workflow></Activity>";

        [Test]
        public void OldShape_IsRefused_ForEachWayItIsNotTheDesigners()
        {
            var problems = WorkflowXaml.Read(XElement.Parse(OldShape)).Problems;

            Assert.That(problems, Has.Some.StartsWith("declares xmlns:drwa for the custom assembly DealRisk.WorkflowActivities"));
            Assert.That(problems, Has.Some.StartsWith("<RaiseRiskAlert> is a custom activity written as an element"));
            Assert.That(problems, Has.Some.StartsWith("the expression [DirectCast(RaiseRiskAlertStep1_1_converted, mxs:EntityReference)] uses the XAML prefix 'mxs:', which is not VB"));
            Assert.That(problems, Has.Some.Contains("is a Microsoft.Crm.Workflow.Activities.StepComposite, which Dataverse uses in business process flows"));
        }

        [TestCase("CustomActivityStep1_1_converted, Microsoft.Xrm.Sdk.EntityReference)]", "CustomActivityStep1_1_converted, mxs:EntityReference)]", "uses the XAML prefix 'mxs:', which is not VB")]
        [TestCase("<Variable x:TypeArguments=\"x:Object\" Name=\"CustomActivityStep1_1\" />", "", "declares CustomActivityStep1_1_converted without CustomActivityStep1_1")]
        [TestCase("<Variable x:TypeArguments=\"x:Object\" Name=\"CustomActivityStep1_2\" />", "", "uses the variable CustomActivityStep1_2, which its x:Key=\"Variables\" collection does not declare")]
        [TestCase("Activities.Composite,", "Activities.StepComposite,", "which Dataverse uses in business process flows")]
        public void AlertWorkflow_BrokenOneWay_IsRefusedWithTheReason(string find, string replace, string reason)
        {
            var text = System.IO.File.ReadAllText(Alert.XamlFile);
            Assert.That(text, Does.Contain(find), "the test no longer breaks anything");

            var problems = WorkflowXaml.Read(XElement.Parse(text.Replace(find, replace, StringComparison.Ordinal))).Problems;

            Assert.That(problems, Has.Some.Contains(reason));
        }
    }
}
