using HospitalFed.Protocol.V1;

namespace HospitalFed.Transport.Diagnostics;

/// <summary>The methods of <c>hospitalfed.v1.Diagnostics</c>, one per call kind.</summary>
public static class DiagnosticsMethods
{
    /// <summary>The service's full name.</summary>
    public const string ServiceName = "hospitalfed.v1.Diagnostics";

    /// <summary>Unary echo.</summary>
    public static Method<EchoRequest, EchoReply> Echo { get; } = new(MethodType.Unary, ServiceName, "Echo", EchoRequest.Parser, EchoReply.Parser);

    /// <summary>Server streaming: a counted series of replies.</summary>
    public static Method<CountRequest, EchoReply> Count { get; } = new(MethodType.ServerStreaming, ServiceName, "Count", CountRequest.Parser, EchoReply.Parser);

    /// <summary>Client streaming: counts requests and payload bytes.</summary>
    public static Method<EchoRequest, SumReply> Sum { get; } = new(MethodType.ClientStreaming, ServiceName, "Sum", EchoRequest.Parser, SumReply.Parser);

    /// <summary>Bidirectional streaming: one reply per request.</summary>
    public static Method<EchoRequest, EchoReply> Chat { get; } = new(MethodType.DuplexStreaming, ServiceName, "Chat", EchoRequest.Parser, EchoReply.Parser);
}
