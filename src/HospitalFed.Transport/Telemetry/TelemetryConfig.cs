using HospitalFed.Ledger.Configuration;

namespace HospitalFed.Transport.Telemetry;

/// <summary>
/// The optional <c>telemetry</c> section of the aggregator and site configs: OpenTelemetry
/// metrics and traces (<see cref="HospitalFedTelemetry"/>) exported over OTLP. Off unless the
/// section is present with <c>"enabled": true</c>. Nothing exported carries key material or a
/// patient-level value: counts, byte sizes, durations, phase names, site and plan names.
/// </summary>
public sealed record TelemetryConfig
{
    /// <summary>Whether to export; default false (the section may sit in the config, switched off).</summary>
    public bool Enabled { get; init; }

    /// <summary>The collector's OTLP endpoint, e.g. <c>http://127.0.0.1:4317</c> (gRPC) or <c>http://127.0.0.1:4318</c> (HTTP); required.</summary>
    public required string OtlpEndpoint { get; init; }

    /// <summary>The OTLP protocol: <c>grpc</c> (default) or <c>http/protobuf</c>.</summary>
    public string OtlpProtocol { get; init; } = "grpc";

    /// <summary>The <c>service.name</c> resource attribute; default <c>hfed-aggregator</c> or <c>hfed-site</c>.</summary>
    public string? ServiceName { get; init; }

    /// <summary>How often metrics are exported, in seconds; default 15.</summary>
    public double ExportIntervalSeconds { get; init; } = 15;

    /// <summary>The keys the section may hold.</summary>
    public static IReadOnlyList<ConfigKey> Keys { get; } =
    [
        new("enabled", ConfigValueKind.Boolean),
        new("otlpEndpoint", ConfigValueKind.Url, Required: true),
        new("otlpProtocol", ConfigValueKind.Text),
        new("serviceName", ConfigValueKind.Text),
        new("exportIntervalSeconds", ConfigValueKind.PositiveNumber),
    ];

    /// <summary>What is wrong with the section, or null; messages name the key as <c>telemetry.KEY</c>.</summary>
    public string? Problems() =>
        OtlpProtocol is "grpc" or "http/protobuf"
            ? null
            : $"key \"telemetry.otlpProtocol\" must be \"grpc\" or \"http/protobuf\", found the string \"{OtlpProtocol}\"";
}
