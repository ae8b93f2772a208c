namespace HospitalFed.Crypto.Identity;

/// <summary>
/// The role a consortium certificate grants. Carried in every certificate the
/// consortium CA issues, in the extension <see cref="ConsortiumRoleExtension"/>.
/// </summary>
public enum ConsortiumRole
{
    /// <summary>A hospital's site node: trains locally and uploads protected updates.</summary>
    Site = 1,

    /// <summary>The central aggregator: sums protected updates and writes the round log.</summary>
    Aggregator = 2,

    /// <summary>A consortium administrator: approves plans and rounds, enrolls and revokes parties.</summary>
    Admin = 3,

    /// <summary>An auditor: reads and verifies round logs.</summary>
    Auditor = 4,
}
