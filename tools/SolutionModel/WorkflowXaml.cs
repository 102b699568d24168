using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace CrmPlugins.SolutionModel
{
    /// <summary>An argument a step passes to a custom activity: <c>&lt;InArgument x:TypeArguments="mxs:EntityReference" x:Key="Name"&gt;[...]&lt;/InArgument&gt;</c>.</summary>
    public sealed record XamlArgument(string Name, bool IsOutput, string TypeArgument, string Expression);

    /// <summary>One activity inside a step (a composite's Activities collection).</summary>
    public abstract record XamlActivity;

    /// <summary><c>mxswa:GetEntityProperty</c>: reads <see cref="Attribute"/> of the record <see cref="EntityKey"/> (e.g. primaryEntity) into the variable <see cref="Result"/>.</summary>
    public sealed record GetEntityPropertyActivity(string Attribute, string EntityKey, string EntityName, string Result) : XamlActivity;

    /// <summary><c>Microsoft.Crm.Workflow.Activities.EvaluateExpression</c>: an operator (SelectFirstNonNull, CreateCrmType, ...) over its parameters into <see cref="Result"/>.</summary>
    public sealed record EvaluateExpressionActivity(string Operator, IReadOnlyList<string> Parameters, string Result) : XamlActivity;

    /// <summary><c>Microsoft.Crm.Workflow.Activities.ConvertCrmXrmTypes</c>: the variable <see cref="Value"/> converted to the SDK type into <see cref="Result"/>.</summary>
    public sealed record ConvertCrmXrmTypesActivity(string Value, string Result) : XamlActivity;

    /// <summary>A custom workflow activity called through <c>mxswa:ActivityReference AssemblyQualifiedName="Namespace.Class, Assembly, ..."</c>.</summary>
    public sealed record CustomActivityCall(string TypeFullName, string AssemblyName, string AssemblyQualifiedName, IReadOnlyList<XamlArgument> Arguments) : XamlActivity;

    /// <summary>A step of the workflow: a <c>Microsoft.Crm.Workflow.Activities.Composite</c> with its variables and activities.</summary>
    public sealed record XamlStep(string DisplayName, IReadOnlyList<string> Variables, IReadOnlyList<XamlActivity> Activities);

    /// <summary>
    /// A classic workflow's XAML read in the shape Dataverse's designer writes, with what Dataverse would refuse in it.
    /// The shape, from a Dataverse 9.2 export (phuocle/Dynamics-Crm-DevKit@833a2cab
    /// test/3.11.11.11/Test.Cli.Server/Dev.DevKit.SolutionPackager/Dev/Solutions-Extract/TestPluginWorkflowCustomActionCustomApi_1.0.0000.0.zip,
    /// Workflows/TestAccount-*.xaml): each step is an <c>mxswa:ActivityReference</c> to <c>Microsoft.Crm.Workflow.Activities.Composite</c>
    /// (DisplayName <c>CustomActivityStepN: ...</c>) whose <c>x:Key="Variables"</c> collection declares the helper variables
    /// <c>..._1, ..._2, ..._1_converted</c> and whose <c>x:Key="Activities"</c> collection reads, converts and finally calls the
    /// custom activity through another ActivityReference naming it by assembly-qualified name, its arguments keyed by
    /// <c>x:Key</c>; no clr-namespace is declared for the custom assembly, and the VB expressions name types in full
    /// (<c>DirectCast(x, Microsoft.Xrm.Sdk.EntityReference)</c>).
    /// </summary>
    public sealed class WorkflowXaml
    {
        public const string ActivitiesNamespacePrefix = "clr-namespace:Microsoft.Xrm.Sdk.Workflow.Activities;";
        private const string XamlNamespace = "http://schemas.microsoft.com/winfx/2006/xaml";
        private const string Platform = "Microsoft.Crm.Workflow.Activities.";

        private static readonly Regex PrefixInExpression = new(@"(?<![\w.""])([A-Za-z][\w]*):([A-Z][\w]*)", RegexOptions.CultureInvariant);
        private static readonly Regex Identifier = new(@"^[A-Za-z_]\w*$", RegexOptions.CultureInvariant);

        private WorkflowXaml(IReadOnlyList<XamlStep> steps, IReadOnlyList<string> problems)
        {
            Steps = steps;
            Problems = problems;
        }

        public IReadOnlyList<XamlStep> Steps { get; }

        /// <summary>What Dataverse would refuse on import or activation (one line each); empty for a designer-shaped workflow.</summary>
        public IReadOnlyList<string> Problems { get; }

        /// <summary>Every custom activity the workflow calls, in order.</summary>
        public IEnumerable<CustomActivityCall> Calls => Steps.SelectMany(s => s.Activities.OfType<CustomActivityCall>());

        /// <summary>Reads the XAML of a classic workflow (<paramref name="category"/> 0) or of another process type.</summary>
        public static WorkflowXaml Read(XElement activity, int category = 0)
        {
            var problems = new List<string>();

            foreach (var ns in activity.DescendantsAndSelf().SelectMany(e => e.Attributes()).Where(a => a.IsNamespaceDeclaration && a.Value.StartsWith("clr-namespace:", StringComparison.Ordinal)))
            {
                var assembly = AssemblyOf(ns.Value);
                if (assembly.Length > 0 && !IsPlatformAssembly(assembly))
                    problems.Add($"declares xmlns:{ns.Name.LocalName} for the custom assembly {assembly}: Dataverse's designer calls a custom activity through <mxswa:ActivityReference AssemblyQualifiedName=\"...\">, never as an element of its own namespace");
            }

            foreach (var e in activity.Descendants().Where(e => e.Name.NamespaceName.StartsWith("clr-namespace:", StringComparison.Ordinal) && !IsPlatformAssembly(AssemblyOf(e.Name.NamespaceName))))
                problems.Add($"<{e.Name.LocalName}> is a custom activity written as an element; Dataverse's designer writes <mxswa:ActivityReference AssemblyQualifiedName=\"{e.Name.LocalName}, ...\">");

            foreach (var text in Expressions(activity))
            {
                var prefixed = PrefixInExpression.Match(StripStrings(text));
                if (prefixed.Success)
                    problems.Add($"the expression {text} uses the XAML prefix '{prefixed.Groups[1].Value}:', which is not VB: name the type in full (e.g. Microsoft.Xrm.Sdk.EntityReference)");
            }

            var workflow = activity.Elements().FirstOrDefault(e => e.Name.LocalName == "Workflow" && e.Name.NamespaceName.StartsWith(ActivitiesNamespacePrefix, StringComparison.Ordinal));
            var steps = new List<XamlStep>();
            if (workflow == null)
            {
                problems.Add("has no <mxswa:Workflow> element");
                return new WorkflowXaml(steps, problems);
            }

            foreach (var step in workflow.Elements())
            {
                var composite = QualifiedName(step);
                if (composite == Platform + "StepComposite" && category == 0)
                {
                    problems.Add($"the step '{(string?)step.Attribute("DisplayName")}' is a {composite}, which Dataverse uses in business process flows; a classic workflow's step is {Platform}Composite");
                    continue;
                }

                if (composite != Platform + "Composite")
                {
                    problems.Add($"the step <{step.Name.LocalName}> '{(string?)step.Attribute("DisplayName")}' is not a {Platform}Composite");
                    continue;
                }

                steps.Add(ReadStep(step, problems));
            }

            return new WorkflowXaml(steps, problems.Distinct().ToList());
        }

        private static XamlStep ReadStep(XElement step, List<string> problems)
        {
            var name = (string?)step.Attribute("DisplayName") ?? "";
            var properties = step.Elements().FirstOrDefault(e => e.Name.LocalName == "ActivityReference.Properties");
            var collections = properties?.Elements().Where(e => e.Name.LocalName == "Collection").ToList() ?? new List<XElement>();
            XElement? Collection(string key) => collections.FirstOrDefault(c => (string?)c.Attribute(XName.Get("Key", XamlNamespace)) == key);

            var variables = Collection("Variables")?.Elements().Where(v => v.Name.LocalName == "Variable").Select(v => (string?)v.Attribute("Name") ?? "").ToList() ?? new List<string>();
            if (step.Descendants().Any(e => e.Name.LocalName == "Sequence.Variables"))
                problems.Add($"the step '{name}' declares variables in a Sequence; the designer declares them in the composite's x:Key=\"Variables\" collection");

            // Activation rebuilds a step from its variable names: a converted variable stands beside the variable it converts.
            foreach (var v in variables.Where(v => v.EndsWith("_converted", StringComparison.Ordinal) && !variables.Contains(v[..^"_converted".Length])))
                problems.Add($"the step '{name}' declares {v} without {v[..^"_converted".Length]}");

            var activities = new List<XamlActivity>();
            foreach (var a in Collection("Activities")?.Elements() ?? Enumerable.Empty<XElement>())
            {
                var activity = ReadActivity(name, a, problems);
                if (activity != null) activities.Add(activity);
            }

            var declared = variables.ToHashSet(StringComparer.Ordinal);
            foreach (var used in activities.SelectMany(Uses).Where(u => !declared.Contains(u)).Distinct())
                problems.Add($"the step '{name}' uses the variable {used}, which its x:Key=\"Variables\" collection does not declare");
            if (!activities.OfType<CustomActivityCall>().Any())
                problems.Add($"the step '{name}' calls no activity");
            return new XamlStep(name, variables, activities);
        }

        private static XamlActivity? ReadActivity(string step, XElement a, List<string> problems)
        {
            if (a.Name.LocalName == "GetEntityProperty")
                return new GetEntityPropertyActivity((string?)a.Attribute("Attribute") ?? "", EntityKey((string?)a.Attribute("Entity") ?? ""), (string?)a.Attribute("EntityName") ?? "", Variable((string?)a.Attribute("Value") ?? ""));

            if (a.Name.LocalName != "ActivityReference")
            {
                problems.Add($"the step '{step}' holds <{a.Name.LocalName}>, which the designer does not write inside a custom activity step");
                return null;
            }

            var qualified = (string?)a.Attribute("AssemblyQualifiedName") ?? "";
            var type = qualified.Split(',')[0].Trim();
            var arguments = (a.Elements().FirstOrDefault(e => e.Name.LocalName == "ActivityReference.Arguments")?.Elements() ?? Enumerable.Empty<XElement>())
                .Select(e => new XamlArgument((string?)e.Attribute(XName.Get("Key", XamlNamespace)) ?? "", e.Name.LocalName == "OutArgument",
                    (string?)e.Attribute(XName.Get("TypeArguments", XamlNamespace)) ?? "", e.HasElements ? "" : e.Value.Trim())).ToList();
            foreach (var unnamed in arguments.Where(x => x.Name.Length == 0))
                problems.Add($"the step '{step}' passes an argument to {type} without x:Key");
            string Arg(string key) => arguments.FirstOrDefault(x => x.Name == key)?.Expression ?? "";

            switch (type)
            {
                case Platform + "EvaluateExpression":
                    return new EvaluateExpressionActivity(Arg("ExpressionOperator"), Parameters(Arg("Parameters")), Variable(Arg("Result")));
                case Platform + "ConvertCrmXrmTypes":
                    return new ConvertCrmXrmTypesActivity(Variable(Arg("Value")), Variable(Arg("Result")));
            }

            if (type.StartsWith("Microsoft.", StringComparison.Ordinal) || type.StartsWith("System.", StringComparison.Ordinal))
            {
                problems.Add($"the step '{step}' calls {type}, which the emulator's workflow runner does not run");
                return null;
            }

            var parts = qualified.Split(',').Select(p => p.Trim()).ToArray();
            if (parts.Length < 5 || parts.Skip(2).Any(p => !p.Contains('=')))
                problems.Add($"the step '{step}' names {qualified}, which is not an assembly-qualified name (Namespace.Class, Assembly, Version=..., Culture=..., PublicKeyToken=...)");
            if (!step.StartsWith("CustomActivityStep", StringComparison.Ordinal))
                problems.Add($"the step '{step}' calls {type}; the designer names such a step CustomActivityStepN: ...");
            return new CustomActivityCall(type, parts.Length > 1 ? parts[1] : "", qualified, arguments.Where(x => x.Name.Length > 0).ToList());
        }

        /// <summary>The variable an expression like <c>[Name]</c> names, or the text when it is not one.</summary>
        public static string Variable(string expression) => expression.StartsWith('[') && expression.EndsWith(']') ? expression[1..^1].Trim() : expression;

        /// <summary>The record key of <c>[InputEntities("primaryEntity")]</c>.</summary>
        private static string EntityKey(string expression)
        {
            var m = Regex.Match(expression, @"^\[InputEntities\(""([^""]+)""\)\]$", RegexOptions.CultureInvariant);
            return m.Success ? m.Groups[1].Value : expression;
        }

        /// <summary>The items of <c>[New Object() { a, "b", c }]</c>, strings with their quotes.</summary>
        private static IReadOnlyList<string> Parameters(string expression)
        {
            var m = Regex.Match(expression, @"^\[New Object\(\) \{(.*)\}\]$", RegexOptions.CultureInvariant | RegexOptions.Singleline);
            if (!m.Success) return Array.Empty<string>();
            return Regex.Matches(m.Groups[1].Value, @"""(?:[^""]|"""")*""|[^,]+").Select(x => x.Value.Trim()).Where(x => x.Length > 0).ToList();
        }

        private static IEnumerable<string> Uses(XamlActivity activity) => activity switch
        {
            GetEntityPropertyActivity g => new[] { g.Result },
            EvaluateExpressionActivity e => e.Parameters.Where(p => Identifier.IsMatch(p)).Append(e.Result),
            ConvertCrmXrmTypesActivity c => new[] { c.Value, c.Result },
            CustomActivityCall call => call.Arguments.Select(a => DirectCastOperand(a.Expression) ?? (a.Expression.StartsWith('[') ? Variable(a.Expression) : null)).Where(v => v != null && Identifier.IsMatch(v)).Select(v => v!),
            _ => Array.Empty<string>(),
        };

        /// <summary>The variable of <c>[DirectCast(name, Type)]</c>, or null.</summary>
        public static string? DirectCastOperand(string expression)
        {
            var m = Regex.Match(expression, @"^\[DirectCast\(\s*(\w+)\s*,\s*([\w.]+)\s*\)\]$", RegexOptions.CultureInvariant);
            return m.Success ? m.Groups[1].Value : null;
        }

        /// <summary>The type name of <c>[DirectCast(name, Type)]</c>, or null.</summary>
        public static string? DirectCastType(string expression)
        {
            var m = Regex.Match(expression, @"^\[DirectCast\(\s*(\w+)\s*,\s*([\w.:]+)\s*\)\]$", RegexOptions.CultureInvariant);
            return m.Success ? m.Groups[2].Value : null;
        }

        private static IEnumerable<string> Expressions(XElement root) =>
            root.DescendantsAndSelf().SelectMany(e => e.Attributes().Where(a => !a.IsNamespaceDeclaration).Select(a => a.Value)
                .Concat(e.HasElements ? Enumerable.Empty<string>() : new[] { e.Value.Trim() }))
                .Where(v => v.StartsWith('[') && v.EndsWith(']'));

        private static string StripStrings(string text) => Regex.Replace(text, @"""(?:[^""]|"""")*""", "\"\"");

        private static string QualifiedName(XElement e) =>
            e.Name.LocalName == "ActivityReference" ? ((string?)e.Attribute("AssemblyQualifiedName") ?? "").Split(',')[0].Trim() : e.Name.LocalName;

        private static string AssemblyOf(string clrNamespace)
        {
            var i = clrNamespace.IndexOf(";assembly=", StringComparison.Ordinal);
            return i < 0 ? "" : clrNamespace[(i + ";assembly=".Length)..].Split(',')[0].Trim();
        }

        private static bool IsPlatformAssembly(string assembly) =>
            assembly.Length == 0 || assembly == "mscorlib" || assembly.StartsWith("Microsoft.", StringComparison.Ordinal) || assembly.StartsWith("System", StringComparison.Ordinal);
    }
}
