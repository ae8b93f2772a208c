using HospitalFed.Cli.Commands;
using HospitalFed.Transport;
using HospitalFed.Transport.Hosting;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace HospitalFed.Cli.Tests.Commands;

/// <summary>`hfed health`: exit code 0 only for SERVING; one clear line otherwise.</summary>
public sealed class HealthCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Health_ServingNode_ExitsZero()
    {
        await using var server = await NodeServer.StartAsync(new RpcHostOptions(), new NodeServices()).WaitAsync(Timeout);

        var exitCode = await HealthCommand.Create().Parse(["health", server.Address.ToString()]).InvokeAsync().WaitAsync(Timeout);

        Assert.That(exitCode, Is.Zero);
    }

    [Test]
    public async Task Health_NotServingService_ExitsOne()
    {
        await using var server = await NodeServer.StartAsync(new RpcHostOptions(), new NodeServices()).WaitAsync(Timeout);
        server.Health.SetStatus("hospitalfed.v1.Aggregator", ServingStatus.NotServing);

        var exitCode = await HealthCommand.Create().Parse(["health", server.Address.ToString(), "--service", "hospitalfed.v1.Aggregator"]).InvokeAsync().WaitAsync(Timeout);

        Assert.That(exitCode, Is.EqualTo(1));
    }

    [TestCase("http://127.0.0.1:1", TestName = "Health_UnreachableNode_ExitsTwo")]
    [TestCase("https://127.0.0.1:1", TestName = "Health_HttpsWithoutCredentials_ExitsTwo")]
    [TestCase("not a uri", TestName = "Health_InvalidAddress_ExitsTwo")]
    public async Task Health_Failure_ExitsTwo(string address)
    {
        var exitCode = await HealthCommand.Create().Parse(["health", address, "--timeout", "5"]).InvokeAsync().WaitAsync(Timeout);

        Assert.That(exitCode, Is.EqualTo(2));
    }

    [Test]
    public async Task Health_UnreachableNode_OneLineNamesTheAddressWithoutExceptionTypes()
    {
        var original = Console.Error;
        using var error = new StringWriter();
        Console.SetError(error);
        try
        {
            await HealthCommand.Create().Parse(["health", "http://127.0.0.1:1", "--timeout", "5"]).InvokeAsync().WaitAsync(Timeout);
        }
        finally
        {
            Console.SetError(original);
        }

        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.Length.EqualTo(1), error.ToString());
            Assert.That(lines[0], Does.StartWith("hfed health: Unavailable: could not reach http://127.0.0.1:1: "));
            Assert.That(lines[0], Does.Not.Contain("Exception"));
        });
    }
}
