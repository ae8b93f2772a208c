namespace HospitalFed.Transport.Internal;

/// <summary>
/// A connection to a node that could not be made, with one line saying why (see <see cref="NodeConnectionHandler"/>).
/// The <see cref="IOException"/> between it and the original failure makes grpc-dotnet end the call with
/// UNAVAILABLE (it reads the status from an I/O or socket error in the chain), gRPC's status for a
/// connection worth retrying, also when TLS refused the node's certificate.
/// </summary>
internal sealed class NodeConnectionException(string message, HttpRequestException inner)
    : HttpRequestException(inner.HttpRequestError, message, new IOException(message, inner), inner.StatusCode);
