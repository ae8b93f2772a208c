using Grpc.HealthCheck;
using HospitalFed.Cli.Commands;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace HospitalFed.Cli.Tests.Commands;

/// <summary>`hfed health` against a standard grpc-dotnet health service: exit code 0 only for SERVING; one clear line otherwise.</summary>
[NonParallelizable] // captures Console.Error
public sealed class HealthCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Health_ServingNode_ExitsZero()
    {
        var health = new HealthServiceImpl();
        health.SetStatus(string.Empty, ServingStatus.Serving);
        await using var server = await StartAsync(health);

        var exitCode = await HealthCommand.Create().Parse(["health", Address(server)]).InvokeAsync().WaitAsync(Timeout);

        Assert.That(exitCode, Is.Zero);
    }

    [Test]
    public async Task Health_NotServingService_ExitsOne()
    {
        var health = new HealthServiceImpl();
        health.SetStatus("hospitalfed.v1.Aggregator", ServingStatus.NotServing);
        await using var server = await StartAsync(health);

        var exitCode = await HealthCommand.Create().Parse(["health", Address(server), "--service", "hospitalfed.v1.Aggregator"]).InvokeAsync().WaitAsync(Timeout);

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

    private static string Address(WebApplication server) => server.Urls.Single();

    private static async Task<WebApplication> StartAsync(HealthServiceImpl health)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(health);
        var app = builder.Build();
        app.MapGrpcService<HealthServiceImpl>();
        await app.StartAsync().WaitAsync(Timeout);
        return app;
    }
}
