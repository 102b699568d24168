
namespace CrmPlugins.Emulator.Pipeline
{
    /// <summary>Execution modes, as SdkMessageProcessingStep.mode.</summary>
    public static class Modes
    {
        public const int Synchronous = 0;
        public const int Asynchronous = 1;
    }
}
