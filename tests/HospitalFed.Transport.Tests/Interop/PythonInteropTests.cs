using HospitalFed.Transport.Blobs;
using HospitalFed.Transport.Tests.Infrastructure;

namespace HospitalFed.Transport.Tests.Interop;

/// <summary>
/// Interoperability with grpcio (C core, from Debian's python3-grpcio) as the client of our grpc-dotnet
/// server, over h2c and mutual TLS. Inconclusive, with the install command, on a machine without the peer.
/// </summary>
[NonParallelizable]
internal sealed class PythonInteropTests() : InteropFixture("Interop CA")
{
    [TestCase(false, TestName = "PythonClient_CallsOurServer_OverH2c_AllChecksPass")]
    [TestCase(true, TestName = "PythonClient_CallsOurServer_OverMutualTls_AllChecksPass")]
    public async Task PythonClient_CallsOurServer(bool tls)
    {
        PythonPeer.RequireInterpreter();
        await using var server = await TestServers.StartAsync(new FileBlobStore(Path.Combine(WorkDirectory, "blobs-" + tls)), pki: tls ? Pki : null);
        string[] arguments = ["call", "--descriptors", Descriptors, "--target", "127.0.0.1:" + server.Address.Port, .. TlsArguments(tls, "client")];

        var (exitCode, output) = await PythonPeer.RunAsync(TimeSpan.FromMinutes(2), arguments);

        TestContext.Out.WriteLine(output);
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, output);
            Assert.That(output, Does.Not.Contain("FAIL"));
            Assert.That(output, Does.Contain("OK health.check").And.Contain("OK blob.round-trip").And.Contain("OK chat"));
        });
    }

    private IEnumerable<string> TlsArguments(bool tls, string name) => tls
        ? ["--tls", Path.Combine(WorkDirectory, "ca.pem"), Path.Combine(WorkDirectory, name + ".pem"), Path.Combine(WorkDirectory, name + ".key")]
        : [];
}
