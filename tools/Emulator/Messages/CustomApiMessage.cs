using System;
using System.Linq;
using CrmPlugins.Emulator.Pipeline;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator
{
    /// <summary>
    /// Runs a <see cref="CustomApi"/> as the platform does: refuses a call missing a required parameter or giving one of
    /// the wrong type, then runs the pipeline with the API's plugin as the main operation (stage 30) between the steps
    /// other plugins registered on the message, and answers the response properties the plugin set
    /// (learn.microsoft.com/power-apps/developer/data-platform/custom-api#write-a-plug-in-for-your-custom-api).
    /// </summary>
    internal sealed class CustomApiMessage : IMessageHandler
    {
        private readonly CustomApi _api;
        private IPlugin? _plugin;

        public CustomApiMessage(CustomApi api) => _api = api ?? throw new ArgumentNullException(nameof(api));

        public string MessageName => _api.UniqueName;

        public void CheckPrivileges(MessageCall call)
        {
            if (_api.ExecutePrivilegeName != null) call.Organization.Security.DemandPrivilege(call.UserId, _api.ExecutePrivilegeName);
        }

        public OrganizationResponse Execute(MessageCall call)
        {
            var parameters = call.Request.Parameters;
            EntityReference? target = null;
            if (_api.BindingType == CustomApiBinding.Entity)
            {
                target = parameters.TryGetValue("Target", out var t) ? t as EntityReference : null;
                if (target == null) throw Faults.InvalidArgument($"{_api.UniqueName} is bound to {_api.BoundEntityLogicalName}: the request needs a Target (EntityReference).");
                if (_api.BoundEntityLogicalName != null && target.LogicalName != _api.BoundEntityLogicalName)
                    throw Faults.InvalidArgument($"{_api.UniqueName} is bound to {_api.BoundEntityLogicalName}, not to {target.LogicalName}.");
            }

            foreach (var parameter in _api.RequestParameters)
            {
                var given = parameters.TryGetValue(parameter.UniqueName, out var value) ? value : null;
                if (given == null)
                {
                    if (parameter.IsOptional) continue;
                    throw Faults.InvalidArgument($"{_api.UniqueName}: the required parameter '{parameter.UniqueName}' ({parameter.Type}) is missing.");
                }

                if (!Fits(parameter, given))
                    throw Faults.InvalidArgument($"{_api.UniqueName}: the parameter '{parameter.UniqueName}' must be a {parameter.Type}, not a {given.GetType().Name}.");
            }

            var refused = call.Organization.Steps.FirstOrDefault(s => s.Enabled && string.Equals(s.Message, _api.UniqueName, StringComparison.OrdinalIgnoreCase) &&
                (_api.AllowedCustomProcessingStepType == CustomProcessingStepType.None ||
                 (_api.AllowedCustomProcessingStepType == CustomProcessingStepType.AsyncOnly && s.Mode != Modes.Asynchronous)));
            if (refused != null)
                throw Faults.InvalidArgument($"{_api.UniqueName} allows {_api.AllowedCustomProcessingStepType} custom processing steps: the step '{refused.Name}' could not be registered on it in Dataverse.");

            var table = _api.BindingType == CustomApiBinding.Global ? null : _api.BoundEntityLogicalName;
            var results = call.RunPipeline(_api.UniqueName, table, target?.Id ?? Guid.Empty, RunPlugin);
            return Responses.Create(_api.UniqueName, results);
        }

        private void RunPlugin(MessageOperation operation)
        {
            if (_api.PluginType == null) return;
            var call = operation.Call;
            var org = call.Organization;
            // One instance serves every call, as it does for a registered step.
            var context = org.Pipeline.MainOperationContext(operation.Pipeline, call.Scope, new EntityReference("customapi", Guid.Empty) { Name = _api.UniqueName });
            org.RunPlugin(null, _api.PluginType, () => _plugin ??= PluginStep.CreatePlugin(_api.PluginType, null, null), context, call.Scope);
            foreach (var v in context.SharedVariables) operation.Pipeline.SharedVariables[v.Key] = v.Value;
            foreach (var output in context.OutputParameters)
            {
                var property = _api.ResponseProperties.FirstOrDefault(p => p.UniqueName == output.Key)
                    ?? throw Faults.InvalidArgument($"{_api.UniqueName}: the plugin set '{output.Key}', which is not a response property of the Custom API.");
                if (output.Value != null && !Fits(property, output.Value))
                    throw Faults.InvalidArgument($"{_api.UniqueName}: the response property '{output.Key}' must be a {property.Type}, not a {output.Value.GetType().Name}.");
                operation.OutputParameters[output.Key] = output.Value;
            }
        }

        private static bool Fits(CustomApiParameter parameter, object value) => parameter.Type switch
        {
            CustomApiParameterType.Boolean => value is bool,
            CustomApiParameterType.DateTime => value is DateTime,
            CustomApiParameterType.Decimal => value is decimal,
            CustomApiParameterType.Entity => value is Entity e && (parameter.LogicalEntityName == null || e.LogicalName == parameter.LogicalEntityName),
            CustomApiParameterType.EntityCollection => value is EntityCollection,
            CustomApiParameterType.EntityReference => value is EntityReference r && (parameter.LogicalEntityName == null || r.LogicalName == parameter.LogicalEntityName),
            CustomApiParameterType.Float => value is double,
            CustomApiParameterType.Integer => value is int,
            CustomApiParameterType.Money => value is Money,
            CustomApiParameterType.Picklist => value is OptionSetValue,
            CustomApiParameterType.String => value is string,
            CustomApiParameterType.StringArray => value is string[],
            CustomApiParameterType.Guid => value is Guid,
            _ => false,
        };
    }
}
