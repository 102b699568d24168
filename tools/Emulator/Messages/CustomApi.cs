using System;
using System.Collections.Generic;

namespace CrmPlugins.Emulator
{
    /// <summary>The type of a Custom API request parameter or response property (customapirequestparameter.type),
    /// with the platform's codes (learn.microsoft.com/power-apps/developer/data-platform/custom-api-tables).</summary>
    public enum CustomApiParameterType
    {
        Boolean = 0,
        DateTime = 1,
        Decimal = 2,
        Entity = 3,
        EntityCollection = 4,
        EntityReference = 5,
        Float = 6,
        Integer = 7,
        Money = 8,
        Picklist = 9,
        String = 10,
        StringArray = 11,
        Guid = 12,
    }

    /// <summary>What a Custom API is bound to (customapi.bindingtype).</summary>
    public enum CustomApiBinding
    {
        Global = 0,
        Entity = 1,
        EntityCollection = 2,
    }

    /// <summary>Which steps other plugins may register on a Custom API's message (customapi.allowedcustomprocessingsteptype).</summary>
    public enum CustomProcessingStepType
    {
        None = 0,
        AsyncOnly = 1,
        SyncAndAsync = 2,
    }

    /// <summary>A request parameter or response property of a Custom API.</summary>
    public sealed class CustomApiParameter
    {
        public CustomApiParameter(string uniqueName, CustomApiParameterType type, bool isOptional = false, string? logicalEntityName = null)
        {
            UniqueName = string.IsNullOrEmpty(uniqueName) ? throw new ArgumentException("A Custom API parameter needs a unique name.", nameof(uniqueName)) : uniqueName;
            Type = type;
            IsOptional = isOptional;
            LogicalEntityName = string.IsNullOrEmpty(logicalEntityName) ? null : logicalEntityName;
        }

        /// <summary>The parameter's name in the request's Parameters (or the response's Results).</summary>
        public string UniqueName { get; }

        /// <summary>The .NET type a value must have: Boolean bool, DateTime, Decimal decimal, Entity, EntityCollection,
        /// EntityReference, Float double, Integer int, Money, Picklist OptionSetValue, String, StringArray string[], Guid.</summary>
        public CustomApiParameterType Type { get; }

        /// <summary>For request parameters: whether a call may leave it out (a response property is never required).</summary>
        public bool IsOptional { get; }

        /// <summary>For Entity / EntityReference types: the table the value must be of (null: any).</summary>
        public string? LogicalEntityName { get; }

        public override string ToString() => $"{UniqueName} ({Type}{(IsOptional ? ", optional" : "")})";
    }

    /// <summary>
    /// A Custom API (customapi with its customapirequestparameter and customapiresponseproperty rows): a message whose
    /// main operation (stage 30) is <see cref="PluginType"/>, called with typed request parameters and answering typed
    /// response properties (learn.microsoft.com/power-apps/developer/data-platform/custom-api).
    /// Register it with <see cref="MessageRegistry.AddCustomApi"/>; <see cref="CustomApiReader"/> reads one from
    /// a solution's customapis/ folder.
    /// </summary>
    public sealed class CustomApi
    {
        public CustomApi(string uniqueName, Type? pluginType)
        {
            UniqueName = string.IsNullOrEmpty(uniqueName) ? throw new ArgumentException("A Custom API needs a unique name.", nameof(uniqueName)) : uniqueName;
            if (pluginType != null && !typeof(Microsoft.Xrm.Sdk.IPlugin).IsAssignableFrom(pluginType))
                throw new ArgumentException($"{pluginType.FullName} does not implement IPlugin.", nameof(pluginType));
            PluginType = pluginType;
        }

        /// <summary>The message name callers use (customapi.uniquename).</summary>
        public string UniqueName { get; }

        /// <summary>The plugin that is the main operation; null for a Custom API without logic (a business event).</summary>
        public Type? PluginType { get; }

        /// <summary>Global (default), or bound to a row (Entity: the request's Target) or a table (EntityCollection).</summary>
        public CustomApiBinding BindingType { get; init; } = CustomApiBinding.Global;

        /// <summary>For an Entity-bound API: the table of the Target it is bound to.</summary>
        public string? BoundEntityLogicalName { get; init; }

        /// <summary>Which steps may be registered on the message (the platform refuses the others when they are registered;
        /// the emulator refuses the call that would run them).</summary>
        public CustomProcessingStepType AllowedCustomProcessingStepType { get; init; } = CustomProcessingStepType.SyncAndAsync;

        /// <summary>A function (GET in the Web API) rather than an action; the organization service calls both alike.</summary>
        public bool IsFunction { get; init; }

        /// <summary>The privilege a caller needs (customapi.executeprivilegename); null: anyone may call it.</summary>
        public string? ExecutePrivilegeName { get; init; }

        /// <summary>What a call passes in its request's Parameters.</summary>
        public IList<CustomApiParameter> RequestParameters { get; } = new List<CustomApiParameter>();

        /// <summary>What the response's Results may carry.</summary>
        public IList<CustomApiParameter> ResponseProperties { get; } = new List<CustomApiParameter>();

        /// <summary>Declares a request parameter (customapirequestparameter): required unless <paramref name="isOptional"/>.</summary>
        public CustomApi WithRequestParameter(string uniqueName, CustomApiParameterType type, bool isOptional = false, string? logicalEntityName = null)
        {
            RequestParameters.Add(new CustomApiParameter(uniqueName, type, isOptional, logicalEntityName));
            return this;
        }

        /// <summary>Declares a response property (customapiresponseproperty) the plugin may set in OutputParameters.</summary>
        public CustomApi WithResponseProperty(string uniqueName, CustomApiParameterType type, string? logicalEntityName = null)
        {
            ResponseProperties.Add(new CustomApiParameter(uniqueName, type, isOptional: true, logicalEntityName));
            return this;
        }

        public override string ToString() => UniqueName;
    }
}
