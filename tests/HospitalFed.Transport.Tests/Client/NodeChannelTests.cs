using HospitalFed.Transport.Tests.Infrastructure;

namespace HospitalFed.Transport.Tests.Client;

/// <summary><see cref="NodeChannel.Create"/> refuses an address or options that cannot work, naming what is wrong, before any connection.</summary>
public sealed class NodeChannelTests
{
    private TestPki _pki = null!;

    [OneTimeSetUp]
    public void Prepare() => _pki = new TestPki("Node channel CA");

    [OneTimeTearDown]
    public void CleanUp() => _pki.Dispose();

    [TestCase("ftp://127.0.0.1:1", TestName = "NodeChannel_FtpAddress_IsRefusedNamingTheAddress")]
    [TestCase("/relative", TestName = "NodeChannel_RelativeAddress_IsRefusedNamingTheAddress")]
    public void NodeChannel_UnusableAddress_IsRefusedNamingTheAddress(string address)
    {
        var ex = Assert.Throws<ArgumentException>(() => NodeChannel.Create(new Uri(address, UriKind.RelativeOrAbsolute)));

        Assert.That(ex!.Message, Does.Contain($"Address '{address}").And.Contain("http://").And.Contain("https://"));
    }

    [Test]
    public void NodeChannel_HttpsWithoutCaBundle_IsRefusedNamingTheOption()
    {
        var ex = Assert.Throws<ArgumentException>(() => NodeChannel.Create(new Uri("https://localhost:1"), new RpcChannelOptions { ClientCertificate = _pki.Client }));

        Assert.That(ex!.Message, Does.Contain("TrustedServerAuthorities is empty"));
    }

    [Test]
    public void NodeChannel_HttpsWithoutClientCertificate_IsRefusedNamingTheOption()
    {
        var ex = Assert.Throws<ArgumentException>(() => NodeChannel.Create(new Uri("https://localhost:1"), new RpcChannelOptions { TrustedServerAuthorities = _pki.Bundle }));

        Assert.That(ex!.Message, Does.Contain("ClientCertificate must be set, with its private key"));
    }

    [Test]
    public void NodeChannel_ClientCertificateOnPlaintextAddress_IsRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => NodeChannel.Create(new Uri("http://127.0.0.1:1"), new RpcChannelOptions { ClientCertificate = _pki.Client }));

        Assert.That(ex!.Message, Does.Contain("plaintext address 'http://127.0.0.1:1/'"));
    }

    [Test]
    public void NodeChannel_StreamWindowOutOfRange_IsRefusedNamingTheValue()
    {
        var ex = Assert.Throws<ArgumentException>(() => NodeChannel.Create(new Uri("http://127.0.0.1:1"), new RpcChannelOptions { InitialStreamWindowSize = 1000 }));

        Assert.That(ex!.Message, Does.Contain("InitialStreamWindowSize must be between 65535 and 16 MiB (got 1000)"));
    }
}
