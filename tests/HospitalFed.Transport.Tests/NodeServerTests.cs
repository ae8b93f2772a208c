using Grpc.Net.Client;
using Grpc.Reflection.V1Alpha;
using HospitalFed.Protocol.V1;
using HospitalFed.Transport.Hosting;
using HospitalFed.Transport.Tests.Infrastructure;
using HospitalFed.Transport.Tests.Interop;
using GrpcCore = Grpc.Core;
using ProtoDiagnostics = HospitalFed.Protocol.V1.Diagnostics;
using ProtoFederation = HospitalFed.Protocol.V1.Federation;

namespace HospitalFed.Transport.Tests;

/// <summary>
/// The grpc-dotnet hosting every node uses (<see cref="NodeServer"/>): server reflection as grpcurl
/// and grpcio see it, and the error interceptor. Generated clients on <see cref="NodeChannel"/>.
/// </summary>
[NonParallelizable]
public sealed class NodeServerTests
{
    private static readonly string[] ExpectedServices = ["hospitalfed.v1.Federation", "grpc.health.v1.Health", "grpc.reflection.v1alpha.ServerReflection"];

    [Test]
    public async Task Reflection_GrpcReflectionClientOverMutualTls_ListsFederationHealthAndReflection()
    {
        using var pki = new TestPki("Reflection CA");
        await using var server = await StartAggregatorLikeAsync(pki);
        using var channel = Channel(server, pki);
        using var cts = new CancellationTokenSource(TestServers.Timeout);
        using var call = new ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo(cancellationToken: cts.Token);

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "*" }).WaitAsync(TestServers.Timeout);
        await call.RequestStream.CompleteAsync().WaitAsync(TestServers.Timeout);
        Assert.That(await call.ResponseStream.MoveNext(cts.Token).WaitAsync(TestServers.Timeout), Is.True);
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();

        Assert.That(services, Is.SupersetOf(ExpectedServices));
    }

    [Test]
    public async Task Reflection_PythonGrpcioClientOverMutualTls_ListsFederationHealthAndReflection()
    {
        PythonPeer.RequireInterpreter();
        using var pki = new TestPki("Reflection CA");
        var directory = Directory.CreateTempSubdirectory("hfed-reflect-").FullName;
        try
        {
            var descriptors = Path.Combine(directory, "hospitalfed.protoset");
            ProtoDescriptors.Write(descriptors);
            pki.WritePem(directory, pki.Client, "client");
            await using var server = await StartAggregatorLikeAsync(pki);

            var (exitCode, output) = await PythonPeer.RunAsync(
                TimeSpan.FromMinutes(1),
                "reflect", "--descriptors", descriptors, "--target", "127.0.0.1:" + server.Address.Port,
                "--tls", Path.Combine(directory, "ca.pem"), Path.Combine(directory, "client.pem"), Path.Combine(directory, "client.key"));

            TestContext.Out.WriteLine(output);
            Assert.Multiple(() =>
            {
                Assert.That(exitCode, Is.Zero, output);
                foreach (var service in ExpectedServices)
                {
                    Assert.That(output, Does.Contain("SERVICE " + service + "\n").Or.Contain("SERVICE " + service + "\r\n"));
                }
            });
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public async Task Handler_UnexpectedException_IsUnknownWithoutLeakingDetailAndIsLogged()
    {
        using var logs = new LogCollector();
        await using var server = await NodeServer.StartAsync(new RpcHostOptions(), new NodeServices().Add(new FailingDiagnostics()), logs: logs).WaitAsync(TestServers.Timeout);
        using var channel = NodeChannel.Create(server.Address);

        var ex = Assert.ThrowsAsync<GrpcCore.RpcException>(() =>
            new ProtoDiagnostics.DiagnosticsClient(channel).EchoAsync(new EchoRequest(), deadline: DateTime.UtcNow.Add(TestServers.Timeout)).ResponseAsync);

        Assert.Multiple(async () =>
        {
            Assert.That(ex!.StatusCode, Is.EqualTo(GrpcCore.StatusCode.Unknown));
            Assert.That(ex.Status.Detail, Is.EqualTo("The server failed to handle the call; its log has the details."));
            Assert.That(ex.Status.Detail, Does.Not.Contain(FailingDiagnostics.Secret));
            Assert.That(await logs.WaitForAsync("Unhandled exception in the handler of /hospitalfed.v1.Diagnostics/Echo", TestServers.Timeout), Is.True, string.Join("\n", logs.Lines));
        });
    }

    /// <summary>An aggregator's surface without its orchestrator: Federation (unimplemented methods), health, reflection, mutual TLS.</summary>
    private static Task<NodeServer> StartAggregatorLikeAsync(TestPki pki) =>
        NodeServer.StartAsync(
            new RpcHostOptions { ServerCertificate = pki.Server, TrustedClientAuthorities = pki.Bundle },
            new NodeServices().Add(new IdleFederation())).WaitAsync(TestServers.Timeout);

    private static GrpcChannel Channel(NodeServer server, TestPki pki) =>
        NodeChannel.Create(server.Address, new RpcChannelOptions { TrustedServerAuthorities = pki.Bundle, ClientCertificate = pki.Client });

    private sealed class IdleFederation : ProtoFederation.FederationBase;

    private sealed class FailingDiagnostics : ProtoDiagnostics.DiagnosticsBase
    {
        public const string Secret = "/var/lib/hfed/secret-path";

        public override Task<EchoReply> Echo(EchoRequest request, GrpcCore.ServerCallContext context) =>
            throw new InvalidOperationException("disk failure at " + Secret);
    }
}
