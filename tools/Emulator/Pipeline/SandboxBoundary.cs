using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Serialization;
using System.Xml;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator.Pipeline
{
    /// <summary>
    /// What crosses the sandbox boundary crosses it as data contracts: Dataverse runs a plugin in another process and
    /// hands it a deserialized copy of the request's parameters, images and shared variables, then serializes what the
    /// plugin leaves back. The emulator does the same round trip with the SDK's contract attributes, so a plugin that
    /// keeps a reference it was given, or puts a value no data contract describes into a parameter, a column or a shared
    /// variable, fails here as it fails there. The round trip uses the binary XML writer (the same contract, less time).
    /// </summary>
    internal static class SandboxBoundary
    {
        private static readonly DataContractSerializerSettings Settings = new() { DataContractResolver = new SdkContractResolver() };
        private static readonly DataContractSerializer ParameterSerializer = new(typeof(ParameterCollection), Settings);
        private static readonly DataContractSerializer ImageSerializer = new(typeof(EntityImageCollection), Settings);

        /// <summary>Gives the plugin its own copies of everything in its context, as the sandbox receives them.</summary>
        public static void Enter(PluginExecutionContext context)
        {
            context.InputParameters = Copy(context.InputParameters, "InputParameters");
            context.OutputParameters = Copy(context.OutputParameters, "OutputParameters");
            context.SharedVariables = Copy(context.SharedVariables, "SharedVariables");
            context.PreEntityImages = Copy(context.PreEntityImages);
            context.PostEntityImages = Copy(context.PostEntityImages);
            context.PreEntityImagesCollection = context.PreEntityImagesCollection.Select(Copy).ToArray();
            context.PostEntityImagesCollection = context.PostEntityImagesCollection.Select(Copy).ToArray();
        }

        /// <summary>Serializes what the plugin hands back (its parameters and shared variables) and returns copies of them.</summary>
        public static void Leave(PluginExecutionContext context)
        {
            context.InputParameters = Copy(context.InputParameters, "InputParameters");
            context.OutputParameters = Copy(context.OutputParameters, "OutputParameters");
            context.SharedVariables = Copy(context.SharedVariables, "SharedVariables");
        }

        /// <summary>A request's parameters as the platform reads them from the caller.</summary>
        public static ParameterCollection Copy(ParameterCollection parameters, string what)
        {
            if (parameters.Count == 0) return new ParameterCollection();
            try
            {
                return (ParameterCollection)RoundTrip(ParameterSerializer, parameters);
            }
            catch (Exception ex) when (ex is SerializationException or InvalidDataContractException)
            {
                throw new NotSerializableValueException(Describe(parameters, what), ex);
            }
        }

        private static EntityImageCollection Copy(EntityImageCollection images) =>
            images.Count == 0 ? new EntityImageCollection() : (EntityImageCollection)RoundTrip(ImageSerializer, images);

        private static object RoundTrip(DataContractSerializer serializer, object value)
        {
            using var stream = new MemoryStream();
            using (var writer = XmlDictionaryWriter.CreateBinaryWriter(stream, null, null, ownsStream: false))
                serializer.WriteObject(writer, value);
            stream.Position = 0;
            using var reader = XmlDictionaryReader.CreateBinaryReader(stream, XmlDictionaryReaderQuotas.Max);
            return serializer.ReadObject(reader)!;
        }

        /// <summary>Names the first entry no data contract describes, so the failure says which value to change.</summary>
        private static string Describe(ParameterCollection parameters, string what)
        {
            foreach (var p in parameters)
            {
                var single = new ParameterCollection { [p.Key] = p.Value };
                try
                {
                    RoundTrip(ParameterSerializer, single);
                }
                catch (Exception ex) when (ex is SerializationException or InvalidDataContractException)
                {
                    return $"{what}[\"{p.Key}\"] holds a {Inner(p.Value)}, which does not cross the sandbox boundary: {ex.Message}";
                }
            }

            return $"{what} does not cross the sandbox boundary.";
        }

        private static string Inner(object? value) => value switch
        {
            Entity e => $"{e.LogicalName} entity whose columns include " +
                string.Join(", ", e.Attributes.Where(a => a.Value != null && !IsContract(a.Value.GetType())).Select(a => $"'{a.Key}' ({a.Value!.GetType().FullName})")),
            null => "null",
            _ => value.GetType().FullName ?? value.GetType().Name,
        };

        private static bool IsContract(Type type) => type.IsPrimitive || type == typeof(string) || type == typeof(Guid) || type == typeof(decimal) ||
            type == typeof(DateTime) || SdkContractResolver.IsSdkType(type);

        /// <summary>
        /// Resolves every data contract of the SDK's own assemblies, as Microsoft's assemblies do by declaring each message's
        /// request and response as a known type (the stand-in declares fewer), and nothing else: a type of the plugin's own
        /// assembly is unknown to the platform and fails to serialize.
        /// </summary>
        private sealed class SdkContractResolver : DataContractResolver
        {
            private static readonly string[] SdkAssemblies = { "Microsoft.Xrm.Sdk", "Microsoft.Crm.Sdk.Proxy" };
            private static readonly ConcurrentDictionary<(string Name, string Namespace), Type?> ByName = new();
            private static readonly Lazy<Dictionary<(string, string), Type>> Contracts = new(Load);

            public static bool IsSdkType(Type type) => SdkAssemblies.Contains(type.Assembly.GetName().Name);

            public override bool TryResolveType(Type type, Type? declaredType, DataContractResolver knownTypeResolver, out XmlDictionaryString? typeName, out XmlDictionaryString? typeNamespace)
            {
                if (knownTypeResolver.TryResolveType(type, declaredType, null!, out typeName, out typeNamespace)) return true;
                var contract = IsSdkType(type) ? type.GetCustomAttribute<DataContractAttribute>() : null;
                if (contract == null) return false;
                var dictionary = new XmlDictionary();
                typeName = dictionary.Add(contract.Name ?? type.Name);
                typeNamespace = dictionary.Add(contract.Namespace ?? "");
                return true;
            }

            public override Type? ResolveName(string typeName, string? typeNamespace, Type? declaredType, DataContractResolver knownTypeResolver) =>
                knownTypeResolver.ResolveName(typeName, typeNamespace, declaredType, null!)
                ?? ByName.GetOrAdd((typeName, typeNamespace ?? ""), key => Contracts.Value.TryGetValue(key, out var t) ? t : null);

            private static Dictionary<(string, string), Type> Load()
            {
                var found = new Dictionary<(string, string), Type>();
                foreach (var name in SdkAssemblies)
                {
                    Assembly assembly;
                    try { assembly = Assembly.Load(name); }
                    catch (IOException) { continue; }
                    foreach (var type in assembly.GetExportedTypes())
                        if (type.GetCustomAttribute<DataContractAttribute>() is { } contract)
                            found[(contract.Name ?? type.Name, contract.Namespace ?? "")] = type;
                }

                return found;
            }
        }
    }

    /// <summary>A value a plugin or caller put where only data contracts cross (the sandbox boundary).</summary>
    internal sealed class NotSerializableValueException : Exception
    {
        public NotSerializableValueException(string message, Exception inner) : base(message, inner) { }
    }
}
