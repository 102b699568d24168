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
            if (context.ImagesMadeForIt)
            {
                // The pipeline made these images for this context alone, from copies of stored rows (which share no object
                // with the store): a plain one already is what the round trip gives, and only a collection that stands in two
                // places (a single operation's images, also the first of the *Multiple collections) is copied, since the
                // sandbox deserializes each place apart. A second run of the context (a retried job) copies as below.
                context.ImagesMadeForIt = false;
                var pre = context.PreEntityImages;
                var post = context.PostEntityImages;
                context.PreEntityImages = Owned(pre, null);
                context.PostEntityImages = Owned(post, null);
                context.PreEntityImagesCollection = Owned(context.PreEntityImagesCollection, pre);
                context.PostEntityImagesCollection = Owned(context.PostEntityImagesCollection, post);
                return;
            }

            context.PreEntityImages = Copy(context.PreEntityImages);
            context.PostEntityImages = Copy(context.PostEntityImages);
            context.PreEntityImagesCollection = context.PreEntityImagesCollection.Select(Copy).ToArray();
            context.PostEntityImagesCollection = context.PostEntityImagesCollection.Select(Copy).ToArray();
        }

        private static EntityImageCollection Owned(EntityImageCollection images, EntityImageCollection? alsoElsewhere) =>
            !ReferenceEquals(images, alsoElsewhere) && IsPlain(images) ? images : Copy(images);

        private static EntityImageCollection[] Owned(EntityImageCollection[] collections, EntityImageCollection alsoElsewhere)
        {
            for (var i = 0; i < collections.Length; i++) collections[i] = Owned(collections[i], alsoElsewhere);
            return collections;
        }

        /// <summary>Checks that what the plugin hands back (its parameters and shared variables) serializes. The plugin's
        /// values are already its own copies, so only a value that is not plainly a data contract of the SDK is put through
        /// the serializer, which then accepts it or fails as the sandbox fails.</summary>
        public static void Leave(PluginExecutionContext context)
        {
            if (!IsContract(context.InputParameters)) context.InputParameters = Copy(context.InputParameters, "InputParameters");
            if (!IsContract(context.OutputParameters)) context.OutputParameters = Copy(context.OutputParameters, "OutputParameters");
            if (!IsContract(context.SharedVariables)) context.SharedVariables = Copy(context.SharedVariables, "SharedVariables");
        }

        private static bool IsContract(ParameterCollection parameters)
        {
            foreach (var p in parameters)
                if (!IsContractValue(p.Value)) return false;
            return true;
        }

        /// <summary>Whether a value is plainly one the SDK's data contracts describe (false: let the serializer decide).</summary>
        private static bool IsContractValue(object? value)
        {
            switch (value)
            {
                case null:
                case string:
                case Guid:
                case DateTime:
                case decimal:
                    return true;
                case Entity entity:
                    if (entity.GetType() != typeof(Entity)) return false;
                    foreach (var a in entity.Attributes)
                        if (!IsContractValue(a.Value)) return false;
                    return true;
                case EntityCollection collection:
                    foreach (var e in collection.Entities)
                        if (!IsContractValue(e)) return false;
                    return true;
                case AliasedValue aliased:
                    return IsContractValue(aliased.Value);
                case ParameterCollection parameters:
                    return IsContract(parameters);
                case Microsoft.Xrm.Sdk.Query.QueryExpression query:
                    return IsContractFilter(query.Criteria) && query.LinkEntities.All(IsContractLink);
                case Microsoft.Xrm.Sdk.Query.QueryByAttribute byAttribute:
                    return byAttribute.Values.All(IsContractValue);
                case OrganizationRequest request:
                    return SdkContractResolver.IsSdkType(request.GetType()) && IsContract(request.Parameters);
                case Array array:
                    if (Array.IndexOf(KnownArrays, array.GetType()) < 0) return false;
                    foreach (var item in array)
                        if (!IsContractValue(item)) return false;
                    return true;
                default:
                    var type = value.GetType();
                    return type.IsPrimitive || type.IsEnum && SdkContractResolver.IsSdkType(type) || SdkContractResolver.IsSdkType(type) && !(value is System.Collections.IEnumerable);
            }
        }

        private static bool IsContractFilter(Microsoft.Xrm.Sdk.Query.FilterExpression? filter) =>
            filter == null || (filter.Conditions.All(c => c.Values.All(IsContractValue)) && filter.Filters.All(IsContractFilter));

        private static bool IsContractLink(Microsoft.Xrm.Sdk.Query.LinkEntity link) =>
            IsContractFilter(link.LinkCriteria) && link.LinkEntities.All(IsContractLink);

        private static readonly Type[] KnownArrays =
        {
            typeof(Entity[]), typeof(EntityReference[]), typeof(OptionSetValue[]), typeof(Guid[]), typeof(string[]), typeof(int[]),
            typeof(bool[]), typeof(decimal[]), typeof(double[]), typeof(long[]), typeof(DateTime[]),
        };

        /// <summary>
        /// A collection as the other side of the boundary reads it. Values that are plainly the SDK's own contracts (text,
        /// numbers, ids, dates, entities, references, money, choices, entity collections) are deep-copied to exactly what the
        /// round trip gives (<c>SerializationFidelityTests</c> and <c>BoundaryCopyTests</c> compare the two); anything else goes through the
        /// DataContractSerializer, which accepts it or fails as the sandbox fails. The copy keeps the suite's time: a
        /// serializer round trip of every Target and image costs several times a copy.
        /// </summary>
        public static ParameterCollection Copy(ParameterCollection parameters, string what)
        {
            if (parameters.Count == 0) return new ParameterCollection();
            // Each value on its own: a plain one copied, any other put through the serializer alone. A round trip of the
            // whole collection gives the same values (the serializer writes a value met twice twice, so no value shares
            // an object with another either way), and a bulk request's thousand plain Targets are not serialized for the
            // sake of the ConcurrencyBehavior beside them.
            var copy = new ParameterCollection();
            foreach (var p in parameters) copy[p.Key] = IsPlain(p.Value) ? PlainCopy(p.Value) : Serialized(parameters, p, what);
            return copy;
        }

        /// <summary>One value of <paramref name="parameters"/> through the serializer; a failure names the first value of
        /// the collection that does not serialize, as a round trip of the whole collection fails.</summary>
        private static object? Serialized(ParameterCollection parameters, KeyValuePair<string, object> entry, string what)
        {
            try
            {
                return ((ParameterCollection)RoundTrip(ParameterSerializer, new ParameterCollection { [entry.Key] = entry.Value }))[entry.Key];
            }
            catch (Exception ex) when (ex is SerializationException or InvalidDataContractException)
            {
                throw new NotSerializableValueException(Describe(parameters, what), ex);
            }
        }

        /// <summary>
        /// A request's parameters as the platform reads them. When no plugin step will see them (<paramref name="observed"/>
        /// false) and every value is plainly a data contract, the platform's own work only reads them, so they are
        /// checked and not copied: a query is read, never changed, by the engine.
        /// </summary>
        public static ParameterCollection Request(ParameterCollection parameters, string what, bool observed)
        {
            if (parameters.Count == 0) return new ParameterCollection();
            if (!observed && !IsPlain(parameters) && IsContract(parameters))
            {
                var same = new ParameterCollection();
                foreach (var p in parameters) same[p.Key] = p.Value;
                return same;
            }

            return Copy(parameters, what);
        }

        private static EntityImageCollection Copy(EntityImageCollection images)
        {
            if (images.Count == 0) return new EntityImageCollection();
            if (IsPlain(images))
            {
                var copy = new EntityImageCollection();
                foreach (var i in images) copy[i.Key] = (Entity)PlainCopy(i.Value)!;
                return copy;
            }

            return (EntityImageCollection)RoundTrip(ImageSerializer, images);
        }

        private static bool IsPlain(EntityImageCollection images)
        {
            foreach (var i in images)
                if (!IsPlain(i.Value)) return false;
            return true;
        }

        private static bool IsPlain(ParameterCollection parameters)
        {
            foreach (var p in parameters)
                if (!IsPlain(p.Value)) return false;
            return true;
        }

        /// <summary>Whether <see cref="PlainCopy"/> copies the value exactly as the serializer would.</summary>
        private static bool IsPlain(object? value)
        {
            switch (value)
            {
                case null: case string: case Guid: case DateTime: case decimal: case bool: case int: case long: case double:
                case Money: case OptionSetValue:
                    return true;
                case EntityReference r:
                    return r.KeyAttributes.Count == 0;
                case AliasedValue a:
                    return IsPlain(a.Value);
                case OptionSetValueCollection:
                    return true;
                case Entity e:
                    if (e.GetType() != typeof(Entity) || e.RelatedEntities.Count != 0 || e.KeyAttributes.Count != 0) return false;
                    foreach (var a in e.Attributes)
                        if (!IsPlain(a.Value)) return false;
                    return true;
                case EntityCollection c:
                    foreach (var e in c.Entities)
                        if (!IsPlain(e)) return false;
                    return true;
                default:
                    return false;
            }
        }

        private static object? PlainCopy(object? value) => value switch
        {
            EntityReference r => new EntityReference(r.LogicalName, r.Id) { Name = r.Name, RowVersion = r.RowVersion },
            Money m => new Money(m.Value),
            OptionSetValue o => new OptionSetValue(o.Value),
            OptionSetValueCollection c => new OptionSetValueCollection(c.Select(o => new OptionSetValue(o.Value)).ToList()),
            AliasedValue a => new AliasedValue(a.EntityLogicalName, a.AttributeLogicalName, PlainCopy(a.Value)),
            Entity e => PlainEntity(e),
            EntityCollection c => new EntityCollection(c.Entities.Select(PlainEntity).ToList())
            {
                EntityName = c.EntityName, MoreRecords = c.MoreRecords, PagingCookie = c.PagingCookie, MinActiveRowVersion = c.MinActiveRowVersion,
                TotalRecordCount = c.TotalRecordCount, TotalRecordCountLimitExceeded = c.TotalRecordCountLimitExceeded,
            },
            _ => value,
        };

        private static Entity PlainEntity(Entity source)
        {
            var copy = new Entity(source.LogicalName, source.Id) { RowVersion = source.RowVersion, EntityState = source.EntityState };
            foreach (var a in source.Attributes) copy.Attributes[a.Key] = PlainCopy(a.Value);
            foreach (var f in source.FormattedValues) copy.FormattedValues[f.Key] = f.Value;
            return copy;
        }

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

            // Asked of every value that crosses the boundary: an assembly's name is built anew on each call, so the answer
            // is kept per type.
            private static readonly ConcurrentDictionary<Type, bool> SdkTypes = new();

            public static bool IsSdkType(Type type) => SdkTypes.GetOrAdd(type, t => SdkAssemblies.Contains(t.Assembly.GetName().Name));

            public override bool TryResolveType(Type type, Type? declaredType, DataContractResolver knownTypeResolver, out XmlDictionaryString? typeName, out XmlDictionaryString? typeNamespace)
            {
                if (knownTypeResolver.TryResolveType(type, declaredType, null!, out typeName, out typeNamespace)) return true;
                // An array of a contract (BulkDelete's QuerySet, a QueryExpression[]) goes as the data contract serializer names
                // collections: ArrayOf{name} in the element's namespace.
                var element = type.IsArray && type.GetArrayRank() == 1 ? type.GetElementType()! : type;
                var contract = IsSdkType(element) ? element.GetCustomAttribute<DataContractAttribute>() : null;
                if (contract == null) return false;
                var dictionary = new XmlDictionary();
                typeName = dictionary.Add((element == type ? "" : ArrayPrefix) + (contract.Name ?? element.Name));
                typeNamespace = dictionary.Add(contract.Namespace ?? "");
                return true;
            }

            private const string ArrayPrefix = "ArrayOf";

            public override Type? ResolveName(string typeName, string? typeNamespace, Type? declaredType, DataContractResolver knownTypeResolver) =>
                knownTypeResolver.ResolveName(typeName, typeNamespace, declaredType, null!)
                ?? ByName.GetOrAdd((typeName, typeNamespace ?? ""), key =>
                    Contracts.Value.TryGetValue(key, out var t) ? t
                    : key.Item1.StartsWith(ArrayPrefix, StringComparison.Ordinal) && Contracts.Value.TryGetValue((key.Item1.Substring(ArrayPrefix.Length), key.Item2), out var e) ? e.MakeArrayType()
                    : null);

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
