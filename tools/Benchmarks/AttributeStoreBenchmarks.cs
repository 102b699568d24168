using System;
using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Benchmarks
{
    /// <summary>
    /// The SDK stand-in's store behind <see cref="Entity.Attributes"/> (issue #23: an org of 1.13 M rows held 1.5-1.9 KB
    /// a row, most of it the dictionary of each row's columns): building 100,000 rows of 20 columns the way the emulator
    /// stores them (one AddRange of columns gathered first), and looking a 20-column row's columns up, as the query
    /// engine does millions of times a run, with the row's own key objects and with equal strings made elsewhere (column
    /// names parsed from a query). The same work on plain <see cref="Dictionary{TKey,TValue}"/>s of the same rows, in the
    /// same run, is the reference the store has to beat in bytes and match in lookup time.
    /// </summary>
    [MemoryDiagnoser]
    public class AttributeStoreBenchmarks
    {
        private const int Rows = 100_000;
        private const int Columns = 20;

        private List<KeyValuePair<string, object>> _columns = null!;
        private AttributeCollection _row = null!;
        private Dictionary<string, object> _dictionaryRow = null!;
        private string[] _sameKeys = null!;
        private string[] _equalKeys = null!;

        [GlobalSetup]
        public void Setup()
        {
            // Column names of a product line's length; values shared so that only the stores are counted.
            _sameKeys = Enumerable.Range(0, Columns).Select(i => "dr_column" + (char)('a' + i) + "_" + i).Append("dr_missing").ToArray();
            _equalKeys = _sameKeys.Select(k => new string(k.AsSpan())).ToArray();
            _columns = _sameKeys.Take(Columns).Select((k, i) => new KeyValuePair<string, object>(k, i)).ToList();
            _row = new AttributeCollection();
            _row.AddRange(_columns);
            _dictionaryRow = new Dictionary<string, object>(_columns);
        }

        /// <summary>100,000 rows of 20 columns, each filled at once from its gathered columns (a list, as the emulator's store does).</summary>
        [Benchmark]
        public int BuildRows()
        {
            var rows = new AttributeCollection[Rows];
            for (var i = 0; i < rows.Length; i++)
            {
                rows[i] = new AttributeCollection();
                rows[i].AddRange(_columns);
            }

            return rows.Length;
        }

        /// <summary>The same rows as dictionaries sized to their columns: what the store held before it was compact.</summary>
        [Benchmark(Baseline = true)]
        public int BuildRows_Dictionary()
        {
            var rows = new Dictionary<string, object>[Rows];
            for (var i = 0; i < rows.Length; i++) rows[i] = new Dictionary<string, object>(_columns);
            return rows.Length;
        }

        /// <summary>Every column of a 20-column row and one it lacks, by the key objects the row holds.</summary>
        [Benchmark(OperationsPerInvoke = Columns + 1)]
        public int TryGetValue_SameKeyObjects() => Lookups(_row, _sameKeys);

        /// <summary>Every column of a 20-column row and one it lacks, by equal strings that are other objects.</summary>
        [Benchmark(OperationsPerInvoke = Columns + 1)]
        public int TryGetValue_EqualKeyStrings() => Lookups(_row, _equalKeys);

        [Benchmark(OperationsPerInvoke = Columns + 1)]
        public int TryGetValue_SameKeyObjects_Dictionary() => Lookups(_dictionaryRow, _sameKeys);

        [Benchmark(OperationsPerInvoke = Columns + 1)]
        public int TryGetValue_EqualKeyStrings_Dictionary() => Lookups(_dictionaryRow, _equalKeys);

        private static int Lookups(AttributeCollection row, string[] keys)
        {
            var found = 0;
            foreach (var key in keys)
                if (row.TryGetValue(key, out var value) && value != null) found++;
            return found;
        }

        private static int Lookups(Dictionary<string, object> row, string[] keys)
        {
            var found = 0;
            foreach (var key in keys)
                if (row.TryGetValue(key, out var value) && value != null) found++;
            return found;
        }
    }
}
