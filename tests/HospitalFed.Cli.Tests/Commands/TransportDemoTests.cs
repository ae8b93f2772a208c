using HospitalFed.Cli.Commands.Demo;

namespace HospitalFed.Cli.Tests.Commands;

/// <summary>`hfed demo`: a mutual-TLS node on loopback, every call kind, a blob both ways.</summary>
public sealed class TransportDemoTests
{
    [Test]
    public async Task RunAsync_SmallBlob_EveryStepSucceedsOverMutualTls()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));

        var (address, steps) = await TransportDemo.RunAsync(2, TimeProvider.System, cts.Token).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Multiple(() =>
        {
            Assert.That(address.Scheme, Is.EqualTo("https"));
            Assert.That(address.Host, Is.EqualTo("127.0.0.1"));
            Assert.That(steps.Select(s => s.Kind), Is.EquivalentTo(new[] { "unary", "unary", "server streaming", "client streaming", "bidirectional", "client streaming", "server streaming" }));
            Assert.That(steps[0].Result, Is.EqualTo("SERVING"));
            Assert.That(steps[^1].Result, Does.Contain("SHA-256 matches the upload"));
        });
    }
}
