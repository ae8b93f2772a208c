using HospitalFed.Protocol.V1;

namespace HospitalFed.Transport.Diagnostics;

/// <summary>Calls a node's diagnostics service.</summary>
/// <param name="channel">The channel to the node.</param>
public sealed class DiagnosticsClient(RpcChannel channel)
{
    /// <summary>Unary echo.</summary>
    /// <param name="request">The request.</param>
    /// <param name="options">Deadline, metadata, cancellation.</param>
    /// <returns>The echoed reply.</returns>
    public Task<EchoReply> EchoAsync(EchoRequest request, CallOptions options = default) =>
        channel.UnaryAsync(DiagnosticsMethods.Echo, request, options);

    /// <summary>Server streaming: <see cref="CountRequest.Count"/> replies.</summary>
    /// <param name="request">The request.</param>
    /// <param name="options">Deadline, metadata, cancellation.</param>
    /// <returns>The call; read its responses, then dispose it.</returns>
    public AsyncServerStreamingCall<EchoReply> Count(CountRequest request, CallOptions options = default) =>
        channel.ServerStreaming(DiagnosticsMethods.Count, request, options);

    /// <summary>Client streaming: the server counts what it receives.</summary>
    /// <param name="options">Deadline, metadata, cancellation.</param>
    /// <returns>The call; write, complete, await the response, then dispose it.</returns>
    public AsyncClientStreamingCall<EchoRequest, SumReply> Sum(CallOptions options = default) =>
        channel.ClientStreaming(DiagnosticsMethods.Sum, options);

    /// <summary>Bidirectional streaming: one reply per request.</summary>
    /// <param name="options">Deadline, metadata, cancellation.</param>
    /// <returns>The call; write and read independently, then dispose it.</returns>
    public AsyncDuplexStreamingCall<EchoRequest, EchoReply> Chat(CallOptions options = default) =>
        channel.DuplexStreaming(DiagnosticsMethods.Chat, options);
}
