using System;
using System.Collections.Generic;
using System.Linq;
using System.ServiceModel;
using CrmPlugins.Emulator.Pipeline;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using NUnit.Framework;

namespace CrmPlugins.Emulator.Tests.Pipeline
{
    /// <summary>
    /// A request's parameters reach the pipeline as the serializer's round trip gives them. The boundary copies plain values
    /// itself and puts only the others through the serializer, one at a time; these tests hold that to a round trip of
    /// the whole collection (the general path) on generated bulk requests whose Targets sit beside a value that is not
    /// plain, and to the same refusal when a value does not serialize.
    /// </summary>
    public class BoundaryCopyTests
    {
        [SetUp]
        public void SetUp() => RecordingPlugin.Seen.Clear();

        [Test]
        public void UpdateMultiple_WithConcurrencyBehavior_ItsTargetsReachTheStepAsTheWholeRoundTripGivesThem_ForGeneratedBatches()
        {
            var random = new Random(31);
            for (var batch = 0; batch < 10; batch++)
            {
                RecordingPlugin.Seen.Clear();
                // The generated lookups point at rows this org does not hold: the request's values are the subject here.
                var org = new XrmOrganization { ValidateReferences = false };
                var targets = Enumerable.Range(0, random.Next(1, 30)).Select(_ => Generated.Row(random, "account", Generated.Id(random))).ToList();
                org.Seed(targets.Select(t => new Entity("account", t.Id) { ["name"] = "before" }));
                org.RegisterPlugin<RecordingPlugin>("UpdateMultiple", "account", Stages.PreValidation);
                var request = new UpdateMultipleRequest { Targets = new EntityCollection(targets) { EntityName = "account" }, ConcurrencyBehavior = ConcurrencyBehavior.Default };
                // The general path: the whole collection through the serializer, with the enum the request carries (the boundary
                // resolves every data contract of the SDK).
                var whole = Generated.RoundTrip(request.Parameters, typeof(ConcurrencyBehavior));

                org.GetOrganizationService().Execute(request);

                var seen = RecordingPlugin.Seen.Single().InputParameters;
                Assert.That(seen.Keys, Is.EqualTo(whole.Keys), $"batch {batch}");
                Assert.That(seen["ConcurrencyBehavior"], Is.EqualTo(whole["ConcurrencyBehavior"]));
                var given = ((EntityCollection)seen["Targets"]).Entities;
                var expected = ((EntityCollection)whole["Targets"]).Entities;
                Assert.That(given, Has.Count.EqualTo(expected.Count));
                for (var i = 0; i < given.Count; i++)
                {
                    Assert.That(Generated.Xml(given[i]), Is.EqualTo(Generated.Xml(expected[i])), $"batch {batch}, target {i}");
                    Assert.That(given[i], Is.Not.SameAs(targets[i]), "the step works on its own copy");
                }
            }
        }

        [Test]
        public void Request_WithAValueThatDoesNotSerialize_BesideOthersThatNeedTheSerializer_IsRefusedNamingThatValue()
        {
            var org = new XrmOrganization();
            var id = Guid.NewGuid();
            org.Seed(new Entity("account", id) { ["name"] = "Alpine" });
            var request = new OrganizationRequest("UpdateMultiple")
            {
                ["Targets"] = new EntityCollection(new List<Entity> { new("account", id) { ["name"] = "Alpine Ski" } }) { EntityName = "account" },
                ["ConcurrencyBehavior"] = ConcurrencyBehavior.Default,
                ["Tags"] = new List<string> { "a" },
            };

            var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() => org.GetOrganizationService().Execute(request))!.Detail;

            Assert.That(fault.ErrorCode, Is.EqualTo(ErrorCodes.InvalidArgument));
            Assert.That(fault.Message, Does.Contain("[\"Tags\"]").And.Contain("does not cross the sandbox boundary"));
        }
    }
}
