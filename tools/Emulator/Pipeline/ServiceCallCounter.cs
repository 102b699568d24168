using System;
using System.Collections.Generic;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator.Pipeline
{
    /// <summary>Counts organization service calls by message (Create, Retrieve, RetrieveMultiple, ...).</summary>
    public sealed class ServiceCallCounter
    {
        private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

        public int Total { get; private set; }

        public IReadOnlyDictionary<string, int> ByMessage => _counts;

        public int this[string message] => _counts.TryGetValue(message, out var n) ? n : 0;

        internal void Add(string message)
        {
            _counts[message] = this[message] + 1;
            Total++;
        }

        /// <summary>"Retrieve=1, RetrieveMultiple=3" in message order: easy to compare across runs.</summary>
        public override string ToString()
        {
            var parts = new List<string>();
            foreach (var key in new SortedSet<string>(_counts.Keys, StringComparer.Ordinal)) parts.Add(key + "=" + _counts[key]);
            return string.Join(", ", parts);
        }
    }
}
