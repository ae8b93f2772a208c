using System.Security.Cryptography.X509Certificates;
using HospitalFed.Transport;
using HospitalFed.Transport.Blobs;
using HospitalFed.Transport.Diagnostics;
using HospitalFed.Transport.Hosting;

namespace HospitalFed.Cli.Commands.Demo;

/// <summary>
/// <c>hfed demo --serve</c>: keeps a demo node running so that other gRPC tools (grpcurl, python grpcio)
/// can call it. With TLS, the throwaway CA and a client certificate and key are written as PEM files.
/// </summary>
internal static class DemoNode
{
    public static async Task ServeAsync(int port, bool plaintext, DirectoryInfo pemDirectory, TextWriter output, TimeProvider time, CancellationToken cancellationToken)
    {
        using var certificates = plaintext ? null : DemoCertificates.Create(time);
        var storage = Directory.CreateTempSubdirectory("hfed-demo-");
        try
        {
            var host = new RpcHostOptions { Port = port };
            if (certificates is not null)
            {
                host.ServerCertificate = certificates.Server;
                host.TrustedClientAuthorities = [certificates.Root];
                WritePem(certificates, pemDirectory);
            }

            await using var server = await NodeServer.StartAsync(
                host,
                new NodeServices().Add(new DiagnosticsService(time)).Add(new BlobTransferService(new FileBlobStore(storage.FullName))),
                time: time,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"Demo node listening on {server.Address} ({(plaintext ? "h2c, plaintext" : "mutual TLS")}). Ctrl+C stops it.").ConfigureAwait(false);
            if (certificates is not null)
            {
                await output.WriteLineAsync($"Client credentials (throwaway, valid 12 hours): {Path.Combine(pemDirectory.FullName, "ca.pem")}, client.pem, client.key").ConfigureAwait(false);
            }

            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await output.WriteLineAsync("Stopping the demo node.").ConfigureAwait(false);
            }
        }
        finally
        {
            storage.Delete(recursive: true);
        }
    }

    private static void WritePem(DemoCertificates certificates, DirectoryInfo directory)
    {
        directory.Create();
        File.WriteAllText(Path.Combine(directory.FullName, "ca.pem"), certificates.Root.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory.FullName, "client.pem"), certificates.Client.ExportCertificatePem());
        using var key = certificates.Client.GetECDsaPrivateKey()
            ?? throw new InvalidOperationException("The demo client certificate has no ECDSA key.");
        var keyPath = Path.Combine(directory.FullName, "client.key");
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
