using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator
{
    /// <summary>
    /// Security roles and field security, for the tables the emulator is told to govern (the ones a solution defines:
    /// their privileges are entirely the solution's roles). Off until <see cref="Enforced"/> is set. Enforced on what a
    /// caller asks for, by each message's handler (<see cref="IMessageHandler.CheckPrivileges"/>): Create, Update (Write),
    /// Delete, Retrieve (Read) and Assign of a governed row, a Custom API's execute privilege, at the depth of the
    /// caller's best privilege; and on the secured columns a caller writes (Create/Update) without a field security
    /// profile that allows it. SYSTEM and the administrator pass, as System Administrator does. Values a plugin adds to
    /// the Target are not checked again (the check is on the request). Reads by RetrieveMultiple are not filtered.
    /// </summary>
    public sealed class OrganizationSecurity
    {
        private readonly XrmOrganization _org;
        private readonly Dictionary<string, Dictionary<string, PrivilegeDepth>> _roles = new(StringComparer.Ordinal);
        private readonly Dictionary<Guid, HashSet<string>> _userRoles = new();
        private readonly HashSet<string> _governed = new(StringComparer.Ordinal);
        private readonly HashSet<(string Table, string Column)> _secured = new();
        private readonly Dictionary<string, List<(string Table, string Column, bool Read, bool Update, bool Create)>> _profiles = new(StringComparer.Ordinal);
        private readonly Dictionary<Guid, HashSet<string>> _userProfiles = new();

        internal OrganizationSecurity(XrmOrganization org) => _org = org;

        /// <summary>Whether roles and field security are checked.</summary>
        public bool Enforced { get; set; }

        /// <summary>Governs a table: its rows need the privileges of the defined roles.</summary>
        public void Govern(string table) => _governed.Add(table);

        /// <summary>Defines a role from privileges named as Dataverse names them (prvWritedr_RiskPolicy) with their level.</summary>
        public void DefineRole(string name, IEnumerable<(string Privilege, string Level)> privileges) =>
            _roles[name] = privileges.ToDictionary(p => p.Privilege.ToLowerInvariant(), p => Enum.Parse<PrivilegeDepth>(p.Level, ignoreCase: true), StringComparer.Ordinal);

        public void AssignRole(Guid user, string role)
        {
            if (!_roles.ContainsKey(role)) throw new ArgumentException($"No role named '{role}' is defined.", nameof(role));
            (_userRoles.TryGetValue(user, out var set) ? set : _userRoles[user] = new HashSet<string>(StringComparer.Ordinal)).Add(role);
        }

        public void SecureColumn(string table, string column) => _secured.Add((table, column));

        public void DefineFieldProfile(string name, IEnumerable<(string Table, string Column, bool Read, bool Update, bool Create)> permissions) => _profiles[name] = permissions.ToList();

        public void AssignFieldProfile(Guid user, string profile)
        {
            if (!_profiles.ContainsKey(profile)) throw new ArgumentException($"No field security profile named '{profile}' is defined.", nameof(profile));
            (_userProfiles.TryGetValue(user, out var set) ? set : _userProfiles[user] = new HashSet<string>(StringComparer.Ordinal)).Add(profile);
        }

        /// <summary>Whether a call by <paramref name="user"/> is checked at all: security is enforced, and the user is
        /// neither SYSTEM nor the administrator (who pass, as System Administrator does).</summary>
        internal bool Checks(Guid user) => Enforced && user != _org.SystemUserId && user != _org.AdministratorId;

        /// <summary>Refuses with the platform's privilege fault when <paramref name="user"/> lacks the privilege
        /// (prv<paramref name="action"/><paramref name="table"/>) at a depth that reaches the row.</summary>
        public void Demand(Guid user, string action, string table, Guid? rowId) => Require(user, action, table, rowId);

        /// <summary>Refuses with the platform's privilege fault when <paramref name="user"/> writes a secured column
        /// no field security profile of theirs allows.</summary>
        public void DemandColumns(Guid user, Entity target, bool create) => Columns(user, target, create);

        /// <summary>Refuses with the platform's privilege fault when no role of <paramref name="user"/> holds the named
        /// privilege (a Custom API's executeprivilegename).</summary>
        public void DemandPrivilege(Guid user, string privilegeName)
        {
            var name = privilegeName.ToLowerInvariant();
            if ((_userRoles.TryGetValue(user, out var roles) ? roles : new HashSet<string>()).Any(r => _roles[r].ContainsKey(name))) return;
            throw Faults.Create(ErrorCodes.PrivilegeDenied, $"Principal user (Id={user}, type=8) is missing {privilegeName} privilege.");
        }

        private void Require(Guid user, string action, string table, Guid? rowId)
        {
            if (!_governed.Contains(table)) return;
            var privilege = $"prv{action}{table}".ToLowerInvariant();
            var depths = (_userRoles.TryGetValue(user, out var roles) ? roles : new HashSet<string>())
                .Select(r => _roles[r].TryGetValue(privilege, out var d) ? d : (PrivilegeDepth?)null).Where(d => d != null).Select(d => d!.Value).ToList();
            if (depths.Count == 0)
                throw Faults.Create(ErrorCodes.PrivilegeDenied, $"Principal user (Id={user}, type=8) is missing {PrivilegeName(action, table)} privilege.");
            var best = depths.Max();
            if (best == PrivilegeDepth.Global || rowId is not Guid id) return;
            var row = _org.Store.Find(table, id);
            if (row == null) return;
            var owner = row.GetAttributeValue<EntityReference>("ownerid");
            if (owner == null) return; // organization-owned rows: any level of the privilege reaches them
            var userUnit = _org.BusinessUnitOf(user);
            var rowUnit = row.GetAttributeValue<EntityReference>("owningbusinessunit")?.Id ?? _org.BusinessUnitOf(owner.Id);
            var allowed = best switch
            {
                PrivilegeDepth.Basic => owner.Id == user,
                PrivilegeDepth.Local => owner.Id == user || rowUnit == userUnit,
                _ => owner.Id == user || IsWithin(rowUnit, userUnit),
            };
            if (!allowed)
                throw Faults.Create(ErrorCodes.PrivilegeDenied,
                    $"Principal user (Id={user}, type=8) does not have {PrivilegeName(action, table)} on this {table} ({id}): its privilege reaches {best} rows, and the row is owned outside that.");
        }

        private void Columns(Guid user, Entity target, bool create)
        {
            foreach (var column in target.Attributes.Keys.Where(c => _secured.Contains((target.LogicalName, c))))
            {
                var allowed = (_userProfiles.TryGetValue(user, out var profiles) ? profiles : new HashSet<string>())
                    .SelectMany(p => _profiles[p]).Any(p => p.Table == target.LogicalName && p.Column == column && (create ? p.Create : p.Update));
                if (!allowed)
                    throw Faults.Create(ErrorCodes.PrivilegeDenied,
                        $"The user (Id={user}) does not have {(create ? "create" : "update")} permission on the secured column '{column}' of {target.LogicalName}: no field security profile of theirs allows it.");
            }
        }

        private bool IsWithin(Guid unit, Guid ancestor)
        {
            for (var current = (Guid?)unit; current is Guid c; current = _org.Store.Find("businessunit", c)?.GetAttributeValue<EntityReference>("parentbusinessunitid")?.Id)
                if (c == ancestor) return true;
            return false;
        }

        private static string PrivilegeName(string action, string table) => $"prv{action}{table}";
    }
}
