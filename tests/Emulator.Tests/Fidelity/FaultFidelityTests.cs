using System;
using System.Collections.Generic;
using System.ServiceModel;
using CrmPlugins.Emulator.Pipeline;
using Microsoft.Xrm.Sdk;
using NUnit.Framework;

namespace CrmPlugins.Emulator.Tests.Fidelity
{
    /// <summary>
    /// Every failure a caller sees is a FaultException&lt;OrganizationServiceFault&gt; with the platform's code and message.
    /// Codes and messages: Microsoft's "Web service error codes" list
    /// (learn.microsoft.com/power-apps/developer/data-platform/reference/web-service-error-codes; MicrosoftDocs/powerapps-docs,
    /// powerapps-docs/developer/data-platform/includes/data-service-error-codes.md at 0e120ff9). XrmMockup throws a plain
    /// FaultException (no OrganizationServiceFault, no code) for the depth guard (delegateas/XrmMockup, Core.cs, the
    /// "included an infinite loop" check), which callers catching FaultException&lt;OrganizationServiceFault&gt; never see;
    /// FakeXrmEasy left ErrorCode 0 (jordimontana82/fake-xrm-easy#424) and let a plugin's exception out as a
    /// TargetInvocationException (DynamicsValue/fake-xrm-easy#85).
    /// </summary>
    public class FaultFidelityTests
    {
        private XrmOrganization _org = null!;
        private IOrganizationService _service = null!;

        [SetUp]
        public void SetUp()
        {
            _org = new XrmOrganization();
            _service = _org.GetOrganizationService();
        }

        private OrganizationServiceFault CreateFails() =>
            Assert.Throws<FaultException<OrganizationServiceFault>>(() => _service.Create(new Entity("account") { ["name"] = "x" }))!.Detail;

        [Test]
        public void Plugin_WhoseConstructorThrows_FaultsAsUnableToLoadPluginType_AndNothingIsSaved()
        {
            _org.RegisterPlugin<ThrowingConstructorPlugin>("Create", "account", Stages.PreOperation);

            var fault = CreateFails();

            // 0x80044190 UnableToLoadPluginType "Unable to load plug-in type."
            Assert.That(fault.ErrorCode, Is.EqualTo(unchecked((int)0x80044190)));
            Assert.That(fault.Message, Does.StartWith("Unable to load plug-in type.").And.Contain("no configuration"));
            Assert.That(_org.All("account"), Is.Empty);
        }

        [Test]
        public void PluginType_WithoutAConstructorThePlatformCalls_FaultsAsUnableToLoadPluginType()
        {
            // learn.microsoft.com/power-apps/developer/data-platform/write-plug-in#pass-configuration-data-to-your-plug-in:
            // the platform calls a constructor with no parameter, one string (unsecure) or two strings (unsecure, secure).
            _org.RegisterPlugin<IntConstructorPlugin>("Create", "account", Stages.PreOperation);

            var fault = CreateFails();

            Assert.That(fault.ErrorCode, Is.EqualTo(ErrorCodes.UnableToLoadPluginType));
            Assert.That(fault.Message, Does.Contain(typeof(IntConstructorPlugin).FullName));
        }

        [Test]
        public void PluginType_WithAOneStringConstructor_GetsTheUnsecureConfiguration()
        {
            _org.RegisterPlugin<OneStringConfigPlugin>("Create", "account", Stages.PreOperation).UnsecureConfiguration = "from the step";

            var id = _service.Create(new Entity("account"));

            Assert.That(_org.Get("account", id)!["description"], Is.EqualTo("from the step"));
        }

        [Test]
        public void ExceptionOtherThanInvalidPluginExecutionException_IsIsvUnExpected_WithThePlatformsText()
        {
            // "If you allow other types of exceptions to bubble up, the error will be presented as an IsvUnExpected error"
            // (learn.microsoft.com/power-apps/developer/data-platform/handle-exceptions#unexpected-errors); 0x80040224.
            _org.RegisterPlugin<BuggyPlugin>("Create", "account", Stages.PreOperation);

            var fault = CreateFails();

            Assert.That(fault.ErrorCode, Is.EqualTo(unchecked((int)0x80040224)));
            Assert.That(fault.Message, Is.EqualTo("An unexpected error occurred from ISV code. (ErrorType = ClientError) Unexpected exception from plug-in (Execute): " +
                $"{typeof(BuggyPlugin).FullName}: System.InvalidOperationException: boom"));
        }

        [Test]
        public void InvalidPluginExecutionException_CarriesItsErrorCodeAndDetails_ToTheCaller()
        {
            // The exception's ErrorCode (its HResult) and ExceptionDetails reach the fault
            // (learn.microsoft.com/power-apps/developer/data-platform/write-plugin-multiple-operation#get-exception-details).
            _org.RegisterPlugin<DetailedRefusalPlugin>("Create", "account", Stages.PreValidation);

            var fault = CreateFails();

            Assert.That(fault.ErrorCode, Is.EqualTo(DetailedRefusalPlugin.Code));
            Assert.That(fault.Message, Is.EqualTo("Refused with details."));
            Assert.That(fault.ErrorDetails["row"], Is.EqualTo("7"));
        }

        [Test]
        public void InvalidPluginExecutionException_WithoutACode_IsIsvAborted()
        {
            _org.RegisterPlugin<RefusePlugin>("Create", "account", Stages.PreValidation);

            Assert.That(CreateFails().ErrorCode, Is.EqualTo(unchecked((int)0x80040265)));
        }

        [Test]
        public void EndlessLoop_FaultsWithSdkCorrelationTokenDepthTooHigh()
        {
            _org.RegisterPlugin<LoopingPlugin>("Update", "account", Stages.PostOperation);
            var id = _service.Create(new Entity("account") { ["name"] = "x" });

            var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() => _service.Update(new Entity("account", id) { ["name"] = "y" }))!.Detail;

            // 0x80044182 SdkCorrelationTokenDepthTooHigh, with the list's message.
            Assert.That(fault.ErrorCode, Is.EqualTo(unchecked((int)0x80044182)));
            Assert.That(fault.Message, Is.EqualTo("This workflow job was canceled because the workflow that started it included an infinite loop. " +
                "Correct the workflow logic and try again. For information about workflow logic, see Help."));
        }

        public sealed class ThrowingConstructorPlugin : IPlugin
        {
            public ThrowingConstructorPlugin() => throw new InvalidOperationException("no configuration");

            public void Execute(IServiceProvider serviceProvider) { }
        }

        public sealed class IntConstructorPlugin : IPlugin
        {
            public IntConstructorPlugin(int level) => Level = level;

            public int Level { get; }

            public void Execute(IServiceProvider serviceProvider) { }
        }

        public sealed class OneStringConfigPlugin : IPlugin
        {
            private readonly string _unsecure;

            public OneStringConfigPlugin(string unsecure) => _unsecure = unsecure;

            public void Execute(IServiceProvider serviceProvider)
            {
                var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
                ((Entity)context.InputParameters["Target"])["description"] = _unsecure;
            }
        }

        public sealed class DetailedRefusalPlugin : IPlugin
        {
            public const int Code = unchecked((int)0x80049999);

            public void Execute(IServiceProvider serviceProvider) =>
                throw new InvalidPluginExecutionException(OperationStatus.Failed, "Refused with details.", new Dictionary<string, string> { ["row"] = "7" })
                    .WithCode(Code);
        }
    }

    internal static class ExceptionCodes
    {
        /// <summary>An InvalidPluginExecutionException with both a code and details (no single constructor takes both).</summary>
        public static InvalidPluginExecutionException WithCode(this InvalidPluginExecutionException ex, int code)
        {
            ex.HResult = code;
            return ex;
        }
    }
}
