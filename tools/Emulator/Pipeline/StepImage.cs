using System;
using System.Collections.Generic;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator.Pipeline
{
    /// <summary>Which images a step image registration gives (SdkMessageProcessingStepImage.imagetype).</summary>
    public enum ImageType
    {
        PreImage = 0,
        PostImage = 1,
        Both = 2,
    }

    /// <summary>An entity image registered on a step: its alias, kind and the columns it holds (null: all).</summary>
    public sealed class StepImage
    {
        public StepImage(string entityAlias, ImageType imageType, params string[]? attributes)
        {
            EntityAlias = entityAlias ?? throw new ArgumentNullException(nameof(entityAlias));
            ImageType = imageType;
            Attributes = attributes == null || attributes.Length == 0 ? null : attributes;
        }

        public string EntityAlias { get; }

        public ImageType ImageType { get; }

        /// <summary>The image's columns; null means every column.</summary>
        public IReadOnlyList<string>? Attributes { get; }

        public bool IsPre => ImageType != ImageType.PostImage;

        public bool IsPost => ImageType != ImageType.PreImage;
    }
}
