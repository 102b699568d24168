
namespace CrmPlugins.Emulator.Pipeline
{
    /// <summary>Pipeline stages, as SdkMessageProcessingStep.stage.</summary>
    public static class Stages
    {
        public const int PreValidation = 10;
        public const int PreOperation = 20;
        public const int MainOperation = 30;
        public const int PostOperation = 40;
    }
}
