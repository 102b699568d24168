
namespace CrmPlugins.Emulator
{
    /// <summary>How far a role's privilege reaches (RolePrivilege level).</summary>
    public enum PrivilegeDepth
    {
        /// <summary>Rows the user owns.</summary>
        Basic,
        /// <summary>Rows of the user's business unit.</summary>
        Local,
        /// <summary>Rows of the user's business unit and the units below it.</summary>
        Deep,
        /// <summary>Every row.</summary>
        Global,
    }
}
