using HospitalFed.Protocol.V1;
using HospitalFed.Transport;
using HospitalFed.Transport.Diagnostics;

namespace HospitalFed.Benchmarks.Transport.Legacy;

/// <summary>
/// The former hand-written server's <c>hospitalfed.v1.Diagnostics/Echo</c>, kept only for the
/// benchmark's "ours" column (the old runtime measured beside grpc-dotnet before its deletion).
/// </summary>
internal sealed class LegacyEchoService : IRpcService
{
    public void Bind(RpcServiceBinder binder) =>
        binder.AddUnary(DiagnosticsMethods.Echo, (request, _) => Task.FromResult(new EchoReply { Message = request.Message, Payload = request.Payload }));
}
