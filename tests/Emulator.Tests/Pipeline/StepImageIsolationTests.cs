using System;
using System.Collections.Generic;
using System.Linq;
using CrmPlugins.Emulator.Pipeline;
using Microsoft.Xrm.Sdk;
using NUnit.Framework;

namespace CrmPlugins.Emulator.Tests.Pipeline
{
    /// <summary>
    /// The images a step's plugin gets are its own, as the sandbox deserializes them: the pipeline makes them for that one
    /// context (copies of the stored row), so the boundary hands them over without copying them a second time. These
    /// tests hold the pipeline's images to what the general path gives (the copy the boundary makes of images a test hands
    /// in, and the DataContractSerializer round trip it stands for), on generated rows of every plain kind of value, and to
    /// the isolation the sandbox gives: no other step, no other place in the context and no stored row shares them.
    /// </summary>
    public class StepImageIsolationTests
    {
        [SetUp]
        public void SetUp()
        {
            RecordingPlugin.Seen.Clear();
            ImageChangingPlugin.Seen.Clear();
        }

        [Test]
        public void Images_ThePipelineMakes_AreWhatTheBoundaryGivesForImagesHandedIn_AndWhatTheRoundTripGives_ForGeneratedRows()
        {
            var random = new Random(23);
            for (var n = 0; n < 40; n++)
            {
                RecordingPlugin.Seen.Clear();
                var org = new XrmOrganization { UtcNow = new DateTime(2026, 11, 30, 0, 0, 0, DateTimeKind.Utc) };
                var row = GeneratedRow(random, org);
                org.Seed(row);
                org.RegisterPlugin<RecordingPlugin>("Update", "account", Stages.PreOperation).WithImage("pre", ImageType.PreImage);
                org.RegisterPlugin<RecordingPlugin>("Update", "account", Stages.PostOperation).WithImage("post", ImageType.PostImage);
                var before = org.Get("account", row.Id)!;

                org.GetOrganizationService().Update(new Entity("account", row.Id) { ["name"] = "renamed " + n });

                var after = org.Get("account", row.Id)!;
                var pre = RecordingPlugin.Seen[0].PreEntityImages["pre"];
                var post = RecordingPlugin.Seen[1].PostEntityImages["post"];
                Assert.That(Generated.Xml(pre), Is.EqualTo(Generated.Xml(Generated.RoundTrip(before))), $"row {n}: the pre-image is what the serializer's round trip gives");
                Assert.That(Generated.Xml(post), Is.EqualTo(Generated.Xml(Generated.RoundTrip(after))), $"row {n}: the post-image is what the serializer's round trip gives");
                Assert.That(Generated.Xml(pre), Is.EqualTo(Generated.Xml(HandedIn(org, before))), $"row {n}: the pre-image is what the boundary gives for an image handed in");
                Assert.That(Generated.Xml(post), Is.EqualTo(Generated.Xml(HandedIn(org, after))), $"row {n}: the post-image is what the boundary gives for an image handed in");
            }
        }

        [Test]
        public void PreImage_ChangedInPlaceByOneStep_IsNotWhatTheNextStepSees_NorWhatIsStored()
        {
            var org = new XrmOrganization();
            var row = GeneratedRow(new Random(5), org);
            org.Seed(row);
            org.RegisterPlugin<ImageChangingPlugin>("Update", "account", Stages.PreOperation).WithImage("pre", ImageType.PreImage).Rank = 1;
            org.RegisterPlugin<RecordingPlugin>("Update", "account", Stages.PreOperation).WithImage("pre", ImageType.PreImage).Rank = 2;
            var stored = org.Get("account", row.Id)!;
            var before = Generated.Xml(stored);

            org.GetOrganizationService().Update(new Entity("account", row.Id) { ["description"] = "changed" });

            Assert.That(ImageChangingPlugin.Seen.Single().Changed, Is.GreaterThan(3), "the first step changed its image's values in place");
            Assert.That(Generated.Xml(RecordingPlugin.Seen.Single().PreEntityImages["pre"]), Is.EqualTo(before), "the next step sees the row as it was");
            Assert.That(Generated.Xml(Unsaved(org.Get("account", row.Id)!)), Is.EqualTo(Generated.Xml(Unsaved(stored))), "the stored row keeps every value the plugin changed on its image");
        }

        /// <summary>The row without what the update itself wrote.</summary>
        private static Entity Unsaved(Entity row)
        {
            foreach (var column in new[] { "description", "modifiedon", "modifiedby", "versionnumber" }) row.Attributes.Remove(column);
            row.RowVersion = null;
            return row;
        }

        [Test]
        public void Images_OfAStepOnUpdateMultiple_RunForAnUpdate_AreTwoCopies_OneForEachPlaceTheContextHoldsThem()
        {
            var org = new XrmOrganization();
            var row = GeneratedRow(new Random(9), org);
            org.Seed(row);
            org.RegisterPlugin<ImageChangingPlugin>("UpdateMultiple", "account", Stages.PreOperation).WithImage("pre", ImageType.PreImage);
            org.RegisterPlugin<ImageChangingPlugin>("UpdateMultiple", "account", Stages.PostOperation).WithImage("post", ImageType.PostImage);
            var before = Generated.Xml(org.Get("account", row.Id)!);

            org.GetOrganizationService().Update(new Entity("account", row.Id) { ["description"] = "changed" });
            var after = Generated.Xml(org.Get("account", row.Id)!);

            var pre = ImageChangingPlugin.Seen[0];
            var post = ImageChangingPlugin.Seen[1];
            Assert.That(pre.Context.PreEntityImagesCollection.Single(), Is.Not.SameAs(pre.Context.PreEntityImages));
            Assert.That(post.Context.PostEntityImagesCollection.Single(), Is.Not.SameAs(post.Context.PostEntityImages));
            // The plugin changed the images of PreEntityImages / PostEntityImages: the collections' copies are untouched.
            Assert.That(Generated.Xml(pre.Context.PreEntityImagesCollection.Single()["pre"]), Is.EqualTo(before));
            Assert.That(Generated.Xml(post.Context.PostEntityImagesCollection.Single()["post"]), Is.EqualTo(after));
        }

        /// <summary>An account row holding every plain kind of value, owned by SYSTEM or by whoever seeds it.</summary>
        private static Entity GeneratedRow(Random random, XrmOrganization org)
        {
            var row = Generated.Row(random, "account", Generated.Id(random));
            if (random.Next(2) == 0) row["ownerid"] = new EntityReference("systemuser", org.SystemUserId);
            return row;
        }

        /// <summary>What the boundary gives a plugin for an image a test hands in (the general path: it copies).</summary>
        private static Entity HandedIn(XrmOrganization org, Entity image)
        {
            RecordingPlugin.Seen.Clear();
            var context = new PluginExecutionContext { MessageName = "Update", PrimaryEntityName = "account", PrimaryEntityId = image.Id };
            context.PreEntityImages["image"] = image;
            org.ExecutePlugin<RecordingPlugin>(context);
            var seen = RecordingPlugin.Seen.Single().PreEntityImages["image"];
            Assert.That(seen, Is.Not.SameAs(image));
            return seen;
        }



        /// <summary>Changes every value of its images in place (and adds a column), recording what it saw.</summary>
        public sealed class ImageChangingPlugin : IPlugin
        {
            public static readonly List<(IPluginExecutionContext4 Context, int Changed)> Seen = new();

            public void Execute(IServiceProvider serviceProvider)
            {
                var context = (IPluginExecutionContext4)serviceProvider.GetService(typeof(IPluginExecutionContext4))!;
                var changed = 0;
                foreach (var image in context.PreEntityImages.Concat(context.PostEntityImages).Select(i => i.Value))
                {
                    foreach (var column in image.Attributes.ToList())
                    {
                        switch (column.Value)
                        {
                            case Money m: m.Value += 1m; changed++; break;
                            case OptionSetValue o: o.Value += 1; changed++; break;
                            case EntityReference r: r.Id = Guid.Empty; r.Name = "changed"; changed++; break;
                            case OptionSetValueCollection c: c.Clear(); changed++; break;
                            case string: image[column.Key] = "changed"; changed++; break;
                        }
                    }

                    image["dr_added"] = "added";
                }

                lock (Seen) Seen.Add((context, changed));
            }
        }
    }
}
