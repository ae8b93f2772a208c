using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Canonical;
using HospitalFed.Ledger.Log;

namespace HospitalFed.Dashboard.Internal;

/// <summary>
/// Checks a login link minted by <see cref="DashboardLoginLink.Create"/>: well-formed; bound to
/// this dashboard's origin; issued no later than now (plus a small skew) and not expired; living
/// no longer than <see cref="DashboardLoginLink.MaxLifetime"/>; the certificate chains to the
/// consortium root, is valid, unrevoked and names the party of the claims; the signature covers
/// the claims under the login purpose and binding; and the nonce was never used before.
/// </summary>
internal sealed class LoginVerifier(PartyTrust trust, string origin, ReplayCache replays)
{
    /// <summary>How far a link's issue time may be ahead of the dashboard's clock.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>Returns the party the token signs in.</summary>
    /// <exception cref="IdentityException">The link is refused; the message says why (and holds no secret).</exception>
    public DashboardPrincipal Verify(string? token)
    {
        var parts = (token ?? string.Empty).Split('.');
        if (parts.Length != 3 || token!.Length > 16_384)
        {
            throw new IdentityException("the login link is malformed: expected three dot-separated parts");
        }

        var claimsBytes = Decode(parts[0], "claims");
        var certificateDer = Decode(parts[1], "certificate");
        var signature = Decode(parts[2], "signature");
        JsonObject claims;
        try
        {
            claims = CanonicalJson.Parse(claimsBytes) as JsonObject ?? throw new FormatException("not an object");
        }
        catch (FormatException ex)
        {
            throw new IdentityException($"the login link's claims are not canonical JSON: {ex.Message}");
        }

        var audience = Text(claims, "aud");
        var party = Text(claims, "party");
        var nonce = Text(claims, "nonce");
        var issued = Time(claims, "iat");
        var expires = Time(claims, "exp");
        if (!CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(audience), System.Text.Encoding.UTF8.GetBytes(origin)))
        {
            throw new IdentityException($"the login link was made for '{audience}', not for this dashboard ({origin})");
        }

        var now = trust.Now;
        if (issued > now + ClockSkew)
        {
            throw new IdentityException($"the login link is issued in the future ({LogEntry.FormatTime(issued)}); check the clocks");
        }

        if (expires <= now)
        {
            throw new IdentityException($"the login link expired at {LogEntry.FormatTime(expires)}; make a new one with 'hfed dashboard login'");
        }

        if (expires - issued > DashboardLoginLink.MaxLifetime || expires <= issued)
        {
            throw new IdentityException($"the login link lives {expires - issued}; at most {DashboardLoginLink.MaxLifetime} is accepted");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(certificateDer);
        }
        catch (CryptographicException ex)
        {
            throw new IdentityException($"the login link's certificate is not a certificate: {ex.Message}");
        }

        var (name, role) = trust.Validate(certificate, party);
        if (!ConsortiumTrust.VerifyWithKey(certificate, DashboardLoginLink.Purpose, DashboardLoginLink.Binding(party, origin), claimsBytes, signature))
        {
            throw new IdentityException($"the login link's signature by '{party}' does not verify");
        }

        if (!replays.TryUse(nonce, expires, now))
        {
            throw new IdentityException("the login link was already used; make a new one with 'hfed dashboard login'");
        }

        return new DashboardPrincipal(name, role, certificate, "login link");
    }

    private static byte[] Decode(string part, string what)
    {
        try
        {
            return Base64Url.DecodeFromChars(part);
        }
        catch (FormatException)
        {
            throw new IdentityException($"the login link's {what} is not base64url");
        }
    }

    private static string Text(JsonObject claims, string name) =>
        claims[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0
            ? text
            : throw new IdentityException($"the login link's claims lack '{name}'");

    private static DateTimeOffset Time(JsonObject claims, string name) =>
        DateTimeOffset.TryParseExact(Text(claims, name), LogEntry.TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw new IdentityException($"the login link's '{name}' is not a time in {LogEntry.TimeFormat}");
}
