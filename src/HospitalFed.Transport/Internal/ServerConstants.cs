namespace HospitalFed.Transport.Internal;

/// <summary>Server-side protocol values (PROTOCOL-HTTP2.md; GRPC-WIRE.md "Transport").</summary>
internal static class ServerConstants
{
    /// <summary>"Response-Headers → HTTP-Status [Message-Encoding] [Message-Accept-Encoding] Content-Type".</summary>
    public const string AcceptEncodingValue = GrpcProtocolConstants.IdentityEncoding;

    /// <summary>Route that catches every <c>/{service}/{method}</c> no service mapped, for UNIMPLEMENTED.</summary>
    public const string UnimplementedRoute = "{unimplementedService}/{unimplementedMethod}";

    public const string UnimplementedMethod = "Method is unimplemented.";

    public const string UnimplementedService = "Service is unimplemented.";
}
