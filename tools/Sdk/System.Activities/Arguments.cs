namespace System.Activities
{
    /// <summary>A value flowing into or out of an activity.</summary>
    public abstract class Argument
    {
        internal Argument(Type argumentType, ArgumentDirection direction)
        {
            ArgumentType = argumentType;
            Direction = direction;
        }

        public Type ArgumentType { get; }

        public ArgumentDirection Direction { get; }

        public object Get(ActivityContext context) => (context ?? throw new ArgumentNullException(nameof(context))).GetValue(this);

        public T Get<T>(ActivityContext context) => (T)Get(context);

        public void Set(ActivityContext context, object value) => (context ?? throw new ArgumentNullException(nameof(context))).SetValue(this, value);

        /// <summary>The value the argument carries itself (an InArgument built from a constant), if any.</summary>
        internal virtual bool TryGetConstant(out object value)
        {
            value = null;
            return false;
        }
    }

    public abstract class InArgument : Argument
    {
        internal InArgument(Type argumentType) : base(argumentType, ArgumentDirection.In) { }
    }

    public abstract class OutArgument : Argument
    {
        internal OutArgument(Type argumentType) : base(argumentType, ArgumentDirection.Out) { }
    }

    public abstract class InOutArgument : Argument
    {
        internal InOutArgument(Type argumentType) : base(argumentType, ArgumentDirection.InOut) { }
    }

    /// <summary>An input of type <typeparamref name="T"/>; a constant converts to one implicitly.</summary>
    public sealed class InArgument<T> : InArgument
    {
        private readonly bool _hasConstant;
        private readonly T _constant;

        public InArgument() : base(typeof(T)) { }

        public InArgument(T constValue)
            : base(typeof(T))
        {
            _hasConstant = true;
            _constant = constValue;
        }

        public static implicit operator InArgument<T>(T constValue) => new InArgument<T>(constValue);

        public static InArgument<T> FromValue(T constValue) => new InArgument<T>(constValue);

        public new T Get(ActivityContext context) => context.GetValue(this);

        public void Set(ActivityContext context, T value) => context.SetValue(this, value);

        internal override bool TryGetConstant(out object value)
        {
            value = _constant;
            return _hasConstant;
        }
    }

    /// <summary>An output of type <typeparamref name="T"/>.</summary>
    public sealed class OutArgument<T> : OutArgument
    {
        public OutArgument() : base(typeof(T)) { }

        public new T Get(ActivityContext context) => context.GetValue(this);

        public void Set(ActivityContext context, T value) => context.SetValue(this, value);
    }

    /// <summary>An argument read and written by the activity.</summary>
    public sealed class InOutArgument<T> : InOutArgument
    {
        public InOutArgument() : base(typeof(T)) { }

        public new T Get(ActivityContext context) => context.GetValue(this);

        public void Set(ActivityContext context, T value) => context.SetValue(this, value);
    }
}
