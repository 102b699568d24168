using System;
using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using NUnit.Framework;

namespace CrmPlugins.Emulator.Tests.Service
{
    /// <summary>Roles (privilege and depth) and field security, as the emulator enforces them once asked to.</summary>
    public class SecurityTests
    {
        private static readonly Guid Ann = new("50000000-0000-0000-0000-000000000001"), Bob = new("50000000-0000-0000-0000-000000000002"), Cy = new("50000000-0000-0000-0000-000000000003"),
            Dee = new("50000000-0000-0000-0000-000000000004");
        private static readonly Guid Child = new("50000000-0000-0000-0000-0000000000b2"), Other = new("50000000-0000-0000-0000-0000000000b3"), Grandchild = new("50000000-0000-0000-0000-0000000000b4");
        private XrmOrganization _org = null!;

        [SetUp]
        public void ThreeUsersInABusinessUnitTree()
        {
            _org = new XrmOrganization();
            var root = new EntityReference("businessunit", _org.RootBusinessUnitId);
            _org.Seed(
                new Entity("businessunit", Child) { ["name"] = "Child", ["parentbusinessunitid"] = root },
                new Entity("businessunit", Other) { ["name"] = "Other", ["parentbusinessunitid"] = root },
                new Entity("businessunit", Grandchild) { ["name"] = "Grandchild", ["parentbusinessunitid"] = new EntityReference("businessunit", Child) },
                new Entity("systemuser", Ann) { ["fullname"] = "Ann", ["businessunitid"] = new EntityReference("businessunit", Child) },
                new Entity("systemuser", Dee) { ["fullname"] = "Dee", ["businessunitid"] = new EntityReference("businessunit", Child) },
                new Entity("systemuser", Bob) { ["fullname"] = "Bob", ["businessunitid"] = new EntityReference("businessunit", Grandchild) },
                new Entity("systemuser", Cy) { ["fullname"] = "Cy", ["businessunitid"] = new EntityReference("businessunit", Other) });
            _org.Security.Govern("new_note");
            _org.Security.SecureColumn("new_note", "new_secret");
            _org.Security.DefineFieldProfile("Readers", new[] { ("new_note", "new_secret", true, false, false) });
            _org.Security.DefineFieldProfile("Writers", new[] { ("new_note", "new_secret", true, true, true) });
            _org.Security.Enforced = true;
        }

        private Guid NoteOf(Guid owner)
        {
            var id = Guid.NewGuid();
            _org.Seed(new Entity("new_note", id) { ["new_name"] = "n", ["ownerid"] = new EntityReference("systemuser", owner) });
            return id;
        }

        private void Role(Guid user, string depth)
        {
            _org.Security.DefineRole("Note " + depth, new[] { ("prvWritenew_note", depth), ("prvCreatenew_note", depth), ("prvReadnew_note", depth) });
            _org.Security.AssignRole(user, "Note " + depth);
        }

        private void Write(Guid user, Guid note) => _org.GetOrganizationService(user).Update(new Entity("new_note", note) { ["new_name"] = "changed" });

        [Test]
        public void NoPrivilege_IsThePlatformsPrivilegeFault()
        {
            var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() => Write(Ann, NoteOf(Ann)))!;

            Assert.That(fault.Detail.ErrorCode, Is.EqualTo(ErrorCodes.PrivilegeDenied));
            Assert.That(fault.Detail.Message, Does.Contain("is missing prvWritenew_note privilege"));
        }

        [TestCase("Basic", true, false, false, false)]
        [TestCase("Local", true, true, false, false)]
        [TestCase("Deep", true, true, true, false)]
        [TestCase("Global", true, true, true, true)]
        public void Depth_DecidesWhoseRowsAUserMayWrite(string depth, bool own, bool sameUnit, bool unitBelow, bool otherUnit)
        {
            Role(Ann, depth);
            var mine = NoteOf(Ann);
            var dees = NoteOf(Dee);
            var bobs = NoteOf(Bob);
            var cys = NoteOf(Cy);

            bool Can(Guid note)
            {
                try
                {
                    Write(Ann, note);
                    return true;
                }
                catch (FaultException<OrganizationServiceFault>)
                {
                    return false;
                }
            }

            Assert.That((Can(mine), Can(dees), Can(bobs), Can(cys)), Is.EqualTo((own, sameUnit, unitBelow, otherUnit)),
                $"{depth}: Ann (unit Child) writing her own note, Dee's (Child), Bob's (Grandchild, below Child) and Cy's (Other)");
        }

        [Test]
        public void SecuredColumn_NeedsAProfileThatAllowsTheWrite()
        {
            Role(Ann, "Global");
            var note = NoteOf(Ann);
            var service = _org.GetOrganizationService(Ann);

            Assert.That(Assert.Throws<FaultException<OrganizationServiceFault>>(() => service.Update(new Entity("new_note", note) { ["new_secret"] = "x" }))!.Detail.Message,
                Does.Contain("update permission on the secured column 'new_secret'"));
            _org.Security.AssignFieldProfile(Ann, "Readers");
            Assert.Throws<FaultException<OrganizationServiceFault>>(() => service.Update(new Entity("new_note", note) { ["new_secret"] = "x" }), "read is not update");
            _org.Security.AssignFieldProfile(Ann, "Writers");
            Assert.DoesNotThrow(() => service.Update(new Entity("new_note", note) { ["new_secret"] = "x" }));
        }

        [Test]
        public void UngovernedTables_TheAdministratorAndSystem_AreNotChecked()
        {
            Assert.DoesNotThrow(() => _org.GetOrganizationService(Ann).Create(new Entity("account") { ["name"] = "Contoso" }));
            Assert.DoesNotThrow(() => _org.GetOrganizationService().Update(new Entity("new_note", NoteOf(Cy)) { ["new_secret"] = "x" }));
        }
    }
}
