using System.Net;
using HospitalFed.Dashboard;
using HospitalFed.Ledger.Configuration;

namespace HospitalFed.Aggregator.Configuration;

/// <summary>
/// The optional <c>dashboard</c> section of the aggregator config: when present, <c>hfed
/// aggregator run</c> also serves the read-only consortium dashboard on its own HTTPS port, with
/// the aggregator's certificate, root, CRL, consortium config and round log, and the live status
/// of the sites it serves. Absent, no dashboard is served.
/// </summary>
public sealed record AggregatorDashboardConfig
{
    /// <summary>The dashboard's HTTPS port; required, and not the sites' port.</summary>
    public required int Port { get; init; }

    /// <summary>The address the dashboard listens on; default 127.0.0.1 (admins reach it through a tunnel or a reverse proxy).</summary>
    public string BindAddress { get; init; } = "127.0.0.1";

    /// <summary>The https://host[:port] browsers use (login links are bound to it); default https://localhost:PORT.</summary>
    public string? PublicOrigin { get; init; }

    /// <summary>Whether the aggregator stays up serving the dashboard after the plan ended, until stopped; default false (it exits as without a dashboard).</summary>
    public bool KeepServingAfterPlan { get; init; }

    /// <summary>The keys the section may hold.</summary>
    public static IReadOnlyList<ConfigKey> Keys { get; } =
    [
        new("port", ConfigValueKind.Integer, Required: true),
        new("bindAddress", ConfigValueKind.Text),
        new("publicOrigin", ConfigValueKind.Url),
        new("keepServingAfterPlan", ConfigValueKind.Boolean),
    ];

    /// <summary>The dashboard's settings for <paramref name="config"/> (paths already resolved).</summary>
    public DashboardOptions ToOptions(AggregatorConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new DashboardOptions
        {
            Port = Port,
            BindAddress = BindAddress,
            PublicOrigin = PublicOrigin,
            Certificate = config.Certificate,
            Key = config.Key,
            Root = config.Root,
            Crl = config.Crl ?? string.Empty,
            Consortium = config.Consortium,
            Log = config.Log,
        };
    }

    /// <summary>Checks the section against the rest of <paramref name="config"/>; null when it is fine, else every problem in one line.</summary>
    internal string? Problems(AggregatorConfig config)
    {
        var errors = new List<string>();
        if (Port is <= 0 or > 65535)
        {
            errors.Add($"key \"dashboard.port\" must be a TCP port from 1 to 65535, found the number {Port}");
        }
        else if (Port == config.Port)
        {
            errors.Add($"key \"dashboard.port\" must differ from \"port\" (the sites' port), both are {Port}");
        }

        if (!IPAddress.TryParse(BindAddress, out _))
        {
            errors.Add($"key \"dashboard.bindAddress\" must be an IP address such as \"127.0.0.1\", found the string \"{BindAddress}\"");
        }

        if (PublicOrigin is not null)
        {
            try
            {
                DashboardLoginLink.NormaliseOrigin(PublicOrigin);
            }
            catch (ArgumentException ex)
            {
                errors.Add($"key \"dashboard.publicOrigin\": {ex.Message.Split(" (Parameter", 2)[0]}");
            }
        }

        if (config.Crl is null)
        {
            errors.Add("key \"dashboard\" needs key \"crl\" (the consortium CRL): the dashboard must refuse revoked parties");
        }

        return errors.Count == 0 ? null : string.Join("; ", errors);
    }
}
