using System;

namespace CrmPlugins.Emulator
{
    /// <summary>A fault injection rule (see <see cref="XrmOrganization.FailWhen"/>).</summary>
    public sealed class FaultRule
    {
        internal FaultRule(Func<ServiceCall, bool> when, Func<Exception> fault, int times)
        {
            When = when;
            Fault = fault;
            Remaining = times;
        }

        internal Func<ServiceCall, bool> When { get; }

        internal Func<Exception> Fault { get; }

        /// <summary>How many more calls this rule will fail.</summary>
        public int Remaining { get; internal set; }
    }
}
