using System.Activities.Hosting;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace System.Activities
{
    /// <summary>
    /// Runs an activity as a method call: binds the inputs to the activity's argument properties by name,
    /// runs it with the extensions added to <see cref="Extensions"/>, and returns its outputs by name.
    /// This stand-in runs <see cref="CodeActivity"/> only.
    /// </summary>
    public sealed class WorkflowInvoker
    {
        private readonly Activity _workflow;

        public WorkflowInvoker(Activity workflow)
        {
            _workflow = workflow ?? throw new ArgumentNullException(nameof(workflow));
            Extensions = new WorkflowInstanceExtensionManager();
        }

        /// <summary>Services the activity can get with <c>context.GetExtension&lt;T&gt;()</c>.</summary>
        public WorkflowInstanceExtensionManager Extensions { get; }

        public static IDictionary<string, object> Invoke(Activity workflow) => new WorkflowInvoker(workflow).Invoke();

        public static IDictionary<string, object> Invoke(Activity workflow, IDictionary<string, object> inputs) => new WorkflowInvoker(workflow).Invoke(inputs);

        public IDictionary<string, object> Invoke() => Invoke(new Dictionary<string, object>());

        /// <summary>Runs the activity. A required argument without a value, or an input no argument takes, fails
        /// with <see cref="ArgumentException"/> as Workflow Foundation does.</summary>
        public IDictionary<string, object> Invoke(IDictionary<string, object> inputs)
        {
            if (!(_workflow is CodeActivity code))
                throw new NotSupportedException($"This System.Activities stand-in runs CodeActivity only, not {_workflow.GetType().FullName}.");
            inputs = inputs ?? new Dictionary<string, object>();
            var properties = _workflow.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => typeof(Argument).IsAssignableFrom(p.PropertyType) && p.CanRead)
                .ToList();
            foreach (var key in inputs.Keys)
            {
                var property = properties.FirstOrDefault(p => p.Name == key);
                if (property == null || typeof(OutArgument).IsAssignableFrom(property.PropertyType))
                    throw new ArgumentException($"The values provided for the root activity's arguments did not satisfy the root activity's requirements: 'DynamicActivity': The following keys from the input dictionary do not map to arguments and must be removed: {key}. Please note that argument names are case sensitive.", nameof(inputs));
            }

            var values = new Dictionary<Argument, object>();
            var arguments = new Dictionary<string, Argument>();
            var missing = new List<string>();
            foreach (var property in properties)
            {
                var argument = (Argument)property.GetValue(_workflow);
                if (argument == null)
                {
                    // Workflow Foundation creates the arguments an activity leaves unset.
                    argument = (Argument)Activator.CreateInstance(property.PropertyType);
                    if (property.CanWrite) property.SetValue(_workflow, argument);
                }

                arguments[property.Name] = argument;
                if (argument.Direction == ArgumentDirection.Out) continue;
                if (inputs.TryGetValue(property.Name, out var input)) values[argument] = input;
                else if (argument.TryGetConstant(out var constant)) values[argument] = constant;
                else if (property.GetCustomAttribute<RequiredArgumentAttribute>() != null) missing.Add(property.Name);
            }

            if (missing.Count > 0)
                throw new ArgumentException("The root activity's argument(s) " + string.Join(", ", missing.Select(m => "'" + m + "'")) +
                                            " are required but were not supplied: Value for a required activity argument was not supplied.", nameof(inputs));

            var context = new CodeActivityContext(values, Extensions, Guid.NewGuid(), "1");
            code.Run(context);

            return arguments
                .Where(a => a.Value.Direction != ArgumentDirection.In)
                .ToDictionary(a => a.Key, a => context.GetValue(a.Value));
        }
    }
}

namespace System.Activities.Hosting
{
    /// <summary>The extensions (services) a workflow host offers its activities.</summary>
    public class WorkflowInstanceExtensionManager
    {
        private readonly List<Func<object>> _providers = new List<Func<object>>();
        private readonly List<object> _created = new List<object>();
        private bool _readOnly;

        public WorkflowInstanceExtensionManager() { }

        public void Add(object singletonExtension)
        {
            if (singletonExtension == null) throw new ArgumentNullException(nameof(singletonExtension));
            ThrowIfReadOnly();
            _created.Add(singletonExtension);
        }

        public void Add<T>(Func<T> extensionCreationFunction) where T : class
        {
            if (extensionCreationFunction == null) throw new ArgumentNullException(nameof(extensionCreationFunction));
            ThrowIfReadOnly();
            _providers.Add(extensionCreationFunction);
        }

        public void MakeReadOnly() => _readOnly = true;

        internal T Find<T>() where T : class
        {
            foreach (var e in _created) if (e is T found) return found;
            foreach (var provider in _providers)
            {
                var created = provider();
                if (created == null) continue;
                _created.Add(created);
                if (created is T found) return found;
            }

            return null;
        }

        private void ThrowIfReadOnly()
        {
            if (_readOnly) throw new InvalidOperationException("The extension manager is read-only.");
        }
    }
}
