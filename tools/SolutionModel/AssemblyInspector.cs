using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace CrmPlugins.SolutionModel
{
    /// <summary>A type of a built assembly, as metadata describes it (the assembly is read, never loaded or run).</summary>
    public sealed record InspectedType(string FullName, bool IsPublic, bool IsAbstract, string? BaseTypeName, IReadOnlyList<string> Interfaces, IReadOnlyList<string> Properties,
        IReadOnlyDictionary<string, string> StringConstants);

    /// <summary>
    /// Reads a built assembly (net462 or net10.0) with System.Reflection.Metadata: its identity, its types, what they derive
    /// from and implement, their properties and their string constants. Pack uses it to check the registration against the
    /// assembly that ships.
    /// </summary>
    public sealed class AssemblyInspector
    {
        private readonly Dictionary<string, InspectedType> _types;

        private AssemblyInspector(string path, string fullName, Dictionary<string, InspectedType> types)
        {
            Path = path;
            FullName = fullName;
            _types = types;
        }

        public string Path { get; }

        /// <summary>"Name, Version=..., Culture=..., PublicKeyToken=...".</summary>
        public string FullName { get; }

        public string Name => FullName.Split(',')[0];

        public IReadOnlyCollection<InspectedType> Types => _types.Values;

        public InspectedType? Type(string fullName) => _types.TryGetValue(fullName, out var t) ? t : null;

        public static AssemblyInspector Read(string path)
        {
            if (!File.Exists(path)) throw new FileNotFoundException($"The assembly {path} does not exist: build it first.", path);
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata) throw new BadImageFormatException($"{path} is not a .NET assembly.");
            var md = pe.GetMetadataReader();
            var def = md.GetAssemblyDefinition();
            var name = def.GetAssemblyName();
            name.SetPublicKey(md.GetBlobBytes(def.PublicKey));
            var types = new Dictionary<string, InspectedType>(StringComparer.Ordinal);
            foreach (var handle in md.TypeDefinitions)
            {
                var t = md.GetTypeDefinition(handle);
                var full = FullNameOf(md, handle);
                if (full == "<Module>") continue;
                var visibility = t.Attributes & TypeAttributes.VisibilityMask;
                var properties = t.GetProperties().Select(p => md.GetString(md.GetPropertyDefinition(p).Name)).ToList();
                var constants = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var fh in t.GetFields())
                {
                    var f = md.GetFieldDefinition(fh);
                    if ((f.Attributes & FieldAttributes.Literal) == 0) continue;
                    var c = f.GetDefaultValue();
                    if (c.IsNil) continue;
                    var constant = md.GetConstant(c);
                    if (constant.TypeCode != ConstantTypeCode.String) continue;
                    constants[md.GetString(f.Name)] = md.GetBlobReader(constant.Value).ReadUTF16(md.GetBlobReader(constant.Value).Length);
                }

                types[full] = new InspectedType(full, visibility == TypeAttributes.Public || visibility == TypeAttributes.NestedPublic, (t.Attributes & TypeAttributes.Abstract) != 0,
                    t.BaseType.IsNil ? null : NameOf(md, t.BaseType),
                    t.GetInterfaceImplementations().Select(i => NameOf(md, md.GetInterfaceImplementation(i).Interface)).ToList(), properties, constants);
            }

            return new AssemblyInspector(path, name.FullName, types);
        }

        /// <summary>Whether the type derives (through types of this assembly) from <paramref name="baseFullName"/> or implements the interface of that name.</summary>
        public bool IsA(InspectedType type, string baseFullName)
        {
            for (var t = type; t != null;)
            {
                if (t.FullName == baseFullName || t.Interfaces.Contains(baseFullName) || t.BaseTypeName == baseFullName) return true;
                t = t.BaseTypeName == null ? null : Type(t.BaseTypeName);
            }

            return false;
        }

        /// <summary>Public, concrete types that implement Microsoft.Xrm.Sdk.IPlugin.</summary>
        public IEnumerable<InspectedType> PluginTypes => Types.Where(t => t.IsPublic && !t.IsAbstract && IsA(t, "Microsoft.Xrm.Sdk.IPlugin")).OrderBy(t => t.FullName, StringComparer.Ordinal);

        /// <summary>Public, concrete types that derive from System.Activities.CodeActivity.</summary>
        public IEnumerable<InspectedType> ActivityTypes => Types.Where(t => t.IsPublic && !t.IsAbstract && IsA(t, "System.Activities.CodeActivity")).OrderBy(t => t.FullName, StringComparer.Ordinal);

        /// <summary>Properties of the type and its bases within this assembly.</summary>
        public IEnumerable<string> AllProperties(InspectedType type)
        {
            for (var t = type; t != null; t = t.BaseTypeName == null ? null : Type(t.BaseTypeName))
                foreach (var p in t.Properties) yield return p;
        }

        private static string FullNameOf(MetadataReader md, TypeDefinitionHandle handle)
        {
            var t = md.GetTypeDefinition(handle);
            var name = md.GetString(t.Name);
            var declaring = t.GetDeclaringType();
            if (!declaring.IsNil) return FullNameOf(md, declaring) + "+" + name;
            var ns = md.GetString(t.Namespace);
            return ns.Length == 0 ? name : ns + "." + name;
        }

        private static string NameOf(MetadataReader md, EntityHandle handle) => handle.Kind switch
        {
            HandleKind.TypeDefinition => FullNameOf(md, (TypeDefinitionHandle)handle),
            HandleKind.TypeReference => RefName(md, (TypeReferenceHandle)handle),
            HandleKind.TypeSpecification => "(generic)",
            _ => "",
        };

        private static string RefName(MetadataReader md, TypeReferenceHandle handle)
        {
            var r = md.GetTypeReference(handle);
            var name = md.GetString(r.Name);
            if (r.ResolutionScope.Kind == HandleKind.TypeReference) return RefName(md, (TypeReferenceHandle)r.ResolutionScope) + "+" + name;
            var ns = md.GetString(r.Namespace);
            return ns.Length == 0 ? name : ns + "." + name;
        }
    }
}
