using System;
using CrmPlugins.Emulator.Pipeline;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator
{
    /// <summary>Fault injection: service calls a test makes fail on purpose.</summary>
    public sealed partial class XrmOrganization
    {
        /// <summary>Makes service calls fail: each call that <paramref name="when"/> matches (at most <paramref name="times"/> times)
        /// throws <paramref name="fault"/> (default: a generic platform fault) instead of running.</summary>
        public FaultRule FailWhen(Func<ServiceCall, bool> when, Func<Exception>? fault = null, int times = 1)
        {
            var rule = new FaultRule(when, fault ?? (() => Faults.Create(ErrorCodes.Unexpected, "Injected fault.")), times);
            _faultRules.Add(rule);
            return rule;
        }

        /// <summary>Makes the n-th service call (1-based, counted from now, from any caller) fail.</summary>
        public FaultRule FailNthCall(int n, Func<Exception>? fault = null)
        {
            var target = Calls.Total + n;
            var seen = Calls.Total;
            return FailWhen(_ => ++seen == target, fault);
        }

        /// <summary>Removes every fault rule.</summary>
        public void ClearFaults() => _faultRules.Clear();

        internal void CheckFaults(ServiceCall call)
        {
            foreach (var rule in _faultRules)
            {
                if (rule.Remaining <= 0 || !rule.When(call)) continue;
                rule.Remaining--;
                throw rule.Fault();
            }
        }
    }
}
