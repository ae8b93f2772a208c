using System.Security.Cryptography.X509Certificates;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Pki;

namespace HospitalFed.Dashboard.Internal;

/// <summary>
/// The dashboard's trust decision for a visitor's certificate: the project's
/// <see cref="ConsortiumTrust"/> policy (chain to the consortium root only, valid now, not
/// revoked, a consortium role), with the CRL file re-read first so a revocation takes effect on
/// the next request, including for sessions already open.
/// </summary>
internal sealed class PartyTrust(X509Certificate2 root, ReloadingCrlSource crl, TimeProvider time)
{
    private readonly ConsortiumTrust _trust = new(root, crl);

    public ConsortiumTrust Trust => _trust;

    public ReloadingCrlSource Crl => crl;

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>Validates <paramref name="certificate"/> as a consortium party, whatever its role.</summary>
    /// <exception cref="IdentityException">Refused; the message says why.</exception>
    public (string Name, ConsortiumRole Role) Validate(X509Certificate2 certificate, string? expectedName = null)
    {
        crl.Refresh(); // a changed file is verified before it replaces the CRL in force; a bad one is refused and the last good stays
        if (!ConsortiumRoleExtension.TryRead(certificate, out var role))
        {
            throw new IdentityException($"certificate '{certificate.Subject}' carries no consortium role");
        }

        var party = _trust.Validate(certificate, role, Now, expectedName);
        return (party.Name, role);
    }
}
