using HospitalFed.Protocol.V1;
using HospitalFed.Transport.Tests.Infrastructure;
using DiagnosticsClient = HospitalFed.Protocol.V1.Diagnostics.DiagnosticsClient;

namespace HospitalFed.Transport.Tests;

public sealed class SmokeTests
{
    [Test]
    public async Task Echo_OverH2c_RoundTrips()
    {
        await using var server = await TestServers.StartAsync(new MemoryBlobStore());
        using var channel = TestServers.Channel(server);
        var reply = await new DiagnosticsClient(channel).EchoAsync(new EchoRequest { Message = "hi" }, TestServers.Bounded()).ResponseAsync.WaitAsync(TestServers.Timeout);
        Assert.That(reply.Message, Is.EqualTo("hi"));
    }
}
