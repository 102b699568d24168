using System.Activities.Hosting;
using System.Collections.Generic;
using System.Globalization;

namespace System.Activities
{
    /// <summary>The direction of an argument.</summary>
    public enum ArgumentDirection
    {
        In = 0,
        Out = 1,
        InOut = 2,
    }

    /// <summary>The base of every activity.</summary>
    public abstract class Activity
    {
        private static int _nextId;
        private string _displayName;

        protected Activity()
        {
            Id = "1." + System.Threading.Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        }

        /// <summary>The name shown for the activity (the type name by default).</summary>
        public string DisplayName
        {
            get => _displayName ?? GetType().Name;
            set => _displayName = value;
        }

        /// <summary>The activity's id in its workflow.</summary>
        public string Id { get; }

        public override string ToString() => Id + ": " + DisplayName;
    }

    /// <summary>An activity whose work is one call of <see cref="Execute"/>.</summary>
    public abstract class CodeActivity : Activity
    {
        protected CodeActivity() { }

        /// <summary>The activity's work: read inputs, do it, set outputs, through <paramref name="context"/>.</summary>
        protected abstract void Execute(CodeActivityContext context);

        internal void Run(CodeActivityContext context) => Execute(context);
    }

    /// <summary>What an activity sees while it runs: its argument values and the host's extensions.</summary>
    public class ActivityContext
    {
        private readonly Dictionary<Argument, object> _values;
        private readonly WorkflowInstanceExtensionManager _extensions;

        internal ActivityContext(Dictionary<Argument, object> values, WorkflowInstanceExtensionManager extensions, Guid workflowInstanceId, string activityInstanceId)
        {
            _values = values;
            _extensions = extensions;
            WorkflowInstanceId = workflowInstanceId;
            ActivityInstanceId = activityInstanceId;
        }

        public string ActivityInstanceId { get; }

        public Guid WorkflowInstanceId { get; }

        /// <summary>The host's extension of type <typeparamref name="T"/> (null when there is none).</summary>
        public T GetExtension<T>() where T : class => _extensions?.Find<T>();

        public T GetValue<T>(InArgument<T> argument) => (T)GetValue((Argument)argument);

        public T GetValue<T>(OutArgument<T> argument) => (T)GetValue((Argument)argument);

        public T GetValue<T>(InOutArgument<T> argument) => (T)GetValue((Argument)argument);

        /// <summary>The argument's current value; its type's default when it has none.</summary>
        public object GetValue(Argument argument)
        {
            if (argument == null) throw new ArgumentNullException(nameof(argument));
            if (_values.TryGetValue(argument, out var value)) return value;
            return argument.ArgumentType.IsValueType ? Activator.CreateInstance(argument.ArgumentType) : null;
        }

        public void SetValue<T>(InArgument<T> argument, T value) => SetValue((Argument)argument, value);

        public void SetValue<T>(OutArgument<T> argument, T value) => SetValue((Argument)argument, value);

        public void SetValue<T>(InOutArgument<T> argument, T value) => SetValue((Argument)argument, value);

        public void SetValue(Argument argument, object value)
        {
            if (argument == null) throw new ArgumentNullException(nameof(argument));
            if (value != null && !argument.ArgumentType.IsInstanceOfType(value))
                throw new InvalidOperationException($"A value of type {value.GetType()} cannot be set on an argument of type {argument.ArgumentType}.");
            _values[argument] = value;
        }
    }

    /// <summary>The context of a <see cref="CodeActivity"/>.</summary>
    public class CodeActivityContext : ActivityContext
    {
        internal CodeActivityContext(Dictionary<Argument, object> values, WorkflowInstanceExtensionManager extensions, Guid workflowInstanceId, string activityInstanceId)
            : base(values, extensions, workflowInstanceId, activityInstanceId)
        {
        }
    }

    /// <summary>Marks an argument the workflow must supply.</summary>
    [AttributeUsage(AttributeTargets.Property)]
    public sealed class RequiredArgumentAttribute : Attribute
    {
        public RequiredArgumentAttribute() { }
    }
}
