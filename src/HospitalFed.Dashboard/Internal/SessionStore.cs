using System.Buffers.Text;
using System.Security.Cryptography;

namespace HospitalFed.Dashboard.Internal;

/// <summary>
/// Browser sessions started by a login link. The cookie holds 32 random bytes; the server keeps
/// only their SHA-256, so a memory dump holds no usable cookie, and finds a session by that hash
/// (a lookup that leaks at most hash prefixes of random values), then compares the full hash in
/// constant time. A session ends at its expiry, capped by the certificate's own.
/// </summary>
internal sealed class SessionStore(TimeProvider time)
{
    public const string CookieName = "hfed-dashboard";
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (byte[] Hash, DashboardPrincipal Principal, DateTimeOffset Expires)> _sessions = new(StringComparer.Ordinal);

    /// <summary>Starts a session for <paramref name="principal"/>; returns the cookie value and its expiry.</summary>
    public (string Cookie, DateTimeOffset Expires) Start(DashboardPrincipal principal, TimeSpan lifetime)
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        var hash = SHA256.HashData(secret);
        var now = time.GetUtcNow();
        var expires = new[] { now + lifetime, new DateTimeOffset(principal.Certificate.NotAfter.ToUniversalTime()) }.Min();
        lock (_gate)
        {
            foreach (var stale in _sessions.Where(s => s.Value.Expires <= now).Select(s => s.Key).ToList())
            {
                _sessions.Remove(stale);
            }

            _sessions[Convert.ToHexString(hash)] = (hash, principal, expires);
        }

        var cookie = Base64Url.EncodeToString(secret);
        CryptographicOperations.ZeroMemory(secret);
        return (cookie, expires);
    }

    /// <summary>The principal of a live session whose cookie is <paramref name="cookie"/>, or null.</summary>
    public DashboardPrincipal? Find(string? cookie)
    {
        if (string.IsNullOrEmpty(cookie) || cookie.Length > 64)
        {
            return null;
        }

        byte[] secret;
        try
        {
            secret = Base64Url.DecodeFromChars(cookie);
        }
        catch (FormatException)
        {
            return null;
        }

        var hash = SHA256.HashData(secret);
        CryptographicOperations.ZeroMemory(secret);
        lock (_gate)
        {
            return _sessions.TryGetValue(Convert.ToHexString(hash), out var session)
                && CryptographicOperations.FixedTimeEquals(session.Hash, hash)
                && session.Expires > time.GetUtcNow()
                ? session.Principal
                : null;
        }
    }
}
