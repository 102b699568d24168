using System;
using System.IO;
using System.Linq;
using System.ServiceModel;
using CrmPlugins.Emulator.Pipeline;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using NUnit.Framework;

namespace CrmPlugins.Emulator.Tests.Service
{
    /// <summary>Messages added from outside the emulator: custom messages, Custom APIs, mocks; and Upsert's own steps.</summary>
    public class MessageRegistryTests
    {
        private XrmOrganization _org = null!;
        private IOrganizationService _service = null!;

        [SetUp]
        public void SetUp()
        {
            _org = new XrmOrganization { UtcNow = new DateTime(2026, 11, 2, 0, 0, 0, DateTimeKind.Utc) };
            _service = _org.GetOrganizationService();
            RecordingPlugin.Seen.Clear();
        }

        [Test]
        public void CustomMessage_AddedFromOutside_RunsItsStepsAroundItsMainOperation()
        {
            Assert.That(() => _service.Execute(new OrganizationRequest("new_Echo") { ["Text"] = "hi" }),
                Throws.InstanceOf<FaultException<OrganizationServiceFault>>().With.Message.Contains("does not support the message 'new_Echo'"));

            _org.Messages.Add("new_Echo", op => op.OutputParameters["Echo"] = op.InputParameters["Text"]);
            _org.RegisterPlugin<UpperCaseTextPlugin>("new_Echo", null, Stages.PreOperation);
            _org.RegisterPlugin<RecordingPlugin>("new_Echo", null, Stages.PostOperation);

            var response = _service.Execute(new OrganizationRequest("new_Echo") { ["Text"] = "hi" });

            // The main operation read the Text the PreOperation step changed; the PostOperation step saw its output.
            Assert.That(response.Results["Echo"], Is.EqualTo("HI"));
            var post = RecordingPlugin.Seen.Single();
            Assert.That((post.MessageName, post.Stage, post.OutputParameters["Echo"]), Is.EqualTo(("new_Echo", Stages.PostOperation, (object)"HI")));
        }

        [Test]
        public void CustomMessage_WithATargetReference_IsBoundToThatRow()
        {
            var account = _service.Create(new Entity("account") { ["name"] = "Contoso" });
            _org.Messages.Add("new_Touch", op => { });
            _org.RegisterPlugin<RecordingPlugin>("new_Touch", "account", Stages.PostOperation);

            _service.Execute(new OrganizationRequest("new_Touch") { ["Target"] = new EntityReference("account", account) });

            var seen = RecordingPlugin.Seen.Single();
            Assert.That((seen.PrimaryEntityName, seen.PrimaryEntityId), Is.EqualTo(("account", account)));
        }

        [Test]
        public void Add_AnAnsweredName_IsRefused()
        {
            Assert.That(() => _org.Messages.Add("create", _ => { }), Throws.ArgumentException.With.Message.Contains("already registered"));
        }

        [Test]
        public void Mock_FakesAMessageAPluginCalls_WithoutThePipeline()
        {
            _org.Mock("new_CreditCheck", request => new OrganizationResponse { Results = { ["Score"] = ((string)request["Customer"]).Length } });
            _org.RegisterPlugin<RecordingPlugin>("new_CreditCheck", null, Stages.PostOperation);
            _org.RegisterPlugin<CreditCheckingPlugin>("Create", "account", Stages.PreOperation);

            var id = _service.Create(new Entity("account") { ["name"] = "Contoso" });

            Assert.That(_org.Get("account", id)!["description"], Is.EqualTo("score 7"));
            Assert.That(_org.Calls["new_CreditCheck"], Is.EqualTo(1));
            Assert.That(RecordingPlugin.Seen, Is.Empty, "a mock replaces the message, steps on it included");
        }

        [Test]
        public void Mock_ReplacesABuiltInMessage()
        {
            var fakeUser = Guid.NewGuid();
            _org.Mock("WhoAmI", _ => new OrganizationResponse { Results = { ["UserId"] = fakeUser } });

            Assert.That(_service.Execute(new OrganizationRequest("WhoAmI")).Results["UserId"], Is.EqualTo(fakeUser));
        }

        /// <summary>Upsert runs the steps on Upsert, then Create or Update runs with its own steps, for a standard table
        /// (learn.microsoft.com/power-apps/developer/data-platform/use-upsert-insert-update-record: only elastic tables'
        /// Upsert "doesn't call the Create or Update message").</summary>
        [Test]
        public void Upsert_RunsUpsertSteps_ThenCreateOrUpdateWithTheirSteps()
        {
            _org.RegisterPlugin<RecordingPlugin>("Upsert", "account", Stages.PreOperation);
            _org.RegisterPlugin<RecordingPlugin>("Upsert", "account", Stages.PostOperation);
            _org.RegisterPlugin<RecordingPlugin>("Create", "account", Stages.PostOperation);
            _org.RegisterPlugin<RecordingPlugin>("Update", "account", Stages.PostOperation);

            var created = (UpsertResponse)_service.Execute(new UpsertRequest { Target = new Entity("account", "accountnumber", "A-1") { ["name"] = "Contoso" } });
            var firstRun = RecordingPlugin.Seen.Select(c => $"{c.MessageName}/{c.Stage}").ToList();
            RecordingPlugin.Seen.Clear();
            var updated = (UpsertResponse)_service.Execute(new UpsertRequest { Target = new Entity("account", "accountnumber", "A-1") { ["name"] = "Contoso Ltd" } });
            var secondRun = RecordingPlugin.Seen.Select(c => $"{c.MessageName}/{c.Stage}").ToList();

            Assert.That(firstRun, Is.EqualTo(new[] { "Upsert/20", "Create/40", "Upsert/40" }));
            Assert.That(secondRun, Is.EqualTo(new[] { "Upsert/20", "Update/40", "Upsert/40" }));
            var postUpsert = RecordingPlugin.Seen.Last();
            Assert.That(postUpsert.OutputParameters["RecordCreated"], Is.False);
            Assert.That(((EntityReference)postUpsert.OutputParameters["Target"]).Id, Is.EqualTo(created.Target.Id));
            Assert.That(updated.Target.Id, Is.EqualTo(created.Target.Id));
        }

        [Test]
        public void Upsert_APreOperationStepsChange_IsWhatIsCreated()
        {
            _org.RegisterPlugin<UpperCaseNamePlugin>("Upsert", "account", Stages.PreOperation);

            var created = (UpsertResponse)_service.Execute(new UpsertRequest { Target = new Entity("account", "accountnumber", "A-2") { ["name"] = "Contoso" } });

            Assert.That(_org.Get("account", created.Target.Id)!["name"], Is.EqualTo("CONTOSO"));
        }

        /// <summary>A Custom API's plugin is its main operation (stage 30), reading typed request parameters and setting
        /// response properties (learn.microsoft.com/power-apps/developer/data-platform/custom-api); steps other plugins
        /// register on the message run around it.</summary>
        [Test]
        public void CustomApi_RegisteredInCode_RunsItsPluginAsTheMainOperation()
        {
            _org.Messages.AddCustomApi(ScoreApi());
            _org.RegisterPlugin<RecordingPlugin>("new_Score", null, Stages.PostOperation);

            var response = _service.Execute(new OrganizationRequest("new_Score") { ["Amount"] = 250m, ["Label"] = "big" });

            Assert.That(response.Results["Score"], Is.EqualTo(253));
            Assert.That(response.ResponseName, Is.EqualTo("new_Score"));
            var main = _org.Executions.Single(e => e.PluginType == typeof(ScorePlugin));
            Assert.That((main.Stage, main.MessageName), Is.EqualTo((Stages.MainOperation, "new_Score")));
            Assert.That(RecordingPlugin.Seen.Single().OutputParameters["Score"], Is.EqualTo(253), "PostOperation sees the response property");
        }

        /// <summary>allowedcustomprocessingsteptype 0 None, 1 Async Only, 2 Sync and Async (custom-api-tables page cited above).</summary>
        [Test]
        public void CustomApi_AllowingOnlyAsyncSteps_RefusesToRunASynchronousOne()
        {
            _org.Messages.AddCustomApi(new CustomApi("new_Quiet", null) { AllowedCustomProcessingStepType = CustomProcessingStepType.AsyncOnly });
            _org.RegisterPlugin<RecordingPlugin>("new_Quiet", null, Stages.PostOperation, Modes.Asynchronous);
            _service.Execute(new OrganizationRequest("new_Quiet"));
            Assert.That(_org.RunAsyncOperations(), Is.EqualTo(1));

            _org.RegisterPlugin<RecordingPlugin>("new_Quiet", null, Stages.PreOperation);

            Assert.That(() => _service.Execute(new OrganizationRequest("new_Quiet")),
                Throws.InstanceOf<FaultException<OrganizationServiceFault>>().With.Message.Contains("allows AsyncOnly custom processing steps"));
        }

        [Test]
        public void CustomApi_MissingARequiredParameter_IsRefusedBeforeThePluginRuns()
        {
            _org.Messages.AddCustomApi(ScoreApi());

            Assert.That(() => _service.Execute(new OrganizationRequest("new_Score") { ["Label"] = "no amount" }),
                Throws.InstanceOf<FaultException<OrganizationServiceFault>>().With.Message.Contains("required parameter 'Amount'"));
            Assert.That(_service.Execute(new OrganizationRequest("new_Score") { ["Amount"] = 1m }).Results["Score"], Is.EqualTo(1), "Label is optional");
            Assert.That(_org.Executions.Count(e => e.PluginType == typeof(ScorePlugin)), Is.EqualTo(1));
        }

        [Test]
        public void CustomApi_AParameterOfTheWrongType_IsRefused()
        {
            _org.Messages.AddCustomApi(ScoreApi());

            Assert.That(() => _service.Execute(new OrganizationRequest("new_Score") { ["Amount"] = "250" }),
                Throws.InstanceOf<FaultException<OrganizationServiceFault>>().With.Message.Contains("'Amount' must be a Decimal"));
        }

        [Test]
        public void CustomApi_BoundToATable_NeedsATargetOfThatTable()
        {
            _org.Messages.AddCustomApi(new CustomApi("new_Flag", typeof(RecordingPlugin)) { BindingType = CustomApiBinding.Entity, BoundEntityLogicalName = "account" });
            var account = _service.Create(new Entity("account") { ["name"] = "Contoso" });

            Assert.That(() => _service.Execute(new OrganizationRequest("new_Flag") { ["Target"] = new EntityReference("contact", Guid.NewGuid()) }),
                Throws.InstanceOf<FaultException<OrganizationServiceFault>>().With.Message.Contains("bound to account"));
            _service.Execute(new OrganizationRequest("new_Flag") { ["Target"] = new EntityReference("account", account) });

            var seen = RecordingPlugin.Seen.Single();
            Assert.That((seen.PrimaryEntityName, seen.PrimaryEntityId, seen.Stage), Is.EqualTo(("account", account, Stages.MainOperation)));
        }

        /// <summary>The type codes of customapirequestparameter.type and customapiresponseproperty.type, as Microsoft's
        /// "CustomAPI tables" page lists them (MicrosoftDocs/powerapps-docs, powerapps-docs/developer/data-platform/custom-api-tables.md
        /// at 05cfff5341d4db7cec326318fdd63b9618e9c206; learn.microsoft.com/power-apps/developer/data-platform/custom-api-tables).</summary>
        [Test]
        public void CustomApiParameterType_CodesAreThePlatforms()
        {
            var documented = new[] { "Boolean", "DateTime", "Decimal", "Entity", "EntityCollection", "EntityReference", "Float", "Integer", "Money", "Picklist", "String", "StringArray", "Guid" };

            Assert.That(documented.Select((name, code) => (name, code)), Is.EqualTo(Enum.GetValues<CustomApiParameterType>().Select(t => (t.ToString(), (int)t))));
            Assert.That(Enum.GetValues<CustomApiBinding>().Select(b => (b.ToString(), (int)b)), Is.EqualTo(new[] { ("Global", 0), ("Entity", 1), ("EntityCollection", 2) }));
            Assert.That(Enum.GetValues<CustomProcessingStepType>().Select(b => (int)b), Is.EqualTo(new[] { 0, 1, 2 }));
        }

        [Test]
        public void CustomApi_WithAnExecutePrivilege_RefusesAUserWithoutIt()
        {
            var api = new CustomApi("new_Guarded", typeof(RecordingPlugin)) { ExecutePrivilegeName = "prvRunGuarded" };
            _org.Messages.AddCustomApi(api);
            var (allowed, refused) = (Guid.NewGuid(), Guid.NewGuid());
            _org.Seed(new Entity("systemuser", allowed) { ["fullname"] = "Runner" }, new Entity("systemuser", refused) { ["fullname"] = "Other" });
            _org.Security.DefineRole("Runner", new[] { ("prvRunGuarded", "Global") });
            _org.Security.AssignRole(allowed, "Runner");
            _org.Security.Enforced = true;

            Assert.That(() => _org.GetOrganizationService(refused).Execute(new OrganizationRequest("new_Guarded")),
                Throws.InstanceOf<FaultException<OrganizationServiceFault>>().With.Message.Contains("missing prvRunGuarded privilege"));
            _org.GetOrganizationService(allowed).Execute(new OrganizationRequest("new_Guarded"));
            Assert.That(RecordingPlugin.Seen.Single().UserId, Is.EqualTo(allowed));
        }

        /// <summary>The layout is Microsoft's for a Custom API in solution files
        /// (learn.microsoft.com/power-apps/developer/data-platform/create-custom-api-solution): customapis/&lt;uniquename&gt;/customapi.xml,
        /// customapirequestparameters/&lt;name&gt;/customapirequestparameter.xml, customapiresponseproperties/&lt;name&gt;/customapiresponseproperty.xml,
        /// type codes 0-12 with 2 = Decimal, 7 = Integer, 10 = String.</summary>
        [Test]
        public void CustomApi_ReadFromSolutionFiles_RunsItsPlugin()
        {
            InSolutionFolder(folder =>
            {
                var pluginTypeId = Guid.NewGuid();
                WriteSolutionApi(folder, pluginTypeId);

                var api = CustomApiReader.Read(folder, typeof(ScorePlugin).Assembly).Single();
                _org.Messages.AddCustomApi(api);

                Assert.That(api.PluginType, Is.EqualTo(typeof(ScorePlugin)));
                Assert.That(api.AllowedCustomProcessingStepType, Is.EqualTo(CustomProcessingStepType.SyncAndAsync));
                Assert.That(api.RequestParameters.Select(p => p.ToString()), Is.EqualTo(new[] { "Amount (Decimal)", "Label (String, optional)" }));
                Assert.That(_service.Execute(new OrganizationRequest("new_Score") { ["Amount"] = 10m }).Results["Score"], Is.EqualTo(10));
                Assert.That(() => _service.Execute(new OrganizationRequest("new_Score")), Throws.InstanceOf<FaultException<OrganizationServiceFault>>());
            });
        }

        [Test]
        public void ImportSolution_WithACustomapisFolder_RegistersItsCustomApis()
        {
            InSolutionFolder(folder =>
            {
                WriteSolutionApi(folder, Guid.NewGuid());

                _org.ImportSolution(folder, typeof(ScorePlugin).Assembly);

                Assert.That(_org.Messages.Contains("new_Score"), Is.True);
                Assert.That(_service.Execute(new OrganizationRequest("new_Score") { ["Amount"] = 4m, ["Label"] = "ab" }).Results["Score"], Is.EqualTo(6));
            });
        }

        [Test]
        public void CustomApiReader_ABadTypeCode_NamesTheFileAndTheField()
        {
            InSolutionFolder(folder =>
            {
                WriteSolutionApi(folder, Guid.NewGuid(), amountType: "13");

                Assert.That(() => CustomApiReader.Read(folder, typeof(ScorePlugin).Assembly),
                    Throws.InstanceOf<FormatException>().With.Message.Contains("customapirequestparameter.xml: <type> is '13'"));
            });
        }

        [Test]
        public void CustomApiReader_NoCustomApisFolder_ReadsNone()
        {
            InSolutionFolder(folder =>
            {
                Directory.CreateDirectory(folder);
                Assert.That(CustomApiReader.Read(folder), Is.Empty);
            });
        }

        private static void InSolutionFolder(Action<string> test)
        {
            var folder = Path.Combine(Path.GetTempPath(), "customapi-" + Guid.NewGuid().ToString("N"));
            try
            {
                test(folder);
            }
            finally
            {
                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            }
        }

        private static CustomApi ScoreApi() =>
            new CustomApi("new_Score", typeof(ScorePlugin))
                .WithRequestParameter("Amount", CustomApiParameterType.Decimal)
                .WithRequestParameter("Label", CustomApiParameterType.String, isOptional: true)
                .WithResponseProperty("Score", CustomApiParameterType.Integer);

        private static void WriteSolutionApi(string folder, Guid pluginTypeId, string amountType = "2")
        {
            void Write(string path, string xml)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, path))!);
                File.WriteAllText(Path.Combine(folder, path), xml);
            }

            Write("customapis/new_Score/customapi.xml",
                $"<customapi uniquename=\"new_Score\"><allowedcustomprocessingsteptype>2</allowedcustomprocessingsteptype><bindingtype>0</bindingtype><boundentitylogicalname /><isfunction>0</isfunction><name>new_Score</name><plugintypeid><plugintypeid>{pluginTypeId}</plugintypeid></plugintypeid></customapi>");
            Write("customapis/new_Score/customapirequestparameters/Amount/customapirequestparameter.xml",
                $"<customapirequestparameter uniquename=\"Amount\"><isoptional>0</isoptional><logicalentityname /><name>new_Score.Amount</name><type>{amountType}</type></customapirequestparameter>");
            Write("customapis/new_Score/customapirequestparameters/Label/customapirequestparameter.xml",
                "<customapirequestparameter uniquename=\"Label\"><isoptional>1</isoptional><logicalentityname /><name>new_Score.Label</name><type>10</type></customapirequestparameter>");
            Write("customapis/new_Score/customapiresponseproperties/Score/customapiresponseproperty.xml",
                "<customapiresponseproperty uniquename=\"Score\"><logicalentityname /><name>new_Score.Score</name><type>7</type></customapiresponseproperty>");
            // The PluginType attributes of a SolutionPackager PluginAssemblies/*.data.xml, as Solution/PluginAssemblies has them.
            Write("PluginAssemblies/Tests-0001/Tests.dll.data.xml",
                $"<PluginAssembly FullName=\"Emulator.Tests, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null\" PluginAssemblyId=\"{Guid.NewGuid()}\"><FileName>/PluginAssemblies/Tests-0001/Tests.dll</FileName><PluginTypes>" +
                $"<PluginType AssemblyQualifiedName=\"{typeof(ScorePlugin).FullName}, Emulator.Tests, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null\" PluginTypeId=\"{pluginTypeId}\" Name=\"{typeof(ScorePlugin).FullName}\" />" +
                "</PluginTypes></PluginAssembly>");
            Write("Other/Solution.xml",
                "<ImportExportXml><SolutionManifest><UniqueName>Tests</UniqueName><Version>1.0.0.0</Version><Publisher><UniqueName>tests</UniqueName>" +
                "<CustomizationPrefix>new</CustomizationPrefix><CustomizationOptionValuePrefix>10000</CustomizationOptionValuePrefix></Publisher></SolutionManifest></ImportExportXml>");
            Write("Other/Customizations.xml", "<ImportExportXml />");
        }
    }

    /// <summary>PreOperation of new_Echo: upper-cases the Text parameter.</summary>
    public sealed class UpperCaseTextPlugin : IPlugin
    {
        public void Execute(IServiceProvider serviceProvider)
        {
            var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
            context.InputParameters["Text"] = ((string)context.InputParameters["Text"]).ToUpperInvariant();
        }
    }

    /// <summary>Calls new_CreditCheck for the account being created and writes the score on it.</summary>
    public sealed class CreditCheckingPlugin : IPlugin
    {
        public void Execute(IServiceProvider serviceProvider)
        {
            var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
            var service = ((IOrganizationServiceFactory)serviceProvider.GetService(typeof(IOrganizationServiceFactory))!).CreateOrganizationService(context.UserId);
            var target = (Entity)context.InputParameters["Target"];
            var score = service.Execute(new OrganizationRequest("new_CreditCheck") { ["Customer"] = target.GetAttributeValue<string>("name") }).Results["Score"];
            target["description"] = $"score {score}";
        }
    }

    /// <summary>The main operation of the new_Score Custom API: Score = Amount + the length of the optional Label.</summary>
    public sealed class ScorePlugin : IPlugin
    {
        public void Execute(IServiceProvider serviceProvider)
        {
            var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
            var label = context.InputParameters.TryGetValue("Label", out var l) ? (string)l : "";
            context.OutputParameters["Score"] = (int)(decimal)context.InputParameters["Amount"] + label.Length;
        }
    }
}
