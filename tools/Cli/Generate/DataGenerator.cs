using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace DealRisk.Cli.Generate
{
    /// <summary>
    /// Writes an org of made-up data in the CSV folder format <c>evaluate --data</c> reads (docs/evaluate-data.md): open
    /// deals with their lines, some requirements and allocations, the users, products and capacity they point at. The
    /// same seed gives the same files byte for byte, so a run at 100,000 deals can be measured again.
    /// </summary>
    public sealed class DataGenerator
    {
        private const int Reps = 50, Products = 20, CapacityMonths = 24;
        private static readonly string[] Roles = { "Consultant", "Solution Architect", "Developer", "Project Manager" };
        private static readonly string[] Fits = { "Standard", "Configuration", "Customisation", "Not supported" };
        private static readonly string[] Priorities = { "Must have", "Should have", "Nice to have" };

        private readonly Random _random;
        private readonly DateTime _start;

        public DataGenerator(int seed, DateTime start)
        {
            _random = new Random(seed);
            _start = start.Date;
        }

        /// <summary>Rows written per table, in the order written.</summary>
        public IDictionary<string, long> Counts { get; } = new SortedDictionary<string, long>(StringComparer.Ordinal);

        /// <summary>Writes the folder; <paramref name="progress"/> advances once per deal written.</summary>
        public void Write(string folder, int deals, int linesPerDeal, Action<int>? progress = null)
        {
            Directory.CreateDirectory(folder);
            var bu = NextId();
            var manager = NextId();
            var reps = new Guid[Reps];
            for (var i = 0; i < Reps; i++) reps[i] = NextId();
            var products = new Guid[Products];
            for (var i = 0; i < Products; i++) products[i] = NextId();
            var costs = new decimal[Products];

            using (var w = Table(folder, "businessunit", "businessunitid,name"))
                Row(w, "businessunit", $"{bu},Generated sales");

            using (var w = Table(folder, "systemuser", "systemuserid,fullname,businessunitid,parentsystemuserid,isdisabled"))
            {
                Row(w, "systemuser", $"{manager},Sales manager,businessunit:{bu},,false");
                for (var i = 0; i < Reps; i++) Row(w, "systemuser", $"{reps[i]},Rep {i + 1},businessunit:{bu},systemuser:{manager},false");
            }

            using (var w = Table(folder, "product", "productid,name,currentcost,dr_deliveryhoursperunit,dr_deliveryrole"))
            {
                for (var i = 0; i < Products; i++)
                {
                    costs[i] = 100m * _random.Next(1, 40);
                    // A quarter of the products are services: they bring delivery hours of a role.
                    var service = i % 4 == 0;
                    Row(w, "product", $"{products[i]},Product {i + 1},{Num(costs[i])},{(service ? "8" : "")},{(service ? Roles[i / 4 % Roles.Length] : "")}");
                }
            }

            using (var w = Table(folder, "dr_capacity", "dr_capacityid,dr_name,dr_role,dr_month,dr_hours"))
            {
                var first = new DateTime(_start.Year, _start.Month, 1);
                foreach (var role in Roles)
                    for (var m = 0; m < CapacityMonths; m++)
                    {
                        var month = first.AddMonths(m);
                        Row(w, "dr_capacity", $"{NextId()},{role} {month:yyyy-MM},{role},{month:yyyy-MM-dd},{Num(160m * _random.Next(20, 200))}");
                    }
            }

            using var opportunities = Table(folder, "opportunity", "opportunityid,name,ownerid,owningbusinessunit,estimatedvalue,estimatedclosedate,closeprobability,salesstage,dr_estimatedcostofsale");
            using var lines = Table(folder, "opportunityproduct", "opportunityproductid,opportunityid,productid,quantity,priceperunit,baseamount,extendedamount");
            using var requirements = Table(folder, "dr_requirement", "dr_requirementid,dr_name,dr_opportunityid,dr_priority,dr_fit,dr_efforthours,dr_role,dr_quoted");
            using var allocations = Table(folder, "dr_resourceallocation", "dr_resourceallocationid,dr_name,dr_opportunityid,dr_role,dr_hours,dr_start,dr_userid");
            for (var d = 0; d < deals; d++)
            {
                var deal = NextId();
                var close = _start.AddDays(_random.Next(0, 180));
                decimal value = 0m;
                for (var l = 0; l < linesPerDeal; l++)
                {
                    var p = _random.Next(Products);
                    var quantity = _random.Next(1, 20);
                    // Priced around cost: most lines earn a margin, some sell at a loss.
                    var price = decimal.Round(costs[p] * (0.8m + (decimal)_random.NextDouble()), 2);
                    var amount = quantity * price;
                    value += amount;
                    Row(lines, "opportunityproduct", $"{NextId()},{deal},{products[p]},{quantity},{Num(price)},{Num(amount)},{Num(amount)}");
                }

                Row(opportunities, "opportunity",
                    $"{deal},Deal {d + 1},systemuser:{reps[d % Reps]},businessunit:{bu},{Num(value)},{close:yyyy-MM-dd},{_random.Next(1, 10) * 10},{_random.Next(1, 5)},{(d % 3 == 0 ? Num(decimal.Round(value * 0.05m, 2)) : "")}");
                if (d % 10 == 0)
                {
                    var hours = _random.Next(0, 3) == 0 ? "" : Num(_random.Next(4, 80));
                    Row(requirements, "dr_requirement",
                        $"{NextId()},Requirement {d + 1},{deal},{Priorities[_random.Next(Priorities.Length)]},{Fits[_random.Next(Fits.Length)]},{hours},{(hours == "" ? "" : Roles[_random.Next(Roles.Length)])},{(_random.Next(2) == 0 ? "true" : "false")}");
                }

                if (d % 5 == 0)
                    Row(allocations, "dr_resourceallocation",
                        $"{NextId()},Allocation {d + 1},{deal},{Roles[_random.Next(Roles.Length)]},{Num(_random.Next(8, 160))},{close.AddDays(_random.Next(0, 30)):yyyy-MM-dd},systemuser:{reps[_random.Next(Reps)]}");
                progress?.Invoke(d + 1);
            }
        }

        private Guid NextId()
        {
            var bytes = new byte[16];
            _random.NextBytes(bytes);
            // A version 4 GUID's variant and version bits, so the ids look like any other.
            bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
            bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
            return new Guid(bytes);
        }

        private static string Num(decimal value) => value.ToString(CultureInfo.InvariantCulture);

        private StreamWriter Table(string folder, string table, string header)
        {
            var writer = new StreamWriter(Path.Combine(folder, table + ".csv"), false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
            writer.WriteLine(header);
            Counts[table] = 0;
            return writer;
        }

        private void Row(StreamWriter writer, string table, string row)
        {
            writer.WriteLine(row);
            Counts[table]++;
        }
    }
}
