using System.CommandLine;
using Grpc.Health.V1;
using HospitalFed.Transport;
using CallOptions = Grpc.Core.CallOptions;
using RpcException = Grpc.Core.RpcException;

namespace HospitalFed.Cli.Commands;

/// <summary><c>hfed health</c>: probes any HospitalFed node (or any gRPC server) with the standard health check.</summary>
internal static class HealthCommand
{
    public static Command Create()
    {
        var address = new Argument<string>("address") { Description = "The node, e.g. https://aggregator.example.org:7443 (mutual TLS) or http://127.0.0.1:5000 (h2c)." };
        var ca = new Option<FileInfo?>("--ca") { Description = "PEM CA bundle the node's certificate must chain to (https only)." };
        var cert = new Option<FileInfo?>("--cert") { Description = "PEM client certificate issued by the consortium CA (https only)." };
        var key = new Option<FileInfo?>("--key") { Description = "PEM private key of --cert (https only)." };
        var service = new Option<string>("--service") { Description = "Service to check; empty checks the whole node.", DefaultValueFactory = _ => string.Empty };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for the answer.", DefaultValueFactory = _ => 10 };
        var command = new Command("health", "Check a node with grpc.health.v1.Health/Check; exits 0 when it is SERVING.")
        {
            address, ca, cert, key, service, timeout,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(address)!, parse.GetValue(ca), parse.GetValue(cert), parse.GetValue(key), parse.GetValue(service) ?? string.Empty, parse.GetValue(timeout), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string address, FileInfo? ca, FileInfo? cert, FileInfo? key, string service, double timeoutSeconds, CancellationToken cancellationToken)
    {
        try
        {
            if (!Uri.TryCreate(address, UriKind.Absolute, out var uri))
            {
                throw new ArgumentException($"'{address}' is not an absolute http:// or https:// address.");
            }

            if (timeoutSeconds is <= 0 or > 3600)
            {
                throw new ArgumentException($"--timeout must be between 0 and 3600 seconds (got {timeoutSeconds}).");
            }

            var options = new RpcChannelOptions();
            if (uri.Scheme == Uri.UriSchemeHttps)
            {
                if (ca is null || cert is null || key is null)
                {
                    throw new ArgumentException("an https:// address needs --ca, --cert and --key (nodes require mutual TLS).");
                }

                options.TrustedServerAuthorities = CertificateBundle.LoadCaBundle(ca.FullName);
                options.ClientCertificate = CertificateBundle.LoadCertificateWithKey(cert.FullName, key.FullName);
            }

            using var channel = NodeChannel.Create(uri, options);
            var deadline = options.TimeProvider.GetUtcNow().UtcDateTime.AddSeconds(timeoutSeconds);
            var reply = await new Health.HealthClient(channel)
                .CheckAsync(new HealthCheckRequest { Service = service }, new CallOptions(deadline: deadline, cancellationToken: cancellationToken))
                .ConfigureAwait(false);
            var status = reply.Status;
            Console.WriteLine(status == HealthCheckResponse.Types.ServingStatus.Serving ? "SERVING" : status.ToString().ToUpperInvariant());
            return status == HealthCheckResponse.Types.ServingStatus.Serving ? 0 : 1;
        }
        catch (Exception ex) when (ex is RpcException or ArgumentException or IOException or InvalidDataException)
        {
            await Console.Error.WriteLineAsync("hfed health: " + (ex is RpcException ? NodeCallFailure.Describe(ex, Uri.TryCreate(address, UriKind.Absolute, out var called) ? called : null) : ex.Message)).ConfigureAwait(false);
            return 2;
        }
    }
}
