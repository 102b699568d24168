using System;
using CrmPlugins.Emulator.Pipeline;
using NUnit.Framework;

namespace CrmPlugins.Emulator.Tests.Pipeline
{
    public sealed class PluginStepTests
    {
        [Test]
        public void WithPluginType_KeepsTheWholeRegistration_AndRunsTheOtherType()
        {
            var step = new PluginStep("shipped", typeof(RecordingPlugin), "Update", "account", Stages.PreOperation)
            {
                Rank = 3,
                UnsecureConfiguration = "unsecure",
                SecureConfiguration = "secure",
                RunAsUserId = Guid.NewGuid(),
                AsyncAutoDelete = true,
                Enabled = false,
            }.WithFilteringAttributes("name").WithImage("PreImage", ImageType.PreImage, "name");

            var copy = step.WithPluginType(typeof(UpperCaseNamePlugin));

            Assert.That(copy.PluginType, Is.EqualTo(typeof(UpperCaseNamePlugin)));
            Assert.That((copy.Name, copy.Message, copy.PrimaryEntity, copy.Stage, copy.Mode), Is.EqualTo((step.Name, step.Message, step.PrimaryEntity, step.Stage, step.Mode)));
            Assert.That((copy.Id, copy.Rank, copy.UnsecureConfiguration, copy.SecureConfiguration, copy.RunAsUserId, copy.AsyncAutoDelete, copy.Enabled),
                Is.EqualTo((step.Id, step.Rank, step.UnsecureConfiguration, step.SecureConfiguration, step.RunAsUserId, step.AsyncAutoDelete, step.Enabled)));
            Assert.That(copy.FilteringAttributes, Is.EqualTo(step.FilteringAttributes));
            Assert.That(copy.Images, Is.EqualTo(step.Images));
        }
    }
}
