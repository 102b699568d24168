using System;
using System.IO;
using System.Linq;
using CrmPlugins.Emulator.Pipeline;
using CrmPlugins.SolutionModel;
using Microsoft.Xrm.Sdk;
using NUnit.Framework;

namespace CrmPlugins.Emulator.Tests.Pipeline
{
    public class SolutionStepsTests
    {
        private string _folder = null!;

        [SetUp]
        public void SetUp()
        {
            _folder = Path.Combine(Path.GetTempPath(), "emulator-solution-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path.Combine(_folder, "SdkMessageProcessingSteps"));
            RecordingPlugin.Seen.Clear();
        }

        [TearDown]
        public void TearDown() => Directory.Delete(_folder, recursive: true);

        private void WriteStep(string name, string pluginType, string messageId, string entity, int stage, string filtering = "", string images = "")
        {
            var id = Guid.NewGuid();
            var braced = "{" + id + "}";
            File.WriteAllText(Path.Combine(_folder, "SdkMessageProcessingSteps", braced + ".xml"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <SdkMessageProcessingStep Name="{name}" SdkMessageProcessingStepId="{braced}">
                  <PluginTypeName>{pluginType}, Emulator.Tests, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null</PluginTypeName>
                  <PrimaryEntity>{entity}</PrimaryEntity>
                  <AsyncAutoDelete>0</AsyncAutoDelete>
                  <Configuration>from the solution</Configuration>
                  <FilteringAttributes>{filtering}</FilteringAttributes>
                  <InvocationSource>0</InvocationSource>
                  <Mode>0</Mode>
                  <Rank>1</Rank>
                  <SdkMessageId>{messageId}</SdkMessageId>
                  <EventHandlerTypeCode>4602</EventHandlerTypeCode>
                  <Stage>{stage}</Stage>
                  <IsCustomizable>1</IsCustomizable>
                  <IsHidden>0</IsHidden>
                  <SupportedDeployment>0</SupportedDeployment>
                  <IntroducedVersion>1.0</IntroducedVersion>
                  <SdkMessageProcessingStepImages>{images}</SdkMessageProcessingStepImages>
                </SdkMessageProcessingStep>
                """);
        }

        [Test]
        public void RegisterFromSolution_RunsTheDeclaredStepWithItsFilteringAndImages()
        {
            WriteStep("RecordingPlugin: Update of account", typeof(RecordingPlugin).FullName!, "20bebb1b-ea3e-db11-86a7-000a3a5473e8", "account", 40, "name",
                """<SdkMessageProcessingStepImage Name="PreImage"><Attributes>name</Attributes><EntityAlias>PreImage</EntityAlias><ImageType>0</ImageType><MessagePropertyName>Target</MessagePropertyName></SdkMessageProcessingStepImage>""");
            var org = new XrmOrganization();
            var steps = org.RegisterFromSolution(_folder, typeof(RecordingPlugin).Assembly);
            var service = org.GetOrganizationService();
            var id = service.Create(new Entity("account") { ["name"] = "old", ["fax"] = "1" });

            service.Update(new Entity("account", id) { ["fax"] = "2" });
            service.Update(new Entity("account", id) { ["name"] = "new" });

            Assert.That(steps.Single().Message, Is.EqualTo("Update"));
            Assert.That(steps.Single().UnsecureConfiguration, Is.EqualTo("from the solution"));
            var context = RecordingPlugin.Seen.Single();
            Assert.That(context.PreEntityImages["PreImage"]["name"], Is.EqualTo("old"));
        }

        [Test]
        public void RegisterFromSolution_TakesMessagesWithoutAWellKnownIdFromTheStepName()
        {
            WriteStep("RecordingPlugin: CreateMultiple of account", typeof(RecordingPlugin).FullName!, "00000000-0000-0000-0000-000000000001", "account", 20);
            var org = new XrmOrganization();

            var step = org.RegisterFromSolution(_folder, typeof(RecordingPlugin).Assembly).Single();

            Assert.That(step.Message, Is.EqualTo("CreateMultiple"));
        }

        [Test]
        public void RegisterFromSolution_UnknownPluginType_FailsNamingFileAndType()
        {
            WriteStep("Ghost: Create of account", "Nope.GhostPlugin", "9ebdbb1b-ea3e-db11-86a7-000a3a5473e8", "account", 20);
            var org = new XrmOrganization();

            var error = Assert.Throws<SolutionFormatException>(() => org.RegisterFromSolution(_folder, typeof(RecordingPlugin).Assembly))!;

            Assert.That(error.Message, Does.Contain("Nope.GhostPlugin"));
            Assert.That(error.File, Does.EndWith(".xml"));
        }

        [Test]
        public void Load_MalformedStep_FailsWithTheFileNamed()
        {
            var file = Path.Combine(_folder, "SdkMessageProcessingSteps", "broken.xml");
            File.WriteAllText(file, "<SdkMessageProcessingStep");

            var error = Assert.Throws<SolutionFormatException>(() => StepRegistration.LoadAll(_folder))!;

            Assert.That(error.File, Is.EqualTo(file));
            Assert.That(error.Problem, Does.Contain("malformed"));
        }
    }
}
