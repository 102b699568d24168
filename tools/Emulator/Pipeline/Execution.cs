using System;
using System.Text;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator.Pipeline
{
    /// <summary>The record of one run of custom code (a plugin or a workflow activity): its trace, the service calls
    /// it made by message, and how it ended.</summary>
    public abstract class Execution
    {
        internal StringBuilder TraceText { get; } = new();

        /// <summary>Everything the code wrote with ITracingService (and the telemetry logger), one line a call.</summary>
        public string Trace => TraceText.ToString();

        /// <summary>The organization service calls the code made, by message name.</summary>
        public ServiceCallCounter Calls { get; } = new();

        /// <summary>The exception the code threw, if it did.</summary>
        public Exception? Exception { get; internal set; }

        /// <summary>The first fault one of the code's own service calls met inside the transaction: the transaction ended
        /// there, so code that caught it and carried on still fails.</summary>
        internal System.ServiceModel.FaultException<OrganizationServiceFault>? SwallowedFault { get; set; }

        /// <summary>How deep in nested calls the code ran.</summary>
        public abstract int Depth { get; }
    }
}
