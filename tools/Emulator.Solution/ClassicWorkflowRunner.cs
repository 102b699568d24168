using System;
using System.Activities;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CrmPlugins.Emulator.Pipeline;
using CrmPlugins.SolutionModel;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator
{
    /// <summary>
    /// Runs a classic workflow's XAML in the shape Dataverse's designer writes (see <see cref="WorkflowXaml"/>): each
    /// Composite step in order, its helper variables set by GetEntityProperty, EvaluateExpression (SelectFirstNonNull,
    /// CreateCrmType) and ConvertCrmXrmTypes, then the custom activity called with its x:Key arguments, the VB
    /// <c>[DirectCast(variable, Full.Type.Name)]</c> and <c>[variable]</c> bindings evaluated, outputs bound back to variables.
    /// Construction refuses what Dataverse refuses (the problems <see cref="WorkflowXaml"/> finds, an argument whose
    /// x:TypeArguments or DirectCast type is not the activity's argument type) and what the runner does not model.
    /// </summary>
    internal sealed class ClassicWorkflowRunner : IPlugin
    {
        private readonly XrmOrganization _org;
        private readonly WorkflowDefinition _workflow;
        private readonly IReadOnlyDictionary<CustomActivityCall, Binding> _bindings;

        public ClassicWorkflowRunner(XrmOrganization org, WorkflowDefinition workflow, IReadOnlyDictionary<(string Assembly, string Type), Type> exported)
        {
            _org = org;
            _workflow = workflow;
            if (workflow.Xaml.Problems.Count > 0) throw new SolutionFormatException(workflow.XamlFile, workflow.Xaml.Problems[0]);
            var bindings = new Dictionary<CustomActivityCall, Binding>(ReferenceEqualityComparer.Instance);
            foreach (var step in workflow.Xaml.Steps)
            {
                foreach (var activity in step.Activities)
                {
                    switch (activity)
                    {
                        case GetEntityPropertyActivity g when g.EntityKey != "primaryEntity" || g.EntityName != workflow.PrimaryEntity:
                            throw new SolutionFormatException(workflow.XamlFile, $"the step '{step.DisplayName}' reads {g.EntityName} '{g.EntityKey}': the emulator's workflow runner reads only the workflow's primary record");
                        case EvaluateExpressionActivity e when e.Operator is not ("SelectFirstNonNull" or "CreateCrmType"):
                            throw new SolutionFormatException(workflow.XamlFile, $"the step '{step.DisplayName}' evaluates {e.Operator}, which the emulator's workflow runner does not model");
                        case CustomActivityCall call:
                            var type = exported.TryGetValue((call.AssemblyName, call.TypeFullName), out var t) && typeof(CodeActivity).IsAssignableFrom(t)
                                ? t
                                : throw new SolutionFormatException(workflow.XamlFile, $"the workflow calls {call.TypeFullName}, which is not a workflow activity in the assemblies given");
                            foreach (var argument in call.Arguments) CheckArgument(workflow, step, type, argument);
                            bindings[call] = Bind(type, call);
                            break;
                    }
                }
            }

            _bindings = bindings;
        }

        /// <summary>How a call's arguments are bound, read once from the XAML and the activity's type: every run of the
        /// workflow binds them alike, and reading them again (reflection, a regular expression a DirectCast) was most of
        /// what a run spent outside the activity.</summary>
        private sealed record Binding(Type Type, IReadOnlyList<InputBinding> Inputs, IReadOnlyList<(string Name, string Variable)> Outputs);

        /// <summary>An input argument: from a DirectCast of a variable, a variable, or a literal.</summary>
        private sealed record InputBinding(string Name, Type Type, string? CastOperand, string? Variable, string Expression);

        private static Binding Bind(Type type, CustomActivityCall call)
        {
            var inputs = new List<InputBinding>();
            var outputs = new List<(string, string)>();
            foreach (var argument in call.Arguments)
            {
                if (argument.IsOutput)
                {
                    if (argument.Expression.StartsWith('[')) outputs.Add((argument.Name, WorkflowXaml.Variable(argument.Expression)));
                    continue;
                }

                var argumentType = type.GetProperty(argument.Name)!.PropertyType.GetGenericArguments()[0];
                var operand = WorkflowXaml.DirectCastOperand(argument.Expression);
                var variable = operand == null && argument.Expression.StartsWith('[') ? WorkflowXaml.Variable(argument.Expression) : null;
                inputs.Add(new InputBinding(argument.Name, argumentType, operand, variable, argument.Expression));
            }

            return new Binding(type, inputs, outputs);
        }

        private static void CheckArgument(WorkflowDefinition workflow, XamlStep step, Type type, XamlArgument argument)
        {
            var property = type.GetProperty(argument.Name);
            var expected = property?.PropertyType is { IsGenericType: true } p && (p.GetGenericTypeDefinition() == typeof(InArgument<>) || p.GetGenericTypeDefinition() == typeof(OutArgument<>))
                ? p.GetGenericArguments()[0] : null;
            if (property == null || expected == null)
                throw new SolutionFormatException(workflow.XamlFile, $"the step '{step.DisplayName}' passes {argument.Name}, which is not an argument of {type.FullName}");
            if (argument.IsOutput != (property.PropertyType.GetGenericTypeDefinition() == typeof(OutArgument<>)))
                throw new SolutionFormatException(workflow.XamlFile, $"the step '{step.DisplayName}' binds {type.Name}.{argument.Name} as an {(argument.IsOutput ? "OutArgument" : "InArgument")}, which it is not");
            if (XamlType(argument.TypeArgument) is not { } declared || declared != expected)
                throw new SolutionFormatException(workflow.XamlFile, $"the step '{step.DisplayName}' passes {argument.Name} as x:TypeArguments=\"{argument.TypeArgument}\", but {type.Name}.{argument.Name} is of {expected.FullName}");
            if (WorkflowXaml.DirectCastType(argument.Expression) is { } cast && cast != expected.FullName)
                throw new SolutionFormatException(workflow.XamlFile, $"the step '{step.DisplayName}' casts {argument.Name} to {cast}, but {type.Name}.{argument.Name} is of {expected.FullName}");
        }

        /// <summary>The .NET type of an x:TypeArguments value with the prefixes Dataverse's designer declares.</summary>
        private static Type? XamlType(string typeArgument) => typeArgument switch
        {
            "mxs:EntityReference" => typeof(EntityReference),
            "mxs:OptionSetValue" => typeof(OptionSetValue),
            "mxs:Money" => typeof(Money),
            "x:String" => typeof(string),
            "x:Boolean" => typeof(bool),
            "x:Int32" => typeof(int),
            "x:Decimal" => typeof(decimal),
            "x:Double" => typeof(double),
            "s:DateTime" => typeof(DateTime),
            "x:Object" => typeof(object),
            _ => null,
        };

        public void Execute(IServiceProvider serviceProvider)
        {
            var plugin = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
            var primary = new EntityReference(plugin.PrimaryEntityName, plugin.PrimaryEntityId);
            foreach (var step in _workflow.Xaml.Steps)
            {
                var variables = new Dictionary<string, object?>(step.Variables.Count, StringComparer.Ordinal);
                foreach (var v in step.Variables) variables.Add(v, null);
                foreach (var activity in step.Activities)
                {
                    switch (activity)
                    {
                        case GetEntityPropertyActivity g:
                            variables[g.Result] = g.Attribute == g.EntityName + "id" ? primary : _org.Get(primary.LogicalName, primary.Id)?.GetAttributeValue<object>(g.Attribute);
                            break;
                        case EvaluateExpressionActivity { Operator: "SelectFirstNonNull" } e:
                            variables[e.Result] = FirstNonNull(variables, e.Parameters);
                            break;
                        case EvaluateExpressionActivity e:
                            variables[e.Result] = CreateCrmType(variables, e.Parameters);
                            break;
                        case ConvertCrmXrmTypesActivity c:
                            variables[c.Result] = variables[c.Value];
                            break;
                        case CustomActivityCall call:
                            Call(plugin, step, call, variables);
                            break;
                    }
                }
            }
        }

        private void Call(IPluginExecutionContext plugin, XamlStep step, CustomActivityCall call, Dictionary<string, object?> variables)
        {
            var binding = _bindings[call];
            var context = new WorkflowContext
            {
                UserId = plugin.UserId,
                InitiatingUserId = plugin.InitiatingUserId,
                PrimaryEntityName = plugin.PrimaryEntityName,
                PrimaryEntityId = plugin.PrimaryEntityId,
                MessageName = plugin.MessageName,
                Depth = plugin.Depth,
                CorrelationId = plugin.CorrelationId,
                StageName = "",
                WorkflowCategory = 0,
                WorkflowMode = _workflow.Mode,
            };
            var inputs = new Dictionary<string, object?>(binding.Inputs.Count, StringComparer.Ordinal);
            foreach (var input in binding.Inputs)
            {
                object? value;
                if (input.CastOperand is { } operand)
                {
                    value = variables[operand];
                    // VB's DirectCast fails the step on a value of another type, as the platform's workflow host does.
                    if (value != null && !input.Type.IsInstanceOfType(value))
                        throw new InvalidPluginExecutionException($"{_workflow.Name}, {step.DisplayName}: DirectCast of {operand} ({value.GetType().Name}) to {input.Type.FullName} failed.");
                }
                else if (input.Variable is { } variable)
                {
                    value = variables[variable];
                }
                else
                {
                    value = Literal(input.Expression, input.Type);
                }

                inputs[input.Name] = value;
            }

            var execution = _org.ExecuteCodeActivity((CodeActivity)Activator.CreateInstance(binding.Type)!, inputs, context);
            foreach (var (name, variable) in binding.Outputs)
                variables[variable] = execution.Outputs.TryGetValue(name, out var v) ? v : null;
        }

        private static object? FirstNonNull(Dictionary<string, object?> variables, IReadOnlyList<string> parameters)
        {
            foreach (var p in parameters)
                if (Value(variables, p) is { } value) return value;
            return null;
        }

        private static object? Value(Dictionary<string, object?> variables, string parameter) =>
            variables.TryGetValue(parameter, out var v) ? v : parameter.StartsWith('"') ? parameter.Trim('"').Replace("\"\"", "\"", StringComparison.Ordinal) : null;

        /// <summary>CreateCrmType as the designer writes it: the property type, then its parts (a Guid's text, or a reference's table, label and id variable).</summary>
        private static object? CreateCrmType(Dictionary<string, object?> variables, IReadOnlyList<string> parameters)
        {
            var kind = parameters.Count > 0 ? parameters[0].Split('.').Last() : "";
            return kind switch
            {
                "Guid" => Guid.Parse((string)Value(variables, parameters[1])!),
                "EntityReference" => Value(variables, parameters[3]) is Guid id ? new EntityReference((string)Value(variables, parameters[1])!, id) : null,
                "String" => Value(variables, parameters[1]),
                _ => throw new InvalidPluginExecutionException($"CreateCrmType of {kind} is not modelled by the emulator's workflow runner."),
            };
        }

        private static object? Literal(string text, Type type) =>
            type == typeof(string) ? text
            : type == typeof(OptionSetValue) ? new OptionSetValue(int.Parse(text, CultureInfo.InvariantCulture))
            : type == typeof(bool) ? bool.Parse(text)
            : type == typeof(int) ? int.Parse(text, CultureInfo.InvariantCulture)
            : type == typeof(decimal) ? decimal.Parse(text, CultureInfo.InvariantCulture)
            : throw new InvalidPluginExecutionException($"A literal of type {type.Name} is not supported by the emulator's workflow runner.");
    }
}
