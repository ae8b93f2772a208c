using System.ComponentModel.DataAnnotations;
using System.Net;

namespace HospitalFed.Dashboard;

/// <summary>
/// The dashboard's settings (configuration section <see cref="Section"/>). Relative paths are
/// resolved against the process's working directory; the aggregator host resolves them against
/// its config file before binding. Validated when the dashboard starts (<see cref="Validate"/>).
/// </summary>
public sealed class DashboardOptions
{
    /// <summary>The configuration section the options bind from: <c>dashboard</c>.</summary>
    public const string Section = "dashboard";

    /// <summary>The address to listen on; default 127.0.0.1.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>The HTTPS port; default 7444 (the aggregator's site port is 7443).</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 7444;

    /// <summary>
    /// The origin browsers reach the dashboard at (https://host[:port]); login links are bound to
    /// it. Default <c>https://localhost:{Port}</c>.
    /// </summary>
    public string? PublicOrigin { get; set; }

    /// <summary>The server's TLS certificate (PEM), e.g. the aggregator's certificate. Required.</summary>
    [Required]
    public string Certificate { get; set; } = string.Empty;

    /// <summary>The server certificate's private key (PEM, unencrypted). Required.</summary>
    [Required]
    public string Key { get; set; } = string.Empty;

    /// <summary>The consortium root certificate (PEM): the only trust anchor for visitors. Required.</summary>
    [Required]
    public string Root { get; set; } = string.Empty;

    /// <summary>The consortium CRL (PEM), re-read whenever it changes. Required: a revoked party must be refused.</summary>
    [Required]
    public string Crl { get; set; } = string.Empty;

    /// <summary>The CA-signed consortium config (<c>consortium.json</c>). Required.</summary>
    [Required]
    public string Consortium { get; set; } = string.Empty;

    /// <summary>The aggregator's round log (SQLite), opened read-only; it may not exist yet. Required.</summary>
    [Required]
    public string Log { get; set; } = string.Empty;

    /// <summary>Whether browsers may sign in with a consortium client certificate (TLS); default true.</summary>
    public bool ClientCertificates { get; set; } = true;

    /// <summary>How long a session started by a login link lasts (capped by the certificate's expiry); default 8 hours.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How often the round log is checked for new entries; default 500 ms (at least 100 ms).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The origin login links must be bound to: <see cref="PublicOrigin"/> or its default.</summary>
    public string Origin => DashboardLoginLink.NormaliseOrigin(PublicOrigin ?? $"https://localhost:{Port}");

    /// <summary>Checks every setting; the message names each one that is wrong.</summary>
    /// <exception cref="ArgumentException">A setting is missing or out of range, or a file named is absent.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        if (!IPAddress.TryParse(BindAddress, out _))
        {
            errors.Add($"bindAddress '{BindAddress}' is not an IP address");
        }

        if (Port is < 1 or > 65535)
        {
            errors.Add($"port {Port} is not from 1 to 65535");
        }

        try
        {
            _ = Origin;
        }
        catch (ArgumentException ex)
        {
            errors.Add($"publicOrigin: {ex.Message.Split(" (Parameter", 2)[0]}");
        }

        foreach (var (name, path) in new[] { ("certificate", Certificate), ("key", Key), ("root", Root), ("crl", Crl), ("consortium", Consortium) })
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                errors.Add($"{name} is required");
            }
            else if (!File.Exists(path))
            {
                errors.Add($"{name} file '{path}' does not exist");
            }
        }

        if (string.IsNullOrWhiteSpace(Log))
        {
            errors.Add("log is required");
        }

        if (SessionLifetime <= TimeSpan.Zero || SessionLifetime > TimeSpan.FromDays(1))
        {
            errors.Add($"sessionLifetime {SessionLifetime} is not more than 0 and at most 1 day");
        }

        if (PollInterval < TimeSpan.FromMilliseconds(100))
        {
            errors.Add($"pollInterval {PollInterval} is under 100 ms");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("dashboard settings: " + string.Join("; ", errors));
        }
    }
}
