using HospitalFed.Transport.Blobs;
using HospitalFed.Transport.Tests.Infrastructure;

namespace HospitalFed.Transport.Tests.Interop;

/// <summary>
/// Interoperability with grpcio (C core, from Debian's python3-grpcio) as the client of our grpc-dotnet
/// server, over h2c and mutual TLS. Inconclusive, with the install command, on a machine without the peer.
/// </summary>
[NonParallelizable]
public sealed class PythonInteropTests
{
    private string _directory = null!;
    private string _descriptors = null!;
    private TestPki _pki = null!;

    [OneTimeSetUp]
    public void Prepare()
    {
        _directory = Directory.CreateTempSubdirectory("hfed-interop-").FullName;
        _descriptors = Path.Combine(_directory, "hospitalfed.protoset");
        ProtoDescriptors.Write(_descriptors);
        _pki = new TestPki("Interop CA");
        _pki.WritePem(_directory, _pki.Server, "server");
        _pki.WritePem(_directory, _pki.Client, "client");
    }

    [OneTimeTearDown]
    public void CleanUp()
    {
        _pki.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [TestCase(false, TestName = "PythonClient_CallsOurServer_OverH2c_AllChecksPass")]
    [TestCase(true, TestName = "PythonClient_CallsOurServer_OverMutualTls_AllChecksPass")]
    public async Task PythonClient_CallsOurServer(bool tls)
    {
        PythonPeer.RequireInterpreter();
        await using var server = await TestServers.StartAsync(new FileBlobStore(Path.Combine(_directory, "blobs-" + tls)), pki: tls ? _pki : null);
        string[] arguments = ["call", "--descriptors", _descriptors, "--target", "127.0.0.1:" + server.Address.Port, .. TlsArguments(tls, "client")];

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
        ? ["--tls", Path.Combine(_directory, "ca.pem"), Path.Combine(_directory, name + ".pem"), Path.Combine(_directory, name + ".key")]
        : [];
}
