using System.Security.Cryptography.X509Certificates;

namespace HospitalFed.Crypto.Identity;

/// <summary>
/// A revocation source holding a fixed set of revoked serial numbers with their revocation
/// times. A certificate counts as revoked from its revocation time on.
/// </summary>
public sealed class RevokedSerials : IRevocationSource
{
    private readonly Dictionary<string, DateTimeOffset> _revoked;

    /// <summary>No certificate is revoked.</summary>
    public static RevokedSerials None { get; } = new([]);

    /// <summary>Creates the source from (serial number as hex, revocation time) pairs.</summary>
    public RevokedSerials(IEnumerable<KeyValuePair<string, DateTimeOffset>> revoked)
    {
        ArgumentNullException.ThrowIfNull(revoked);
        _revoked = revoked.ToDictionary(r => r.Key.ToUpperInvariant(), r => r.Value, StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public bool IsRevoked(X509Certificate2 certificate, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return _revoked.TryGetValue(certificate.SerialNumber.ToUpperInvariant(), out var when) && when <= at;
    }
}
