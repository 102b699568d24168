using System;
using System.IO;
using System.Linq;
using System.Runtime.Serialization;
using System.Text;
using System.Xml;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator.Tests
{
    /// <summary>Helpers of the tests that hold a fast path to the general one on generated rows.</summary>
    internal static class Generated
    {
        /// <summary>A random id drawn from <paramref name="random"/>: the same seed, the same ids.</summary>
        public static Guid Id(Random random)
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            return new Guid(bytes);
        }

        /// <summary>A row of <paramref name="table"/> holding a name and 4 to 23 columns of random plain kinds (amounts of
        /// any scale, choices, lookups with and without a name, text, whole and decimal numbers, flags, dates, ids, choice
        /// sets, nulls).</summary>
        public static Entity Row(Random random, string table, Guid id)
        {
            var row = new Entity(table, id) { ["name"] = "Row " + random.Next(1000) };
            var kinds = new Func<object?>[]
            {
                () => new Money(Math.Round((decimal)random.NextDouble() * 100000m, random.Next(0, 5))),
                () => new OptionSetValue(random.Next(1, 10)),
                () => new EntityReference("contact", Id(random)) { Name = random.Next(2) == 0 ? null : "Contact " + random.Next(100) },
                () => "text " + new string('x', random.Next(0, 30)),
                () => random.Next(-1000, 1000),
                () => (long)random.Next() * 1000L,
                () => random.NextDouble() * 1e6,
                () => Math.Round((decimal)random.NextDouble() * 1000m, random.Next(0, 10)),
                () => random.Next(2) == 0,
                () => new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(random.Next(0, 3_000_000)),
                () => Id(random),
                () => new OptionSetValueCollection(Enumerable.Range(0, random.Next(1, 4)).Select(i => new OptionSetValue(100 + i)).ToList()),
                () => null,
            };
            var columns = random.Next(4, 24);
            for (var c = 0; c < columns; c++) row[$"dr_value{c:00}"] = kinds[random.Next(kinds.Length)]();
            return row;
        }

        /// <summary>The value through the DataContractSerializer and back, as the sandbox hands it over: the general path the
        /// boundary's copies are held to.</summary>
        public static T RoundTrip<T>(T value, params Type[] knownTypes) where T : class
        {
            var serializer = new DataContractSerializer(typeof(T), knownTypes);
            using var stream = new MemoryStream();
            serializer.WriteObject(stream, value);
            stream.Position = 0;
            return (T)serializer.ReadObject(stream)!;
        }

        /// <summary>The entity as the SDK's data contract writes it: every column in order, its value and type, the id
        /// and the row version, so that two entities compare to the last detail a caller can see.</summary>
        public static string Xml(Entity entity)
        {
            var text = new StringBuilder();
            using (var writer = XmlWriter.Create(text, new XmlWriterSettings { OmitXmlDeclaration = true }))
                new DataContractSerializer(typeof(Entity)).WriteObject(writer, entity);
            return text.ToString();
        }
    }
}
