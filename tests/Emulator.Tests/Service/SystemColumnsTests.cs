using CrmPlugins.SolutionModel;
using NUnit.Framework;

namespace CrmPlugins.Emulator.Tests.Service
{
    public class SystemColumnsTests
    {
        /// <summary>The emulator keeps its own list of the columns every table has (it no longer depends on SolutionModel);
        /// solution validation has the same list with types. They must not drift apart.</summary>
        [Test]
        public void SystemColumns_AreTheOnesSolutionValidationKnows()
        {
            Assert.That(TableMetadata.SystemColumns, Is.EquivalentTo(StandardTables.SystemColumnTypes.Keys));
        }
    }
}
