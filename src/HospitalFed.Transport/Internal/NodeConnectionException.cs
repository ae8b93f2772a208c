namespace HospitalFed.Transport.Internal;

/// <summary>A connection to a node that could not be made, with one line saying why (see <see cref="NodeConnectionHandler"/>).</summary>
internal sealed class NodeConnectionException(string message, HttpRequestException inner)
    : HttpRequestException(inner.HttpRequestError, message, inner, inner.StatusCode);
