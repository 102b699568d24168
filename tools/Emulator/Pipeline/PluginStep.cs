using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator.Pipeline
{
    /// <summary>
    /// A registered plugin step (SdkMessageProcessingStep): message, table, stage, mode, rank, filtering
    /// attributes, images, configuration and run-as user. As in Dataverse, one plugin instance serves
    /// every execution of the step, so a plugin that keeps state between executions misbehaves here too.
    /// </summary>
    public sealed class PluginStep
    {
        private readonly Func<string?, string?, IPlugin> _factory;
        private IPlugin? _instance;

        public PluginStep(string name, Type pluginType, string message, string? primaryEntity, int stage, int mode = Modes.Synchronous)
        {
            if (pluginType == null) throw new ArgumentNullException(nameof(pluginType));
            if (!typeof(IPlugin).IsAssignableFrom(pluginType)) throw new ArgumentException($"{pluginType.FullName} does not implement IPlugin.", nameof(pluginType));
            if (stage != Stages.PreValidation && stage != Stages.PreOperation && stage != Stages.PostOperation)
                throw new ArgumentException($"Stage {stage} is not a stage a step can be registered on (10, 20 or 40).", nameof(stage));
            if (mode == Modes.Asynchronous && stage != Stages.PostOperation)
                throw new ArgumentException("Only PostOperation steps can run asynchronously.", nameof(mode));
            Name = name;
            PluginType = pluginType;
            Message = message ?? throw new ArgumentNullException(nameof(message));
            PrimaryEntity = string.IsNullOrEmpty(primaryEntity) || primaryEntity == "none" ? null : primaryEntity;
            Stage = stage;
            Mode = mode;
            _factory = (unsecure, secure) => CreatePlugin(pluginType, unsecure, secure);
        }

        /// <summary>A step run by a given instance (the emulator's runner of a classic workflow).</summary>
        internal PluginStep(string name, IPlugin instance, string message, string? primaryEntity, int stage, int mode)
            : this(name, instance.GetType(), message, primaryEntity, stage, mode)
        {
            _instance = instance;
            Sandboxed = false;
        }

        /// <summary>Whether the step runs code of a plugin assembly, in the sandbox; the emulator's runner of a classic
        /// workflow is the asynchronous service's own work (the custom activities it calls get their inputs from it, not
        /// from the context), so its context crosses no boundary.</summary>
        internal bool Sandboxed { get; } = true;

        public string Name { get; }

        public Type PluginType { get; }

        public string Message { get; }

        /// <summary>The table the step is for; null for every table.</summary>
        public string? PrimaryEntity { get; }

        public int Stage { get; }

        public int Mode { get; }

        /// <summary>Execution order among steps of the same stage (lower first).</summary>
        public int Rank { get; set; } = 1;

        /// <summary>For Update: the step runs only when the Target contains one of these columns (null or empty: always).</summary>
        public IReadOnlyCollection<string>? FilteringAttributes { get; set; }

        public IList<StepImage> Images { get; } = new List<StepImage>();

        public string? UnsecureConfiguration { get; set; }

        public string? SecureConfiguration { get; set; }

        /// <summary>The user the step runs as (impersonation); null: the calling user.</summary>
        public Guid? RunAsUserId { get; set; }

        /// <summary>The step's id (SdkMessageProcessingStep id), as OwningExtension gives it.</summary>
        public Guid Id { get; set; } = Guid.NewGuid();

        /// <summary>Whether an asynchronous step's system job is deleted when it succeeds.</summary>
        public bool AsyncAutoDelete { get; set; }

        /// <summary>Disabled steps are kept but never run.</summary>
        public bool Enabled { get; set; } = true;

        internal IPlugin Instance => _instance ??= _factory(UnsecureConfiguration, SecureConfiguration);

        internal bool AppliesTo(string message, string? entity) =>
            Enabled && string.Equals(Message, message, StringComparison.OrdinalIgnoreCase) &&
            (PrimaryEntity == null || string.Equals(PrimaryEntity, entity, StringComparison.Ordinal));

        internal bool PassesFilter(IEnumerable<string> changedColumns) =>
            FilteringAttributes == null || FilteringAttributes.Count == 0 || changedColumns.Any(FilteringAttributes.Contains);

        /// <summary>Adds an image; one Dataverse would refuse to register is refused here with the platform's fault.</summary>
        public PluginStep WithImage(string alias, ImageType type, params string[] attributes)
        {
            var image = new StepImage(alias, type, attributes);
            CheckImage(image);
            Images.Add(image);
            return this;
        }

        /// <summary>
        /// The messages whose steps can have images and the kinds each gives: Microsoft's list ("Messages that support entity images",
        /// learn.microsoft.com/power-apps/developer/data-platform/understand-the-data-context#messages-that-support-entity-images:
        /// Assign, Create (post
        /// image only: there is no row before it), Delete (pre image only), DeliverIncoming, DeliverPromote, Merge, Route,
        /// Send, SetState, SetStateDynamicEntity, Update), and the bulk messages whose images come per target
        /// (learn.microsoft.com/power-apps/developer/data-platform/write-plugin-multiple-operation).
        /// </summary>
        private static readonly Dictionary<string, (bool Pre, bool Post)> ImageMessages = new(StringComparer.OrdinalIgnoreCase)
        {
            ["Assign"] = (true, true), ["Create"] = (false, true), ["Delete"] = (true, false), ["DeliverIncoming"] = (true, true),
            ["DeliverPromote"] = (true, true), ["Merge"] = (true, true), ["Route"] = (true, true), ["Send"] = (true, true),
            ["SetState"] = (true, true), ["SetStateDynamicEntity"] = (true, true), ["Update"] = (true, true),
            ["CreateMultiple"] = (false, true), ["UpdateMultiple"] = (true, true),
        };

        /// <summary>Refuses every image of the step Dataverse would refuse to register (see <see cref="CheckImage"/>).</summary>
        internal void CheckImages()
        {
            foreach (var image in Images) CheckImage(image);
        }

        /// <summary>Refuses, with the platform's registration fault, an image on a message that gives none, a kind the
        /// message cannot give, and a post image on a PreValidation or PreOperation step (the row is not written yet).</summary>
        private void CheckImage(StepImage image)
        {
            if (!ImageMessages.TryGetValue(Message, out var kinds))
                throw Faults.Create(ErrorCodes.MessageHasNoImages, $"Message '{Message}' does not support image registration. (step {Name}, image '{image.EntityAlias}')");
            if (image.IsPost && Stage != Stages.PostOperation)
                throw Faults.Create(ErrorCodes.PostImageOnPreEvent, $"PreEvent step registration does not support Post Image. (step {Name}, image '{image.EntityAlias}')");
            if ((image.IsPre && !kinds.Pre) || (image.IsPost && !kinds.Post))
                throw Faults.Create(ErrorCodes.InvalidImageType, $"Message {Message} does not support this image type. (step {Name}, image '{image.EntityAlias}' is a {image.ImageType})");
        }

        public PluginStep WithFilteringAttributes(params string[] attributes)
        {
            FilteringAttributes = attributes;
            return this;
        }

        /// <summary>
        /// The same registration (id, rank, filtering attributes, images, configuration, run-as user, state) running another
        /// plugin type: a test swaps a shipped step's plugin for a variant without copying the registration by hand.
        /// </summary>
        public PluginStep WithPluginType(Type pluginType)
        {
            var copy = new PluginStep(Name, pluginType, Message, PrimaryEntity, Stage, Mode)
            {
                Rank = Rank,
                FilteringAttributes = FilteringAttributes,
                UnsecureConfiguration = UnsecureConfiguration,
                SecureConfiguration = SecureConfiguration,
                RunAsUserId = RunAsUserId,
                Id = Id,
                AsyncAutoDelete = AsyncAutoDelete,
                Enabled = Enabled,
            };
            foreach (var image in Images) copy.Images.Add(image);
            return copy;
        }

        public override string ToString() => Name;

        /// <summary>
        /// Constructs the plugin as Dataverse does: with (string unsecure, string secure) configuration when the class
        /// has that constructor, else (string unsecure), else the parameterless one
        /// (learn.microsoft.com/power-apps/developer/data-platform/write-plug-in#pass-configuration-data-to-your-plug-in).
        /// A class with none of them cannot be loaded.
        /// </summary>
        internal static IPlugin CreatePlugin(Type type, string? unsecure, string? secure)
        {
            var twoStrings = type.GetConstructor(new[] { typeof(string), typeof(string) });
            if (twoStrings != null) return (IPlugin)twoStrings.Invoke(new object?[] { unsecure, secure });
            var oneString = type.GetConstructor(new[] { typeof(string) });
            if (oneString != null) return (IPlugin)oneString.Invoke(new object?[] { unsecure });
            var parameterless = type.GetConstructor(Type.EmptyTypes)
                ?? throw new InvalidOperationException($"it has no public constructor the platform can call: (), (string unsecureConfig) or (string unsecureConfig, string secureConfig).");
            return (IPlugin)parameterless.Invoke(null);
        }
    }
}
