using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Canonical;
using HospitalFed.Ledger.Log;

namespace HospitalFed.Dashboard;

/// <summary>
/// The short-lived login link a consortium party mints on its own machine (<c>hfed dashboard
/// login</c>): claims {aud, exp, iat, nonce, party} in canonical JSON, signed with the party's
/// identity key through <see cref="SigningIdentity"/> under purpose <see cref="Purpose"/> and the
/// binding (plan <see cref="Scope"/>, round 0, sender = the party, recipient = the dashboard's
/// origin), so a link made for one dashboard is refused by another. The link carries the
/// party's certificate and the signature, never a private key.
/// </summary>
public static class DashboardLoginLink
{
    /// <summary>The signing purpose of a login link.</summary>
    public const string Purpose = "hfed/dashboard/login";

    /// <summary>The binding's plan field: a login belongs to no plan.</summary>
    public const string Scope = "dashboard";

    /// <summary>The path of the login endpoint; the token is its <c>token</c> query parameter.</summary>
    public const string LoginPath = "/login";

    /// <summary>The longest lifetime a dashboard accepts for a link (5 minutes).</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(5);

    /// <summary>The default lifetime of a link (2 minutes).</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(2);

    /// <summary>Mints a login link for <paramref name="party"/> to the dashboard at <paramref name="origin"/>.</summary>
    /// <param name="party">The party's identity (certificate and key); only its signature leaves this call.</param>
    /// <param name="origin">The dashboard's origin, e.g. <c>https://aggregator.example:7444</c> (scheme, host and port only).</param>
    /// <param name="lifetime">How long the link is valid: more than zero and at most <see cref="MaxLifetime"/>.</param>
    /// <param name="time">The clock; the system clock when null.</param>
    /// <returns>The full URL: the origin, <see cref="LoginPath"/> and the token.</returns>
    /// <exception cref="ArgumentException">The origin is not an https origin, or the lifetime is out of range.</exception>
    public static string Create(SigningIdentity party, string origin, TimeSpan lifetime, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(party);
        var normalised = NormaliseOrigin(origin);
        if (lifetime <= TimeSpan.Zero || lifetime > MaxLifetime)
        {
            throw new ArgumentException($"a login link lives more than 0 and at most {MaxLifetime.TotalMinutes:0} minutes; got {lifetime}", nameof(lifetime));
        }

        var now = (time ?? TimeProvider.System).GetUtcNow();
        var claims = CanonicalJson.Encode(new JsonObject
        {
            ["aud"] = normalised,
            ["exp"] = LogEntry.FormatTime(now + lifetime),
            ["iat"] = LogEntry.FormatTime(now),
            ["nonce"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            ["party"] = party.Name,
        });
        var signature = party.Sign(Purpose, Binding(party.Name, normalised), claims);
        var token = string.Join('.', Base64Url.EncodeToString(claims), Base64Url.EncodeToString(party.Certificate.RawData), Base64Url.EncodeToString(signature));
        return $"{normalised}{LoginPath}?token={token}";
    }

    /// <summary>The binding a login for <paramref name="party"/> to <paramref name="origin"/> is signed under.</summary>
    public static MessageBinding Binding(string party, string origin) => new(Scope, 0, party, origin);

    /// <summary>
    /// Returns <paramref name="origin"/> as scheme://host[:port] in lower case, without a trailing
    /// slash, path, query or fragment: the form a link binds and the dashboard compares.
    /// </summary>
    /// <exception cref="ArgumentException">Not an absolute https URL with nothing after the authority.</exception>
    public static string NormaliseOrigin(string origin)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(origin);
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps
            || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            throw new ArgumentException($"the dashboard origin must be https://host[:port] with nothing after it; got '{origin}'", nameof(origin));
        }

        return uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant();
    }
}
