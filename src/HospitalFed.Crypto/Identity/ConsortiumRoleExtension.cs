using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace HospitalFed.Crypto.Identity;

/// <summary>
/// The non-critical X.509 extension that carries a party's <see cref="ConsortiumRole"/>.
/// Its value is a DER UTF8String holding the lower-case role name ("site", "aggregator",
/// "admin" or "auditor").
/// </summary>
/// <remarks>
/// The OID sits under the ITU-T UUID arc 2.25 (ITU-T X.667), which needs no registration,
/// so HospitalFed does not squat on anybody's private enterprise number. The extension is
/// non-critical so that generic X.509 tooling (openssl, browsers) still parses the chain.
/// </remarks>
public static class ConsortiumRoleExtension
{
    /// <summary>The extension's object identifier.</summary>
    public const string Oid = "2.25.313429187637774635122746096738737282286";

    /// <summary>Creates the extension for <paramref name="role"/>.</summary>
    public static X509Extension Create(ConsortiumRole role)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteCharacterString(UniversalTagNumber.UTF8String, ToName(role));
        return new X509Extension(Oid, writer.Encode(), critical: false);
    }

    /// <summary>Reads the role from <paramref name="certificate"/>.</summary>
    /// <returns><see langword="true"/> if the certificate carries exactly one well-formed role extension.</returns>
    public static bool TryRead(X509Certificate2 certificate, out ConsortiumRole role)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        role = default;
        X509Extension? found = null;
        foreach (var extension in certificate.Extensions)
        {
            if (extension.Oid?.Value != Oid)
            {
                continue;
            }

            if (found is not null)
            {
                return false; // a duplicated role extension is ambiguous: refuse it
            }

            found = extension;
        }

        if (found is null)
        {
            return false;
        }

        try
        {
            var reader = new AsnReader(found.RawData, AsnEncodingRules.DER);
            var name = reader.ReadCharacterString(UniversalTagNumber.UTF8String);
            reader.ThrowIfNotEmpty();
            return TryParse(name, out role);
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    /// <summary>The lower-case wire name of <paramref name="role"/>.</summary>
    public static string ToName(ConsortiumRole role) => role switch
    {
        ConsortiumRole.Site => "site",
        ConsortiumRole.Aggregator => "aggregator",
        ConsortiumRole.Admin => "admin",
        ConsortiumRole.Auditor => "auditor",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown consortium role."),
    };

    /// <summary>Parses a lower-case role name; returns <see langword="false"/> for anything else.</summary>
    public static bool TryParse(string name, out ConsortiumRole role)
    {
        role = name switch
        {
            "site" => ConsortiumRole.Site,
            "aggregator" => ConsortiumRole.Aggregator,
            "admin" => ConsortiumRole.Admin,
            "auditor" => ConsortiumRole.Auditor,
            _ => default,
        };
        return role != default;
    }
}
