using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace HospitalFed.Transport.Telemetry;

/// <summary>Registers OpenTelemetry export of <see cref="HospitalFedTelemetry"/> in a node's host.</summary>
public static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// With <paramref name="config"/> present and enabled, exports the <c>HospitalFed</c> meter and
    /// activity source over OTLP to <see cref="TelemetryConfig.OtlpEndpoint"/>; otherwise adds nothing.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="config">The config file's <c>telemetry</c> section; null = off.</param>
    /// <param name="defaultServiceName">The <c>service.name</c> when the section names none (<c>hfed-aggregator</c>, <c>hfed-site</c>).</param>
    public static IServiceCollection AddHospitalFedTelemetry(this IServiceCollection services, TelemetryConfig? config, string defaultServiceName)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (config is not { Enabled: true })
        {
            return services;
        }

        var endpoint = new Uri(config.OtlpEndpoint);
        var protocol = config.OtlpProtocol == "http/protobuf" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        void Exporter(OtlpExporterOptions otlp)
        {
            // With http/protobuf the SDK appends no path to an explicit endpoint: add the signal's.
            otlp.Endpoint = endpoint;
            otlp.Protocol = protocol;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(config.ServiceName ?? defaultServiceName, serviceVersion: NodeHeaders.SoftwareVersion))
            .WithMetrics(metrics => metrics
                .AddMeter(HospitalFedTelemetry.Name)
                .AddOtlpExporter((otlp, reader) =>
                {
                    Exporter(otlp);
                    if (protocol == OtlpExportProtocol.HttpProtobuf)
                    {
                        otlp.Endpoint = new Uri(endpoint, "v1/metrics");
                    }

                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)Math.Max(1000, config.ExportIntervalSeconds * 1000);
                }))
            .WithTracing(tracing => tracing
                .AddSource(HospitalFedTelemetry.Name)
                .AddOtlpExporter(otlp =>
                {
                    Exporter(otlp);
                    if (protocol == OtlpExportProtocol.HttpProtobuf)
                    {
                        otlp.Endpoint = new Uri(endpoint, "v1/traces");
                    }
                }));
        return services;
    }
}
