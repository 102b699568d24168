using System;

namespace CrmPlugins.Emulator.Query
{
    /// <summary>
    /// Thrown for a valid Dataverse query that the emulator's engine cannot answer faithfully (an operator,
    /// link type or FetchXML feature it does not implement). It is deliberately not a
    /// <c>FaultException</c>: code under test that handles platform faults must not swallow a gap of the
    /// emulator, and the engine never answers such a query with rows that could be wrong.
    /// </summary>
    public sealed class QueryNotSupportedException : NotSupportedException
    {
        /// <summary>An exception naming the unsupported feature and where the query uses it.</summary>
        public QueryNotSupportedException(string feature, string detail)
            : base($"The Dataverse emulator's query engine does not support {feature}. {detail}".TrimEnd())
        {
            Feature = feature;
        }

        /// <summary>What is not supported, e.g. "the condition operator 'Under'".</summary>
        public string Feature { get; }
    }
}
