using System.Security.Cryptography.X509Certificates;
using HospitalFed.Crypto.Identity;
using static HospitalFed.Dashboard.Internal.Html;

namespace HospitalFed.Dashboard.Internal;

/// <summary>The consortium page (config, parties, revocations) and the sites page.</summary>
internal sealed partial class DashboardPages
{
    public string Consortium()
    {
        var config = context.Consortium;
        var crl = context.Trust.Crl.Crl;
        var now = context.Time.GetUtcNow();
        var parties = context.Feed.Read(plans => plans
            .SelectMany(p => p.Authors)
            .GroupBy(a => a.Key, StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Der: g.OrderByDescending(a => a.Value.LastSeen).First().Value.Certificate))
            .OrderBy(a => a.Name, StringComparer.Ordinal)
            .ToList());
        var rows = parties.Select(p =>
        {
            using var cert = X509CertificateLoader.LoadCertificate(p.Der);
            var role = ConsortiumRoleExtension.TryRead(cert, out var r) ? ConsortiumRoleExtension.ToName(r) : "none";
            var revoked = crl.TryGetRevocation(cert.SerialNumber, out var at);
            var expires = new DateTimeOffset(cert.NotAfter.ToUniversalTime());
            var state = revoked ? Badge($"revoked {at:yyyy-MM-dd HH:mm} UTC", "bad")
                : expires <= now ? Badge("expired", "bad")
                : expires - now < TimeSpan.FromDays(30) ? Badge("expires soon", "warn")
                : Badge("valid", "ok");
            return (IReadOnlyList<string>)[E(p.Name), E(role), $"<code>{E(cert.SerialNumber)}</code>", Time(expires), state];
        });
        var revocations = crl.Entries.Select(e => (IReadOnlyList<string>)[$"<code>{E(e.SerialNumber)}</code>", Time(e.RevokedAt), E(e.Reason?.ToString() ?? "unspecified")]);
        return $"""
            <dl class="facts">
            <dt>Consortium</dt><dd>{E(config.Name)}</dd>
            <dt>Aggregator</dt><dd>{E(config.Aggregator)}</dd>
            <dt>Admins</dt><dd>{E(string.Join(", ", config.Admins))}</dd>
            <dt>Plan approval</dt><dd>{config.ApprovalThreshold} of {config.Admins.Count} admins</dd>
            <dt>Config signed by</dt><dd>{E(config.Signer)} (verified against the consortium root)</dd>
            <dt>Root</dt><dd>{E(context.Root.Subject)}, expires {Time(new DateTimeOffset(context.Root.NotAfter.ToUniversalTime()))}</dd>
            </dl>
            {Table("Parties that signed round-log entries", ["Party", "Role", "Serial", "Certificate expires", "State"], rows)}
            {Table($"Revocations (CRL number {crl.Number}, issued {crl.ThisUpdate:yyyy-MM-dd HH:mm} UTC)", ["Serial", "Revoked at", "Reason"], revocations, "no certificate revoked")}
            """;
    }

    public string Sites()
    {
        var snapshot = context.Status.Current;
        var rows = snapshot.Sites.Select(s => (IReadOnlyList<string>)
        [
            E(s.Name),
            s.Connected is { } c ? (c ? Badge("connected", "ok") : Badge("disconnected", "bad")) : "<span class=\"muted\">not reported</span>",
            Time(s.LastSeen),
            s.Version is { } v ? E(v) : "<span class=\"muted\">not reported</span>",
            s.Verdict is { } verdict ? E(verdict) : "<span class=\"muted\">none yet</span>",
        ]);
        return Table("Sites invited to a plan", ["Site", "Connection", "Last seen", "Version", "Verdict"], rows, "no site has been invited yet")
            + (context.HasLiveSource
                ? "<p class=\"note\">Connection, last seen (the site's last call or signed entry) and version are reported live by the aggregator serving this dashboard; verdicts come from the round log.</p>"
                : "<p class=\"note\">Last seen is the time of the site's last signed round-log entry. Connection and version are not reported: this dashboard reads the aggregator's files (<code>hfed dashboard serve</code>); the dashboard hosted by <code>hfed aggregator run</code> shows them live.</p>");
    }
}
